"""What the views share: who may pass, how the services' errors become pages, and how a
refusal finds its form field.

`unlocked_required` is the one gate in front of every view that shows or changes an
intervention. It sends a locked visitor to unlock (or to set up, on first run; a form they posted is
carried through unlocking in the page, see `locked_post`), passes
the keyring on, and turns the services' errors into pages: an id that is not the
visitor's (or a person not on the map) is a plain 404, exactly as for an id that does
not exist; a stored record that cannot be read is the integrity page; a lost race is
the "busy" page. Nothing is skipped silently.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, TypeVar
from urllib.parse import urlencode

from django import forms
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from allymap.domain import InvalidInput, UnknownPerson
from allymap.services import accounts
from allymap.services.errors import BusyTryAgain, DamagedRecord, NotFound
from allymap.services.keyring import Keyring
from allymap.web.carry import Carried, carry_post
from allymap.web.requests import AllymapRequest
from allymap.web.words import refusal_message

P = ParamSpec("P")
View = Callable[Concatenate[AllymapRequest, P], HttpResponse]
V = TypeVar("V", bound=Callable[..., HttpResponse])

# The methods of a page that only shows (HEAD is GET without the body), and of a form.
SHOW = ["GET", "HEAD"]
FORM = ["GET", "HEAD", "POST"]


def unlocked_required(
    view: Callable[Concatenate[AllymapRequest, Keyring, P], HttpResponse],
) -> View[P]:
    """Let only an unlocked visitor through, with their keyring (see the module doc)."""

    @wraps(view)
    def wrapper(request: AllymapRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        keyring = request.keyring
        if keyring is None:
            if not accounts.account_is_set_up():
                return redirect("setup")
            if request.method == "POST":
                return locked_post(request, private=getattr(view, "never_carried", False))
            query = {"next": request.get_full_path()}
            if request.idle_locked:
                query["why"] = "idle"
            return HttpResponseRedirect(f"{reverse('unlock')}?{urlencode(query)}")
        try:
            return view(request, keyring, *args, **kwargs)
        except (NotFound, UnknownPerson):
            raise Http404 from None
        except DamagedRecord as damaged:
            # Shown as a page of its own, not an error: nothing is wrong with the request,
            # and the rest of allymap keeps working.
            return render(
                request,
                "allymap/integrity.html",
                {
                    "damage": damaged.damage,
                    "problem": damaged.problem,
                    "intervention_id": damaged.intervention_id,
                },
            )
        except BusyTryAgain:
            return render(request, "allymap/busy.html", status=503)

    # The CSRF failure view carries a lost-token post only to a page behind this gate.
    wrapper.carries_posts = not getattr(view, "never_carried", False)  # type: ignore[attr-defined]
    return wrapper


def never_carried(view: V) -> V:
    """Mark a view (under `unlocked_required`) whose posts are never carried through
    unlocking: what it takes is private (a self-check) or secret (an export's
    passphrase), so a post that arrives after the lock is dropped, and the unlock page
    says so."""
    view.never_carried = True  # type: ignore[attr-defined]
    return view


def locked_post(request: AllymapRequest, *, private: bool = False) -> HttpResponse:
    """A form posted while locked: never thrown away, never stored (`allymap.web.carry`).

    A page's own script saving in the background (a fetch, not a navigation) is told
    plainly that nothing was saved (403), so it never takes the unlock page for a
    success. A form the person posted gets the unlock page at once, carrying it.
    """
    if request.headers.get("Sec-Fetch-Mode", "navigate") != "navigate":
        return JsonResponse({"locked": True, "saved": False}, status=403)
    # Imported here: the account views import this module's gate.
    from allymap.web.views.account import locked_out

    carried = Carried(to=request.get_full_path(), private=True) if private else carry_post(request)
    return locked_out(request, carried)


def show_refusal(form: forms.Form, refusal: InvalidInput) -> None:
    """Show a domain refusal beside its form field, worded from its code.

    The reflection form names its fields ``position-<row>`` and ``evidence-<row>``, while
    a refusal about a row names the row key alone; one that matches no field is shown at
    the top of the form.
    """
    field: str | None = refusal.field
    if field not in form.fields and f"position-{field}" in form.fields:
        field = f"position-{field}"
    form.add_error(
        field if field in form.fields else None,
        refusal_message(refusal.code, refusal.params),
    )


def next_url(request: AllymapRequest) -> str:
    """Where to go after unlocking: the page asked for, if it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("interventions")
