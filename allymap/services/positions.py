"""Positions: where a team member places a person on each row of the chart, and why.

`positions_record` writes through the log engine; `reflect_reading` shapes the
reflection form once, here: the chart in use and this team member's current answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from allymap.chart import Chart, Position, chart_by_id
from allymap.domain import Event, InterventionState, record_positions
from allymap.services import engine
from allymap.services.interventions import Heading, heading_of
from allymap.services.keyring import Keyring


@dataclass(frozen=True)
class ReflectReading:
    """The reflection form for one person: the chart and this team member's answers.

    `answers` maps a row key to ``(position, evidence)`` for every row answered so far.
    """

    heading: Heading
    person_id: str
    alias: str
    chart: Chart
    answers: Mapping[str, tuple[Position, str]]


def positions_record(
    *,
    keyring: Keyring,
    intervention_id: str,
    person_id: str,
    positions: Mapping[str, tuple[Position, str]],
) -> None:
    """Record this account's positions (with evidence) for a person, row by row.

    Only rows that changed become events. Raises UnknownPerson or InvalidInput.
    """

    def decide(state: InterventionState) -> list[Event]:
        chart = chart_by_id(state.chart_id, state.chart_version)
        return list(
            record_positions(
                state,
                person_id=person_id,
                assessor=keyring.account_id,
                positions=positions,
                row_keys=chart.keys,
            )
        )

    engine.run(keyring, intervention_id, decide)


def reflect_reading(*, keyring: Keyring, intervention_id: str, person_id: str) -> ReflectReading:
    """The reflection form's data. Raises NotFound, UnknownPerson or DamagedRecord."""
    state = engine.open_log(keyring, intervention_id).state
    person = state.person(person_id)
    mine = person.positions.get(keyring.account_id, {})
    return ReflectReading(
        heading=heading_of(state),
        person_id=person.person_id,
        alias=person.alias,
        chart=chart_by_id(state.chart_id, state.chart_version),
        answers={key: (entry.position, entry.evidence) for key, entry in mine.items()},
    )
