"""A person's page: every team member's answers side by side, never averaged."""

from __future__ import annotations

from django.test import Client
from pytest_django.fixtures import Settings

from allymap.chart import Position
from allymap.services import accounts, interventions, positions
from tests.people import join_team
from tests.web.conftest import PERSON_ALIAS, RELATIONSHIP, Started
from tests.web.pages import text_of


def _url(started: Started) -> str:
    return f"/i/{started.intervention_id}/people/{started.person_id}/"


def test_it_shows_the_person_with_no_answers_yet(
    owner_client: Client, intervention: Started
) -> None:
    response = owner_client.get(_url(intervention))
    assert response.status_code == 200
    page = text_of(response)
    assert PERSON_ALIAS in page
    assert RELATIONSHIP.replace("'", "&#x27;") in page
    assert "Nobody knows yet about 10 rows." in page
    assert "Questions to find out" in page


def test_it_shows_each_members_answer_and_where_they_differ(
    owner_client: Client,
    owner: accounts.Unlocked,
    outsider: accounts.Unlocked,
    intervention: Started,
    settings: Settings,
) -> None:
    settings.HOSTED = True  # teams of several accounts are hosted mode's
    colleague = outsider.keyring
    join_team(owner.keyring, intervention.intervention_id, colleague)
    positions.positions_record(
        keyring=owner.keyring,
        intervention_id=intervention.intervention_id,
        person_id=intervention.person_id,
        positions={"respected": (Position.ALLY, "He listens to her")},
    )
    positions.positions_record(
        keyring=colleague,
        intervention_id=intervention.intervention_id,
        person_id=intervention.person_id,
        positions={"respected": (Position.IN_THE_WAY, "She excuses him")},
    )
    page = text_of(owner_client.get(_url(intervention)))
    assert "You: “He listens to her”" in page
    assert "Another team member: “She excuses him”" in page
    assert "Team members see this row differently" in page
    assert "Nobody is only one column" in page
    assert "Nobody knows yet about 9 rows." in page


def test_it_gives_404_for_a_person_not_on_the_map(
    owner_client: Client, intervention: Started
) -> None:
    url = f"/i/{intervention.intervention_id}/people/no-such-person/"
    assert owner_client.get(url).status_code == 404


def test_it_gives_404_for_a_person_of_another_intervention(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    other = interventions.intervention_start(
        keyring=owner.keyring, code_name="Other", doing_harm_alias="Q"
    )
    assert owner_client.get(f"/i/{other}/people/{intervention.person_id}/").status_code == 404
