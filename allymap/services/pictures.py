"""Readings for the pictures: the ring map of an intervention, and a person's row strip.

Shaped here from the state for `allymap.pictures` (which draws) and the pages (which
word and lay out). Nothing is scored or ranked: a person's lean is a category read off
the team's answers counted by side of the chart (`allymap.pictures.lean_of`), and the
counts themselves are in the reading, for the table beside the picture.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from allymap.chart import Position, Side, chart_by_id
from allymap.domain import InterventionState, PersonState, PositionChange
from allymap.domain.values import Closeness, Consent, HolderKind
from allymap.pictures import Badge, Lean, StripRow, lean_of
from allymap.pictures.strip import UNKNOWN_STEP
from allymap.services import engine
from allymap.services.heading import Heading, heading_of
from allymap.services.keyring import Keyring
from allymap.services.team import MemberLine, member_line

T = TypeVar("T")

__all__ = [
    "MOMENTS_SHOWN",
    "MapPerson",
    "MapReading",
    "MapRole",
    "PersonStrip",
    "StripMoment",
    "initials_of",
]

MOMENTS_SHOWN = 6
"""The most check-ins a person's small multiples show (the latest ones)."""

RINGS: dict[Closeness, int] = {
    Closeness.CLOSE: 0,
    Closeness.BETWEEN: 1,
    Closeness.FURTHER: 2,
    Closeness.UNKNOWN: 3,
}

BADGES: dict[Consent, Badge] = {
    Consent.IDEA: Badge.NONE,
    Consent.TO_ASK: Badge.TO_ASK,
    Consent.ASKED: Badge.ASKED,
    Consent.AGREED: Badge.AGREED,
    Consent.DECLINED: Badge.NOT_NOW,
    Consent.STEPPED_BACK: Badge.NOT_NOW,
}


@dataclass(frozen=True)
class MapRole:
    """A role someone holds: a `Role` value or a named role's id, and the team's own
    name for it (empty for a role of the checklist)."""

    role: str
    role_name: str


@dataclass(frozen=True)
class MapPerson:
    """One person on the map.

    `number` is their place on the map (1, 2, …, in the order they were added) and
    `initials` the first letters of their alias's words, made unique with their number
    when two people share them: what a shared screen shows instead of the alias.
    `ally`, `between`, `in_the_way` and `unknown` count the team's answers on each side
    of the chart, across the ten rows (answers, not people: no score); `lean` is the
    category they make (`allymap.pictures.lean_of`), with `rows_not_known`, the rows on
    which nobody has a known answer. `rows` is how many rows the chart has, so a page can
    say how the answers add up (members who answered × rows)."""

    person_id: str
    alias: str
    number: int
    initials: str
    closeness: str
    ring: int
    consent: str
    badge: Badge
    lean: Lean
    ally: int
    between: int
    in_the_way: int
    unknown: int
    rows_not_known: int
    roles: tuple[MapRole, ...]
    rows: int = 10

    @property
    def answers(self) -> int:
        return self.ally + self.between + self.in_the_way + self.unknown


@dataclass(frozen=True)
class MapReading:
    """The ring map: everyone on the map now, in map order, around the person doing harm
    (their alias in `doing_harm_alias`). `member_ids` is the team in the order its members
    joined, those who left included, so a shared screen can letter them the same way every
    time ("Member A", "Member B", …) instead of naming them."""

    heading: Heading
    doing_harm_alias: str
    harmed_alias: str
    people: tuple[MapPerson, ...]
    member_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class StripMoment:
    """A check-in, and where each member's answers stood when it was recorded."""

    on: date
    rows: tuple[StripRow, ...]


@dataclass(frozen=True)
class PersonStrip:
    """A person's row strip: the members who have reflected on them (their marks' order),
    each row with every such member's step now, and the latest check-ins
    (`MOMENTS_SHOWN` at most, oldest first); `earlier` counts check-ins left out."""

    members: tuple[MemberLine, ...]
    rows: tuple[StripRow, ...]
    moments: tuple[StripMoment, ...]
    earlier: int


def map_drawn(
    *, keyring: Keyring, intervention_id: str, key: Hashable, draw: Callable[[MapReading], T]
) -> tuple[MapReading, T]:
    """The ring map, and what `draw` makes of it (its picture), worked out once for the
    intervention's current state and remembered with it (`engine.derived`: the layout is
    most of a map page's time). `key` names everything `draw` depends on besides the
    reading. Raises NotFound or DamagedRecord."""

    def work(state: InterventionState) -> tuple[MapReading, T]:
        reading = _map_of(state)
        return reading, draw(reading)

    _state, drawn = engine.derived(keyring, intervention_id, ("map", key), work)
    return drawn


def _map_of(state: InterventionState) -> MapReading:
    people = state.active_people()
    initials = _unique_initials([p.alias for p in people])
    held: dict[str, list[MapRole]] = {}
    for role, holders in state.roles.items():
        for holder in holders:
            if holder.kind is HolderKind.PERSON:
                held.setdefault(holder.id, []).append(
                    MapRole(role=role, role_name=state.custom_roles.get(role, ""))
                )
    return MapReading(
        heading=heading_of(state),
        doing_harm_alias=state.doing_harm_alias,
        harmed_alias=state.harmed_alias,
        people=tuple(
            _map_person(state, person, number, initials[number - 1], held)
            for number, person in enumerate(people, start=1)
        ),
        member_ids=tuple(state.members),
    )


