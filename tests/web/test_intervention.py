"""The intervention page and the list of interventions."""

from __future__ import annotations

from django.test import Client

from allymap.services import accounts, interventions
from tests.web.conftest import CODE_NAME, DOING_HARM_ALIAS, HARMED_ALIAS, PERSON_ALIAS, Started
from tests.web.pages import text_of


def test_it_shows_the_intervention(owner_client: Client, intervention: Started) -> None:
    response = owner_client.get(f"/i/{intervention.intervention_id}/")
    assert response.status_code == 200
    page = text_of(response)
    for text in (CODE_NAME, DOING_HARM_ALIAS, HARMED_ALIAS, PERSON_ALIAS):
        assert text in page
    assert f"/i/{intervention.intervention_id}/people/{intervention.person_id}/reflect/" in page


def test_it_lists_only_the_accounts_own_interventions(
    owner_client: Client,
    outsider_client: Client,
    outsider: accounts.Unlocked,
    intervention: Started,
) -> None:
    interventions.intervention_start(
        keyring=outsider.keyring, code_name="Outsider's own", doing_harm_alias="K"
    )
    mine = text_of(owner_client.get("/interventions/"))
    assert CODE_NAME in mine
    assert "1 person on the map" in mine
    assert "Outsider" not in mine
    theirs = text_of(outsider_client.get("/interventions/"))
    assert CODE_NAME not in theirs
    assert "Outsider&#x27;s own" in theirs


def test_it_gives_404_for_an_id_that_does_not_exist(owner_client: Client) -> None:
    assert owner_client.get("/i/AAAAAAAAAAAAAAAAAAAAAA/").status_code == 404
