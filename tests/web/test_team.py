"""The team page: members listed ("You" for the account's own), added by a name once
however often the form is posted, renamed, and taken off only after a confirmation, with
what they recorded kept."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

from allymap.chart import Position
from allymap.domain import MEMBER_NAME_MAX
from allymap.services import accounts, interventions, positions, team
from tests.web.conftest import CODE_NAME, Started
from tests.web.pages import stored_log, text_of, title_of


def _url(started: Started) -> str:
    return f"/i/{started.intervention_id}/team/"


def _members(owner: accounts.Unlocked, started: Started) -> list[tuple[str, bool]]:
    reading = team.team_reading(keyring=owner.keyring, intervention_id=started.intervention_id)
    return [(m.name, m.is_you) for m in reading.members]


def _once(page: str) -> str:
    match = re.search(r'name="once" value="([^"]+)" id="id_add_once"', page)
    assert match, page
    return match.group(1)


def test_it_shows_you_and_says_why_members_matter(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    response = owner_client.get(_url(intervention))
    assert response.status_code == 200
    assert title_of(response) == "The team · allymap"
    page = text_of(response)
    assert CODE_NAME in page
    assert "<strong>You</strong>" in page
    assert "Give yourself a name" in page
    assert "Each member’s view is kept in their own right" in page
    assert "at a hui" in page
    # The account's own member cannot be taken off: no button for it.
    assert "off the team…" not in page
    overview = text_of(owner_client.get(f"/i/{intervention.intervention_id}/"))
    assert f'href="{_url(intervention)}"' in overview


def test_it_adds_a_member_once_however_often_the_form_is_posted(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    form = {
        "action": "add",
        "name": "Hemi",
        "once": _once(text_of(owner_client.get(_url(intervention)))),
    }
    before = stored_log(intervention.intervention_id)
    first = owner_client.post(_url(intervention), form)
    second = owner_client.post(_url(intervention), form)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert first.headers["Location"].startswith(f"{_url(intervention)}#member-")
    assert len(stored_log(intervention.intervention_id)) == len(before) + 1
    assert _members(owner, intervention) == [("", True), ("Hemi", False)]
    page = text_of(owner_client.get(_url(intervention)))
    assert "<strong>Hemi</strong>" in page
    assert "Take Hemi off the team…" in page


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("", "Please write a name the team will know them by."),
        ("   ", "Please write a name the team will know them by."),
        ("x" * (MEMBER_NAME_MAX + 1), f"There is room for up to {MEMBER_NAME_MAX} characters"),
        ("Ma\u200bry", "invisible or direction-changing character"),
    ],
    ids=["empty", "spaces", "too long", "disguising"],
)
def test_it_refuses_a_name_it_cannot_keep_beside_the_add_field(
    owner_client: Client, intervention: Started, name: str, words: str
) -> None:
    before = stored_log(intervention.intervention_id)
    response = owner_client.post(_url(intervention), {"action": "add", "name": name})
    assert response.status_code == 200
    page = text_of(response)
    assert re.search(r'<p class="error" id="id_add_name_error">[^<]*' + re.escape(words), page)
    assert 'aria-describedby="id_add_name_helptext id_add_name_error"' in page
    assert "This field is required" not in page
    assert stored_log(intervention.intervention_id) == before


def test_two_members_cannot_share_a_name(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    team.member_add(
        keyring=owner.keyring, intervention_id=intervention.intervention_id, name="Hemi"
    )
    before = stored_log(intervention.intervention_id)
    response = owner_client.post(_url(intervention), {"action": "add", "name": "hemi"})
    assert response.status_code == 200
    assert "Someone on the team already has this name" in text_of(response)
    assert stored_log(intervention.intervention_id) == before


def test_you_can_give_yourself_a_name_and_rename_others(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    ids = {"keyring": owner.keyring, "intervention_id": intervention.intervention_id}
    hemi = team.member_add(**ids, name="Hemi")
    you = owner.keyring.account_id
    response = owner_client.post(
        _url(intervention), {"action": "rename", "member": you, "name": "Aroha"}
    )
    assert response.status_code == 302, text_of(response)
    response = owner_client.post(
        _url(intervention), {"action": "rename", "member": hemi, "name": "Hemi K"}
    )
    assert response.status_code == 302
    assert _members(owner, intervention) == [("Aroha", True), ("Hemi K", False)]
    page = text_of(owner_client.get(_url(intervention)))
    assert "<strong>You (Aroha)</strong>" in page and "<strong>Hemi K</strong>" in page


def test_a_refused_rename_opens_that_members_form_with_what_was_typed(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    hemi = team.member_add(
        keyring=owner.keyring, intervention_id=intervention.intervention_id, name="Hemi"
    )
    typed = "x" * (MEMBER_NAME_MAX + 1)
    response = owner_client.post(
        _url(intervention), {"action": "rename", "member": hemi, "name": typed}
    )
    assert response.status_code == 200
    page = text_of(response)
    assert f'<p class="error" id="id_name_{hemi}_error">' in page
    assert f'value="{typed}"' in page
    assert "<details open>" in page
    assert _members(owner, intervention) == [("", True), ("Hemi", False)]


@pytest.mark.parametrize("body", [{"action": "remove"}, {"action": "remove", "confirm": "no"}])
def test_removing_asks_first_and_a_stray_post_removes_nobody(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started, body: dict[str, str]
) -> None:
    hemi = team.member_add(
        keyring=owner.keyring, intervention_id=intervention.intervention_id, name="Hemi"
    )
    before = stored_log(intervention.intervention_id)
    response = owner_client.post(_url(intervention), body | {"member": hemi})
    assert response.status_code == 200
    page = text_of(response)
    assert "Take Hemi off the team?" in page
    assert "The answers Hemi gave on the chart stay, under their name" in page
    assert f'name="member" value="{hemi}"' in page
    assert 'name="confirm" value="yes"' in page
    assert stored_log(intervention.intervention_id) == before


def test_a_removed_members_answers_stay(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    ids = {"keyring": owner.keyring, "intervention_id": intervention.intervention_id}
    hemi = team.member_add(**ids, name="Hemi")
    positions.positions_record(
        **ids,
        person_id=intervention.person_id,
        positions={"respected": (Position.ALLY, "He listens to her")},
        member_id=hemi,
    )
    body = {"action": "remove", "member": hemi, "confirm": "yes"}
    response = owner_client.post(_url(intervention), body)
    assert response.status_code == 302
    assert response.headers["Location"] == _url(intervention)
    assert _members(owner, intervention) == [("", True)]
    state = interventions.intervention_open(**ids)
    entry = state.person(intervention.person_id).positions[hemi]["respected"]
    assert (entry.position, entry.evidence) == (Position.ALLY, "He listens to her")
    assert state.members[hemi].removed and state.members[hemi].name == "Hemi"
    # Posted again: nothing more happens.
    before = stored_log(intervention.intervention_id)
    again = owner_client.post(_url(intervention), body)
    assert again.status_code in (200, 302)
    assert stored_log(intervention.intervention_id) == before


@pytest.mark.parametrize("confirm", [{}, {"confirm": "yes"}], ids=["asked", "confirmed"])
def test_you_cannot_be_taken_off_the_team(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started, confirm: dict[str, str]
) -> None:
    before = stored_log(intervention.intervention_id)
    body = {"action": "remove", "member": owner.keyring.account_id} | confirm
    response = owner_client.post(_url(intervention), body)
    assert response.status_code == 200
    assert "That is not someone who can be changed on the team now." in text_of(response)
    assert "off the team?" not in text_of(response)
    assert stored_log(intervention.intervention_id) == before


@pytest.mark.parametrize(
    "body",
    [{}, {"action": "leave", "member": "x"}, {"action": "rename", "name": "No one"}],
    ids=["nothing", "an unknown action", "no member"],
)
def test_a_post_that_makes_no_sense_changes_nothing(
    owner_client: Client, intervention: Started, body: dict[str, str]
) -> None:
    before = stored_log(intervention.intervention_id)
    response = owner_client.post(_url(intervention), body)
    assert response.status_code == 200
    assert 'class="error-summary"' in text_of(response)
    assert stored_log(intervention.intervention_id) == before


def test_names_are_escaped(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    team.member_add(
        keyring=owner.keyring, intervention_id=intervention.intervention_id, name="<b>Mere</b>"
    )
    page = text_of(owner_client.get(_url(intervention)))
    assert "<b>Mere</b>" not in page and html.escape("<b>Mere</b>") in page


def test_a_refused_name_for_you_keeps_your_own_hint(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    team.member_add(
        keyring=owner.keyring, intervention_id=intervention.intervention_id, name="Mere"
    )
    you = owner.keyring.account_id
    body = {"action": "rename", "member": you, "name": "mere"}
    page = text_of(owner_client.post(_url(intervention), body))
    assert "Someone on the team already has this name" in page
    mine = page.split(f'id="member-{you}"', 1)[1].split("</li>", 1)[0]
    assert f'<p class="hint" id="id_name_{you}_helptext">So that others can tell' in mine
    assert f'aria-describedby="id_name_{you}_helptext id_name_{you}_error"' in mine
    assert "a nickname or initials" not in mine
