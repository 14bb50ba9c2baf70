"""First run, unlocking and recovery (locking and leaving are in `leaving`)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from allymap.services import accounts
from allymap.services.errors import AlreadySetUp, WeakPassphrase
from allymap.vault import WrongPassphrase, WrongRecoveryKey
from allymap.web import forms
from allymap.web.requests import AllymapRequest
from allymap.web.session import start_session
from allymap.web.views.guard import FORM, next_url
from allymap.web.words import refusal_message


@require_http_methods(FORM)
def setup(request: AllymapRequest) -> HttpResponse:
    if accounts.account_is_set_up():
        return redirect("home")
    form = forms.NewPassphraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            unlocked, recovery_key = accounts.account_create(
                passphrase=form.cleaned_data["passphrase"]
            )
        except WeakPassphrase as weak:
            form.add_error("passphrase", refusal_message(weak.code, weak.params))
        except AlreadySetUp:
            return redirect("home")
        else:
            response = render(
                request, "allymap/recovery_sheet.html", {"recovery_key": recovery_key}
            )
            start_session(request, response, unlocked)
            return response
    context = {"form": form, "passphrase_min": accounts.PASSPHRASE_MIN}
    return render(request, "allymap/setup.html", context)


@require_http_methods(FORM)
def unlock(request: AllymapRequest) -> HttpResponse:
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
            response = redirect(next_url(request))
            start_session(request, response, unlocked)
            return response
    context = {"form": form, "why": request.GET.get("why", ""), "next": request.GET.get("next", "")}
    return render(request, "allymap/unlock.html", context)


@require_http_methods(FORM)
def recover(request: AllymapRequest) -> HttpResponse:
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
            form.add_error("passphrase", refusal_message(weak.code, weak.params))
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
