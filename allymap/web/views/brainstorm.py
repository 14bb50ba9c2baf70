"""Brainstorm: who could help? Prompts across the person's whole life, and a box to put
several people on the map at once, one a line.

Adding is all or nothing, and a line that cannot be kept is named by its number. After
adding, the page comes back (a GET, so reloading adds nobody again) listing who was just
added by their ids in the query string (ids are random, never names), with the next step
for each: their page, and reflecting on the ten rows. Nobody is sent into the ten rows.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from allymap.domain import InvalidInput
from allymap.services import interventions, people
from allymap.services.keyring import Keyring
from allymap.web import forms
from allymap.web.requests import AllymapRequest
from allymap.web.views.guard import FORM, show_refusal, unlocked_required
from allymap.web.words import refusal_message

ADDED = "added"
"""The query parameter that lists who was just added, by id, separated by dots."""


@require_http_methods(FORM)
@unlocked_required
def brainstorm(request: AllymapRequest, keyring: Keyring, intervention_id: str) -> HttpResponse:
    form = forms.BrainstormForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            added = people.people_add_many(
                keyring=keyring,
                intervention_id=intervention_id,
                aliases=form.cleaned_data["aliases"],
                proposed_id=form.cleaned_data["once"],
            )
        except InvalidInput as refusal:
            _show(form, refusal)
        else:
            url = reverse("brainstorm", kwargs={"intervention_id": intervention_id})
            return redirect(f"{url}?{urlencode({ADDED: '.'.join(added)})}")
    overview = interventions.intervention_overview(keyring=keyring, intervention_id=intervention_id)
    just_added = set(request.GET.get(ADDED, "").split(".")) - {""}
    return render(
        request,
        "allymap/brainstorm.html",
        {
            "overview": overview,
            "form": form,
            "added": [p for p in overview.people if p.person_id in just_added],
            "others": [p for p in overview.people if p.person_id not in just_added],
        },
    )


def _show(form: forms.BrainstormForm, refusal: InvalidInput) -> None:
    """A refusal about one line names the line; others read as for any field."""
    line = refusal.params.get("line")
    if line is None:
        show_refusal(form, refusal)
        return
    params = {name: value for name, value in refusal.params.items() if name != "line"}
    form.add_error(
        "aliases",
        _("Line %(line)s: %(problem)s Nobody has been added yet: fix that line and add again.")
        % {"line": line, "problem": refusal_message(refusal.code, params)},
    )
