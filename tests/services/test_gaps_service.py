"""The gaps panel through the services: each gap shaped for display (whom it is about,
the rows it concerns as chart rows, its cause), set aside with a note while its cause
holds, back by itself when the cause changes, and shown again when asked."""

from __future__ import annotations

import pytest

from allymap.chart import Position
from allymap.domain import InvalidInput, Refusal
from allymap.services import gaps, interventions, positions, roles
from allymap.services.errors import NotFound
from allymap.services.keyring import Keyring
from allymap.store.models import Event
from tests.people import fresh
from tests.services.conftest import SERVICE_NAMES, Started


def _ids(owner: Keyring, started: Started) -> dict[str, object]:
    return {"keyring": owner, "intervention_id": started.intervention_id}


def _read(owner: Keyring, started: Started) -> gaps.GapsReading:
    return gaps.gaps_reading(keyring=fresh(owner), intervention_id=started.intervention_id)


def _kinds(lines: tuple[gaps.GapLine, ...]) -> list[str]:
    return [line.kind for line in lines]


def test_a_new_intervention_has_no_ally_and_nobody_in_touch(
    owner: Keyring, intervention: Started
) -> None:
    reading = _read(owner, intervention)
    assert _kinds(reading.shown) == ["no_ally", "nobody_in_touch"]
    assert [line.key for line in reading.shown] == ["no_ally", "nobody_in_touch"]
    assert all(line.about is None and line.rows == () for line in reading.shown)
    assert reading.set_aside == ()
    # The overview carries the same panel.
    overview = interventions.intervention_overview(**_ids(owner, intervention))
    assert overview.gaps == reading


def test_it_names_whom_a_gap_is_about_and_its_rows(owner: Keyring, intervention: Started) -> None:
    ids = _ids(owner, intervention)
    ally = f"person:{intervention.person_id}"
    roles.role_assign(**ids, role="accountability_ally", holder=ally)
    positions.positions_record(
        **ids, person_id=intervention.person_id, positions={"respected": (Position.ALLY, "")}
    )
    reading = _read(owner, intervention)
    by_kind = {line.kind: line for line in reading.shown}
    assert list(by_kind) == [
        "no_ally",
        "ally_without_support",
        "ally_not_agreed",
        "unknown_rows",
        "nobody_in_touch",
    ]
    support = by_kind["ally_without_support"]
    assert support.key == f"ally_without_support:{ally}"
    assert support.about is not None
    assert (support.about.kind, support.about.name) == ("person", SERVICE_NAMES.person_alias)
    assert by_kind["ally_not_agreed"].cause == "idea"
    unknown = by_kind["unknown_rows"]
    assert [row.number for row in unknown.rows] == list(range(2, 11))
    assert all(row.topic for row in unknown.rows)


def test_a_gap_set_aside_stays_aside_while_its_cause_holds(
    owner: Keyring, intervention: Started
) -> None:
    ids = _ids(owner, intervention)
    gaps.gap_set_aside(**ids, gap_key="no_ally", note=" We know; leaving it for now. ")
    reading = _read(owner, intervention)
    assert _kinds(reading.shown) == ["nobody_in_touch"]
    (aside,) = reading.set_aside
    assert (aside.key, aside.note) == ("no_ally", "We know; leaving it for now.")
    assert aside.set_aside_at is not None
    # Something unrelated changes: it stays aside.
    roles.role_assign(**ids, role="coordinator", holder=f"member:{owner.account_id}")
    reading = _read(owner, intervention)
    assert _kinds(reading.shown) == [] and _kinds(reading.set_aside) == ["no_ally"]
    # Someone is made an ally (not agreed yet): what it stood on has changed.
    roles.role_assign(**ids, role="accountability_ally", holder=f"person:{intervention.person_id}")
    reading = _read(owner, intervention)
    assert "no_ally" in _kinds(reading.shown)
    assert reading.set_aside == ()
    assert next(line for line in reading.shown if line.kind == "no_ally").note == ""


def test_a_gap_shown_again_comes_back(owner: Keyring, intervention: Started) -> None:
    ids = _ids(owner, intervention)
    gaps.gap_set_aside(**ids, gap_key="nobody_in_touch")
    assert _kinds(_read(owner, intervention).shown) == ["no_ally"]
    gaps.gap_reopen(**ids, gap_key="nobody_in_touch")
    before = Event.objects.filter(intervention_id=intervention.intervention_id).count()
    gaps.gap_reopen(**ids, gap_key="nobody_in_touch")
    assert Event.objects.filter(intervention_id=intervention.intervention_id).count() == before
    assert _kinds(_read(owner, intervention).shown) == ["no_ally", "nobody_in_touch"]


def test_it_refuses_to_set_aside_a_gap_that_is_not_there(
    owner: Keyring, intervention: Started
) -> None:
    with pytest.raises(InvalidInput) as refused:
        gaps.gap_set_aside(**_ids(owner, intervention), gap_key="too_many_roles:member:x")
    assert (refused.value.field, refused.value.code) == ("gap", Refusal.NOT_A_CHOICE)


def test_an_outsider_reads_and_sets_aside_nothing(outsider: Keyring, intervention: Started) -> None:
    ids = {"keyring": outsider, "intervention_id": intervention.intervention_id}
    with pytest.raises(NotFound):
        gaps.gaps_reading(**ids)
    with pytest.raises(NotFound):
        gaps.gap_set_aside(**ids, gap_key="no_ally")
