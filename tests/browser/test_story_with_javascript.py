"""From the first run to a reflection, in Chromium with JavaScript on."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.browser.session import BrowserSession
from tests.browser.story import (
    Story,
    assert_nothing_typed_at_rest,
    walk_from_first_run_to_a_reflection,
)
from tests.server import RunningServer

pytestmark = pytest.mark.browser


def test_a_facilitator_maps_a_person_and_reads_the_reflection(
    open_browser: Callable[..., BrowserSession],
    server: RunningServer,
) -> None:
    session = open_browser()
    story = Story()
    walk_from_first_run_to_a_reflection(session, story, javascript=True)
    session.assert_only_the_server_was_asked()
    assert_nothing_typed_at_rest(server, story)
