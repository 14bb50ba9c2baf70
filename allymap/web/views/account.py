"""First run, unlocking and recovery (locking and leaving are in `leaving`)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from allymap.services import accounts
from allymap.services.errors import (
    AccountDamage,
    AccountDamaged,
    AlreadySetUp,
    AttemptNotRecorded,
    NotSetUp,
    TooManyTries,
    WeakPassphrase,
)
from allymap.vault import WrongPassphrase, WrongRecoveryKey
from allymap.vault.kdf import KdfUnavailable
from allymap.web import forms
from allymap.web.carry import Carried, carried_in
from allymap.web.requests import AllymapRequest
from allymap.web.session import start_session
from allymap.web.views.guard import FORM, next_url
from allymap.web.words import ACCOUNT_DAMAGE_WORDS, refusal_message

# Argon2id needs 256 MiB; when the computer cannot spare it, say so plainly.
_SHORT_OF_MEMORY = gettext_lazy(
    "allymap could not check that just now: this computer is short of memory. Close "
    "some other programs or wait a moment, then try again."
)

_NOT_RECORDED = gettext_lazy(
    "allymap cannot save anything at the moment, so it did not check what you typed: it "
    "only checks after making a note of the try. If the computer’s disk is full, free "
    "some space; if another program is using allymap’s data folder, close it. Then try "
    "again."
)


def _address(request: AllymapRequest) -> str | None:
    """The client's address, for hosted mode's throttle (personal mode ignores it)."""
    return request.META.get("REMOTE_ADDR") or None


def _account_damaged(
    request: AllymapRequest, damaged: AccountDamaged, *, from_recovery: bool = False
) -> HttpResponse:
    """The account's integrity page: like the intervention's, a page of its own, not an
    error (nothing is wrong with the request, and nothing was changed).

    Recovery uses its own wrapping of the keys and writes a fresh passphrase wrapping, so
    it may still open an account whose passphrase wrapping is damaged: the page offers
    it, except after recovery itself, or for a second account (which one to open is the
    question, not how).
    """
    context = {
        "damage_words": ACCOUNT_DAMAGE_WORDS[damaged.damage],
        "problem": damaged.problem,
        "offer_recovery": not from_recovery and damaged.damage is not AccountDamage.SECOND_ACCOUNT,
    }
    return render(request, "allymap/account_integrity.html", context)


def wait_words(seconds: int) -> str:
    """ "Too many tries. Wait N seconds before trying again." (minutes from two on)."""
    if seconds < 120:
        text = ngettext(
            "Too many tries. Wait %(count)d second before trying again.",
            "Too many tries. Wait %(count)d seconds before trying again.",
            seconds,
        )
        return text % {"count": seconds}
    minutes = math.ceil(seconds / 60)
    text = ngettext(
        "Too many tries. Wait %(count)d minute before trying again.",
        "Too many tries. Wait %(count)d minutes before trying again.",
        minutes,
    )
    return text % {"count": minutes}


def _with_wait(response: HttpResponse, wait: int) -> HttpResponse:
    if wait:
        response.headers["Retry-After"] = str(wait)
    return response


@require_http_methods(FORM)
def setup(request: AllymapRequest) -> HttpResponse:
    if accounts.account_is_set_up():
        try:
            accounts.account_check()
        except AccountDamaged as damaged:
            return _account_damaged(request, damaged)
        except NotSetUp:
            pass  # removed a moment ago: home will send this visit back here
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


@dataclass(frozen=True)
class _Refused:
    """An unlock or recovery that did not open: the form shows why, with this status,
    and `wait` seconds before the next try (None: ask the throttle)."""

    status: int = 200
    wait: int | None = None


def _open_the_keys(
    request: AllymapRequest,
    form: forms.AllymapForm,
    attempt: Callable[[], accounts.Unlocked],
    *,
    wrong: tuple[type[Exception], str, str],
    then: Callable[[accounts.Unlocked], HttpResponse],
    from_recovery: bool = False,
) -> HttpResponse | _Refused:
    """Run an unlock or a recovery, and turn each way it can end into a page or a
    refusal shown on the form: the one place that knows them all.

    `wrong` is the error a wrong passphrase or key raises, the field it belongs to and
    the words for it; `then` makes the page a success shows (the session is started on
    it afterwards).
    """
    wrong_error, wrong_field, wrong_words = wrong
    try:
        unlocked = attempt()
    except wrong_error:
        form.add_error(wrong_field, wrong_words)
    except WeakPassphrase as weak:
        form.add_error("passphrase", refusal_message(weak.code, weak.params))
    except KdfUnavailable:
        form.add_error(None, str(_SHORT_OF_MEMORY))
        return _Refused(status=503)
    except TooManyTries as refused:
        return _Refused(status=429, wait=refused.wait_seconds)
    except AttemptNotRecorded:
        form.add_error(None, _NOT_RECORDED)
        return _Refused(status=503, wait=0)
    except AccountDamaged as damaged:
        return _account_damaged(request, damaged, from_recovery=from_recovery)
    except NotSetUp:
        return redirect("setup")
    else:
        response = then(unlocked)
        start_session(request, response, unlocked)
        return response
    return _Refused()


def _unlock_page(
    request: AllymapRequest,
    form: forms.AllymapForm,
    *,
    refused: _Refused,
    carried: Carried | None,
    next_path: str,
) -> HttpResponse:
    address = _address(request)
    wait = refused.wait if refused.wait is not None else accounts.unlock_wait(address=address)
    context = {
        "form": form,
        "why": request.GET.get("why", ""),
        "next": next_path,
        "wait_words": wait_words(wait) if wait else "",
        "carried": carried,
    }
    page = render(request, "allymap/unlock.html", context, status=refused.status)
    return _with_wait(page, wait)


def locked_out(request: AllymapRequest, carried: Carried) -> HttpResponse:
    """The unlock page for a visitor whose form arrived after the lock, carrying it.

    Shown at the address the form was posted to; its own form posts to the unlock page.
    """
    try:
        accounts.account_check()
    except NotSetUp:
        return redirect("setup")
    except AccountDamaged as damaged:
        return _account_damaged(request, damaged)
    form = forms.PassphraseForm()
    return _unlock_page(request, form, refused=_Refused(), carried=carried, next_path=carried.to)


def _unlocked_with(
    request: AllymapRequest, carried: Carried | None
) -> Callable[[accounts.Unlocked], HttpResponse]:
    """What a successful unlock shows: where the visitor was going, or the form they
    posted before the lock, ready to save (it says plainly that it is not saved yet)."""

    def page(unlocked: accounts.Unlocked) -> HttpResponse:
        if carried is None or not carried.held:
            return redirect(next_url(request))
        # The base page shows the lock and the idle clock to the unlocked.
        request.keyring = unlocked.keyring
        return render(request, "allymap/carried.html", {"carried": carried})

    return page


@require_http_methods(FORM)
def unlock(request: AllymapRequest) -> HttpResponse:
    try:
        accounts.account_check()
    except NotSetUp:
        return redirect("setup")
    except AccountDamaged as damaged:
        return _account_damaged(request, damaged)
    address = _address(request)
    form = forms.PassphraseForm(request.POST or None)
    carried = carried_in(request) if request.method == "POST" else None
    refused = _Refused()
    if request.method == "POST" and form.is_valid():
        outcome = _open_the_keys(
            request,
            form,
            lambda: accounts.account_unlock(
                passphrase=form.cleaned_data["passphrase"], address=address
            ),
            wrong=(
                WrongPassphrase,
                "passphrase",
                _("That passphrase did not unlock allymap. Check Caps Lock and try again."),
            ),
            then=_unlocked_with(request, carried),
        )
        if isinstance(outcome, HttpResponse):
            return outcome
        refused = outcome
    next_path = request.POST.get("next") or request.GET.get("next", "")
    return _unlock_page(request, form, refused=refused, carried=carried, next_path=next_path)


@require_http_methods(FORM)
def recover(request: AllymapRequest) -> HttpResponse:
    try:
        accounts.account_check(recovery=True)
    except NotSetUp:
        return redirect("setup")
    except AccountDamaged as damaged:
        return _account_damaged(request, damaged, from_recovery=True)
    address = _address(request)
    form = forms.RecoverForm(request.POST or None)
    refused = _Refused()
    if request.method == "POST" and form.is_valid():
        # A success ends every older session with the new passphrase (the services do
        # it): whoever held one, on another device, unlocks again.
        outcome = _open_the_keys(
            request,
            form,
            lambda: accounts.account_recover(
                recovery_key=form.cleaned_data["recovery_key"],
                new_passphrase=form.cleaned_data["passphrase"],
                address=address,
            ),
            wrong=(
                WrongRecoveryKey,
                "recovery_key",
                _("That recovery key did not match. Check it against your printed sheet."),
            ),
            then=lambda _unlocked: redirect("interventions"),
            from_recovery=True,
        )
        if isinstance(outcome, HttpResponse):
            return outcome
        refused = outcome
    wait = refused.wait if refused.wait is not None else accounts.unlock_wait(address=address)
    context = {"form": form, "wait_words": wait_words(wait) if wait else ""}
    page = render(request, "allymap/recover.html", context, status=refused.status)
    return _with_wait(page, wait)
