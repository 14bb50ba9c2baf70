"""Events stored before teams and people's details: read back, upgraded, and folded so that
every position keeps its place under the account that recorded it."""

from __future__ import annotations

from datetime import timedelta

import msgspec
import pytest

from allymap.chart.positions import Position
from allymap.domain import commands
from allymap.domain.errors import InvalidInput, Refusal
from allymap.domain.events import (
    EventDecodeError,
    PersonAdded,
    PersonChanged,
    PositionRecorded,
    Recorded,
    decode_event,
    encode_event,
)
from allymap.domain.fold import fold
from allymap.domain.state import MemberState, PositionChange, encode_state
from allymap.domain.upgrades import PersonAddedV1, PersonChangedV1, PositionRecordedV1
from allymap.domain.values import Closeness, Consent, Reporting

from .helpers import ASSESSORS, INTERVENTION_ID, START, Log, started

AROHA, BEN, MERE = ASSESSORS


def _stored(old: msgspec.Struct) -> bytes:
    """An event as an earlier allymap wrote it to the log."""
    return msgspec.msgpack.encode(old)


def test_it_reads_an_old_position_as_the_authors_own() -> None:
    data = _stored(
        PositionRecordedV1(
            person_id="p1", row_key="respected", position=Position.MIXED, evidence="Hmm."
        )
    )
    assert msgspec.msgpack.decode(data)["type"] == "position_recorded/1"
    assert decode_event(data) == PositionRecorded(
        person_id="p1",
        member_id="",
        row_key="respected",
        position=Position.MIXED,
        evidence="Hmm.",
    )


def test_it_reads_an_old_person_with_no_details_known() -> None:
    event = decode_event(_stored(PersonAddedV1(person_id="p1", alias="Mere", relationship="aunt")))
    assert event == PersonAdded(person_id="p1", alias="Mere", relationship="aunt")
    assert isinstance(event, PersonAdded)
    assert (event.closeness, event.reporting, event.consent, event.asker) == (
        Closeness.UNKNOWN,
        Reporting.UNKNOWN,
        Consent.IDEA,
        "",
    )


def test_it_reads_an_old_change_as_changing_alias_and_relationship_only() -> None:
    event = decode_event(_stored(PersonChangedV1(person_id="p1", alias="Mere K.", relationship="")))
    assert event == PersonChanged(person_id="p1", alias="Mere K.", relationship="")
    assert isinstance(event, PersonChanged)
    assert event.closeness is msgspec.UNSET
    assert event.offers is msgspec.UNSET
    # Read back and stored again, it is a current event from then on.
    assert msgspec.msgpack.decode(encode_event(event))["type"] == "person_changed/2"


@pytest.mark.parametrize(
    "raw",
    [
        {"type": "position_recorded/1", "person_id": "p1", "row_key": "respected"},
        {
            "type": "position_recorded/1",
            "person_id": "p1",
            "row_key": "respected",
            "position": "ally",
            "member_id": "m1",  # a field the old version never had
        },
        {"type": "person_added/1", "person_id": "p1", "alias": "Mere", "closeness": "close"},
        {"type": "person_changed/1", "person_id": "p1", "alias": "Mere"},
    ],
)
def test_it_refuses_an_old_event_that_was_never_valid(raw: dict[str, object]) -> None:
    with pytest.raises(EventDecodeError, match=f"old event of type '{raw['type']}'"):
        decode_event(msgspec.msgpack.encode(raw))


def _legacy_log() -> list[Recorded]:
    """A log written before teams: Aroha started it; she and Ben each placed Mere."""
    stored = [
        (AROHA, PersonAddedV1(person_id="p1", alias="Mere", relationship="aunt")),
        (
            AROHA,
            PositionRecordedV1(person_id="p1", row_key="respected", position=Position.ALLY),
        ),
        (
            BEN,
            PositionRecordedV1(
                person_id="p1", row_key="respected", position=Position.IN_THE_WAY, evidence="No."
            ),
        ),
        (BEN, PositionRecordedV1(person_id="p1", row_key="gives_space", position=Position.MIXED)),
        (AROHA, PersonChangedV1(person_id="p1", alias="Mere K.", relationship="aunt")),
        (
            AROHA,
            PositionRecordedV1(person_id="p1", row_key="respected", position=Position.LEANS_ALLY),
        ),
    ]
    records = [started(author=AROHA)]
    for seq, (author, old) in enumerate(stored, start=2):
        at = START + timedelta(minutes=seq)
        records.append(Recorded(seq=seq, author=author, at=at, event=decode_event(_stored(old))))
    return records


