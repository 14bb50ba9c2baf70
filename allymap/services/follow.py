"""Following through over time: check-ins, the staircase of change, and one timeline.

A check-in is dated: what happened, small wins, worries, whose position to revisit. The
staircase notes where things stand, dated, in the team's words. The timeline puts them
together with role changes, consent changes and position changes, newest first.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from django.utils import timezone

from allymap.chart import Chart, Row, chart_by_id
from allymap.domain import (
    CheckIn,
    ConsentChange,
    Event,
    InterventionState,
    PositionChange,
    RoleChange,
    StairNote,
    Step,
    add_check_in,
    note_staircase,
)
from allymap.services import engine
from allymap.services.heading import Heading, heading_of
from allymap.services.keyring import Keyring
from allymap.services.paging import Paging, paging_of
from allymap.services.roles import HolderLine, holder_line
from allymap.services.team import MemberLine, member_line

__all__ = [
    "TIMELINE_KINDS",
    "TIMELINE_PAGE",
    "CheckInLine",
    "CheckInsReading",
    "PersonRef",
    "StairLine",
    "StaircasePage",
    "StaircaseReading",
    "TimelineDay",
    "TimelineLine",
    "TimelineReading",
    "check_in_add",
    "check_ins_reading",
    "staircase_note",
    "staircase_of",
    "staircase_reading",
    "timeline_reading",
]


@dataclass(frozen=True)
class PersonRef:
    """Someone on the map named in a check-in (`alias` empty when forgotten since)."""

    person_id: str
    alias: str
    on_map: bool


@dataclass(frozen=True)
class CheckInLine:
    """A check-in, for the timeline and the check-ins page."""

    check_in_id: str
    on: date
    happened: str
    wins: str
    worries: str
    revisit: tuple[PersonRef, ...]


@dataclass(frozen=True)
class StairLine:
    """A staircase note: the step (a `Step` value), the day, the team's words."""

    step: str
    on: date
    text: str


@dataclass(frozen=True)
class StaircaseReading:
    """Where things stand: the latest note's step (None before any), and every note,
    newest first."""

    current: str | None
    notes: tuple[StairLine, ...]

    @property
    def steps(self) -> tuple[str, ...]:
        """Every step's `Step` value, from the first step up."""
        return tuple(step.value for step in Step)


@dataclass(frozen=True)
class TimelineLine:
    """One entry of the timeline, newest first. `kind` says which fields are set:

    - "check_in": `check_in`; "staircase": `stair`;
    - "role": `holder` (and `person`, when the holder is someone on the map), `role` (a
      `Role` value or named role's id), `role_name` (a named
      role's name), `assigned`;
    - "consent": `person`, `before`, `after` (`Consent` values);
    - "position": `person`, `member`, `row`, `before`, `after` (`Position` values), `text`
      the evidence.

    `at` is when it was recorded; `on` the day a check-in or note is about; `day` the
    day the timeline files it under: `on`, else the local day of `at`.
    """

    kind: str
    at: datetime
    on: date | None = None
    check_in: CheckInLine | None = None
    stair: StairLine | None = None
    holder: HolderLine | None = None
    role: str = ""
    role_name: str = ""
    assigned: bool = False
    person: PersonRef | None = None
    member: MemberLine | None = None
    row: Row | None = None
    before: str = ""
    after: str = ""
    text: str = ""

    @property
    def day(self) -> date:
        return self.on if self.on is not None else timezone.localdate(self.at)


@dataclass(frozen=True)
class TimelineDay:
    """The timeline's lines of one day, newest first."""

    day: date
    lines: tuple[TimelineLine, ...]


@dataclass(frozen=True)
class TimelineReading:
    """One page of the timeline: its lines newest first (by `TimelineLine.day`, then by
    when it was recorded), the same lines grouped by day, and where the page sits among
    the others (`paging`)."""

    heading: Heading
    lines: tuple[TimelineLine, ...]
    staircase: StaircaseReading
    paging: Paging

    @property
    def days(self) -> tuple[TimelineDay, ...]:
        grouped: dict[date, list[TimelineLine]] = {}
        for line in self.lines:
            grouped.setdefault(line.day, []).append(line)
        return tuple(TimelineDay(day, tuple(lines)) for day, lines in grouped.items())


