"""The team through the services: the reader's own member first as "You", members added
by a name once however often asked, renamed, and taken off with what they recorded
kept."""

from __future__ import annotations

import pytest

from allymap.chart import Position
from allymap.domain import MEMBER_NAME_MAX, InvalidInput, Refusal
from allymap.services import interventions, positions, team
from allymap.services.errors import NotFound
from allymap.services.keyring import Keyring
from allymap.store.models import Event
from tests.people import fresh
from tests.services.conftest import SERVICE_NAMES, Started


def _events(intervention_id: str) -> int:
    return Event.objects.filter(intervention_id=intervention_id).count()


def test_whoever_started_it_is_the_first_member_and_cannot_leave(
    owner: Keyring, intervention: Started
) -> None:
    reading = team.team_reading(keyring=fresh(owner), intervention_id=intervention.intervention_id)
    assert reading.heading.code_name == SERVICE_NAMES.code_name
    (you,) = reading.members
    assert (you.member_id, you.name, you.is_you, you.can_leave, you.removed) == (
        owner.account_id,
        "",
        True,
        False,
        False,
    )
    with pytest.raises(InvalidInput) as refused:
        team.member_remove(
            keyring=owner, intervention_id=intervention.intervention_id, member_id=you.member_id
        )
    assert (refused.value.field, refused.value.code) == ("member_id", Refusal.NOT_A_CHOICE)


def test_it_adds_a_member_once_and_lists_you_first(owner: Keyring, intervention: Started) -> None:
    ids = {"keyring": owner, "intervention_id": intervention.intervention_id}
    before = _events(intervention.intervention_id)
    first = team.member_add(**ids, name=" Hemi ", proposed_id="a-token-from-the-team-form")
    again = team.member_add(**ids, name=" Hemi ", proposed_id="a-token-from-the-team-form")
    assert first == again
    assert _events(intervention.intervention_id) == before + 1
    team.member_rename(**ids, member_id=owner.account_id, name="Aroha")
    members = team.team_reading(**ids).members
    assert [(m.name, m.is_you, m.can_leave) for m in members] == [
        ("Aroha", True, False),
        ("Hemi", False, True),
    ]
    assert interventions.intervention_overview(**ids).team_size == 2


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("", Refusal.REQUIRED),
        ("x" * (MEMBER_NAME_MAX + 1), Refusal.TOO_LONG),
        ("HEMI", Refusal.DUPLICATE),
        ("He\u200bmi", Refusal.DISGUISING_CHARACTER),
    ],
    ids=["empty", "too long", "taken", "disguising"],
)
def test_it_refuses_a_name_it_cannot_keep(
    owner: Keyring, intervention: Started, name: str, code: Refusal
) -> None:
    ids = {"keyring": owner, "intervention_id": intervention.intervention_id}
    team.member_add(**ids, name="Hemi")
    before = _events(intervention.intervention_id)
    with pytest.raises(InvalidInput) as refused:
        team.member_add(**ids, name=name)
    assert (refused.value.field, refused.value.code) == ("name", code)
    assert _events(intervention.intervention_id) == before


def test_renaming_to_the_same_name_stores_nothing(owner: Keyring, intervention: Started) -> None:
    ids = {"keyring": owner, "intervention_id": intervention.intervention_id}
    hemi = team.member_add(**ids, name="Hemi")
    before = _events(intervention.intervention_id)
    team.member_rename(**ids, member_id=hemi, name=" Hemi ")
    assert _events(intervention.intervention_id) == before


def test_a_removed_member_leaves_the_team_but_their_answers_stay(
    owner: Keyring, intervention: Started
) -> None:
    ids = {"keyring": owner, "intervention_id": intervention.intervention_id}
    hemi = team.member_add(**ids, name="Hemi")
    positions.positions_record(
        **ids,
        person_id=intervention.person_id,
        positions={"respected": (Position.IN_THE_WAY, "They don't talk")},
        member_id=hemi,
    )
    team.member_remove(**ids, member_id=hemi)
    before = _events(intervention.intervention_id)
    team.member_remove(**ids, member_id=hemi)  # posted twice
    assert _events(intervention.intervention_id) == before
    assert [m.member_id for m in team.team_reading(**ids).members] == [owner.account_id]
    state = interventions.intervention_open(keyring=fresh(owner), **ids_only(intervention))
    entry = state.person(intervention.person_id).positions[hemi]["respected"]
    assert (entry.position, entry.evidence) == (Position.IN_THE_WAY, "They don't talk")
    assert state.members[hemi].removed and state.members[hemi].name == "Hemi"
    with pytest.raises(InvalidInput):
        team.member_rename(**ids, member_id=hemi, name="Hemi again")


def ids_only(started: Started) -> dict[str, str]:
    return {"intervention_id": started.intervention_id}


def test_an_outsider_cannot_read_or_change_the_team(
    owner: Keyring, outsider: Keyring, intervention: Started
) -> None:
    ids = {"keyring": outsider, "intervention_id": intervention.intervention_id}
    before = _events(intervention.intervention_id)
    with pytest.raises(NotFound):
        team.team_reading(**ids)
    with pytest.raises(NotFound):
        team.member_add(**ids, name="Planted")
    assert _events(intervention.intervention_id) == before
