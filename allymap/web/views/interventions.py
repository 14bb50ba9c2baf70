"""My interventions, starting one, an intervention's overview, and renaming or archiving it."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from allymap.domain import InvalidInput, Perspective
from allymap.services import interventions
from allymap.services.keyring import Keyring
from allymap.web import forms
from allymap.web.requests import AllymapRequest
from allymap.web.views.guard import FORM, show_refusal, unlocked_required


@require_safe
@unlocked_required
def intervention_list(request: AllymapRequest, keyring: Keyring) -> HttpResponse:
    lines = interventions.interventions_list(keyring=keyring)
    # Archived ones are listed apart, under a heading of their own, still openable.
    return render(
        request,
        "allymap/interventions.html",
        {
            "interventions": [line for line in lines if not line.archived],
            "archived": [line for line in lines if line.archived],
        },
    )


@require_http_methods(FORM)
@unlocked_required
def intervention_start(request: AllymapRequest, keyring: Keyring) -> HttpResponse:
    form = forms.StartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["danger"] == "yes":
            return render(request, "allymap/safety.html", {"form": form})
        try:
            intervention_id = interventions.intervention_start(
                keyring=keyring,
                code_name=form.cleaned_data["code_name"],
                doing_harm_alias=form.cleaned_data["doing_harm_alias"],
                harmed_alias=form.cleaned_data["harmed_alias"],
                perspective=form.cleaned_data["perspective"] or Perspective.TEAM.value,
                proposed_id=form.cleaned_data["once"],
            )
        except InvalidInput as refusal:
            show_refusal(form, refusal)
        else:
            return redirect("intervention", intervention_id=intervention_id)
    return render(request, "allymap/intervention_start.html", {"form": form})


@require_safe
@unlocked_required
def intervention(request: AllymapRequest, keyring: Keyring, intervention_id: str) -> HttpResponse:
    overview = interventions.intervention_overview(keyring=keyring, intervention_id=intervention_id)
    # The gaps panel folds all but the first few gaps of each kind unless asked (?gaps=all).
    all_gaps = request.GET.get("gaps") == "all"
    return render(
        request, "allymap/intervention.html", {"overview": overview, "all_gaps": all_gaps}
    )


@require_POST
@unlocked_required
def intervention_records(request: AllymapRequest, keyring: Keyring) -> HttpResponse:
    """Settle a record allymap reported: use a restored older copy as it is, or stop
    listing an intervention whose rows are gone. Only ever about this account's own."""
    intervention_id = request.POST.get("intervention_id", "")
    action = request.POST.get("action", "")
    if action == "accept":
        interventions.intervention_accept_as_is(keyring=keyring, intervention_id=intervention_id)
        return redirect("intervention", intervention_id=intervention_id)
    if action == "unlist":
        interventions.intervention_unlist(keyring=keyring, intervention_id=intervention_id)
    return redirect("interventions")


@require_http_methods(FORM)
@unlocked_required
def intervention_change(
    request: AllymapRequest, keyring: Keyring, intervention_id: str
) -> HttpResponse:
    """Rename an intervention or change its aliases; archive it, or bring it back.

    The archive buttons post ``archive=yes`` or ``archive=no`` (and nothing else is
    read from such a post): archiving goes to My interventions, where it is listed
    apart; bringing back goes to its overview.
    """
    archive = request.POST.get("archive") if request.method == "POST" else None
    if archive in ("yes", "no"):
        interventions.intervention_archive(
            keyring=keyring, intervention_id=intervention_id, archived=archive == "yes"
        )
        if archive == "yes":
            return redirect("interventions")
        return redirect("intervention", intervention_id=intervention_id)
    details = interventions.intervention_details(keyring=keyring, intervention_id=intervention_id)
    form = forms.InterventionChangeForm(
        request.POST if request.method == "POST" else None,
        initial={
            "code_name": details.code_name,
            "doing_harm_alias": details.doing_harm_alias,
            "harmed_alias": details.harmed_alias,
        },
        perspective=details.heading.perspective,
    )
    if form.is_valid():
        try:
            interventions.intervention_change(
                keyring=keyring, intervention_id=intervention_id, **form.cleaned_data
            )
        except InvalidInput as refusal:
            show_refusal(form, refusal)
        else:
            return redirect("intervention", intervention_id=intervention_id)
    return render(request, "allymap/intervention_change.html", {"details": details, "form": form})
