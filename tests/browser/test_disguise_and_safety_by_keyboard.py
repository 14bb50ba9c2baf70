"""The safety page and the disguise, by keyboard alone and without JavaScript: the tab is
called "Notes" with a plain icon on every page, the unlock page too, and a quick exit does
not undo it (it lives in the data folder, not in a cookie the exit clears)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.session import BrowserSession
from tests.browser.story import Story, sign_in

pytestmark = pytest.mark.browser


def _tab_to(page: Page, name: str, *, limit: int = 60) -> None:
    """Press Tab until the focused element's text is `name` (fails after `limit` presses)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == name:
            return
    raise AssertionError(f"{name!r} cannot be reached with the Tab key")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_disguise_by_keyboard_alone_survives_a_quick_exit(
    open_browser: Callable[..., BrowserSession], javascript: bool
) -> None:
    session = open_browser(java_script_enabled=javascript)
    sign_in(session, Story(code_name="Tūī", doing_harm_alias="Rewi"))
    page = session.page
    page.goto(session.server_url + "interventions/")
    assert "allymap" in page.title()

    _tab_to(page, "Staying safe while you use allymap")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/safety/"))
    _tab_to(page, "Turn the disguise on")
    page.keyboard.press("Enter")
    expect(page.get_by_text("The disguise is on.")).to_be_visible()
    assert page.title() == "Notes"
    assert "neutral.svg" in (page.locator("link[rel=icon]").get_attribute("href") or "")

    page.goto(session.server_url + "exit/")
    page.goto(session.server_url + "unlock/")
    assert page.title() == "Notes"
    assert "allymap" not in page.title()

    # Put it back, by keyboard again, so the next test sees allymap's own title.
    page.goto(session.server_url + "safety/")
    _tab_to(page, "Turn the disguise off")
    page.keyboard.press("Enter")
    expect(page.get_by_text("The disguise is off.")).to_be_visible()
    assert "allymap" in page.title()
