"""Reflecting on a person, row by row."""

from __future__ import annotations

import html
import re

from django.test import Client

from allymap.chart import Position
from allymap.domain import EVIDENCE_MAX
from allymap.services import accounts, interventions
from tests.web.conftest import PERSON_ALIAS, Started
from tests.web.pages import event_count, reflect_form, text_of

EVIDENCE = "She rang him every day after court & stayed calm"


def _url(started: Started) -> str:
    return f"/i/{started.intervention_id}/people/{started.person_id}/reflect/"


def _answers() -> dict[str, str]:
    return reflect_form(
        **{
            "position-respected": "ally",
            "evidence-respected": EVIDENCE,
            "position-gives_space": "leans_in_the_way",
        }
    )


def test_it_shows_the_ten_rows(owner_client: Client, intervention: Started) -> None:
    response = owner_client.get(_url(intervention))
    assert response.status_code == 200
    page = text_of(response)
    assert PERSON_ALIAS in page
    assert len(re.findall(r'<fieldset class="row', page)) == 10


def test_it_records_the_answers(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    before = event_count(intervention.intervention_id)
    response = owner_client.post(_url(intervention), _answers())
    assert response.status_code == 302
    assert response.headers["Location"] == (
        f"/i/{intervention.intervention_id}/people/{intervention.person_id}/"
    )
    # Only the two rows answered become events; "don't know yet" rows are not recorded.
    assert event_count(intervention.intervention_id) == before + 2
    state = interventions.intervention_open(
        keyring=owner.keyring, intervention_id=intervention.intervention_id
    )
    mine = state.person(intervention.person_id).positions[owner.keyring.account_id]
    assert mine["respected"].position is Position.ALLY
    assert mine["respected"].evidence == EVIDENCE
    assert mine["gives_space"].position is Position.LEANS_IN_THE_WAY


def test_it_refuses_an_invalid_position_and_stores_nothing(
    owner_client: Client, intervention: Started
) -> None:
    before = event_count(intervention.intervention_id)
    answers = _answers() | {"position-sees_the_harm": "best_friend"}
    response = owner_client.post(_url(intervention), answers)
    assert response.status_code == 200
    page = text_of(response)
    assert "error-summary" in page
    assert re.search(r'id="row-sees_the_harm">.*?class="error"', page, re.DOTALL)
    # What was typed elsewhere is still there to save again.
    assert html.escape(EVIDENCE) in page
    assert event_count(intervention.intervention_id) == before


def test_it_refuses_a_missing_position_and_stores_nothing(
    owner_client: Client, intervention: Started
) -> None:
    before = event_count(intervention.intervention_id)
    answers = _answers()
    del answers["position-communicates"]
    response = owner_client.post(_url(intervention), answers)
    assert response.status_code == 200
    assert "error-summary" in text_of(response)
    assert event_count(intervention.intervention_id) == before


def test_it_refuses_too_long_evidence_and_stores_nothing(
    owner_client: Client, intervention: Started
) -> None:
    before = event_count(intervention.intervention_id)
    answers = _answers() | {"evidence-communicates": "w" * (EVIDENCE_MAX + 1)}
    response = owner_client.post(_url(intervention), answers)
    assert response.status_code == 200
    assert re.search(r'id="row-communicates">.*?class="error"', text_of(response), re.DOTALL)
    assert event_count(intervention.intervention_id) == before


def test_it_appends_nothing_when_nothing_changed(
    owner_client: Client, intervention: Started
) -> None:
    assert owner_client.post(_url(intervention), _answers()).status_code == 302
    after_first = event_count(intervention.intervention_id)
    response = owner_client.post(_url(intervention), _answers())
    assert response.status_code == 302
    assert event_count(intervention.intervention_id) == after_first


def test_it_appends_only_the_row_that_changed(owner_client: Client, intervention: Started) -> None:
    owner_client.post(_url(intervention), _answers())
    after_first = event_count(intervention.intervention_id)
    owner_client.post(_url(intervention), _answers() | {"position-respected": "leans_ally"})
    assert event_count(intervention.intervention_id) == after_first + 1


def test_it_fills_in_the_earlier_answers(owner_client: Client, intervention: Started) -> None:
    owner_client.post(_url(intervention), _answers())
    page = text_of(owner_client.get(_url(intervention)))
    assert re.search(r'<input[^>]*name="position-respected"[^>]*value="ally"[^>]*checked', page)
    assert re.search(
        r'<input[^>]*name="position-gives_space"[^>]*value="leans_in_the_way"[^>]*checked', page
    )
    assert re.search(
        r'<input[^>]*name="position-communicates"[^>]*value="unknown"[^>]*checked', page
    )
    assert not re.search(
        r'<input[^>]*name="position-respected"[^>]*value="unknown"[^>]*checked', page
    )
    assert re.search(
        r'<textarea[^>]*name="evidence-respected"[^>]*>\s*' + re.escape(html.escape(EVIDENCE)), page
    )


def test_it_gives_404_for_a_person_not_on_the_map(
    owner_client: Client, intervention: Started
) -> None:
    url = f"/i/{intervention.intervention_id}/people/no-such-person/reflect/"
    before = event_count(intervention.intervention_id)
    assert owner_client.get(url).status_code == 404
    assert owner_client.post(url, _answers()).status_code == 404
    assert event_count(intervention.intervention_id) == before
