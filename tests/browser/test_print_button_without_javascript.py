"""Without JavaScript the recovery sheet must not offer a Print button that does nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from tests.browser.pages import SetupPage
from tests.browser.session import BrowserSession
from tests.browser.story import Story

pytestmark = pytest.mark.browser


def test_it_hides_the_print_button_without_javascript(
    open_browser: Callable[..., BrowserSession],
) -> None:
    session = open_browser(java_script_enabled=False)
    sheet = SetupPage.open(session.page, session.server_url).choose_passphrase(Story().passphrase)
    expect(sheet.recovery_key).to_be_visible()
    expect(sheet.print_button).to_be_hidden(timeout=1_000)
