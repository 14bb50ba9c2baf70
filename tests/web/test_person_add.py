"""Adding a person to the map."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

from allymap.domain import ALIAS_MAX, Closeness, Consent, Reporting
from allymap.services import accounts, interventions, team
from allymap.store import log
from tests.web.conftest import Started
from tests.web.pages import event_count, id_from, text_of


def _url(started: Started) -> str:
    return f"/i/{started.intervention_id}/people/new/"


def test_it_adds_a_person_with_only_an_alias_and_goes_to_their_page(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    """Adding does not force the ten rows: the person's page offers reflecting next."""
    response = owner_client.post(_url(intervention), {"alias": "Coach P"})
    assert response.status_code == 302, text_of(response)
    person_id = id_from(response.headers["Location"], r"/people/([^/]+)/$")
    state = interventions.intervention_open(
        keyring=owner.keyring, intervention_id=intervention.intervention_id
    )
    person = state.person(person_id)
    assert (person.alias, person.relationship) == ("Coach P", "")
    assert (person.closeness, person.consent, person.reporting, person.asker) == (
        Closeness.UNKNOWN,
        Consent.IDEA,
        Reporting.UNKNOWN,
        "",
    )


def test_it_adds_a_person_with_every_detail(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    ids = {"keyring": owner.keyring, "intervention_id": intervention.intervention_id}
    helper = team.member_add(**ids, name="Hemi")
    body = {
        "alias": "Coach P",
        "relationship": "his rugby coach",
        "relationship_harmed": "coached her brother",
        "closeness": "between",
        "offers": "Time after training",
        "other_ways": "Could drive the kids to school",
        "consent": "to_ask",
        "asker": helper,
        "reporting": "may_have_to",
    }
    response = owner_client.post(_url(intervention), body)
    assert response.status_code == 302, text_of(response)
    person_id = id_from(response.headers["Location"], r"/people/([^/]+)/$")
    person = interventions.intervention_open(**ids).person(person_id)
    assert (
        person.relationship,
        person.relationship_harmed,
        person.offers,
        person.other_ways,
        person.asker,
    ) == (
        "his rugby coach",
        "coached her brother",
        "Time after training",
        "Could drive the kids to school",
        helper,
    )
    assert (person.closeness, person.consent, person.reporting) == (
        Closeness.BETWEEN,
        Consent.TO_ASK,
        Reporting.MAY_HAVE_TO,
    )


def test_the_form_offers_every_field_in_words(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    team.member_add(
        keyring=owner.keyring, intervention_id=intervention.intervention_id, name="Hemi"
    )
    page = text_of(owner_client.get(_url(intervention)))
    for words in (
        "How are they connected to the person harmed?",
        "How close are they to the person doing harm?",
        "Close",
        "In between",
        "Further out",
        "Not sure",
        "What might they offer?",
        "Other ways they could help",
        "Have they been asked to help?",
        "Just an idea",
        "Stepped back",
        "Who in the team will ask them?",
        "Nobody yet",
        "Hemi",
        "Might they have to report to authorities, for example through their work?",
        "Many teams work without police: this is here so the team knows, not to judge anyone.",
    ):
        assert html.escape(words, quote=False) in page, words
    assert '<option value="" selected>Nobody yet</option>' in page
    assert 'name="closeness" value="unknown" id="id_closeness_3" checked' in page
    assert 'name="consent" value="idea"' in page and 'name="reporting" value="unknown"' in page
    assert page.count('name="once"') == 1


def test_it_refuses_an_asker_who_is_not_on_the_team(
    owner_client: Client, intervention: Started
) -> None:
    before = event_count(intervention.intervention_id)
    response = owner_client.post(
        _url(intervention), {"alias": "Coach P", "asker": "someone-made-up"}
    )
    assert response.status_code == 200
    assert "Please choose one of the answers offered." in text_of(response)
    assert event_count(intervention.intervention_id) == before


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
