"""Views: parse the form, call one service, render. Nothing else lives here.

Every view that shows an intervention takes its id from the URL and hands it to the
services, which check membership (allymap.services.access); an outsider gets the same
404 as for an id that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from allymap.chart import Position, chart_by_id, default_chart
from allymap.domain import DomainError, InvalidInput, UnknownPerson
from allymap.services import accounts, interventions
from allymap.services.errors import AlreadySetUp, BusyTryAgain, NotFound, WeakPassphrase
from allymap.services.keyring import Keyring
from allymap.vault import VaultError, WrongPassphrase, WrongRecoveryKey
from allymap.web import forms
from allymap.web.labels import (
    POSITION_LABELS,
    POSITION_MARKS,
    WEAK_PASSPHRASE_MESSAGES,
    invalid_input_message,
)
from allymap.web.middleware import end_session, start_session

P = ParamSpec("P")
View = Callable[Concatenate[HttpRequest, P], HttpResponse]


def unlocked_required(
    view: Callable[Concatenate[HttpRequest, Keyring, P], HttpResponse],
) -> View[P]:
    """Send a locked visitor to unlock (or to set up, on first run); pass the keyring on.

    Tampering found while opening an intervention is reported on a page of its own,
    never skipped; an id that is not the visitor's is a plain 404.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        keyring: Keyring | None = getattr(request, "keyring", None)
        if keyring is None:
            if not accounts.account_is_set_up():
                return redirect("setup")
            query = {"next": request.get_full_path()}
            if getattr(request, "idle_locked", False):
                query["why"] = "idle"
            return HttpResponseRedirect(f"{reverse('unlock')}?{urlencode(query)}")
        try:
            return view(request, keyring, *args, **kwargs)
        except (NotFound, UnknownPerson):
            raise Http404 from None
        except VaultError as problem:
            return render(request, "allymap/integrity.html", {"problem": str(problem)}, status=500)
        except BusyTryAgain:
            return render(request, "allymap/busy.html", status=503)

    return wrapper


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("interventions")


# --- first run, unlock, lock, exit ------------------------------------------------------


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if getattr(request, "keyring", None) is not None:
        return redirect("interventions")
    return redirect("unlock" if accounts.account_is_set_up() else "setup")


@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    if accounts.account_is_set_up():
        return redirect("home")
    form = forms.NewPassphraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            unlocked, recovery_key = accounts.account_create(
                passphrase=form.cleaned_data["passphrase"]
            )
        except WeakPassphrase as weak:
            form.add_error("passphrase", str(WEAK_PASSPHRASE_MESSAGES[weak.code]))
        except AlreadySetUp:
            return redirect("home")
        else:
            response = render(
                request, "allymap/recovery_sheet.html", {"recovery_key": recovery_key}
            )
            start_session(request, response, unlocked)
            return response
    return render(request, "allymap/setup.html", {"form": form})


@require_http_methods(["GET", "POST"])
def unlock(request: HttpRequest) -> HttpResponse:
    if not accounts.account_is_set_up():
        return redirect("setup")
    form = forms.PassphraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            unlocked = accounts.account_unlock(passphrase=form.cleaned_data["passphrase"])
        except WrongPassphrase:
            form.add_error(
                "passphrase",
                _("That passphrase did not unlock allymap. Check Caps Lock and try again."),
            )
        else:
            response = redirect(_next_url(request))
            start_session(request, response, unlocked)
            return response
    context = {"form": form, "why": request.GET.get("why", ""), "next": request.GET.get("next", "")}
    return render(request, "allymap/unlock.html", context)


@require_http_methods(["GET", "POST"])
def recover(request: HttpRequest) -> HttpResponse:
    if not accounts.account_is_set_up():
        return redirect("setup")
    form = forms.RecoverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            unlocked = accounts.account_recover(
                recovery_key=form.cleaned_data["recovery_key"],
                new_passphrase=form.cleaned_data["passphrase"],
            )
        except WeakPassphrase as weak:
            form.add_error("passphrase", str(WEAK_PASSPHRASE_MESSAGES[weak.code]))
        except WrongRecoveryKey:
            form.add_error(
                "recovery_key",
                _("That recovery key did not match. Check it against your printed sheet."),
            )
        else:
            response = redirect("interventions")
            start_session(request, response, unlocked)
            return response
    return render(request, "allymap/recover.html", {"form": form})


@require_POST
def lock(request: HttpRequest) -> HttpResponse:
    response = HttpResponseRedirect(f"{reverse('unlock')}?why=locked")
    end_session(request, response)
    return response


@require_POST
def keepalive(request: HttpRequest) -> HttpResponse:
    """Tell the server the person is still at work (typing a long answer, say), so the
    idle lock counts from their last keystroke, not their last page. The keyring
    middleware has already refreshed the session; a locked visitor gets 403."""
    if getattr(request, "keyring", None) is None:
        return HttpResponse(status=403)
    return HttpResponse(status=204)


