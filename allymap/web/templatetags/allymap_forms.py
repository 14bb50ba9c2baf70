"""Template filters that tie a form field to its hint and its error for screen readers.

Every id these name is one the templates render (`_fields.html`, `_error_summary.html`):
the hint is ``<auto_id>_helptext`` (Django's own name for it) and the error is
``<auto_id>-error``. A field with neither gets no aria-describedby at all, so it never
names an id that is not on the page.
"""

from __future__ import annotations

from django import forms, template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from allymap.web.forms.renderer import escaped

register = template.Library()


def _ids(field: forms.BoundField) -> list[str]:
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return ids


@register.filter
def describedby(field: forms.BoundField) -> str:
    """``{{ field|describedby }}``: the ids of the field's hint and error, space-separated
    (empty when it has neither), for a fieldset that groups radio buttons."""
    return " ".join(_ids(field))


@register.filter
def described(field: forms.BoundField) -> SafeString:
    """``{{ field|described }}``: the field's input, naming its hint and error in its
    aria-describedby (they are read out when it gets focus)."""
    ids = _ids(field)
    attrs: dict[str, str | bool] = {"aria-describedby": " ".join(ids)} if ids else {}
    return field.as_widget(attrs=attrs)


@register.filter
def error_target(field: forms.BoundField) -> str:
    """``{{ field|error_target }}``: the id an error summary links to: the input, or the
    first choice of a group of radio buttons or tick boxes."""
    if field.field.widget.use_fieldset:
        return f"{field.auto_id}_0"
    return str(field.id_for_label)


@register.filter
def field_errors(field: forms.BoundField) -> SafeString:
    """``{{ field|field_errors }}``: the field's errors in one element with the id its
    aria-describedby names (nothing when it has none)."""
    if not field.errors:
        return SafeString("")
    lines = format_html_join(" ", "<span>{}</span>", ((error,) for error in field.errors))
    return format_html('<p class="error" id="{}-error">{}</p>', field.auto_id, lines)


@register.filter
def error_line(field: forms.BoundField, error: str) -> str:
    """``{{ field|error_line:error }}``: an error as the summary lists it, after the
    field's question or label (the error alone may not say which field it is about)."""
    label = str(field.label or "").strip()
    if not label:
        return str(error)
    joint = " " if label[-1] in "?.:!…" else ": "
    return f"{label}{joint}{error}"


@register.filter
def scale_choices(field: forms.BoundField, keys: str = "") -> SafeString:
    """``{{ v.position|scale_choices:"keys" }}``: a row's radio buttons, each in its label,
    as the reflection and the self-check lay them out; with "keys", each with the number
    key that picks it (shown only when the page's script offers the keys).

    Written here, not by a loop in the template: the two pages have sixty radio buttons,
    and the loop's lookups were a large part of their time (`bench/pages.py --profile
    reflect`); `tests/web/test_scale_choices.py` holds it to the loop it replaced."""
    parts = []
    for number, radio in enumerate(field, start=1):
        target = radio.data["attrs"].get("id")
        label = escaped(radio.choice_label)
        key = (
            f' <span class="rf-key" data-keys hidden aria-hidden="true">{number}</span> '
            f'<span class="rf-words">{label}</span>'
            if keys
            else f" <span>{label}</span>"
        )
        parts.append(f'<label class="choice" for="{escaped(target)}">{radio.tag()}{key}</label>')
    return mark_safe("".join(parts))  # noqa: S308 - every part above is escaped
