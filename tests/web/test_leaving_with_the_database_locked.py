"""Quick exit and lock leave at once while another process holds SQLite's write lock.

A real server on a SQLite file; the test takes the database's write lock from outside
(as a backup tool or a second copy of allymap might) and keeps it while it leaves. Before,
leaving waited for the lock (up to 20 s) and then failed, leaving allymap unlocked.
The browser's old cookies, replayed afterwards, must open nothing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.canary.client import FormClient, Page
from tests.server import RunningServer, running_server

PASSPHRASE = "kōwhai flowers in spring"
CODE_NAME = "Harbour lights"


@contextmanager
def write_lock_held(database: Path) -> Iterator[None]:
    """Hold SQLite's write lock on `database` from another connection until the end."""
    holder = sqlite3.connect(database, timeout=5, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def _unlocked(server: RunningServer) -> tuple[FormClient, str]:
    client = FormClient(server.url)
    client.post("/setup/", {"passphrase": PASSPHRASE, "confirm": PASSPHRASE})
    start = client.get("/interventions/new/")
    page = client.post(
        "/interventions/new/",
        {"danger": "no", "code_name": CODE_NAME, "doing_harm_alias": "R", "harmed_alias": ""},
        token_from=start,
    )
    assert CODE_NAME in page, page.text[:2000]
    return client, page.path


def _copy(client: FormClient, server: RunningServer) -> FormClient:
    copy = FormClient(server.url)
    for cookie in client.cookies:
        copy.cookies.set_cookie(cookie)
    return copy


def _locked_out(page: Page) -> bool:
    return page.path == "/unlock/" and CODE_NAME not in page


@pytest.mark.parametrize("how", ["quick exit", "lock"])
def test_it_leaves_while_the_database_is_write_locked(how: str, tmp_path: Path) -> None:
    with running_server(tmp_path / "data") as server:
        client, overview = _unlocked(server)
        copy = _copy(client, server)
        with write_lock_held(server.data_dir / "allymap.sqlite3"):
            if how == "quick exit":
                page = client.get("/exit/")
                assert page.status == 200 and page.path == "/away/", page.text[:2000]
            else:
                page = client.post("/lock/", {}, token_from=client.get(overview))
                assert page.status == 200 and page.path == "/unlock/", page.text[:2000]
            assert _locked_out(client.get(overview))
            assert _locked_out(copy.get(overview))
        # Once the lock is gone, the old cookies still open nothing.
        assert _locked_out(copy.get(overview))
