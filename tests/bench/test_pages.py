"""The page benchmark's pure pieces: links read from a page, the mix, verdicts, the table.

Nothing here sets Django up or builds an intervention (that is what running
bench/pages.py does); only the functions that turn measurements into figures are tested.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent.parent


def _load(name: str) -> ModuleType:
    # bench/ is a folder of scripts that import each other by module name: load each from
    # its file under that name, without putting bench/ on sys.path for every test.
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


_load("harness")
_load("open_intervention")
pages = _load("pages")


def _page(**figures: object) -> object:
    page = pages.Page("person", "/i/x/people/y/", needs_unlock=True, status=200)
    for key, value in figures.items():
        setattr(page, key, value)
    return page


def test_links_are_the_stylesheets_and_scripts_a_page_loads() -> None:
    links = pages._Links()
    links.feed(
        '<link rel="icon" href="/static/allymap/allymap.svg">'
        '<link rel="stylesheet" href="/static/allymap/allymap.css">'
        '<link rel="preload stylesheet" href="/static/other.css">'
        '<script src="/static/allymap/allymap.js" defer></script>'
        "<script>inline()</script>"
    )
    assert links.css == ["/static/allymap/allymap.css", "/static/other.css"]
    assert links.js == ["/static/allymap/allymap.js"]


def test_the_mix_counts_events_and_the_calls_that_made_them() -> None:
    mix = pages.Mix(1, people_added=3, people_removed=1, answers=12, reflections=2, notes=2)
    mix.person_changes = 1
    mix.members_added = 3
    assert mix.events == 1 + 3 + 3 + 1 + 12 + 2 + 1
    assert mix.service_calls == 1 + 3 + 3 + 1 + 2 + 2 + 1


def test_the_budget_holds_up_to_its_limits() -> None:
    at_limit = _page(median_ms=10.0, html_bytes=pages.BUDGET_BYTES, queries=6, queries_small=6)
    assert (at_limit.time_met, at_limit.weight_met, at_limit.same_queries) == (True, True, True)
    over = _page(median_ms=10.01, html_bytes=40_000, css_bytes=21_441, queries=7, queries_small=6)
    assert over.total_bytes == pages.BUDGET_BYTES + 1
    assert (over.time_met, over.weight_met, over.same_queries) == (False, False, False)
    judged = pages.budget([at_limit, over])
    assert judged["time_over"] == judged["weight_over"] == judged["queries_differ"] == ["person"]
    assert judged["met"] is False


def test_a_failed_page_is_reported_not_judged() -> None:
    failed = _page(status=500, error="status 500")
    assert (failed.time_met, failed.weight_met, failed.same_queries) == (None, None, None)
    judged = pages.budget([failed])
    assert judged["errors"] == ["person"] and judged["met"] is False


def test_every_row_fills_every_column() -> None:
    built = pages.Built("9,999 events", "i", "p", ("p",), 9_999, 60, 1.0, 1, pages.Mix())
    columns = pages.columns(built)
    measured = _page(
        median_ms=1.0,
        p90_ms=2.0,
        afresh_median_ms=3.0,
        no_replay_median_ms=0.5,
        queries=6,
        queries_small=4,
        writes=0,
    )
    failed = _page(error="status 500")
    for page in (measured, failed):
        assert len(pages.table_row(page)) == len(columns)
    assert "q@9,999" in [column.title for column in columns]


def test_the_pages_include_the_side_by_side_chart_with_people_chosen() -> None:
    """Every GET page of the list, and the chart again with `chosen` chosen: the page
    the weight budget names (8 people side by side)."""
    chosen = tuple(f"person{n}" for n in range(pages.COMPARE_CHOSEN))
    built = pages.Built("x", "iid", "person0", chosen, 9_999, 60, 1.0, 1, pages.Mix())
    found = {name: url for name, url, _needs in pages.the_pages(built)}
    assert "exit" not in found and "intervention" in found
    assert found[pages.COMPARE_CHOSEN_PAGE] == found["compare"] + "?" + "&".join(
        f"p={person_id}" for person_id in chosen
    )
