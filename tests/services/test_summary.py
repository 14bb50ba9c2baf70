"""A person's summary: the rows first, counts that agree with them, differences to talk
about (marked once), and the history newest first."""

from __future__ import annotations

import pytest

from allymap.chart import Position, Side, default_chart
from allymap.domain import InvalidInput, Refusal, UnknownPerson
from allymap.services import people, positions, summary, team
from allymap.services.errors import NotFound
from allymap.services.keyring import Keyring
from allymap.services.people import Details
from allymap.store.models import Event
from tests.services.conftest import Started

ROWS = default_chart().rows


def _ids(owner: Keyring, started: Started) -> dict[str, object]:
    return {"keyring": owner, "intervention_id": started.intervention_id}


def _record(owner: Keyring, started: Started, member_id: str, **answers: Position) -> None:
    positions.positions_record(
        keyring=owner,
        intervention_id=started.intervention_id,
        person_id=started.person_id,
        positions={
            row: (position, f"{member_id[:4]} on {row}") for row, position in answers.items()
        },
        member_id=member_id,
    )


def _summary(owner: Keyring, started: Started) -> summary.PersonSummary:
    return summary.person_summary(
        keyring=owner, intervention_id=started.intervention_id, person_id=started.person_id
    )


def _events(started: Started) -> int:
    return Event.objects.filter(intervention_id=started.intervention_id).count()


def test_nobody_has_answered_yet(owner: Keyring, intervention: Started) -> None:
    reading = _summary(owner, intervention)
    assert not reading.answered
    assert [row.row.topic for row in reading.rows] == [row.topic for row in ROWS]
    assert all(row.answers == () and row.unknown for row in reading.rows)
    assert len(reading.unknown_rows) == len(ROWS)
    assert [(t.position, t.count) for t in reading.tally] == [(p, 0) for p in Position]
    assert reading.to_talk_about == () and reading.history == ()
    assert reading.details.alias == "Uncle T"
    assert reading.asker is None


def test_every_answering_member_has_an_answer_on_every_row_and_the_counts_agree(
    owner: Keyring, intervention: Started
) -> None:
    aroha = team.member_add(**_ids(owner, intervention), name="Aroha")
    _record(owner, intervention, owner.account_id, respected=Position.ALLY)
    _record(owner, intervention, aroha, respected=Position.LEANS_IN_THE_WAY)
    reading = _summary(owner, intervention)
    assert reading.answered
    first = reading.rows[0]
    assert [(a.member.name or "you", a.position) for a in first.answers] == [
        ("you", Position.ALLY),
        ("Aroha", Position.LEANS_IN_THE_WAY),
    ]
    assert first.answers[0].member.is_you
    assert first.answers[0].words == ROWS[0].ally
    assert first.answers[1].words == ROWS[0].in_the_way
    assert first.answers[1].evidence == f"{aroha[:4]} on respected"
    # The rows each left: "don't know yet", as the reflection form shows them.
    for row in reading.rows[1:]:
        assert [a.position for a in row.answers] == [Position.UNKNOWN, Position.UNKNOWN]
        assert row.unknown and row.answers[0].at is None and row.answers[0].words == ""
    tally = {t.position: t.count for t in reading.tally}
    assert tally == {
        Position.ALLY: 1,
        Position.LEANS_ALLY: 0,
        Position.MIXED: 0,
        Position.LEANS_IN_THE_WAY: 1,
        Position.IN_THE_WAY: 0,
        Position.UNKNOWN: 18,
    }
    assert sum(tally.values()) == sum(len(row.answers) for row in reading.rows)
    assert len(reading.unknown_rows) == 9
    assert reading.may_help_in_other_ways
    assert [row.row.key for row in reading.to_talk_about] == ["respected"]


def test_close_answers_are_no_difference_and_the_ally_side_needs_no_other_ways(
    owner: Keyring, intervention: Started
) -> None:
    aroha = team.member_add(**_ids(owner, intervention), name="Aroha")
    _record(owner, intervention, owner.account_id, respected=Position.ALLY)
    _record(owner, intervention, aroha, respected=Position.LEANS_ALLY)
    reading = _summary(owner, intervention)
    assert not reading.rows[0].differs and reading.to_talk_about == ()
    assert not reading.may_help_in_other_ways
    assert all(a.position.side is not Side.IN_THE_WAY for r in reading.rows for a in r.answers)


def test_a_difference_talked_through_is_marked_once_and_opens_again_on_a_new_answer(
    owner: Keyring, intervention: Started
) -> None:
    aroha = team.member_add(**_ids(owner, intervention), name="Aroha")
    _record(owner, intervention, owner.account_id, respected=Position.ALLY)
    _record(owner, intervention, aroha, respected=Position.IN_THE_WAY)
    mark = {
        **_ids(owner, intervention),
        "person_id": intervention.person_id,
        "row_key": "respected",
        "member_id": aroha,
        "note": "We heard each other at the hui",
    }
    summary.difference_talked_through(**mark)
    events = _events(intervention)
    summary.difference_talked_through(**mark)
    assert _events(intervention) == events  # posted twice: marked once

    reading = _summary(owner, intervention)
    assert reading.to_talk_about == ()
    talked = reading.rows[0].talked
    assert talked is not None
    assert (talked.member.name, talked.note) == ("Aroha", "We heard each other at the hui")
    assert reading.rows[0].differs  # still seen differently: talked through is not agreed

    _record(owner, intervention, aroha, respected=Position.LEANS_IN_THE_WAY)
    assert [row.row.key for row in _summary(owner, intervention).to_talk_about] == ["respected"]


