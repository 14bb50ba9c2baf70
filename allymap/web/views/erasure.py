"""Forgetting a person and destroying an intervention, each behind a page that asks.

Both erase for good (allymap/services/erasure.py), so each has a page of its own that
says what goes and that it cannot be undone, and acts only on a POST that carries the
confirmation: a tick to forget one person, the code name typed to destroy everything.
A visit (GET or HEAD) changes nothing.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from allymap.services import erasure
from allymap.services.keyring import Keyring
from allymap.web import forms
from allymap.web.requests import AllymapRequest
from allymap.web.views.guard import FORM, unlocked_required


@require_http_methods(FORM)
@unlocked_required
def person_forget(
    request: AllymapRequest, keyring: Keyring, intervention_id: str, person_id: str
) -> HttpResponse:
    reading = erasure.forget_reading(
        keyring=keyring, intervention_id=intervention_id, person_id=person_id
    )
    form = forms.ForgetForm(request.POST if request.method == "POST" else None, alias=reading.alias)
    if form.is_valid():
        erasure.person_forget(keyring=keyring, intervention_id=intervention_id, person_id=person_id)
        return redirect("intervention", intervention_id=intervention_id)
    return render(request, "allymap/person_forget.html", {"reading": reading, "form": form})


@require_http_methods(FORM)
@unlocked_required
def intervention_destroy(
    request: AllymapRequest, keyring: Keyring, intervention_id: str
) -> HttpResponse:
    reading = erasure.destroy_reading(keyring=keyring, intervention_id=intervention_id)
    form = forms.DestroyForm(
        request.POST if request.method == "POST" else None,
        code_name=reading.heading.code_name,
    )
    if form.is_valid():
        erasure.intervention_destroy(keyring=keyring, intervention_id=intervention_id)
        return redirect("interventions")
    return render(request, "allymap/intervention_destroy.html", {"reading": reading, "form": form})
