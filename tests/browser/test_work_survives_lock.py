"""Work is never lost to the idle lock, with JavaScript off and on (issue 6, item 5).

A server with a six-second idle lock. Without JavaScript, a reflection posted after the
lock comes back on the unlock page (held in the page, never stored), and after unlocking
"Save it now" saves it. With JavaScript, answers typed just before the page locks are
saved before it locks, and a form posted after the session ended is sent on by itself
once unlocked. Each time, the stored answer is read back from the reflection page, and
the data folder (database, WAL, log, temporary files) is searched for the typed text,
which must never be there unencrypted.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import TIMEOUT_MS
from tests.canary.scan import Canary, files_under, scan_files, scan_named
from tests.server import RunningServer, pg_dump, running_server, server_database

pytestmark = pytest.mark.browser

IDLE_SECONDS = 6
PASSPHRASE = "tui sings at dawn over the harbour"
LOCKED_OUT = "You were locked out before this was saved. Unlock to save it."
ROW = "respected"


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
def context(chromium: Browser, request: pytest.FixtureRequest) -> Iterator[BrowserContext]:
    made = chromium.new_context(java_script_enabled=request.param)
    made.set_default_timeout(TIMEOUT_MS)
    yield made
    made.close()


def _unlock(page: Page, base: str) -> None:
    """Open allymap: set it up on the server's first visit, unlock it after that."""
    page.goto(base)
    if "/setup/" in page.url:
        page.get_by_label("Choose a passphrase", exact=True).fill(PASSPHRASE)
        page.get_by_label("Type it again", exact=True).fill(PASSPHRASE)
        page.get_by_role("button", name="Set up allymap").click()
        page.get_by_role("link", name=re.compile("I have kept it safe")).click()
    elif "/unlock/" in page.url:
        page.locator("input[name=passphrase]").fill(PASSPHRASE)
        page.get_by_role("button", name="Unlock", exact=True).click()
    expect(page).to_have_url(re.compile(r"/interventions/$"))


def _reflect_url(page: Page, base: str) -> str:
    """Start an intervention with one person on its map; the person's reflect page."""
    page.goto(base + "interventions/new/")
    page.locator("input[name=danger][value=no]").check()
    page.locator("input[name=code_name]").fill("Harbour " + secrets.token_hex(3))
    page.locator("input[name=doing_harm_alias]").fill("Rāwiri")
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/i/[^/]+/$"))
    page.goto(page.url + "people/new/")
    page.locator("input[name=alias]").fill("Aunty Huia")
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/i/[^/]+/people/[^/]+/$"))
    return page.url + "reflect/"


def _reflect_form(page: Page) -> tuple[object, object]:
    form = page.locator("main form").filter(has=page.locator(f"textarea[name=evidence-{ROW}]"))
    return form, form.locator("button[type=submit]").last


def _answer(page: Page, evidence: str) -> None:
    page.locator(f"input[name=position-{ROW}][value=ally]").check()
    page.locator(f"textarea[name=evidence-{ROW}]").fill(evidence)


def _stored_answer(page: Page, reflect_url: str) -> tuple[bool, str]:
    """What the reflection page shows as this person's saved answer on the row."""
    page.goto(reflect_url)
    expect(page).to_have_url(reflect_url)
    ally = page.locator(f"input[name=position-{ROW}][value=ally]").is_checked()
    return ally, page.locator(f"textarea[name=evidence-{ROW}]").input_value()


def _never_at_rest(server: RunningServer, typed: str, token: str) -> None:
    canaries = [Canary("typed evidence", typed, token)]
    findings = scan_files(files_under(server.work_dir), canaries)
    if server.database_url:
        findings += scan_named({"pg_dump": pg_dump(server.database_url)}, canaries)
    assert not findings, "typed text stored in plaintext:\n" + "\n".join(map(str, findings))


def _evidence() -> tuple[str, str]:
    token = secrets.token_hex(8)
    return f"Stood by Mere at the hui, steady and kind {token}", token


