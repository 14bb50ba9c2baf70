"""The reflect page, keyboard first: ten rows within the key budget from page load, each
saved as it is answered; a row someone else changed meanwhile shown as a difference, never
overwritten; unsaved evidence saved before the page locks; the same page as one plain
form without JavaScript; and labels that stay short at 320 px."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from allymap.chart import default_chart
from tests.browser.axe import axe_violations, described
from tests.browser.pages import POSITION_WORDS
from tests.browser.session import BrowserSession
from tests.browser.story import Story, sign_in

pytestmark = pytest.mark.browser

KEY_BUDGET = 25  # docs/DESIGN: ten rows of a reflection by keyboard, from page load
ROWS = [row.key for row in default_chart().rows]
# One key per row, every position used; "6" is "don't know yet".
KEYS = ["1", "2", "3", "4", "5", "1", "2", "3", "4", "6"]
POSITIONS = ["ally", "leans_ally", "mixed", "leans_in_the_way", "in_the_way", "unknown"]
STORY = Story()


def _start_reflecting(session: BrowserSession, code_name: str) -> str:
    """Sign in, start an intervention, add a person: the reflect page's URL."""
    interventions = sign_in(session, STORY)
    start = interventions.start_an_intervention()
    start.answer_nobody_is_in_danger()
    start.name_it(code_name, "Rewi", "Mere")
    page = start.start().page
    page.get_by_role("link", name="Add a person").click()
    page.locator("input[name=alias]").fill("Uncle Tama")
    page.locator("form[method=post] button[type=submit]").last.click()
    # Adding a person lands on their page or their reflection: either names them by id.
    expect(page).to_have_url(re.compile(r"/people/[^/]+/(reflect/)?$"))
    person = re.search(r"^(.*/people/[^/]+/)", page.url)
    assert person, page.url
    return person.group(1) + "reflect/"


def _checked(page: Page, row: str) -> str:
    return page.locator(f"input[name='position-{row}']:checked").get_attribute("value") or ""


def _axe(page: Page) -> list[dict[str, object]]:
    """axe's WCAG 2.2 AA violations, read from the top of the page: scrolled down, the
    fixed quick exit lies over whatever is under it, which axe counts against that."""
    page.evaluate("window.scrollTo(0, 0)")
    return axe_violations(page)


