"""The made-up intervention of `allymap demo`, as data: `demo.toml`, read strictly.

`demo_content` reads the file beside this module (shipped as package data) once and
checks it: an unknown key (a typo) or a value that is not one of its choices is refused,
naming the file and the place. `allymap.services.demo` writes what it describes. The
people and the team are read here; roles, support for allies, a gap set aside,
check-ins and the staircase in `allymap.services.demo_organise`.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from allymap.chart import Position, default_chart
from allymap.domain import Closeness, Consent, Reporting
from allymap.services import demo_read as read
from allymap.services.demo_organise import ORGANISE_KEYS, DemoOrganise, organise_content
from allymap.services.demo_read import DAYS_MAX, YOU, DemoDataError
from allymap.services.people import Details

__all__ = [
    "DAYS_MAX",
    "DEMO_FILE",
    "YOU",
    "DemoAnswer",
    "DemoConsent",
    "DemoDataError",
    "DemoIntervention",
    "DemoMember",
    "DemoNote",
    "DemoOrganise",
    "DemoPerson",
    "DemoTalk",
    "DemoView",
    "demo_content",
]

DEMO_FILE: Final[Path] = Path(__file__).resolve().with_name("demo.toml")
"""The made-up intervention, as data."""


@dataclass(frozen=True)
class DemoAnswer:
    """One row of the chart in one member's view: where they place the person, and why."""

    row_key: str
    position: Position
    evidence: str


@dataclass(frozen=True)
class DemoView:
    """A team member's answers on some rows, recorded on `day`; `by` is a member's name
    or `YOU`."""

    day: int
    by: str
    answers: tuple[DemoAnswer, ...]


@dataclass(frozen=True)
class DemoConsent:
    """Where asking someone stood from `day` on, and who will ask (a name or `YOU`)."""

    day: int
    consent: Consent
    asker: str


@dataclass(frozen=True)
class DemoTalk:
    """A row the team saw differently, marked talked through on `day` by `by`."""

    day: int
    by: str
    row_key: str
    note: str


@dataclass(frozen=True)
class DemoPerson:
    """A made-up person, put on the map on `day` with `details` (consent: only an idea),
    and what happened about them afterwards."""

    day: int
    details: Details
    consents: tuple[DemoConsent, ...]
    views: tuple[DemoView, ...]
    talks: tuple[DemoTalk, ...]

    @property
    def alias(self) -> str:
        return self.details.alias

    @property
    def answers(self) -> tuple[DemoAnswer, ...]:
        """Every answer anyone gave about them, oldest first."""
        return tuple(answer for view in self.views for answer in view.answers)


@dataclass(frozen=True)
class DemoMember:
    """A team member added by name on `day`."""

    name: str
    day: int


@dataclass(frozen=True)
class DemoNote:
    """A team note; `about` is the alias of a person in the demo, or empty for the whole
    intervention."""

    day: int
    text: str
    about: str


@dataclass(frozen=True)
class DemoIntervention:
    """The whole made-up intervention, as `demo_intervention_add` writes it."""

    code_name: str
    doing_harm_alias: str
    harmed_alias: str
    members: tuple[DemoMember, ...]
    people: tuple[DemoPerson, ...]
    notes: tuple[DemoNote, ...]
    organise: DemoOrganise

    def names(self) -> tuple[str, ...]:
        """The code name, every alias, every member's name and the name of each supporter
        outside the map and the team: the words that name someone."""
        aliases = (person.alias for person in self.people)
        members = (member.name for member in self.members)
        outside = self.organise.names()
        return (
            *(self.code_name, self.doing_harm_alias, self.harmed_alias),
            *(*aliases, *members, *outside),
        )

    def texts(self) -> tuple[str, ...]:
        """Every text the demo types in: the names, each person's details, evidence, what
        was said when a difference was talked through, the team notes, the roles the team
        named, the note of a gap set aside, check-ins and staircase notes."""
        texts = list(self.names())
        for person in self.people:
            details = person.details
            texts += (details.relationship, details.relationship_harmed)
            texts += (details.offers, details.other_ways)
            texts += (answer.evidence for answer in person.answers)
            texts += (talk.note for talk in person.talks)
        texts += (note.text for note in self.notes)
        texts += self.organise.texts()
        return tuple(dict.fromkeys(text for text in texts if text))

    @property
    def last_day(self) -> int:
        """The day of the last thing that happens."""
        days = [m.day for m in self.members] + [n.day for n in self.notes]
        days += self.organise.days()
        for person in self.people:
            days += [person.day, *(c.day for c in person.consents)]
            days += [*(v.day for v in person.views), *(t.day for t in person.talks)]
        return max(days)


@functools.cache
def demo_content() -> DemoIntervention:
    """The made-up intervention `allymap demo` adds, read from `DEMO_FILE` once.

    Raises DemoDataError naming the file and the problem if it does not fit: a missing or
    unknown key, a row the default chart does not have, a value that is not one of its
    choices, a day out of range or before someone was on the map, a member who is not on
    the team, a note about someone who is not in the demo, or an alias used twice (or
    also a member's name).
    """
    with DEMO_FILE.open("rb") as data:
        raw = tomllib.load(data)
    try:
        return _content(raw)
    except DemoDataError as problem:
        raise DemoDataError(f"{DEMO_FILE}: {problem}") from None


