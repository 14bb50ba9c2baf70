"""The print pages as the web serves them (the PDFs are tests/browser/test_prints.py):
the page of prints, the blank chart's sheets for people, an ally's own copy and whose it
can be, and the footer stylesheet every page links for print."""

from __future__ import annotations

from django.test import Client

from allymap.services import accounts, people, roles, team
from allymap.services.people import Details
from allymap.services.prints import SHEETS_MAX
from tests.web.conftest import (
    CODE_NAME,
    DOING_HARM_ALIAS,
    HARMED_ALIAS,
    PERSON_ALIAS,
    RELATIONSHIP,
    Started,
)
from tests.web.pages import text_of, title_of


def _base(started: Started) -> str:
    return f"/i/{started.intervention_id}/print/"


def test_the_overview_leads_to_the_page_of_prints_and_it_to_each_print(
    owner_client: Client, intervention: Started
) -> None:
    overview = text_of(owner_client.get(f"/i/{intervention.intervention_id}/"))
    assert f'href="{_base(intervention)}"' in overview
    response = owner_client.get(_base(intervention))
    assert response.status_code == 200
    page = text_of(response)
    for href in (
        f"{_base(intervention)}blank/",
        f"/i/{intervention.intervention_id}/compare/",
        f"/i/{intervention.intervention_id}/people/{intervention.person_id}/",
        f"{_base(intervention)}ally/{intervention.person_id}/",
        f"{_base(intervention)}team/?m=",
    ):
        assert f'"{href}' in page, href


def test_the_blank_chart_has_one_sheet_per_person_asked_for_and_nobody_in_it(
    owner_client: Client, intervention: Started
) -> None:
    for asked, sheets in [("3", 3), ("", 1), ("many", 1), ("0", 1), ("99", SHEETS_MAX)]:
        response = owner_client.get(f"{_base(intervention)}blank/?sheets={asked}")
        assert response.status_code == 200
        page = text_of(response)
        assert page.count('class="pr-sheet"') == sheets, asked
        assert f"(sheet {sheets} of {sheets})" in page
    assert title_of(response) == "A blank chart"
    sheet = page.split('<article class="pr-paper', 1)[1]
    for typed in (CODE_NAME, DOING_HARM_ALIAS, HARMED_ALIAS, PERSON_ALIAS, RELATIONSHIP):
        assert typed not in sheet


def test_an_allys_copy_has_their_roles_and_supporters_and_nothing_of_anyone_else(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    ids = {"keyring": owner.keyring, "intervention_id": intervention.intervention_id}
    other = people.person_add(
        **ids, details=Details(alias="Another Ngaio", relationship="next door")
    )
    helper = team.member_add(**ids, name="Tāmati on the team")
    ally = f"person:{intervention.person_id}"
    roles.role_assign(**ids, role="accountability_ally", holder=ally)
    roles.role_assign(**ids, role="logistics", holder=f"person:{other}")
    roles.support_add(**ids, ally=ally, supporter=f"member:{helper}")
    roles.support_add(**ids, ally=f"person:{other}", supporter_name="Ngaio's sister")

    response = owner_client.get(f"{_base(intervention)}ally/{intervention.person_id}/")
    assert response.status_code == 200
    assert title_of(response) == "Your copy"
    sheet = text_of(response).split('<article class="pr-paper', 1)[1]
    for shown in (PERSON_ALIAS, "Accountability ally", "Tāmati on the team"):
        assert shown in sheet, shown
    for hidden in (
        "Another Ngaio",
        "Ngaio&#x27;s sister",
        "Ngaio's sister",
        "Logistics",
        RELATIONSHIP,
        CODE_NAME,
        DOING_HARM_ALIAS,
        HARMED_ALIAS,
    ):
        assert hidden not in sheet, hidden

    helper_copy = text_of(owner_client.get(f"{_base(intervention)}team/?m={helper}"))
    assert "Tāmati on the team" in helper_copy
    assert "Nobody yet" in helper_copy


def test_a_copy_is_only_for_someone_on_the_map_or_the_team(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    ids = {"keyring": owner.keyring, "intervention_id": intervention.intervention_id}
    gone = team.member_add(**ids, name="Gone from the team")
    team.member_remove(**ids, member_id=gone)
    for url in (
        f"{_base(intervention)}team/?m={gone}",
        f"{_base(intervention)}team/?m=not-a-member",
        f"{_base(intervention)}ally/not-a-person/",
    ):
        assert owner_client.get(url).status_code == 404, url
    own = owner_client.get(f"{_base(intervention)}team/")
    assert own.status_code == 200


def test_the_footer_of_every_printed_sheet_is_linked_and_escaped(client: Client) -> None:
    about = text_of(client.get("/about/"))
    assert '<link rel="stylesheet" href="/print.css" media="print">' in about
    response = client.get("/print.css")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/css; charset=utf-8"
    css = response.content.decode()
    assert "Sensitive: keep this safe" in css
    assert "Te Wānanga o Raukawa with Creative Interventions" in css
    assert "counter(page)" in css
    assert "&#x27;" not in css and "&amp;" not in css
