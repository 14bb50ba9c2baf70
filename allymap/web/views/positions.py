"""Reflecting on a person against the rows of the chart, in one team member's view.

One URL serves both ways of answering. Without JavaScript it is one plain form: posted,
it records only the rows its reader changed from what it showed, and a row someone else
changed meanwhile comes back as a difference to settle, never overwritten. With
JavaScript, the page's script posts each row as it is answered (`only=<row key>`) and
gets JSON back: whether it was saved, and the row as it now stands.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms as django_forms
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from allymap.chart import Position, Row
from allymap.domain import InvalidInput
from allymap.services import positions
from allymap.services.keyring import Keyring
from allymap.services.positions import Conflict, ReflectReading, ShownAnswer
from allymap.web import forms
from allymap.web.requests import AllymapRequest
from allymap.web.views.guard import FORM, show_refusal, unlocked_required
from allymap.web.words import POSITION_LABELS, refusal_message

_NO_ANSWER = ShownAnswer(Position.UNKNOWN, "", 0)


@dataclass(frozen=True)
class RowView:
    """One row of the page: the chart's row, its fields, and a difference to settle."""

    row: Row
    position: django_forms.BoundField
    evidence: django_forms.BoundField
    shown: django_forms.BoundField
    conflict: Conflict | None


@require_http_methods(FORM)
@unlocked_required
def reflect(
    request: AllymapRequest, keyring: Keyring, intervention_id: str, person_id: str
) -> HttpResponse:
    if request.method == "POST" and "only" in request.POST:
        return _save_one_row(request, keyring, intervention_id, person_id)
    asked = (request.POST if request.method == "POST" else request.GET).get("member", "")
    reading, member_gone = _reading(keyring, intervention_id, person_id, asked)
    if request.method != "POST":
        form = _fresh_form(reading)
        return _page(request, reading, form, member_gone=member_gone)
    form = forms.ReflectForm(
        request.POST, chart=reading.chart, answers=reading.answers, member_id=asked
    )
    if member_gone:
        # Whose view these answers are is no longer on the team: save nothing, and let
        # the person say whose they are (the page shows a choice instead of the hidden
        # field), keeping everything they typed.
        form.is_valid()
        return _page(request, reading, form, member_gone=True)
    if not form.is_valid():
        return _page(request, reading, form)
    try:
        outcome = positions.positions_record(
            keyring=keyring,
            intervention_id=intervention_id,
            person_id=person_id,
            positions=form.positions(),
            shown=form.shown(),
            member_id=form.member_id(),
        )
    except InvalidInput as refusal:
        _refuse(form, refusal)
        return _page(request, reading, form)
    if not outcome.conflicts:
        return redirect("person", intervention_id=intervention_id, person_id=person_id)
    # Show every row as it stands now (the rows saved, and what others saved meanwhile),
    # and each difference beside the answer it would have replaced.
    reading = positions.reflect_reading(
        keyring=keyring,
        intervention_id=intervention_id,
        person_id=person_id,
        member_id=outcome.member_id,
    )
    by_row = {row.key: row for row in reading.chart.rows}
    return _page(
        request,
        reading,
        _fresh_form(reading),
        conflicts={conflict.row_key: conflict for conflict in outcome.conflicts},
        saved=[by_row[key] for key in outcome.recorded if key in by_row],
    )


def _reading(
    keyring: Keyring, intervention_id: str, person_id: str, asked: str
) -> tuple[ReflectReading, bool]:
    """The form's data for the member `asked` for (empty: the account's own view), and
    whether `asked` named someone not on the team, in which case it is the own view."""
    try:
        reading = positions.reflect_reading(
            keyring=keyring,
            intervention_id=intervention_id,
            person_id=person_id,
            member_id=asked or None,
        )
    except InvalidInput:
        reading = positions.reflect_reading(
            keyring=keyring, intervention_id=intervention_id, person_id=person_id
        )
        return reading, True
    return reading, False


def _fresh_form(reading: ReflectReading) -> forms.ReflectForm:
    return forms.ReflectForm(
        chart=reading.chart, answers=reading.answers, member_id=reading.member.member_id
    )


