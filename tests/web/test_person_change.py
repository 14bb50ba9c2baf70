"""Changing a person's alias or relationship, and taking them off the map.

A change is shown everywhere at once and refused in allymap's own words; taking someone
off the map asks first, acts only on its button's POST, and keeps their history, so they
can still be forgotten for good afterwards.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import pytest
from django.test import Client

from allymap.services import accounts, interventions
from tests.people import fresh
from tests.web.conftest import CODE_NAME, PERSON_ALIAS, RELATIONSHIP, Started
from tests.web.pages import stored_log, text_of, title_of


def _person_url(started: Started) -> str:
    return f"/i/{started.intervention_id}/people/{started.person_id}/"


def _change_url(started: Started) -> str:
    return f"{_person_url(started)}change/"


def _remove_url(started: Started) -> str:
    return f"{_person_url(started)}remove/"


def _forget_url(started: Started) -> str:
    return f"{_person_url(started)}forget/"


def _escaped(text: str) -> str:
    return html.escape(text)


# --- the person's page links to both ------------------------------------------------------


def test_the_person_page_links_to_changing_and_taking_off_the_map(
    owner_client: Client, intervention: Started
) -> None:
    page = text_of(owner_client.get(_person_url(intervention)))
    assert f'href="{_change_url(intervention)}">Change name or connection</a>' in page
    assert f'href="{_remove_url(intervention)}">Take off the map…</a>' in page
    assert f'href="{_forget_url(intervention)}">Forget this person…</a>' in page


# --- changing -----------------------------------------------------------------------------


def test_the_form_shows_the_current_alias_and_relationship(
    owner_client: Client, intervention: Started
) -> None:
    before = stored_log(intervention.intervention_id)
    response = owner_client.get(_change_url(intervention))
    assert response.status_code == 200
    assert title_of(response) == "Change a person · allymap"
    page = text_of(response)
    assert f'name="alias" value="{_escaped(PERSON_ALIAS)}"' in page
    assert f'name="relationship" value="{_escaped(RELATIONSHIP)}"' in page
    assert 'autocomplete="off"' in page and 'spellcheck="false"' in page
    assert 'name="once"' not in page
    assert f'href="{_forget_url(intervention)}"' in page
    assert stored_log(intervention.intervention_id) == before


def test_a_change_is_saved_and_shown(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    before = stored_log(intervention.intervention_id)
    response = owner_client.post(
        _change_url(intervention), {"alias": "Aunty Mere", "relationship": "his father's sister"}
    )
    assert response.status_code == 302, text_of(response)
    assert response.headers["Location"] == _person_url(intervention)
    assert len(stored_log(intervention.intervention_id)) == len(before) + 1

    page = text_of(owner_client.get(_person_url(intervention)))
    assert "Aunty Mere" in page and _escaped("his father's sister") in page
    assert PERSON_ALIAS not in page
    overview = text_of(owner_client.get(f"/i/{intervention.intervention_id}/"))
    assert "Aunty Mere" in overview and PERSON_ALIAS not in overview
    state = interventions.intervention_open(
        keyring=owner.keyring, intervention_id=intervention.intervention_id
    )
    person = state.person(intervention.person_id)
    assert (person.alias, person.relationship) == ("Aunty Mere", "his father's sister")


def test_a_relationship_can_be_emptied(owner_client: Client, intervention: Started) -> None:
    response = owner_client.post(_change_url(intervention), {"alias": PERSON_ALIAS})
    assert response.status_code == 302
    page = text_of(owner_client.get(_person_url(intervention)))
    assert _escaped(RELATIONSHIP) not in page


@pytest.mark.parametrize(
    "body",
    [
        {"alias": PERSON_ALIAS, "relationship": RELATIONSHIP},
        {"alias": f"  {PERSON_ALIAS} ", "relationship": f"{RELATIONSHIP}\t"},
    ],
    ids=["as it is", "with spaces around"],
)
def test_nothing_is_stored_when_nothing_changed(
    owner_client: Client, intervention: Started, body: dict[str, str]
) -> None:
    before = stored_log(intervention.intervention_id)
    response = owner_client.post(_change_url(intervention), body)
    assert response.status_code == 302
    assert response.headers["Location"] == _person_url(intervention)
    assert stored_log(intervention.intervention_id) == before


@pytest.mark.parametrize("alias", ["", "   "], ids=["empty", "spaces"])
def test_an_empty_alias_is_refused_in_allymaps_words(
    owner_client: Client, intervention: Started, alias: str
) -> None:
    before = stored_log(intervention.intervention_id)
    response = owner_client.post(
        _change_url(intervention), {"alias": alias, "relationship": "a new connection"}
    )
    assert response.status_code == 200
    page = text_of(response)
    assert 'class="error" id="id_alias-error"' in page
    assert "Everyone on the map needs a name the team knows them by" in page
    assert "This field is required" not in page
    assert 'value="a new connection"' in page  # what was typed is kept
    assert stored_log(intervention.intervention_id) == before


@pytest.mark.parametrize(
    ("field", "typed"),
    [("alias", "\u200b"), ("alias", "Auntie\u200bWilhelmina"), ("relationship", "his\u202eaunt")],
    ids=["only a zero-width space", "a zero-width space inside", "a direction change"],
)
def test_a_disguising_character_is_refused_beside_its_field(
    owner_client: Client, intervention: Started, field: str, typed: str
) -> None:
    before = stored_log(intervention.intervention_id)
    body = {"alias": PERSON_ALIAS, "relationship": RELATIONSHIP} | {field: typed}
    response = owner_client.post(_change_url(intervention), body)
    assert response.status_code == 200
    page = text_of(response)
    assert f'class="error" id="id_{field}-error"' in page
    assert "invisible or direction-changing character" in page
    assert stored_log(intervention.intervention_id) == before


def test_a_too_long_alias_is_refused(owner_client: Client, intervention: Started) -> None:
    before = stored_log(intervention.intervention_id)
    response = owner_client.post(_change_url(intervention), {"alias": "x" * 81})
    assert response.status_code == 200
    assert "There is room for up to 80 characters here" in text_of(response)
    assert stored_log(intervention.intervention_id) == before


# --- taking off the map -------------------------------------------------------------------


def test_it_asks_before_taking_someone_off_the_map(
    owner_client: Client, intervention: Started
) -> None:
    before = stored_log(intervention.intervention_id)
    response = owner_client.get(_remove_url(intervention))
    assert response.status_code == 200
    assert title_of(response) == "Take a person off the map · allymap"
    page = text_of(response)
    assert f"Take {PERSON_ALIAS} off the map?" in page
    assert "stays in the intervention’s history" in page
    assert "This is not forgetting them for good" in page
    assert f'href="{_forget_url(intervention)}"' in page
    assert 'method="post"' in page and 'name="remove" value="yes"' in page
    assert f'href="{_person_url(intervention)}"' in page
    assert stored_log(intervention.intervention_id) == before


@pytest.mark.parametrize("body", [{}, {"remove": ""}, {"remove": "no"}])
def test_it_takes_nobody_off_without_the_button(
    owner_client: Client, intervention: Started, body: dict[str, str]
) -> None:
    before = stored_log(intervention.intervention_id)
    response = owner_client.post(_remove_url(intervention), body)
    assert response.status_code == 200
    assert f"Take {PERSON_ALIAS} off the map?" in text_of(response)
    assert stored_log(intervention.intervention_id) == before


def test_remove_takes_them_off_the_overview_and_their_pages_close(
    owner_client: Client, intervention: Started
) -> None:
    response = owner_client.post(_remove_url(intervention), {"remove": "yes"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/i/{intervention.intervention_id}/"
    overview = text_of(owner_client.get(response.headers["Location"]))
    assert CODE_NAME in overview
    assert PERSON_ALIAS not in overview
    assert _person_url(intervention) not in overview
    for url in (_person_url(intervention), _change_url(intervention), _remove_url(intervention)):
        assert owner_client.get(url).status_code == 404, url
    before = stored_log(intervention.intervention_id)
    assert owner_client.post(_remove_url(intervention), {"remove": "yes"}).status_code == 404
    assert owner_client.post(_change_url(intervention), {"alias": "Back"}).status_code == 404
    assert stored_log(intervention.intervention_id) == before


def test_forget_still_works_for_someone_taken_off_the_map(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    owner_client.post(_change_url(intervention), {"alias": "Aunty Mere"})
    owner_client.post(_remove_url(intervention), {"remove": "yes"})
    state = interventions.intervention_open(
        keyring=owner.keyring, intervention_id=intervention.intervention_id
    )
    assert state.people[intervention.person_id].removed  # the history is kept

    page = text_of(owner_client.get(_forget_url(intervention)))
    assert "was taken off the map earlier" in page
    response = owner_client.post(_forget_url(intervention), {"understood": "on"})
    assert response.status_code == 302
    state = interventions.intervention_open(
        keyring=fresh(owner.keyring), intervention_id=intervention.intervention_id
    )
    assert state.people == {}


# --- an outsider --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "body"),
    [
        (_change_url, {"alias": "Renamed", "relationship": "planted"}),
        (_remove_url, {"remove": "yes"}),
    ],
    ids=["change", "remove"],
)
def test_an_outsider_gets_404_and_nothing_changes(
    outsider_client: Client,
    owner_client: Client,
    intervention: Started,
    url: Callable[[Started], str],
    body: dict[str, str],
) -> None:
    address = url(intervention)
    before = stored_log(intervention.intervention_id)
    for response in (outsider_client.get(address), outsider_client.post(address, body)):
        assert response.status_code == 404
        assert PERSON_ALIAS not in text_of(response)
        assert CODE_NAME not in text_of(response)
    assert stored_log(intervention.intervention_id) == before
    assert PERSON_ALIAS in text_of(owner_client.get(_person_url(intervention)))
