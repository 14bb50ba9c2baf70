"""The pictures' readings, through the services: the ring map's people (rings, leans
from the answers counted by side, badges, roles, numbers and initials) and a person's
row strip with its check-ins."""

from __future__ import annotations

from datetime import date

import pytest

from allymap.chart import Position
from allymap.domain import UnknownPerson
from allymap.pictures import Badge, Lean
from allymap.services import follow, people, pictures, positions, roles, team
from allymap.services.errors import NotFound
from allymap.services.keyring import Keyring
from allymap.services.pictures import initials_of
from tests.services.conftest import SERVICE_NAMES, Started


def _ids(keyring: Keyring, started: Started) -> dict[str, object]:
    return {"keyring": keyring, "intervention_id": started.intervention_id}


def _map(keyring: Keyring, intervention_id: str) -> pictures.MapReading:
    """The map's reading as the pages get it, beside its picture (here, none)."""
    reading, _drawn = pictures.map_drawn(
        keyring=keyring, intervention_id=intervention_id, key="test", draw=lambda _r: None
    )
    return reading


def _strip(keyring: Keyring, intervention_id: str, person_id: str) -> pictures.PersonStrip:
    """A person's row strip as the pages get it (the picture drawn is the reading)."""
    return pictures.strip_drawn(
        keyring=keyring, intervention_id=intervention_id, person_id=person_id, draw=lambda r: r
    )


def test_the_map_has_everyone_with_their_ring_lean_badge_and_roles(
    owner: Keyring, intervention: Started
) -> None:
    ids = _ids(owner, intervention)
    close = people.person_add(
        **ids,  # type: ignore[arg-type]
        details=people.Details(alias="Aunty Mere", closeness="close", consent="agreed"),
    )
    further = people.person_add(
        **ids,  # type: ignore[arg-type]
        details=people.Details(alias="Coach Hemi", closeness="further", consent="declined"),
    )
    positions.positions_record(
        **ids,  # type: ignore[arg-type]
        person_id=close,
        positions={
            "respected": (Position.ALLY, ""),
            "communicates": (Position.LEANS_ALLY, ""),
            "sees_the_person": (Position.ALLY, ""),
            "sees_the_harm": (Position.ALLY, ""),
            "gives_space": (Position.ALLY, ""),
            "own_support": (Position.MIXED, ""),
        },
    )
    positions.positions_record(
        **ids,  # type: ignore[arg-type]
        person_id=further,
        positions={"respected": (Position.IN_THE_WAY, ""), "gives_space": (Position.MIXED, "")},
    )
    roles.role_assign(**ids, role="accountability_ally", holder=f"person:{close}")  # type: ignore[arg-type]

    reading = _map(owner, intervention.intervention_id)

    assert reading.doing_harm_alias == SERVICE_NAMES.doing_harm_alias
    by_alias = {p.alias: p for p in reading.people}
    assert [p.alias for p in reading.people] == [
        SERVICE_NAMES.person_alias,
        "Aunty Mere",
        "Coach Hemi",
    ]
    assert [p.number for p in reading.people] == [1, 2, 3]
    mere, hemi, first = (
        by_alias["Aunty Mere"],
        by_alias["Coach Hemi"],
        by_alias[SERVICE_NAMES.person_alias],
    )
    assert (mere.ring, mere.badge, mere.lean) == (0, Badge.AGREED, Lean.ALLY)
    # Each of the ten rows is an answer once a member has answered any: 4 left unknown.
    assert (mere.ally, mere.between, mere.in_the_way, mere.unknown) == (5, 1, 0, 4)
    assert mere.rows == 10
    assert [r.role for r in mere.roles] == ["accountability_ally"]
    # Nobody knows yet on eight of ten rows: mostly not known, whichever way the two lean.
    assert (hemi.ring, hemi.badge, hemi.lean) == (2, Badge.NOT_NOW, Lean.MOSTLY_UNKNOWN)
    assert (hemi.ally, hemi.between, hemi.in_the_way, hemi.unknown) == (0, 1, 1, 8)
    assert hemi.rows_not_known == 8
    assert mere.rows_not_known == 4
    assert (first.ring, first.badge, first.lean, first.answers) == (3, Badge.NONE, Lean.NOT_YET, 0)
    assert mere.initials == "AM"


