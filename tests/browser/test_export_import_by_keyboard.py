"""Exporting an intervention and importing the file again, by keyboard alone and without
JavaScript: the download is a file with a neutral name, the import lands on the copy, and
both pages pass axe at 1280 and 320 px."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import axe_violations, described
from tests.browser.pages import SetupPage, StartPage
from tests.browser.session import BrowserSession
from tests.browser.story import Story

pytestmark = pytest.mark.browser

FILE_WORDS = "kererū in the pūriri"


def _axe_at_both_widths(page: Page, where: str) -> None:
    """axe (a script) runs in a context with JavaScript on; the pages use none."""
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        page.evaluate("() => window.scrollTo(0, 0)")
        violations = axe_violations(page)
        assert not violations, f"{where} at {width} px:\n{described(violations)}"


def _tab_to(page: Page, selector: str, limit: int = 60) -> None:
    """Press Tab until the element `selector` has the focus (keyboard only)."""
    target = page.locator(selector)
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("(el) => el === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_export_then_import_by_keyboard_without_javascript(
    open_browser: Callable[..., BrowserSession], tmp_path: Path
) -> None:
    story = Story()
    session = open_browser(java_script_enabled=False, accept_downloads=True)
    page = session.page
    sheet = SetupPage.open(page, session.server_url).choose_passphrase(story.passphrase)
    start = sheet.keep_it_safe_and_continue().start_an_intervention()
    start.answer_nobody_is_in_danger()
    start.name_it(story.code_name, story.doing_harm_alias)
    start.start()
    expect(page).to_have_url(re.compile(r"/i/[^/]+/$"))
    original = page.url

    _tab_to(page, "a[href$='/export/']")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/export/$"))
    page.screenshot(path=str(tmp_path / "export-1280.png"), full_page=True)
    _tab_to(page, "input[value='encrypted']")
    expect(page.locator("input[value='encrypted']")).to_be_checked()
    _tab_to(page, "input[name='export_passphrase']")
    page.keyboard.type(FILE_WORDS)
    page.keyboard.press("Tab")
    page.keyboard.type(FILE_WORDS)
    with page.expect_download() as waiting:
        page.keyboard.press("Enter")
    download = waiting.value
    assert re.fullmatch(r"export-\d{4}-\d{2}-\d{2}\.enc", download.suggested_filename)
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert story.code_name.encode() not in saved.read_bytes()

    page.goto(f"{session.server_url.rstrip('/')}/interventions/")
    _tab_to(page, "a[href$='/interventions/import/']")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/interventions/import/$"))
    page.locator("input[type='file']").set_input_files(str(saved))
    _tab_to(page, "input[name='export_passphrase']")
    page.keyboard.type(FILE_WORDS)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/i/[^/]+/$"))
    assert page.url != original
    expect(page.get_by_role("heading", level=1)).to_contain_text(story.code_name)
    page.screenshot(path=str(tmp_path / "imported.png"), full_page=True)


def test_the_export_and_import_pages_pass_axe(
    open_browser: Callable[..., BrowserSession],
) -> None:
    story = Story()
    session = open_browser()
    page = session.page
    page.goto(f"{session.server_url.rstrip('/')}/unlock/")
    if "/setup/" in page.url:
        sheet = SetupPage(page, session.server_url).choose_passphrase(story.passphrase)
        sheet.keep_it_safe_and_continue()
    else:
        page.get_by_label("Passphrase", exact=True).fill(story.passphrase)
        page.get_by_role("button", name="Unlock", exact=True).click()
    page.goto(f"{session.server_url.rstrip('/')}/interventions/new/")
    start = StartPage(page, session.server_url)
    start.answer_nobody_is_in_danger()
    start.name_it(story.code_name, story.doing_harm_alias)
    start.start()
    expect(page).to_have_url(re.compile(r"/i/[^/]+/$"))
    page.goto(page.url + "export/")
    _axe_at_both_widths(page, "the export page")
    # With its refusal showing too.
    page.get_by_label("Choose a passphrase for the file").fill("short")
    page.get_by_role("button", name="Export and download").click()
    expect(page.locator(".has-error").first).to_be_visible()
    _axe_at_both_widths(page, "the export page, refused")
    page.goto(f"{session.server_url.rstrip('/')}/interventions/import/")
    _axe_at_both_widths(page, "the import page")
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator(".has-error").first).to_be_visible()
    _axe_at_both_widths(page, "the import page, refused")