def test_marking_without_a_member_marks_it_as_the_reader(
    owner: Keyring, intervention: Started
) -> None:
    _record(owner, intervention, owner.account_id, respected=Position.MIXED)
    summary.difference_talked_through(
        **_ids(owner, intervention),
        person_id=intervention.person_id,
        row_key="respected",
    )
    talked = _summary(owner, intervention).rows[0].talked
    assert talked is not None and talked.member.is_you and talked.note == ""


def test_it_refuses_to_mark_a_row_nobody_answered_or_by_someone_off_the_team(
    owner: Keyring, intervention: Started
) -> None:
    aroha = team.member_add(**_ids(owner, intervention), name="Aroha")
    base = {**_ids(owner, intervention), "person_id": intervention.person_id}
    with pytest.raises(InvalidInput) as refused:
        summary.difference_talked_through(**base, row_key="respected")
    assert (refused.value.field, refused.value.code) == ("row_key", Refusal.NO_DIFFERENCE)
    _record(owner, intervention, aroha, respected=Position.ALLY)
    team.member_remove(**_ids(owner, intervention), member_id=aroha)
    with pytest.raises(InvalidInput) as refused:
        summary.difference_talked_through(**base, row_key="respected", member_id=aroha)
    assert (refused.value.field, refused.value.code) == ("member_id", Refusal.NOT_A_CHOICE)
    # A member who left keeps their answers, under their name.
    (answer, *_rest) = _summary(owner, intervention).rows[0].answers
    assert (answer.member.name, answer.member.removed) == ("Aroha", True)


def test_the_history_is_newest_first_with_positions_consent_and_talks(
    owner: Keyring, intervention: Started
) -> None:
    aroha = team.member_add(**_ids(owner, intervention), name="Aroha")
    _record(owner, intervention, owner.account_id, respected=Position.ALLY)
    _record(owner, intervention, aroha, respected=Position.IN_THE_WAY)
    _record(owner, intervention, aroha, respected=Position.MIXED)
    people.person_change(
        **_ids(owner, intervention),
        person_id=intervention.person_id,
        details=Details(alias="Uncle T", relationship="mātua kēkē", consent="to_ask", asker=aroha),
    )
    summary.difference_talked_through(
        **_ids(owner, intervention),
        person_id=intervention.person_id,
        row_key="respected",
        note="talked at the hui",
    )
    reading = _summary(owner, intervention)
    lines = [(h.kind, h.before, h.after, h.text) for h in reading.history]
    assert lines == [
        ("talked", "", "", "talked at the hui"),
        ("consent", "idea", "to_ask", ""),
        ("position", "in_the_way", "mixed", f"{aroha[:4]} on respected"),
        ("position", "unknown", "in_the_way", f"{aroha[:4]} on respected"),
        ("position", "unknown", "ally", f"{owner.account_id[:4]} on respected"),
    ]
    assert [h.at for h in reading.history] == sorted((h.at for h in reading.history), reverse=True)
    consent = reading.history[1]
    assert consent.member is not None and consent.member.name == "Aroha"
    assert reading.history[2].row is not None and reading.history[2].row.key == "respected"
    assert reading.asker is not None and reading.asker.member_id == aroha
    assert reading.details.consent == "to_ask"


def test_it_knows_nobody_off_the_map(owner: Keyring, intervention: Started) -> None:
    with pytest.raises(UnknownPerson):
        summary.person_summary(
            keyring=owner, intervention_id=intervention.intervention_id, person_id="nobody"
        )


def test_the_history_is_read_a_page_at_a_time(owner: Keyring, intervention: Started) -> None:
    said = [f"words {n}" for n in range(5)]
    for words in said:
        positions.positions_record(
            **_ids(owner, intervention),
            person_id=intervention.person_id,
            positions={"respected": (Position.ALLY, words)},
        )

    def page(number: int) -> summary.PersonSummary:
        return summary.person_summary(
            **_ids(owner, intervention),
            person_id=intervention.person_id,
            history_page=number,
            history_size=2,
        )

    pages = [page(n) for n in (1, 2, 3)]
    assert [[h.text for h in p.history] for p in pages] == [
        ["words 4", "words 3"],
        ["words 2", "words 1"],
        ["words 0"],
    ]
    assert [(p.history_paging.total, p.history_paging.count) for p in pages] == [(5, 3)] * 3
    # The rest of the page is the same whichever page of the history it shows.
    assert pages[0].rows == pages[2].rows and pages[0].tally == pages[2].tally
    with pytest.raises(NotFound):
        page(4)