@pytest.mark.parametrize("context", [False], indirect=True)
def test_without_javascript_a_reflection_posted_after_the_lock_is_saved_after_unlocking(
    context: BrowserContext, server: RunningServer
) -> None:
    page = context.new_page()
    _unlock(page, server.url)
    reflect_url = _reflect_url(page, server.url)
    page.goto(reflect_url)
    evidence, token = _evidence()
    _answer(page, evidence)

    page.wait_for_timeout((IDLE_SECONDS + 1) * 1000)  # the idle lock runs out meanwhile
    _, save = _reflect_form(page)
    save.click()  # type: ignore[attr-defined]

    expect(page.get_by_text(LOCKED_OUT)).to_be_visible()
    body = page.locator("body").inner_text()
    assert "saved" not in body.replace(LOCKED_OUT, "").lower().replace("not saved", "")
    page.locator("input[name=passphrase]").fill(PASSPHRASE)
    page.get_by_role("button", name="Unlock", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("not saved yet")
    page.get_by_role("button", name="Save it now").click()
    expect(page).not_to_have_url(re.compile(r"/unlock/"))
    assert _stored_answer(page, reflect_url) == (True, evidence)
    _never_at_rest(server, evidence, token)


@pytest.mark.parametrize("context", [True], indirect=True)
def test_with_javascript_answers_typed_before_the_idle_lock_are_saved_first(
    context: BrowserContext, server: RunningServer
) -> None:
    page = context.new_page()
    _unlock(page, server.url)
    reflect_url = _reflect_url(page, server.url)
    page.goto(reflect_url)
    evidence, token = _evidence()
    _answer(page, evidence)

    # Nobody touches anything: the page locks itself, saving first.
    expect(page).to_have_url(re.compile(r"/unlock/"), timeout=(IDLE_SECONDS + 8) * 1000)
    _unlock(page, server.url)
    assert _stored_answer(page, reflect_url) == (True, evidence)
    _never_at_rest(server, evidence, token)


@pytest.mark.parametrize("context", [True], indirect=True)
def test_with_javascript_lock_now_saves_what_was_just_typed(
    context: BrowserContext, server: RunningServer
) -> None:
    page = context.new_page()
    _unlock(page, server.url)
    reflect_url = _reflect_url(page, server.url)
    page.goto(reflect_url)
    evidence, token = _evidence()
    _answer(page, evidence)
    # At once, before the typing pause would have saved it, and with the focus still in
    # the box (a click on the button would blur it, which saves it anyway): as the
    # keyboard does, or another tab locking.
    page.evaluate("document.getElementById('lock-form').requestSubmit()")
    expect(page).to_have_url(re.compile(r"/unlock/"))
    _unlock(page, server.url)
    assert _stored_answer(page, reflect_url) == (True, evidence)
    _never_at_rest(server, evidence, token)


@pytest.mark.parametrize("context", [True], indirect=True)
def test_with_javascript_a_form_sent_after_the_session_ended_is_sent_on_after_unlocking(
    context: BrowserContext, server: RunningServer
) -> None:
    page = context.new_page()
    _unlock(page, server.url)
    reflect_url = _reflect_url(page, server.url)
    page.goto(reflect_url)
    # The session ends under the open page (a computer asleep past the idle time).
    context.clear_cookies(name="allymap_key")
    evidence, token = _evidence()
    _answer(page, evidence)
    _, save = _reflect_form(page)
    save.click()  # type: ignore[attr-defined]

    expect(page.get_by_text(LOCKED_OUT)).to_be_visible()
    page.locator("input[name=passphrase]").fill(PASSPHRASE)
    page.get_by_role("button", name="Unlock", exact=True).click()
    # The carried form goes on by itself, to where it was going.
    expect(page).not_to_have_url(re.compile(r"/unlock/"))
    expect(page).to_have_url(re.compile(r"/i/[^/]+/people/[^/]+/"))
    assert _stored_answer(page, reflect_url) == (True, evidence)
    _never_at_rest(server, evidence, token)
