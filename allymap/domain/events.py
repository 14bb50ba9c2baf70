"""The events of an intervention: tagged, versioned and immutable.

An intervention's content is the sequence of these events, stored one per row of the
encrypted log (DESIGN.md, "Storage"). Each event type is a frozen msgspec `Struct`
tagged ``"<name>/<version>"`` in the field ``type``, so decoding is strict: an unknown
tag, a missing field, an unknown field or a wrong type is refused, never guessed at.

Who did something (the author, an account id), when (UTC) and where in the log (`seq`)
are not part of the event: the log stores them beside it as plaintext metadata, and
`Recorded` carries them together once loaded.

Versioning
----------
A stored event is never rewritten. To change the shape of an event:

1. Copy its current struct into a frozen "old" struct that keeps the old tag, for
   example ``PersonAddedV1`` tagged ``"person_added/1"``, and leave it out of `Event`.
2. Change the current struct and bump its tag (``"person_added/2"``).
3. Register the old tag in `UPGRADES` with `upgrader`, giving a function that turns the
   old struct into the current one (filling new fields with a sensible default)::

       UPGRADES["person_added/1"] = upgrader(
           PersonAddedV1,
           lambda old: PersonAdded(person_id=old.person_id, alias=old.alias, pronouns=""),
       )

`decode_event` first decodes against the current union; only when that fails and the
tag is one registered in `UPGRADES` does it decode with the old struct and upgrade.
When an event goes through several versions, each old version's function produces the
current struct directly (or calls the next upgrade), so a load is a single step.
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeAlias, TypeVar

import msgspec

from allymap.chart.positions import Position

__all__ = [
    "EVENT_TYPES",
    "UPGRADES",
    "Event",
    "EventDecodeError",
    "InterventionStarted",
    "NoteAdded",
    "PersonAdded",
    "PersonChanged",
    "PersonRemoved",
    "PositionRecorded",
    "Recorded",
    "decode_event",
    "encode_event",
    "upgrader",
]


class InterventionStarted(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    tag_field="type",
    tag="intervention_started/1",
    forbid_unknown_fields=True,
):
    """The first event of every intervention.

    `chart_id` and `chart_version` name the chart the team reflects with, so positions
    keep their meaning when the chart changes later.
    """

    code_name: str
    doing_harm_alias: str
    harmed_alias: str = ""
    chart_id: str
    chart_version: int


class PersonAdded(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    tag_field="type",
    tag="person_added/1",
    forbid_unknown_fields=True,
):
    """Someone was put on the map. `person_id` is random and never reused."""

    person_id: str
    alias: str
    relationship: str = ""


class PersonChanged(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    tag_field="type",
    tag="person_changed/1",
    forbid_unknown_fields=True,
):
    """A person's alias and relationship, as they now stand (both are always given)."""

    person_id: str
    alias: str
    relationship: str


class PersonRemoved(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    tag_field="type",
    tag="person_removed/1",
    forbid_unknown_fields=True,
):
    """A person was taken off the map. Their history stays in the log."""

    person_id: str


class PositionRecorded(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    tag_field="type",
    tag="position_recorded/1",
    forbid_unknown_fields=True,
):
    """Where the event's author places a person on one row of the chart, and why.

    The assessor is the author of the event (metadata of the record), not a field.
    """

    person_id: str
    row_key: str
    position: Position
    evidence: str = ""


class NoteAdded(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    tag_field="type",
    tag="note_added/1",
    forbid_unknown_fields=True,
):
    """A note for the team, about one person when `person_id` is not empty."""

    note_id: str
    person_id: str = ""
    text: str


Event: TypeAlias = (
    InterventionStarted | PersonAdded | PersonChanged | PersonRemoved | PositionRecorded | NoteAdded
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
"""Old tag → function turning the encoded old event into a current one (see module doc).

Build entries with `upgrader`. Empty while every event is at its first version.
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
