"""Every page links the stylesheets whose rules can apply to it.

allymap.css holds what every page needs; the rules only some pages use are in sheets of
their own (reflect.css, pictures.css, prints.css), linked by those pages alone, so the
others stay light (issue 10: the weight budget). A page that shows a class one of those
sheets styles, without linking it, would lose its layout quietly: this walks every page
of the demo's intervention and every other page, and for each rule of each page's own
sheets checks it."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client

from tests.web.conftest import DemoPages

STATIC = Path(__file__).resolve().parents[2] / "allymap" / "web" / "static" / "allymap"
OWN_SHEETS = ("reflect.css", "pictures.css", "prints.css")


def _selectors(css: str) -> list[str]:
    """Every selector of every rule (inside @media too), one by one."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    found = []
    for match in re.finditer(r"([^{}]+)\{[^{}]*\}", css):
        found += [part.strip() for part in match.group(1).split(",") if part.strip()]
    return found


def _classes(selector: str) -> frozenset[str]:
    return frozenset(re.findall(r"\.([A-Za-z_][\w-]*)", re.sub(r"\([^)]*\)", "", selector)))


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.classes: set[str] = set()
        self.sheets: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.classes.update((found.get("class") or "").split())
        if tag == "link" and found.get("rel") == "stylesheet":
            self.sheets.add((found.get("href") or "").rsplit("/", 1)[-1])


@pytest.mark.parametrize("sheet", OWN_SHEETS)
def test_each_rule_of_a_pages_own_sheet_names_a_class(sheet: str) -> None:
    """A rule with no class would apply to pages that do not link its sheet."""
    for selector in _selectors((STATIC / sheet).read_text()):
        assert _classes(selector), (sheet, selector)


def test_every_page_links_the_sheets_whose_rules_apply_to_it(
    owner_client: Client, demo_pages: DemoPages
) -> None:
    intervention_id = demo_pages.intervention_id
    chosen = "&".join(f"p={pid}" for pid in list(demo_pages.state.people)[:3])
    urls = list(demo_pages.urls.items())
    urls += [
        ("compare (chosen)", f"/i/{intervention_id}/compare/?{chosen}"),
        ("hui (chosen)", f"/i/{intervention_id}/hui/?{chosen}"),
        ("roles (giving)", f"/i/{intervention_id}/roles/?give=coordinator"),
    ]
    rules = {
        sheet: [_classes(s) for s in _selectors((STATIC / sheet).read_text())]
        for sheet in OWN_SHEETS
    }
    linked_somewhere = dict.fromkeys(OWN_SHEETS, 0)
    for name, url in urls:
        if name == "exit":
            continue
        page = _Page()
        page.feed(owner_client.get(url).content.decode())
        for sheet, selectors in rules.items():
            applies = [sorted(c) for c in selectors if c <= page.classes]
            if applies:
                assert sheet in page.sheets, f"{name} shows {applies[0]} but does not link {sheet}"
            linked_somewhere[sheet] += sheet in page.sheets
    assert all(linked_somewhere.values()), linked_somewhere