def test_initials_are_made_unique_with_the_number() -> None:
    assert initials_of("Aunty Mere") == "AM"
    assert initials_of("koro te rangi wiremu") == "KTR"
    assert initials_of("(Nan)") == "?"  # no word starts with a letter


def test_two_people_with_the_same_initials_get_their_numbers(
    owner: Keyring, intervention: Started
) -> None:
    ids = _ids(owner, intervention)
    people.person_add(**ids, details=people.Details(alias="Aroha Mason"))  # type: ignore[arg-type]
    people.person_add(**ids, details=people.Details(alias="Ana Moana"))  # type: ignore[arg-type]
    reading = _map(owner, intervention.intervention_id)
    assert [p.initials for p in reading.people][1:] == ["AM 2", "AM 3"]


def test_the_strip_shows_each_members_answers_now_and_at_each_check_in(
    owner: Keyring, intervention: Started
) -> None:
    ids = _ids(owner, intervention)
    ana = team.member_add(**ids, name="Ana")  # type: ignore[arg-type]
    person = intervention.person_id
    positions.positions_record(
        **ids,
        person_id=person,
        positions={"respected": (Position.MIXED, "")},  # type: ignore[arg-type]
    )
    follow.check_in_add(**ids, on=date(2025, 3, 7), happened="first")  # type: ignore[arg-type]
    positions.positions_record(
        **ids,  # type: ignore[arg-type]
        person_id=person,
        positions={"respected": (Position.ALLY, ""), "sees_the_harm": (Position.IN_THE_WAY, "")},
        member_id=ana,
    )
    follow.check_in_add(**ids, on=date(2025, 3, 14), happened="second")  # type: ignore[arg-type]
    positions.positions_record(
        **ids,
        person_id=person,
        positions={"respected": (Position.LEANS_ALLY, "")},  # type: ignore[arg-type]
    )

    strip = _strip(owner, intervention.intervention_id, person)

    assert [m.is_you for m in strip.members] == [True, False]
    assert strip.members[1].name == "Ana"
    rows = {row.number: row for row in strip.rows}
    assert rows[1].steps == (1, 0)  # leans ally (you), ally (Ana)
    assert rows[3].steps == (5, 4)  # don't know yet (you), might get in the way (Ana)
    assert [m.on for m in strip.moments] == [date(2025, 3, 7), date(2025, 3, 14)]
    first, second = strip.moments
    assert first.rows[0].steps == (2, None)  # Ana had not reflected yet
    assert second.rows[0].steps == (2, 0)
    assert [r.number for r in second.rows if r.changed] == [1, 3]
    assert not any(r.changed for r in first.rows)
    assert strip.earlier == 0


def test_the_strip_keeps_the_latest_check_ins(owner: Keyring, intervention: Started) -> None:
    ids = _ids(owner, intervention)
    for day in range(1, pictures.MOMENTS_SHOWN + 3):
        follow.check_in_add(**ids, on=date(2025, 4, day), happened=str(day))  # type: ignore[arg-type]
    strip = _strip(owner, intervention.intervention_id, intervention.person_id)
    assert strip.earlier == 2
    assert strip.moments[0].on == date(2025, 4, 3)
    assert strip.members == ()


def test_an_outsider_gets_neither(outsider: Keyring, intervention: Started) -> None:
    with pytest.raises(NotFound):
        _map(outsider, intervention.intervention_id)
    with pytest.raises(NotFound):
        _strip(outsider, intervention.intervention_id, intervention.person_id)


def test_a_person_not_on_the_map_has_no_strip(owner: Keyring, intervention: Started) -> None:
    with pytest.raises(UnknownPerson):
        _strip(owner, intervention.intervention_id, "nobody")
