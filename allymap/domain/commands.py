"""Commands: check what someone asked for, and say which events it makes.

This is the only way the services make events. A command reads the current state,
never changes it, and either returns the event(s) to append or raises:

- `InvalidInput` for input a person can correct (its `field` and `code` go back to the
  form, which words the code);
- `UnknownPerson` when the person is not on the map (absent or removed).

Text rules, the same for every field a person types: line breaks are made ``\\n``,
text is put in Unicode NFC form (so "ā" typed either way is the same letter) and
stripped of surrounding white space; required text must not be empty after that;
control characters other than newline and tab are refused, and so are characters that
change the direction of the text around them (bidirectional overrides and isolates);
each field has a length limit in characters (the ``*_MAX`` constants below).

Names (the code name, aliases, a relationship) are single lines, and refuse invisible
characters too (zero-width spaces and joiners, soft hyphens, blank fillers), so that two
names cannot be made to look alike on screen while being different, or the same while
one hides something.

Ids (person, note, assessor, chart) come from the program, not from a person; they
must be non-empty, at most `ID_MAX` characters, without spaces or control characters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

from allymap.chart.positions import Position
from allymap.domain.errors import InvalidInput, Refusal
from allymap.domain.events import (
    InterventionStarted,
    NoteAdded,
    PersonAdded,
    PersonChanged,
    PersonRemoved,
    PositionRecorded,
)
from allymap.domain.state import InterventionState

__all__ = [
    "ALIAS_MAX",
    "CODE_NAME_MAX",
    "EVIDENCE_MAX",
    "ID_MAX",
    "NOTE_MAX",
    "RELATIONSHIP_MAX",
    "add_note",
    "add_person",
    "change_person",
    "record_positions",
    "remove_person",
    "start_intervention",
]

CODE_NAME_MAX = 80
ALIAS_MAX = 80
RELATIONSHIP_MAX = 200
EVIDENCE_MAX = 1000
NOTE_MAX = 5000
ID_MAX = 64


def start_intervention(
    *,
    code_name: str,
    doing_harm_alias: str,
    harmed_alias: str = "",
    chart_id: str,
    chart_version: int,
) -> InterventionStarted:
    """The event that starts an intervention, with its names checked.

    `code_name` and `doing_harm_alias` are required, `harmed_alias` is optional;
    `chart_version` must be a positive integer.
    """
    if isinstance(chart_version, bool) or not isinstance(chart_version, int) or chart_version < 1:
        raise InvalidInput("chart_version", Refusal.INTERNAL)
    return InterventionStarted(
        code_name=_name(code_name, "code_name", CODE_NAME_MAX, required=True),
        doing_harm_alias=_name(doing_harm_alias, "doing_harm_alias", ALIAS_MAX, required=True),
        harmed_alias=_name(harmed_alias, "harmed_alias", ALIAS_MAX),
        chart_id=_id(chart_id, "chart_id"),
        chart_version=chart_version,
    )


def add_person(
    state: InterventionState, *, person_id: str, alias: str, relationship: str = ""
) -> PersonAdded:
    """Put someone on the map. `person_id` is a new random id chosen by the caller.

    `alias` is required, `relationship` optional. An id already used in this
    intervention (even by a removed person) is refused with field ``"person_id"``.
    """
    person_id = _id(person_id, "person_id")
    if person_id in state.people:
        raise InvalidInput("person_id", Refusal.DUPLICATE)
    return PersonAdded(
        person_id=person_id,
        alias=_name(alias, "alias", ALIAS_MAX, required=True),
        relationship=_name(relationship, "relationship", RELATIONSHIP_MAX),
    )


def change_person(
    state: InterventionState, *, person_id: str, alias: str, relationship: str
) -> PersonChanged | None:
    """Change a person's alias and relationship; None when, once tidied, nothing changed."""
    person = state.person(person_id)
    alias = _name(alias, "alias", ALIAS_MAX, required=True)
    relationship = _name(relationship, "relationship", RELATIONSHIP_MAX)
    if alias == person.alias and relationship == person.relationship:
        return None
    return PersonChanged(person_id=person.person_id, alias=alias, relationship=relationship)


def remove_person(state: InterventionState, *, person_id: str) -> PersonRemoved:
    """Take a person off the map (their history stays in the log)."""
    return PersonRemoved(person_id=state.person(person_id).person_id)


