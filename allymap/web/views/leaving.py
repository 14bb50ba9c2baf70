"""Locking, the quick exit, and the shared idle clock: none of them waits on the database."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from allymap.services import sessions
from allymap.web.requests import AllymapRequest
from allymap.web.session import end_session
from allymap.web.views.guard import FORM


@require_POST
def lock(request: AllymapRequest) -> HttpResponse:
    """Lock now: end the session and go to the unlock page.

    The CSRF cookie is kept (`keep_csrf`), so the lock form of every other open tab still
    works when its own idle timer runs out.
    """
    why = "idle" if request.POST.get("why") == "idle" else "locked"
    response = HttpResponseRedirect(f"{reverse('unlock')}?why={why}")
    end_session(request, response, keep_csrf=True)
    return response


@require_POST
def keepalive(request: AllymapRequest) -> HttpResponse:
    """Tell the server the person is still at work (typing a long answer, say), so the
    idle clock, which all tabs share, counts from their last keystroke, not their last
    page. The keyring middleware has already refreshed it; a locked visitor gets 403."""
    if request.keyring is None:
        return HttpResponse(status=403)
    return HttpResponse(status=204)


@require_safe
def idle(request: AllymapRequest) -> HttpResponse:
    """How long until the shared idle clock locks, without counting as activity.

    A tab whose own timer ran out asks this before it locks, so an idle tab does not lock
    the session while the person types in another.
    """
    if request.keyring is None:
        return JsonResponse({"seconds_left": 0}, status=403)
    return JsonResponse({"seconds_left": int(sessions.idle_seconds_left(request.session))})


@require_http_methods(FORM)
def quick_exit(request: AllymapRequest) -> HttpResponse:
    """Lock, tell the browser to forget this site, and go somewhere neutral.

    A GET on purpose: the button must work as a plain link, without JavaScript. The
    worst a forged request can do is lock allymap.
    """
    response = HttpResponseRedirect(settings.ALLYMAP_EXIT_URL)
    end_session(request, response)
    return response