def _map_person(
    state: InterventionState,
    person: PersonState,
    number: int,
    initials: str,
    held: dict[str, list[MapRole]],
) -> MapPerson:
    chart = chart_by_id(state.chart_id, state.chart_version)
    sides = dict.fromkeys(Side, 0)
    known_rows: set[str] = set()
    for by_row in person.positions.values():
        if not by_row:
            continue
        # As on the person's page: whoever answered any row has an answer on every row,
        # a row they left being "don't know yet".
        for key in chart.keys:
            entry = by_row.get(key)
            side = entry.position.side if entry is not None else Side.UNKNOWN
            sides[side] += 1
            if side is not Side.UNKNOWN:
                known_rows.add(key)
    rows_not_known = len(chart.rows) - len(known_rows)
    return MapPerson(
        person_id=person.person_id,
        alias=person.alias,
        number=number,
        initials=initials,
        closeness=person.closeness.value,
        ring=RINGS[person.closeness],
        consent=person.consent.value,
        badge=BADGES[person.consent],
        lean=lean_of(
            ally=sides[Side.ALLY],
            between=sides[Side.BETWEEN],
            in_the_way=sides[Side.IN_THE_WAY],
            rows_not_known=rows_not_known,
            rows=len(chart.rows),
        ),
        ally=sides[Side.ALLY],
        between=sides[Side.BETWEEN],
        in_the_way=sides[Side.IN_THE_WAY],
        unknown=sides[Side.UNKNOWN],
        rows_not_known=rows_not_known,
        roles=tuple(held.get(person.person_id, ())),
        rows=len(chart.rows),
    )


def initials_of(alias: str) -> str:
    """The first letter of each word of an alias (at most three), in capitals."""
    letters = [word[0] for word in alias.split() if word and word[0].isalnum()]
    return "".join(letters[:3]).upper() or "?"


def _unique_initials(aliases: list[str]) -> list[str]:
    """Initials, with the person's number added where two people share them."""
    plain = [initials_of(alias) for alias in aliases]
    return [
        f"{mine} {number}" if plain.count(mine) > 1 else mine
        for number, mine in enumerate(plain, start=1)
    ]


def _moved(before: tuple[int | None, ...], after: tuple[int | None, ...]) -> bool:
    """Whether any member's answer on a row moved: a member who had not reflected yet
    and one whose answer is "don't know yet" stand in the same place."""

    def known(step: int | None) -> int | None:
        return None if step == UNKNOWN_STEP else step

    return any(known(b) != known(a) for b, a in zip(before, after, strict=True))


def _step(position: Position) -> int:
    step = position.step
    return UNKNOWN_STEP if step is None else step


def strip_drawn(
    *,
    keyring: Keyring,
    intervention_id: str,
    person_id: str,
    draw: Callable[[PersonStrip], T],
) -> T:
    """What `draw` makes of a person's row strip (`_strip_of`), worked out once for the
    intervention's current state and remembered with it (`engine.derived`). Raises
    NotFound, UnknownPerson or DamagedRecord."""
    account = keyring.account_id
    _state, drawn = engine.derived(
        keyring,
        intervention_id,
        ("strip", person_id),
        lambda state: draw(_strip_of(state, person_id, account)),
    )
    return drawn


def _strip_of(state: InterventionState, person_id: str, account: str) -> PersonStrip:
    """A person's row strip and its small multiples. A check-in shows the answers as they
    stood when it was recorded (every answer whose event came before the check-in's),
    whatever day it says it is about. Raises UnknownPerson."""
    person = state.person(person_id)
    chart = chart_by_id(state.chart_id, state.chart_version)
    order = list(state.members)
    members = [m for m in order if person.positions.get(m)]

    def rows_as(answers: dict[str, dict[str, Position]]) -> tuple[StripRow, ...]:
        return tuple(
            StripRow(
                number=row.number,
                topic=row.topic,
                steps=tuple(
                    _step(answers[m].get(row.key, Position.UNKNOWN)) if m in answers else None
                    for m in members
                ),
            )
            for row in chart.rows
        )

    now = {m: {key: entry.position for key, entry in person.positions[m].items()} for m in members}
    check_ins = sorted(state.check_ins, key=lambda c: (c.on, c.seq))
    moments: list[StripMoment] = []
    previous: tuple[StripRow, ...] | None = None
    for check_in in check_ins:
        answers: dict[str, dict[str, Position]] = {}
        for entry in person.history:
            if isinstance(entry, PositionChange) and entry.seq <= check_in.seq:
                answers.setdefault(entry.member_id, {})[entry.row_key] = entry.after
        rows = rows_as(answers)
        if previous is not None:
            rows = tuple(
                StripRow(r.number, r.topic, r.steps, changed=_moved(p.steps, r.steps))
                for r, p in zip(rows, previous, strict=True)
            )
        moments.append(StripMoment(on=check_in.on, rows=rows))
        previous = rows
    return PersonStrip(
        members=tuple(member_line(state.members[m], account) for m in members),
        rows=rows_as(now),
        moments=tuple(moments[-MOMENTS_SHOWN:]),
        earlier=max(0, len(moments) - MOMENTS_SHOWN),
    )
