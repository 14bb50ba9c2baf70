"""The server half of an unlocked session: its layout, reading it back, and ending it.

An unlock gives two halves (`accounts.Unlocked`): the private key wrapped under a fresh
session key (kept here, in Django's server-side session) and that session key (kept by
the interface: the web's HttpOnly cookie). Neither half alone opens anything. This module
is the one place that knows the server half's layout; the web's cookie handling
(`allymap/web/session.py`) and the command line both use it.

Ending a session never waits on the database (threat: a full disk, or another process
holding SQLite's write lock, must not keep allymap unlocked on a shared device). The end
is recorded first in this process's memory, which every later request checks before it
joins the halves, and only then is the stored row deleted: at once when the database
answers within a moment, otherwise by a background retry. Memory is per process and is
lost on a restart; docs/threat-model.md says what that leaves.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import DatabaseError, connection, transaction

from allymap.services import kept
from allymap.services.accounts import Unlocked
from allymap.services.keyring import Keyring
from allymap.vault import SessionExpired, open_session, session_key_from_text

_ACCOUNT = "account"
_VAULT = "vault"
_LAST_SEEN = "last_seen"

# How long ending a session waits for the database before leaving the delete to a
# background retry, and how long that retry keeps trying.
END_WAIT_SECONDS = 0.25
RETRY_FOR_SECONDS = 600.0

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Visit:
    """What one request finds: the keyring when unlocked (else None), and whether the
    session has just locked itself after being idle too long (both halves are then to be
    deleted: the server half already is, the interface deletes its own)."""

    keyring: Keyring | None
    idle_locked: bool = False


class _Ended:
    """Sessions ended in this process, by a digest of either half, until they expire.

    Thread-safe; an entry is dropped once older than the idle lock plus the background
    retry (by then the stored row has expired, or been deleted).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ended: dict[str, float] = {}

    def add(self, marks: Iterable[str]) -> None:
        now = time.monotonic()
        with self._lock:
            for mark in marks:
                self._ended.pop(mark, None)  # re-added marks move to the end: oldest first
                self._ended[mark] = now
            horizon = now - settings.ALLYMAP_IDLE_LOCK_SECONDS - RETRY_FOR_SECONDS
            while self._ended:
                oldest, at = next(iter(self._ended.items()))
                if at >= horizon:
                    break
                del self._ended[oldest]

    def __contains__(self, mark: str) -> bool:
        with self._lock:
            return mark in self._ended


_ENDED = _Ended()


def _mark(kind: str, value: str) -> str:
    """A digest of one half's identifier: what the memory of ended sessions keeps."""
    return hashlib.blake2b(f"{kind}:{value}".encode(), digest_size=16).hexdigest()


def _marks(session_id: str | None, key_text: str | None) -> list[str]:
    marks = []
    if session_id:
        marks.append(_mark("session", session_id))
    if key_text:
        marks.append(_mark("key", key_text))
    return marks


def activity_step_seconds() -> float:
    """How stale the stored last activity may get before a request refreshes it.

    Refreshing on every request would write the session on every page; once a step is
    enough, and the step is small beside the idle lock.
    """
    return min(60.0, settings.ALLYMAP_IDLE_LOCK_SECONDS / 10)


def session_fill(session: SessionBase, unlocked: Unlocked) -> None:
    """Put the server half of an unlock into `session`, as active now."""
    session[_ACCOUNT] = unlocked.keyring.account_id
    session[_VAULT] = base64.b64encode(unlocked.session_blob).decode("ascii")
    session[_LAST_SEEN] = time.time()


def idle_seconds_left(session: SessionBase) -> float:
    """Seconds until the shared idle clock locks this session (0 when it has), read
    without counting as activity: every tab asks before it locks itself."""
    if not session.get(_VAULT):
        return 0.0
    idle = time.time() - float(session.get(_LAST_SEEN, 0))
    return max(0.0, settings.ALLYMAP_IDLE_LOCK_SECONDS - idle)


def session_open(session: SessionBase, key_text: str | None, *, activity: bool = True) -> Visit:
    """Join the two halves into a keyring, counting this request as activity unless told.

    `key_text` is the interface's half (None when it has none). A session ended earlier
    (even if its row could not be deleted), or whose halves do not fit each other, gives
    a locked visit. A session idle longer than ALLYMAP_IDLE_LOCK_SECONDS is ended and
    reported as idle-locked; so is an interface half whose server half has expired.
    """
    # Taken before the check below: a lock from now on keeps nothing this request opens.
    since = kept.ticket()
    if any(mark in _ENDED for mark in _marks(session.session_key, key_text)):
        return Visit(keyring=None)
    blob = session.get(_VAULT)
    if blob and key_text:
        now = time.time()
        idle = now - float(session.get(_LAST_SEEN, 0))
        if idle > settings.ALLYMAP_IDLE_LOCK_SECONDS:
            session_end(session, key_text)
            return Visit(keyring=None, idle_locked=True)
        try:
            private_key = open_session(session_key_from_text(key_text), base64.b64decode(blob))
        except (SessionExpired, ValueError):
            session_end(session, key_text)
            return Visit(keyring=None)
        if activity and idle > activity_step_seconds():
            session[_LAST_SEEN] = now
        return Visit(keyring=Keyring(session[_ACCOUNT], private_key, kept_since=since))
    # The interface still holds its half but the server's expired: an idle lock.
    return Visit(keyring=None, idle_locked=bool(key_text))


