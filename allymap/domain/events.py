"""The events of an intervention: tagged, versioned and immutable.

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

from allymap.chart.positions import Position
from allymap.domain.values import Closeness, Consent, Reporting

__all__ = [
    "EVENT_TYPES",
    "UPGRADES",
    "ConsentChanged",
    "DifferenceTalkedThrough",
    "Event",
    "EventDecodeError",
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
    keep their meaning when the chart changes later. Whoever starts it is the team's
    first member, with their account id as member id (no event of its own).
    """

    code_name: str
    doing_harm_alias: str
    harmed_alias: str = ""
    chart_id: str
    chart_version: int


class InterventionChanged(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    tag_field="type",
    tag="intervention_changed/1",
    forbid_unknown_fields=True,
):
    """The intervention's code name and aliases, as they now stand (all three given)."""

    code_name: str
    doing_harm_alias: str
    harmed_alias: str


class InterventionArchived(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    tag_field="type",
    tag="intervention_archived/1",
    forbid_unknown_fields=True,
):
    """The intervention was put away (`archived`), or brought back (not `archived`)."""

    archived: bool


class MemberAdded(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    tag_field="type",
    tag="member_added/1",
    forbid_unknown_fields=True,
):
    """Someone joined the team, by a name the team chose. `member_id` is random.

    `account_id` links the member to an account (hosted mode); empty for a member who
    has no account, whose views the facilitator records for them.
    """

    member_id: str
    name: str
    account_id: str = ""


class MemberChanged(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    tag_field="type",
    tag="member_changed/1",
    forbid_unknown_fields=True,
):
    """A team member's name, as it now stands."""

    member_id: str
    name: str


class MemberRemoved(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    tag_field="type",
    tag="member_removed/1",
    forbid_unknown_fields=True,
):
    """A team member left the team. What they recorded stays, under their name."""

    member_id: str


class PersonAdded(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    tag_field="type",
    tag="person_added/2",
    forbid_unknown_fields=True,
):
    """Someone was put on the map. `person_id` is random and never reused.

    `relationship` is to the person doing harm, `relationship_harmed` to the person
    harmed. `asker` is the member id of the team member who will ask them, or empty.
    """

    person_id: str
    alias: str
    relationship: str = ""
    relationship_harmed: str = ""
    closeness: Closeness = Closeness.UNKNOWN
    offers: str = ""
    other_ways: str = ""
    reporting: Reporting = Reporting.UNKNOWN
    consent: Consent = Consent.IDEA
    asker: str = ""


class PersonChanged(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    tag_field="type",
    tag="person_changed/2",
    forbid_unknown_fields=True,
):
    """The details of a person that changed (UNSET: unchanged). Consent has an event of
    its own (`ConsentChanged`), so that its history reads plainly."""

    person_id: str
    alias: str | msgspec.UnsetType = msgspec.UNSET
    relationship: str | msgspec.UnsetType = msgspec.UNSET
    relationship_harmed: str | msgspec.UnsetType = msgspec.UNSET
    closeness: Closeness | msgspec.UnsetType = msgspec.UNSET
    offers: str | msgspec.UnsetType = msgspec.UNSET
    other_ways: str | msgspec.UnsetType = msgspec.UNSET
    reporting: Reporting | msgspec.UnsetType = msgspec.UNSET


class ConsentChanged(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    tag_field="type",
    tag="consent_changed/1",
    forbid_unknown_fields=True,
):
    """Where asking a person stands now, and who will ask (a member id, or empty)."""

    person_id: str
    consent: Consent
    asker: str


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
    tag="position_recorded/2",
    forbid_unknown_fields=True,
):
    """Where one team member places a person on one row of the chart, and why.

    `member_id` is whose view it is (the facilitator may record it for them at a hui);
    the account that wrote it is the record's author.
    """

    person_id: str
    member_id: str
    row_key: str
    position: Position
    evidence: str = ""


class DifferenceTalkedThrough(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    tag_field="type",
    tag="difference_talked_through/1",
    forbid_unknown_fields=True,
):
    """The team talked through how its members see one row of a person differently.

    `member_id` is who marked it. A later position on the row makes it a difference to
    talk about again.
    """

    person_id: str
    row_key: str
    member_id: str
    note: str = ""


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
