"""One idle clock for all tabs: typing in one tab keeps a quiet tab from locking allymap.

The server keeps the idle clock; each page's own timer asks it before locking. Before, a
background tab left alone locked the whole session while the person typed in another.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import TIMEOUT_MS
from tests.browser.pages import SetupPage
from tests.server import RunningServer, running_server, server_database

pytestmark = pytest.mark.browser

IDLE_SECONDS = 6
PASSPHRASE = "tui sings at dawn"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    folder: Path = tmp_path_factory.mktemp("server")
    with (
        server_database() as env,
        running_server(
            folder / "data", env | {"ALLYMAP_IDLE_LOCK_SECONDS": str(IDLE_SECONDS)}
        ) as running,
    ):
        yield running


def test_typing_in_one_tab_keeps_the_quiet_tab_from_locking(
    chromium: Browser, server: RunningServer
) -> None:
    context = chromium.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    try:
        typing = context.new_page()
        SetupPage.open(typing, server.url).choose_passphrase(PASSPHRASE)
        quiet = context.new_page()
        quiet.goto(server.url + "interventions/")
        typing.goto(server.url + "interventions/new/")
        field = typing.get_by_label("A code name for this intervention")

        # Type for more than twice the idle time, a key a second, in one tab only.
        for _ in range(IDLE_SECONDS * 2 + 3):
            field.press("a")
            typing.wait_for_timeout(1000)

        assert "/unlock/" not in typing.url
        assert "/unlock/" not in quiet.url, "the quiet tab locked the session"
        # The session itself is still open: a new page loads without unlocking.
        typing.goto(server.url + "interventions/")
        expect(typing).to_have_url(re.compile(r"/interventions/$"))

        # Once nobody is active anywhere, both tabs lock.
        expect(quiet).to_have_url(re.compile(r"/unlock/"), timeout=(IDLE_SECONDS + 8) * 1000)
        expect(typing).to_have_url(re.compile(r"/unlock/"), timeout=(IDLE_SECONDS + 8) * 1000)
    finally:
        context.close()