class Counted:
    """A keyboard that counts every key press."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.presses = 0

    def press(self, key: str) -> None:
        self.presses += 1
        self.page.keyboard.press(key)


def test_ten_rows_by_keyboard_within_the_key_budget_each_saved(
    open_browser: Callable[..., BrowserSession],
) -> None:
    session = open_browser()
    url = _start_reflecting(session, "Kererū")
    page = session.page
    page.goto(url)  # page load: from here every key press counts
    keyboard = Counted(page)
    focused = page.evaluate("document.activeElement.name")
    assert focused == f"position-{ROWS[0]}", "focus does not start on the first row's answers"
    expect(page.get_by_text("press 1 to 6")).to_be_visible()
    for key in KEYS:
        keyboard.press(key)
    assert keyboard.presses <= KEY_BUDGET
    # Each row says "Saved" only once the server has said so; then focus is on Save.
    for row in ROWS:
        expect(page.locator(f"#status-{row}")).to_have_text("Saved")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Save my reflection"
    assert not (violations := _axe(page)), described(violations)

    page.reload()
    for row, key in zip(ROWS, KEYS, strict=True):
        assert _checked(page, row) == POSITIONS[int(key) - 1], row


def test_evidence_is_saved_as_typed_and_before_the_page_locks(
    open_browser: Callable[..., BrowserSession],
) -> None:
    session = open_browser()
    url = _start_reflecting(session, "Pīwakawaka")
    page = session.page
    page.goto(url)
    page.keyboard.press("1")
    # Back to the box of the row just answered, as the hint says.
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.name") == f"evidence-{ROWS[0]}"
    page.keyboard.type("He listens to his nan")
    expect(page.locator(f"#status-{ROWS[0]}")).to_have_text("Not saved yet.")
    page.keyboard.press("Tab")  # on, to the next row's answers: the words are saved
    assert page.evaluate("document.activeElement.name") == f"position-{ROWS[1]}"
    expect(page.locator(f"#status-{ROWS[0]}")).to_have_text("Saved")

    # Typed, and the page locks before the box is left: the words are saved first.
    page.locator(f"textarea[name='evidence-{ROWS[1]}']").focus()
    page.keyboard.type("Walked out of the hui")
    page.evaluate("document.getElementById('lock-form').requestSubmit()")
    expect(page).to_have_url(re.compile(r"/unlock/"))
    page.get_by_label("Passphrase", exact=True).fill(STORY.passphrase)
    page.get_by_role("button", name="Unlock", exact=True).click()
    page.goto(url)
    expect(page.locator(f"textarea[name='evidence-{ROWS[0]}']")).to_have_value(
        "He listens to his nan"
    )
    expect(page.locator(f"textarea[name='evidence-{ROWS[1]}']")).to_have_value(
        "Walked out of the hui"
    )


def test_a_row_changed_in_another_tab_is_shown_never_overwritten(
    open_browser: Callable[..., BrowserSession],
) -> None:
    session = open_browser()
    url = _start_reflecting(session, "Tōtara")
    first = session.page
    first.goto(url)
    second = session.context.new_page()
    second.goto(url)
    second.keyboard.press("2")  # the other tab: row 1 "leans towards ally"
    expect(second.locator(f"#status-{ROWS[0]}")).to_have_text("Saved")

    first.keyboard.press("1")  # this tab, still showing "don't know yet": "ally"
    row = first.locator(f"fieldset#row-{ROWS[0]}")
    difference = row.get_by_role("alert")
    expect(difference).to_contain_text("Someone changed this while you had the page open")
    expect(difference).to_contain_text("Yours: Accountability ally")
    status = first.locator(f"#status-{ROWS[0]}")
    assert "Saved" not in (status.text_content() or "")
    assert _checked(first, ROWS[0]) == "leans_ally"
    assert not (violations := _axe(first)), described(violations)
    # Typing in the box keeps the difference in view: the answer shown is still theirs.
    row.locator("textarea").fill("Saw them at the hui")
    row.locator("textarea").blur()
    expect(status).to_have_text("Saved")
    expect(difference).to_be_visible()
    second.reload()
    assert _checked(second, ROWS[0]) == "leans_ally"

    difference.get_by_role("button", name="Choose my answer again").click()
    expect(difference).to_have_count(0)
    expect(status).to_have_text("Saved")
    second.reload()
    assert _checked(second, ROWS[0]) == "ally"
    expect(second.locator(f"textarea[name='evidence-{ROWS[0]}']")).to_have_value(
        "Saw them at the hui"
    )


def test_without_javascript_it_is_one_plain_form(
    open_browser: Callable[..., BrowserSession],
) -> None:
    session = open_browser(java_script_enabled=False)
    url = _start_reflecting(session, "Harakeke")
    page = session.page
    page.goto(url)
    expect(page.get_by_text("press 1 to 6")).to_be_hidden()
    assert page.evaluate("document.activeElement.tagName") == "BODY"
    for row, position in zip(ROWS[:3], ("ally", "mixed", "in_the_way"), strict=True):
        fieldset = page.locator(f"fieldset#row-{row}")
        fieldset.get_by_role("radio", name=POSITION_WORDS[position], exact=True).check()
    page.locator(f"textarea[name='evidence-{ROWS[0]}']").fill("Rings his nan every Sunday")
    page.get_by_role("button", name="Save my reflection").click()
    expect(page).to_have_url(re.compile(r"/people/[^/]+/$"))
    page.goto(url)
    assert [_checked(page, row) for row in ROWS[:4]] == ["ally", "mixed", "in_the_way", "unknown"]
    expect(page.locator(f"textarea[name='evidence-{ROWS[0]}']")).to_have_value(
        "Rings his nan every Sunday"
    )


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_answers_stay_short_at_320_px(
    open_browser: Callable[..., BrowserSession], javascript: bool
) -> None:
    session = open_browser(java_script_enabled=javascript, viewport={"width": 320, "height": 900})
    url = _start_reflecting(session, f"Rātā {javascript}")
    page = session.page
    page.goto(url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    lines = page.evaluate(
        """() => Array.from(document.querySelectorAll('#row-respected label.choice .rf-words'))
            .map(el => Math.round(el.getBoundingClientRect().height
                                  / parseFloat(getComputedStyle(el).lineHeight)))"""
    )
    assert len(lines) == 6 and max(lines) <= 3, lines
    if javascript:  # axe is a script: it cannot run where scripts are off
        assert not (violations := _axe(page)), described(violations)
