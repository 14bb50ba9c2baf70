"""The self-check: a team member reflects on themselves against the rows of the chart,
in the first person, before taking a role.

It is theirs alone. Posted with "keep", it is sealed to the account's own key
(`services.selfcheck.self_check_keep`) and shown back to its owner only; posted with
"show", nothing at all is stored: the answers come back on the page and are gone when it
is left. A kept one can be taken away (`discard`). Nothing here is ever shown to anyone
else, exported or printed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django import forms as django_forms
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from allymap.chart import Position, Row
from allymap.domain import InvalidInput
from allymap.services import selfcheck
from allymap.services.keyring import Keyring
from allymap.services.selfcheck import SelfCheckReading
from allymap.web import forms
from allymap.web.requests import AllymapRequest
from allymap.web.selfcheck_words import SELF_POSITION_LABELS, SELF_ROWS, SelfRow
from allymap.web.views.guard import FORM, show_refusal, unlocked_required

# Answers on the other side of a row: things to get support with (row 6).
_SUPPORT_WITH = {Position.LEANS_IN_THE_WAY, Position.IN_THE_WAY}


@dataclass(frozen=True)
class RowView:
    """One row of the form: the chart's row, its first-person words (None for a chart
    whose rows allymap has no first-person words for), and its fields."""

    row: Row
    own: SelfRow | None
    position: django_forms.BoundField
    evidence: django_forms.BoundField


@dataclass(frozen=True)
class AnswerLine:
    """One row of a self-check shown back: the answer in the person's own words."""

    row: Row
    position: Position
    label: str
    words: str


@require_http_methods(FORM)
@unlocked_required
def self_check(request: AllymapRequest, keyring: Keyring, intervention_id: str) -> HttpResponse:
    # Read first, for a post too: an account not on the team gets a 404, never a save.
    reading = selfcheck.self_check_reading(keyring=keyring, intervention_id=intervention_id)
    url = reverse("self_check", kwargs={"intervention_id": intervention_id})
    if request.method != "POST":
        again = request.GET.get("again") == "1"
        form = forms.SelfCheckForm(chart=reading.chart, answers=reading.answers)
        return _page(
            request,
            reading,
            form,
            kept=reading.kept and not again,
            taken=request.GET.get("taken") == "1" and not reading.kept,
        )
    if "discard" in request.POST:
        selfcheck.self_check_discard(keyring=keyring, intervention_id=intervention_id)
        return redirect(f"{url}?taken=1")
    form = forms.SelfCheckForm(request.POST, chart=reading.chart)
    if not form.is_valid():
        return _page(request, reading, form)
    if not form.keeps():
        # Nothing is stored: the answers only come back on this page.
        return _page(request, reading, form, shown=_lines(reading, form.answers()))
    try:
        selfcheck.self_check_keep(
            keyring=keyring, intervention_id=intervention_id, answers=form.answers()
        )
    except InvalidInput as refusal:
        show_refusal(form, refusal)
        return _page(request, reading, form)
    return redirect(f"{url}#kept-heading")


def _lines(
    reading: SelfCheckReading, answers: Mapping[str, tuple[Position, str]]
) -> list[AnswerLine]:
    """The answers in chart order, each worded for oneself."""
    return [
        AnswerLine(row, position, str(SELF_POSITION_LABELS[position]), words)
        for row in reading.chart.rows
        if row.key in answers
        for position, words in [answers[row.key]]
    ]


def _page(
    request: AllymapRequest,
    reading: SelfCheckReading,
    form: forms.SelfCheckForm,
    *,
    kept: bool = False,
    taken: bool = False,
    shown: list[AnswerLine] | None = None,
) -> HttpResponse:
    """The page in one of its states: the kept self-check (`kept`), answers just shown
    and not kept (`shown`), or the form (after one was taken away: `taken`)."""
    lines = shown if shown is not None else _lines(reading, reading.answers) if kept else []
    context: dict[str, Any] = {
        "reading": reading,
        "form": form,
        "rows": [
            RowView(row, SELF_ROWS.get(row.key), position, evidence)
            for row, position, evidence in form.rows()
        ],
        "kept": kept,
        "taken": taken,
        "shown": shown is not None,
        "lines": lines,
        "support_with": [line for line in lines if line.position in _SUPPORT_WITH],
        "not_known": [line for line in lines if line.position is Position.UNKNOWN],
        "keep_errors": form.errors.get("keep", []),
    }
    return render(request, "allymap/self_check.html", context)
