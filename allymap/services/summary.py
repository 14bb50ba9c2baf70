"""A person's summary: what the team recorded about them, row by row, and its history.

Shaped once here for the person's page. It computes no score, rank or verdict: the rows
come first, each under its neutral topic with every team member's answer in the chart's
own words; then the answers counted column by column (the same answers as the rows); the
rows the team sees differently, side by side, to talk about; their details and consent;
and the history of positions and consent, newest first, a page at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from allymap.chart import Position, Row, Side, chart_by_id
from allymap.chart.reflection import DISAGREEMENT_STEPS
from allymap.domain import (
    ConsentChange,
    Event,
    InterventionState,
    PersonState,
    PositionChange,
    TalkedThrough,
    rows_to_talk_about,
    talk_through,
)
from allymap.services import engine
from allymap.services.heading import Heading, heading_of
from allymap.services.keyring import Keyring
from allymap.services.paging import Paging, paging_of
from allymap.services.people import Details
from allymap.services.team import MemberLine, member_line, members_of

__all__ = [
    "HISTORY_PAGE",
    "HistoryLine",
    "MemberAnswer",
    "PersonSummary",
    "SummaryRow",
    "Talked",
    "Tally",
    "difference_talked_through",
    "person_summary",
]


@dataclass(frozen=True)
class MemberAnswer:
    """One team member's answer on one row: the position, the chart's words for that side
    of the row (empty for "mixed" and "don't know yet"), and what makes them think so.

    `at` is when it was recorded; None for a row a member who reflected on this person
    left at "don't know yet" (what their reflection form shows for it), which is never
    stored as an event of its own.
    """

    member: MemberLine
    position: Position
    words: str
    evidence: str
    at: datetime | None


@dataclass(frozen=True)
class Talked:
    """The team talked a difference through: who marked it, when, and any note."""

    member: MemberLine
    at: datetime
    note: str


@dataclass(frozen=True)
class SummaryRow:
    """One row of the chart for this person.

    `answers` are the members' answers, in team order; `unknown` is true when nobody has
    a known answer (the row's questions are then questions to find out); `to_talk_about`
    is true when members' known answers are far apart and that has not been talked
    through since the latest answer; `talked` is the latest time it was, if any.
    """

    row: Row
    answers: tuple[MemberAnswer, ...]
    unknown: bool
    differs: bool
    to_talk_about: bool
    talked: Talked | None


@dataclass(frozen=True)
class Tally:
    """How many answers sit in one of the six positions (answers, not people: no score)."""

    position: Position
    count: int


@dataclass(frozen=True)
class HistoryLine:
    """One change, for the history: `kind` is "position", "consent" or "talked".

    For a position: `member` whose view, `row`, `before` and `after` (`Position` values),
    `text` the evidence. For consent: `before` and `after` (`Consent` values), `member`
    who will ask (or None). For a difference talked through: `member` who marked it,
    `row`, `text` the note.
    """

    kind: str
    at: datetime
    member: MemberLine | None
    row: Row | None
    before: str
    after: str
    text: str


@dataclass(frozen=True)
class PersonSummary:
    """Everything a person's page shows (see the module doc).

    Every member who has answered any row for this person has an answer on every row
    (a row they left is "don't know yet", as their reflection form shows it), so `tally`,
    which has all six positions in order, adds up to exactly the answers in `rows`;
    `unknown_rows` are the rows with no known answer (questions to find out);
    `answered` is false while nobody has answered any row (the page's empty state);
    `may_help_in_other_ways` is true when any answer sits on the might-get-in-the-way
    side, so the page can say that nobody is only one column; `history` is one page of
    the history, newest first, and `history_paging` where it sits among the others.
    """

    heading: Heading
    person_id: str
    details: Details
    asker: MemberLine | None
    rows: tuple[SummaryRow, ...]
    tally: tuple[Tally, ...]
    answered: bool
    to_talk_about: tuple[SummaryRow, ...]
    may_help_in_other_ways: bool
    history: tuple[HistoryLine, ...]
    history_paging: Paging
    members: tuple[MemberLine, ...]

    @property
    def unknown_rows(self) -> tuple[SummaryRow, ...]:
        return tuple(row for row in self.rows if row.unknown)


HISTORY_PAGE = 10
"""Changes on one page of a person's history: the page stays small however long it grows."""


def person_summary(
    *,
    keyring: Keyring,
    intervention_id: str,
    person_id: str,
    history_page: int = 1,
    history_size: int = HISTORY_PAGE,
) -> PersonSummary:
    """A person's page, with page `history_page` of their history (1 the newest,
    `history_size` changes to a page). Raises NotFound (also for a page of the history
    past the last), UnknownPerson or DamagedRecord.

    Worked out once for the current state and remembered with it (`engine.derived`)."""
    account = keyring.account_id
    _state, reading = engine.derived(
        keyring,
        intervention_id,
        ("summary", person_id, history_page, history_size),
        lambda state: _summary_of(state, account, person_id, history_page, history_size),
    )
    return reading


def _summary_of(
    state: InterventionState, account: str, person_id: str, history_page: int, history_size: int
) -> PersonSummary:
    person = state.person(person_id)
    history_paging = paging_of(len(person.history), size=history_size, number=history_page)
    chart = chart_by_id(state.chart_id, state.chart_version)
    team_order = {member_id: n for n, member_id in enumerate(state.members)}

    def who(member_id: str) -> MemberLine | None:
        member = state.members.get(member_id)
        return member_line(member, account) if member is not None else None

    # Whoever has answered any row has an answer on every row: the ones they left are
    # "don't know yet", as their form shows them. So the counts and the rows agree.
    answering = sorted(
        ((member_id, by_row) for member_id, by_row in person.positions.items() if by_row),
        key=lambda item: team_order.get(item[0], 0),
    )
    # The same rule as the gaps panel's "differences not talked through yet".
    to_talk_about = {key for key, _seq in rows_to_talk_about(state, person_id, chart.keys)}
    rows = []
    for row in chart.rows:
        answers = tuple(
            MemberAnswer(
                member=who_or_gone(state, member_id, account),
                position=entry.position,
                words=words_for(row, entry.position),
                evidence=entry.evidence,
                at=entry.at,
            )
            if (entry := by_row.get(row.key)) is not None
            else MemberAnswer(
                member=who_or_gone(state, member_id, account),
                position=Position.UNKNOWN,
                words="",
                evidence="",
                at=None,
            )
            for member_id, by_row in answering
        )
        talk = row.key in to_talk_about
        rows.append(_summary_row(state, person, row, answers, account, talk))
    tally = {position: 0 for position in Position}
    for summary_row in rows:
        for answer in summary_row.answers:
            tally[answer.position] += 1
    return PersonSummary(
        heading=heading_of(state),
        person_id=person.person_id,
        details=Details(
            alias=person.alias,
            relationship=person.relationship,
            relationship_harmed=person.relationship_harmed,
            closeness=person.closeness.value,
            offers=person.offers,
            other_ways=person.other_ways,
            reporting=person.reporting.value,
            consent=person.consent.value,
            asker=person.asker,
        ),
        asker=who(person.asker) if person.asker else None,
        rows=tuple(rows),
        tally=tuple(Tally(position, count) for position, count in tally.items()),
        answered=any(summary_row.answers for summary_row in rows),
        to_talk_about=tuple(summary_row for summary_row in rows if summary_row.to_talk_about),
        may_help_in_other_ways=any(
            answer.position.side is Side.IN_THE_WAY
            for summary_row in rows
            for answer in summary_row.answers
        ),
        history=tuple(_history(state, person, account, chart.rows, history_paging)),
        history_paging=history_paging,
        members=members_of(state, account),
    )


def difference_talked_through(
    *,
    keyring: Keyring,
    intervention_id: str,
    person_id: str,
    row_key: str,
    member_id: str | None = None,
    note: str = "",
) -> None:
    """Mark a row the team sees differently as talked through, by `member_id` (None: the
    account's own member, or the first member when the account has none on the team).

    Posted twice, it is marked once. Raises UnknownPerson or InvalidInput (a row nobody
    has answered, a member not on the team, a note that cannot be kept).
    """

    def decide(state: InterventionState) -> list[Event]:
        whose = member_id
        if whose is None:
            own = state.member_of(keyring.account_id)
            first = members_of(state, keyring.account_id)
            whose = own.member_id if own and not own.removed else first[0].member_id
        marked = talk_through(
            state, person_id=person_id, row_key=row_key, member_id=whose, note=note
        )
        return [] if marked is None else [marked]

    engine.run(keyring, intervention_id, decide)


def words_for(row: Row, position: Position) -> str:
    """The chart's words for the side of a row a position is on; none between the two
    columns or for "don't know yet"."""
    if position.side is Side.ALLY:
        return row.ally
    if position.side is Side.IN_THE_WAY:
        return row.in_the_way
    return ""


def who_or_gone(state: InterventionState, member_id: str, account_id: str) -> MemberLine:
    """The member whose answer it is (one who left keeps their name)."""
    return member_line(state.members[member_id], account_id)


def _summary_row(
    state: InterventionState,
    person: PersonState,
    row: Row,
    answers: tuple[MemberAnswer, ...],
    account_id: str,
    to_talk_about: bool,
) -> SummaryRow:
    steps = [step for answer in answers if (step := answer.position.step) is not None]
    differs = bool(steps) and max(steps) - min(steps) >= DISAGREEMENT_STEPS
    done = person.talked_through.get(row.key)
    talked = (
        Talked(member=who_or_gone(state, done.member_id, account_id), at=done.at, note=done.note)
        if done is not None
        else None
    )
    return SummaryRow(
        row=row,
        answers=answers,
        unknown=not steps,
        differs=differs,
        to_talk_about=to_talk_about,
        talked=talked,
    )


def _history(
    state: InterventionState,
    person: PersonState,
    account_id: str,
    rows: tuple[Row, ...],
    paging: Paging,
) -> list[HistoryLine]:
    """The page's lines of the person's history, newest first; only those are shaped."""
    by_key = {row.key: row for row in rows}
    lines: list[HistoryLine] = []
    for entry in person.history[::-1][paging.cut()]:
        match entry:
            case PositionChange():
                lines.append(
                    HistoryLine(
                        kind="position",
                        at=entry.at,
                        member=who_or_gone(state, entry.member_id, account_id),
                        row=by_key.get(entry.row_key),
                        before=entry.before.value,
                        after=entry.after.value,
                        text=entry.evidence,
                    )
                )
            case ConsentChange():
                lines.append(
                    HistoryLine(
                        kind="consent",
                        at=entry.at,
                        member=who_or_gone(state, entry.asker, account_id) if entry.asker else None,
                        row=None,
                        before=entry.before.value,
                        after=entry.after.value,
                        text="",
                    )
                )
            case TalkedThrough():
                lines.append(
                    HistoryLine(
                        kind="talked",
                        at=entry.at,
                        member=who_or_gone(state, entry.member_id, account_id),
                        row=by_key.get(entry.row_key),
                        before="",
                        after="",
                        text=entry.note,
                    )
                )
    return lines
