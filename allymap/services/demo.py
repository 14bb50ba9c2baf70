"""A made-up intervention to explore allymap with: `allymap demo` adds it.

Everything in it is fictional, and says so: its code name starts with "Demo", and its
first team note says that nobody in it is real. It shows what a team's map can look like:
a person doing harm and a person harmed (by aliases), people from across the person's
whole life (whānau near and far, a kaumātua, an old friend, a workmate, a coach, church,
a neighbour, an online friend, a helpful professional), reflections on the ten rows with
short evidence in plain words (every position, and several people with rows on both
sides, because nobody is only one column), and a few team notes.

The content is data, `demo.toml` beside this module (shipped as package data), read and
checked strictly by `demo_content`. It is written through the same services as real work,
so it is encrypted like real work. Tests read `demo_content().texts()` to know every word
the demo types in.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import Any, Final, NoReturn

from allymap.chart import Position, default_chart
from allymap.services.interventions import intervention_start, interventions_list
from allymap.services.keyring import Keyring
from allymap.services.notes import note_add
from allymap.services.people import person_add
from allymap.services.positions import positions_record

DEMO_FILE: Final[Path] = Path(__file__).resolve().with_name("demo.toml")
"""The made-up intervention, as data."""


class DemoDataError(ValueError):
    """The demo's data file does not fit; the message names the file and the problem."""


@dataclass(frozen=True)
class DemoAnswer:
    """One row of the chart for one person: where the team placed them, and why."""

    row_key: str
    position: Position
    evidence: str


@dataclass(frozen=True)
class DemoPerson:
    """A made-up person on the map, with the rows the team has answered so far."""

    alias: str
    relationship: str
    answers: tuple[DemoAnswer, ...]


@dataclass(frozen=True)
class DemoNote:
    """A team note; `about` is the alias of a person in the demo, or empty for the whole
    intervention."""

    text: str
    about: str


@dataclass(frozen=True)
class DemoIntervention:
    """The whole made-up intervention, in the order `demo_intervention_add` writes it."""

    code_name: str
    doing_harm_alias: str
    harmed_alias: str
    people: tuple[DemoPerson, ...]
    notes: tuple[DemoNote, ...]

    def names(self) -> tuple[str, ...]:
        """The code name and every alias: the words that name someone."""
        aliases = (person.alias for person in self.people)
        return (self.code_name, self.doing_harm_alias, self.harmed_alias, *aliases)

    def texts(self) -> tuple[str, ...]:
        """Every text the demo types in: the names, relationships, evidence and notes."""
        texts = list(self.names())
        for person in self.people:
            texts.append(person.relationship)
            texts += (answer.evidence for answer in person.answers)
        texts += (note.text for note in self.notes)
        return tuple(text for text in texts if text)


@functools.cache
def demo_content() -> DemoIntervention:
    """The made-up intervention `allymap demo` adds, read from `DEMO_FILE` once.

    Raises DemoDataError naming the problem if the file does not fit: a missing or unknown
    key, a row the default chart does not have, a position that is not one, a note about
    someone who is not in the demo, or an alias used twice.
    """
    with DEMO_FILE.open("rb") as data:
        raw = tomllib.load(data)
    _keys(
        raw,
        "the file",
        known=_FILE_KEYS,
        required={"code_name", "doing_harm_alias", "people", "notes"},
    )
    people = tuple(_person(entry, n) for n, entry in enumerate(_tables(raw, "people"), 1))
    aliases = [person.alias for person in people]
    if len(set(aliases)) != len(aliases):
        _fail(f"an alias is used twice among the people: {aliases}")
    notes = tuple(_note(entry, n, set(aliases)) for n, entry in enumerate(_tables(raw, "notes"), 1))
    content = DemoIntervention(
        code_name=_text(raw, "code_name", "the file"),
        doing_harm_alias=_text(raw, "doing_harm_alias", "the file"),
        harmed_alias=_text(raw, "harmed_alias", "the file"),
        people=people,
        notes=notes,
    )
    if not content.code_name.startswith("Demo"):
        _fail(f"the code name must start with “Demo”, not {content.code_name!r}")
    return content


def demo_code_name(number: int) -> str:
    """The code name of the `number`-th demo intervention in one place (1, 2, ...)."""
    code_name = demo_content().code_name
    return code_name if number == 1 else f"{code_name} ({number})"


