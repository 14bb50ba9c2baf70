"""Adding a person to the map."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

from allymap.domain import ALIAS_MAX
from allymap.services import accounts, interventions
from allymap.store import log
from tests.web.conftest import Started
from tests.web.pages import event_count, id_from, text_of


def _url(started: Started) -> str:
    return f"/i/{started.intervention_id}/people/new/"


def test_it_adds_a_person_and_goes_on_to_reflect(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    response = owner_client.post(_url(intervention), {"alias": "Coach P", "relationship": "rugby"})
    assert response.status_code == 302, text_of(response)
    person_id = id_from(response.headers["Location"], r"/people/([^/]+)/reflect/$")
    state = interventions.intervention_open(
        keyring=owner.keyring, intervention_id=intervention.intervention_id
    )
    assert state.person(person_id).alias == "Coach P"
    assert state.person(person_id).relationship == "rugby"


def test_it_refuses_a_too_long_alias_and_keeps_what_was_typed(
    owner_client: Client, intervention: Started
) -> None:
    before = event_count(intervention.intervention_id)
    typed = "Cousin Bartholomew-" + "x" * (ALIAS_MAX - 18)
    assert len(typed) == ALIAS_MAX + 1
    response = owner_client.post(
        _url(intervention), {"alias": typed, "relationship": "cousin & co"}
    )
    assert response.status_code == 200
    page = text_of(response)
    assert 'class="error"' in page
    assert f'value="{html.escape(typed)}"' in page
    assert f'value="{html.escape("cousin & co")}"' in page
    assert event_count(intervention.intervention_id) == before


def test_it_takes_an_alias_of_exactly_the_limit(
    owner_client: Client, intervention: Started
) -> None:
    response = owner_client.post(_url(intervention), {"alias": "y" * ALIAS_MAX})
    assert response.status_code == 302


def test_it_refuses_a_control_character(owner_client: Client, intervention: Started) -> None:
    before = event_count(intervention.intervention_id)
    response = owner_client.post(_url(intervention), {"alias": "Uncle\x07T"})
    assert response.status_code == 200
    assert 'class="error"' in text_of(response)
    assert event_count(intervention.intervention_id) == before


def test_it_says_busy_when_others_keep_writing(
    owner_client: Client, intervention: Started, monkeypatch: pytest.MonkeyPatch
) -> None:
    def always_clash(*args: object, **kwargs: object) -> None:
        raise log.SeqClash("someone else was first")

    monkeypatch.setattr(log, "append", always_clash)
    before = event_count(intervention.intervention_id)
    response = owner_client.post(_url(intervention), {"alias": "Coach P"})
    assert response.status_code == 503
    assert "allymap was busy saving something else" in text_of(response)
    assert event_count(intervention.intervention_id) == before


def test_it_adds_a_person_once_when_the_form_is_posted_twice(
    owner_client: Client, intervention: Started
) -> None:
    page = text_of(owner_client.get(f"/i/{intervention.intervention_id}/people/new/"))
    once = re.search(r'name="once" value="([^"]+)"', page)
    assert once, page
    form = {"alias": "Coach P", "relationship": "rugby", "once": once.group(1)}
    before = event_count(intervention.intervention_id)
    first = owner_client.post(f"/i/{intervention.intervention_id}/people/new/", form)
    second = owner_client.post(f"/i/{intervention.intervention_id}/people/new/", form)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert event_count(intervention.intervention_id) == before + 1


def test_it_refuses_an_alias_that_could_disguise_itself(
    owner_client: Client, intervention: Started
) -> None:
    before = event_count(intervention.intervention_id)
    response = owner_client.post(
        f"/i/{intervention.intervention_id}/people/new/", {"alias": "Ta\u200bma"}
    )
    assert response.status_code == 200
    assert "invisible or direction-changing character" in text_of(response)
    assert event_count(intervention.intervention_id) == before
