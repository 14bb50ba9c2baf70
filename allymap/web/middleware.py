"""Request plumbing: security headers on every response, and the keyring of the unlocked.

The keyring middleware rebuilds the account's private key for one request from its two
halves (`allymap.services.sessions`): the ciphertext in the server-side session and the
key in the browser's cookie. Neither half alone opens anything. It also locks after
ALLYMAP_IDLE_LOCK_MINUTES idle.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from allymap.services import sessions
from allymap.web.requests import AllymapRequest
from allymap.web.session import KEY_COOKIE, forget_cookies
from allymap.web.views.errors import method_not_allowed

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)

Handler = Callable[[HttpRequest], HttpResponse]


def security_headers(get_response: Handler) -> Handler:
    """Add the headers every response carries; pages are never cached anywhere."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if not request.path.startswith(settings.STATIC_URL):
            response.headers["Cache-Control"] = "no-store"
        if request.method == "HEAD":
            _drop_body(response)
        return response

    return middleware


def _drop_body(response: HttpResponse) -> None:
    """A HEAD gets GET's headers and no body: waitress sends whatever body it is given."""
    if response.streaming:
        close = getattr(response, "close", None)
        response.streaming_content = iter(())  # type: ignore[attr-defined]
        if close is not None:
            close()
        return
    length = len(response.content)
    response.content = b""
    response.headers["Content-Length"] = str(length)


def failures_in_frame(get_response: Handler) -> Handler:
    """Give a bare refusal of a method (an empty 405) allymap's own page.

    The other failures have handlers of their own (`allymap.urls`, handler400…500).
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if response.status_code == 405 and not response.content:
            return method_not_allowed(request, response)
        return response

    return middleware


def keyring(get_response: Handler) -> Handler:
    """Set `request.keyring` (None when locked) and `request.idle_locked` on every request.

    Static files and the health check need no keys. Locking and the quick exit do not
    even read the session: they must work when the database does not. Asking the idle
    clock does not count as activity. A request that found its session locked or ended
    tells the browser to forget both halves.
    """
    no_keys = {settings.STATIC_URL.rstrip("/"), "/healthz"}
    leaving: set[str] = set()
    quiet: set[str] = set()

    def middleware(plain: HttpRequest) -> HttpResponse:
        # The one place a plain request becomes an AllymapRequest: both attributes are
        # set here, before any view runs.
        request = cast(AllymapRequest, plain)
        request.keyring = None
        request.idle_locked = False
        if not leaving:
            leaving.update({reverse("lock"), reverse("exit")})
            quiet.add(reverse("idle"))
        path = request.path
        if path in leaving or path in no_keys or path.startswith(settings.STATIC_URL):
            # No keys needed, and a stylesheet must not count as activity (nor cost a
            # session write).
            return get_response(request)
        key_text = request.COOKIES.get(KEY_COOKIE)
        visit = sessions.session_open(request.session, key_text, activity=path not in quiet)
        request.keyring = visit.keyring
        request.idle_locked = visit.idle_locked
        response = get_response(request)
        if key_text and request.keyring is None:
            forget_cookies(response)
        return response

    return middleware
