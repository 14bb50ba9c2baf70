"""axe on every page a journey visits, at 1280 and 320 px wide, with JavaScript on or off.

axe is a script, so it cannot run in a page whose scripts are off. For a journey without
JavaScript, each page is checked as a no-JavaScript visitor gets it: the very bytes the
server sent for it are loaded in a second context (JavaScript on, for axe) whose requests
for allymap's own scripts are aborted. Replaying the response, rather than asking the
server again, covers pages that answer a POST (the recovery sheet) and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page, Response, Route

from tests.browser.axe import axe_violations, described

WIDTHS = (1280, 320)
HEIGHT = 900
OWN_SCRIPTS = "**/static/allymap/*.js"


@dataclass
class AxeOnEveryPage:
    """Checks each page of a journey as it goes; `assert_none()` at the end says all.

    `check(name)` runs axe on the journey's page as it is now, at each width, from the
    top of the page: scrolled down, the sticky quick exit lies over what is under it,
    which axe's target-size rule counts against that. Every violation is kept, with the
    page's name and width, so one run reports them all.
    """

    page: Page
    javascript: bool
    browser: Browser
    found: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    checked: list[str] = field(default_factory=list)
    _last_document: Response | None = None
    _mirror: BrowserContext | None = None
    _html: bytes = b""
    _also: list[Callable[[], None]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.javascript:
            self.page.on("response", self._remember)

    def _remember(self, response: Response) -> None:
        is_document = response.request.resource_type == "document"
        if is_document and response.frame == self.page.main_frame and response.status < 300:
            self._last_document = response

    def on_each_page(self, check: Callable[[], None]) -> None:
        """Also run this on each page checked (before axe, on the journey's own page)."""
        self._also.append(check)

    def check(self, name: str) -> None:
        self.checked.append(name)
        for also in self._also:
            also()
        target = self.page if self.javascript else self._as_without_javascript()
        size = self.page.viewport_size
        for width in WIDTHS:
            target.set_viewport_size({"width": width, "height": HEIGHT})
            target.evaluate("window.scrollTo(0, 0)")
            if violations := axe_violations(target):
                self.found[f"{name} at {width} px"] = violations
        if self.javascript and size:
            self.page.set_viewport_size(size)

    def _as_without_javascript(self) -> Page:
        response = self._last_document
        here = self.page.url.split("#")[0]
        assert response is not None and response.url == here, f"no response for {here}"
        self._html = response.body()
        if self._mirror is None:
            self._mirror = self.browser.new_context()
            self._mirror.route(OWN_SCRIPTS, lambda route: route.abort())
            self._mirror.route("**/*", self._replay)
        page = self._mirror.pages[0] if self._mirror.pages else self._mirror.new_page()
        page.goto(self.page.url)
        # allymap.js unhides the Esc shortcut's words: still hidden, no script of ours ran.
        shortcut = page.locator("footer [data-shortcut]")
        assert shortcut.get_attribute("hidden") is not None, "allymap's script ran"
        return page

    def _replay(self, route: Route) -> None:
        """The page itself from what the journey got; its styles and images as they are."""
        if route.request.resource_type == "document":
            route.fulfill(status=200, body=self._html, content_type="text/html; charset=utf-8")
        else:
            route.fallback()

    def assert_none(self) -> None:
        try:
            assert self.checked, "no page was checked"
            report = "\n\n".join(f"{where}:\n{described(v)}" for where, v in self.found.items())
            assert not self.found, f"WCAG 2.2 AA violations found by axe:\n{report}"
        finally:
            if self._mirror is not None:
                self._mirror.close()