def test_it_gives_each_author_of_old_positions_a_member_and_keeps_the_positions() -> None:
    records = _legacy_log()
    state = fold(None, records, intervention_id=INTERVENTION_ID)
    # Aroha was already the first member; Ben joins the team with his first position.
    assert state.members == {
        AROHA: MemberState(member_id=AROHA, name="", account_id=AROHA, added_at=START),
        BEN: MemberState(member_id=BEN, name="", account_id=BEN, added_at=records[3].at),
    }
    mere = state.person("p1")
    assert mere.alias == "Mere K."
    assert {
        member: {row: (e.position, e.evidence, e.seq) for row, e in rows.items()}
        for member, rows in mere.positions.items()
    } == {
        AROHA: {"respected": (Position.LEANS_ALLY, "", 7)},
        BEN: {
            "respected": (Position.IN_THE_WAY, "No.", 4),
            "gives_space": (Position.MIXED, "", 5),
        },
    }
    assert [
        (h.member_id, h.row_key, h.before, h.after)
        for h in mere.history
        if isinstance(h, PositionChange)
    ] == [
        (AROHA, "respected", Position.UNKNOWN, Position.ALLY),
        (BEN, "respected", Position.UNKNOWN, Position.IN_THE_WAY),
        (BEN, "gives_space", Position.UNKNOWN, Position.MIXED),
        (AROHA, "respected", Position.ALLY, Position.LEANS_ALLY),
    ]


def test_it_folds_an_old_log_the_same_from_a_snapshot() -> None:
    records = _legacy_log()
    whole = fold(None, records, intervention_id=INTERVENTION_ID)
    for k in range(1, len(records)):
        head = fold(None, records[:k], intervention_id=INTERVENTION_ID)
        resumed = fold(head, records[k:], intervention_id=INTERVENTION_ID)
        assert encode_state(resumed) == encode_state(whole)


def test_it_carries_on_from_an_old_log_with_the_members_it_made() -> None:
    records = _legacy_log()
    log = Log(records[0])
    for record in records[1:]:
        log.append(record.event, record.author, record.at - log.records[-1].at)
    # Ben's own view carries on from where he left it, as a member like any other.
    (moved,) = log.reflect(
        "p1", {"respected": (Position.LEANS_IN_THE_WAY, "")}, member_id=BEN, author=BEN
    )
    assert isinstance(moved.event, PositionRecorded)
    assert moved.event.member_id == BEN
    assert log.state.person("p1").positions[BEN]["respected"].seq == moved.seq
    # He is linked to his account: he stays on the team, and is not added a second time.
    with pytest.raises(InvalidInput) as caught:
        commands.remove_member(log.state, member_id=BEN)
    assert (caught.value.field, caught.value.code) == ("member_id", Refusal.NOT_A_CHOICE)
    with pytest.raises(InvalidInput) as caught:
        commands.add_member(log.state, member_id="m-ben", name="Ben", account_id=BEN)
    assert (caught.value.field, caught.value.code) == ("account_id", Refusal.DUPLICATE)
    # Someone who never recorded anything before teams is not on it.
    assert log.state.member_of(MERE) is None
    assert [m.member_id for m in log.state.active_members()] == [AROHA, BEN]


def test_it_does_not_add_the_starter_again_for_their_old_positions() -> None:
    records = _legacy_log()
    state = fold(None, records[:3], intervention_id=INTERVENTION_ID)
    assert list(state.members) == [AROHA]
    assert state.members[AROHA].added_at == START
