"""Words people read keep to the chart's principles (see DOMAIN.md)."""

from __future__ import annotations

import re
from pathlib import Path

from django.test import Client

from allymap.web.words import POSITION_LABELS
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
