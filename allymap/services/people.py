"""People on the map: add, change and remove them, and read what the team recorded.

Writes go through the log engine (`allymap.services.engine`); `person_reading` shapes a
person's page once, here, and `person_details` what the pages that change or remove them
show, so no view or template shapes data.
"""

from __future__ import annotations

from dataclasses import dataclass

from allymap.chart import Assessment, Position, Row, Side, chart_by_id, reflect
from allymap.domain import Event, InterventionState, add_person, change_person, remove_person
from allymap.services import engine
from allymap.services.interventions import Heading, heading_of
from allymap.services.keyring import Keyring


@dataclass(frozen=True)
class Answer:
    """One team member's answer on one row, as shown under its column."""

    by_you: bool
    evidence: str


@dataclass(frozen=True)
class RowUnderColumn:
    """A row of the chart under one column of a person's page.

    `words` are the chart's own words for that side of the row (the ally column's or the
    other column's), empty for "mixed", which sits between the two.
    """

    row: Row
    words: str
    answers: tuple[Answer, ...]
    disagreement: bool


@dataclass(frozen=True)
class Column:
    """One known position, how many answers chose it, and the rows where someone did."""

    position: Position
    count: int
    rows: tuple[RowUnderColumn, ...]


@dataclass(frozen=True)
class UnknownRow:
    """A row nobody has a known answer for yet: a question to find out, with what team
    members who answered "don't know yet" wrote about it (their evidence, if any)."""

    row: Row
    notes: tuple[Answer, ...]


@dataclass(frozen=True)
class Tally:
    """How many answers sit in one of the six columns (answers, not people: no score)."""

    position: Position
    count: int


@dataclass(frozen=True)
class PersonReading:
    """Everything a person's page shows: what the team recorded, in the chart's terms.

    `tally` counts answers (one per team member per row) in each of the six positions,
    never a score; `columns` are the five known positions, from the ally column to the
    other, each with the rows where someone chose it. `unknown_rows` are rows nobody
    has a known answer for yet, with what was written about them;
    `may_help_in_other_ways` is true when any answer sits on the might-get-in-the-way
    side, so the page can say that nobody is only one column.
    """

    heading: Heading
    person_id: str
    alias: str
    relationship: str
    tally: tuple[Tally, ...]
    columns: tuple[Column, ...]
    unknown_rows: tuple[UnknownRow, ...]
    disagreement_count: int
    may_help_in_other_ways: bool


@dataclass(frozen=True)
class PersonDetails:
    """A person's alias and relationship as they stand now, for the pages that change them
    or take them off the map."""

    heading: Heading
    person_id: str
    alias: str
    relationship: str


def person_add(
    *,
    keyring: Keyring,
    intervention_id: str,
    alias: str,
    relationship: str = "",
    proposed_id: str | None = None,
) -> str:
    """Add a person to the map; return their new id.

    Raises InvalidInput. `proposed_id` is the form's token (`engine.new_id`): the same
    form posted twice adds the person once, and both posts get their id.
    """
    person_id = engine.new_id(proposed_id, scope=f"person:{keyring.account_id}:{intervention_id}")

    def decide(state: InterventionState) -> list[Event]:
        if person_id in state.people:
            return []  # posted twice: the first post added them
        return [add_person(state, person_id=person_id, alias=alias, relationship=relationship)]

    engine.run(keyring, intervention_id, decide)
    return person_id


def person_change(
    *, keyring: Keyring, intervention_id: str, person_id: str, alias: str, relationship: str
) -> None:
    """Change a person's alias and relationship (nothing is stored when nothing changed).

    Raises InvalidInput or UnknownPerson.
    """

    def decide(state: InterventionState) -> list[Event]:
        changed = change_person(state, person_id=person_id, alias=alias, relationship=relationship)
        return [] if changed is None else [changed]

    engine.run(keyring, intervention_id, decide)


def person_remove(*, keyring: Keyring, intervention_id: str, person_id: str) -> None:
    """Take a person off the map; their history stays in the log. Raises UnknownPerson."""
    engine.run(keyring, intervention_id, lambda state: [remove_person(state, person_id=person_id)])


def person_details(*, keyring: Keyring, intervention_id: str, person_id: str) -> PersonDetails:
    """A person on the map now. Raises NotFound, UnknownPerson (a removed person too) or
    DamagedRecord."""
    state = engine.open_log(keyring, intervention_id).state
    person = state.person(person_id)
    return PersonDetails(
        heading=heading_of(state),
        person_id=person.person_id,
        alias=person.alias,
        relationship=person.relationship,
    )


def person_reading(*, keyring: Keyring, intervention_id: str, person_id: str) -> PersonReading:
    """A person's page. Raises NotFound, UnknownPerson or DamagedRecord."""
    state = engine.open_log(keyring, intervention_id).state
    person = state.person(person_id)
    chart = chart_by_id(state.chart_id, state.chart_version)
    reflection = reflect(
        chart,
        [
            Assessment(
                assessor=assessor, row_key=row_key, position=entry.position, evidence=entry.evidence
            )
            for assessor, rows in person.positions.items()
            for row_key, entry in rows.items()
        ],
    )
    columns = tuple(
        Column(
            position=position,
            count=reflection.counts[position],
            rows=tuple(
                RowUnderColumn(
                    row=row.row,
                    words=_words(row.row, position.side),
                    answers=tuple(
                        Answer(by_you=a.assessor == keyring.account_id, evidence=a.evidence)
                        for a in row.assessments
                        if a.position is position
                    ),
                    disagreement=row.disagreement,
                )
                for row in rows
            ),
        )
        for position, rows in reflection.by_column().items()
        if position.known
    )
    return PersonReading(
        heading=heading_of(state),
        person_id=person.person_id,
        alias=person.alias,
        relationship=person.relationship,
        tally=tuple(Tally(position, count) for position, count in reflection.counts.items()),
        columns=columns,
        unknown_rows=tuple(
            UnknownRow(
                row=row.row,
                notes=tuple(
                    Answer(by_you=a.assessor == keyring.account_id, evidence=a.evidence)
                    for a in row.assessments
                    if a.evidence
                ),
            )
            for row in reflection.unknown_rows
        ),
        disagreement_count=len(reflection.disagreements),
        may_help_in_other_ways=any(
            column.count for column in columns if column.position.side is Side.IN_THE_WAY
        ),
    )


def _words(row: Row, side: Side) -> str:
    """The chart's words for one side of a row; none between the two columns."""
    if side is Side.ALLY:
        return row.ally
    if side is Side.IN_THE_WAY:
        return row.in_the_way
    return ""