@require_http_methods(["GET", "POST"])
def quick_exit(request: HttpRequest) -> HttpResponse:
    """Lock, tell the browser to forget this site, and go somewhere neutral.

    A GET on purpose: the button must work as a plain link, without JavaScript. The
    worst a forged request can do is lock allymap.
    """
    response = HttpResponseRedirect(settings.ALLYMAP_EXIT_URL)
    end_session(request, response)
    response.headers["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response


@require_GET
def away(request: HttpRequest) -> HttpResponse:
    return render(request, "allymap/away.html")


@require_GET
def about(request: HttpRequest) -> HttpResponse:
    return render(request, "allymap/about.html", {"chart": default_chart()})


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "allymap/csrf_failure.html", status=403)


# --- interventions ----------------------------------------------------------------------


@require_GET
@unlocked_required
def intervention_list(request: HttpRequest, keyring: Keyring) -> HttpResponse:
    return render(
        request,
        "allymap/interventions.html",
        {"interventions": interventions.interventions_list(keyring)},
    )


def _form_errors_from(form: Any, problem: InvalidInput) -> None:
    """Show a domain refusal beside its field (reflect rows name the row key alone)."""
    field = problem.field
    if field not in form.fields and f"position-{field}" in form.fields:
        field = f"position-{field}"
    form.add_error(
        field if field in form.fields else None,
        invalid_input_message(problem.code, problem.params),
    )


@require_http_methods(["GET", "POST"])
@unlocked_required
def intervention_start(request: HttpRequest, keyring: Keyring) -> HttpResponse:
    form = forms.StartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["danger"] == "yes":
            return render(request, "allymap/safety.html", {"form": form})
        try:
            intervention_id = interventions.intervention_start(
                keyring,
                code_name=form.cleaned_data["code_name"],
                doing_harm_alias=form.cleaned_data["doing_harm_alias"],
                harmed_alias=form.cleaned_data["harmed_alias"],
            )
        except InvalidInput as problem:
            _form_errors_from(form, problem)
        else:
            return redirect("intervention", intervention_id=intervention_id)
    return render(request, "allymap/intervention_start.html", {"form": form})


@require_GET
@unlocked_required
def intervention(request: HttpRequest, keyring: Keyring, intervention_id: str) -> HttpResponse:
    state = interventions.intervention_open(keyring, intervention_id)
    return render(request, "allymap/intervention.html", {"state": state})


@require_http_methods(["GET", "POST"])
@unlocked_required
def person_add(request: HttpRequest, keyring: Keyring, intervention_id: str) -> HttpResponse:
    state = interventions.intervention_open(keyring, intervention_id)
    form = forms.PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person_id = interventions.person_add(
                keyring,
                intervention_id,
                alias=form.cleaned_data["alias"],
                relationship=form.cleaned_data["relationship"],
            )
        except InvalidInput as problem:
            _form_errors_from(form, problem)
        else:
            return redirect("reflect", intervention_id=intervention_id, person_id=person_id)
    return render(request, "allymap/person_add.html", {"state": state, "form": form})


@require_http_methods(["GET", "POST"])
@unlocked_required
def reflect(
    request: HttpRequest, keyring: Keyring, intervention_id: str, person_id: str
) -> HttpResponse:
    state = interventions.intervention_open(keyring, intervention_id)
    person = state.person(person_id)
    chart = chart_by_id(state.chart_id, state.chart_version)
    mine = interventions.positions_of(state, person_id=person_id, assessor=keyring.account_id)
    initial: dict[str, str] = {}
    for row_key, entry in mine.items():
        initial[f"position-{row_key}"] = entry.position.value
        initial[f"evidence-{row_key}"] = entry.evidence
    form = forms.ReflectForm(request.POST or None, initial=initial, chart=chart)
    if request.method == "POST" and form.is_valid():
        try:
            interventions.positions_record(
                keyring, intervention_id, person_id=person_id, positions=form.positions()
            )
        except InvalidInput as problem:
            _form_errors_from(form, problem)
        except DomainError:
            raise Http404 from None
        else:
            return redirect("person", intervention_id=intervention_id, person_id=person_id)
    context = {"state": state, "person": person, "chart": chart, "form": form}
    return render(request, "allymap/reflect.html", context)


@require_GET
@unlocked_required
def person(
    request: HttpRequest, keyring: Keyring, intervention_id: str, person_id: str
) -> HttpResponse:
    state = interventions.intervention_open(keyring, intervention_id)
    reflection = interventions.person_reflection(state, person_id=person_id)
    assessor_names = {
        assessor: _("You") if assessor == keyring.account_id else _("Another team member")
        for assessor in reflection.assessors
    }
    columns = [
        {
            "position": position,
            "label": POSITION_LABELS[position],
            "mark": POSITION_MARKS[position],
            "count": reflection.counts[position],
            "rows": [
                {
                    "row": row.row,
                    "entries": [
                        {"who": assessor_names[a.assessor], "evidence": a.evidence}
                        for a in row.assessments
                        if a.position is position
                    ],
                    "disagreement": row.disagreement,
                }
                for row in rows
            ],
        }
        for position, rows in reflection.by_column().items()
        if position is not Position.UNKNOWN
    ]
    context = {
        "state": state,
        "person": state.person(person_id),
        "reflection": reflection,
        "columns": columns,
        "leans_in_the_way": reflection.counts[Position.IN_THE_WAY]
        + reflection.counts[Position.LEANS_IN_THE_WAY]
        > 0,
        "labels": POSITION_LABELS,
    }
    return render(request, "allymap/person.html", context)
