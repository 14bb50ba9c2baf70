"""People on the map: change, remove, and the reading a person's page is made from."""

from __future__ import annotations

import pytest
from pytest_django.fixtures import Settings

from allymap.chart import Position, Side, default_chart
from allymap.domain import InvalidInput, Refusal, UnknownPerson
from allymap.services import interventions, people, positions
from allymap.services.keyring import Keyring
from allymap.store.models import Event
from tests.people import fresh, join_team
from tests.services.conftest import Started


def _events(intervention_id: str) -> int:
    return Event.objects.filter(intervention_id=intervention_id).count()


def test_it_changes_a_person_and_stores_nothing_when_nothing_changed(
    owner: Keyring, intervention: Started
) -> None:
    ids = {"keyring": owner, "intervention_id": intervention.intervention_id}
    people.person_change(
        **ids, person_id=intervention.person_id, alias="Uncle Tama", relationship=""
    )
    overview = interventions.intervention_overview(**ids)
    assert [(p.alias, p.relationship) for p in overview.people] == [("Uncle Tama", "")]
    before = _events(intervention.intervention_id)
    people.person_change(
        **ids, person_id=intervention.person_id, alias=" Uncle Tama ", relationship=""
    )
    assert _events(intervention.intervention_id) == before


def test_it_refuses_a_change_it_cannot_keep(owner: Keyring, intervention: Started) -> None:
    with pytest.raises(InvalidInput) as refused:
        people.person_change(
            keyring=owner,
            intervention_id=intervention.intervention_id,
            person_id=intervention.person_id,
            alias="",
            relationship="",
        )
    assert (refused.value.field, refused.value.code) == ("alias", Refusal.REQUIRED)


def test_it_removes_a_person_from_the_map_but_keeps_the_history(
    owner: Keyring, intervention: Started
) -> None:
    ids = {"keyring": owner, "intervention_id": intervention.intervention_id}
    people.person_remove(**ids, person_id=intervention.person_id)
    assert interventions.intervention_overview(**ids).people == ()
    state = interventions.intervention_open(**ids)
    assert state.people[intervention.person_id].removed
    with pytest.raises(UnknownPerson):
        people.person_reading(**ids, person_id=intervention.person_id)
    with pytest.raises(UnknownPerson):
        people.person_remove(**ids, person_id=intervention.person_id)


def test_it_reads_a_person_in_the_charts_terms(
    owner: Keyring, outsider: Keyring, intervention: Started, settings: Settings
) -> None:
    settings.HOSTED = True
    join_team(owner, intervention.intervention_id, outsider)
    colleague = outsider
    target = {"intervention_id": intervention.intervention_id, "person_id": intervention.person_id}
    positions.positions_record(
        keyring=owner,
        **target,
        positions={
            "respected": (Position.ALLY, "He listens"),
            "communicates": (Position.MIXED, ""),
        },
    )
    positions.positions_record(
        keyring=colleague, **target, positions={"respected": (Position.IN_THE_WAY, "Excuses")}
    )
    reading = people.person_reading(keyring=fresh(owner), **target)
    chart = default_chart()
    tally = {t.position: t.count for t in reading.tally}
    assert list(tally) == list(Position)
    assert tally[Position.ALLY] == tally[Position.IN_THE_WAY] == tally[Position.MIXED] == 1
    assert [c.position for c in reading.columns] == [p for p in Position if p.known]
    ally = next(c for c in reading.columns if c.position is Position.ALLY)
    (row,) = ally.rows
    assert row.row.key == "respected"
    assert row.words == chart.row("respected").ally
    assert row.disagreement
    assert [(a.by_you, a.evidence) for a in row.answers] == [(True, "He listens")]
    in_the_way = next(c for c in reading.columns if c.position is Position.IN_THE_WAY)
    assert in_the_way.rows[0].words == chart.row("respected").in_the_way
    assert [(a.by_you, a.evidence) for a in in_the_way.rows[0].answers] == [(False, "Excuses")]
    mixed = next(c for c in reading.columns if c.position is Position.MIXED)
    assert mixed.rows[0].words == ""
    assert reading.may_help_in_other_ways
    assert reading.disagreement_count == 1
    assert len(reading.unknown_rows) == len(chart.rows) - 2
    assert reading.heading.intervention_id == intervention.intervention_id


def test_it_says_which_side_each_position_is_on() -> None:
    assert {p: p.side for p in Position} == {
        Position.ALLY: Side.ALLY,
        Position.LEANS_ALLY: Side.ALLY,
        Position.MIXED: Side.BETWEEN,
        Position.LEANS_IN_THE_WAY: Side.IN_THE_WAY,
        Position.IN_THE_WAY: Side.IN_THE_WAY,
        Position.UNKNOWN: Side.UNKNOWN,
    }


def test_it_shows_what_was_written_with_dont_know_yet(
    owner: Keyring, intervention: Started
) -> None:
    """Evidence given with "don't know yet" is part of the question to find out."""
    target = {"intervention_id": intervention.intervention_id, "person_id": intervention.person_id}
    positions.positions_record(
        keyring=owner,
        **target,
        positions={"gives_space": (Position.UNKNOWN, "Never seen him under pressure")},
    )
    reading = people.person_reading(keyring=fresh(owner), **target)
    (row,) = [item for item in reading.unknown_rows if item.row.key == "gives_space"]
    assert [(a.by_you, a.evidence) for a in row.notes] == [(True, "Never seen him under pressure")]
