"""The side-by-side chart: chosen people as columns, the ten rows as rows.

The columns keep the order the team chose; nothing here sorts, ranks or scores people.
Each cell holds every team member's answer on that row for that person.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from allymap.chart import Position, Row, chart_by_id
from allymap.services import engine
from allymap.services.heading import Heading, heading_of
from allymap.services.keyring import Keyring
from allymap.services.team import MemberLine, member_line

__all__ = ["COMPARE_MAX", "Cell", "CellAnswer", "Choice", "CompareReading", "CompareRow"]

COMPARE_MAX = 12
"""The most people shown side by side at once."""


@dataclass(frozen=True)
class Choice:
    """A person who can be chosen for the chart, and whether they are."""

    person_id: str
    alias: str
    chosen: bool


@dataclass(frozen=True)
class CellAnswer:
    """One team member's answer in a cell."""

    member: MemberLine
    position: Position


@dataclass(frozen=True)
class Cell:
    """One person's answers on one row, one per team member who has answered any row for
    them, in team order (a row they left is "don't know yet"); empty when nobody has
    answered anything for this person yet."""

    person_id: str
    answers: tuple[CellAnswer, ...]


@dataclass(frozen=True)
class CompareRow:
    """A row of the chart, with one cell per chosen person, in the chosen order."""

    row: Row
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class CompareReading:
    """The side-by-side chart: `people` in the order chosen, `rows` in chart order, and
    `choices`, everyone on the map in map order, to choose from. `dropped` counts ids
    asked for that are not on the map (left out, never an error)."""

    heading: Heading
    people: tuple[Choice, ...]
    rows: tuple[CompareRow, ...]
    choices: tuple[Choice, ...]
    dropped: int


def compare_reading(
    *, keyring: Keyring, intervention_id: str, person_ids: Sequence[str]
) -> CompareReading:
    """The chart for the people chosen, in the order given (repeats and people not on
    the map left out; at most `COMPARE_MAX`). Raises NotFound or DamagedRecord."""
    state = engine.open_log(keyring, intervention_id).state
    active = {p.person_id: p for p in state.active_people()}
    chosen = [pid for pid in dict.fromkeys(person_ids) if pid in active][:COMPARE_MAX]
    chart = chart_by_id(state.chart_id, state.chart_version)
    team_order = list(state.members)
    account = keyring.account_id
    people = tuple(Choice(pid, active[pid].alias, True) for pid in chosen)
    rows = tuple(
        CompareRow(
            row=row,
            cells=tuple(
                Cell(
                    person_id=pid,
                    # Whoever answered any row for this person has an answer on every
                    # row: one they left is "don't know yet", as on the person's page.
                    answers=tuple(
                        CellAnswer(
                            member=member_line(state.members[member_id], account),
                            position=(
                                by_row[row.key].position if row.key in by_row else Position.UNKNOWN
                            ),
                        )
                        for member_id in team_order
                        if (by_row := active[pid].positions.get(member_id))
                    ),
                )
                for pid in chosen
            ),
        )
        for row in chart.rows
    )
    return CompareReading(
        heading=heading_of(state),
        people=people,
        rows=rows,
        choices=tuple(Choice(pid, p.alias, pid in chosen) for pid, p in active.items()),
        dropped=len(set(person_ids) - set(chosen)),
    )
