"""The server half of an unlocked session: its layout, reading it back, and ending it.

An unlock gives two halves (`accounts.Unlocked`): the private key wrapped under a fresh
session key (kept here, in Django's server-side session) and that session key (kept by
the interface: the web's HttpOnly cookie). Neither half alone opens anything. This module
is the one place that knows the server half's layout; the web's cookie handling
(`allymap/web/session.py`) and the command line both use it.
"""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.backends.db import SessionStore

from allymap.services.accounts import Unlocked
from allymap.services.keyring import Keyring
from allymap.vault import SessionExpired, open_session, session_key_from_text

_ACCOUNT = "account"
_VAULT = "vault"
_LAST_SEEN = "last_seen"


@dataclass(frozen=True)
class Visit:
    """What one request finds: the keyring when unlocked (else None), and whether the
    session has just locked itself after being idle too long."""

    keyring: Keyring | None
    idle_locked: bool = False


def session_fill(session: SessionBase, unlocked: Unlocked) -> None:
    """Put the server half of an unlock into `session`, as active now."""
    session[_ACCOUNT] = unlocked.keyring.account_id
    session[_VAULT] = base64.b64encode(unlocked.session_blob).decode("ascii")
    session[_LAST_SEEN] = time.time()


def session_open(session: SessionBase, key_text: str | None) -> Visit:
    """Join the two halves into a keyring, and count this request as activity.

    `key_text` is the interface's half (None when it has none). A session idle longer
    than ALLYMAP_IDLE_LOCK_SECONDS is flushed and reported as idle-locked; so is an
    interface half whose server half has already expired. Halves that do not fit each
    other flush the server half and give a locked visit.
    """
    blob = session.get(_VAULT)
    if blob and key_text:
        idle = time.time() - float(session.get(_LAST_SEEN, 0))
        if idle > settings.ALLYMAP_IDLE_LOCK_SECONDS:
            session.flush()
            return Visit(keyring=None, idle_locked=True)
        try:
            private_key = open_session(session_key_from_text(key_text), base64.b64decode(blob))
        except (SessionExpired, ValueError):
            session.flush()
            return Visit(keyring=None)
        session[_LAST_SEEN] = time.time()
        return Visit(keyring=Keyring(session[_ACCOUNT], private_key))
    # The interface still holds its half but the server's expired: an idle lock.
    return Visit(keyring=None, idle_locked=bool(key_text))


def session_end(session: SessionBase) -> None:
    """Delete the server half (the interface forgets its own)."""
    session.flush()


def sessions_clear_expired() -> None:
    """Delete server halves whose idle time ran out without a request to notice it."""
    SessionStore.clear_expired()