@dataclass(frozen=True)
class CheckInsReading:
    """The check-ins page: every check-in, newest first (by its day, then by when it was
    recorded), and the people on the map now, in the order they were added, to choose
    whose position to revisit."""

    heading: Heading
    check_ins: tuple[CheckInLine, ...]
    people: tuple[PersonRef, ...]


@dataclass(frozen=True)
class StaircasePage:
    """The staircase page: where things stand, and every note."""

    heading: Heading
    staircase: StaircaseReading


def staircase_of(state: InterventionState) -> StaircaseReading:
    """The staircase as it stands (ordered by day, then by when it was noted)."""
    notes = sorted(state.staircase, key=lambda n: (n.on, n.seq), reverse=True)
    return StaircaseReading(
        current=notes[0].step.value if notes else None,
        notes=tuple(StairLine(n.step.value, n.on, n.text) for n in notes),
    )


def _check_in(state: InterventionState, c: CheckIn) -> CheckInLine:
    return CheckInLine(
        c.check_in_id,
        c.on,
        c.happened,
        c.wins,
        c.worries,
        tuple(_person(state, pid) for pid in c.revisit),
    )


def check_ins_reading(*, keyring: Keyring, intervention_id: str) -> CheckInsReading:
    """The check-ins page. Raises NotFound or DamagedRecord."""
    state = engine.open_log(keyring, intervention_id).state
    newest = sorted(state.check_ins, key=lambda c: (c.on, c.seq), reverse=True)
    return CheckInsReading(
        heading=heading_of(state),
        check_ins=tuple(_check_in(state, c) for c in newest),
        people=tuple(PersonRef(p.person_id, p.alias, True) for p in state.active_people()),
    )


def staircase_reading(*, keyring: Keyring, intervention_id: str) -> StaircasePage:
    """The staircase page. Raises NotFound or DamagedRecord."""
    state = engine.open_log(keyring, intervention_id).state
    return StaircasePage(heading=heading_of(state), staircase=staircase_of(state))


def _person(state: InterventionState, person_id: str) -> PersonRef:
    person = state.people.get(person_id)
    if person is None:
        return PersonRef(person_id, "", False)
    return PersonRef(person_id, person.alias, not person.removed)


TIMELINE_KINDS = ("check_in", "staircase", "role", "consent", "position")
"""Every `TimelineLine.kind`, in the order a page offers them to show alone."""


TIMELINE_PAGE = 25
"""Lines on one page of the timeline: a page stays small however long the history grows."""

# One line before it is shaped: what it is filed under (day, then when it was recorded),
# its kind, what it is shaped from, and whom it is about (consent and positions; "").
_Source = CheckIn | StairNote | RoleChange | ConsentChange | PositionChange
_Found = tuple[date, int, str, _Source, str]


def timeline_reading(
    *,
    keyring: Keyring,
    intervention_id: str,
    kinds: Collection[str] = (),
    page: int = 1,
    size: int = TIMELINE_PAGE,
) -> TimelineReading:
    """One page of the intervention's timeline (page 1 the newest, `size` lines to a
    page): only the lines of `kinds`, when given (every kind otherwise). Raises NotFound
    (also for a page past the last) or DamagedRecord.

    Every line is filed and sorted, once for each state (remembered with it:
    `engine.derived`); only the page's lines are shaped for display."""
    wanted = frozenset(kinds) if kinds else frozenset(TIMELINE_KINDS)
    zone = timezone.get_current_timezone()
    state, found = engine.derived(
        keyring,
        intervention_id,
        ("timeline", wanted, str(zone)),
        lambda state: _timeline_filed(state, wanted, zone),
    )
    paging = paging_of(len(found), size=size, number=page)
    chart = chart_by_id(state.chart_id, state.chart_version)
    return TimelineReading(
        heading=heading_of(state),
        lines=tuple(
            _timeline_line(state, chart, keyring.account_id, item) for item in found[paging.cut()]
        ),
        staircase=staircase_of(state),
        paging=paging,
    )