def _content(raw: Mapping[str, Any]) -> DemoIntervention:
    required = _FILE_KEYS - {"harmed_alias", *ORGANISE_KEYS}
    read.keys(raw, "the file", known=_FILE_KEYS, required=required)
    members = tuple(_member(entry, n) for n, entry in enumerate(read.tables(raw, "members"), 1))
    team = {YOU, *(member.name for member in members)}
    if len(team) != len(members) + 1:
        read.fail(f"a member's name is used twice, or is {YOU!r}: {[m.name for m in members]}")
    people = tuple(_person(entry, n, team) for n, entry in enumerate(read.tables(raw, "people"), 1))
    aliases = [person.alias for person in people]
    if len(set(aliases)) != len(aliases) or team & set(aliases):
        read.fail(f"an alias is used twice among the people, or by the team: {aliases}")
    notes = tuple(
        _note(entry, n, set(aliases)) for n, entry in enumerate(read.tables(raw, "notes"), 1)
    )
    joined = {YOU: 0} | {m.name: m.day for m in members} | {p.alias: p.day for p in people}
    content = DemoIntervention(
        code_name=read.text(raw, "code_name", "the file"),
        doing_harm_alias=read.text(raw, "doing_harm_alias", "the file"),
        harmed_alias=read.text(raw, "harmed_alias", "the file"),
        members=members,
        people=people,
        notes=notes,
        organise=organise_content(raw, joined, set(aliases)),
    )
    if not content.code_name.startswith("Demo"):
        read.fail(f"the code name must start with “Demo”, not {content.code_name!r}")
    return content


# --- reading the file strictly -------------------------------------------------------


_FILE_KEYS: Final = {
    *("code_name", "doing_harm_alias", "harmed_alias", "members", "people", "notes"),
    *ORGANISE_KEYS,
}
_MEMBER_KEYS: Final = {"name", "day"}
_PERSON_KEYS: Final = {
    *("alias", "day", "relationship", "relationship_harmed", "closeness", "offers"),
    *("other_ways", "reporting", "consent", "views", "talked"),
}
_CONSENT_KEYS: Final = {"day", "consent", "asker"}
_VIEW_KEYS: Final = {"day", "by", "answers"}
_ANSWER_KEYS: Final = {"position", "evidence"}
_TALK_KEYS: Final = {"day", "by", "row", "note"}
_NOTE_KEYS: Final = {"day", "text", "about"}


def _member(entry: Mapping[str, Any], number: int) -> DemoMember:
    where = f"member {number}"
    read.keys(entry, where, known=_MEMBER_KEYS, required=_MEMBER_KEYS)
    return DemoMember(name=read.text(entry, "name", where), day=read.day(entry, where))


def _person(entry: Mapping[str, Any], number: int, team: set[str]) -> DemoPerson:
    where = f"person {number}"
    read.keys(entry, where, known=_PERSON_KEYS, required={"alias", "day"})
    day = read.day(entry, where)
    details = Details(
        alias=read.text(entry, "alias", where),
        relationship=read.text(entry, "relationship", where),
        relationship_harmed=read.text(entry, "relationship_harmed", where),
        closeness=read.choice(entry, "closeness", where, set(Closeness), Closeness.UNKNOWN),
        offers=read.text(entry, "offers", where),
        other_ways=read.text(entry, "other_ways", where),
        reporting=read.choice(entry, "reporting", where, set(Reporting), Reporting.UNKNOWN),
    )
    consents = []
    for n, step in enumerate(read.tables(entry, "consent", where), 1):
        at = f"{where}, consent {n}"
        read.keys(step, at, known=_CONSENT_KEYS, required=_CONSENT_KEYS)
        consents.append(
            DemoConsent(
                day=read.day(step, at, after=day),
                consent=Consent(read.choice(step, "consent", at, set(Consent), "")),
                asker=read.choice(step, "asker", at, team, ""),
            )
        )
    views = []
    for n, step in enumerate(read.tables(entry, "views", where), 1):
        at = f"{where}, view {n}"
        read.keys(step, at, known=_VIEW_KEYS, required=_VIEW_KEYS)
        views.append(
            DemoView(
                day=read.day(step, at, after=day),
                by=read.choice(step, "by", at, team, ""),
                answers=_answers(step["answers"], at),
            )
        )
    talks = []
    for n, step in enumerate(read.tables(entry, "talked", where), 1):
        at = f"{where}, talked {n}"
        read.keys(step, at, known=_TALK_KEYS, required={"day", "by", "row"})
        talks.append(
            DemoTalk(
                day=read.day(step, at, after=day),
                by=read.choice(step, "by", at, team, ""),
                row_key=read.choice(step, "row", at, set(default_chart().keys), ""),
                note=read.text(step, "note", at),
            )
        )
    return DemoPerson(day, details, tuple(consents), tuple(views), tuple(talks))


def _answers(answers: object, where: str) -> tuple[DemoAnswer, ...]:
    if not isinstance(answers, dict):
        read.fail(f"{where}: answers must be a table keyed by the chart's row keys")
    rows = default_chart().keys
    parsed = []
    for row_key, answer in answers.items():
        if row_key not in rows:
            read.fail(f"{where}: {row_key!r} is not a row of the chart ({', '.join(rows)})")
        if not isinstance(answer, dict):
            read.fail(f"{where}: the answer for {row_key} must be a table")
        read.keys(answer, f"{where}, {row_key}", known=_ANSWER_KEYS, required={"position"})
        position = read.choice(answer, "position", f"{where}, {row_key}", set(Position), "")
        evidence = read.text(answer, "evidence", f"{where}, {row_key}")
        parsed.append(DemoAnswer(row_key, Position(position), evidence))
    return tuple(parsed)


def _note(entry: Mapping[str, Any], number: int, aliases: set[str]) -> DemoNote:
    where = f"note {number}"
    read.keys(entry, where, known=_NOTE_KEYS, required={"day", "text"})
    about = read.text(entry, "about", where)
    if about and about not in aliases:
        read.fail(f"{where} is about {about!r}, who is not among the people")
    return DemoNote(day=read.day(entry, where), text=read.text(entry, "text", where), about=about)
