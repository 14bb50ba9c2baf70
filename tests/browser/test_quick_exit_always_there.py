"""The quick exit is in view and on top at every width and scroll position, is the first
thing the keyboard reaches, and no page claims a shortcut that does not work."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.session import BrowserSession
from tests.browser.story import Story, sign_in

pytestmark = pytest.mark.browser

SHORTCUT = "press Esc three times"


def _on_top_and_in_view(page: Page) -> None:
    """The button's centre is inside the window and the button is what a click there hits."""
    hit = page.evaluate(
        """() => {
            const button = document.getElementById("quick-exit");
            const box = button.getBoundingClientRect();
            const x = box.left + box.width / 2, y = box.top + box.height / 2;
            const inView = x >= 0 && y >= 0 && x <= innerWidth && y <= innerHeight;
            const top = document.elementFromPoint(x, y);
            return inView && (top === button || button.contains(top));
        }"""
    )
    assert hit, f"the quick exit is covered or out of view at {page.viewport_size}"


@pytest.mark.parametrize("width", [320, 768, 1280])
def test_it_stays_in_view_and_on_top_while_scrolling(
    open_browser: Callable[..., BrowserSession], width: int
) -> None:
    session = open_browser(viewport={"width": width, "height": 640})
    sign_in(session, Story(code_name="Kererū", doing_harm_alias="Hemi"))
    page = session.page
    for path in ("interventions/new/", "safety/", "about/"):
        page.goto(session.server_url + path)
        for fraction in (0, 0.5, 1):
            page.evaluate(f"window.scrollTo(0, document.body.scrollHeight * {fraction})")
            _on_top_and_in_view(page)


def test_it_is_the_first_thing_the_keyboard_reaches(
    open_browser: Callable[..., BrowserSession],
) -> None:
    session = open_browser()
    session.page.goto(session.server_url + "safety/")
    session.page.keyboard.press("Tab")
    assert session.page.evaluate("document.activeElement.id") == "quick-exit"
    session.page.keyboard.press("Enter")
    expect(session.page).to_have_url(re.compile(r"/away/"))


def test_without_javascript_it_leaves_and_claims_no_shortcut(
    open_browser: Callable[..., BrowserSession],
) -> None:
    session = open_browser(java_script_enabled=False)
    sign_in(session, Story(code_name="Kōtuku", doing_harm_alias="Tama"))
    page = session.page
    for path in ("interventions/", "safety/", "about/"):
        page.goto(session.server_url + path)
        visible = page.locator("body").inner_text()
        assert SHORTCUT not in visible, f"{path} claims the Esc shortcut without JavaScript"
    page.get_by_role("link", name=re.compile("Quick exit")).click()
    expect(page).to_have_url(re.compile(r"/away/"))
    page.goto(session.server_url + "interventions/")
    expect(page).to_have_url(re.compile(r"/unlock/"))


def test_with_javascript_it_tells_of_the_shortcut(
    open_browser: Callable[..., BrowserSession],
) -> None:
    session = open_browser()
    session.page.goto(session.server_url + "about/")
    assert SHORTCUT in session.page.locator("body").inner_text()


def test_quick_exit_in_one_tab_leaves_every_tab(
    open_browser: Callable[..., BrowserSession],
) -> None:
    session = open_browser()
    story = Story(code_name="Kāhu", doing_harm_alias="Wiremu")
    start = sign_in(session, story).start_an_intervention()
    start.answer_nobody_is_in_danger()
    start.name_it(story.code_name, story.doing_harm_alias)
    intervention = start.start()
    other = session.context.new_page()
    other.goto(intervention.page.url)
    expect(other.get_by_role("heading", level=1)).to_have_text(story.code_name)

    intervention.press_escape_three_times()

    expect(other).to_have_url(re.compile(r"/away/"))
    assert story.code_name not in other.content()
