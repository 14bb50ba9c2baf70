"""The print pages as the web serves them (the PDFs are tests/browser/test_prints.py):
the page of prints, the blank chart's sheets for people, an ally's own copy and whose it
can be, and the footer stylesheet every page links for print."""

from __future__ import annotations

import html
import re
from pathlib import Path

from django.test import Client

from allymap.chart import Position
from allymap.services import accounts, people, positions, roles, team
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
from tests.web.pages import id_from, text_of, title_of


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


# --- whom a copy speaks to, whether they agreed, and which guidance is theirs ----------

START = {"danger": "no", "code_name": "Spring tide", "doing_harm_alias": "Rua", "harmed_alias": ""}


def _own_map(client: Client, perspective: str) -> str:
    response = client.post("/interventions/new/", START | {"perspective": perspective})
    assert response.status_code == 302
    return id_from(response.headers["Location"], r"^/i/([^/]+)/$")


def _sheet(client: Client, url: str) -> str:
    return html.unescape(text_of(client.get(url)).split('<article class="pr-paper', 1)[1])


def test_an_allys_copy_speaks_of_the_person_they_stand_by_on_every_map(
    owner_client: Client, owner: accounts.Unlocked
) -> None:
    thanks = {
        "team": "Thank you for standing with the team.",
        "own_accountability": "Thank you for being willing to stand by the person who gave you",
        "own_support": "Thank you for being willing to help.",
    }
    for perspective, thanked in thanks.items():
        iid = _own_map(owner_client, perspective)
        ids = {"keyring": owner.keyring, "intervention_id": iid}
        huia = people.person_add(**ids, details=Details(alias="Huia", consent="agreed"))  # type: ignore[arg-type]
        roles.role_assign(**ids, role="accountability_ally", holder=f"person:{huia}")  # type: ignore[arg-type]
        sheet = _sheet(owner_client, f"/i/{iid}/print/ally/{huia}/")
        assert thanked in sheet, perspective
        others = set(thanks.values()) - {thanked}
        assert not any(other in sheet for other in others), perspective
        # The ally reads it: the guidance is about the person they stand by, never "you".
        assert "the person they are standing by cares about or respects" in sheet
        for accusing in ("someone you care about", "if you reject them", "turned on you"):
            assert accusing not in sheet, (perspective, accusing)
        assert "person doing harm" not in sheet.casefold(), perspective
        assert "Stands by you while you take responsibility" not in sheet


def test_a_copy_for_someone_who_has_not_agreed_cautions_and_does_not_thank(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    ids = {"keyring": owner.keyring, "intervention_id": intervention.intervention_id}
    shaz = people.person_add(**ids, details=Details(alias="Shaz", consent="declined"))
    noeline = people.person_add(**ids, details=Details(alias="Noeline", consent="idea"))
    agreed = people.person_add(**ids, details=Details(alias="Mere", consent="agreed"))
    for pid in (shaz, noeline, agreed):
        roles.role_assign(**ids, role="accountability_ally", holder=f"person:{pid}")

    page = html.unescape(text_of(owner_client.get(_base(intervention))))
    assert re.search(r"A copy for Shaz</a> <span class=\"pr-asking\">— Declined", page)
    assert re.search(r"A copy for Noeline</a> <span class=\"pr-asking\">— Just an idea", page)
    assert re.search(r"A copy for Mere</a> <span class=\"pr-asking\">— Agreed to help", page)

    for pid, where in ((shaz, "Declined"), (noeline, "Just an idea")):
        whole = html.unescape(text_of(owner_client.get(f"{_base(intervention)}ally/{pid}/")))
        caution = whole.split('class="pr-caution pr-not-agreed no-print"', 1)[1].split("</div>")[0]
        assert "They have not agreed to anything yet." in caution
        assert f"Asking them: {where}." in caution
        sheet = whole.split('<article class="pr-paper', 1)[1]
        assert "Thank you" not in sheet
        assert "not agreed" not in sheet  # the caution is for the screen, not the paper
    mere = html.unescape(text_of(owner_client.get(f"{_base(intervention)}ally/{agreed}/")))
    assert "pr-not-agreed" not in mere
    assert "Thank you for standing with the team." in mere


def test_only_an_accountability_ally_gets_the_ally_column(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    ids = {"keyring": owner.keyring, "intervention_id": intervention.intervention_id}
    aunty = people.person_add(**ids, details=Details(alias="Aunty Rā", consent="agreed"))
    roles.role_assign(**ids, role="support_harmed", holder=f"person:{aunty}")
    sheet = _sheet(owner_client, f"{_base(intervention)}ally/{aunty}/")
    assert "What an accountability ally does" not in sheet
    assert "An accountability ally" not in sheet
    assert "Standing by someone who was harmed" in sheet  # what their role is for
    assert "Each role above says what it is for." in sheet
    roles.role_assign(**ids, role="accountability_ally", holder=f"person:{aunty}")
    sheet = _sheet(owner_client, f"{_base(intervention)}ally/{aunty}/")
    assert "What an accountability ally does" in sheet
    assert sheet.count("An accountability ally ") == 10


def test_the_page_of_prints_says_what_an_allys_copy_names(
    owner_client: Client, intervention: Started
) -> None:
    page = html.unescape(text_of(owner_client.get(_base(intervention))))
    assert "no other names" not in page
    assert "apart from who supports them and the roles the team gave them" in page


def test_printed_you_is_the_members_name(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    """On paper "You" would mean whoever holds it: the reader's own member prints by name
    (the screen still says "You")."""
    ids = {"keyring": owner.keyring, "intervention_id": intervention.intervention_id}
    [me] = [m for m in team.team_reading(**ids).members if m.is_you]
    team.member_rename(**ids, member_id=me.member_id, name="Wikitōria")
    positions.positions_record(
        **ids,
        person_id=intervention.person_id,
        positions={"respected": (Position.ALLY, "")},
    )
    iid = intervention.intervention_id
    for url in (
        f"/i/{iid}/compare/?p={intervention.person_id}",
        f"/i/{iid}/people/{intervention.person_id}/",
    ):
        page = text_of(owner_client.get(url))
        assert '<span class="screen-only">You</span>' in page, url
        assert '<span class="print-only print-name">Wikitōria</span>' in page, url
    css = (Path(__file__).parents[2] / "allymap/web/static/allymap/allymap.css").read_text()
    assert re.search(r"@media print\{\.screen-only\{display:none!important\}", css)


def test_a_copy_without_the_ally_column_points_to_no_row_of_it(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    ids = {"keyring": owner.keyring, "intervention_id": intervention.intervention_id}
    kev = people.person_add(**ids, details=Details(alias="Kev", consent="agreed"))
    sheet = _sheet(owner_client, f"{_base(intervention)}ally/{kev}/")
    assert "row 6 below" not in sheet
    assert "What an accountability ally does" not in sheet
