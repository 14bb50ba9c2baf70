"""The team: members join by a name, are renamed, leave; accounts stay on the team."""

from __future__ import annotations

import pytest

from allymap.chart.positions import Position
from allymap.domain import commands
from allymap.domain.commands import (
    MEMBER_NAME_MAX,
    active_member,
    add_member,
    change_member,
    remove_member,
)
from allymap.domain.errors import InvalidInput, Refusal
from allymap.domain.events import MemberAdded, MemberChanged, MemberRemoved

from .helpers import ASSESSORS, Log

ME = ASSESSORS[0]


def _team() -> Log:
    """The starter (ME), Ben without an account, and Ana with one."""
    log = Log()
    log.run(add_member, member_id="m-ben", name="Ben")
    log.run(add_member, member_id="m-ana", name="Ana", account_id=ASSESSORS[1])
    return log


def _refusal(caught: pytest.ExceptionInfo[InvalidInput]) -> tuple[str, Refusal]:
    return (caught.value.field, caught.value.code)


def test_it_adds_a_member_without_an_account_unless_given_one() -> None:
    state = Log().state
    assert add_member(state, member_id="m-ben", name=" Ben ") == MemberAdded(
        member_id="m-ben", name="Ben", account_id=""
    )
    assert add_member(state, member_id="m-ana", name="Āna", account_id=ASSESSORS[1]) == (
        MemberAdded(member_id="m-ana", name="Āna", account_id=ASSESSORS[1])
    )


@pytest.mark.parametrize("name", ["Ben", "ben", " BEN ", "bEn"])
def test_it_refuses_a_name_another_member_has_whatever_its_letter_case(name: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        add_member(_team().state, member_id="m-new", name=name)
    assert _refusal(caught) == ("name", Refusal.DUPLICATE)


def test_it_gives_the_name_of_a_member_who_left_to_someone_new() -> None:
    log = _team()
    log.run(remove_member, member_id="m-ben")
    assert add_member(log.state, member_id="m-ben2", name="Ben").name == "Ben"


def test_it_refuses_a_member_id_already_used_even_by_a_member_who_left() -> None:
    log = _team()
    log.run(remove_member, member_id="m-ben")
    for used in ["m-ben", "m-ana", ME]:
        with pytest.raises(InvalidInput) as caught:
            add_member(log.state, member_id=used, name="Someone new")
        assert _refusal(caught) == ("member_id", Refusal.DUPLICATE)


@pytest.mark.parametrize("account_id", [ME, ASSESSORS[1]])
def test_it_refuses_an_account_already_on_the_team(account_id: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        add_member(_team().state, member_id="m-new", name="Someone new", account_id=account_id)
    assert _refusal(caught) == ("account_id", Refusal.DUPLICATE)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("", Refusal.REQUIRED),
        (" \n ", Refusal.REQUIRED),
        ("x" * (MEMBER_NAME_MAX + 1), Refusal.TOO_LONG),
        ("Be\nn", Refusal.CONTROL_CHARACTER),
        ("Be\u200bn", Refusal.DISGUISING_CHARACTER),
    ],
)
def test_it_refuses_a_member_name_it_cannot_keep(name: str, code: Refusal) -> None:
    with pytest.raises(InvalidInput) as caught:
        add_member(Log().state, member_id="m-new", name=name)
    assert _refusal(caught) == ("name", code)
    assert add_member(Log().state, member_id="m-new", name="x" * MEMBER_NAME_MAX)


@pytest.mark.parametrize("member_id", ["", "has space", "x" * 65])
def test_it_refuses_a_member_id_the_program_should_not_have_made(member_id: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        add_member(Log().state, member_id=member_id, name="Ben")
    assert _refusal(caught) == ("member_id", Refusal.INTERNAL)


def test_it_renames_a_member_only_when_the_name_changed() -> None:
    state = _team().state
    assert change_member(state, member_id="m-ben", name=" Ben ") is None
    assert change_member(state, member_id="m-ben", name="ben") == MemberChanged(
        member_id="m-ben", name="ben"
    )
    # Whoever started the intervention has no name until they choose one.
    assert change_member(state, member_id=ME, name="Aroha") == MemberChanged(
        member_id=ME, name="Aroha"
    )


def test_it_refuses_renaming_a_member_to_another_members_name() -> None:
    with pytest.raises(InvalidInput) as caught:
        change_member(_team().state, member_id="m-ben", name="ANA")
    assert _refusal(caught) == ("name", Refusal.DUPLICATE)


def test_it_removes_a_member_without_an_account_once() -> None:
    log = _team()
    assert remove_member(log.state, member_id="m-ben") == MemberRemoved(member_id="m-ben")
    log.run(remove_member, member_id="m-ben")
    for command in (
        lambda: remove_member(log.state, member_id="m-ben"),
        lambda: change_member(log.state, member_id="m-ben", name="Benjamin"),
    ):
        with pytest.raises(InvalidInput) as caught:
            command()
        assert _refusal(caught) == ("member_id", Refusal.NOT_A_CHOICE)


@pytest.mark.parametrize("member_id", [ME, "m-ana", "m-nobody"])
def test_it_keeps_on_the_team_a_member_linked_to_an_account(member_id: str) -> None:
    log = _team()
    with pytest.raises(InvalidInput) as caught:
        remove_member(log.state, member_id=member_id)
    assert _refusal(caught) == ("member_id", Refusal.NOT_A_CHOICE)


def test_it_finds_an_active_member_and_refuses_anyone_else() -> None:
    log = _team()
    log.run(remove_member, member_id="m-ben")
    assert active_member(log.state, "m-ana").name == "Ana"
    assert active_member(log.state, ME).account_id == ME
    for nobody in ["m-ben", "m-nobody", "", 7]:
        with pytest.raises(InvalidInput) as caught:
            active_member(log.state, nobody)  # type: ignore[arg-type]
        assert _refusal(caught) == ("member_id", Refusal.NOT_A_CHOICE)


def test_it_lets_a_member_who_left_record_nothing_more_but_keeps_what_they_did() -> None:
    log = _team()
    log.run(commands.add_person, person_id="p1", alias="Mere")
    log.reflect("p1", {"respected": (Position.ALLY, "")}, member_id="m-ben")
    log.run(remove_member, member_id="m-ben")
    with pytest.raises(InvalidInput) as caught:
        log.reflect("p1", {"respected": (Position.MIXED, "")}, member_id="m-ben")
    assert _refusal(caught) == ("member_id", Refusal.NOT_A_CHOICE)
    with pytest.raises(InvalidInput) as caught:
        commands.talk_through(log.state, person_id="p1", row_key="respected", member_id="m-ben")
    assert _refusal(caught) == ("member_id", Refusal.NOT_A_CHOICE)
    assert log.state.person("p1").positions["m-ben"]["respected"].position is Position.ALLY
