"""Following through, through the services: check-ins added once and read newest first by
their day, the staircase standing where its latest day's note says, and the timeline's
lines ordered by day, then by when they were recorded, and grouped by day."""

from __future__ import annotations

from datetime import date

import pytest

from allymap.domain import InvalidInput, Refusal, Step, UnknownPerson
from allymap.services import follow, people
from allymap.services.errors import NotFound
from allymap.services.keyring import Keyring
from allymap.store.models import Event
from tests.people import fresh
from tests.services.conftest import SERVICE_NAMES, Started


def _events(intervention_id: str) -> int:
    return Event.objects.filter(intervention_id=intervention_id).count()


def test_a_check_in_is_added_once_for_one_token(owner: Keyring, intervention: Started) -> None:
    ids = {"keyring": owner, "intervention_id": intervention.intervention_id}
    before = _events(intervention.intervention_id)
    first = follow.check_in_add(
        **ids, on=date(2025, 3, 7), happened="met", proposed_id="a-token-from-the-form"
    )
    again = follow.check_in_add(
        **ids, on=date(2025, 3, 7), happened="met", proposed_id="a-token-from-the-form"
    )
    assert first == again
    assert _events(intervention.intervention_id) == before + 1


def test_check_ins_are_read_newest_first_by_day_with_the_people_on_the_map(
    owner: Keyring, intervention: Started
) -> None:
    ids = {"keyring": owner, "intervention_id": intervention.intervention_id}
    second = people.person_add(**ids, details=people.Details(alias="Hemi"))
    follow.check_in_add(**ids, on=date(2025, 3, 14), wins="later day, written first")
    follow.check_in_add(
        **ids, on=date(2025, 3, 7), happened="earlier day", revisit=[second, intervention.person_id]
    )
    follow.check_in_add(**ids, on=date(2025, 3, 14), worries="later day, written second")
    reading = follow.check_ins_reading(
        keyring=fresh(owner), intervention_id=intervention.intervention_id
    )
    assert reading.heading.code_name == SERVICE_NAMES.code_name
    assert [c.wins or c.worries or c.happened for c in reading.check_ins] == [
        "later day, written second",
        "later day, written first",
        "earlier day",
    ]
    assert [(p.alias, p.on_map) for p in reading.check_ins[2].revisit] == [
        ("Hemi", True),
        (SERVICE_NAMES.person_alias, True),
    ]
    assert [p.alias for p in reading.people] == [SERVICE_NAMES.person_alias, "Hemi"]
    people.person_remove(**ids, person_id=second)
    reading = follow.check_ins_reading(**ids)
    assert (reading.check_ins[2].revisit[0].alias, reading.check_ins[2].revisit[0].on_map) == (
        "Hemi",
        False,
    )
    assert [p.alias for p in reading.people] == [SERVICE_NAMES.person_alias]


def test_a_check_in_needs_something_in_it_and_people_on_the_map(
    owner: Keyring, intervention: Started
) -> None:
    ids = {"keyring": owner, "intervention_id": intervention.intervention_id}
    before = _events(intervention.intervention_id)
    with pytest.raises(InvalidInput) as refused:
        follow.check_in_add(**ids, on=date(2025, 3, 7), happened="  ")
    assert (refused.value.field, refused.value.code) == ("happened", Refusal.REQUIRED)
    with pytest.raises(UnknownPerson):
        follow.check_in_add(**ids, on=date(2025, 3, 7), revisit=["nobody-of-that-id"])
    assert _events(intervention.intervention_id) == before


def test_the_staircase_stands_where_the_latest_day_says(
    owner: Keyring, intervention: Started
) -> None:
    ids = {"keyring": owner, "intervention_id": intervention.intervention_id}
    page = follow.staircase_reading(**ids)
    assert page.staircase.current is None and page.staircase.notes == ()
    assert page.staircase.steps == tuple(step.value for step in Step)
    follow.staircase_note(**ids, step=Step.MAKE_REPAIR, on=date(2025, 5, 1), text="repair")
    follow.staircase_note(**ids, step=Step.STOP_VIOLENCE, on=date(2025, 4, 1), text="stopped")
    page = follow.staircase_reading(**ids)
    assert page.staircase.current == Step.MAKE_REPAIR.value
    assert [n.text for n in page.staircase.notes] == ["repair", "stopped"]


def test_the_timeline_goes_by_day_then_by_when_it_was_recorded(
    owner: Keyring, intervention: Started
) -> None:
    ids = {"keyring": owner, "intervention_id": intervention.intervention_id}
    follow.staircase_note(**ids, step=Step.STOP_VIOLENCE, on=date(2025, 3, 14), text="a")
    follow.check_in_add(**ids, on=date(2025, 3, 14), happened="same day, written later")
    follow.check_in_add(**ids, on=date(2025, 3, 7), happened="written up last, earliest day")
    reading = follow.timeline_reading(**ids)
    assert [(line.kind, line.day) for line in reading.lines] == [
        ("check_in", date(2025, 3, 14)),
        ("staircase", date(2025, 3, 14)),
        ("check_in", date(2025, 3, 7)),
    ]
    assert [(d.day, [line.kind for line in d.lines]) for d in reading.days] == [
        (date(2025, 3, 14), ["check_in", "staircase"]),
        (date(2025, 3, 7), ["check_in"]),
    ]
    assert reading.staircase.current == Step.STOP_VIOLENCE.value


@pytest.mark.parametrize(
    "read", [follow.check_ins_reading, follow.staircase_reading, follow.timeline_reading]
)
def test_an_outsider_reads_nothing(outsider: Keyring, intervention: Started, read: object) -> None:
    assert callable(read)
    with pytest.raises(NotFound):
        read(keyring=outsider, intervention_id=intervention.intervention_id)
    with pytest.raises(NotFound):
        follow.check_in_add(
            keyring=outsider,
            intervention_id=intervention.intervention_id,
            on=date(2025, 3, 7),
            happened="planted",
        )


def test_the_timeline_is_read_a_page_at_a_time(owner: Keyring, intervention: Started) -> None:
    ids = {"keyring": owner, "intervention_id": intervention.intervention_id}
    for day in range(1, 6):
        follow.check_in_add(**ids, on=date(2025, 3, day), happened=f"day {day}")
    follow.staircase_note(**ids, step=Step.STOP_VIOLENCE, on=date(2025, 3, 3), text="a")

    def days(reading: follow.TimelineReading) -> list[tuple[str, int]]:
        return [(line.kind, line.day.day) for line in reading.lines]

    first = follow.timeline_reading(**ids, size=2)
    assert days(first) == [("check_in", 5), ("check_in", 4)]
    assert (first.paging.total, first.paging.count, first.paging.older) == (6, 3, 2)
    second = follow.timeline_reading(**ids, size=2, page=2)
    assert days(second) == [("staircase", 3), ("check_in", 3)]
    assert [d.day.day for d in second.days] == [3]
    third = follow.timeline_reading(**ids, size=2, page=3)
    assert days(third) == [("check_in", 2), ("check_in", 1)]
    assert third.paging.older is None
    # Paging counts only the kind shown; the staircase stands where it does on every page.
    alone = follow.timeline_reading(**ids, kinds=["check_in"], size=2, page=2)
    assert days(alone) == [("check_in", 3), ("check_in", 2)]
    assert alone.paging.total == 5 and alone.staircase.current == Step.STOP_VIOLENCE.value
    with pytest.raises(NotFound):
        follow.timeline_reading(**ids, size=2, page=4)
