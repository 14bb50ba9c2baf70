"""Reflecting on a person against the rows of the chart."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from allymap.domain import InvalidInput
from allymap.services import positions
from allymap.services.keyring import Keyring
from allymap.web import forms
from allymap.web.requests import AllymapRequest
from allymap.web.views.guard import FORM, show_refusal, unlocked_required


@require_http_methods(FORM)
@unlocked_required
def reflect(
    request: AllymapRequest, keyring: Keyring, intervention_id: str, person_id: str
) -> HttpResponse:
    reading = positions.reflect_reading(
        keyring=keyring, intervention_id=intervention_id, person_id=person_id
    )
    form = forms.ReflectForm(request.POST or None, chart=reading.chart, answers=reading.answers)
    if request.method == "POST" and form.is_valid():
        try:
            positions.positions_record(
                keyring=keyring,
                intervention_id=intervention_id,
                person_id=person_id,
                positions=form.positions(),
            )
        except InvalidInput as refusal:
            show_refusal(form, refusal)
        else:
            return redirect("person", intervention_id=intervention_id, person_id=person_id)
    return render(request, "allymap/reflect.html", {"reading": reading, "form": form})
