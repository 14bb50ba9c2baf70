"""Whose map it is: the pages speak to whoever the map is for; the engine is the same."""

from __future__ import annotations

import html

import pytest
from django.test import Client

from allymap.domain import Perspective
from allymap.services import accounts, interventions
from allymap.services.people import Details, person_add
from allymap.web.words import PERSPECTIVE_LABELS, PERSPECTIVE_WORDS
from tests.web.pages import id_from, text_of

START = {"danger": "no", "code_name": "Spring tide", "doing_harm_alias": "Rua", "harmed_alias": ""}


def _start(client: Client, perspective: str | None) -> str:
    body = START if perspective is None else START | {"perspective": perspective}
    response = client.post("/interventions/new/", body)
    assert response.status_code == 302, text_of(response)
    return id_from(response.headers["Location"], r"^/i/([^/]+)/$")


def _words(perspective: Perspective, key: str) -> str:
    return str(PERSPECTIVE_WORDS[perspective][key]) % {"doing_harm": "Rua"}


def test_every_perspective_words_every_key_and_is_offered_at_the_start(
    owner_client: Client,
) -> None:
    keys = set(PERSPECTIVE_WORDS[Perspective.TEAM])
    assert {p: set(words) for p, words in PERSPECTIVE_WORDS.items()} == dict.fromkeys(
        Perspective, keys
    )
    page = html.unescape(text_of(owner_client.get("/interventions/new/")))
    for perspective in Perspective:
        assert str(PERSPECTIVE_LABELS[perspective]) in page
        assert f'value="{perspective.value}"' in page


@pytest.mark.parametrize("perspective", list(Perspective), ids=lambda p: p.value)
def test_the_pages_follow_the_perspective(
    owner_client: Client, owner: accounts.Unlocked, perspective: Perspective
) -> None:
    intervention_id = _start(owner_client, perspective.value)
    state = interventions.intervention_open(keyring=owner.keyring, intervention_id=intervention_id)
    assert state.perspective is perspective
    person_id = person_add(
        keyring=owner.keyring,
        intervention_id=intervention_id,
        details=Details(alias="Huia", relationship="aunty", relationship_harmed="neighbour"),
    )
    others = [p for p in Perspective if p is not perspective]
    pages = {
        "about": f"/i/{intervention_id}/",
        "people": f"/i/{intervention_id}/",
        "question": f"/i/{intervention_id}/brainstorm/",
        "brainstorm": f"/i/{intervention_id}/brainstorm/",
        "reflect": f"/i/{intervention_id}/people/{person_id}/reflect/",
        "connected_doing_harm": f"/i/{intervention_id}/people/new/",
        "connected_harmed": f"/i/{intervention_id}/people/{person_id}/change/",
        "close_to": f"/i/{intervention_id}/people/{person_id}/change/",
    }
    pages |= {
        "connection_doing_harm": f"/i/{intervention_id}/people/{person_id}/",
        "connection_harmed": f"/i/{intervention_id}/people/{person_id}/",
    }
    for key, url in pages.items():
        page = html.unescape(text_of(owner_client.get(url)))
        assert _words(perspective, key) in page, (key, url)
        own = {_words(perspective, k) for k in PERSPECTIVE_WORDS[perspective]}
        for other in others:
            if _words(other, key) not in own:
                assert _words(other, key) not in page, (key, url, other)


def test_a_start_without_a_choice_is_a_teams_map(
    owner_client: Client, owner: accounts.Unlocked
) -> None:
    intervention_id = _start(owner_client, None)
    state = interventions.intervention_open(keyring=owner.keyring, intervention_id=intervention_id)
    assert state.perspective is Perspective.TEAM


def test_a_perspective_that_is_not_one_is_refused_and_nothing_starts(
    owner_client: Client,
) -> None:
    response = owner_client.post("/interventions/new/", START | {"perspective": "boss"})
    assert response.status_code == 200
    assert "Please choose one of the answers offered." in html.unescape(text_of(response))
