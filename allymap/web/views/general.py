"""Pages that need no unlocking: the front door, about, the neutral page, health."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from allymap.chart import default_chart
from allymap.services import accounts
from allymap.web.requests import AllymapRequest


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
