"""Adding a person to the map, changing their details and consent, and taking them off
the map. A person's page (their summary) is allymap/web/views/summary.py.

Adding someone leads to their page, not straight into the ten rows: the page offers
reflecting as the next step, and a team may add several people before reflecting on any.

Taking someone off the map keeps their history (forgetting them for good is
allymap/web/views/erasure.py), so it asks on a page of its own and acts only on a POST
that carries its button's confirmation: a visit, or a post without it, changes nothing.
"""

from __future__ import annotations

from dataclasses import asdict

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from allymap.domain import InvalidInput
from allymap.services import people, team
from allymap.services.keyring import Keyring
from allymap.web import forms
from allymap.web.requests import AllymapRequest
from allymap.web.views.guard import FORM, show_refusal, unlocked_required


@require_http_methods(FORM)
@unlocked_required
def person_add(request: AllymapRequest, keyring: Keyring, intervention_id: str) -> HttpResponse:
    reading = team.team_reading(keyring=keyring, intervention_id=intervention_id)
    form = forms.PersonForm(
        request.POST or None, members=reading.members, perspective=reading.heading.perspective
    )
    if request.method == "POST" and form.is_valid():
        try:
            person_id = people.person_add(
                keyring=keyring,
                intervention_id=intervention_id,
                details=form.details(),
                proposed_id=form.cleaned_data["once"],
            )
        except InvalidInput as refusal:
            show_refusal(form, refusal)
        else:
            return redirect("person", intervention_id=intervention_id, person_id=person_id)
    return render(request, "allymap/person_add.html", {"heading": reading.heading, "form": form})


@require_http_methods(FORM)
@unlocked_required
def person_change(
    request: AllymapRequest, keyring: Keyring, intervention_id: str, person_id: str
) -> HttpResponse:
    details = people.person_details(
        keyring=keyring, intervention_id=intervention_id, person_id=person_id
    )
    form = forms.PersonChangeForm(
        request.POST if request.method == "POST" else None,
        members=details.members,
        initial=asdict(details.details),
        perspective=details.heading.perspective,
    )
    if form.is_valid():
        try:
            people.person_change(
                keyring=keyring,
                intervention_id=intervention_id,
                person_id=person_id,
                details=form.details(),
            )
        except InvalidInput as refusal:
            show_refusal(form, refusal)
        else:
            return redirect("person", intervention_id=intervention_id, person_id=person_id)
    return render(request, "allymap/person_change.html", {"details": details, "form": form})


@require_http_methods(FORM)
@unlocked_required
def person_remove(
    request: AllymapRequest, keyring: Keyring, intervention_id: str, person_id: str
) -> HttpResponse:
    details = people.person_details(
        keyring=keyring, intervention_id=intervention_id, person_id=person_id
    )
    # The page's one button sends remove=yes: any other post shows the page again.
    if request.method == "POST" and request.POST.get("remove") == "yes":
        people.person_remove(keyring=keyring, intervention_id=intervention_id, person_id=person_id)
        return redirect("intervention", intervention_id=intervention_id)
    return render(request, "allymap/person_remove.html", {"details": details})
