"""Quick exit from the keyboard: Esc three times leaves at once, and Back does not return."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.session import BrowserSession
from tests.browser.story import Story, sign_in

pytestmark = pytest.mark.browser


def test_escape_three_times_leaves_and_back_does_not_show_the_intervention(
    open_browser: Callable[..., BrowserSession],
) -> None:
    session = open_browser()
    story = Story(code_name="Kingfisher", doing_harm_alias="Hemi")
    start = sign_in(session, story).start_an_intervention()
    start.answer_nobody_is_in_danger()
    start.name_it(story.code_name, story.doing_harm_alias)
    intervention = start.start()
    expect(intervention.heading).to_have_text(story.code_name)
    intervention_path = urlsplit(intervention.page.url).path

    intervention.press_escape_three_times()

    page = session.page
    page.go_back()
    expect(page).to_have_url(re.compile(r"/(unlock|away)/"))
    # The exit replaced the intervention in the history, so Back did not even ask for it.
    assert intervention_path not in unquote(page.url)
    content = page.content()
    assert story.code_name not in content
    assert story.doing_harm_alias not in content
    # The session was locked on the way out, not only hidden.
    page.goto(session.server_url + "interventions/")
    expect(page).to_have_url(re.compile(r"/unlock/"))
    assert story.code_name not in page.content()
    session.assert_only_the_server_was_asked()
