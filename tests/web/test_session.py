"""The split session: neither half alone unlocks, and a damaged half locks, never crashes."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client

from allymap.services import accounts, sessions
from allymap.vault import PrivateKey, seal_for_session, session_key_to_text
from allymap.web.session import KEY_COOKIE
from tests.web.conftest import PASSPHRASE


def _locked(client: Client) -> bool:
    response = client.get("/interventions/")
    assert response.status_code != 500
    return response.status_code == 302 and response.headers["Location"].startswith("/unlock/")


def test_it_unlocks_with_both_halves(owner_client: Client) -> None:
    assert not _locked(owner_client)


def test_it_stays_locked_with_the_server_half_alone(owner_client: Client) -> None:
    del owner_client.cookies[KEY_COOKIE]
    assert _locked(owner_client)


def test_it_stays_locked_with_the_cookie_alone(owner: accounts.Unlocked) -> None:
    client = Client()
    client.cookies[KEY_COOKIE] = session_key_to_text(owner.session_key)
    assert _locked(client)


def test_it_stays_locked_with_the_cookie_and_a_session_without_the_vault(
    owner: accounts.Unlocked,
) -> None:
    client = Client()
    session = client.session
    session["account"] = owner.keyring.account_id
    session["last_seen"] = time.time()
    session.save()
    client.cookies[KEY_COOKIE] = session_key_to_text(owner.session_key)
    assert _locked(client)


def _flip_first(text: str) -> str:
    return ("B" if text[0] == "A" else "A") + text[1:]


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(_flip_first, id="one character changed"),
        pytest.param(lambda text: text[:-1], id="cut short"),
        pytest.param(lambda text: text + "A", id="too long"),
        pytest.param(lambda text: "not a key at all", id="garbage"),
        pytest.param(lambda text: "é" * 43, id="non-ascii"),
    ],
)
def test_it_stays_locked_with_a_tampered_cookie(
    owner_client: Client, damage: Callable[[str], str]
) -> None:
    original = owner_client.cookies[KEY_COOKIE].value
    owner_client.cookies[KEY_COOKIE] = damage(original)
    assert _locked(owner_client)
    # The damaged session is ended: the right cookie does not bring it back.
    owner_client.cookies[KEY_COOKIE] = original
    assert _locked(owner_client)


def test_it_stays_locked_with_another_sessions_cookie(owner_client: Client) -> None:
    another_key, _blob = seal_for_session(PrivateKey.generate())
    owner_client.cookies[KEY_COOKIE] = session_key_to_text(another_key)
    assert _locked(owner_client)


@pytest.mark.parametrize(
    "blob",
    [
        pytest.param("!!!not base64!!!", id="not base64"),
        pytest.param(base64.b64encode(b"short").decode(), id="truncated"),
        pytest.param("", id="empty"),
    ],
)
def test_it_stays_locked_with_a_tampered_server_half(owner_client: Client, blob: str) -> None:
    session = owner_client.session
    session["vault"] = blob
    session.save()
    assert _locked(owner_client)


def test_it_stays_locked_with_a_tampered_session_cookie(owner_client: Client) -> None:
    name = settings.SESSION_COOKIE_NAME
    owner_client.cookies[name] = owner_client.cookies[name].value[::-1]
    assert _locked(owner_client)


def test_it_gives_a_fresh_session_on_unlock(owner: accounts.Unlocked) -> None:
    """A session id planted before unlocking (session fixation) is not the one unlocked."""
    client = Client()
    session = client.session
    session["planted"] = True
    session.save()
    planted = session.session_key
    response = client.post("/unlock/", {"passphrase": PASSPHRASE})
    assert response.status_code == 302
    unlocked = response.cookies[settings.SESSION_COOKIE_NAME]
    assert unlocked.value != planted
    assert unlocked["httponly"]
    assert unlocked["samesite"] == "Strict"
    assert not Session.objects.filter(session_key=planted).exists()


def _session_writes(client: Client, path: str) -> list[str]:
    """The statements of one GET that insert, update or delete a stored session."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    table = Session._meta.db_table
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return [
        query["sql"]
        for query in captured.captured_queries
        if table in query["sql"]
        and query["sql"].lstrip().split(" ", 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}
    ]


def test_a_page_that_changes_nothing_writes_no_session(owner_client: Client) -> None:
    """Showing a page is not a write: the idle clock moves at most once a step
    (`activity_step_seconds`), so pages in a row, or many clients at once, do not each
    write the session row (issue 10). Past the step, one page writes it once."""
    session = owner_client.session
    session["last_seen"] = time.time()
    session.save()
    assert _session_writes(owner_client, "/interventions/") == []
    assert _session_writes(owner_client, "/about/") == []

    session = owner_client.session
    session["last_seen"] = time.time() - 2 * sessions.activity_step_seconds()
    session.save()
    assert len(_session_writes(owner_client, "/interventions/")) == 1
    assert _session_writes(owner_client, "/interventions/") == []
