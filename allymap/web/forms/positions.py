"""The reflection form: one team member's answers on the rows of the chart."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from allymap.chart import Chart, Position, Row
from allymap.domain import EVIDENCE_MAX
from allymap.services.positions import ShownAnswer
from allymap.web.forms.base import NO_AUTOFILL, AllymapForm
from allymap.web.words import POSITION_LABELS

# A seq is a whole number; anything longer than this is not one the form was given.
_SEQ_DIGITS = 20


class ReflectForm(AllymapForm):
    """One position and an optional "what makes you think so" for each row of the chart,
    whose view they are (`member`), and for each row the seq of the answer the form
    showed (`shown-<row>`), so saving records only what its reader changed.

    `answers` (row key → `ShownAnswer`) fill the form in. `only` (a row key) makes a
    form of that one row: what the page's script posts as each row is answered. A row
    key not on the chart makes a form with no rows (see `only_row_known`).
    """

    member = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        chart: Chart,
        answers: Mapping[str, ShownAnswer],
        member_id: str = "",
        only: str | None = None,
    ) -> None:
        initial: dict[str, Any] = {"member": member_id}
        for row_key, answer in answers.items():
            initial[f"position-{row_key}"] = answer.position.value
            initial[f"evidence-{row_key}"] = answer.evidence
            initial[f"shown-{row_key}"] = str(answer.seq)
        self.chart = chart
        self.only = only
        choices = [(position.value, POSITION_LABELS[position]) for position in Position]
        # The rows' fields join the class's own before the form is built, so that
        # AllymapForm words their refusals too.
        fields: dict[str, forms.Field] = dict(type(self).base_fields)
        for row in self.chart_rows():
            fields[f"position-{row.key}"] = forms.ChoiceField(
                label=row.topic,
                choices=choices,
                initial=Position.UNKNOWN.value,
                widget=forms.RadioSelect,
            )
            fields[f"evidence-{row.key}"] = forms.CharField(
                label=_("What makes you think so? (optional)"),
                required=False,
                max_length=EVIDENCE_MAX,
                widget=forms.Textarea(attrs={"rows": 2, **NO_AUTOFILL}),
            )
            # Never refused: a seq that is missing or not a number counts as "showed no
            # answer", which can only make a changed row a difference to settle.
            fields[f"shown-{row.key}"] = forms.CharField(
                required=False, initial="0", widget=forms.HiddenInput
            )
        self.base_fields = fields  # type: ignore[misc]
        super().__init__(data, initial=initial)

    def chart_rows(self) -> list[Row]:
        """The rows this form asks about: the whole chart, or the one row of `only`."""
        if self.only is None:
            return list(self.chart.rows)
        return [row for row in self.chart.rows if row.key == self.only]

    @property
    def only_row_known(self) -> bool:
        """False for a one-row form whose row is not on the chart."""
        return self.only is None or bool(self.chart_rows())

    def rows(self) -> list[tuple[Row, forms.BoundField, forms.BoundField, forms.BoundField]]:
        """(row, position, evidence, shown) fields in chart order, for the template."""
        return [
            (
                row,
                self[f"position-{row.key}"],
                self[f"evidence-{row.key}"],
                self[f"shown-{row.key}"],
            )
            for row in self.chart_rows()
        ]

    def positions(self) -> dict[str, tuple[Position, str]]:
        """The cleaned answers, by row key."""
        return {
            row.key: (
                Position(self.cleaned_data[f"position-{row.key}"]),
                self.cleaned_data[f"evidence-{row.key}"],
            )
            for row in self.chart_rows()
        }

    def shown(self) -> dict[str, int]:
        """The seq of the answer the form showed on each row (0: none, or not known)."""
        seqs: dict[str, int] = {}
        for row in self.chart_rows():
            raw = (self.cleaned_data.get(f"shown-{row.key}") or "").strip()
            seqs[row.key] = (
                int(raw) if raw.isascii() and raw.isdigit() and len(raw) < _SEQ_DIGITS else 0
            )
        return seqs

    def member_id(self) -> str | None:
        """Whose view the form records: a member id, or None for the account's own."""
        return self.cleaned_data.get("member") or None
