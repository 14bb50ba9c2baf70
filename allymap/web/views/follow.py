"""Following through over time: check-ins, the staircase of change, and the timeline.

Check-ins and staircase notes are each one form posted back to its own page; its `once`
token makes a double post add one entry. After adding, the page comes back as a GET (so
reloading adds nothing again), at the entry just added. The timeline only shows, a page
at a time, newest first.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from allymap.domain import InvalidInput, Refusal, UnknownPerson
from allymap.services import follow
from allymap.services.keyring import Keyring
from allymap.web import forms
from allymap.web.forms.follow import NOTHING_WRITTEN
from allymap.web.paging import page_asked
from allymap.web.requests import AllymapRequest
from allymap.web.views.guard import FORM, SHOW, show_refusal, unlocked_required
from allymap.web.words import REFUSAL_WORDS


@require_http_methods(FORM)
@unlocked_required
def check_ins(request: AllymapRequest, keyring: Keyring, intervention_id: str) -> HttpResponse:
    reading = follow.check_ins_reading(keyring=keyring, intervention_id=intervention_id)
    posted = request.POST if request.method == "POST" else None
    form = forms.CheckInForm(posted, people=reading.people)
    if posted is not None and form.is_valid():
        data = form.cleaned_data
        try:
            check_in_id = follow.check_in_add(
                keyring=keyring,
                intervention_id=intervention_id,
                on=data["on"],
                happened=data["happened"],
                wins=data["wins"],
                worries=data["worries"],
                revisit=data["revisit"],
                proposed_id=data["once"],
            )
        except InvalidInput as refusal:
            if refusal.field == "happened" and refusal.code is Refusal.REQUIRED:
                form.add_error("happened", NOTHING_WRITTEN)
            else:
                show_refusal(form, refusal)
        except UnknownPerson:
            # Taken off the map between showing the form and posting it: not a missing
            # page, a choice no longer on offer.
            form.add_error("revisit", str(REFUSAL_WORDS[Refusal.NOT_A_CHOICE]))
        else:
            url = reverse("check_ins", kwargs={"intervention_id": intervention_id})
            return redirect(f"{url}#check-in-{check_in_id}")
    return render(request, "allymap/check_ins.html", {"reading": reading, "form": form})


@require_http_methods(FORM)
@unlocked_required
def staircase(request: AllymapRequest, keyring: Keyring, intervention_id: str) -> HttpResponse:
    posted = request.POST if request.method == "POST" else None
    form = forms.StaircaseForm(posted)
    if posted is not None and form.is_valid():
        data = form.cleaned_data
        try:
            follow.staircase_note(
                keyring=keyring,
                intervention_id=intervention_id,
                step=data["step"],
                on=data["on"],
                text=data["text"],
                proposed_id=data["once"],
            )
        except InvalidInput as refusal:
            show_refusal(form, refusal)
        else:
            url = reverse("staircase", kwargs={"intervention_id": intervention_id})
            return redirect(f"{url}#notes")
    reading = follow.staircase_reading(keyring=keyring, intervention_id=intervention_id)
    form.worded_for(reading.heading.perspective)
    return render(request, "allymap/staircase.html", {"reading": reading, "form": form})


@require_http_methods(SHOW)
@unlocked_required
def timeline(request: AllymapRequest, keyring: Keyring, intervention_id: str) -> HttpResponse:
    # ?show=<kind> shows one kind alone (a link: no script needed); anything else, all.
    # ?page=<n> is the page of it, 1 the newest (a page that does not exist: 404).
    shown = request.GET.get("show", "")
    kinds = [shown] if shown in follow.TIMELINE_KINDS else []
    reading = follow.timeline_reading(
        keyring=keyring,
        intervention_id=intervention_id,
        kinds=kinds,
        page=page_asked(request.GET, "page"),
    )
    return render(
        request,
        "allymap/timeline.html",
        {
            "reading": reading,
            "shown": kinds[0] if kinds else "",
            # Kept in the links to the other pages: paging keeps the kind shown.
            "keep": urlencode({"show": kinds[0]}) if kinds else "",
        },
    )
