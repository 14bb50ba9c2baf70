"""The state of an intervention: what its event log adds up to.

`allymap.domain.fold.fold` builds it; nothing else should change it. The structs are
not frozen so that the fold can update a private copy in place, and so that a state
can be encoded as a snapshot with `encode_state` and read back with `decode_state`.

All times are timezone-aware UTC, copied from the records that produced them.
"""

from __future__ import annotations

from datetime import date, datetime

import msgspec

from allymap.chart.positions import Position
from allymap.domain.errors import UnknownPerson
from allymap.domain.values import Closeness, Consent, HolderKind, Perspective, Reporting, Step

__all__ = [
    "STATE_FORMAT_VERSION",
    "CheckIn",
    "ConsentChange",
    "HistoryEntry",
    "Holder",
    "InterventionState",
    "MemberState",
    "Note",
    "PersonState",
    "PositionChange",
    "PositionEntry",
    "RoleChange",
    "SetAside",
    "StairNote",
    "StateDecodeError",
    "Support",
    "TalkedThrough",
    "decode_state",
    "encode_state",
]

STATE_FORMAT_VERSION: int = 4
"""The shape of the structs below. Bump it whenever that shape changes: `decode_state`
then refuses older snapshots, and the store ignores them and folds from the log again."""


class PositionEntry(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """One assessor's latest answer for one person on one row, and the event that gave it."""

    position: Position
    evidence: str
    at: datetime
    seq: int


class PositionChange(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, tag="position"):
    """In a person's history: a team member's answer on a row, from what to what, and why."""

    seq: int
    at: datetime
    member_id: str
    row_key: str
    before: Position
    after: Position
    evidence: str


class ConsentChange(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, tag="consent"):
    """In a person's history: where asking them stood, from what to what, and who will ask."""

    seq: int
    at: datetime
    before: Consent
    after: Consent
    asker: str


class TalkedThrough(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, tag="talked"):
    """In a person's history: the team talked through a difference on a row (who marked it)."""

    seq: int
    at: datetime
    member_id: str
    row_key: str
    note: str


HistoryEntry = PositionChange | ConsentChange | TalkedThrough
"""One entry of a person's history, oldest first."""


class PersonState(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A person on the map, as they stand now.

    `positions[member_id][row_key]` is that team member's latest entry for the row;
    `history` holds every change of a position or of consent, and every difference
    talked through, oldest first; `talked_through[row_key]` is the latest time a
    difference on the row was talked through. A removed person keeps all of it but is no
    longer part of the map.
    """

    person_id: str
    alias: str
    relationship: str
    relationship_harmed: str = ""
    closeness: Closeness = Closeness.UNKNOWN
    offers: str = ""
    other_ways: str = ""
    reporting: Reporting = Reporting.UNKNOWN
    consent: Consent = Consent.IDEA
    asker: str = ""
    added_by: str
    added_at: datetime
    removed: bool = False
    positions: dict[str, dict[str, PositionEntry]]
    history: list[HistoryEntry]
    talked_through: dict[str, TalkedThrough]

    def shown_at(self, member_id: str, row_key: str, seq: int) -> tuple[Position, str] | None:
        """What a member's answer on a row was as of its event `seq`: ``(position,
        evidence)``; "don't know yet" with no evidence for seq 0; None when that event is
        not one of this member's answers on this row."""
        if seq == 0:
            return (Position.UNKNOWN, "")
        for entry in self.history:
            if (
                isinstance(entry, PositionChange)
                and entry.seq == seq
                and entry.member_id == member_id
                and entry.row_key == row_key
            ):
                return (entry.after, entry.evidence)
        return None


class MemberState(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A member of the team. `account_id` is empty for a member without an account.

    Whoever started the intervention is the first member: member id and account id are
    that account's id, and `name` is empty until they choose one.
    """

    member_id: str
    name: str
    account_id: str
    added_at: datetime
    removed: bool = False


class Note(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A team note; `person_id` is empty when it is about no one in particular."""

    note_id: str
    person_id: str
    text: str
    author: str
    at: datetime


class Holder(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Someone on the map or a team member, as the holder of a role or an ally."""

    kind: HolderKind
    id: str

    @property
    def key(self) -> str:
        """``"<kind>:<id>"``: one string per holder, for keys and comparisons."""
        return f"{self.kind.value}:{self.id}"


class RoleChange(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """In the timeline: a role taken on (`assigned`) or put down."""

    seq: int
    at: datetime
    role: str
    holder: Holder
    assigned: bool


class Support(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Who supports an ally: a person or member (`supporter`), or someone outside both,
    named in `supporter_name` (then `supporter` is None)."""

    support_id: str
    ally: Holder
    supporter: Holder | None
    supporter_name: str
    at: datetime


class SetAside(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A gap the team set aside: on what cause, with what note, when."""

    cause: str
    note: str
    at: datetime


class CheckIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A check-in of the team: the day it is about, and the event that recorded it."""

    check_in_id: str
    on: date
    happened: str
    wins: str
    worries: str
    revisit: list[str]
    seq: int
    at: datetime


class StairNote(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Where things stood on the staircase of change, on a day, in the team's words."""

    note_id: str
    step: Step
    on: date
    text: str
    seq: int
    at: datetime


class InterventionState(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Everything the log of one intervention says, as of event number `seq`.

    `people` and `members` keep the order in which they were added, removed ones
    included; `notes`, `role_changes`, `check_ins` and `staircase` are in log order.
    `roles` maps a role (a `Role` value or a named role's id) to its holders, in the
    order they took it on; `custom_roles` names the team's own roles.
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
    perspective: Perspective = Perspective.TEAM
    archived: bool = False
    members: dict[str, MemberState]
    people: dict[str, PersonState]
    notes: list[Note]
    role_limit: int = 3
    custom_roles: dict[str, str] = msgspec.field(default_factory=dict)
    roles: dict[str, list[Holder]] = msgspec.field(default_factory=dict)
    role_changes: list[RoleChange] = msgspec.field(default_factory=list)
    supports: dict[str, Support] = msgspec.field(default_factory=dict)
    support_ended: dict[str, int] = msgspec.field(default_factory=dict)
    """Ally holder key → the event that last ended a support of theirs (for gaps)."""
    set_aside: dict[str, SetAside] = msgspec.field(default_factory=dict)
    check_ins: list[CheckIn] = msgspec.field(default_factory=list)
    staircase: list[StairNote] = msgspec.field(default_factory=list)
    self_checks: dict[str, bytes] = msgspec.field(default_factory=dict)
    """Account id → that account's self-check, sealed to its own key (never opened here)."""

    def holder_exists(self, holder: Holder) -> bool:
        """Whether a holder is on the map (a person) or on the team (a member) now."""
        if holder.kind is HolderKind.PERSON:
            person = self.people.get(holder.id)
            return person is not None and not person.removed
        if holder.kind is HolderKind.MEMBER:
            member = self.members.get(holder.id)
            return member is not None and not member.removed
        return False

    def roles_of(self, holder: Holder) -> list[str]:
        """The roles a holder holds now, in role order."""
        return [role for role, holders in self.roles.items() if holder in holders]

    def active_members(self) -> list[MemberState]:
        """The team now (members not removed), in the order they joined."""
        return [m for m in self.members.values() if not m.removed]

    def member_of(self, account_id: str) -> MemberState | None:
        """The team member linked to this account, if any (removed members too)."""
        for member in self.members.values():
            if account_id and member.account_id == account_id:
                return member
        return None

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
