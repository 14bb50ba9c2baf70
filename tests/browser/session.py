"""A browser context with one page, and the record of every URL it requested."""

from __future__ import annotations

from dataclasses import dataclass, field

from playwright.sync_api import BrowserContext, Page


@dataclass
class BrowserSession:
    """One browser context (a fresh profile) with one page, and every URL it asked for."""

    context: BrowserContext
    page: Page
    server_url: str
    requests: list[str] = field(default_factory=list)

    def assert_only_the_server_was_asked(self) -> None:
        assert self.requests, "no requests were recorded"
        elsewhere = [url for url in self.requests if not url.startswith(self.server_url)]
        assert not elsewhere, f"requests to somewhere other than {self.server_url}: {elsewhere}"

    def assert_no_url_contains(self, *typed: str) -> None:
        leaked = [(t, url) for url in self.requests for t in typed if t and t in url]
        assert not leaked, f"typed words in URLs: {leaked}"
