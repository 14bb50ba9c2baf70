"""The state of an intervention: what its event log adds up to.

`allymap.domain.fold.fold` builds it; nothing else should change it. The structs are
not frozen so that the fold can update a private copy in place, and so that a state
can be encoded as a snapshot with `encode_state` and read back with `decode_state`.

All times are timezone-aware UTC, copied from the records that produced them.
"""

from __future__ import annotations

from datetime import datetime

import msgspec

from allymap.chart.positions import Position
from allymap.domain.errors import UnknownPerson

__all__ = [
    "STATE_FORMAT_VERSION",
    "InterventionState",
    "Note",
    "PersonState",
    "PositionEntry",
    "StateDecodeError",
    "decode_state",
    "encode_state",
]

STATE_FORMAT_VERSION: int = 1
"""The shape of the structs below. Bump it whenever that shape changes: `decode_state`
then refuses older snapshots, and the store ignores them and folds from the log again."""


class PositionEntry(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """One assessor's latest answer for one person on one row, and the event that gave it."""

    position: Position
    evidence: str
    at: datetime
    seq: int


class PersonState(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A person on the map, as they stand now.

    `positions[assessor][row_key]` is that assessor's latest entry for the row; earlier
    entries live only in the log. A removed person keeps their positions (history) but
    is no longer part of the map.
    """

    person_id: str
    alias: str
    relationship: str
    added_by: str
    added_at: datetime
    removed: bool = False
    positions: dict[str, dict[str, PositionEntry]]


class Note(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A team note; `person_id` is empty when it is about no one in particular."""

    note_id: str
    person_id: str
    text: str
    author: str
    at: datetime


class InterventionState(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Everything the log of one intervention says, as of event number `seq`.

    `people` keeps the order in which people were added, removed people included;
    `notes` is in log order.
    """

    intervention_id: str
    code_name: str
    doing_harm_alias: str
    harmed_alias: str
    chart_id: str
    chart_version: int
    started_by: str
    started_at: datetime
    seq: int
    people: dict[str, PersonState]
    notes: list[Note]

    def active_people(self) -> list[PersonState]:
        """The people on the map now (not removed), in the order they were added."""
        return [p for p in self.people.values() if not p.removed]

    def person(self, person_id: str) -> PersonState:
        """The person with this id. Raises `UnknownPerson` if absent or removed."""
        found = self.people.get(person_id)
        if found is None or found.removed:
            raise UnknownPerson(person_id)
        return found


class StateDecodeError(ValueError):
    """Bytes that are not a snapshot of the current `STATE_FORMAT_VERSION`."""


_ENCODER = msgspec.msgpack.Encoder()
_ENVELOPE_DECODER = msgspec.msgpack.Decoder(tuple[int, msgspec.Raw])
_STATE_DECODER = msgspec.msgpack.Decoder(InterventionState)


def encode_state(state: InterventionState) -> bytes:
    """Encode a state as a MessagePack snapshot, ``[STATE_FORMAT_VERSION, state]``.

    Equal states give equal bytes (dict and list order included), so bytes can be
    compared to compare states.
    """
    return _ENCODER.encode((STATE_FORMAT_VERSION, state))


def decode_state(data: bytes) -> InterventionState:
    """Decode a snapshot made by `encode_state`, strictly.

    Raises `StateDecodeError` when the bytes are malformed, do not match the structs, or
    were written for another `STATE_FORMAT_VERSION` (the caller then folds from the log).
    """
    try:
        version, raw = _ENVELOPE_DECODER.decode(data)
    except msgspec.DecodeError as exc:
        raise StateDecodeError(f"a state snapshot is not valid: {exc}") from exc
    if version != STATE_FORMAT_VERSION:
        raise StateDecodeError(
            f"a state snapshot has format {version}, this version of allymap reads "
            f"format {STATE_FORMAT_VERSION}"
        )
    try:
        return _STATE_DECODER.decode(raw)
    except msgspec.DecodeError as exc:
        raise StateDecodeError(f"a state snapshot is not valid: {exc}") from exc
