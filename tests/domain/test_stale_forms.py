"""A reflection form left open: what `record_positions` does with rows that someone else
(another tab, another device, the facilitator) saved after the form was shown."""

from __future__ import annotations

import pytest

from allymap.chart.positions import Position
from allymap.domain import commands
from allymap.domain.commands import PositionsOutcome, RowConflict, record_positions
from allymap.domain.errors import InvalidInput
from allymap.domain.events import PositionRecorded

from .helpers import ASSESSORS, ROW_KEYS, Log

ME = ASSESSORS[0]
ROW_1, ROW_2, ROW_3 = ROW_KEYS[:3]


def _mere() -> Log:
    log = Log()
    log.run(commands.add_member, member_id="m-ben", name="Ben")
    log.run(commands.add_person, person_id="p1", alias="Mere")
    return log


def _post(
    log: Log,
    positions: dict[str, tuple[Position, str]],
    shown: dict[str, int],
    member_id: str = ME,
) -> PositionsOutcome:
    return record_positions(
        log.state,
        person_id="p1",
        member_id=member_id,
        positions=positions,
        shown=shown,
        row_keys=ROW_KEYS,
    )


def _now(log: Log, row_key: str, member_id: str = ME) -> tuple[Position, str]:
    entry = log.state.person("p1").positions[member_id][row_key]
    return (entry.position, entry.evidence)


def _opened_then_saved_elsewhere() -> tuple[Log, dict[str, int]]:
    """A form opened when ROW_1 was ally, "Listens."; another tab then saved mixed."""
    log = _mere()
    log.reflect("p1", {ROW_1: (Position.ALLY, "Listens.")})
    shown = log.shown("p1", ME)
    log.reflect("p1", {ROW_1: (Position.MIXED, "Not always.")})
    return log, shown


def test_it_records_nothing_for_a_row_the_form_left_as_it_showed_it() -> None:
    log, shown = _opened_then_saved_elsewhere()
    outcome = _post(log, {ROW_1: (Position.ALLY, " Listens.\r\n")}, shown)
    assert outcome == PositionsOutcome(events=[], conflicts=[])
    assert _now(log, ROW_1) == (Position.MIXED, "Not always.")


def test_it_records_nothing_for_a_row_the_form_sets_to_what_it_already_is() -> None:
    log, shown = _opened_then_saved_elsewhere()
    assert _post(log, {ROW_1: (Position.MIXED, "Not always.")}, shown) == PositionsOutcome(
        events=[], conflicts=[]
    )


def test_it_records_a_row_changed_while_the_entry_is_still_the_one_shown() -> None:
    log = _mere()
    log.reflect("p1", {ROW_1: (Position.ALLY, "Listens.")})
    shown = log.shown("p1", ME)
    log.reflect("p1", {ROW_2: (Position.MIXED, "")})  # another row changed meanwhile
    outcome = _post(log, {ROW_1: (Position.LEANS_ALLY, "Mostly.")}, shown)
    assert outcome == PositionsOutcome(
        events=[
            PositionRecorded(
                person_id="p1",
                member_id=ME,
                row_key=ROW_1,
                position=Position.LEANS_ALLY,
                evidence="Mostly.",
            )
        ],
        conflicts=[],
    )


def test_it_holds_back_a_row_someone_changed_after_the_form_showed_it() -> None:
    log, shown = _opened_then_saved_elsewhere()
    now = log.state.person("p1").positions[ME][ROW_1]
    outcome = _post(log, {ROW_1: (Position.IN_THE_WAY, " Shouts. ")}, shown)
    assert outcome.events == []
    assert outcome.conflicts == [
        RowConflict(row_key=ROW_1, yours=(Position.IN_THE_WAY, "Shouts."), now=now)
    ]
    assert now.seq == log.state.seq