def _timeline_filed(
    state: InterventionState, wanted: frozenset[str], zone: tzinfo
) -> tuple[_Found, ...]:
    """Every line of the timeline of `wanted` kinds, newest first."""

    # The local day of each line, as `timezone.localdate` gives it, with the zone looked
    # up once rather than once a line (every line is filed, so this runs thousands of times).
    def local_day(at: datetime) -> date:
        return at.astimezone(zone).date()

    found: list[_Found] = []
    if "check_in" in wanted:
        found.extend((c.on, c.seq, "check_in", c, "") for c in state.check_ins)
    if "staircase" in wanted:
        found.extend((n.on, n.seq, "staircase", n, "") for n in state.staircase)
    if "role" in wanted:
        found.extend((local_day(r.at), r.seq, "role", r, "") for r in state.role_changes)
    for person in state.people.values():
        for entry in person.history:
            if isinstance(entry, ConsentChange) and "consent" in wanted:
                kind = "consent"
            elif isinstance(entry, PositionChange) and "position" in wanted:
                kind = "position"
            else:
                continue
            found.append((local_day(entry.at), entry.seq, kind, entry, person.person_id))
    # Newest first by the day each is about (a check-in can be written up days later),
    # then by when it was recorded.
    found.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return tuple(found)


def _timeline_line(
    state: InterventionState, chart: Chart, account: str, item: _Found
) -> TimelineLine:
    """Shape one filed line for display."""
    _day, _seq, kind, source, person_id = item
    if isinstance(source, CheckIn):
        line = _check_in(state, source)
        return TimelineLine(kind=kind, at=source.at, on=source.on, check_in=line)
    if isinstance(source, StairNote):
        stair = StairLine(source.step.value, source.on, source.text)
        return TimelineLine(kind=kind, at=source.at, on=source.on, stair=stair)
    if isinstance(source, RoleChange):
        return TimelineLine(
            kind=kind,
            at=source.at,
            holder=holder_line(state, source.holder, account),
            # Someone on the map is linked to their page while they are on it.
            person=_person(state, source.holder.id) if source.holder.kind == "person" else None,
            role=source.role,
            role_name=state.custom_roles.get(source.role, ""),
            assigned=source.assigned,
        )
    ref = _person(state, person_id)
    if isinstance(source, ConsentChange):
        return TimelineLine(
            kind=kind,
            at=source.at,
            person=ref,
            before=source.before.value,
            after=source.after.value,
        )
    return TimelineLine(
        kind=kind,
        at=source.at,
        person=ref,
        member=member_line(state.members[source.member_id], account),
        row=chart.row(source.row_key),
        before=source.before.value,
        after=source.after.value,
        text=source.evidence,
    )


def check_in_add(
    *,
    keyring: Keyring,
    intervention_id: str,
    on: date,
    happened: str = "",
    wins: str = "",
    worries: str = "",
    revisit: Sequence[str] = (),
    proposed_id: str | None = None,
) -> str:
    """Add a dated check-in; return its id (posted twice: added once). Raises
    InvalidInput or UnknownPerson (someone to revisit who is not on the map)."""
    check_in_id = engine.new_id(
        proposed_id, scope=f"check-in:{keyring.account_id}:{intervention_id}"
    )

    def decide(state: InterventionState) -> list[Event]:
        if any(c.check_in_id == check_in_id for c in state.check_ins):
            return []
        return [
            add_check_in(
                state,
                check_in_id=check_in_id,
                on=on,
                happened=happened,
                wins=wins,
                worries=worries,
                revisit=revisit,
            )
        ]

    engine.run(keyring, intervention_id, decide)
    return check_in_id


def staircase_note(
    *,
    keyring: Keyring,
    intervention_id: str,
    step: Step | str,
    on: date,
    text: str = "",
    proposed_id: str | None = None,
) -> str:
    """Note where things stand on the staircase of change; return the note's id."""
    note_id = engine.new_id(proposed_id, scope=f"stair:{keyring.account_id}:{intervention_id}")

    def decide(state: InterventionState) -> list[Event]:
        if any(n.note_id == note_id for n in state.staircase):
            return []
        return [note_staircase(state, note_id=note_id, step=step, on=on, text=text)]

    engine.run(keyring, intervention_id, decide)
    return note_id
