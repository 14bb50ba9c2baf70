"""Changing a person's alias or relationship, and taking them off the map.

A change is shown everywhere at once and refused in allymap's own words; taking someone
off the map asks first, acts only on its button's POST, and keeps their history, so they
can still be forgotten for good afterwards.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import pytest
from django.test import Client

from allymap.domain import Closeness, Consent, Reporting
from allymap.domain.state import ConsentChange
from allymap.services import accounts, interventions, team
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
    page = text_of(owner_client.get(f"/i/{intervention.intervention_id}/"))
    assert PERSON_ALIAS in page and _escaped(RELATIONSHIP) not in page


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


def _whole_form(**changes: str) -> dict[str, str]:
    """The change form as the page sends it for the standing person, with `changes`."""
    return {
        "alias": PERSON_ALIAS,
        "relationship": RELATIONSHIP,
        "relationship_harmed": "",
        "closeness": "unknown",
        "offers": "",
        "other_ways": "",
        "consent": "idea",
        "asker": "",
        "reporting": "unknown",
    } | changes


def test_the_whole_form_sent_back_unchanged_stores_nothing(
    owner_client: Client, intervention: Started
) -> None:
    before = stored_log(intervention.intervention_id)
    response = owner_client.post(_change_url(intervention), _whole_form())
    assert response.status_code == 302
    assert stored_log(intervention.intervention_id) == before


def test_details_and_consent_are_saved_and_consent_goes_into_the_history(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    ids = {"keyring": owner.keyring, "intervention_id": intervention.intervention_id}
    asker = team.member_add(**ids, name="Hemi")
    response = owner_client.post(
        _change_url(intervention),
        _whole_form(
            relationship_harmed="her aunt too",
            closeness="close",
            offers="A spare room",
            other_ways="Meals for the kids",
            consent="asked",
            asker=asker,
            reporting="no",
        ),
    )
    assert response.status_code == 302, text_of(response)
    person = interventions.intervention_open(**ids).person(intervention.person_id)
    assert (person.relationship_harmed, person.offers, person.other_ways) == (
        "her aunt too",
        "A spare room",
        "Meals for the kids",
    )
    assert (person.closeness, person.consent, person.asker, person.reporting) == (
        Closeness.CLOSE,
        Consent.ASKED,
        asker,
        Reporting.NO,
    )
    (change,) = [entry for entry in person.history if isinstance(entry, ConsentChange)]
    assert (change.before, change.after, change.asker) == (Consent.IDEA, Consent.ASKED, asker)

    # The form shows it all back, the asker chosen by name.
    page = text_of(owner_client.get(_change_url(intervention)))
    assert f'<option value="{asker}" selected>Hemi</option>' in page
    assert 'value="close" id="id_closeness_0" checked' in page
    assert 'value="asked" id="id_consent_2" checked' in page
    assert "A spare room</textarea>" in page and "Meals for the kids</textarea>" in page
    assert 'name="relationship_harmed" value="her aunt too"' in page


def test_an_asker_who_left_the_team_stays_chosen_and_others_can_still_change(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    ids = {"keyring": owner.keyring, "intervention_id": intervention.intervention_id}
    asker = team.member_add(**ids, name="Hemi")
    owner_client.post(_change_url(intervention), _whole_form(consent="to_ask", asker=asker))
    team.member_remove(**ids, member_id=asker)
    page = text_of(owner_client.get(_change_url(intervention)))
    assert f'<option value="{asker}" selected>Someone who has left the team</option>' in page
    response = owner_client.post(
        _change_url(intervention), _whole_form(consent="to_ask", asker=asker, offers="Kai")
    )
    assert response.status_code == 302, text_of(response)
    assert interventions.intervention_open(**ids).person(intervention.person_id).offers == "Kai"


def test_a_choice_left_out_of_the_post_stays_as_it_was(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    ids = {"keyring": owner.keyring, "intervention_id": intervention.intervention_id}
    owner_client.post(_change_url(intervention), _whole_form(closeness="further", consent="agreed"))
    owner_client.post(_change_url(intervention), {"alias": "Aunty W"})
    person = interventions.intervention_open(**ids).person(intervention.person_id)
    assert (person.alias, person.closeness, person.consent) == (
        "Aunty W",
        Closeness.FURTHER,
        Consent.AGREED,
    )


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
    assert re.search(r'class="error" id="id_alias[-_]error"', page)
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
    assert re.search(f'class="error" id="id_{field}[-_]error"', page)
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
