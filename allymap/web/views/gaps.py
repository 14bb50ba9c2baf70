"""The gaps panel's one form: set a gap aside with a note, or show it again.

POST only. A change done goes back to the overview at the panel (``#gaps``). A refused
one (a note too long, say, or a gap that went meanwhile because its cause changed)
shows the overview again with the panel saying why, beside the gap it was about, so
nothing typed is lost. The panel itself is on the overview (`_gaps.html`).
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from allymap.domain import InvalidInput
from allymap.services import gaps as gaps_service
from allymap.services import interventions
from allymap.services.keyring import Keyring
from allymap.web import forms
from allymap.web.forms.roles import SET_ASIDE
from allymap.web.requests import AllymapRequest
from allymap.web.views.guard import show_refusal, unlocked_required


@require_POST
@unlocked_required
def gap_action(request: AllymapRequest, keyring: Keyring, intervention_id: str) -> HttpResponse:
    form = forms.GapForm(request.POST, auto_id="gap-%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["action"] == SET_ASIDE:
                gaps_service.gap_set_aside(
                    keyring=keyring,
                    intervention_id=intervention_id,
                    gap_key=data["gap"],
                    note=data["note"],
                )
            else:
                gaps_service.gap_reopen(
                    keyring=keyring, intervention_id=intervention_id, gap_key=data["gap"]
                )
        except InvalidInput as refusal:
            if refusal.field == "gap":
                form.add_error(
                    None,
                    _(
                        "This gap has gone since the page was shown: what it stood on has "
                        "changed. Nothing was set aside."
                    ),
                )
            else:
                show_refusal(form, refusal)
        else:
            url = reverse("intervention", kwargs={"intervention_id": intervention_id})
            return redirect(f"{url}#gaps")
    overview = interventions.intervention_overview(keyring=keyring, intervention_id=intervention_id)
    # Every gap listed: the refused one comes back beside its note, wherever it was.
    context = {"overview": overview, "gap_form": form, "all_gaps": True}
    return render(request, "allymap/intervention.html", context)
