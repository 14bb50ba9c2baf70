"""The browser's half of an unlocked session: a cookie holding the session key.

The server half and its layout belong to `allymap.services.sessions`; this module only
adds and removes the cookie beside it.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from allymap.services import sessions
from allymap.services.accounts import Unlocked
from allymap.vault import session_key_to_text

KEY_COOKIE = "allymap_key"


def start_session(request: HttpRequest, response: HttpResponse, unlocked: Unlocked) -> None:
    """Store the server half in a fresh session and give the browser the other half."""
    sessions.sessions_clear_expired()
    request.session.cycle_key()
    sessions.session_fill(request.session, unlocked)
    response.set_cookie(
        KEY_COOKIE,
        session_key_to_text(unlocked.session_key),
        httponly=True,
        samesite="Strict",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def end_session(request: HttpRequest, response: HttpResponse) -> None:
    """Delete the server half and ask the browser to forget its half."""
    sessions.session_end(request.session)
    response.delete_cookie(KEY_COOKIE, samesite="Strict")