@pytest.mark.parametrize("shown_as", ["no answer", "an answer of don't know"])
def test_a_form_showing_row_2_as_dont_know_posted_after_another_tab_saved_row_2_does_not_put_row_2_back(  # noqa: E501
    shown_as: str,
) -> None:
    log = _mere()
    if shown_as == "an answer of don't know":
        log.reflect("p1", {ROW_2: (Position.UNKNOWN, "Ask Ana.")})
    # Tab A opens the form: row 2 shows "don't know yet".
    shown = log.shown("p1", ME)
    row_2_shown = (Position.UNKNOWN, "Ask Ana." if shown else "")
    # Tab B saves row 2.
    log.reflect("p1", {ROW_2: (Position.ALLY, "Her koro listens to her.")})
    # Tab A is posted with row 1 answered and row 2 as it showed it.
    outcome = _post(log, {ROW_1: (Position.MIXED, ""), ROW_2: row_2_shown}, shown)
    assert [e.row_key for e in outcome.events] == [ROW_1]
    assert outcome.conflicts == []
    for event in outcome.events:
        log.append(event)
    assert _now(log, ROW_2) == (Position.ALLY, "Her koro listens to her.")
    assert _now(log, ROW_1) == (Position.MIXED, "")


def test_it_treats_a_row_left_out_of_shown_as_shown_with_no_answer() -> None:
    log = _mere()
    log.reflect("p1", {ROW_1: (Position.ALLY, "")})  # saved after an empty form was opened
    assert _post(log, {ROW_1: (Position.UNKNOWN, "")}, shown={}).events == []
    conflict = _post(log, {ROW_1: (Position.MIXED, "")}, shown={}).conflicts
    assert [c.row_key for c in conflict] == [ROW_1]


def test_it_records_a_first_answer_from_a_form_that_showed_none() -> None:
    log = _mere()
    outcome = _post(log, {ROW_1: (Position.ALLY, "")}, shown={ROW_1: 0})
    assert [(e.row_key, e.position) for e in outcome.events] == [(ROW_1, Position.ALLY)]


def test_it_judges_each_row_on_its_own_in_chart_order() -> None:
    log = _mere()
    log.reflect("p1", {ROW_1: (Position.ALLY, ""), ROW_2: (Position.ALLY, "")})
    shown = log.shown("p1", ME)
    log.reflect("p1", {ROW_2: (Position.IN_THE_WAY, "")})  # another tab, row 2 only
    outcome = _post(
        log,
        {
            ROW_3: (Position.MIXED, ""),  # new: recorded
            ROW_2: (Position.LEANS_ALLY, ""),  # changed since shown: held back
            ROW_1: (Position.LEANS_ALLY, ""),  # still as shown: recorded
        },
        shown,
    )
    assert [e.row_key for e in outcome.events] == [ROW_1, ROW_3]
    assert [(c.row_key, c.yours, c.now.position) for c in outcome.conflicts] == [
        (ROW_2, (Position.LEANS_ALLY, ""), Position.IN_THE_WAY)
    ]


def test_it_judges_staleness_by_the_members_own_entry_only() -> None:
    log = _mere()
    log.reflect("p1", {ROW_1: (Position.ALLY, "")})
    shown = log.shown("p1", ME)
    log.reflect("p1", {ROW_1: (Position.IN_THE_WAY, "")}, member_id="m-ben")  # Ben's view
    outcome = _post(log, {ROW_1: (Position.MIXED, "")}, shown)
    assert [(e.row_key, e.member_id) for e in outcome.events] == [(ROW_1, ME)]
    assert outcome.conflicts == []


def test_it_holds_back_a_row_when_the_form_says_it_showed_an_entry_that_is_not_the_members() -> (
    None
):
    log = _mere()
    (bens,) = log.reflect("p1", {ROW_1: (Position.IN_THE_WAY, "")}, member_id="m-ben")
    log.reflect("p1", {ROW_1: (Position.ALLY, "")})
    outcome = _post(log, {ROW_1: (Position.MIXED, "")}, shown={ROW_1: bens.seq})
    assert outcome.events == []
    assert [c.row_key for c in outcome.conflicts] == [ROW_1]


def test_it_checks_every_row_even_when_some_are_held_back() -> None:
    log, shown = _opened_then_saved_elsewhere()
    with pytest.raises(InvalidInput) as caught:
        _post(log, {ROW_1: (Position.IN_THE_WAY, ""), ROW_3: (Position.ALLY, "bad\x00")}, shown)
    assert caught.value.field == f"evidence-{ROW_3}"
