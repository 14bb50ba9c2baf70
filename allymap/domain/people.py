"""The commands about people on the map: their details, consent, and positions.

See `allymap.domain.commands` for what a command is; these are re-exported there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import msgspec

from allymap.chart.positions import Position
from allymap.domain.errors import InvalidInput, Refusal
from allymap.domain.events import (
    ConsentChanged,
    DifferenceTalkedThrough,
    PersonAdded,
    PersonChanged,
    PersonRemoved,
    PositionRecorded,
)
from allymap.domain.state import InterventionState, MemberState, PositionEntry
from allymap.domain.text import choice, id_, name, text
from allymap.domain.values import Closeness, Consent, Reporting

__all__ = [
    "ALIAS_MAX",
    "CODE_NAME_MAX",
    "DETAILS_MAX",
    "EVIDENCE_MAX",
    "NOTE_MAX",
    "RELATIONSHIP_MAX",
    "PositionsOutcome",
    "RowConflict",
    "active_member",
    "add_person",
    "change_consent",
    "change_person",
    "record_positions",
    "remove_person",
    "talk_through",
]

CODE_NAME_MAX = 80
ALIAS_MAX = 80
RELATIONSHIP_MAX = 200
DETAILS_MAX = 1000
"""What someone might offer, and other ways they could help."""
EVIDENCE_MAX = 1000
NOTE_MAX = 5000


def active_member(state: InterventionState, member_id: str) -> MemberState:
    """A member on the team now, or `InvalidInput` (`NOT_A_CHOICE`) on ``"member_id"``."""
    member = state.members.get(member_id) if isinstance(member_id, str) else None
    if member is None or member.removed:
        raise InvalidInput("member_id", Refusal.NOT_A_CHOICE)
    return member


def add_person(
    state: InterventionState,
    *,
    person_id: str,
    alias: str,
    relationship: str = "",
    relationship_harmed: str = "",
    closeness: Closeness | str = Closeness.UNKNOWN,
    offers: str = "",
    other_ways: str = "",
    reporting: Reporting | str = Reporting.UNKNOWN,
    consent: Consent | str = Consent.IDEA,
    asker: str = "",
) -> PersonAdded:
    """Put someone on the map. `person_id` is a new random id chosen by the caller.

    Only `alias` is required. An id already used in this intervention (even by a removed
    person) is refused with field ``"person_id"``; `asker` must be a team member now, or
    empty.
    """
    person_id = id_(person_id, "person_id")
    if person_id in state.people:
        raise InvalidInput("person_id", Refusal.DUPLICATE)
    return PersonAdded(
        person_id=person_id,
        alias=name(alias, "alias", ALIAS_MAX, required=True),
        relationship=name(relationship, "relationship", RELATIONSHIP_MAX),
        relationship_harmed=name(relationship_harmed, "relationship_harmed", RELATIONSHIP_MAX),
        closeness=choice(closeness, Closeness, "closeness"),
        offers=text(offers, "offers", DETAILS_MAX),
        other_ways=text(other_ways, "other_ways", DETAILS_MAX),
        reporting=choice(reporting, Reporting, "reporting"),
        consent=choice(consent, Consent, "consent"),
        asker=_asker(state, asker),
    )


def change_person(
    state: InterventionState,
    *,
    person_id: str,
    alias: str | None = None,
    relationship: str | None = None,
    relationship_harmed: str | None = None,
    closeness: Closeness | str | None = None,
    offers: str | None = None,
    other_ways: str | None = None,
    reporting: Reporting | str | None = None,
) -> PersonChanged | None:
    """Change a person's details: each field given (not None) is checked, and the event
    carries only those that differ from now. None when, once tidied, nothing changed."""
    person = state.person(person_id)
    wanted: dict[str, object] = {}
    if alias is not None:
        wanted["alias"] = name(alias, "alias", ALIAS_MAX, required=True)
    if relationship is not None:
        wanted["relationship"] = name(relationship, "relationship", RELATIONSHIP_MAX)
    if relationship_harmed is not None:
        wanted["relationship_harmed"] = name(
            relationship_harmed, "relationship_harmed", RELATIONSHIP_MAX
        )
    if closeness is not None:
        wanted["closeness"] = choice(closeness, Closeness, "closeness")
    if offers is not None:
        wanted["offers"] = text(offers, "offers", DETAILS_MAX)
    if other_ways is not None:
        wanted["other_ways"] = text(other_ways, "other_ways", DETAILS_MAX)
    if reporting is not None:
        wanted["reporting"] = choice(reporting, Reporting, "reporting")
    changed = {field: value for field, value in wanted.items() if getattr(person, field) != value}
    if not changed:
        return None
    return msgspec.convert({"person_id": person.person_id, **changed}, PersonChanged)


def change_consent(
    state: InterventionState, *, person_id: str, consent: Consent | str, asker: str
) -> ConsentChanged | None:
    """Where asking someone stands, and who will ask; None when both are as they were."""
    person = state.person(person_id)
    consent = choice(consent, Consent, "consent")
    asker = _asker(state, asker) if asker != person.asker else asker
    if consent == person.consent and asker == person.asker:
        return None
    return ConsentChanged(person_id=person.person_id, consent=consent, asker=asker)


def remove_person(state: InterventionState, *, person_id: str) -> PersonRemoved:
    """Take a person off the map (their history stays in the log)."""
    return PersonRemoved(person_id=state.person(person_id).person_id)


@dataclass(frozen=True)
class RowConflict:
    """A row someone else changed after this form showed it, where this form says other.

    Nothing is recorded for it: the page shows both, to settle. `yours` is what the form
    sent; `now` is the member's entry as it stands.
    """

    row_key: str
    yours: tuple[Position, str]
    now: PositionEntry


@dataclass(frozen=True)
class PositionsOutcome:
    """What a reflection form adds up to: the events to append, and the rows to settle."""

    events: list[PositionRecorded]
    conflicts: list[RowConflict]


def record_positions(
    state: InterventionState,
    *,
    person_id: str,
    member_id: str,
    positions: Mapping[str, tuple[Position | str, str]],
    shown: Mapping[str, int],
    row_keys: Sequence[str],
) -> PositionsOutcome:
    """The events for one team member's answers about one person: only what they changed.

    `positions` maps a row key to ``(position, evidence)`` as the form sent it; `shown`
    maps a row key to the seq of the member's entry the form showed (0, or absent, when
    it showed no answer); `row_keys` are the chart's rows, in chart order, and set the
    order of the events. For each row:

    - the same as the form showed (once tidied): nothing, whatever happened meanwhile,
      so a form left open never puts back what someone else saved since;
    - the same as the entry now: nothing;
    - changed, while the entry is still the one the form showed: an event;
    - changed, while someone changed the entry after the form showed it: a
      `RowConflict`, and no event.

    All input is checked before anything is returned: a key that is not a chart row
    raises `InvalidInput` with that key as `field`; a value that is not a position the
    same; evidence that is too long or has control characters raises `InvalidInput`
    with field ``f"evidence-{key}"``; a member not on the team ``"member_id"``.
    """
    person = state.person(person_id)
    member = active_member(state, member_id)
    known_rows = set(row_keys)
    for key in positions:
        if key not in known_rows:
            raise InvalidInput(key, Refusal.NOT_ON_CHART)
    current = person.positions.get(member.member_id, {})
    events: list[PositionRecorded] = []
    conflicts: list[RowConflict] = []
    for key in dict.fromkeys(row_keys):
        if key not in positions:
            continue
        raw_position, raw_evidence = positions[key]
        answer = (
            choice(raw_position, Position, key),
            text(raw_evidence, f"evidence-{key}", EVIDENCE_MAX),
        )
        shown_seq = shown.get(key, 0)
        was = person.shown_at(member.member_id, key, shown_seq)
        entry = current.get(key)
        now = (entry.position, entry.evidence) if entry else (Position.UNKNOWN, "")
        if answer in (was, now):
            continue
        if entry is not None and entry.seq != shown_seq:
            conflicts.append(RowConflict(row_key=key, yours=answer, now=entry))
            continue
        events.append(
            PositionRecorded(
                person_id=person.person_id,
                member_id=member.member_id,
                row_key=key,
                position=answer[0],
                evidence=answer[1],
            )
        )
    return PositionsOutcome(events=events, conflicts=conflicts)


def talk_through(
    state: InterventionState, *, person_id: str, row_key: str, member_id: str, note: str = ""
) -> DifferenceTalkedThrough | None:
    """Mark that the team talked through a row it sees differently (`member_id` marks it).

    None when the row was already talked through after its latest position (a form posted
    twice). `row_key` must be a row someone has answered for this person.
    """
    person = state.person(person_id)
    member = active_member(state, member_id)
    latest = max(
        (rows[row_key].seq for rows in person.positions.values() if row_key in rows), default=None
    )
    if latest is None:
        raise InvalidInput("row_key", Refusal.NO_DIFFERENCE)
    done = person.talked_through.get(row_key)
    if done is not None and done.seq > latest:
        return None
    return DifferenceTalkedThrough(
        person_id=person.person_id,
        row_key=row_key,
        member_id=member.member_id,
        note=text(note, "note", NOTE_MAX),
    )


def _asker(state: InterventionState, asker: str) -> str:
    """Who will ask: a member on the team now, or empty for nobody yet."""
    if not asker:
        return ""
    try:
        return active_member(state, asker).member_id
    except InvalidInput:
        raise InvalidInput("asker", Refusal.NOT_A_CHOICE) from None
