"""The fold: an intervention's state is what its events add up to.

`fold` is pure and deterministic: the same state and records always give an equal
state (equal `encode_state` bytes), and the state passed in is never changed. Opening
an intervention is ``fold(snapshot_or_None, later_records, intervention_id=...)``, and
folding a snapshot plus the rest of the log equals folding the whole log.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import assert_never

import msgspec

from allymap.chart.positions import Position
from allymap.domain.errors import FoldError
from allymap.domain.events import (
    CheckInAdded,
    ConsentChanged,
    DifferenceTalkedThrough,
    GapReopened,
    GapSetAside,
    InterventionArchived,
    InterventionChanged,
    InterventionStarted,
    MemberAdded,
    MemberChanged,
    MemberRemoved,
    NoteAdded,
    PersonAdded,
    PersonChanged,
    PersonRemoved,
    PositionRecorded,
    Recorded,
    RoleAssigned,
    RoleLimitSet,
    RoleNamed,
    RoleUnassigned,
    SelfCheckKept,
    StaircaseNoted,
    SupportAdded,
    SupportRemoved,
)
from allymap.domain.fold_organise import apply_organise, holder_leaves
from allymap.domain.state import (
    ConsentChange,
    Holder,
    InterventionState,
    MemberState,
    Note,
    PersonState,
    PositionChange,
    PositionEntry,
    TalkedThrough,
)
from allymap.domain.values import HolderKind

__all__ = ["fold"]

# A private deep copy through MessagePack: faster than copy.deepcopy by far, and exact,
# since every value in a state is a type msgspec round-trips.
_COPY_ENCODER = msgspec.msgpack.Encoder()
_COPY_DECODER = msgspec.msgpack.Decoder(InterventionState)


def fold(
    state: InterventionState | None,
    records: Iterable[Recorded],
    *,
    intervention_id: str,
    consume: bool = False,
) -> InterventionState:
    """Apply `records`, in order, to `state` (or to nothing) and return the new state.

    Contract:

    - `state` is not mutated; the result shares no mutable object with it. Unless
      `consume` is true: the caller hands `state` over (one it has just decoded and
      holds nowhere else), and it is folded in place and returned, without the copy
      (a deep copy of a large map costs more than decoding it).
    - With `state` None, the first record must be `InterventionStarted` with seq 1;
      with a state, it must belong to `intervention_id`. `InterventionStarted` is
      refused anywhere else.
    - Each record's seq must be exactly one more than the one before (or than
      `state.seq`); the result's `seq` is the last record's.
    - An event about a person who is not on the map (never added, or removed), or by a
      team member who is not on the team, adding a person or member id twice, or a
      record whose time is not timezone-aware are refused. A position with an empty
      member id (recorded before teams) is the author's own: it goes to the member
      linked to the author's account, who joins the team then if they had not.

    Every refusal raises `FoldError`: the log is the truth and commands never produce
    such a log, so a refusal means a damaged log or a bug, never a reason to skip.
    """
    it = iter(records)
    if state is None:
        first = next(it, None)
        if first is None:
            raise FoldError("there is no state and no event to start from")
        current = _start(first, intervention_id)
    else:
        if state.intervention_id != intervention_id:
            raise FoldError(
                f"the state belongs to intervention {state.intervention_id!r}, "
                f"not {intervention_id!r}"
            )
        current = state if consume else _COPY_DECODER.decode(_COPY_ENCODER.encode(state))
    for record in it:
        _apply(current, record)
    return current


def _start(record: Recorded, intervention_id: str) -> InterventionState:
    """The state made by the first record of a log."""
    event = record.event
    if not isinstance(event, InterventionStarted):
        raise FoldError(f"the log starts with {_tag(event)}, not intervention_started")
    if record.seq != 1:
        raise FoldError(f"the log starts at event {record.seq}, not 1")
    _check_time(record)
    return InterventionState(
        intervention_id=intervention_id,
        code_name=event.code_name,
        doing_harm_alias=event.doing_harm_alias,
        harmed_alias=event.harmed_alias,
        chart_id=event.chart_id,
        chart_version=event.chart_version,
        perspective=event.perspective,
        started_by=record.author,
        started_at=record.at,
        seq=1,
        members={
            record.author: MemberState(
                member_id=record.author, name="", account_id=record.author, added_at=record.at
            )
        },
        people={},
        notes=[],
    )


def _apply(state: InterventionState, record: Recorded) -> None:
    """Apply one record to a state this fold owns."""
    if record.seq != state.seq + 1:
        raise FoldError(
            f"event {record.seq} follows event {state.seq}: the log has a gap or is out of order"
        )
    _check_time(record)
    event = record.event
    match event:
        case PositionRecorded():
            _position(state, event, record)
        case PersonAdded():
            if event.person_id in state.people:
                raise FoldError(f"event {record.seq} adds person {event.person_id!r} again")
            if event.asker:
                _member(state, event.asker, record)
            state.people[event.person_id] = PersonState(
                person_id=event.person_id,
                alias=event.alias,
                relationship=event.relationship,
                relationship_harmed=event.relationship_harmed,
                closeness=event.closeness,
                offers=event.offers,
                other_ways=event.other_ways,
                reporting=event.reporting,
                consent=event.consent,
                asker=event.asker,
                added_by=record.author,
                added_at=record.at,
                positions={},
                history=[],
                talked_through={},
            )
        case PersonChanged():
            person = _active(state, event.person_id, record)
            for field in _DETAILS:
                value = getattr(event, field)
                if value is not msgspec.UNSET:
                    setattr(person, field, value)
        case ConsentChanged():
            person = _active(state, event.person_id, record)
            if event.asker and event.asker != person.asker:
                # Who will ask must be on the team when chosen; one who has left since
                # stays named until someone else is chosen.
                _member(state, event.asker, record)
            person.history.append(
                ConsentChange(
                    seq=record.seq,
                    at=record.at,
                    before=person.consent,
                    after=event.consent,
                    asker=event.asker,
                )
            )
            person.consent = event.consent
            person.asker = event.asker
        case PersonRemoved():
            _active(state, event.person_id, record).removed = True
            holder_leaves(state, Holder(kind=HolderKind.PERSON, id=event.person_id), record)
        case DifferenceTalkedThrough():
            person = _active(state, event.person_id, record)
            _member(state, event.member_id, record)
            talked = TalkedThrough(
                seq=record.seq,
                at=record.at,
                member_id=event.member_id,
                row_key=event.row_key,
                note=event.note,
            )
            person.history.append(talked)
            person.talked_through[event.row_key] = talked
        case MemberAdded():
            if event.member_id in state.members:
                raise FoldError(f"event {record.seq} adds team member {event.member_id!r} again")
            state.members[event.member_id] = MemberState(
                member_id=event.member_id,
                name=event.name,
                account_id=event.account_id,
                added_at=record.at,
            )
        case MemberChanged():
            _member(state, event.member_id, record).name = event.name
        case MemberRemoved():
            _member(state, event.member_id, record).removed = True
            holder_leaves(state, Holder(kind=HolderKind.MEMBER, id=event.member_id), record)
        case InterventionChanged():
            state.code_name = event.code_name
            state.doing_harm_alias = event.doing_harm_alias
            state.harmed_alias = event.harmed_alias
        case InterventionArchived():
            state.archived = event.archived
        case NoteAdded():
            if event.person_id:
                _active(state, event.person_id, record)
            state.notes.append(
                Note(
                    note_id=event.note_id,
                    person_id=event.person_id,
                    text=event.text,
                    author=record.author,
                    at=record.at,
                )
            )
        case (
            RoleNamed()
            | RoleAssigned()
            | RoleUnassigned()
            | RoleLimitSet()
            | SupportAdded()
            | SupportRemoved()
            | GapSetAside()
            | GapReopened()
            | CheckInAdded()
            | StaircaseNoted()
            | SelfCheckKept()
        ):
            apply_organise(state, event, record)
        case InterventionStarted():
            raise FoldError(f"event {record.seq} starts the intervention again")
        case _:  # pragma: no cover - mypy proves every member of `Event` has a case above
            assert_never(event)
    state.seq = record.seq


# The fields of a person that `PersonChanged` may carry (consent has its own event).
_DETAILS = (
    "alias",
    "relationship",
    "relationship_harmed",
    "closeness",
    "offers",
    "other_ways",
    "reporting",
)


def _position(state: InterventionState, event: PositionRecorded, record: Recorded) -> None:
    """Apply a position: the member's latest entry for the row, and a line of history."""
    person = _active(state, event.person_id, record)
    member_id = event.member_id
    if not member_id:
        # Recorded before teams: the author's own view, under the author's member (who
        # joins the team now if they had not: an account that did not start it).
        own = state.member_of(record.author)
        member_id = own.member_id if own is not None else record.author
        if own is None:
            state.members[member_id] = MemberState(
                member_id=member_id, name="", account_id=record.author, added_at=record.at
            )
    _member(state, member_id, record)
    by_row = person.positions.setdefault(member_id, {})
    before = by_row.get(event.row_key)
    person.history.append(
        PositionChange(
            seq=record.seq,
            at=record.at,
            member_id=member_id,
            row_key=event.row_key,
            before=before.position if before is not None else Position.UNKNOWN,
            after=event.position,
            evidence=event.evidence,
        )
    )
    by_row[event.row_key] = PositionEntry(
        position=event.position, evidence=event.evidence, at=record.at, seq=record.seq
    )


def _member(state: InterventionState, member_id: str, record: Recorded) -> MemberState:
    """The team member an event names; FoldError when they are absent or removed."""
    member = state.members.get(member_id)
    if member is None or member.removed:
        raise FoldError(f"event {record.seq} names team member {member_id!r}, not on the team")
    return member


def _active(state: InterventionState, person_id: str, record: Recorded) -> PersonState:
    """The person an event is about; FoldError when they are absent or removed."""
    person = state.people.get(person_id)
    if person is None or person.removed:
        raise FoldError(f"event {record.seq} is about person {person_id!r}, not on the map")
    return person


def _check_time(record: Recorded) -> None:
    if record.at.tzinfo is None:
        raise FoldError(f"event {record.seq} has a time without a timezone")


def _tag(event: object) -> str:
    """The tag of an event, for messages; the class name when it has none."""
    config = getattr(type(event), "__struct_config__", None)
    tag = getattr(config, "tag", None)
    return str(tag) if tag is not None else type(event).__name__
