"""The fold: pure, deterministic, strict about the log, and snapshot-compatible."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allymap.chart.positions import Position
from allymap.domain import commands
from allymap.domain.errors import FoldError
from allymap.domain.events import (
    NoteAdded,
    PersonAdded,
    PersonChanged,
    PersonRemoved,
    PositionRecorded,
    Recorded,
)
from allymap.domain.fold import fold
from allymap.domain.state import InterventionState, decode_state, encode_state

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


def test_it_builds_the_state_from_the_events() -> None:
    log = Log(started(code_name="Kererū", doing_harm_alias="R."))
    log.run(commands.add_person, person_id="p1", alias="Mere", relationship="aunt")
    log.run(commands.add_person, person_id="p2", alias="Ben")
    log.run(commands.change_person, person_id="p1", alias="Mere K.", relationship="aunt")
    log.run(
        commands.record_positions,
        author=ASSESSORS[1],
        person_id="p1",
        assessor=ASSESSORS[1],
        positions={
            "respected": (Position.ALLY, "He listens to her."),
            "gives_space": (Position.MIXED, ""),
        },
        row_keys=ROW_KEYS,
    )
    log.run(
        commands.record_positions,
        author=ASSESSORS[1],
        person_id="p1",
        assessor=ASSESSORS[1],
        positions={"respected": (Position.LEANS_ALLY, "He listens, mostly.")},
        row_keys=ROW_KEYS,
    )
    log.run(commands.add_note, author=ASSESSORS[2], note_id="n1", text="Hui on Sunday.")
    log.run(commands.remove_person, person_id="p2")
    state = log.state

    assert (state.intervention_id, state.code_name, state.doing_harm_alias) == (
        INTERVENTION_ID,
        "Kererū",
        "R.",
    )
    assert (state.started_by, state.started_at, state.seq) == (ASSESSORS[0], START, 9)
    mere = state.person("p1")
    assert (mere.alias, mere.relationship, mere.added_by) == ("Mere K.", "aunt", ASSESSORS[0])
    latest = mere.positions[ASSESSORS[1]]
    assert list(latest) == ["respected", "gives_space"]
    assert latest["respected"].position is Position.LEANS_ALLY
    assert latest["respected"].evidence == "He listens, mostly."
    assert latest["respected"].seq == 7
    assert latest["gives_space"].seq == 6
    assert state.people["p2"].removed
    assert [(n.note_id, n.person_id, n.author) for n in state.notes] == [("n1", "", ASSESSORS[2])]


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
    with pytest.raises(FoldError, match="starts with person_added/1"):
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
        PersonRemoved(person_id="ghost"),
        PositionRecorded(person_id="ghost", row_key="respected", position=Position.ALLY),
        NoteAdded(note_id="n1", person_id="ghost", text="Who?"),
    ],
)
def test_it_refuses_an_event_about_an_unknown_person(event: object) -> None:
    log = Log()
    with pytest.raises(FoldError, match="'ghost', not on the map"):
        fold(log.state, [_next(log, event)], intervention_id=INTERVENTION_ID)


def test_it_refuses_an_event_about_a_removed_person() -> None:
    log = Log()
    log.run(commands.add_person, person_id="p1", alias="Mere")
    log.run(commands.remove_person, person_id="p1")
    event = PositionRecorded(person_id="p1", row_key="respected", position=Position.ALLY)
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
