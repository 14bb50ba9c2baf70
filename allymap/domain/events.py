"""The events of an intervention: tagged, versioned and immutable.

The event structs live in `allymap.domain.map_events` (the map: intervention, team,
people, positions, notes) and `allymap.domain.organise_events` (roles, support, gaps,
check-ins, the staircase, self-checks); this module lists them all in `Event`, re-exports
them, and encodes and decodes them.

An intervention's content is the sequence of these events, stored one per row of the
encrypted log (DESIGN.md, "Storage"). Each event type is a frozen msgspec `Struct`
tagged ``"<name>/<version>"`` in the field ``type``, so decoding is strict: an unknown
tag, a missing field, an unknown field or a wrong type is refused, never guessed at.

Who did something (the author's account id), when (UTC) and where (`seq`) are not in
the event: the log keeps them beside it, and `Recorded` carries all of it once loaded.

Versioning
----------
A stored event is never rewritten. To change the shape of an event:

1. Move its current struct to `allymap.domain.upgrades`, renamed with the old version
   (``PersonAddedV1``, still tagged ``"person_added/1"``), out of `Event`.
2. Change the current struct and bump its tag (``"person_added/2"``).
3. Register the old tag there in `UPGRADES` with `upgrader` and a function that turns
   the old struct into the current one (filling new fields with sensible defaults).

`decode_event` first decodes against the current union; only when that fails and the
tag is one registered in `UPGRADES` does it decode with the old struct and upgrade, in
a single step (each old version's function produces the current struct directly).
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeAlias, TypeVar

import msgspec

from allymap.domain.map_events import (
    ConsentChanged,
    DifferenceTalkedThrough,
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
)
from allymap.domain.organise_events import (
    CheckInAdded,
    GapReopened,
    GapSetAside,
    RoleAssigned,
    RoleLimitSet,
    RoleNamed,
    RoleUnassigned,
    SelfCheckKept,
    StaircaseNoted,
    SupportAdded,
    SupportRemoved,
)

__all__ = [
    "EVENT_TYPES",
    "UPGRADES",
    "CheckInAdded",
    "ConsentChanged",
    "DifferenceTalkedThrough",
    "Event",
    "EventDecodeError",
    "GapReopened",
    "GapSetAside",
    "InterventionArchived",
    "InterventionChanged",
    "InterventionStarted",
    "MemberAdded",
    "MemberChanged",
    "MemberRemoved",
    "NoteAdded",
    "PersonAdded",
    "PersonChanged",
    "PersonRemoved",
    "PositionRecorded",
    "Recorded",
    "RoleAssigned",
    "RoleLimitSet",
    "RoleNamed",
    "RoleUnassigned",
    "SelfCheckKept",
    "StaircaseNoted",
    "SupportAdded",
    "SupportRemoved",
    "decode_event",
    "encode_event",
    "upgrader",
]


Event: TypeAlias = (
    InterventionStarted
    | InterventionChanged
    | InterventionArchived
    | MemberAdded
    | MemberChanged
    | MemberRemoved
    | PersonAdded
    | PersonChanged
    | ConsentChanged
    | PersonRemoved
    | PositionRecorded
    | DifferenceTalkedThrough
    | NoteAdded
    | RoleNamed
    | RoleAssigned
    | RoleUnassigned
    | RoleLimitSet
    | SupportAdded
    | SupportRemoved
    | GapSetAside
    | GapReopened
    | CheckInAdded
    | StaircaseNoted
    | SelfCheckKept
)
"""Any current event: **the** list of event types. Add a new type here and nowhere else;
mypy then names every place that must handle it (the fold ends in `assert_never`)."""

EVENT_TYPES: tuple[type[Event], ...] = typing.get_args(Event)
"""Every current event type, in the order of `Event` (derived from it, never by hand)."""


@dataclass(frozen=True, slots=True)
class Recorded:
    """An event as it came out of the log.

    `seq` counts from 1 within an intervention, without gaps; `author` is the account id
    of whoever appended it; `at` is when it was appended, timezone-aware UTC.
    """

    seq: int
    author: str
    at: datetime
    event: Event


class EventDecodeError(ValueError):
    """Bytes that are not a valid event of any known type or version."""


_S = TypeVar("_S", bound=msgspec.Struct)

UPGRADES: dict[str, Callable[[bytes], Event]] = {}
"""Old tag → function turning the encoded old event into a current one (see module doc),
built with `upgrader`; `allymap.domain.upgrades` registers them (the package imports it).
"""


def upgrader(old_type: type[_S], convert: Callable[[_S], Event]) -> Callable[[bytes], Event]:
    """Make an `UPGRADES` entry: decode bytes strictly as `old_type`, then `convert` them."""
    decoder = msgspec.msgpack.Decoder(old_type)

    def upgrade(data: bytes) -> Event:
        return convert(decoder.decode(data))

    return upgrade


_ENCODER = msgspec.msgpack.Encoder()
_DECODER: msgspec.msgpack.Decoder[Event] = msgspec.msgpack.Decoder(Event)


class _TagOnly(msgspec.Struct):
    """Reads only the tag of an encoded event, ignoring every other field."""

    type: str


_TAG_DECODER = msgspec.msgpack.Decoder(_TagOnly)


def encode_event(event: Event) -> bytes:
    """Encode an event as MessagePack, its tag included. `decode_event` reverses it."""
    return _ENCODER.encode(event)


def decode_event(data: bytes) -> Event:
    """Decode bytes made by `encode_event`, now or by an earlier version of allymap.

    Decoding is strict. Old versions registered in `UPGRADES` are upgraded to the
    current struct. Raises `EventDecodeError` on malformed bytes, an unknown tag, or
    fields that do not match the tag's struct.
    """
    try:
        return _DECODER.decode(data)
    except msgspec.ValidationError as exc:  # well-formed, but not a current event
        current_error = exc
    except msgspec.DecodeError as exc:
        raise EventDecodeError(f"an event is not valid MessagePack: {exc}") from exc
    tag = _tag_of(data)
    upgrade = UPGRADES.get(tag) if tag is not None else None
    if upgrade is None:
        if tag is None:
            raise EventDecodeError(f"an event has no type tag: {current_error}")
        if not any(t.__struct_config__.tag == tag for t in EVENT_TYPES):
            raise EventDecodeError(f"unknown event type {tag!r}")
        raise EventDecodeError(f"an event of type {tag!r} is not valid: {current_error}")
    try:
        return upgrade(data)
    except msgspec.DecodeError as exc:
        raise EventDecodeError(f"an old event of type {tag!r} is not valid: {exc}") from exc


def _tag_of(data: bytes) -> str | None:
    """The ``type`` tag of an encoded event, or None when there is no readable tag."""
    try:
        return _TAG_DECODER.decode(data).type
    except msgspec.DecodeError:
        return None