def demo_intervention_add(*, keyring: Keyring) -> str:
    """Add the made-up intervention of `demo_content` to this account's work; return its id.

    Each call adds another, named with the first `demo_code_name` none of the account's
    interventions has yet, so a second demo is told apart from the first. Everything goes
    through the services real work uses (so it is encrypted the same way), one change at
    a time: a failure part way (BusyTryAgain, a database error) leaves a demo with fewer
    people or answers, never a damaged one. Raises DemoDataError for a broken data file.
    """
    demo = demo_content()
    taken = {line.code_name for line in interventions_list(keyring=keyring)}
    code_name = next(name for n in count(1) if (name := demo_code_name(n)) not in taken)
    intervention_id = intervention_start(
        keyring=keyring,
        code_name=code_name,
        doing_harm_alias=demo.doing_harm_alias,
        harmed_alias=demo.harmed_alias,
    )
    person_ids: dict[str, str] = {}
    for person in demo.people:
        person_id = person_add(
            keyring=keyring,
            intervention_id=intervention_id,
            alias=person.alias,
            relationship=person.relationship,
        )
        person_ids[person.alias] = person_id
        if person.answers:
            positions_record(
                keyring=keyring,
                intervention_id=intervention_id,
                person_id=person_id,
                positions={a.row_key: (a.position, a.evidence) for a in person.answers},
            )
    for note in demo.notes:
        note_add(
            keyring=keyring,
            intervention_id=intervention_id,
            text=note.text,
            person_id=person_ids[note.about] if note.about else "",
        )
    return intervention_id


# --- reading the file strictly -------------------------------------------------------


_FILE_KEYS: Final = {"code_name", "doing_harm_alias", "harmed_alias", "people", "notes"}
_PERSON_KEYS: Final = {"alias", "relationship", "answers"}
_ANSWER_KEYS: Final = {"position", "evidence"}
_NOTE_KEYS: Final = {"text", "about"}


def _fail(problem: str) -> NoReturn:
    raise DemoDataError(f"{DEMO_FILE}: {problem}")


def _keys(table: Mapping[str, Any], where: str, *, known: set[str], required: set[str]) -> None:
    """Refuse keys outside `known` and missing `required` ones (a typo must not pass)."""
    if unknown := set(table) - known:
        _fail(f"{where} has keys allymap does not know: {sorted(unknown)}")
    if missing := required - set(table):
        _fail(f"{where} lacks {sorted(missing)}")


def _tables(raw: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        _fail(f"{key} must be a list of tables ([[{key}]])")
    return list(value)


def _text(table: Mapping[str, Any], key: str, where: str) -> str:
    value = table.get(key, "")
    if not isinstance(value, str):
        _fail(f"{where}: {key} must be text, not {value!r}")
    return str(value)


def _person(entry: Mapping[str, Any], number: int) -> DemoPerson:
    where = f"person {number}"
    _keys(entry, where, known=_PERSON_KEYS, required={"alias"})
    answers = entry.get("answers", {})
    if not isinstance(answers, dict):
        _fail(f"{where}: answers must be a table keyed by the chart's row keys")
    rows = default_chart().keys
    parsed = []
    for row_key, answer in answers.items():
        if row_key not in rows:
            _fail(f"{where}: {row_key!r} is not a row of the chart ({', '.join(rows)})")
        if not isinstance(answer, dict):
            _fail(f"{where}: the answer for {row_key} must be a table")
        _keys(answer, f"{where}, {row_key}", known=_ANSWER_KEYS, required={"position"})
        try:
            position = Position(answer["position"])
        except ValueError:
            _fail(f"{where}: {answer['position']!r} is not a position, for {row_key}")
        parsed.append(
            DemoAnswer(row_key, position, _text(answer, "evidence", f"{where}, {row_key}"))
        )
    return DemoPerson(
        alias=_text(entry, "alias", where),
        relationship=_text(entry, "relationship", where),
        answers=tuple(parsed),
    )


def _note(entry: Mapping[str, Any], number: int, aliases: set[str]) -> DemoNote:
    where = f"note {number}"
    _keys(entry, where, known=_NOTE_KEYS, required={"text"})
    about = _text(entry, "about", where)
    if about and about not in aliases:
        _fail(f"{where} is about {about!r}, who is not among the people")
    return DemoNote(text=_text(entry, "text", where), about=about)
