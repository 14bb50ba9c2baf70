"""Forms: parse and check what was typed; the services decide everything else."""

from __future__ import annotations

import secrets
import unicodedata
from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from allymap.chart import Chart, Position
from allymap.domain import (
    ALIAS_MAX,
    CODE_NAME_MAX,
    EVIDENCE_MAX,
    RELATIONSHIP_MAX,
)
from allymap.services.accounts import PASSPHRASE_MAX, PASSPHRASE_MIN
from allymap.web.words import FORM_WORDS, POSITION_LABELS


def once_token() -> str:
    """A fresh id for a new thing, given with the form that makes it: posting the same
    form twice (a double click, a resend after a slow answer) then makes it only once."""
    return secrets.token_urlsafe(16)


def _once_field() -> forms.CharField:
    return forms.CharField(
        required=False, max_length=64, initial=once_token, widget=forms.HiddenInput
    )


# Names and notes must not linger in the browser's autofill memory.
NO_AUTOFILL = {"autocomplete": "off", "spellcheck": "false"}


class AllymapForm(forms.Form):
    """A form whose own refusals (an empty or too long field, a choice not offered) are
    worded by allymap (`web/words.py`), not in Django's words."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
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
                    field.error_messages[code] = words  # type: ignore[assignment]


class PassphraseForm(AllymapForm):
    passphrase = forms.CharField(
        label=_("Passphrase"),
        strip=False,
        max_length=PASSPHRASE_MAX,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class NewPassphraseForm(AllymapForm):
    passphrase = forms.CharField(
        label=_("Choose a passphrase"),
        strip=False,
        min_length=PASSPHRASE_MIN,
        max_length=PASSPHRASE_MAX,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    confirm = forms.CharField(
        label=_("Type it again"),
        strip=False,
        max_length=PASSPHRASE_MAX,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("passphrase") and data.get("passphrase") != data.get("confirm"):
            self.add_error("confirm", _("The two passphrases are not the same. Try again."))
        return data


class RecoverForm(NewPassphraseForm):
    recovery_key = forms.CharField(
        label=_("Recovery key"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    field_order = ["recovery_key", "passphrase", "confirm"]


DANGER_CHOICES = [
    ("no", _("No, nobody is in immediate danger right now")),
    ("yes", _("Yes, or I’m not sure")),
]


class StartForm(AllymapForm):
    danger = forms.ChoiceField(
        label=_("Is anyone in immediate danger right now?"),
        choices=DANGER_CHOICES,
        widget=forms.RadioSelect,
    )
    code_name = forms.CharField(
        label=_("A code name for this intervention"),
        help_text=_("Something only your team will recognise. Avoid real names."),
        max_length=CODE_NAME_MAX,
        widget=forms.TextInput(attrs=NO_AUTOFILL),
    )
    doing_harm_alias = forms.CharField(
        label=_("What the team will call the person doing harm"),
        help_text=_("An alias, initials or a nickname. Avoid a full real name."),
        max_length=ALIAS_MAX,
        widget=forms.TextInput(attrs=NO_AUTOFILL),
    )
    harmed_alias = forms.CharField(
        label=_("What the team will call the person harmed (optional)"),
        required=False,
        max_length=ALIAS_MAX,
        widget=forms.TextInput(attrs=NO_AUTOFILL),
    )
    once = _once_field()


class PersonForm(AllymapForm):
    alias = forms.CharField(
        label=_("What you will call this person"),
        help_text=_("An alias, initials or a nickname is enough."),
        max_length=ALIAS_MAX,
        widget=forms.TextInput(attrs=NO_AUTOFILL),
    )
    relationship = forms.CharField(
        label=_("How are they connected to the person doing harm?"),
        help_text=_(
            "In your own words: whānau, a friend from school, a kaumātua, a workmate, "
            "a coach, a neighbour…"
        ),
        required=False,
        max_length=RELATIONSHIP_MAX,
        widget=forms.TextInput(attrs=NO_AUTOFILL),
    )
    once = _once_field()


class ReflectForm(AllymapForm):
    """One position and an optional "what makes you think so" for each row of the chart.

    `answers` (row key → position and evidence) fill the form in where a team member
    has answered before.
    """

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        chart: Chart,
        answers: Mapping[str, tuple[Position, str]],
    ) -> None:
        initial: dict[str, str] = {}
        for row_key, (position, evidence) in answers.items():
            initial[f"position-{row_key}"] = position.value
            initial[f"evidence-{row_key}"] = evidence
        super().__init__(data, initial=initial)
        self.chart = chart
        choices = [(position.value, POSITION_LABELS[position]) for position in Position]
        for row in chart.rows:
            self.fields[f"position-{row.key}"] = forms.ChoiceField(
                label=row.label,
                choices=choices,
                initial=Position.UNKNOWN.value,
                widget=forms.RadioSelect,
            )
            self.fields[f"evidence-{row.key}"] = forms.CharField(
                label=_("What makes you think so? (optional)"),
                required=False,
                max_length=EVIDENCE_MAX,
                widget=forms.Textarea(attrs={"rows": 2, **NO_AUTOFILL}),
            )

    def rows(self) -> list[tuple[Any, forms.BoundField, forms.BoundField]]:
        """(row, position field, evidence field) in chart order, for the template."""
        return [
            (row, self[f"position-{row.key}"], self[f"evidence-{row.key}"])
            for row in self.chart.rows
        ]

    def positions(self) -> dict[str, tuple[Position, str]]:
        """The cleaned answers, by row key."""
        return {
            row.key: (
                Position(self.cleaned_data[f"position-{row.key}"]),
                self.cleaned_data[f"evidence-{row.key}"],
            )
            for row in self.chart.rows
        }


class ForgetForm(AllymapForm):
    """Forgetting a person: one tick that says, in words, what goes and that it is for good.

    A tick is enough here: it erases one person, and the page around it says exactly what.
    """

    understood = forms.BooleanField(
        error_messages={
            "required": _(
                "Tick the box to say you understand, or go back. Nothing has been erased."
            )
        },
    )

    def __init__(self, data: Mapping[str, Any] | None = None, *, alias: str) -> None:
        super().__init__(data)
        self.fields["understood"].label = _(
            "I understand that everything recorded about %(alias)s will be erased for good, "
            "and that it cannot be brought back."
        ) % {"alias": alias}


class DestroyForm(AllymapForm):
    """Destroying an intervention: type its code name, shown above the box.

    Typing is hard to do by accident, and the name says which intervention goes. Capitals,
    spaces and accents (macrons) do not count, so a keyboard without macrons is no bar.
    """

    code_name = forms.CharField(
        label=_("Type the code name to confirm"),
        help_text=_("Capitals, spaces and macrons do not matter."),
        max_length=CODE_NAME_MAX * 2,
        widget=forms.TextInput(attrs=NO_AUTOFILL),
    )

    def __init__(self, data: Mapping[str, Any] | None = None, *, code_name: str) -> None:
        super().__init__(data)
        self.expected = code_name

    def clean_code_name(self) -> str:
        typed: str = self.cleaned_data["code_name"]
        if _plain(typed) != _plain(self.expected):
            raise forms.ValidationError(
                _(
                    "That is not this intervention’s code name, so nothing has been destroyed. "
                    "Type it as it is shown above."
                )
            )
        return typed


def _plain(text: str) -> str:
    """`text` without accents, case, runs of white space or invisible characters (which
    nobody could type): what a confirmation compares."""
    decomposed = unicodedata.normalize("NFKD", text)
    letters = "".join(
        c for c in decomposed if not unicodedata.combining(c) and unicodedata.category(c) != "Cf"
    )
    return " ".join(letters.casefold().split())


class PersonChangeForm(AllymapForm):
    """Changing a person's alias and relationship: `PersonForm`'s fields without its `once`
    token (nothing new is made), filled in with what they are now through `initial`."""

    alias = PersonForm.base_fields["alias"]
    relationship = PersonForm.base_fields["relationship"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Emptied on purpose, perhaps to hide them: say what to do instead.
        self.fields["alias"].error_messages["required"] = _(
            "Everyone on the map needs a name the team knows them by. To take someone off "
            "the map instead, use “Take off the map…” on their page."
        )
