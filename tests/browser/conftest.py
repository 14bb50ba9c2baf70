"""Debian's Chromium, driven by Playwright, against a real allymap server process.

Never downloads a browser: it uses /usr/bin/chromium and fails (not skips) without it.
Each test module gets its own server with a fresh data folder (and, on the PostgreSQL run,
a fresh database), because the first visit to a server creates its one account.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Playwright, sync_playwright

from tests.browser.session import BrowserSession
from tests.server import RunningServer, running_server, server_database

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def chromium(playwright: Playwright) -> Iterator[Browser]:
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail("install Debian's chromium: apt-get install -y chromium", pytrace=False)
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    folder = tmp_path_factory.mktemp("server")
    with server_database() as env, running_server(folder / "data", env) as running:
        yield running


@pytest.fixture
def open_browser(
    chromium: Browser, server: RunningServer
) -> Iterator[Callable[..., BrowserSession]]:
    """Open a fresh browser context on the server: `open_browser(java_script_enabled=False)`."""
    contexts: list[BrowserContext] = []

    def open_(**options: object) -> BrowserSession:
        context = chromium.new_context(**options)  # type: ignore[arg-type]
        contexts.append(context)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        requests: list[str] = []
        context.on("request", lambda request: requests.append(request.url))
        return BrowserSession(context, context.new_page(), server.url, requests)

    yield open_
    for context in contexts:
        context.close()
