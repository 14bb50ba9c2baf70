"""The pictures in real Chromium, with JavaScript on and off: the ring map of 60 people
draws every label where the browser measures it apart from every other, on the map page
and on the screen for the hui, at 1280 and 320 pixels; and the new pages pass axe.

The 60 people are built through the services (tests/browser/sixty.py) in a folder set up
by `allymap demo`, before the server starts on it.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.browser.axe import axe_violations, described
from tests.browser.session import BrowserSession
from tests.server import RunningServer, running_server, server_database, server_environment

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "sixty people around the table"
WIDTHS = (1280, 320)


@dataclass(frozen=True)
class Sixty:
    server: RunningServer
    intervention_id: str


@pytest.fixture(scope="module")
def sixty(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sixty]:
    folder = tmp_path_factory.mktemp("sixty")
    data = folder / "data"
    tmp = folder / "tmp"
    tmp.mkdir(mode=0o700)
    with server_database() as env:
        environment = server_environment(tmp, env)

        def run(*command: str) -> str:
            done = subprocess.run(
                [sys.executable, "-m", *command],
                cwd=ROOT,
                env=environment,
                capture_output=True,
                text=True,
                check=False,
                timeout=300,
            )
            assert done.returncode == 0, done.stdout + done.stderr
            return done.stdout

        run("allymap", "demo", "--data-dir", str(data), "--passphrase", PASSPHRASE)
        intervention_id = run("tests.browser.sixty", str(data), PASSPHRASE).strip().splitlines()[-1]
        with running_server(data, env) as server:
            yield Sixty(server, intervention_id)


@pytest.fixture
def server(sixty: Sixty) -> RunningServer:
    """The conftest's browsers open on the 60-person server."""
    return sixty.server


def _unlocked(open_browser: Callable[..., BrowserSession], **options: object) -> BrowserSession:
    session = open_browser(**options)
    page = session.page
    page.goto(session.server_url + "unlock/")
    page.fill("input[type=password]", PASSPHRASE)
    page.locator("main button[type=submit]").first.click()
    page.wait_for_url("**/interventions/**")
    return session


OVERLAPS = """(selector) => {
    const boxes = [...document.querySelectorAll(selector)].map((text) => {
        const r = text.getBoundingClientRect();
        return {label: text.textContent,
                left: r.left, top: r.top, right: r.right, bottom: r.bottom};
    });
    const clashes = [];
    for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
            const a = boxes[i], b = boxes[j];
            if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) {
                clashes.push([a.label, b.label]);
            }
        }
    }
    return {count: boxes.length, clashes};
}"""

OUTSIDE_BACKING = """(selector) => [...document.querySelectorAll(selector)].filter((text) => {
    const box = text.getBBox();
    const backing = text.previousElementSibling.getBBox();
    return box.x < backing.x - 0.5 || box.x + box.width > backing.x + backing.width + 0.5
        || box.y < backing.y - 0.5 || box.y + box.height > backing.y + backing.height + 0.5;
}).map((text) => text.textContent)"""


@pytest.mark.parametrize("java_script", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("where", ["map/", "hui/", "hui/?names=initials", "hui/?names=aliases"])
def test_no_two_labels_of_sixty_people_overlap_as_drawn(
    open_browser: Callable[..., BrowserSession], sixty: Sixty, java_script: bool, where: str
) -> None:
    session = _unlocked(open_browser, java_script_enabled=java_script)
    page = session.page
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{session.server_url}i/{sixty.intervention_id}/{where}")
        selector = "svg.ring-map text.label"
        drawn = page.evaluate(OVERLAPS, selector)
        assert drawn["count"] == 60
        assert drawn["clashes"] == [], drawn["clashes"]
        # Each label's text fits the box the layout measured for it (by estimate).
        assert page.evaluate(OUTSIDE_BACKING, selector) == []
        # The page itself never scrolls sideways: the picture scrolls in its frame.
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    session.assert_only_the_server_was_asked()


def test_the_new_pages_pass_axe_at_both_widths(
    open_browser: Callable[..., BrowserSession], sixty: Sixty
) -> None:
    session = _unlocked(open_browser)
    page = session.page
    base = f"{session.server_url}i/{sixty.intervention_id}/"
    page.goto(base + "map/")
    person = page.locator("table.map-table a").first.get_attribute("href")
    assert person
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for url in (base + "map/", base + "hui/", session.server_url + person.lstrip("/")):
            page.goto(url)
            violations = axe_violations(page)
            assert not violations, f"{url} at {width}px:\n{described(violations)}"
