"""From the first run to a reflection, in Chromium with JavaScript on."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.browser.session import BrowserSession
from tests.browser.story import Story, walk_from_first_run_to_a_reflection

pytestmark = pytest.mark.browser


def test_a_facilitator_maps_a_person_and_reads_the_reflection(
    open_browser: Callable[..., BrowserSession],
) -> None:
    session = open_browser()
    walk_from_first_run_to_a_reflection(session, Story(), javascript=True)
    session.assert_only_the_server_was_asked()
