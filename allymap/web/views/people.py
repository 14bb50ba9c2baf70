"""Adding a person to the map, and a person's page."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from allymap.domain import InvalidInput
from allymap.services import interventions, people
from allymap.services.keyring import Keyring
from allymap.web import forms
from allymap.web.requests import AllymapRequest
from allymap.web.views.guard import FORM, show_refusal, unlocked_required


@require_http_methods(FORM)
@unlocked_required
def person_add(request: AllymapRequest, keyring: Keyring, intervention_id: str) -> HttpResponse:
    heading = interventions.intervention_heading(keyring=keyring, intervention_id=intervention_id)
    form = forms.PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person_id = people.person_add(
                keyring=keyring,
                intervention_id=intervention_id,
                alias=form.cleaned_data["alias"],
                relationship=form.cleaned_data["relationship"],
                proposed_id=form.cleaned_data["once"],
            )
        except InvalidInput as refusal:
            show_refusal(form, refusal)
        else:
            return redirect("reflect", intervention_id=intervention_id, person_id=person_id)
    return render(request, "allymap/person_add.html", {"heading": heading, "form": form})


@require_safe
@unlocked_required
def person(
    request: AllymapRequest, keyring: Keyring, intervention_id: str, person_id: str
) -> HttpResponse:
    reading = people.person_reading(
        keyring=keyring, intervention_id=intervention_id, person_id=person_id
    )
    return render(request, "allymap/person.html", {"reading": reading})