def _refuse(form: forms.ReflectForm, refusal: InvalidInput) -> None:
    """A refusal beside its field; one about whose view it is, at the top."""
    if refusal.field == "member_id":
        form.add_error(None, _("The team member these answers are for is not on the team now."))
    else:
        show_refusal(form, refusal)


def _page(
    request: AllymapRequest,
    reading: ReflectReading,
    form: forms.ReflectForm,
    *,
    member_gone: bool = False,
    conflicts: dict[str, Conflict] | None = None,
    saved: list[Row] | None = None,
) -> HttpResponse:
    conflicts = conflicts or {}
    rows = [
        RowView(row, position, evidence, shown, conflicts.get(row.key))
        for row, position, evidence, shown in form.rows()
    ]
    context: dict[str, Any] = {
        "reading": reading,
        "form": form,
        "rows": rows,
        "conflicts": [view for view in rows if view.conflict],
        "saved": saved or [],
        "member_gone": member_gone,
        "posted": request.method == "POST",
        "others": [m for m in reading.members if m.member_id != reading.member.member_id],
        "positions": [(n, position) for n, position in enumerate(Position, 1)],
    }
    return render(request, "allymap/reflect.html", context)


def _save_one_row(
    request: AllymapRequest, keyring: Keyring, intervention_id: str, person_id: str
) -> HttpResponse:
    """Save one row posted by the page's script; answer in JSON (see `_row_answer`)."""
    row_key = request.POST.get("only", "")
    try:
        reading = positions.reflect_reading(
            keyring=keyring,
            intervention_id=intervention_id,
            person_id=person_id,
            member_id=request.POST.get("member") or None,
        )
    except InvalidInput:
        return _not_saved(_("The team member these answers are for is not on the team now."))
    form = forms.ReflectForm(
        request.POST, chart=reading.chart, answers=reading.answers, only=row_key
    )
    if not form.only_row_known:
        return _not_saved(_("This question is not on the chart in use."))
    if not form.is_valid():
        return _not_saved(" ".join(str(e) for errors in form.errors.values() for e in errors))
    try:
        outcome = positions.positions_record(
            keyring=keyring,
            intervention_id=intervention_id,
            person_id=person_id,
            positions=form.positions(),
            shown=form.shown(),
            member_id=form.member_id(),
        )
    except InvalidInput as refusal:
        return _not_saved(refusal_message(refusal.code, refusal.params))
    now = outcome.answers.get(row_key, _NO_ANSWER)
    conflict = next((c for c in outcome.conflicts if c.row_key == row_key), None)
    return JsonResponse(_row_answer(row_key, form.shown()[row_key], now, conflict, outcome))


def _row_answer(
    row_key: str,
    shown: int,
    now: ShownAnswer,
    conflict: Conflict | None,
    outcome: positions.RecordOutcome,
) -> dict[str, Any]:
    """The JSON for one row: `saved` only when the answer posted is what is stored now;
    otherwise the row as it stands (`seq`, `position`, `evidence`) for the page to show,
    with `conflict` true when the person's own change was not recorded because someone
    else changed the row first. `message` is the words to show beside the row."""
    answer: dict[str, Any] = {
        "row": row_key,
        "seq": now.seq,
        "position": now.position.value,
        "evidence": now.evidence,
        "conflict": conflict is not None,
    }
    if conflict is not None:
        message = _(
            "Someone changed this while you had the page open. Now: %(now)s. Yours: "
            "%(yours)s. The answer shown is theirs; to keep yours, choose it again."
        ) % {"now": answer_words(*conflict.now), "yours": answer_words(*conflict.yours)}
        return answer | {"saved": False, "seq": conflict.seq, "message": message}
    if row_key in outcome.recorded or now.seq == shown:
        # Recorded now, or the same as the form showed and nobody changed it since.
        return answer | {"saved": True, "message": _("Saved")}
    message = _("Someone changed this while you had the page open. It is now: %(now)s.") % {
        "now": answer_words(now.position, now.evidence)
    }
    return answer | {"saved": False, "message": message}


def answer_words(position: Position, evidence: str) -> str:
    """An answer in words: its position, and its evidence in quotes if it has any."""
    label = str(POSITION_LABELS[position])
    return f"{label}, “{evidence}”" if evidence else label


def _not_saved(message: str) -> JsonResponse:
    return JsonResponse({"saved": False, "conflict": False, "message": message}, status=400)
