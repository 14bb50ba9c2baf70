"""The four prints on A4, printed by Chromium itself and read back from the PDF.

The blank chart for a hui, the side-by-side chart, a person's summary and an ally's own
copy, from an intervention written before the server starts (tests/browser/prints_seed.py):
each has the number of sheets its layout promises, nothing reaching the edge of the paper
and nothing wider than the printable width, the caution line, the date and the chart's
source at the foot of every sheet, and the app's name in no large type. An ally's copy says
nothing about anyone else: every other person's record carries a planted mark, found in
the prints that should show it and in none of the copies. A kept self-check is in no print.
Set PRINTS_PNG_DIR to keep every sheet as a PNG to look at.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from django.utils.dateformat import format as date_format
from playwright.sync_api import Browser, Page, expect

from tests.browser.axe import axe_violations, described
from tests.browser.paper import (
    A4_POINTS,
    Sheet,
    large_app_names,
    overflowing,
    print_to_sheets,
    squeeze,
)
from tests.browser.prints_seed import (
    ALLY_ALIAS,
    ALLY_CUSTOM_ROLE,
    PASSPHRASE,
    PLANTED,
    SELF_CHECK,
    SUPPORTER_ON_MAP,
    SUPPORTER_ON_TEAM,
    SUPPORTER_OUTSIDE,
    Seeded,
)
from tests.browser.session import BrowserSession
from tests.server import RunningServer, running_server, server_database, server_environment

pytestmark = pytest.mark.browser

REPOSITORY = Path(__file__).resolve().parents[2]
PRINTABLE_WIDTH_MM = 210 - 2 * 15
"""A4 less the left and right page margins of allymap.css."""
CAUTION = "Sensitive: keep this safe, out of sight of anyone it could put at risk."
SOURCE = "Chart from Mataora, Te Wānanga o Raukawa with Creative Interventions."
BLANK_SHEETS = 3
CHART_SHEETS = 2
"""The blank chart's ten rows, both columns and their questions fill two sheets; each
sheet for a person is one more."""


@pytest.fixture(scope="module")
def seeding(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RunningServer, Seeded]]:
    """A server on a data folder the seed wrote first (on the suite's own database)."""
    folder = tmp_path_factory.mktemp("prints")
    data, scratch = folder / "data", folder / "seed-tmp"
    scratch.mkdir(mode=0o700)
    with server_database() as env:
        environment = server_environment(scratch, env) | {"ALLYMAP_DATA_DIR": str(data)}
        done = subprocess.run(
            [sys.executable, "-m", "tests.browser.prints_seed"],
            env=environment,
            cwd=REPOSITORY,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        seeded = Seeded(**json.loads(done.stdout.strip().splitlines()[-1]))
        with running_server(data, env) as running:
            yield running, seeded


@pytest.fixture(scope="module")
def server(seeding: tuple[RunningServer, Seeded]) -> RunningServer:
    """The seeded server, for `open_browser` too."""
    return seeding[0]


@pytest.fixture(scope="module")
def seeded(seeding: tuple[RunningServer, Seeded]) -> Seeded:
    return seeding[1]


@pytest.fixture(scope="module")
def printer(chromium: Browser, server: RunningServer, seeded: Seeded) -> Iterator[Page]:
    """One unlocked page for the whole module (printing needs no new profile each time)."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{server.url}unlock/?next=/i/{seeded.intervention_id}/print/")
    page.fill("input[type=password]", PASSPHRASE)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    yield page
    context.close()


def urls(server: RunningServer, seeded: Seeded) -> dict[str, str]:
    """Every print view, and the pages printed for the rest, by name."""
    base = f"{server.url}i/{seeded.intervention_id}/"
    everyone = [seeded.ally_id, *seeded.other_ids]
    found = {
        "blank chart": f"{base}print/blank/?sheets={BLANK_SHEETS}",
        "side by side": f"{base}compare/?" + "&".join(f"p={pid}" for pid in everyone),
        "ally's copy": f"{base}print/ally/{seeded.ally_id}/",
        "supporter's copy": f"{base}print/team/?m={seeded.supporter_member_id}",
        "own copy": f"{base}print/team/",
        "page of prints": f"{base}print/",
        "self-check page": f"{base}self-check/",
    }
    for n, pid in enumerate(everyone):
        found[f"summary {n}"] = f"{base}people/{pid}/"
        found[f"copy for person {n}"] = f"{base}print/ally/{pid}/"
    return found


@pytest.fixture(scope="module")
def printed(
    printer: Page, server: RunningServer, seeded: Seeded
) -> dict[str, tuple[list[Sheet], list[str], list[str]]]:
    """Each page printed: its sheets, what would be cut at the printable width, and the
    app's name in large type. Sheets are kept as PNGs in PRINTS_PNG_DIR when it is set."""
    keep = os.environ.get("PRINTS_PNG_DIR")
    result = {}
    for name, url in urls(server, seeded).items():
        response = printer.goto(url)
        assert response is not None and response.status == 200, (name, url)
        sheets = print_to_sheets(printer)
        if keep:
            for n, sheet in enumerate(sheets, 1):
                sheet.write_png(Path(keep) / f"{name.replace(' ', '-')}-{n}.png")
        result[name] = (
            sheets,
            overflowing(printer, PRINTABLE_WIDTH_MM),
            large_app_names(printer),
        )
    return result


def _today_words() -> set[str]:
    """Today's date as the foot says it (the server's time zone), or yesterday's, should
    midnight pass while printing."""
    today = timezone.localdate()
    return {date_format(day, "j F Y") for day in (today, today - timedelta(days=1))}


def _text(sheets: list[Sheet]) -> str:
    return "".join(sheet.squeezed for sheet in sheets)


THE_PRINTS = ("blank chart", "side by side", "summary 1", "ally's copy", "supporter's copy")


@pytest.mark.parametrize("name", THE_PRINTS)
def test_every_sheet_is_a4_with_its_edges_blank_and_nothing_cut(
    printed: dict[str, tuple[list[Sheet], list[str], list[str]]], name: str
) -> None:
    sheets, cut, _large = printed[name]
    assert sheets, name
    for n, sheet in enumerate(sheets, 1):
        assert abs(sheet.width - A4_POINTS[0]) < 1 and abs(sheet.height - A4_POINTS[1]) < 1
        assert not sheet.edges_touched(), f"{name}, sheet {n}: {sheet.edges_touched()}"
    assert not cut, f"{name}: wider than the paper: {cut}"


@pytest.mark.parametrize("name", THE_PRINTS)
def test_every_sheet_carries_the_caution_the_date_and_the_source(
    printed: dict[str, tuple[list[Sheet], list[str], list[str]]], name: str
) -> None:
    sheets, _cut, large = printed[name]
    dates = {squeeze(f"Printed {day}.") for day in _today_words()}
    for n, sheet in enumerate(sheets, 1):
        assert squeeze(CAUTION) in sheet.squeezed, f"{name}, sheet {n}: no caution"
        assert squeeze(SOURCE) in sheet.squeezed, f"{name}, sheet {n}: no source"
        assert any(words in sheet.squeezed for words in dates), f"{name}, sheet {n}: no date"
        assert f"{n}/{len(sheets)}" in sheet.squeezed, f"{name}, sheet {n}: no page number"
    assert not large, f"{name} names the app in large type: {large}"


def test_the_blank_chart_has_two_sheets_of_rows_then_one_per_person_and_nobody_in_it(
    printed: dict[str, tuple[list[Sheet], list[str], list[str]]],
) -> None:
    sheets, _cut, _large = printed["blank chart"]
    assert len(sheets) == CHART_SHEETS + BLANK_SHEETS
    chart = "".join(sheet.squeezed for sheet in sheets[:CHART_SHEETS])
    for words in ("Relationship", "Working with the team", "To find out:"):
        assert squeeze(words) in chart
    for n, sheet in enumerate(sheets[CHART_SHEETS:], 1):
        assert squeeze(f"(sheet {n} of {BLANK_SHEETS})") in sheet.squeezed
        assert squeeze("What makes you think so:") in sheet.squeezed
    assert PLANTED.lower() not in _text(sheets).lower()


def test_the_team_prints_show_what_was_planted(
    printed: dict[str, tuple[list[Sheet], list[str], list[str]]],
) -> None:
    """The planted marks are readable in a print that should show them: so their absence
    from an ally's copy means something."""
    for name in ("side by side", "summary 1"):
        sheets, _cut, _large = printed[name]
        assert PLANTED in _text(sheets), name
    assert 1 <= len(printed["side by side"][0]) <= 3
    assert 1 <= len(printed["summary 1"][0]) <= 6


def test_an_allys_copy_shows_them_and_nobody_else(
    printed: dict[str, tuple[list[Sheet], list[str], list[str]]],
    printer: Page,
    server: RunningServer,
    seeded: Seeded,
) -> None:
    sheets, _cut, _large = printed["ally's copy"]
    assert len(sheets) == 1
    text = _text(sheets)
    for shown in (
        ALLY_ALIAS,
        "Accountability ally",
        ALLY_CUSTOM_ROLE,
        SUPPORTER_ON_MAP,
        SUPPORTER_ON_TEAM,
        SUPPORTER_OUTSIDE,
        "An accountability ally",
    ):
        assert squeeze(shown) in text, shown
    assert PLANTED.lower() not in text.lower()
    # Nor in the sheet on screen: not hidden from the paper, simply not there. (Around
    # it, the screen names the intervention in its link back, never printed.)
    printer.goto(urls(server, seeded)["ally's copy"])
    assert PLANTED.lower() not in printer.locator("article").inner_html().lower()


def test_every_copy_for_one_person_says_nothing_of_the_others(
    printed: dict[str, tuple[list[Sheet], list[str], list[str]]],
) -> None:
    """Copies for someone whose own record is planted carry their own mark and no other."""
    for name in ("supporter's copy", "own copy"):
        sheets, _cut, _large = printed[name]
        assert PLANTED.lower() not in _text(sheets).lower(), name
    assert squeeze(SUPPORTER_ON_TEAM) in _text(printed["supporter's copy"][0])
    assert squeeze("Support for allies") in _text(printed["supporter's copy"][0])
    for n in (1, 2):
        text = _text(printed[f"copy for person {n}"][0])
        assert squeeze(f"{PLANTED} alias {n} Thornbury") in text
        # Their alias, and their own role (1) or their supporter's name (2): nothing more.
        assert text.count(PLANTED) == 2, (n, text)


def test_a_kept_self_check_is_in_no_print(
    printed: dict[str, tuple[list[Sheet], list[str], list[str]]],
) -> None:
    assert len(printed) >= 12
    for name, (sheets, _cut, _large) in printed.items():
        assert squeeze(SELF_CHECK).lower() not in _text(sheets).lower(), name


@pytest.mark.parametrize("width", [1280, 320])
def test_the_print_pages_on_screen_pass_axe_and_fit(
    open_browser: Callable[..., BrowserSession],
    server: RunningServer,
    seeded: Seeded,
    width: int,
) -> None:
    session = open_browser(viewport={"width": width, "height": 900})
    page = session.page
    page.goto(f"{server.url}unlock/?next=/i/{seeded.intervention_id}/print/")
    page.fill("input[type=password]", PASSPHRASE)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    everything = urls(server, seeded)
    for name in ("page of prints", "blank chart", "ally's copy", "own copy"):
        page.goto(everything[name])
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name
        violations = axe_violations(page)
        assert not violations, f"{name} at {width}px:\n{described(violations)}"


def test_the_prints_are_reached_by_keyboard_without_javascript(
    open_browser: Callable[..., BrowserSession], server: RunningServer, seeded: Seeded
) -> None:
    session = open_browser(java_script_enabled=False)
    page = session.page
    page.goto(f"{server.url}unlock/?next=/i/{seeded.intervention_id}/")
    page.fill("input[type=password]", PASSPHRASE)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_role("link", name="Print on paper").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_label("Sheets for people (one each)").select_option("2")
    page.get_by_role("button", name="Open the blank chart").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="(sheet 2 of 2)")).to_be_visible()
    expect(page.locator("[data-print]")).to_be_hidden()
    page.go_back()
    page.get_by_role("link", name=f"A copy for {ALLY_ALIAS}").first.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text(ALLY_ALIAS, exact=True)).to_be_visible()


def test_a_self_check_opened_on_screen_is_not_printed(
    printer: Page, server: RunningServer, seeded: Seeded
) -> None:
    """Printed while its author has it open, the self-check page gives only its note."""
    printer.goto(urls(server, seeded)["self-check page"])
    printer.locator("form.sc-open input[type=password]").fill(PASSPHRASE)
    with printer.expect_navigation():
        printer.get_by_role("button", name="Open it", exact=True).click()
    expect(printer.get_by_text(SELF_CHECK)).to_be_visible()
    text = _text(print_to_sheets(printer))
    assert squeeze("A self-check is never printed.") in text
    assert squeeze(SELF_CHECK).lower() not in text.lower()
