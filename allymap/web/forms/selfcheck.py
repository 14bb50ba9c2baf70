"""The self-check form: a team member's answers about themselves on the rows of the
chart, and whether to keep them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from allymap.chart import Chart, Position, Row
from allymap.domain import EVIDENCE_MAX
from allymap.services.accounts import PASSPHRASE_MAX
from allymap.web.forms.base import NO_AUTOFILL, AllymapForm
from allymap.web.selfcheck_words import SELF_POSITION_LABELS

KEEP = "keep"
"""Keep it, sealed to the account's own key."""
SHOW = "show"
"""Keep nothing: only show the answers back."""
OPEN = "open"
"""Open the kept one (with the account's passphrase) to read it."""
AGAIN = "again"
"""Open the kept one (with the account's passphrase) to go through it again."""


class SelfCheckForm(AllymapForm):
    """One answer (`position-<row>`) and optional words, "what I notice"
    (`evidence-<row>`, the name the services' refusals use), for each row of the chart,
    and `keep`: KEEP or SHOW, the button the person chose. `answers` (row key →
    (position, words)) fill the form in.

    The same address also takes a post that opens a kept one instead: `action` (OPEN or
    AGAIN) and the account's `passphrase`, without the rows. Those two are declared here
    so the address's whole post is one form; the view checks them with PassphraseForm
    (through the unlock throttle) and never with this form's rows."""

    keep = forms.ChoiceField(
        choices=[(SHOW, _("Don’t keep it: just show me")), (KEEP, _("Keep it, sealed"))],
        error_messages={
            "required": _("Choose whether to keep it, sealed so only you can open it, or not.")
        },
    )

    action = forms.ChoiceField(
        choices=[(OPEN, _("Open it")), (AGAIN, _("Open it to go through it again"))],
        required=False,
    )
    passphrase = forms.CharField(
        label=_("This account’s passphrase"),
        required=False,
        strip=False,
        max_length=PASSPHRASE_MAX,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        chart: Chart,
        answers: Mapping[str, tuple[Position, str]] | None = None,
    ) -> None:
        initial: dict[str, Any] = {}
        for row_key, (position, words) in (answers or {}).items():
            initial[f"position-{row_key}"] = position.value
            initial[f"evidence-{row_key}"] = words
        self.chart = chart
        choices = [(position.value, SELF_POSITION_LABELS[position]) for position in Position]
        # The rows' fields join the class's own before the form is built, so that
        # AllymapForm words their refusals too.
        fields: dict[str, forms.Field] = dict(type(self).base_fields)
        for row in chart.rows:
            fields[f"position-{row.key}"] = forms.ChoiceField(
                label=row.topic,
                choices=choices,
                initial=Position.UNKNOWN.value,
                widget=forms.RadioSelect,
            )
            fields[f"evidence-{row.key}"] = forms.CharField(
                label=_("What I notice (optional)"),
                required=False,
                max_length=EVIDENCE_MAX,
                widget=forms.Textarea(attrs={"rows": 2, **NO_AUTOFILL}),
            )
        self.base_fields = fields  # type: ignore[misc]
        super().__init__(data, initial=initial)

    def rows(self) -> list[tuple[Row, forms.BoundField, forms.BoundField]]:
        """(row, answer, words) in chart order, for the template."""
        return [
            (row, self[f"position-{row.key}"], self[f"evidence-{row.key}"])
            for row in self.chart.rows
        ]

    def answers(self) -> dict[str, tuple[Position, str]]:
        """The cleaned answers, by row key."""
        return {
            row.key: (
                Position(self.cleaned_data[f"position-{row.key}"]),
                self.cleaned_data[f"evidence-{row.key}"],
            )
            for row in self.chart.rows
        }

    def keeps(self) -> bool:
        """The person chose to keep it (sealed), not only to see it."""
        return bool(self.cleaned_data["keep"] == KEEP)
