"""The pure core of an intervention: events, commands, state and the fold.

An intervention is an append-only log of events (`events`). Commands (`commands`) are
the only way to make events: they check what someone asked for against the current
state and return the events to append, or raise `InvalidInput` (with a `Refusal`
code) / `UnknownPerson`.
The state (`state`) is what the log adds up to, built by `fold`, and can be kept as an
encoded snapshot. Nothing here does I/O, cryptography or Django: the store, the vault
and the services do that around it.
"""

from __future__ import annotations

from allymap.domain.commands import (
    ALIAS_MAX,
    CODE_NAME_MAX,
    EVIDENCE_MAX,
    ID_MAX,
    NOTE_MAX,
    RELATIONSHIP_MAX,
    add_note,
    add_person,
    change_person,
    record_positions,
    remove_person,
    start_intervention,
)
from allymap.domain.errors import DomainError, FoldError, InvalidInput, Refusal, UnknownPerson
from allymap.domain.events import (
    EVENT_TYPES,
    UPGRADES,
    Event,
    EventDecodeError,
    InterventionStarted,
    NoteAdded,
    PersonAdded,
    PersonChanged,
    PersonRemoved,
    PositionRecorded,
    Recorded,
    decode_event,
    encode_event,
    upgrader,
)
from allymap.domain.fold import fold
from allymap.domain.state import (
    STATE_FORMAT_VERSION,
    InterventionState,
    Note,
    PersonState,
    PositionEntry,
    StateDecodeError,
    decode_state,
    encode_state,
)

__all__ = [
    "ALIAS_MAX",
    "CODE_NAME_MAX",
    "EVENT_TYPES",
    "EVIDENCE_MAX",
    "ID_MAX",
    "NOTE_MAX",
    "RELATIONSHIP_MAX",
    "STATE_FORMAT_VERSION",
    "UPGRADES",
    "DomainError",
    "Event",
    "EventDecodeError",
    "FoldError",
    "InterventionStarted",
    "InterventionState",
    "InvalidInput",
    "Note",
    "NoteAdded",
    "PersonAdded",
    "PersonChanged",
    "PersonRemoved",
    "PersonState",
    "PositionEntry",
    "PositionRecorded",
    "Recorded",
    "Refusal",
    "StateDecodeError",
    "UnknownPerson",
    "add_note",
    "add_person",
    "change_person",
    "decode_event",
    "decode_state",
    "encode_event",
    "encode_state",
    "fold",
    "record_positions",
    "remove_person",
    "start_intervention",
    "upgrader",
]
