"""Pages that need no unlocking: the front door, about, safety, the neutral page, health."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.views.decorators.http import require_http_methods, require_safe

from allymap.chart import default_chart
from allymap.services import accounts, preferences
from allymap.web.carry import carry_post
from allymap.web.requests import AllymapRequest
from allymap.web.views.account import locked_out
from allymap.web.views.errors import storage_failed
from allymap.web.views.guard import FORM


@require_safe
def home(request: AllymapRequest) -> HttpResponse:
    if request.keyring is not None:
        return redirect("interventions")
    return redirect("unlock" if accounts.account_is_set_up() else "setup")


@require_safe
def away(request: AllymapRequest) -> HttpResponse:
    return render(request, "allymap/away.html")


@require_safe
def about(request: AllymapRequest) -> HttpResponse:
    return render(request, "allymap/about.html", {"chart": default_chart()})


@require_safe
def healthz(request: AllymapRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def csrf_failure(request: AllymapRequest, reason: str = "") -> HttpResponse:
    """A form refused for its CSRF token: never acted on.

    A locked visitor whose token was lost with their cookies (another tab's quick exit,
    say) posting to a page behind the lock, from this site's own page (its Origin says
    so, and a browser does not let another site say it), gets the unlock page carrying
    the form instead, so their work is not lost; it is still not acted on until they
    unlock and post it again with a fresh token.
    """
    if (
        request.method == "POST"
        and getattr(request, "keyring", None) is None
        and _from_this_site(request)
        and _behind_the_lock(request.path)
        and accounts.account_is_set_up()
    ):
        return locked_out(request, carry_post(request))
    return render(request, "allymap/csrf_failure.html", status=403)


def _from_this_site(request: AllymapRequest) -> bool:
    origin = request.headers.get("Origin", "")
    return bool(origin) and origin == f"{request.scheme}://{request.get_host()}"


def _behind_the_lock(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return bool(getattr(match.func, "carries_posts", False))


@require_http_methods(FORM)
def safety(request: AllymapRequest) -> HttpResponse:
    """What allymap's safety features do and cannot do; the disguise switch."""
    if request.method == "POST" and not preferences.disguise_is_set_by_installation():
        try:
            preferences.disguise_set(on=request.POST.get("disguise") == "on")
        except OSError:
            return storage_failed(request)
        return redirect(f"{reverse('safety')}#disguise")
    context = {
        "disguise_fixed": preferences.disguise_is_set_by_installation(),
        "idle_lock_minutes": max(1, settings.ALLYMAP_IDLE_LOCK_SECONDS // 60),
    }
    return render(request, "allymap/safety_page.html", context)
