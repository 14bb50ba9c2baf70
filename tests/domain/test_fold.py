"""The fold: pure, deterministic, strict about the log, and snapshot-compatible."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from allymap.chart.positions import Position
from allymap.domain import commands
from allymap.domain.errors import FoldError
from allymap.domain.events import (
    EVENT_TYPES,
    ConsentChanged,
    DifferenceTalkedThrough,
    Event,
    MemberAdded,
    MemberChanged,
    MemberRemoved,
    NoteAdded,
    PersonAdded,
    PersonChanged,
    PersonRemoved,
    PositionRecorded,
    Recorded,
)
from allymap.domain.fold import fold
from allymap.domain.state import (
    InterventionState,
    MemberState,
    PositionChange,
    decode_state,
    encode_state,
)
from allymap.domain.values import Closeness, Consent, Reporting

from .helpers import ASSESSORS, INTERVENTION_ID, ROW_KEYS, START, Log, histories, started

HYPOTHESIS = settings(max_examples=75, deadline=None)


def _fold(state: InterventionState | None, records: list[Recorded]) -> bytes:
    return encode_state(fold(state, records, intervention_id=INTERVENTION_ID))


@HYPOTHESIS
@given(histories(), st.data())
def test_it_folds_deterministically_without_touching_its_input(
    records: list[Recorded], data: st.DataObject
) -> None:
    assert _fold(None, records) == _fold(None, records)

    k = data.draw(st.integers(1, len(records)), label="k")
    head = fold(None, records[:k], intervention_id=INTERVENTION_ID)
    before = encode_state(head)
    first = fold(head, records[k:], intervention_id=INTERVENTION_ID)
    second = fold(head, records[k:], intervention_id=INTERVENTION_ID)
    assert encode_state(head) == before
    assert encode_state(first) == encode_state(second)
    assert first is not head


@HYPOTHESIS
@given(histories(), st.data())
def test_it_gives_the_same_state_from_a_snapshot_and_the_tail(
    records: list[Recorded], data: st.DataObject
) -> None:
    k = data.draw(st.integers(1, len(records)), label="k")
    snapshot = encode_state(fold(None, records[:k], intervention_id=INTERVENTION_ID))
    resumed = fold(decode_state(snapshot), records[k:], intervention_id=INTERVENTION_ID)
    whole = fold(None, records, intervention_id=INTERVENTION_ID)
    assert encode_state(resumed) == encode_state(whole)
    assert resumed.seq == whole.seq == records[-1].seq


@HYPOTHESIS
@given(histories(), st.data())
def test_a_consumed_state_is_folded_in_place_to_the_same_result(
    records: list[Recorded], data: st.DataObject
) -> None:
    """`consume=True` (a state just decoded, held by no one else) skips the copy: the
    state given is the state returned, and it ends where a copying fold ends."""
    k = data.draw(st.integers(1, len(records)), label="k")
    snapshot = encode_state(fold(None, records[:k], intervention_id=INTERVENTION_ID))
    given_state = decode_state(snapshot)
    consumed = fold(given_state, records[k:], intervention_id=INTERVENTION_ID, consume=True)
    copied = fold(decode_state(snapshot), records[k:], intervention_id=INTERVENTION_ID)
    assert consumed is given_state
    assert encode_state(consumed) == encode_state(copied)


@HYPOTHESIS
@given(histories())
def test_it_keeps_each_latest_entry_as_the_last_change_in_the_history(
    records: list[Recorded],
) -> None:
    state = fold(None, records, intervention_id=INTERVENTION_ID)
    for person in state.people.values():
        last: dict[tuple[str, str], PositionChange] = {}
        for entry in person.history:
            if isinstance(entry, PositionChange):
                before = last.get((entry.member_id, entry.row_key))
                assert entry.before == (before.after if before else Position.UNKNOWN)
                last[(entry.member_id, entry.row_key)] = entry
        assert {
            (member_id, row_key): (e.position, e.evidence, e.seq, e.at)
            for member_id, rows in person.positions.items()
            for row_key, e in rows.items()
        } == {key: (c.after, c.evidence, c.seq, c.at) for key, c in last.items()}
        for (member_id, row_key), change in last.items():
            assert member_id in state.members
            assert person.shown_at(member_id, row_key, change.seq) == (
                change.after,
                change.evidence,
            )
        seqs = [entry.seq for entry in person.history]
        assert seqs == sorted(set(seqs))


@HYPOTHESIS
@given(histories(), st.data())
def test_a_form_posted_back_as_it_was_shown_makes_nothing(
    records: list[Recorded], data: st.DataObject
) -> None:
    state = fold(None, records, intervention_id=INTERVENTION_ID)
    people = state.active_people()
    if not people:
        return
    person = data.draw(st.sampled_from(people), label="person")
    member = data.draw(st.sampled_from(state.active_members()), label="member")
    rows = person.positions.get(member.member_id, {})
    outcome = commands.record_positions(
        state,
        person_id=person.person_id,
        member_id=member.member_id,
        positions={
            key: (rows[key].position, rows[key].evidence) if key in rows else (Position.UNKNOWN, "")
            for key in ROW_KEYS
        },
        shown={key: entry.seq for key, entry in rows.items()},
        row_keys=ROW_KEYS,
    )
    assert outcome == commands.PositionsOutcome(events=[], conflicts=[])


def test_the_random_histories_reach_every_event_type_and_old_positions() -> None:
    """So that the properties above hold for every event, the new ones included."""
    seen: set[type[Event]] = set()
    legacy_members: list[str] = []

    @settings(
        max_examples=250,
        database=None,
        deadline=None,
        derandomize=True,
        phases=[Phase.generate],
    )
    @given(histories())
    def collect(records: list[Recorded]) -> None:
        seen.update(type(r.event) for r in records)
        state = fold(None, records, intervention_id=INTERVENTION_ID)
        legacy_members.extend(
            m.member_id
            for m in state.members.values()
            if m.member_id != state.started_by and m.account_id == m.member_id
            if any(isinstance(r.event, PositionRecorded) and not r.event.member_id for r in records)
        )

    collect()
    assert [t.__name__ for t in EVENT_TYPES if t not in seen] == []
    # An old position (no member id) by an account that did not start the intervention
    # made that account a member.
    assert legacy_members


def test_it_builds_the_state_from_the_events() -> None:
    log = Log(started(code_name="Kererū", doing_harm_alias="R."))
    log.run(commands.add_member, member_id="m-ben", name="Ben", account_id=ASSESSORS[1])
    log.run(commands.add_person, person_id="p1", alias="Mere", relationship="aunt")
    log.run(commands.add_person, person_id="p2", alias="Ben")
    log.run(commands.change_person, person_id="p1", alias="Mere K.", relationship="aunt")
    log.reflect(
        "p1",
        {
            "respected": (Position.ALLY, "He listens to her."),
            "gives_space": (Position.MIXED, ""),
        },
        member_id="m-ben",
        author=ASSESSORS[1],
    )
    log.reflect(
        "p1",
        {"respected": (Position.LEANS_ALLY, "He listens, mostly.")},
        member_id="m-ben",
        author=ASSESSORS[1],
    )
    log.run(commands.add_note, author=ASSESSORS[2], note_id="n1", text="Hui on Sunday.")
    log.run(commands.remove_person, person_id="p2")
    state = log.state

    assert (state.intervention_id, state.code_name, state.doing_harm_alias) == (
        INTERVENTION_ID,
        "Kererū",
        "R.",
    )
    assert (state.started_by, state.started_at, state.seq) == (ASSESSORS[0], START, 10)
    assert list(state.members) == [ASSESSORS[0], "m-ben"]
    mere = state.person("p1")
    assert (mere.alias, mere.relationship, mere.added_by) == ("Mere K.", "aunt", ASSESSORS[0])
    latest = mere.positions["m-ben"]
    assert list(mere.positions) == ["m-ben"]
    assert list(latest) == ["respected", "gives_space"]
    assert latest["respected"].position is Position.LEANS_ALLY
    assert latest["respected"].evidence == "He listens, mostly."
    assert latest["respected"].seq == 8
    assert latest["gives_space"].seq == 7
    assert all(isinstance(c, PositionChange) for c in mere.history)
    assert [
        (c.seq, c.row_key, c.before, c.after) for c in mere.history if isinstance(c, PositionChange)
    ] == [
        (6, "respected", Position.UNKNOWN, Position.ALLY),
        (7, "gives_space", Position.UNKNOWN, Position.MIXED),
        (8, "respected", Position.ALLY, Position.LEANS_ALLY),
    ]
    assert state.people["p2"].removed
    assert [(n.note_id, n.person_id, n.author) for n in state.notes] == [("n1", "", ASSESSORS[2])]


def test_it_makes_whoever_starts_the_intervention_its_first_member() -> None:
    state = Log(started(author=ASSESSORS[2])).state
    assert state.members == {
        ASSESSORS[2]: MemberState(
            member_id=ASSESSORS[2], name="", account_id=ASSESSORS[2], added_at=START
        )
    }
    assert state.member_of(ASSESSORS[2]) is state.members[ASSESSORS[2]]


def test_it_keeps_the_team_as_it_changes() -> None:
    log = Log()
    (joined,) = log.run(commands.add_member, member_id="m-ben", name=" Ben ")
    log.run(commands.add_member, member_id="m-ana", name="Ana", account_id=ASSESSORS[2])
    log.run(commands.change_member, member_id="m-ben", name="Benjamin")
    log.run(commands.change_member, member_id=ASSESSORS[0], name="Aroha")
    log.run(commands.remove_member, member_id="m-ben")
    members = log.state.members
    assert [(m.member_id, m.name, m.account_id, m.removed) for m in members.values()] == [
        (ASSESSORS[0], "Aroha", ASSESSORS[0], False),
        ("m-ben", "Benjamin", "", True),
        ("m-ana", "Ana", ASSESSORS[2], False),
    ]
    assert members["m-ben"].added_at == joined.at
    assert [m.member_id for m in log.state.active_members()] == [ASSESSORS[0], "m-ana"]


def test_it_keeps_what_a_member_recorded_after_they_leave() -> None:
    log = Log()
    log.run(commands.add_member, member_id="m-ben", name="Ben")
    log.run(commands.add_person, person_id="p1", alias="Mere")
    log.reflect("p1", {"respected": (Position.ALLY, "")}, member_id="m-ben")
    log.run(commands.remove_member, member_id="m-ben")
    mere = log.state.person("p1")
    assert mere.positions["m-ben"]["respected"].position is Position.ALLY
    assert log.state.members["m-ben"].name == "Ben"


def test_it_renames_and_archives_the_intervention() -> None:
    log = Log()
    log.run(
        commands.change_intervention,
        code_name="Tūī",
        doing_harm_alias="R. K.",
        harmed_alias="A.",
    )
    log.run(commands.archive_intervention, archived=True)
    state = log.state
    assert (state.code_name, state.doing_harm_alias, state.harmed_alias) == ("Tūī", "R. K.", "A.")
    assert state.archived
    log.run(commands.archive_intervention, archived=False)
    assert not log.state.archived
    assert log.state.seq == 4


def test_it_keeps_a_persons_details_and_changes_only_those_given() -> None:
    log = Log()
    log.run(commands.add_member, member_id="m-ben", name="Ben")
    log.run(
        commands.add_person,
        person_id="p1",
        alias="Mere",
        relationship="aunt",
        relationship_harmed="kuia",
        closeness="close",
        offers="Kai and a bed.",
        other_ways="Drives to hui.",
        reporting="may_have_to",
        consent="to_ask",
        asker="m-ben",
    )
    log.run(commands.change_person, person_id="p1", closeness=Closeness.FURTHER, offers="")
    mere = log.state.person("p1")
    assert (
        mere.alias,
        mere.relationship,
        mere.relationship_harmed,
        mere.closeness,
        mere.offers,
        mere.other_ways,
        mere.reporting,
        mere.consent,
        mere.asker,
    ) == (
        "Mere",
        "aunt",
        "kuia",
        Closeness.FURTHER,
        "",
        "Drives to hui.",
        Reporting.MAY_HAVE_TO,
        Consent.TO_ASK,
        "m-ben",
    )
    assert mere.history == []  # details are not history; consent and positions are


def test_it_shares_nothing_mutable_with_the_state_it_was_given() -> None:
    log = Log()
    log.run(commands.add_person, person_id="p1", alias="Mere")
    log.run(commands.add_note, note_id="n1", text="Kia ora")
    before = encode_state(log.state)
    after = fold(log.state, [], intervention_id=INTERVENTION_ID)
    after.people["p1"].alias = "changed"
    after.people["p1"].positions["x"] = {}
    after.notes[0].text = "changed"
    after.notes.clear()
    after.people.clear()
    assert encode_state(log.state) == before


def test_it_refuses_a_log_that_does_not_start_with_intervention_started() -> None:
    first = Recorded(seq=1, author="a", at=START, event=PersonAdded(person_id="p1", alias="M"))
    with pytest.raises(FoldError, match="starts with person_added/2"):
        fold(None, [first], intervention_id=INTERVENTION_ID)


def test_it_refuses_an_empty_log_without_a_state() -> None:
    with pytest.raises(FoldError):
        fold(None, [], intervention_id=INTERVENTION_ID)


def test_it_refuses_a_log_that_starts_after_one() -> None:
    with pytest.raises(FoldError, match="starts at event 2"):
        fold(None, [replace(started(), seq=2)], intervention_id=INTERVENTION_ID)


def _next(log: Log, event: object, seq: int | None = None, at: datetime | None = None) -> Recorded:
    last = log.records[-1]
    return Recorded(
        seq=last.seq + 1 if seq is None else seq,
        author=ASSESSORS[0],
        at=last.at + timedelta(seconds=1) if at is None else at,
        event=event,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("seq", [3, 1, 0])
def test_it_refuses_a_gap_or_a_repeat_in_seq(seq: int) -> None:
    log = Log()
    log.run(commands.add_person, person_id="p1", alias="Mere")
    with pytest.raises(FoldError, match="gap or is out of order"):
        fold(
            log.state,
            [_next(log, PersonRemoved(person_id="p1"), seq=seq + 1)],
            intervention_id=INTERVENTION_ID,
        )


def test_it_refuses_a_gap_in_a_log_folded_from_the_start() -> None:
    log = Log()
    log.run(commands.add_person, person_id="p1", alias="Mere")
    log.run(commands.add_person, person_id="p2", alias="Ben")
    with pytest.raises(FoldError, match="event 3 follows event 1"):
        fold(None, [log.records[0], log.records[2]], intervention_id=INTERVENTION_ID)


@pytest.mark.parametrize(
    "event",
    [
        PersonChanged(person_id="ghost", alias="G", relationship=""),
        ConsentChanged(person_id="ghost", consent=Consent.ASKED, asker=""),
        PersonRemoved(person_id="ghost"),
        PositionRecorded(
            person_id="ghost", member_id=ASSESSORS[0], row_key="respected", position=Position.ALLY
        ),
        DifferenceTalkedThrough(person_id="ghost", row_key="respected", member_id=ASSESSORS[0]),
        NoteAdded(note_id="n1", person_id="ghost", text="Who?"),
    ],
    ids=lambda event: type(event).__name__,
)
def test_it_refuses_an_event_about_an_unknown_person(event: object) -> None:
    log = Log()
    with pytest.raises(FoldError, match="'ghost', not on the map"):
        fold(log.state, [_next(log, event)], intervention_id=INTERVENTION_ID)


def test_it_refuses_an_event_about_a_removed_person() -> None:
    log = Log()
    log.run(commands.add_person, person_id="p1", alias="Mere")
    log.run(commands.remove_person, person_id="p1")
    event = PositionRecorded(
        person_id="p1", member_id=ASSESSORS[0], row_key="respected", position=Position.ALLY
    )
    with pytest.raises(FoldError, match="not on the map"):
        fold(log.state, [_next(log, event)], intervention_id=INTERVENTION_ID)


def test_it_refuses_adding_a_person_id_twice() -> None:
    log = Log()
    log.run(commands.add_person, person_id="p1", alias="Mere")
    log.run(commands.remove_person, person_id="p1")
    with pytest.raises(FoldError, match="again"):
        fold(
            log.state,
            [_next(log, PersonAdded(person_id="p1", alias="M"))],
            intervention_id=INTERVENTION_ID,
        )


def test_it_refuses_a_second_start() -> None:
    log = Log()
    with pytest.raises(FoldError, match="starts the intervention again"):
        fold(log.state, [_next(log, started().event)], intervention_id=INTERVENTION_ID)


def test_it_refuses_a_state_of_another_intervention() -> None:
    with pytest.raises(FoldError, match="belongs to intervention"):
        fold(Log().state, [], intervention_id="iv-other")


def test_it_refuses_a_time_without_a_timezone() -> None:
    log = Log()
    naive = datetime(2024, 3, 2, 10, 0)
    with pytest.raises(FoldError, match="timezone"):
        fold(
            log.state,
            [_next(log, PersonAdded(person_id="p1", alias="M"), at=naive)],
            intervention_id=INTERVENTION_ID,
        )


# --- the team, in the fold ----------------------------------------------------------------


def _with_ben_gone() -> Log:
    """Mere on the map; Ben joined the team and left it."""
    log = Log()
    log.run(commands.add_person, person_id="p1", alias="Mere")
    log.run(commands.add_member, member_id="m-ben", name="Ben")
    log.reflect("p1", {"respected": (Position.MIXED, "")}, member_id="m-ben")
    log.run(commands.remove_member, member_id="m-ben")
    return log


@pytest.mark.parametrize("member_id", ["m-ben", "m-nobody"])
@pytest.mark.parametrize(
    "make",
    [
        lambda m: PositionRecorded(
            person_id="p1", member_id=m, row_key="respected", position=Position.ALLY
        ),
        lambda m: DifferenceTalkedThrough(person_id="p1", row_key="respected", member_id=m),
        lambda m: PersonAdded(person_id="p2", alias="Ana", asker=m),
        lambda m: ConsentChanged(person_id="p1", consent=Consent.TO_ASK, asker=m),
        lambda m: MemberChanged(member_id=m, name="Benjamin"),
        lambda m: MemberRemoved(member_id=m),
    ],
    ids=["position", "talked_through", "person_asker", "consent_asker", "renamed", "removed"],
)
def test_it_refuses_an_event_naming_someone_not_on_the_team(
    make: Callable[[str], Event], member_id: str
) -> None:
    log = _with_ben_gone()
    with pytest.raises(FoldError, match=f"{member_id!r}, not on the team"):
        fold(log.state, [_next(log, make(member_id))], intervention_id=INTERVENTION_ID)


@pytest.mark.parametrize("member_id", ["m-ben", ASSESSORS[0]])
def test_it_refuses_adding_a_member_id_twice(member_id: str) -> None:
    log = _with_ben_gone()  # Ben left, the starter never joined by an event: both refused
    again = MemberAdded(member_id=member_id, name="Someone new")
    with pytest.raises(FoldError, match=f"adds team member {member_id!r} again"):
        fold(log.state, [_next(log, again)], intervention_id=INTERVENTION_ID)


def test_it_accepts_an_asker_who_is_on_the_team_and_nobody_as_asker() -> None:
    log = Log()
    log.run(commands.add_member, member_id="m-ben", name="Ben")
    for asker in ["m-ben", ASSESSORS[0], ""]:
        log.append(PersonAdded(person_id=f"p-{asker}", alias="A", asker=asker))
    assert [p.asker for p in log.state.active_people()] == ["m-ben", ASSESSORS[0], ""]
