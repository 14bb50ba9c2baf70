"""Words people read keep to the chart's principles (see DOMAIN.md)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from allymap.chart import Position
from allymap.domain import Refusal
from allymap.services.errors import AccountDamage, Damage
from allymap.web.words import (
    ACCOUNT_DAMAGE_WORDS,
    DAMAGE_WORDS,
    POSITION_LABELS,
    POSITION_MARKS,
    REFUSAL_WORDS,
    refusal_message,
)
from tests.web.conftest import Started

TEMPLATES = Path(__file__).resolve().parents[2] / "allymap" / "web" / "templates"
BANNED = re.compile(r"\b(abuser|perpetrator|victim)s?\b", re.IGNORECASE)


def test_it_always_says_both_halves_of_might_get_in_the_way() -> None:
    for label in POSITION_LABELS.values():
        if "get in the way" in str(label):
            assert "other ways" in str(label), label


def test_it_never_uses_the_words_the_toolkit_avoids() -> None:
    for template in TEMPLATES.rglob("*.html"):
        assert not BANNED.search(template.read_text(encoding="utf-8")), template
    assert not any(BANNED.search(str(label)) for label in POSITION_LABELS.values())


def test_it_links_every_hint_to_its_field(owner_client: Client, intervention: Started) -> None:
    for url in ("/interventions/new/", f"/i/{intervention.intervention_id}/people/new/"):
        page = owner_client.get(url).content.decode()
        described = re.findall(r'aria-describedby="([^"]+)"', page)
        assert described, url
        for ids in described:
            for one in ids.split():
                assert f'id="{one}"' in page, (url, one)


def test_it_words_every_code_of_the_core_once() -> None:
    assert set(REFUSAL_WORDS) == set(Refusal)
    assert set(DAMAGE_WORDS) == set(Damage)
    assert set(ACCOUNT_DAMAGE_WORDS) == set(AccountDamage)
    assert set(POSITION_LABELS) == set(POSITION_MARKS) == set(Position)


@pytest.mark.parametrize("code", list(Refusal))
def test_it_fills_every_number_a_refusal_speaks_of(code: Refusal) -> None:
    params = {"limit": 1024, "length": 2000}
    words = refusal_message(code, params)
    assert "%(" not in words
    assert not BANNED.search(words)
    if "%(limit)s" in str(REFUSAL_WORDS[code]):
        assert "1,024" in words


def test_it_takes_passphrase_limits_from_the_constants(client: Client, db: None) -> None:
    """The setup page and its refusals say the minimum the services enforce."""
    from allymap.services.accounts import PASSPHRASE_MIN

    page = client.get("/setup/").content.decode()
    assert f"at least {PASSPHRASE_MIN} characters" in page
    short = "a1b2c3d4e5f6g7"[: PASSPHRASE_MIN - 1]
    response = client.post("/setup/", {"passphrase": short, "confirm": short})
    assert f"{PASSPHRASE_MIN}" in response.content.decode()


def test_forms_refuse_in_allymaps_words_not_djangos(
    owner_client: Client, intervention: Started
) -> None:
    response = owner_client.post(
        f"/i/{intervention.intervention_id}/people/new/",
        {"alias": "", "relationship": "x" * 300},
    )
    page = response.content.decode()
    assert "Please fill this in." in page
    assert "There is room for up to 200 characters here; this has 300." in page
    assert "This field is required" not in page
    assert "Ensure this value" not in page


# --- the look: focus contrast, the type scale, and words found on the pages ------------

CSS = Path(__file__).resolve().parents[2] / "allymap" / "web" / "static" / "allymap" / "allymap.css"


def _luminance(colour: str) -> float:
    hex_digits = colour.lstrip("#")
    if len(hex_digits) == 3:
        hex_digits = "".join(c * 2 for c in hex_digits)
    channels = [int(hex_digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    """WCAG's contrast ratio of two #rrggbb colours."""
    darker, lighter = sorted((_luminance(one), _luminance(other)))
    return (lighter + 0.05) / (darker + 0.05)


def _css() -> str:
    return re.sub(r"/\*.*?\*/", "", CSS.read_text(encoding="utf-8"), flags=re.S)


