"""A person's page: what the team recorded about them, and marking a difference on a row
as talked through.

The page (`person`) shows the rows first, each member's answer in the chart's words,
then the counts, the rows the team sees differently (each with a small form), other
ways they could help, consent and the history, a page of it at a time (`?history=2`
for the next older page, everything else on the page the same). The form posts to
`talked_through`, which marks the row once however often it is posted, then sends the
browser back to the page, which says so only when the row really is marked. A post that
cannot be kept shows the page again with the error beside the form it came from.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from allymap.domain import InvalidInput
from allymap.services import summary
from allymap.services.keyring import Keyring
from allymap.services.summary import PersonSummary
from allymap.web import forms
from allymap.web.paging import page_asked
from allymap.web.requests import AllymapRequest
from allymap.web.views import pictures
from allymap.web.views.guard import show_refusal, unlocked_required

# The domain names the fields of a refusal its own way; the form's names for them.
_FIELDS = {"member_id": "member", "row_key": "row"}


@require_safe
@unlocked_required
def person(
    request: AllymapRequest, keyring: Keyring, intervention_id: str, person_id: str
) -> HttpResponse:
    # ?history=<n> is the page of their history, 1 the newest (no such page: 404).
    reading = summary.person_summary(
        keyring=keyring,
        intervention_id=intervention_id,
        person_id=person_id,
        history_page=page_asked(request.GET, "history"),
    )
    # Said only when the row named really is marked: never "done" about what was not.
    key = request.GET.get("talked", "")
    just_talked = next((r for r in reading.rows if r.row.key == key and r.talked), None)
    return _page(request, keyring, reading, just_talked=just_talked)


@require_POST
@unlocked_required
def talked_through(
    request: AllymapRequest, keyring: Keyring, intervention_id: str, person_id: str
) -> HttpResponse:
    reading = summary.person_summary(
        keyring=keyring, intervention_id=intervention_id, person_id=person_id
    )
    row_key = request.POST.get("row", "")
    form = forms.TalkedThroughForm(request.POST, members=reading.members, row=row_key)
    if form.is_valid():
        try:
            summary.difference_talked_through(
                keyring=keyring,
                intervention_id=intervention_id,
                person_id=person_id,
                row_key=form.cleaned_data["row"],
                member_id=form.cleaned_data["member"] or None,
                note=form.cleaned_data["note"],
            )
        except InvalidInput as refusal:
            field = _FIELDS.get(refusal.field, refusal.field)
            show_refusal(form, InvalidInput(field, refusal.code, params=refusal.params))
        else:
            url = reverse(
                "person", kwargs={"intervention_id": intervention_id, "person_id": person_id}
            )
            row = form.cleaned_data["row"]
            return HttpResponseRedirect(f"{url}?{urlencode({'talked': row})}#talked-{row}")
    return _page(request, keyring, reading, bound=form)


def _page(
    request: AllymapRequest,
    keyring: Keyring,
    reading: PersonSummary,
    *,
    bound: forms.TalkedThroughForm | None = None,
    just_talked: summary.SummaryRow | None = None,
) -> HttpResponse:
    """The person's page, with a form for each row to talk about (`bound`, a form that
    was posted and refused, in place of its row's)."""
    bound_row = bound.data.get("row", "") if bound is not None else ""
    talks = [
        (
            row,
            bound
            if bound is not None and bound_row == row.row.key
            else forms.TalkedThroughForm(members=reading.members, row=row.row.key),
        )
        for row in reading.to_talk_about
    ]
    # A refused post about a row that is not (or no longer) one to talk about still
    # says what went wrong, at the top of the page.
    stray = bound if bound is not None and all(form is not bound for _row, form in talks) else None
    return render(
        request,
        "allymap/person.html",
        {
            "reading": reading,
            "talks": talks,
            "stray": stray,
            "just_talked": just_talked,
            "differing": sum(1 for row in reading.rows if row.differs),
            "talked_rows": [row for row in reading.rows if row.talked and not row.to_talk_about],
            "strip": pictures.strip_for(
                keyring, reading.heading.intervention_id, reading.person_id
            ),
        },
    )
