"""Typing on any page survives the idle lock with JavaScript on (issue 6, item 5).

A server with a six-second idle lock. On the check-ins page, "What happened" is typed
but the form is never sent; nobody touches anything and the page locks itself. Before it
locks, allymap.js sends the changed form, so after unlocking the check-in is there.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import TIMEOUT_MS
from tests.browser.test_work_survives_lock import (
    IDLE_SECONDS,
    LOCKED_OUT,
    PASSPHRASE,
    _reflect_url,
    _unlock,
)
from tests.server import RunningServer, running_server, server_database

pytestmark = pytest.mark.browser


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


@pytest.fixture
def context(chromium: Browser) -> Iterator[BrowserContext]:
    made = chromium.new_context(java_script_enabled=True)
    made.set_default_timeout(TIMEOUT_MS)
    yield made
    made.close()


def test_a_check_in_typed_but_not_sent_is_saved_before_the_idle_lock(
    context: BrowserContext, server: RunningServer
) -> None:
    page = context.new_page()
    _unlock(page, server.url)
    intervention = re.sub(r"people/[^/]+/reflect/$", "", _reflect_url(page, server.url))
    page.goto(intervention + "check-ins/")
    check_ins_url = page.url
    happened = "Talked with Mere over kai, calm and hopeful " + secrets.token_hex(6)
    page.get_by_label("What happened", exact=True).fill(happened)

    # Nobody touches anything: the page locks itself, sending the typed form first.
    expect(page).to_have_url(re.compile(r"/unlock/"), timeout=(IDLE_SECONDS + 8) * 1000)
    assert happened not in page.locator("body").inner_text()
    page.locator("input[name=passphrase]").fill(PASSPHRASE)
    page.get_by_role("button", name="Unlock", exact=True).click()
    if page.get_by_role("button", name="Save it now").count():
        page.get_by_role("button", name="Save it now").click()
    expect(page).not_to_have_url(re.compile(r"/unlock/"))

    page.goto(check_ins_url)
    expect(page.locator("ol.fw-entries")).to_contain_text(happened)
    # Saved once, not twice (the lock never sends it again through unlocking).
    assert page.locator("ol.fw-entries").inner_text().count(happened) == 1


def _typed_check_in(page: Page, server: RunningServer) -> tuple[str, str]:
    """Open a new intervention's check-ins page and type "What happened" without sending."""
    _unlock(page, server.url)
    intervention = re.sub(r"people/[^/]+/reflect/$", "", _reflect_url(page, server.url))
    page.goto(intervention + "check-ins/")
    happened = "Whānau hui went gently, more to do " + secrets.token_hex(6)
    page.get_by_label("What happened", exact=True).fill(happened)
    return page.url, happened


def test_lock_now_sends_a_typed_check_in_first(
    context: BrowserContext, server: RunningServer
) -> None:
    page = context.new_page()
    check_ins_url, happened = _typed_check_in(page, server)
    page.get_by_role("button", name="Lock now").click()
    expect(page).to_have_url(re.compile(r"/unlock/"))
    _unlock(page, server.url)
    page.goto(check_ins_url)
    assert page.locator("ol.fw-entries").inner_text().count(happened) == 1


def test_a_typed_check_in_is_carried_through_unlocking_when_the_session_already_ended(
    context: BrowserContext, server: RunningServer
) -> None:
    page = context.new_page()
    check_ins_url, happened = _typed_check_in(page, server)
    context.clear_cookies(name="allymap_key")  # the session ended under the open page
    page.get_by_role("button", name="Lock now").click()
    expect(page.get_by_text(LOCKED_OUT)).to_be_visible()
    body = page.locator("body").inner_text().replace(LOCKED_OUT, "").lower()
    assert "saved" not in body.replace("not saved", "")
    page.locator("input[name=passphrase]").fill(PASSPHRASE)
    page.get_by_role("button", name="Unlock", exact=True).click()
    expect(page).not_to_have_url(re.compile(r"/unlock/"))  # sent on by itself
    page.goto(check_ins_url)
    assert page.locator("ol.fw-entries").inner_text().count(happened) == 1
