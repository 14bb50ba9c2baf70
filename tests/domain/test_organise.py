"""Organising and following through: roles, support for allies, gaps set aside, check-ins,
the staircase of change and the self-check. What each command refuses, when it makes
nothing, and what the fold makes of its events."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import msgspec
import pytest
from hypothesis import given, settings

from allymap.domain import commands
from allymap.domain.errors import FoldError, InvalidInput, Refusal, UnknownPerson
from allymap.domain.events import (
    CheckInAdded,
    Event,
    InterventionStarted,
    Recorded,
    RoleAssigned,
    RoleLimitSet,
    RoleNamed,
    RoleUnassigned,
    SelfCheckKept,
    StaircaseNoted,
    SupportAdded,
    SupportRemoved,
    decode_event,
    encode_event,
)
from allymap.domain.fold import fold
from allymap.domain.organise import SELF_CHECK_MAX
from allymap.domain.state import CheckIn, Holder, RoleChange, StairNote, Support
from allymap.domain.upgrades import InterventionStartedV1
from allymap.domain.values import HolderKind, Perspective, Role, Step

from .helpers import ASSESSORS, GAP_OPERATIONS, INTERVENTION_ID, START, Log, histories

ME, BEN_ACCOUNT, ANA_ACCOUNT = ASSESSORS
MERE = Holder(kind=HolderKind.PERSON, id="p1")
TAMA = Holder(kind=HolderKind.PERSON, id="p2")
BEN = Holder(kind=HolderKind.MEMBER, id="m-ben")
ALLY = Role.ACCOUNTABILITY_ALLY.value


def _team() -> Log:
    """Mere and Tama on the map; Ben on the team; Hemi was on the map and is not now."""
    log = Log()
    log.run(commands.add_person, person_id="p1", alias="Mere", consent="agreed")
    log.run(commands.add_person, person_id="p2", alias="Tama")
    log.run(commands.add_person, person_id="p-gone", alias="Hemi")
    log.run(commands.remove_person, person_id="p-gone")
    log.run(commands.add_member, member_id="m-ben", name="Ben")
    log.run(commands.add_member, member_id="m-left", name="Rua")
    log.run(commands.remove_member, member_id="m-left")
    return log


def _refused(caught: pytest.ExceptionInfo[InvalidInput]) -> tuple[str, Refusal]:
    return (caught.value.field, caught.value.code)


def _assign(log: Log, role: str, holder: Holder) -> None:
    log.run(commands.assign_role, role=role, holder_kind=holder.kind, holder_id=holder.id)


def _support(log: Log, support_id: str, ally: Holder, supporter: Holder) -> None:
    log.run(
        commands.add_support,
        support_id=support_id,
        ally_kind=ally.kind,
        ally_id=ally.id,
        supporter_kind=supporter.kind,
        supporter_id=supporter.id,
    )


# --- roles -----------------------------------------------------------------------------------


def test_it_names_a_role_of_the_teams_own_and_refuses_a_name_or_id_taken() -> None:
    log = _team()
    assert commands.name_role(log.state, role_id="r-kai", name="  Brings kai ") == RoleNamed(
        role_id="r-kai", name="Brings kai"
    )
    log.run(commands.name_role, role_id="r-kai", name="Brings kai")
    assert log.state.custom_roles == {"r-kai": "Brings kai"}
    for role_id, name, field in [
        ("r-kai", "Drives", "role_id"),
        (Role.FACILITATOR.value, "Drives", "role_id"),  # a role of the checklist's id
        ("r-other", "BRINGS KAI", "name"),
    ]:
        with pytest.raises(InvalidInput) as caught:
            commands.name_role(log.state, role_id=role_id, name=name)
        assert _refused(caught) == (field, Refusal.DUPLICATE)


@pytest.mark.parametrize(
    ("role_id", "name", "refused"),
    [
        ("", "Drives", ("role_id", Refusal.INTERNAL)),
        ("r 1", "Drives", ("role_id", Refusal.INTERNAL)),
        ("r-1", "  ", ("name", Refusal.REQUIRED)),
        ("r-1", "x" * (commands.ROLE_NAME_MAX + 1), ("name", Refusal.TOO_LONG)),
        ("r-1", "Two\nlines", ("name", Refusal.CONTROL_CHARACTER)),
    ],
)
def test_it_refuses_a_role_name_or_id_that_is_not_one(
    role_id: str, name: str, refused: tuple[str, Refusal]
) -> None:
    with pytest.raises(InvalidInput) as caught:
        commands.name_role(Log().state, role_id=role_id, name=name)
    assert _refused(caught) == refused


def test_it_assigns_a_role_to_someone_on_the_map_or_the_team_once() -> None:
    log = _team()
    assert commands.assign_role(
        log.state, role="facilitator", holder_kind="member", holder_id="m-ben"
    ) == RoleAssigned(role="facilitator", holder_kind=HolderKind.MEMBER, holder_id="m-ben")
    _assign(log, ALLY, MERE)
    _assign(log, ALLY, BEN)
    _assign(log, Role.LOGISTICS.value, MERE)
    log.run(commands.name_role, role_id="r-kai", name="Brings kai")
    _assign(log, "r-kai", MERE)
    assert log.state.roles[ALLY] == [MERE, BEN]  # in the order they took it on
    assert log.state.roles_of(MERE) == [ALLY, Role.LOGISTICS.value, "r-kai"]
    # Already theirs: nothing to record.
    assert commands.assign_role(log.state, role=ALLY, holder_kind="person", holder_id="p1") is None


@pytest.mark.parametrize(
    ("role", "kind", "holder_id", "field"),
    [
        ("chief", "member", "m-ben", "role"),  # neither the checklist's nor named
        ("", "member", "m-ben", "role"),
        ("facilitator", "person", "p-nobody", "holder"),
        ("facilitator", "person", "p-gone", "holder"),  # taken off the map
        ("facilitator", "member", "m-left", "holder"),  # left the team
        ("facilitator", "member", "p1", "holder"),  # a person's id as a member's
        ("facilitator", "outside", "Whaea Rita", "holder"),  # roles are for map or team
        ("facilitator", "friend", "p1", "holder"),
    ],
)
def test_it_refuses_an_unknown_role_or_holder(
    role: str, kind: str, holder_id: str, field: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        commands.assign_role(_team().state, role=role, holder_kind=kind, holder_id=holder_id)
    assert _refused(caught) == (field, Refusal.NOT_A_CHOICE)


def test_it_unassigns_a_role_held_and_makes_nothing_when_it_is_not() -> None:
    log = _team()
    _assign(log, ALLY, MERE)
    assert (
        commands.unassign_role(log.state, role=ALLY, holder_kind="member", holder_id="m-ben")
        is None
    )
    assert (
        commands.unassign_role(log.state, role="facilitator", holder_kind="person", holder_id="p1")
        is None
    )
    assert commands.unassign_role(
        log.state, role=ALLY, holder_kind="person", holder_id="p1"
    ) == RoleUnassigned(role=ALLY, holder_kind=HolderKind.PERSON, holder_id="p1")
    with pytest.raises(InvalidInput) as caught:
        commands.unassign_role(log.state, role="chief", holder_kind="person", holder_id="p1")
    assert _refused(caught) == ("role", Refusal.NOT_A_CHOICE)


def test_it_keeps_each_role_change_in_the_timeline() -> None:
    log = _team()
    (given,) = log.run(commands.assign_role, role=ALLY, holder_kind="person", holder_id="p1")
    (put_down,) = log.run(commands.unassign_role, role=ALLY, holder_kind="person", holder_id="p1")
    assert log.state.role_changes == [
        RoleChange(seq=given.seq, at=given.at, role=ALLY, holder=MERE, assigned=True),
        RoleChange(seq=put_down.seq, at=put_down.at, role=ALLY, holder=MERE, assigned=False),
    ]
    assert log.state.roles[ALLY] == []
    assert log.state.roles_of(MERE) == []


@pytest.mark.parametrize("limit", [0, -1, commands.ROLE_LIMIT_MAX + 1, True, "3", 2.5])
def test_it_refuses_a_role_limit_out_of_range(limit: object) -> None:
    with pytest.raises(InvalidInput) as caught:
        commands.set_role_limit(Log().state, limit=limit)  # type: ignore[arg-type]
    assert _refused(caught) == ("limit", Refusal.OUT_OF_RANGE)
    assert caught.value.params == {"limit": commands.ROLE_LIMIT_MAX}


def test_it_sets_the_role_limit_and_makes_nothing_when_it_is_so() -> None:
    log = Log()
    assert log.state.role_limit == 3
    assert commands.set_role_limit(log.state, limit=3) is None
    assert commands.set_role_limit(log.state, limit=1) == RoleLimitSet(limit=1)
    log.run(commands.set_role_limit, limit=commands.ROLE_LIMIT_MAX)
    assert log.state.role_limit == commands.ROLE_LIMIT_MAX


# --- support for allies --------------------------------------------------------------------


def test_it_adds_support_from_the_map_the_team_or_outside() -> None:
    log = _team()
    _support(log, "s1", MERE, BEN)
    _support(log, "s2", BEN, TAMA)
    (outside,) = log.run(
        commands.add_support,
        support_id="s3",
        ally_kind="person",
        ally_id="p1",
        supporter_kind="outside",
        supporter_name=" Whaea Rita ",
    )
    assert outside.event == SupportAdded(
        support_id="s3",
        ally_kind=HolderKind.PERSON,
        ally_id="p1",
        supporter_kind=HolderKind.OUTSIDE,
        supporter_name="Whaea Rita",
    )
    supports = log.state.supports
    assert [(s.ally, s.supporter, s.supporter_name) for s in supports.values()] == [
        (MERE, BEN, ""),
        (BEN, TAMA, ""),
        (MERE, None, "Whaea Rita"),
    ]
    assert supports["s3"].at == outside.at


@pytest.mark.parametrize(
    ("kwargs", "refused"),
    [
        (
            {
                "ally_kind": "person",
                "ally_id": "p1",
                "supporter_kind": "person",
                "supporter_id": "p1",
            },
            ("supporter", Refusal.NOT_A_CHOICE),  # nobody supports themselves
        ),
        (
            {
                "ally_kind": "member",
                "ally_id": "m-ben",
                "supporter_kind": "member",
                "supporter_id": "m-ben",
            },
            ("supporter", Refusal.NOT_A_CHOICE),
        ),
        (
            {"ally_kind": "person", "ally_id": "p1", "supporter_kind": "outside"},
            ("supporter_name", Refusal.REQUIRED),
        ),
        (
            {
                "ally_kind": "person",
                "ally_id": "p1",
                "supporter_kind": "outside",
                "supporter_name": " ",
            },
            ("supporter_name", Refusal.REQUIRED),
        ),
        (
            {
                "ally_kind": "person",
                "ally_id": "p-gone",
                "supporter_kind": "member",
                "supporter_id": "m-ben",
            },
            ("ally", Refusal.NOT_A_CHOICE),
        ),
        (
            {
                "ally_kind": "outside",
                "ally_id": "p1",
                "supporter_kind": "member",
                "supporter_id": "m-ben",
            },
            ("ally", Refusal.NOT_A_CHOICE),
        ),
        (
            {
                "ally_kind": "person",
                "ally_id": "p1",
                "supporter_kind": "member",
                "supporter_id": "m-left",
            },
            ("supporter", Refusal.NOT_A_CHOICE),
        ),
        (
            {
                "ally_kind": "person",
                "ally_id": "p1",
                "supporter_kind": "whānau",
                "supporter_id": "p2",
            },
            ("supporter", Refusal.NOT_A_CHOICE),
        ),
    ],
)
def test_it_refuses_support_that_cannot_be(
    kwargs: dict[str, str], refused: tuple[str, Refusal]
) -> None:
    with pytest.raises(InvalidInput) as caught:
        commands.add_support(_team().state, support_id="s1", **kwargs)
    assert _refused(caught) == refused


def test_it_refuses_a_support_id_used_and_removes_support_once() -> None:
    log = _team()
    _support(log, "s1", MERE, BEN)
    with pytest.raises(InvalidInput) as caught:
        commands.add_support(
            log.state,
            support_id="s1",
            ally_kind="person",
            ally_id="p2",
            supporter_kind="member",
            supporter_id="m-ben",
        )
    assert _refused(caught) == ("support_id", Refusal.DUPLICATE)
    assert commands.remove_support(log.state, support_id="s1") == SupportRemoved(support_id="s1")
    log.run(commands.remove_support, support_id="s1")
    assert log.state.supports == {}
    assert commands.remove_support(log.state, support_id="s1") is None


@pytest.mark.parametrize(
    ("leaves", "leaving"),
    [
        (lambda log: log.run(commands.remove_person, person_id="p1"), MERE),
        (lambda log: log.run(commands.remove_member, member_id="m-ben"), BEN),
    ],
    ids=["person taken off the map", "member leaves the team"],
)
def test_someone_who_leaves_puts_down_their_roles_and_their_support_ends(
    leaves: object, leaving: Holder
) -> None:
    log = _team()
    _assign(log, ALLY, MERE)
    _assign(log, Role.LOGISTICS.value, MERE)
    _assign(log, ALLY, BEN)
    _assign(log, Role.FACILITATOR.value, BEN)
    _assign(log, ALLY, TAMA)
    _support(log, "s-to-mere", MERE, BEN)  # given to Mere, by Ben
    _support(log, "s-to-ben", BEN, MERE)  # given to Ben, by Mere
    _support(log, "s-to-tama", TAMA, BEN)
    log.run(
        commands.add_support,
        support_id="s-outside",
        ally_kind="person",
        ally_id="p2",
        supporter_kind="outside",
        supporter_name="Koro",
    )
    held = log.state.roles_of(leaving)
    (left,) = leaves(log)  # type: ignore[operator]
    state = log.state
    assert state.roles_of(leaving) == []
    assert TAMA in state.roles[ALLY]
    changes = [c for c in state.role_changes if c.seq == left.seq]
    assert [(c.role, c.holder, c.assigned, c.at) for c in changes] == [
        (role, leaving, False, left.at) for role in held
    ]
    stay = {"s-outside"} | ({"s-to-tama"} if leaving == MERE else set())
    assert set(state.supports) == stay
    assert all(leaving not in (s.ally, s.supporter) for s in state.supports.values())


# --- gaps set aside ----------------------------------------------------------------------------


def test_it_sets_a_gap_aside_with_a_note_and_reopens_it() -> None:
    log = Log()
    (aside,) = log.run(
        commands.set_aside_gap, gap_key="no_ally", cause="", note=" Asking at the hui. "
    )
    kept = log.state.set_aside["no_ally"]
    assert (kept.cause, kept.note, kept.at) == ("", "Asking at the hui.", aside.at)
    with pytest.raises(InvalidInput) as caught:
        commands.set_aside_gap(log.state, gap_key="", cause="")
    assert _refused(caught) == ("gap_key", Refusal.INTERNAL)
    with pytest.raises(InvalidInput) as caught:
        commands.set_aside_gap(log.state, gap_key="no_ally", cause="", note="x" * 3001)
    assert _refused(caught) == ("note", Refusal.TOO_LONG)
    log.run(commands.reopen_gap, gap_key="no_ally")
    assert log.state.set_aside == {}
    assert commands.reopen_gap(log.state, gap_key="no_ally") is None


# --- check-ins and the staircase ---------------------------------------------------------------


def test_it_adds_a_check_in_and_keeps_it_in_log_order() -> None:
    log = _team()
    (first,) = log.run(
        commands.add_check_in,
        check_in_id="c1",
        on=date(2024, 3, 8),
        happened=" Hui at the marae. ",
        wins="Mere rang him.",
        revisit=["p2", "p1", "p2"],
    )
    (second,) = log.run(
        commands.add_check_in, check_in_id="c2", on=date(2024, 3, 1), revisit=["p1"]
    )
    assert first.event == CheckInAdded(
        check_in_id="c1",
        on=date(2024, 3, 8),
        happened="Hui at the marae.",
        wins="Mere rang him.",
        revisit=("p2", "p1"),  # each once, in the order given
    )
    assert log.state.check_ins == [
        CheckIn(
            check_in_id="c1",
            on=date(2024, 3, 8),
            happened="Hui at the marae.",
            wins="Mere rang him.",
            worries="",
            revisit=["p2", "p1"],
            seq=first.seq,
            at=first.at,
        ),
        CheckIn(
            check_in_id="c2",
            on=date(2024, 3, 1),
            happened="",
            wins="",
            worries="",
            revisit=["p1"],
            seq=second.seq,
            at=second.at,
        ),
    ]


@pytest.mark.parametrize(
    "texts",
    [{}, {"happened": "  ", "wins": "\n", "worries": "\t"}],
    ids=["nothing", "only white space"],
)
def test_it_refuses_a_check_in_with_nothing_in_it(texts: dict[str, str]) -> None:
    with pytest.raises(InvalidInput) as caught:
        commands.add_check_in(_team().state, check_in_id="c1", on=date(2024, 3, 8), **texts)
    assert _refused(caught) == ("happened", Refusal.REQUIRED)


def test_it_refuses_a_check_in_id_used_or_someone_to_revisit_not_on_the_map() -> None:
    log = _team()
    log.run(commands.add_check_in, check_in_id="c1", on=date(2024, 3, 8), worries="Quiet week.")
    with pytest.raises(InvalidInput) as caught:
        commands.add_check_in(log.state, check_in_id="c1", on=date(2024, 3, 9), wins="Kai.")
    assert _refused(caught) == ("check_in_id", Refusal.DUPLICATE)
    with pytest.raises(UnknownPerson):
        commands.add_check_in(log.state, check_in_id="c2", on=date(2024, 3, 9), revisit=["p-gone"])


@pytest.mark.parametrize("on", [date(1999, 12, 31), date(2101, 1, 1), "2024-03-08", None])
def test_it_refuses_a_day_out_of_range(on: object) -> None:
    state = _team().state
    with pytest.raises(InvalidInput) as caught:
        commands.add_check_in(state, check_in_id="c1", on=on, happened="Hui.")  # type: ignore[arg-type]
    assert _refused(caught) == ("on", Refusal.OUT_OF_RANGE)
    with pytest.raises(InvalidInput) as caught:
        commands.note_staircase(state, note_id="n1", step="stop_violence", on=on)  # type: ignore[arg-type]
    assert _refused(caught) == ("on", Refusal.OUT_OF_RANGE)


@pytest.mark.parametrize("on", [date(2000, 1, 1), date(2100, 12, 31)])
def test_it_accepts_the_first_and_last_days_it_keeps(on: date) -> None:
    state = _team().state
    assert commands.add_check_in(state, check_in_id="c1", on=on, happened="Hui.").on == on
    assert commands.note_staircase(state, note_id="n1", step="make_repair", on=on).on == on


def test_it_refuses_a_time_where_a_day_is_wanted() -> None:
    with pytest.raises(InvalidInput) as caught:
        commands.add_check_in(
            _team().state, check_in_id="c1", on=datetime(2024, 3, 8, tzinfo=UTC), happened="Hui."
        )
    assert _refused(caught) == ("on", Refusal.OUT_OF_RANGE)


def test_it_notes_where_things_stand_on_the_staircase() -> None:
    log = _team()
    (first,) = log.run(
        commands.note_staircase, note_id="n1", step="stop_violence", on=date(2024, 3, 8)
    )
    (second,) = log.run(
        commands.note_staircase,
        note_id="n2",
        step=Step.RECOGNISE_VIOLENCE,
        on=date(2024, 4, 2),
        text=" He named what he did, at the hui. ",
    )
    assert second.event == StaircaseNoted(
        note_id="n2",
        step=Step.RECOGNISE_VIOLENCE,
        on=date(2024, 4, 2),
        text="He named what he did, at the hui.",
    )
    assert log.state.staircase == [
        StairNote(
            note_id="n1",
            step=Step.STOP_VIOLENCE,
            on=date(2024, 3, 8),
            text="",
            seq=first.seq,
            at=first.at,
        ),
        StairNote(
            note_id="n2",
            step=Step.RECOGNISE_VIOLENCE,
            on=date(2024, 4, 2),
            text="He named what he did, at the hui.",
            seq=second.seq,
            at=second.at,
        ),
    ]
    with pytest.raises(InvalidInput) as caught:
        commands.note_staircase(log.state, note_id="n1", step="make_repair", on=date(2024, 5, 1))
    assert _refused(caught) == ("note_id", Refusal.DUPLICATE)
    with pytest.raises(InvalidInput) as caught:
        commands.note_staircase(log.state, note_id="n3", step="top", on=date(2024, 5, 1))
    assert _refused(caught) == ("step", Refusal.NOT_A_CHOICE)


def test_the_staircase_has_six_steps_in_order() -> None:
    assert [s.value for s in Step] == [
        "stop_violence",
        "recognise_violence",
        "recognise_consequences",
        "make_repair",
        "change_behaviour",
        "healthier_community",
    ]


# --- the self-check ----------------------------------------------------------------------------


def test_it_keeps_each_authors_self_check_and_takes_one_away_with_empty_bytes() -> None:
    log = _team()
    log.run(commands.keep_self_check, author=ME, sealed=b"sealed-for-aroha")
    log.run(commands.keep_self_check, author=BEN_ACCOUNT, sealed=b"sealed-for-ben")
    log.run(commands.keep_self_check, author=ME, sealed=b"sealed-again")
    assert log.state.self_checks == {ME: b"sealed-again", BEN_ACCOUNT: b"sealed-for-ben"}
    (taken,) = log.run(commands.keep_self_check, author=ME, sealed=b"")
    assert taken.event == SelfCheckKept(sealed=b"")
    assert log.state.self_checks == {BEN_ACCOUNT: b"sealed-for-ben"}
    # Taking away one that is not there changes nothing.
    log.run(commands.keep_self_check, author=ANA_ACCOUNT, sealed=b"")
    assert log.state.self_checks == {BEN_ACCOUNT: b"sealed-for-ben"}


def test_it_refuses_a_self_check_that_is_not_sealed_bytes_or_too_big() -> None:
    state = Log().state
    assert commands.keep_self_check(state, sealed=b"x" * SELF_CHECK_MAX).sealed == b"x" * (
        SELF_CHECK_MAX
    )
    for sealed in ("I listen well.", bytearray(b"x"), b"x" * (SELF_CHECK_MAX + 1)):
        with pytest.raises(InvalidInput) as caught:
            commands.keep_self_check(state, sealed=sealed)  # type: ignore[arg-type]
        assert _refused(caught) == ("sealed", Refusal.INTERNAL)


# --- perspectives ---------------------------------------------------------------------------


@pytest.mark.parametrize("perspective", list(Perspective))
def test_an_intervention_says_whose_map_it_is(perspective: Perspective) -> None:
    event = commands.start_intervention(
        code_name="Kererū",
        doing_harm_alias="R.",
        chart_id="mataora-who-can-help",
        chart_version=1,
        perspective=perspective.value,
    )
    assert event.perspective is perspective
    assert msgspec.msgpack.decode(encode_event(event))["type"] == "intervention_started/2"
    state = fold(
        None, [Recorded(seq=1, author=ME, at=START, event=event)], intervention_id=INTERVENTION_ID
    )
    assert state.perspective is perspective


def test_a_team_map_is_the_default_and_another_perspective_is_refused() -> None:
    kwargs = {"code_name": "Kererū", "doing_harm_alias": "R.", "chart_id": "c", "chart_version": 1}
    assert commands.start_intervention(**kwargs).perspective is Perspective.TEAM  # type: ignore[arg-type]
    with pytest.raises(InvalidInput) as caught:
        commands.start_intervention(**kwargs, perspective="the_neighbours")  # type: ignore[arg-type]
    assert _refused(caught) == ("perspective", Refusal.NOT_A_CHOICE)


def test_it_reads_an_intervention_started_before_perspectives_as_a_teams() -> None:
    old = InterventionStartedV1(
        code_name="Kererū",
        doing_harm_alias="R.",
        harmed_alias="A.",
        chart_id="mataora-who-can-help",
        chart_version=2,
    )
    data = msgspec.msgpack.encode(old)
    assert msgspec.msgpack.decode(data)["type"] == "intervention_started/1"
    event = decode_event(data)
    assert event == InterventionStarted(
        code_name="Kererū",
        doing_harm_alias="R.",
        harmed_alias="A.",
        chart_id="mataora-who-can-help",
        chart_version=2,
        perspective=Perspective.TEAM,
    )
    state = fold(
        None, [Recorded(seq=1, author=ME, at=START, event=event)], intervention_id=INTERVENTION_ID
    )
    assert state.perspective is Perspective.TEAM
    assert msgspec.msgpack.decode(encode_event(event))["type"] == "intervention_started/2"


# --- what the fold refuses (commands never make it) --------------------------------------------


def _then(log: Log, event: Event) -> Recorded:
    return Recorded(
        seq=log.state.seq + 1,
        author=ME,
        at=log.records[-1].at + timedelta(seconds=1),
        event=event,
    )


@pytest.mark.parametrize(
    ("event", "words"),
    [
        (RoleNamed(role_id="facilitator", name="Lead"), "names role 'facilitator' again"),
        (RoleNamed(role_id="r-kai", name="Again"), "names role 'r-kai' again"),
        (RoleAssigned(role="chief", holder_kind=HolderKind.PERSON, holder_id="p1"), "not one"),
        (
            RoleAssigned(role=ALLY, holder_kind=HolderKind.PERSON, holder_id="p-gone"),
            "person:p-gone, not on the map or the team",
        ),
        (
            RoleAssigned(role=ALLY, holder_kind=HolderKind.MEMBER, holder_id="m-left"),
            "member:m-left, not on the map or the team",
        ),
        (
            RoleAssigned(role=ALLY, holder_kind=HolderKind.PERSON, holder_id="p1"),
            "someone who holds it",
        ),
        (
            RoleUnassigned(role=ALLY, holder_kind=HolderKind.PERSON, holder_id="p2"),
            "someone without it",
        ),
        (RoleLimitSet(limit=0), "below one"),
        (
            SupportAdded(
                support_id="s1",
                ally_kind=HolderKind.PERSON,
                ally_id="p2",
                supporter_kind=HolderKind.OUTSIDE,
                supporter_name="Koro",
            ),
            "adds support 's1' again",
        ),
        (
            SupportAdded(
                support_id="s2",
                ally_kind=HolderKind.PERSON,
                ally_id="p1",
                supporter_kind=HolderKind.MEMBER,
                supporter_id="m-left",
            ),
            "member:m-left, not on the map or the team",
        ),
        (SupportRemoved(support_id="s-none"), "removes support that is not there"),
        (
            CheckInAdded(check_in_id="c1", on=date(2024, 3, 9), happened="Again."),
            "adds check-in 'c1' again",
        ),
    ],
    ids=lambda value: type(value).__name__ if not isinstance(value, str) else "",
)
def test_the_fold_refuses_organising_events_no_command_makes(event: Event, words: str) -> None:
    log = _team()
    log.run(commands.name_role, role_id="r-kai", name="Brings kai")
    _assign(log, ALLY, MERE)
    _support(log, "s1", MERE, BEN)
    log.run(commands.add_check_in, check_in_id="c1", on=date(2024, 3, 8), happened="Hui.")
    with pytest.raises(FoldError, match=words):
        fold(log.state, [_then(log, event)], intervention_id=INTERVENTION_ID)


def test_a_support_lives_on_in_the_state_as_a_support() -> None:
    log = _team()
    (added,) = log.run(
        commands.add_support,
        support_id="s1",
        ally_kind="member",
        ally_id="m-ben",
        supporter_kind="person",
        supporter_id="p1",
    )
    assert log.state.supports == {
        "s1": Support(support_id="s1", ally=BEN, supporter=MERE, supporter_name="", at=added.at)
    }


# --- what always holds --------------------------------------------------------------------------


@settings(max_examples=75, deadline=None)
@given(histories(max_steps=40, operations=GAP_OPERATIONS))
def test_roles_and_support_are_only_ever_held_by_someone_there_now(
    records: list[Recorded],
) -> None:
    state = fold(None, records, intervention_id=INTERVENTION_ID)
    replayed: dict[str, list[Holder]] = {}
    for change in state.role_changes:
        holders = replayed.setdefault(change.role, [])
        if change.assigned:
            assert change.holder not in holders
            holders.append(change.holder)
        else:
            holders.remove(change.holder)
    # The timeline of role changes adds up to the roles held now.
    assert {r: h for r, h in replayed.items() if h} == {r: h for r, h in state.roles.items() if h}
    assert [c.seq for c in state.role_changes] == sorted(c.seq for c in state.role_changes)
    for holders in state.roles.values():
        assert all(state.holder_exists(h) for h in holders)
    for support in state.supports.values():
        assert state.holder_exists(support.ally)
        if support.supporter is None:
            assert support.supporter_name
        else:
            assert state.holder_exists(support.supporter)
            assert support.supporter != support.ally
    assert all(state.self_checks.values()), "a self-check taken away is gone, not empty"
