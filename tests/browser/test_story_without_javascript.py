"""The same story with JavaScript off: every page must work as plain forms and links."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from tests.browser.session import BrowserSession
from tests.browser.story import (
    Story,
    assert_nothing_typed_at_rest,
    walk_from_first_run_to_a_reflection,
)
from tests.server import RunningServer

pytestmark = pytest.mark.browser


def test_a_facilitator_without_javascript_maps_a_person_and_reads_the_reflection(
    open_browser: Callable[..., BrowserSession],
    server: RunningServer,
) -> None:
    session = open_browser(java_script_enabled=False)
    story = Story(code_name="Low tide", person_alias="Aunty Huia")
    reflection = walk_from_first_run_to_a_reflection(session, story, javascript=False)

    # Quick exit is a plain link too: it leaves, and Back does not bring the content back.
    reflection.quick_exit()
    session.page.go_back()
    expect(session.page).to_have_url(re.compile(r"/(unlock|away)/"))
    content = session.page.content()
    for typed in story.typed:
        assert typed not in content
    session.assert_only_the_server_was_asked()
    assert_nothing_typed_at_rest(server, story)
