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