def _variables(css: str) -> dict[str, str]:
    root = re.search(r":root\{([^}]*)\}", css)
    assert root
    return dict(re.findall(r"(--[\w-]+):\s*(#[0-9a-fA-F]{3,6})", root.group(1)))


def test_the_contrast_sum_is_right() -> None:
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#ffbf47", "#fbfaf7"), 2) < 3  # the old, faint outline


def test_the_focus_outline_stands_out_from_the_page_at_least_three_to_one() -> None:
    css = _css()
    colours = _variables(css)
    backgrounds = [colours["--bg"], colours["--panel"], "#ffffff"]
    outlines = re.findall(r"[^{}]*:focus[^{]*\{[^}]*?outline:\s*\d+px solid ([^;}]+)", css)
    assert outlines, "no focus outline found"
    checked = 0
    for outline in outlines:
        colour = colours.get(outline.strip().removeprefix("var(").removesuffix(")"), outline)
        if not colour.startswith("#"):
            continue
        checked += 1
        for background in backgrounds:
            assert contrast(colour, background) >= 3, (outline, background)
    assert checked


def _font_sizes(block: str) -> dict[str, float]:
    return {
        tag: float(size)
        for tag, size in re.findall(
            r"(?:^|(?<=[{}\n]))(h[123])\{[^}]*?font-size:([\d.]+)rem", block
        )
    }


def test_each_heading_is_smaller_than_the_one_above_at_every_width() -> None:
    css = _css()
    wide = _font_sizes(re.sub(r"@media[^{]*\{(?:[^{}]*\{[^}]*\})*[^{}]*\}", "", css))
    assert wide["h1"] > wide["h2"] > wide["h3"], wide
    narrow: dict[str, float] = {}
    for block in re.finditer(r"@media \(max-width:40rem\)\{((?:[^{}]*\{[^}]*\})*)[^{}]*\}", css):
        narrow |= _font_sizes(block.group(1))
    assert "h1" in narrow and "h2" in narrow, narrow
    # A browser's own h2 is 1.5em: a size must be set for it, and be below h1's.
    small = wide | narrow
    assert small["h1"] > small["h2"] > small["h3"], small


def test_it_says_faith_and_marae_never_church_or_marae() -> None:
    for template in TEMPLATES.rglob("*.html"):
        assert "church or marae" not in template.read_text(encoding="utf-8").lower(), template


def test_the_printed_recovery_sheet_does_not_name_allymap(client: Client, db: None) -> None:
    from allymap.services import accounts

    client.post("/setup/", {"passphrase": "tui sings at dawn", "confirm": "tui sings at dawn"})
    assert accounts.account_is_set_up()
    # The sheet is shown once, on setup; render it again the way setup does.
    from django.template.loader import render_to_string

    page = render_to_string("allymap/recovery_sheet.html", {"recovery_key": "ABCD-EFGH"})
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    assert title and "allymap" not in title.group(1).lower()
    # What prints: everything in the page's main part but what is marked no-print.
    main = re.search(r"<main[^>]*>(.*)</main>", page, re.S)
    assert main
    printed = re.sub(
        r'<(p|div|section)[^>]*class="no-print"[^>]*>.*?</\1>', "", main.group(1), flags=re.S
    )
    assert "ABCD-EFGH" in printed
    assert "allymap" not in printed.lower()


def test_the_about_chart_headers_agree_with_its_cells(client: Client, db: None) -> None:
    from allymap.chart import default_chart

    page = client.get("/about/").content.decode()
    chart = default_chart()
    assert "people who…" not in page
    assert "might help the intervention in other ways…" in page
    for row in chart.rows:
        assert f"{row.number}. {row.topic}" in page.replace("&#x27;", "'").replace("’", "’")
    assert "Mataora" in page
    intro = chart.intro.lower()
    assert not re.search(r"\byou(r|rs|rself)?\b", intro), chart.intro


def test_the_safety_page_gives_someone_not_sure_a_way_on(client: Client, db: None) -> None:
    page = (TEMPLATES / "allymap" / "safety.html").read_text(encoding="utf-8")
    assert "or help is on the way" in page
    assert "nobody is in immediate danger that I know of" in page
    assert '{% include "allymap/_safety.html" %}' in page
