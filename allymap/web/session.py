"""The browser's half of an unlocked session: a cookie holding the session key.

The server half and its layout belong to `allymap.services.sessions`; this module only
adds and removes the cookies beside it. Ending a session never waits on the database.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from allymap.services import sessions
from allymap.services.accounts import Unlocked
from allymap.vault import session_key_to_text

KEY_COOKIE = "allymap_key"

# Asks the browser to forget everything of this site: cookies (both halves' handles),
# the cache (pages, though allymap sends no-store) and storage. A lock keeps the cookies
# header out, deleting the two session cookies by name, so the CSRF cookie survives for
# the lock forms of other open tabs.
CLEAR_SITE_DATA = '"cache", "cookies", "storage"'
CLEAR_SITE_DATA_BUT_COOKIES = '"cache", "storage"'


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


def forget_cookies(response: HttpResponse) -> None:
    """Ask the browser to delete both session cookies (unless this response sets a new key)."""
    if KEY_COOKIE not in response.cookies:
        response.delete_cookie(KEY_COOKIE, samesite="Strict")
    if settings.SESSION_COOKIE_NAME not in response.cookies:
        response.delete_cookie(settings.SESSION_COOKIE_NAME, samesite="Strict")


def end_session(request: HttpRequest, response: HttpResponse, *, keep_csrf: bool = False) -> None:
    """End the session for good and make the browser forget it, at once.

    The server half is made unusable in memory before anything touches the database
    (`sessions.session_end`), so this holds when the database is locked, full or
    read-only; the browser is told to delete its cookies and everything else of this site.
    """
    sessions.session_end(request.session, request.COOKIES.get(KEY_COOKIE))
    forget_cookies(response)
    response.headers["Clear-Site-Data"] = (
        CLEAR_SITE_DATA_BUT_COOKIES if keep_csrf else CLEAR_SITE_DATA
    )
