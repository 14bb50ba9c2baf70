"""What every allymap form shares: its own words for refusals, and the once token."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.safestring import SafeString, mark_safe

from allymap.web.forms.renderer import escaped
from allymap.web.words import FORM_WORDS


def once_token() -> str:
    """A fresh id for a new thing, given with the form that makes it: posting the same
    form twice (a double click, a resend after a slow answer) then makes it only once."""
    return secrets.token_urlsafe(16)


def once_field() -> forms.CharField:
    return forms.CharField(
        required=False, max_length=64, initial=once_token, widget=forms.HiddenInput
    )


# Names and notes must not linger in the browser's autofill memory.
NO_AUTOFILL = {"autocomplete": "off", "spellcheck": "false"}


class CompactSelect(forms.Select):
    """A list of choices written without Django's blank lines and indentation between
    options (the same elements and attributes): a page that offers everyone on the map in
    several lists at once stays light.

    Written here rather than by a template: the roles page offers everyone on the map in
    a dozen lists, and a template per option spent most of the page's time
    (`bench/pages.py --profile roles`). `tests/web/test_compact_select.py` holds it to
    what Django's own template writes.
    """

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{escaped(widget["name"])}"{flatatt(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'<optgroup label="{escaped(group_name)}">')
            for option in options:
                chosen = option["attrs"]
                extra = (
                    "" if not chosen else " selected" if chosen == _SELECTED else flatatt(chosen)
                )
                parts.append(
                    f'\n<option value="{escaped(option["value"])}"{extra}>'
                    f"{escaped(option['label'])}</option>"
                )
            if group_name:
                parts.append("</optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part above is escaped


_SELECTED = {"selected": True}


class AllymapForm(forms.Form):
    """A form whose own refusals (an empty or too long field, a choice not offered) are
    worded by allymap (`web/words.py`), not in Django's words.

    The words are put in when the form is made and again just before it is checked, so
    a field a subclass adds after `__init__` (the reflection's rows) is covered too.
    `tests/web/test_form_errors.py` proves every code a field of allymap's forms can
    refuse with has allymap's words.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reword()

    def full_clean(self) -> None:
        self.reword()
        super().full_clean()

    def reword(self) -> None:
        """Replace Django's own words for each field's refusals with allymap's."""
        for field in self.fields.values():
            defaults: dict[str, Any] = {}
            for klass in reversed(type(field).__mro__):
                defaults.update(getattr(klass, "default_error_messages", {}))
            # The codes a field refuses with (its length limits are validators, whose codes
            # the field's messages override too); only Django's own words are replaced.
            codes = set(field.error_messages) | {
                str(getattr(validator, "code", "")) for validator in field.validators
            }
            for code, words in FORM_WORDS.items():
                own = field.error_messages.get(code)
                if code in codes and (own is None or own is defaults.get(code)):
                    if code == "required" and isinstance(field, forms.ChoiceField):
                        words = FORM_WORDS["required_choice"]  # nothing to fill in: choose
                    field.error_messages[code] = words  # type: ignore[assignment]
