"""Request plumbing: security headers on every response, and the keyring of the unlocked.

The keyring middleware rebuilds the account's private key for one request from its two
halves: the ciphertext in the server-side session and the key in the browser's cookie.
Neither half alone opens anything. It also locks after ALLYMAP_IDLE_LOCK_MINUTES idle.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpRequest, HttpResponse

from allymap.services.accounts import Unlocked
from allymap.services.keyring import Keyring
from allymap.vault import (
    SessionExpired,
    open_session,
    session_key_from_text,
    session_key_to_text,
)

KEY_COOKIE = "allymap_key"

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
        return response

    return middleware


def clear_expired_sessions() -> None:
    """Delete server halves whose idle time ran out without a request to notice it."""
    SessionStore.clear_expired()


def fill_session(session: SessionBase, unlocked: Unlocked) -> None:
    """Put the server half of an unlock into `session`: the one place that knows its layout."""
    session["account"] = unlocked.keyring.account_id
    session["vault"] = base64.b64encode(unlocked.session_blob).decode("ascii")
    session["last_seen"] = time.time()


def start_session(request: HttpRequest, response: HttpResponse, unlocked: Unlocked) -> None:
    """Store the server half in a fresh session and give the browser the other half."""
    clear_expired_sessions()
    request.session.cycle_key()
    fill_session(request.session, unlocked)
    response.set_cookie(
        KEY_COOKIE,
        session_key_to_text(unlocked.session_key),
        httponly=True,
        samesite="Strict",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def end_session(request: HttpRequest, response: HttpResponse) -> None:
    """Delete the server half and ask the browser to forget its half."""
    request.session.flush()
    response.delete_cookie(KEY_COOKIE, samesite="Strict")


def keyring(get_response: Handler) -> Handler:
    """Set `request.keyring` (None when locked) and `request.idle_locked`."""

    def middleware(request: HttpRequest) -> HttpResponse:
        request.keyring = None  # type: ignore[attr-defined]  # set on every request here
        request.idle_locked = False  # type: ignore[attr-defined]
        if request.path.startswith(settings.STATIC_URL) or request.path == "/healthz":
            # No keys needed, and a stylesheet must not count as activity (nor cost a
            # session write, twice a page).
            return get_response(request)
        blob = request.session.get("vault")
        key_text = request.COOKIES.get(KEY_COOKIE)
        if blob and key_text:
            idle = time.time() - float(request.session.get("last_seen", 0))
            if idle > settings.ALLYMAP_IDLE_LOCK_SECONDS:
                request.session.flush()
                request.idle_locked = True  # type: ignore[attr-defined]
            else:
                try:
                    private_key = open_session(
                        session_key_from_text(key_text), base64.b64decode(blob)
                    )
                except (SessionExpired, ValueError):
                    request.session.flush()
                else:
                    request.keyring = Keyring(request.session["account"], private_key)  # type: ignore[attr-defined]
                    request.session["last_seen"] = time.time()
        elif key_text:
            # The browser still holds its half but the server's expired: an idle lock.
            request.idle_locked = True  # type: ignore[attr-defined]
        return get_response(request)

    return middleware
