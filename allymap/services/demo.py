"""A made-up intervention to explore allymap with: `allymap demo` adds it.

Everything in it is fictional, and says so: its code name starts with "Demo", and its
first team note says that nobody in it is real. It shows what a team's map looks like
after some weeks of work: a team of three (the account's own member, "You", and two
members added by name); a dozen people from across the person's whole life, with their
relationship to the person doing harm and to the person harmed, closeness, what they
might offer, other ways they could help, who may have to report, and consent at every
stage; each member's view on the ten rows with short evidence, some of them different
from another member's (to talk about; one already talked through); and a history:
views and consent that changed over about seven weeks (someone moved to "mixed" after a
hui, an ally stepped back). It is organised too: roles (the checklist's and two the team
named itself), support for one ally while another has none yet, a gap set aside with a
note while a few stay open, check-ins every couple of weeks and notes on the staircase of
change, each dated on its day.

The content is data, `demo.toml` beside this module (shipped as package data), read and
checked strictly by `demo_content` (`allymap.services.demo_data`). It is written through
the same services as real work, so it is encrypted like real work; its past days are
written with `engine.writing_at`, so each event's time is sealed with it the normal way.
Tests read `demo_content().texts()` to know every word the demo types in.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from itertools import count
from typing import Any, Final

from allymap.services import engine
from allymap.services.demo_data import (
    YOU,
    DemoConsent,
    DemoDataError,
    DemoIntervention,
    DemoNote,
    DemoPerson,
    DemoTalk,
    DemoView,
    demo_content,
)
from allymap.services.demo_organise import DemoCheckIn, DemoRole, DemoSetAside, DemoStair
from allymap.services.follow import check_in_add, staircase_note
from allymap.services.gaps import gap_set_aside
from allymap.services.interventions import intervention_start, interventions_list
from allymap.services.keyring import Keyring
from allymap.services.notes import note_add
from allymap.services.people import person_add, person_change
from allymap.services.positions import positions_record
from allymap.services.roles import (
    role_assign,
    role_limit_set,
    role_name,
    role_unassign,
    support_add,
)
from allymap.services.summary import difference_talked_through
from allymap.services.team import member_add

__all__ = [
    "ENDS_DAYS_AGO",
    "DemoDataError",
    "demo_code_name",
    "demo_content",
    "demo_intervention_add",
]

ENDS_DAYS_AGO: Final = 3
"""The demo's last day is this many days before the day it is added."""


def demo_code_name(number: int) -> str:
    """The code name of the `number`-th demo intervention in one place (1, 2, ...)."""
    code_name = demo_content().code_name
    return code_name if number == 1 else f"{code_name} ({number})"


def demo_intervention_add(*, keyring: Keyring, now: datetime | None = None) -> str:
    """Add the made-up intervention of `demo_content` to this account's work; return its id.

    Each call adds another, named with the first `demo_code_name` none of the account's
    interventions has yet, so a second demo is told apart from the first. Its history is
    dated in the past: day 0 is `last_day + ENDS_DAYS_AGO` days before `now` (default:
    the current time), and each step is written on its day, in order, through the
    services real work uses, with `engine.writing_at`: encrypted and sealed the same way.
    One change at a time: a failure part way (BusyTryAgain, a database error) leaves a
    demo with less in it, never a damaged one.
    Raises DemoDataError for a broken data file.
    """
    demo = demo_content()
    now = now or datetime.now(UTC)
    day_0 = (now - timedelta(days=demo.last_day + ENDS_DAYS_AGO)).replace(second=0, microsecond=0)
    where: dict[str, Any] = {"keyring": keyring}  # and, once started, "intervention_id"
    holders: dict[str, str] = {}  # member name, or alias → "<kind>:<id>"
    steps = _steps(demo, where, holders)
    steps += _organise_steps(demo, where, holders, day_0)
    steps.sort(key=lambda step: step[0])  # stable: file order
    for n, (day, write) in enumerate(steps):
        # The n-th step n minutes into its day, so the log's times only ever go forward.
        with engine.writing_at(day_0 + timedelta(days=day, minutes=n)):
            write()
    return str(where["intervention_id"])


Step = tuple[int, Callable[[], object]]
"""A day, and what to write on it."""


def _steps(demo: DemoIntervention, where: dict[str, Any], holders: dict[str, str]) -> list[Step]:
    """What `demo_intervention_add` writes of the team and the map, as (day, write) in
    file order; `where` holds the keyword arguments every service call takes (keyring,
    intervention id); `holders` is filled in with each member's and person's holder key."""
    keyring: Keyring = where["keyring"]
    ids: dict[str, str] = {YOU: keyring.account_id}  # member name, or alias → id
    holders[YOU] = f"member:{keyring.account_id}"

    def start() -> None:
        taken = {line.code_name for line in interventions_list(keyring=keyring)}
        code_name = next(name for n in count(1) if (name := demo_code_name(n)) not in taken)
        where["intervention_id"] = intervention_start(
            keyring=keyring,
            code_name=code_name,
            doing_harm_alias=demo.doing_harm_alias,
            harmed_alias=demo.harmed_alias,
        )

    def member(name: str) -> None:
        ids[name] = member_add(**where, name=name)
        holders[name] = f"member:{ids[name]}"

    def note(note: DemoNote) -> None:
        note_add(**where, text=note.text, person_id=ids[note.about] if note.about else "")

    steps: list[Step] = [(0, start)]
    steps += [(m.day, functools.partial(member, m.name)) for m in demo.members]
    for person in demo.people:
        steps += _person_steps(person, ids, holders, where)
    steps += [(n.day, functools.partial(note, n)) for n in demo.notes]
    return steps


