"""The side-by-side chart: the people chosen, in the order chosen, never re-ordered."""

from __future__ import annotations

from allymap.chart import Position, default_chart
from allymap.services import people, positions, team
from allymap.services.compare import COMPARE_MAX, compare_reading
from allymap.services.keyring import Keyring
from allymap.services.people import Details
from tests.services.conftest import Started


def _add(owner: Keyring, started: Started, alias: str) -> str:
    return people.person_add(
        keyring=owner, intervention_id=started.intervention_id, details=Details(alias=alias)
    )


def test_it_keeps_the_order_chosen_whatever_was_recorded(
    owner: Keyring, intervention: Started
) -> None:
    ids = {"keyring": owner, "intervention_id": intervention.intervention_id}
    ana = _add(owner, intervention, "Ana")
    ben = _add(owner, intervention, "Ben")
    # Ben looks every bit an ally, Ana does not: the order stays the team's.
    positions.positions_record(
        **ids,
        person_id=ben,
        positions={row.key: (Position.ALLY, "") for row in default_chart().rows},
    )
    positions.positions_record(
        **ids, person_id=ana, positions={"respected": (Position.IN_THE_WAY, "")}
    )
    for order in ([ana, ben, intervention.person_id], [intervention.person_id, ben, ana]):
        reading = compare_reading(**ids, person_ids=order)
        assert [p.person_id for p in reading.people] == order
        assert [cell.person_id for cell in reading.rows[0].cells] == order
    reading = compare_reading(**ids, person_ids=[ana, ben])
    assert [p.alias for p in reading.people] == ["Ana", "Ben"]
    assert [row.row.topic for row in reading.rows] == [row.topic for row in default_chart().rows]
    # Everyone on the map to choose from, in map order, marked when chosen.
    assert [(c.alias, c.chosen) for c in reading.choices] == [
        ("Uncle T", False),
        ("Ana", True),
        ("Ben", True),
    ]


def test_each_cell_holds_every_answering_members_answer(
    owner: Keyring, intervention: Started
) -> None:
    ids = {"keyring": owner, "intervention_id": intervention.intervention_id}
    aroha = team.member_add(**ids, name="Aroha")
    team.member_add(**ids, name="Hemi")  # never answers
    person = intervention.person_id
    positions.positions_record(
        **ids, person_id=person, positions={"respected": (Position.ALLY, "")}
    )
    positions.positions_record(
        **ids, person_id=person, positions={"respected": (Position.MIXED, "")}, member_id=aroha
    )
    reading = compare_reading(**ids, person_ids=[person])
    first, second = reading.rows[0].cells[0], reading.rows[1].cells[0]
    assert [(a.member.is_you, a.member.name, a.position) for a in first.answers] == [
        (True, "", Position.ALLY),
        (False, "Aroha", Position.MIXED),
    ]
    # A row each left is "don't know yet", as on the person's page; Hemi has no answers.
    assert [a.position for a in second.answers] == [Position.UNKNOWN, Position.UNKNOWN]


def test_nobody_answered_is_an_empty_cell(owner: Keyring, intervention: Started) -> None:
    reading = compare_reading(
        keyring=owner,
        intervention_id=intervention.intervention_id,
        person_ids=[intervention.person_id],
    )
    assert all(cell.answers == () for row in reading.rows for cell in row.cells)


def test_it_leaves_out_repeats_strangers_people_taken_off_and_more_than_the_most(
    owner: Keyring, intervention: Started
) -> None:
    ids = {"keyring": owner, "intervention_id": intervention.intervention_id}
    gone = _add(owner, intervention, "Gone")
    people.person_remove(**ids, person_id=gone)
    person = intervention.person_id
    reading = compare_reading(**ids, person_ids=[person, person, "no-such-person", gone])
    assert [p.person_id for p in reading.people] == [person]
    assert reading.dropped == 2
    assert gone not in [c.person_id for c in reading.choices]

    many = [_add(owner, intervention, f"Person {n}") for n in range(COMPARE_MAX + 1)]
    reading = compare_reading(**ids, person_ids=many)
    assert [p.person_id for p in reading.people] == many[:COMPARE_MAX]
    assert reading.dropped == 1
    assert compare_reading(**ids, person_ids=[]).people == ()
