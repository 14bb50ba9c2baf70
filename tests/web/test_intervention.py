"""The intervention page and the list of interventions."""

from __future__ import annotations

from django.test import Client

from allymap.services import accounts, interventions, people
from allymap.services.people import Details
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


def test_the_overview_shows_each_persons_closeness_and_consent_in_words(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    ids = {"keyring": owner.keyring, "intervention_id": intervention.intervention_id}
    people.person_change(
        **ids,
        person_id=intervention.person_id,
        details=Details(alias=PERSON_ALIAS, closeness="close", consent="stepped_back"),
    )
    people.person_add(**ids, details=Details(alias="Coach P"))
    page = text_of(owner_client.get(f"/i/{intervention.intervention_id}/"))
    first, second = page.split(PERSON_ALIAS, 1)[1].split("Coach P", 1)
    assert "<dt>Closeness</dt><dd>Close</dd>" in first
    assert "<dt>Asking them</dt><dd>Stepped back</dd>" in first
    assert "<dt>Closeness</dt><dd>Not sure</dd>" in second
    assert "<dt>Asking them</dt><dd>Just an idea</dd>" in second
    base = f"/i/{intervention.intervention_id}"
    assert f'href="{base}/people/{intervention.person_id}/"' in page
    assert f'href="{base}/people/{intervention.person_id}/reflect/"' in page


def test_the_overview_links_to_the_teams_tools(owner_client: Client, intervention: Started) -> None:
    page = text_of(owner_client.get(f"/i/{intervention.intervention_id}/"))
    base = f"/i/{intervention.intervention_id}"
    for href, words in (
        (f"{base}/team/", "Team"),
        (f"{base}/brainstorm/", "Brainstorm: who could help?"),
        (f"{base}/compare/", "Compare side by side"),
        (f"{base}/change/", "Rename or archive"),
        (f"{base}/people/new/", "Add a person"),
    ):
        assert f'href="{href}">{words}</a>' in page, href
    assert "1 member" in page


def test_an_empty_map_prompts_widely(owner_client: Client, owner: accounts.Unlocked) -> None:
    empty = interventions.intervention_start(
        keyring=owner.keyring, code_name="Empty one", doing_harm_alias="K"
    )
    page = text_of(owner_client.get(f"/i/{empty}/"))
    assert "Nobody is on the map yet" in page
    assert "faith and marae" in page and "church or marae" not in page
    assert "kaumātua and kuia" in page
    assert f'href="/i/{empty}/compare/"' not in page  # nobody to compare yet
