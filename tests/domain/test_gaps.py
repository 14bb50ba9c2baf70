"""The gaps panel: a pure function of the state, each gap gone once resolved, and a gap
set aside staying aside only while its cause is unchanged."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from allymap.chart.positions import Position
from allymap.domain import commands
from allymap.domain.events import GapSetAside, Recorded
from allymap.domain.fold import fold
from allymap.domain.gaps import (
    DISAGREEMENT_STEPS,
    Gap,
    GapKind,
    gaps,
    open_gaps,
    rows_nobody_knows,
    rows_to_talk_about,
)
from allymap.domain.state import Holder, InterventionState, encode_state
from allymap.domain.values import Consent, HolderKind, Role

from .helpers import ASSESSORS, GAP_OPERATIONS, INTERVENTION_ID, ROW_KEYS, Log, histories

HYPOTHESIS = settings(max_examples=75, deadline=None)
# Histories of every operation, weighted so that every kind of gap comes up often.
gap_histories = histories(max_steps=40, operations=GAP_OPERATIONS)
ME = ASSESSORS[0]
ALLY = Role.ACCOUNTABILITY_ALLY.value


def _person(person_id: str) -> Holder:
    return Holder(kind=HolderKind.PERSON, id=person_id)


def _member(member_id: str) -> Holder:
    return Holder(kind=HolderKind.MEMBER, id=member_id)


def _keys(state: InterventionState) -> list[str]:
    return [gap.key for gap in gaps(state, ROW_KEYS)]


def _gap(state: InterventionState, key: str) -> Gap | None:
    return next((gap for gap in gaps(state, ROW_KEYS) if gap.key == key), None)


def _shown(state: InterventionState) -> list[str]:
    return [gap.key for gap in open_gaps(state, ROW_KEYS)[0]]


def _assign(log: Log, role: str, holder: Holder) -> None:
    log.run(commands.assign_role, role=role, holder_kind=holder.kind, holder_id=holder.id)


def _unassign(log: Log, role: str, holder: Holder) -> None:
    log.run(commands.unassign_role, role=role, holder_kind=holder.kind, holder_id=holder.id)


def _check_in(log: Log) -> None:
    log.run(
        commands.add_check_in,
        check_in_id=f"c{len(log.state.check_ins) + 1}",
        on=date(2024, 3, 8),
        happened="Hui at the marae.",
    )


def _kind_of(key: str) -> GapKind:
    return GapKind(key.split(":", 1)[0])


# --- properties over random histories ---------------------------------------------------


@HYPOTHESIS
@given(gap_histories)
def test_gaps_are_deterministic_and_leave_the_state_as_it_was(records: list[Recorded]) -> None:
    state = fold(None, records, intervention_id=INTERVENTION_ID)
    before = encode_state(state)
    first = gaps(state, ROW_KEYS)
    assert gaps(state, ROW_KEYS) == first
    assert open_gaps(state, ROW_KEYS) == open_gaps(state, ROW_KEYS)
    assert encode_state(state) == before
    # The same log folded again gives the same gaps.
    assert gaps(fold(None, records, intervention_id=INTERVENTION_ID), ROW_KEYS) == first


@HYPOTHESIS
@given(gap_histories)
def test_every_gap_has_its_own_key_and_they_come_in_kind_order(records: list[Recorded]) -> None:
    state = fold(None, records, intervention_id=INTERVENTION_ID)
    found = gaps(state, ROW_KEYS)
    keys = [gap.key for gap in found]
    assert len(keys) == len(set(keys))
    order = list(GapKind)
    assert [order.index(g.kind) for g in found] == sorted(order.index(g.kind) for g in found)
    for gap in found:
        assert _kind_of(gap.key) is gap.kind
        if gap.about is not None:
            assert gap.key == f"{gap.kind.value}:{gap.about.key}"
            assert state.holder_exists(gap.about), "a gap is about someone there now"


@HYPOTHESIS
@given(gap_histories)
def test_open_gaps_partitions_the_gaps_by_what_was_set_aside(records: list[Recorded]) -> None:
    state = fold(None, records, intervention_id=INTERVENTION_ID)
    everything = gaps(state, ROW_KEYS)
    shown, aside = open_gaps(state, ROW_KEYS)
    assert sorted(g.key for g in shown + aside) == sorted(g.key for g in everything)
    assert shown == [g for g in everything if g in shown]  # in the panel's order
    for gap in aside:
        assert state.set_aside[gap.key].cause == gap.cause
    for gap in shown:
        kept = state.set_aside.get(gap.key)
        assert kept is None or kept.cause != gap.cause


@HYPOTHESIS
@given(gap_histories)
def test_a_gap_just_set_aside_is_not_shown(records: list[Recorded]) -> None:
    for n, record in enumerate(records):
        if isinstance(record.event, GapSetAside):
            state = fold(None, records[: n + 1], intervention_id=INTERVENTION_ID)
            assert record.event.gap_key not in _shown(state)
            assert record.event.gap_key in [g.key for g in open_gaps(state, ROW_KEYS)[1]]


@HYPOTHESIS
@given(gap_histories, st.data())
def test_a_gap_set_aside_comes_back_once_its_cause_changes(
    records: list[Recorded], data: st.DataObject
) -> None:
    log = Log.of(records)
    found = gaps(log.state, ROW_KEYS)
    if not found:
        return
    gap = data.draw(st.sampled_from(found), label="gap")
    log.run(commands.set_aside_gap, gap_key=gap.key, cause=gap.cause, note="Leaving it.")
    assert gap.key not in _shown(log.state)
    # Whatever the team does next, the gap is shown exactly when its cause changed.
    for _ in range(data.draw(st.integers(1, 4), label="steps")):
        data.draw(st.sampled_from(_CHANGERS), label="change")(log)
        now = _gap(log.state, gap.key)
        if now is not None:
            assert (gap.key in _shown(log.state)) == (now.cause != gap.cause)


def _add_person_to_ask(log: Log) -> None:
    log.run(
        commands.add_person,
        person_id=f"p-new-{log.state.seq}",
        alias="Tama",
        consent=Consent.TO_ASK,
    )


def _new_member_ally(log: Log) -> None:
    member_id = f"m-new-{log.state.seq}"
    log.run(commands.add_member, member_id=member_id, name=f"Hemi {log.state.seq}")
    _assign(log, ALLY, _member(member_id))


def _answer_rows(log: Log) -> None:
    me = log.state.started_by  # whoever started it is on the team for good
    for person in log.state.active_people():
        log.reflect(person.person_id, {ROW_KEYS[0]: (Position.IN_THE_WAY, "")}, member_id=me)


def _other_limit(log: Log) -> None:
    log.run(commands.set_role_limit, limit=1 if log.state.role_limit != 1 else 2)


_CHANGERS: tuple[Callable[[Log], None], ...] = (
    _add_person_to_ask,
    _new_member_ally,
    _answer_rows,
    _other_limit,
    _check_in,
)


# What resolves each kind of gap, done through commands as a team would.
def _resolve(log: Log, gap: Gap) -> None:
    state = log.state
    about = gap.about
    match gap.kind:
        case GapKind.NO_ALLY:
            log.run(commands.add_person, person_id="p-agreed", alias="Kahu", consent="agreed")
            _assign(log, ALLY, _person("p-agreed"))
        case GapKind.ALLY_WITHOUT_SUPPORT:
            assert about is not None
            log.run(
                commands.add_support,
                support_id="s-resolve",
                ally_kind=about.kind,
                ally_id=about.id,
                supporter_kind="outside",
                supporter_name="Whaea Rita",
            )
        case GapKind.ALLY_NOT_AGREED:
            assert about is not None
            asker = state.people[about.id].asker
            log.run(commands.change_consent, person_id=about.id, consent="agreed", asker=asker)
        case GapKind.ROLES_MIXED:
            assert about is not None
            _unassign(log, Role.SUPPORT_HARMED.value, about)
        case GapKind.TOO_MANY_ROLES:
            assert about is not None
            for role in state.roles_of(about)[state.role_limit :]:
                _unassign(log, role, about)
        case GapKind.UNKNOWN_ROWS:
            assert about is not None
            log.reflect(
                about.id,
                {row: (Position.MIXED, "") for row in gap.rows},
                member_id=state.started_by,
            )
        case GapKind.DIFFERENCES:
            assert about is not None
            for row in gap.rows:
                log.run(
                    commands.talk_through,
                    person_id=about.id,
                    row_key=row,
                    member_id=state.started_by,
                )
        case GapKind.NOBODY_IN_TOUCH:
            _assign(log, Role.COORDINATOR.value, _member(state.started_by))
        case GapKind.MOVED_AWAY:
            _check_in(log)


@HYPOTHESIS
@given(gap_histories)
def test_each_gap_is_gone_once_it_is_resolved(records: list[Recorded]) -> None:
    for gap in gaps(fold(None, records, intervention_id=INTERVENTION_ID), ROW_KEYS):
        log = Log.of(records)  # each gap resolved on its own, from the same history
        _resolve(log, gap)
        assert gap.key not in _keys(log.state), gap


def test_the_random_histories_reach_and_resolve_every_kind_of_gap() -> None:
    """So that the properties above hold for every kind of gap, set aside or not."""
    kinds: set[GapKind] = set()
    aside: set[GapKind] = set()

    @settings(
        max_examples=150, database=None, deadline=None, derandomize=True, phases=[Phase.generate]
    )
    @given(gap_histories)
    def collect(records: list[Recorded]) -> None:
        state = fold(None, records, intervention_id=INTERVENTION_ID)
        for gap in gaps(state, ROW_KEYS):
            if gap.kind not in kinds:  # the first of each kind is resolved here too
                log = Log.of(records)
                _resolve(log, gap)
                assert gap.key not in _keys(log.state), gap
                kinds.add(gap.kind)
        aside.update(g.kind for g in open_gaps(state, ROW_KEYS)[1])

    collect()
    assert set(GapKind) - kinds == set()
    assert len(aside) >= 3, aside


# --- each kind of gap, and what sets it off -----------------------------------------------


def test_a_new_intervention_has_no_ally_and_nobody_in_touch() -> None:
    state = Log().state
    assert gaps(state, ROW_KEYS) == [
        Gap(GapKind.NO_ALLY, None, ""),
        Gap(GapKind.NOBODY_IN_TOUCH, None, "0"),  # no role change for it yet
    ]
    assert _shown(state) == ["no_ally", "nobody_in_touch"]


def test_no_ally_until_an_ally_has_agreed() -> None:
    log = Log()
    log.run(commands.add_person, person_id="p1", alias="Mere", consent="asked")
    _assign(log, ALLY, _person("p1"))
    assert _gap(log.state, "no_ally") == Gap(GapKind.NO_ALLY, None, "person:p1")
    log.run(commands.change_consent, person_id="p1", consent="agreed", asker="")
    assert "no_ally" not in _keys(log.state)


def test_a_team_member_as_ally_has_agreed_by_being_on_the_team() -> None:
    log = Log()
    _assign(log, ALLY, _member(ME))
    keys = _keys(log.state)
    assert "no_ally" not in keys
    assert f"ally_not_agreed:member:{ME}" not in keys
    assert f"ally_without_support:member:{ME}" in keys


def test_an_ally_without_support_until_someone_supports_them() -> None:
    log = Log()
    log.run(commands.add_person, person_id="p1", alias="Mere", consent="agreed")
    log.run(commands.add_member, member_id="m-ben", name="Ben")
    _assign(log, ALLY, _person("p1"))
    gap = _gap(log.state, "ally_without_support:person:p1")
    assert (gap.kind, gap.about) == (GapKind.ALLY_WITHOUT_SUPPORT, _person("p1"))
    assert gap.cause == str(log.state.seq)  # since they became an ally
    log.run(
        commands.add_support,
        support_id="s1",
        ally_kind="person",
        ally_id="p1",
        supporter_kind="member",
        supporter_id="m-ben",
    )
    assert "ally_without_support:person:p1" not in _keys(log.state)
    log.run(commands.remove_support, support_id="s1")
    again = _gap(log.state, "ally_without_support:person:p1")
    assert again.cause == str(log.state.seq) != gap.cause  # a new cause: shown even if set aside


def test_support_for_someone_who_is_not_an_ally_makes_no_gap() -> None:
    log = Log()
    log.run(commands.add_person, person_id="p1", alias="Mere")
    log.run(
        commands.add_support,
        support_id="s1",
        ally_kind="person",
        ally_id="p1",
        supporter_kind="outside",
        supporter_name="Her sister",
    )
    assert [g.kind for g in gaps(log.state, ROW_KEYS)] == [GapKind.NO_ALLY, GapKind.NOBODY_IN_TOUCH]


@pytest.mark.parametrize(
    "consent", [c for c in Consent if c is not Consent.AGREED], ids=lambda c: c.value
)
def test_an_ally_whose_consent_is_not_agreed(consent: Consent) -> None:
    log = Log()
    log.run(commands.add_person, person_id="p1", alias="Mere", consent=consent)
    _assign(log, ALLY, _person("p1"))
    gap = _gap(log.state, "ally_not_agreed:person:p1")
    assert (gap.kind, gap.about) == (GapKind.ALLY_NOT_AGREED, _person("p1"))
    assert gap.cause == f"{consent.value}@0"  # consent as added, never changed since


def test_roles_mixed_when_one_person_supports_the_person_harmed_and_is_an_ally() -> None:
    log = Log()
    log.run(commands.add_person, person_id="p1", alias="Mere", consent="agreed")
    _assign(log, Role.SUPPORT_HARMED.value, _person("p1"))
    assert "roles_mixed:person:p1" not in _keys(log.state)
    _assign(log, ALLY, _person("p1"))
    mixed = _gap(log.state, "roles_mixed:person:p1")
    assert (mixed.kind, mixed.about, mixed.cause) == (
        GapKind.ROLES_MIXED,
        _person("p1"),
        str(log.state.seq),
    )
    _unassign(log, ALLY, _person("p1"))
    assert "roles_mixed:person:p1" not in _keys(log.state)


def test_too_many_roles_above_the_teams_limit_only() -> None:
    log = Log()
    me = _member(ME)
    for role in (Role.FACILITATOR, Role.LOGISTICS, Role.NOTE_KEEPER):
        _assign(log, role.value, me)
    assert log.state.role_limit == 3
    assert f"too_many_roles:member:{ME}" not in _keys(log.state)  # at the limit: fine
    _assign(log, Role.SAFETY_WATCH.value, me)
    assert _gap(log.state, f"too_many_roles:member:{ME}") == Gap(
        GapKind.TOO_MANY_ROLES, me, f"4/3@{log.state.seq}"
    )
    log.run(commands.set_role_limit, limit=4)
    assert f"too_many_roles:member:{ME}" not in _keys(log.state)
    log.run(commands.name_role, role_id="r-kai", name="Brings kai")
    _assign(log, "r-kai", me)  # a role the team named counts too
    assert _gap(log.state, f"too_many_roles:member:{ME}") == Gap(
        GapKind.TOO_MANY_ROLES, me, f"5/4@{log.state.seq}"
    )


def test_rows_nobody_knows_for_candidates_and_allies_only() -> None:
    log = Log()
    log.run(commands.add_person, person_id="p1", alias="Mere")  # only an idea
    log.run(commands.add_person, person_id="p2", alias="Ben", consent="to_ask")
    log.run(commands.add_person, person_id="p3", alias="Ana", consent="declined")
    _assign(log, ALLY, _person("p3"))  # an ally counts whatever their consent
    keys = _keys(log.state)
    assert "unknown_rows:person:p1" not in keys
    unknown = _gap(log.state, "unknown_rows:person:p2")
    assert unknown is not None
    assert unknown.rows == ROW_KEYS
    assert unknown.cause == ",".join(ROW_KEYS)
    assert "unknown_rows:person:p3" in keys

    log.reflect(
        "p2", {"respected": (Position.UNKNOWN, "Not sure"), "communicates": (Position.ALLY, "")}
    )
    unknown = _gap(log.state, "unknown_rows:person:p2")
    assert unknown is not None
    assert unknown.rows == tuple(k for k in ROW_KEYS if k != "communicates")
    assert rows_nobody_knows(log.state, "p2", ROW_KEYS) == unknown.rows
    log.reflect("p2", {k: (Position.LEANS_IN_THE_WAY, "") for k in ROW_KEYS}, member_id=ME)
    assert "unknown_rows:person:p2" not in _keys(log.state)


def test_a_person_taken_off_the_map_has_no_gaps() -> None:
    log = Log()
    log.run(commands.add_person, person_id="p1", alias="Mere", consent="asked")
    _assign(log, ALLY, _person("p1"))
    _assign(log, Role.SUPPORT_HARMED.value, _person("p1"))
    assert any(g.about == _person("p1") for g in gaps(log.state, ROW_KEYS))
    log.run(commands.remove_person, person_id="p1")
    assert [g.about for g in gaps(log.state, ROW_KEYS)] == [None, None]


def _two_views(log: Log, mine: Position, bens: Position) -> None:
    log.reflect("p1", {"respected": (mine, "")})
    log.reflect("p1", {"respected": (bens, "")}, member_id="m-ben")


def _with_ben_and_mere() -> Log:
    log = Log()
    log.run(commands.add_member, member_id="m-ben", name="Ben")
    log.run(commands.add_person, person_id="p1", alias="Mere")
    return log


def test_differences_two_steps_apart_until_talked_through() -> None:
    log = _with_ben_and_mere()
    assert DISAGREEMENT_STEPS == 2
    _two_views(log, Position.ALLY, Position.LEANS_ALLY)
    assert "differences:person:p1" not in _keys(log.state)
    log.reflect("p1", {"respected": (Position.MIXED, "")}, member_id="m-ben")
    latest = log.state.seq
    assert _gap(log.state, "differences:person:p1") == Gap(
        GapKind.DIFFERENCES, _person("p1"), f"respected@{latest}", ("respected",)
    )
    assert rows_to_talk_about(log.state, "p1", ROW_KEYS) == [("respected", latest)]
    log.run(commands.talk_through, person_id="p1", row_key="respected", member_id=ME)
    assert "differences:person:p1" not in _keys(log.state)
    # A later answer on the row makes it a difference to talk about again.
    log.reflect("p1", {"respected": (Position.IN_THE_WAY, "")}, member_id="m-ben")
    again = _gap(log.state, "differences:person:p1")
    assert again is not None
    assert again.cause == f"respected@{log.state.seq}"


def test_dont_know_yet_is_no_difference() -> None:
    log = _with_ben_and_mere()
    _two_views(log, Position.ALLY, Position.UNKNOWN)
    assert "differences:person:p1" not in _keys(log.state)


def test_nobody_in_touch_until_a_facilitator_or_coordinator() -> None:
    for role in (Role.FACILITATOR, Role.COORDINATOR):
        log = Log()
        _assign(log, Role.NOTE_KEEPER.value, _member(ME))
        assert "nobody_in_touch" in _keys(log.state)
        _assign(log, role.value, _member(ME))
        assert "nobody_in_touch" not in _keys(log.state)
        _unassign(log, role.value, _member(ME))
        assert "nobody_in_touch" in _keys(log.state)


def _moving() -> Log:
    log = _with_ben_and_mere()
    log.reflect("p1", {"respected": (Position.LEANS_ALLY, ""), "gives_space": (Position.MIXED, "")})
    return log


def test_nothing_moved_away_before_the_first_check_in() -> None:
    log = _moving()
    log.reflect("p1", {"respected": (Position.IN_THE_WAY, "")})
    log.run(commands.change_consent, person_id="p1", consent="stepped_back", asker="")
    assert log.state.check_ins == []
    assert "moved_away:person:p1" not in _keys(log.state)


def test_moved_away_when_a_position_moves_towards_might_get_in_the_way_after_a_check_in() -> None:
    log = _moving()
    _check_in(log)
    assert "moved_away:person:p1" not in _keys(log.state)  # moves before it don't count
    (moved,) = log.reflect("p1", {"respected": (Position.MIXED, "")})
    assert _gap(log.state, "moved_away:person:p1") == Gap(
        GapKind.MOVED_AWAY, _person("p1"), str(moved.seq), ("respected",)
    )
    _check_in(log)  # talked about at the next check-in: nothing moved since
    assert "moved_away:person:p1" not in _keys(log.state)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (Position.MIXED, Position.LEANS_ALLY),  # towards the ally column
        (Position.UNKNOWN, Position.IN_THE_WAY),  # a first answer is no move
        (Position.MIXED, Position.UNKNOWN),  # nor is "don't know yet"
    ],
)
def test_no_move_away_for_moves_that_are_not_towards_the_other_column(
    before: Position, after: Position
) -> None:
    log = _with_ben_and_mere()
    if before is not Position.UNKNOWN:
        log.reflect("p1", {"respected": (before, "")})
    _check_in(log)
    log.reflect("p1", {"respected": (after, "")})
    assert "moved_away:person:p1" not in _keys(log.state)


def test_moved_away_when_consent_steps_back_after_a_check_in() -> None:
    log = _moving()
    log.run(commands.change_consent, person_id="p1", consent="agreed", asker="")
    _check_in(log)
    log.run(commands.change_consent, person_id="p1", consent="declined", asker="")
    assert "moved_away:person:p1" not in _keys(log.state)  # declining is not stepping back
    (stepped,) = log.run(commands.change_consent, person_id="p1", consent="stepped_back", asker="")
    assert _gap(log.state, "moved_away:person:p1") == Gap(
        GapKind.MOVED_AWAY, _person("p1"), str(stepped.seq), ()
    )


# --- set aside, and back ---------------------------------------------------------------------


def test_a_gap_set_aside_returns_when_its_cause_changes() -> None:
    log = Log()
    log.run(commands.set_aside_gap, gap_key="no_ally", cause="", note="Asking at the hui.")
    assert _shown(log.state) == ["nobody_in_touch"]
    assert [g.key for g in open_gaps(log.state, ROW_KEYS)[1]] == ["no_ally"]
    assert log.state.set_aside["no_ally"].note == "Asking at the hui."
    log.run(commands.add_person, person_id="p1", alias="Mere", consent="asked")
    _assign(log, ALLY, _person("p1"))  # still no agreed ally, but the cause changed
    assert "no_ally" in _shown(log.state)


def test_a_set_aside_moved_away_returns_on_another_move() -> None:
    log = _moving()
    _check_in(log)
    log.reflect("p1", {"respected": (Position.MIXED, "")})
    gap = _gap(log.state, "moved_away:person:p1")
    assert gap is not None
    log.run(commands.set_aside_gap, gap_key=gap.key, cause=gap.cause)
    assert gap.key not in _shown(log.state)
    log.reflect("p1", {"gives_space": (Position.IN_THE_WAY, "")})
    assert gap.key in _shown(log.state)


def test_a_gap_reopened_is_shown_again() -> None:
    log = Log()
    assert commands.reopen_gap(log.state, gap_key="nobody_in_touch") is None
    log.run(commands.set_aside_gap, gap_key="nobody_in_touch", cause="0")
    assert "nobody_in_touch" not in _shown(log.state)
    log.run(commands.reopen_gap, gap_key="nobody_in_touch")
    assert "nobody_in_touch" in _shown(log.state)
    assert log.state.set_aside == {}


def test_a_gap_set_aside_returns_when_it_was_resolved_and_came_back() -> None:
    log = Log()
    log.run(commands.set_aside_gap, gap_key="nobody_in_touch", cause="0")
    assert "nobody_in_touch" not in _shown(log.state)
    _assign(log, Role.FACILITATOR.value, _member(ME))
    _unassign(log, Role.FACILITATOR.value, _member(ME))  # things changed, and changed back
    assert "nobody_in_touch" in _shown(log.state)