def record_positions(
    state: InterventionState,
    *,
    person_id: str,
    assessor: str,
    positions: Mapping[str, tuple[Position, str]],
    row_keys: Sequence[str],
) -> list[PositionRecorded]:
    """The events for one assessor's answers about one person: only what changed.

    `positions` maps a row key to ``(position, evidence)``; `row_keys` are the chart's
    rows, in chart order, and set the order of the events. For each row in `positions`,
    an event is made when the position or the tidied evidence differs from the
    assessor's current entry; for a row the assessor has not answered before, unless
    the answer is "don't know yet" with no evidence. The result may be empty.

    All input is checked before anything is returned: a key that is not a chart row
    raises `InvalidInput` with that key as `field`; a value that is not a position the
    same; evidence that is too long or has control characters raises `InvalidInput`
    with field ``f"evidence-{key}"``.
    """
    person = state.person(person_id)
    assessor = _id(assessor, "assessor")
    known_rows = set(row_keys)
    for key in positions:
        if key not in known_rows:
            raise InvalidInput(key, Refusal.NOT_ON_CHART)
    current = person.positions.get(assessor, {})
    events: list[PositionRecorded] = []
    seen: set[str] = set()
    for key in row_keys:
        if key in seen or key not in positions:
            continue
        seen.add(key)
        raw_position, raw_evidence = positions[key]
        try:
            position = Position(raw_position)
        except ValueError:
            raise InvalidInput(key, Refusal.NOT_A_CHOICE) from None
        evidence = _text(raw_evidence, f"evidence-{key}", EVIDENCE_MAX)
        entry = current.get(key)
        if entry is None:
            if position is Position.UNKNOWN and not evidence:
                continue
        elif entry.position == position and entry.evidence == evidence:
            continue
        events.append(
            PositionRecorded(
                person_id=person.person_id, row_key=key, position=position, evidence=evidence
            )
        )
    return events


def add_note(
    state: InterventionState, *, note_id: str, person_id: str = "", text: str
) -> NoteAdded:
    """A note for the team, about one person on the map when `person_id` is given.

    `note_id` is a new random id chosen by the caller; one already used is refused with
    field ``"note_id"``. `text` is required.
    """
    note_id = _id(note_id, "note_id")
    if any(note.note_id == note_id for note in state.notes):
        raise InvalidInput("note_id", Refusal.DUPLICATE)
    if person_id:
        person_id = state.person(person_id).person_id
    return NoteAdded(
        note_id=note_id,
        person_id=person_id,
        text=_text(text, "text", NOTE_MAX, required=True),
    )


# Control characters (Unicode category Cc) except tab and newline; and lone surrogates,
# which cannot be encoded at all.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Characters that reorder the text around them on screen (Unicode bidi controls).
# (The marks LRM, RLM and ALM stay allowed in longer text, where Arabic and Hebrew need
# them; names refuse them with every other format character.)
_DIRECTION = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
# Characters with no visible shape of their own, beyond the format characters (Cf):
# blank fillers and the braille blank, which also render as nothing.
_BLANK = frozenset(
    "\u115f\u1160\u3164\uffa0\u2800\u180e\u034f"
    + "".join(map(chr, range(0xFE00, 0xFE10)))  # variation selectors
    + "".join(map(chr, range(0xE0100, 0xE01F0)))
)


def _text(value: str, field: str, limit: int, *, required: bool = False) -> str:
    """Tidy text a person typed (see the module doc) or raise `InvalidInput` for `field`."""
    if not isinstance(value, str):
        raise InvalidInput(field, Refusal.NOT_TEXT)
    text = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if required and not text:
        raise InvalidInput(field, Refusal.REQUIRED)
    if _CONTROL.search(text):
        raise InvalidInput(field, Refusal.CONTROL_CHARACTER)
    if _SURROGATE.search(text):
        raise InvalidInput(field, Refusal.UNSAVEABLE_CHARACTER)
    if _DIRECTION.search(text):
        raise InvalidInput(field, Refusal.DISGUISING_CHARACTER)
    if len(text) > limit:
        raise InvalidInput(field, Refusal.TOO_LONG, params={"limit": limit, "length": len(text)})
    return text


def _name(value: str, field: str, limit: int, *, required: bool = False) -> str:
    """Tidy a name (see the module doc): text on one line without invisible characters."""
    text = _text(value, field, limit, required=required)
    if "\n" in text or "\t" in text:
        raise InvalidInput(field, Refusal.CONTROL_CHARACTER)
    if any(char in _BLANK or unicodedata.category(char) in ("Cf", "Zl", "Zp") for char in text):
        raise InvalidInput(field, Refusal.DISGUISING_CHARACTER)
    return text


def _id(value: str, field: str) -> str:
    """Check an id made by the program (not typed by a person)."""
    if (
        not isinstance(value, str)
        or not value
        or len(value) > ID_MAX
        or any(char.isspace() or not char.isprintable() for char in value)
    ):
        raise InvalidInput(field, Refusal.INTERNAL)
    return value
