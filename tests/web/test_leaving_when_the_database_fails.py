"""Lock, quick exit and the idle lock hold when the database cannot be written.

On a shared or monitored device, leaving must never depend on a database write: a full
disk or another process holding SQLite's write lock must not leave allymap unlocked.
Each test replays the browser's old cookies afterwards: they must open nothing.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import OperationalError
from django.db.models import QuerySet
from django.test import Client
from pytest_django.fixtures import Settings

from allymap.services import kept
from allymap.web.session import KEY_COOKIE
from tests.web.conftest import CODE_NAME, Started
from tests.web.pages import text_of

SESSION_COOKIE = "allymap_session"


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every write of a session fails as SQLite fails when the disk is full."""
    refused: list[str] = []

    def cannot_write(*args: object, **kwargs: object) -> None:
        refused.append("write")
        raise OperationalError("database or disk is full")

    monkeypatch.setattr(QuerySet, "delete", cannot_write)
    monkeypatch.setattr(SessionStore, "save", cannot_write)
    monkeypatch.setattr(SessionStore, "delete", cannot_write)
    monkeypatch.setattr(
        "allymap.services.sessions.threading.Thread.start", lambda self: None, raising=False
    )
    yield refused


def _old_cookies(client: Client) -> Client:
    """A second browser holding copies of both cookies as they were before leaving."""
    copy = Client()
    copy.cookies[SESSION_COOKIE] = client.cookies[SESSION_COOKIE].value
    copy.cookies[KEY_COOKIE] = client.cookies[KEY_COOKIE].value
    return copy


def _opens_nothing(client: Client, intervention: Started) -> None:
    response = client.get(f"/i/{intervention.intervention_id}/")
    assert response.status_code == 302, text_of(response)
    assert response.headers["Location"].startswith("/unlock/")
    assert CODE_NAME not in text_of(response)


def _forgets_both_halves(response: object) -> None:
    cookies = response.cookies  # type: ignore[attr-defined]
    assert cookies[KEY_COOKIE]["max-age"] == 0
    assert cookies[SESSION_COOKIE]["max-age"] == 0
    assert "cache" in response.headers["Clear-Site-Data"]  # type: ignore[attr-defined]


def _open_and_kept(client: Client, intervention: Started) -> None:
    """Open the intervention, so that its opening is kept in memory (`services.kept`)."""
    assert client.get(f"/i/{intervention.intervention_id}/").status_code == 200
    assert kept.kept_count() == 1


def test_quick_exit_leaves_with_a_full_disk(
    owner_client: Client, intervention: Started, full_disk: list[str]
) -> None:
    _open_and_kept(owner_client, intervention)
    copy = _old_cookies(owner_client)
    response = owner_client.get("/exit/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/away/"
    _forgets_both_halves(response)
    assert kept.kept_count() == 0, "the opened intervention is still in memory"
    assert full_disk, "the test did not make the database refuse a write"
    _opens_nothing(copy, intervention)


def test_lock_locks_with_a_full_disk(
    owner_client: Client, intervention: Started, full_disk: list[str]
) -> None:
    _open_and_kept(owner_client, intervention)
    copy = _old_cookies(owner_client)
    response = owner_client.post("/lock/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/unlock/?why=locked"
    _forgets_both_halves(response)
    assert kept.kept_count() == 0, "the opened intervention is still in memory"
    _opens_nothing(copy, intervention)


def test_the_idle_lock_forgets_both_halves_and_the_row(
    owner_client: Client, intervention: Started, settings: Settings
) -> None:
    settings.ALLYMAP_IDLE_LOCK_SECONDS = 60
    copy = _old_cookies(owner_client)
    session = owner_client.session
    session["last_seen"] = time.time() - 61
    session.save()
    server_half = session.session_key
    response = owner_client.get(f"/i/{intervention.intervention_id}/")
    assert response.headers["Location"].startswith("/unlock/")
    assert response.cookies[KEY_COOKIE]["max-age"] == 0
    assert response.cookies[SESSION_COOKIE]["max-age"] == 0
    # The leftover cookie and the row together would open the private key: the row is gone.
    assert not Session.objects.filter(session_key=server_half).exists()
    _opens_nothing(copy, intervention)


def test_the_idle_lock_holds_with_a_full_disk(
    owner_client: Client, intervention: Started, settings: Settings, full_disk: list[str]
) -> None:
    settings.ALLYMAP_IDLE_LOCK_SECONDS = 60
    _open_and_kept(owner_client, intervention)
    copy = _old_cookies(owner_client)
    session = owner_client.session
    session["last_seen"] = time.time() - 61
    # Saving is refused now, so put the old clock in place the one way still open.
    Session.objects.filter(session_key=session.session_key).update(
        session_data=SessionStore().encode(dict(session.items()))
    )
    response = owner_client.get(f"/i/{intervention.intervention_id}/")
    assert response.headers["Location"].startswith("/unlock/")
    assert kept.kept_count() == 0, "the opened intervention is still in memory"
    _opens_nothing(copy, intervention)


def test_a_refused_delete_puts_back_the_usual_wait(
    db: None, monkeypatch: pytest.MonkeyPatch, settings: Settings
) -> None:
    """A lock that found the database busy must not leave later writes waiting 0.25 s."""
    from django.db import connection

    from allymap.services import sessions

    if connection.vendor != "sqlite":
        pytest.skip("the busy wait is SQLite's")

    class Busy:
        def __enter__(self) -> None:
            raise OperationalError("database is locked")

        def __exit__(self, *exc: object) -> None:
            return None

    monkeypatch.setattr(sessions.transaction, "atomic", lambda: Busy())
    assert not sessions._delete_now("no-such-session")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == settings.SQLITE_BUSY_TIMEOUT_SECONDS * 1000


def test_a_restart_ends_every_session_in_personal_mode(
    owner_client: Client, intervention: Started, settings: Settings
) -> None:
    """An end remembered only in a stopped server's memory must not come back to life."""
    from allymap.services import sessions

    copy = _old_cookies(owner_client)
    sessions.sessions_clear_at_start()
    assert not Session.objects.exists()
    _opens_nothing(copy, intervention)


@pytest.mark.parametrize("leave", ["exit", "lock"])
def test_leaving_never_reads_the_session_and_drops_what_is_kept(
    owner_client: Client, intervention: Started, monkeypatch: pytest.MonkeyPatch, leave: str
) -> None:
    """Lock and the quick exit do not read the session (a read can fail or wait), so
    they cannot learn whose it was: everything kept in memory goes."""
    _open_and_kept(owner_client, intervention)
    copy = _old_cookies(owner_client)

    def cannot_read(*args: object, **kwargs: object) -> None:
        raise OperationalError("disk I/O error")

    with monkeypatch.context() as patched:
        patched.setattr(SessionStore, "load", cannot_read)
        patched.setattr(SessionStore, "delete", cannot_read)
        patched.setattr(
            "allymap.services.sessions.threading.Thread.start", lambda self: None, raising=False
        )
        if leave == "exit":
            response = owner_client.get("/exit/")
            assert response.headers["Location"] == "/away/"
        else:
            response = owner_client.post("/lock/")
            assert response.headers["Location"] == "/unlock/?why=locked"
    assert response.status_code == 302
    _forgets_both_halves(response)
    assert kept.kept_count() == 0, "the opened intervention is still in memory"
    _opens_nothing(copy, intervention)