def session_end(session: SessionBase, key_text: str | None) -> None:
    """End a session for good, without waiting on the database.

    The end is remembered in memory first (so neither half opens anything in this
    process from now on), the in-memory session is emptied (so nothing saves it again),
    and the stored row is deleted: now if the database answers within END_WAIT_SECONDS,
    otherwise by a background retry. The interface forgets its own half (its cookies).
    """
    session_id = session.session_key
    _ENDED.add(_marks(session_id, key_text))
    # Lock and the quick exit never load the session (a read can fail or wait): whose it
    # was is then unknown, and everything kept in memory goes (services.kept).
    loaded = getattr(session, "_session_cache", None)
    account = loaded.get(_ACCOUNT) if isinstance(loaded, dict) else None
    if account:
        kept.forget_reader(account)
    else:
        kept.forget_all()
    session.clear()
    # Nothing is to save this emptied session again: saving is a database write.
    session.modified = False
    if session_id:
        delete_stored(session_id)


def delete_stored(session_id: str) -> None:
    """Delete one stored server half; if the database is busy, leave it to the one
    background worker, which retries (at most `_PENDING_MAX` rows wait at once)."""
    if _delete_now(session_id):
        return
    with _PENDING_LOCK:
        if len(_PENDING) < _PENDING_MAX:
            _PENDING[session_id] = time.monotonic() + RETRY_FOR_SECONDS
        global _worker
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(
                target=_delete_later, name="allymap-session-end", daemon=True
            )
            _worker.start()


# Rows still to delete, with the time after which trying stops; one worker drains them.
# Bounded, because anyone who can reach the port can ask to end made-up sessions.
_PENDING: dict[str, float] = {}
_PENDING_MAX = 1000
_PENDING_LOCK = threading.Lock()
_worker: threading.Thread | None = None


def _delete_now(session_id: str) -> bool:
    """One quick try to delete the row; False when the database did not let us."""
    try:
        with _short_wait():
            Session.objects.filter(session_key=session_id).delete()
    except DatabaseError as problem:
        log.warning("a locked session's row could not be deleted yet: %s", problem)
        return False
    return True


def _delete_later() -> None:
    """Keep trying to delete the pending rows until they go or their time is up."""
    try:
        while True:
            time.sleep(1.0)
            with _PENDING_LOCK:
                now = time.monotonic()
                for session_id, until in list(_PENDING.items()):
                    if until < now:
                        del _PENDING[session_id]
                waiting = list(_PENDING)
                if not waiting:
                    return
            for session_id in waiting:
                if _delete_now(session_id):
                    with _PENDING_LOCK:
                        _PENDING.pop(session_id, None)
    finally:
        connection.close()


@contextmanager
def _short_wait() -> Iterator[None]:
    """A transaction that waits at most END_WAIT_SECONDS for a lock, then fails; the
    connection's usual wait is put back whatever happens."""
    sqlite = connection.vendor == "sqlite"
    if sqlite:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(END_WAIT_SECONDS * 1000)}")
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SET LOCAL lock_timeout = %s", [f"{int(END_WAIT_SECONDS * 1000)}ms"]
                    )
            yield
    finally:
        if sqlite:
            timeout = int(settings.SQLITE_BUSY_TIMEOUT_SECONDS * 1000)
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA busy_timeout = {timeout}")


def sessions_end_all_but(account_id: str, keep: str | None) -> int:
    """End every stored session of `account_id` except the one whose id is `keep`.

    After a new passphrase is set with the recovery key, whoever held an older session
    (on another device, say) must unlock again. Returns how many were ended.
    """
    ended = 0
    store = SessionStore()
    for row in Session.objects.exclude(session_key=keep or ""):
        try:
            data = store.decode(row.session_data)
        except Exception:
            data = {_ACCOUNT: account_id}
        if data.get(_ACCOUNT) == account_id:
            _ENDED.add(_marks(row.session_key, None))
            kept.forget_reader(account_id)
            row.delete()
            ended += 1
    return ended


def sessions_clear_at_start() -> None:
    """What `serve` does first: personal mode ends every session (a lock or exit whose row
    could not be deleted is remembered only in the memory of the server that stopped),
    so everyone unlocks again after a restart; hosted mode clears the expired ones."""
    if settings.HOSTED:
        sessions_clear_expired()
    else:
        Session.objects.all().delete()


def sessions_clear_expired() -> None:
    """Delete server halves whose idle time ran out without a request to notice it."""
    SessionStore.clear_expired()
