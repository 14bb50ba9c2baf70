"""Positions: where a team member places a person on each row of the chart, and why.

`positions_record` writes through the log engine; `reflect_reading` shapes the
reflection form once, here: the chart in use, whose view it is, and that member's
current answers with the event each came from, so a form left open records only what its
reader changed and never puts back what someone else saved since (see
`allymap.domain.record_positions`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from allymap.chart import Chart, Position, chart_by_id
from allymap.domain import (
    Event,
    InterventionState,
    Recorded,
    RowConflict,
    active_member,
    fold,
    record_positions,
)
from allymap.services import engine
from allymap.services.heading import Heading, heading_of
from allymap.services.keyring import Keyring
from allymap.services.team import MemberLine, member_for, member_line, members_of

__all__ = [
    "Conflict",
    "RecordOutcome",
    "ReflectReading",
    "ShownAnswer",
    "positions_record",
    "reflect_reading",
]


@dataclass(frozen=True)
class ShownAnswer:
    """A member's answer on a row as the form shows it, and the event it came from
    (0 when there is no answer yet)."""

    position: Position
    evidence: str
    seq: int


@dataclass(frozen=True)
class ReflectReading:
    """The reflection form for one person: the chart, whose view, and their answers.

    `member` is whose view the form records; `members` are the team, to choose from;
    `answers` maps every row key of the chart to the member's `ShownAnswer`.
    """

    heading: Heading
    person_id: str
    alias: str
    chart: Chart
    member: MemberLine
    members: tuple[MemberLine, ...]
    answers: Mapping[str, ShownAnswer]


@dataclass(frozen=True)
class Conflict:
    """A row changed by someone else after the form showed it: both answers, to settle.

    `seq` is the event of the answer as it stands now: the form shows it, so saving
    "yours" again after seeing it is a plain change.
    """

    row_key: str
    yours: tuple[Position, str]
    now: tuple[Position, str]
    seq: int


@dataclass(frozen=True)
class RecordOutcome:
    """What saving a reflection did: the rows left to settle, and the member's answers
    as they now stand (row key → event seq), for the form to show next.

    `recorded` are the rows that became events (what was saved, and only that);
    `answers` are the member's answers now, for the rows they have answered.
    """

    member_id: str
    conflicts: tuple[Conflict, ...]
    seqs: Mapping[str, int]
    recorded: tuple[str, ...] = ()
    answers: Mapping[str, ShownAnswer] = field(default_factory=dict)


def positions_record(
    *,
    keyring: Keyring,
    intervention_id: str,
    person_id: str,
    positions: Mapping[str, tuple[Position | str, str]],
    shown: Mapping[str, int] | None = None,
    member_id: str | None = None,
) -> RecordOutcome:
    """Record one team member's positions (with evidence) for a person, row by row.

    `member_id` is whose view it is; None for the account's own. `shown` maps each row
    key to the event seq of the answer the form showed (0 for none). Only rows the form
    changed become events; a row someone else changed meanwhile is returned as a
    `Conflict` and not recorded. A caller that showed nothing (a script, the demo) passes
    None: the answers are then taken as made against the answers as they stand, so every
    row that differs is recorded. Raises UnknownPerson or InvalidInput.
    """
    outcome: list[RowConflict] = []
    chosen: list[str] = []
    recorded: list[str] = []

    def decide(state: InterventionState) -> list[Event]:
        outcome.clear()
        chosen.clear()
        recorded.clear()
        joining: list[Event] = []
        if member_id is None:
            whose, joining = member_for(state, keyring.account_id)
            if joining:
                # An account's first view on a hosted team: it joins, then records.
                state = _after(state, joining, keyring.account_id)
        else:
            whose = member_id
        chosen.append(whose)
        chart = chart_by_id(state.chart_id, state.chart_version)
        against = shown
        if against is None:
            person = state.people.get(person_id)
            now = person.positions.get(whose, {}) if person is not None else {}
            against = {key: entry.seq for key, entry in now.items()}
        made = record_positions(
            state,
            person_id=person_id,
            member_id=whose,
            positions=positions,
            shown=against,
            row_keys=chart.keys,
        )
        outcome.extend(made.conflicts)
        recorded.extend(event.row_key for event in made.events)
        return [*joining, *made.events] if made.events else []

    state = engine.run(keyring, intervention_id, decide)
    whose = chosen[0]
    mine = state.people[person_id].positions.get(whose, {})
    return RecordOutcome(
        member_id=whose,
        conflicts=tuple(
            Conflict(
                row_key=c.row_key,
                yours=c.yours,
                now=(c.now.position, c.now.evidence),
                seq=c.now.seq,
            )
            for c in outcome
        ),
        seqs={key: entry.seq for key, entry in mine.items()},
        recorded=tuple(recorded),
        answers={
            key: ShownAnswer(entry.position, entry.evidence, entry.seq)
            for key, entry in mine.items()
        },
    )


def reflect_reading(
    *, keyring: Keyring, intervention_id: str, person_id: str, member_id: str | None = None
) -> ReflectReading:
    """The reflection form's data for `member_id`'s view (None: the account's own, or the
    first member when the account has none). Raises NotFound, UnknownPerson, DamagedRecord
    or InvalidInput (`member_id` not on the team)."""
    state = engine.open_log(keyring, intervention_id).state
    person = state.person(person_id)
    members = members_of(state, keyring.account_id)
    if member_id is None:
        own = state.member_of(keyring.account_id)
        member_id = own.member_id if own and not own.removed else members[0].member_id
    member = member_line(active_member(state, member_id), keyring.account_id)
    chart = chart_by_id(state.chart_id, state.chart_version)
    mine = person.positions.get(member.member_id, {})
    return ReflectReading(
        heading=heading_of(state),
        person_id=person.person_id,
        alias=person.alias,
        chart=chart,
        member=member,
        members=members,
        answers={
            key: ShownAnswer(mine[key].position, mine[key].evidence, mine[key].seq)
            if key in mine
            else ShownAnswer(Position.UNKNOWN, "", 0)
            for key in chart.keys
        },
    )


def _after(state: InterventionState, events: Sequence[Event], author: str) -> InterventionState:
    """The state as it will be once `events` are appended (to decide what follows them)."""
    now = datetime.now(UTC)
    return fold(
        state,
        [
            Recorded(seq=state.seq + n, author=author, at=now, event=event)
            for n, event in enumerate(events, 1)
        ],
        intervention_id=state.intervention_id,
    )
