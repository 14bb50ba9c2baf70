"""Pages that need no unlocking: the front door, about, safety, the neutral page, health."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from allymap.chart import default_chart
from allymap.services import accounts, preferences
from allymap.web.requests import AllymapRequest
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
    return render(request, "allymap/csrf_failure.html", status=403)


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
