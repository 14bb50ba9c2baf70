"""The self-check: a team member reflects on themselves against the rows of the chart,
in the first person, before taking a role.

It is theirs alone. Posted with "keep", it is sealed to the account's own key
(`services.selfcheck.self_check_keep`); posted with "show", nothing at all is stored: the
answers come back on the page and are gone when it is left. A kept one can be taken away
(`discard`). Nothing here is ever shown to anyone else, exported or printed.

A kept one is never shown on a plain page load: in personal mode everyone at a hui may
use the one unlocked account, so its answers (and the form filled with them, to go
through it again) are shown only in the answer to a post of the account's passphrase
(`action` "open" or "again"), checked through the unlock throttle. Being opened is
never remembered: the next page load is sealed again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django import forms as django_forms
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from allymap.chart import Position, Row
from allymap.domain import InvalidInput
from allymap.services import accounts, selfcheck
from allymap.services.errors import AccountDamaged, AttemptNotRecorded, NotSetUp, TooManyTries
from allymap.services.keyring import Keyring
from allymap.services.selfcheck import SelfCheckReading
from allymap.vault import WrongPassphrase
from allymap.vault.kdf import KdfUnavailable
from allymap.web import forms
from allymap.web.forms.selfcheck import AGAIN, OPEN
from allymap.web.requests import AllymapRequest
from allymap.web.selfcheck_words import SELF_POSITION_LABELS, SelfRow, self_rows_for
from allymap.web.views.account import wait_words
from allymap.web.views.guard import FORM, never_carried, show_refusal, unlocked_required

# Answers on the other side of a row: things to get support with (row 6).
_SUPPORT_WITH = {Position.LEANS_IN_THE_WAY, Position.IN_THE_WAY}


@dataclass(frozen=True)
class RowView:
    """One row of the form: the chart's row, its first-person words (None for a chart
    whose rows allymap has no first-person words for), and its fields."""

    row: Row
    own: SelfRow | None
    position: django_forms.BoundField
    evidence: django_forms.BoundField


@dataclass(frozen=True)
class AnswerLine:
    """One row of a self-check shown back: the answer in the person's own words."""

    row: Row
    position: Position
    label: str
    words: str


@require_http_methods(FORM)
@unlocked_required
@never_carried
def self_check(request: AllymapRequest, keyring: Keyring, intervention_id: str) -> HttpResponse:
    # Read first, for a post too: an account not on the team gets a 404, never a save.
    reading = selfcheck.self_check_reading(keyring=keyring, intervention_id=intervention_id)
    url = reverse("self_check", kwargs={"intervention_id": intervention_id})
    if request.method != "POST":
        # Never the kept answers here: only that one is kept, and the way to open it.
        blank = forms.SelfCheckForm(chart=reading.chart)
        return _page(
            request,
            reading,
            blank,
            sealed=reading.kept,
            taken=request.GET.get("taken") == "1" and not reading.kept,
        )
    action = request.POST.get("action")
    if action in (OPEN, AGAIN):
        if not reading.kept:  # taken away meanwhile: nothing to open
            return redirect(url)
        return _open(request, keyring, reading, again=action == AGAIN)
    if "discard" in request.POST:
        selfcheck.self_check_discard(keyring=keyring, intervention_id=intervention_id)
        return redirect(f"{url}?taken=1")
    form = forms.SelfCheckForm(request.POST, chart=reading.chart)
    if not form.is_valid():
        return _page(request, reading, form)
    if not form.keeps():
        # Nothing is stored: the answers only come back on this page.
        return _page(request, reading, form, shown=_lines(reading, form.answers()))
    try:
        selfcheck.self_check_keep(
            keyring=keyring, intervention_id=intervention_id, answers=form.answers()
        )
    except InvalidInput as refusal:
        show_refusal(form, refusal)
        return _page(request, reading, form)
    return redirect(f"{url}#kept-heading")


def _lines(
    reading: SelfCheckReading, answers: Mapping[str, tuple[Position, str]]
) -> list[AnswerLine]:
    """The answers in chart order, each worded for oneself."""
    return [
        AnswerLine(row, position, str(SELF_POSITION_LABELS[position]), words)
        for row in reading.chart.rows
        if row.key in answers
        for position, words in [answers[row.key]]
    ]


def _open(
    request: AllymapRequest, keyring: Keyring, reading: SelfCheckReading, *, again: bool
) -> HttpResponse:
    """The kept self-check, opened (or, `again`, the form filled with it) in this response
    only, once the account's passphrase is confirmed; otherwise the sealed page, saying
    why and showing nothing of it."""
    unlock = forms.PassphraseForm(request.POST)
    status = 200
    if unlock.is_valid():
        try:
            accounts.passphrase_confirm(
                account_id=keyring.account_id,
                passphrase=unlock.cleaned_data["passphrase"],
                address=request.META.get("REMOTE_ADDR") or None,
            )
        except WrongPassphrase:
            unlock.add_error(
                "passphrase",
                _(
                    "That is not this account’s passphrase, so the self-check stays sealed. "
                    "Check Caps Lock and try again."
                ),
            )
        except TooManyTries as refused:
            status = 429
            unlock.add_error(
                "passphrase",
                _("There have been too many tries. You can try again in %(wait)s.")
                % {"wait": wait_words(refused.wait_seconds)},
            )
        except (AttemptNotRecorded, KdfUnavailable):
            status = 503
            unlock.add_error(
                None,
                _(
                    "allymap cannot check a passphrase at the moment, so the self-check "
                    "stays sealed. Close other programs and try again in a little while."
                ),
            )
        except (AccountDamaged, NotSetUp):
            status = 503
            unlock.add_error(
                None,
                _(
                    "allymap cannot open this account’s keys here, so the self-check stays "
                    "sealed. Lock allymap and unlock it again to see what is wrong."
                ),
            )
        else:
            filled = forms.SelfCheckForm(chart=reading.chart, answers=reading.answers)
            if again:
                return _page(request, reading, filled)
            return _page(request, reading, filled, kept=True)
    blank = forms.SelfCheckForm(chart=reading.chart)
    return _page(request, reading, blank, sealed=True, unlock=unlock, status=status)


def _page(
    request: AllymapRequest,
    reading: SelfCheckReading,
    form: forms.SelfCheckForm,
    *,
    kept: bool = False,
    sealed: bool = False,
    unlock: forms.PassphraseForm | None = None,
    taken: bool = False,
    shown: list[AnswerLine] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The page in one of its states: a kept self-check still sealed, with the way to
    open it (`sealed`, `unlock` the passphrase form), opened (`kept`: only after its
    passphrase), answers just shown and not kept (`shown`), or the form (after one was
    taken away: `taken`)."""
    lines = shown if shown is not None else _lines(reading, reading.answers) if kept else []
    own_rows = self_rows_for(reading.heading.perspective)
    context: dict[str, Any] = {
        "reading": reading,
        "form": form,
        "rows": [
            RowView(row, own_rows.get(row.key), position, evidence)
            for row, position, evidence in form.rows()
        ],
        "kept": kept,
        "sealed": sealed and not kept,
        "unlock": unlock if unlock is not None else forms.PassphraseForm(),
        "taken": taken,
        "shown": shown is not None,
        "lines": lines,
        "support_with": [line for line in lines if line.position in _SUPPORT_WITH],
        "not_known": [line for line in lines if line.position is Position.UNKNOWN],
        "keep_errors": form.errors.get("keep", []),
    }
    return render(request, "allymap/self_check.html", context, status=status)