def _person_steps(
    person: DemoPerson, ids: dict[str, str], holders: dict[str, str], where: dict[str, Any]
) -> list[Step]:
    """Add the person, then move their consent on, record each view, mark each talk."""
    alias = person.alias
    details = [person.details]  # as they stand now, for `person_change`
    seqs: dict[str, dict[str, int]] = {}  # member id → the rows their form would show

    def add() -> None:
        ids[alias] = person_add(**where, details=person.details)
        holders[alias] = f"person:{ids[alias]}"

    def consent(step: DemoConsent) -> None:
        details[0] = replace(details[0], consent=step.consent.value, asker=ids[step.asker])
        person_change(**where, person_id=ids[alias], details=details[0])

    def view(step: DemoView) -> None:
        member_id = ids[step.by]
        outcome = positions_record(
            **where,
            person_id=ids[alias],
            positions={a.row_key: (a.position, a.evidence) for a in step.answers},
            shown=seqs.get(member_id, {}),
            member_id=member_id,
        )
        if outcome.conflicts:  # it shows each member's own rows as they stand: cannot clash
            raise RuntimeError(f"{alias}: a view on day {step.day} clashed: {outcome.conflicts}")
        seqs[member_id] = dict(outcome.seqs)

    def talk(step: DemoTalk) -> None:
        difference_talked_through(
            **where,
            person_id=ids[alias],
            row_key=step.row_key,
            member_id=ids[step.by],
            note=step.note,
        )

    steps: list[Step] = [(person.day, add)]
    steps += [(step.day, functools.partial(consent, step)) for step in person.consents]
    steps += [(step.day, functools.partial(view, step)) for step in person.views]
    steps += [(step.day, functools.partial(talk, step)) for step in person.talks]
    return steps


def _organise_steps(
    demo: DemoIntervention, where: dict[str, Any], holders: dict[str, str], day_0: datetime
) -> list[Step]:
    """What `demo_intervention_add` writes of roles, support, a gap set aside, check-ins
    and the staircase, as (day, write) in file order. `holders` is filled in by the
    steps that add the team and the people, which run first on any day (file order)."""
    organise = demo.organise
    roles: dict[str, str] = {}  # a named role's name → its id

    def on(day: int) -> date:
        """The day a check-in or staircase note is about: the day it is written on."""
        return (day_0 + timedelta(days=day)).date()

    def limit(limit: int) -> None:
        role_limit_set(**where, limit=limit)

    def name(name: str) -> None:
        roles[name] = role_name(**where, name=name)

    def assign(role: DemoRole) -> None:
        role_assign(**where, role=roles.get(role.role, role.role), holder=holders[role.holder])

    def unassign(role: DemoRole) -> None:
        key = roles.get(role.role, role.role)
        role_unassign(**where, role=key, holder=holders[role.holder])

    def support(ally: str, by: str, outside: str) -> None:
        supporter = holders[by] if by else ""
        support_add(**where, ally=holders[ally], supporter=supporter, supporter_name=outside)

    def set_aside(aside: DemoSetAside) -> None:
        key = f"{aside.kind.value}:{holders[aside.about]}" if aside.about else aside.kind.value
        gap_set_aside(**where, gap_key=key, note=aside.note)  # refused if not showing

    def check_in(entry: DemoCheckIn) -> None:
        check_in_add(
            **where,
            on=on(entry.day),
            happened=entry.happened,
            wins=entry.wins,
            worries=entry.worries,
            revisit=[holders[alias].removeprefix("person:") for alias in entry.revisit],
        )

    def stair(entry: DemoStair) -> None:
        staircase_note(**where, step=entry.step, on=on(entry.day), text=entry.text)

    steps: list[Step] = []
    if organise.role_limit is not None:
        steps.append((0, functools.partial(limit, organise.role_limit)))
    steps += [(n.day, functools.partial(name, n.name)) for n in organise.named_roles]
    steps += [(r.day, functools.partial(assign, r)) for r in organise.roles]
    steps += [(r.until, functools.partial(unassign, r)) for r in organise.roles if r.until]
    steps += [
        (s.day, functools.partial(support, s.ally, s.by, s.outside)) for s in organise.supports
    ]
    steps += [(a.day, functools.partial(set_aside, a)) for a in organise.set_aside]
    steps += [(c.day, functools.partial(check_in, c)) for c in organise.check_ins]
    steps += [(n.day, functools.partial(stair, n)) for n in organise.staircase]
    return steps
