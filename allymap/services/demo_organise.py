"""The demo's organising and following through, as data: roles, support for allies, a gap
set aside, check-ins and the staircase of change, read strictly from demo.toml.

`organise_content` reads the file's organising keys (`ORGANISE_KEYS`); `demo_data` reads
the rest and `allymap.services.demo` writes both. Someone holding a role, an ally, a
supporter and a gap's `about` are named the way the file names them elsewhere: a team
member's name, `YOU`, or the alias of someone on the map.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from allymap.domain import ROLE_LIMIT_MAX, GapKind, Role, Step
from allymap.services.demo_read import choice, day, fail, keys, tables, text

__all__ = [
    "ORGANISE_KEYS",
    "DemoCheckIn",
    "DemoNamedRole",
    "DemoOrganise",
    "DemoRole",
    "DemoSetAside",
    "DemoStair",
    "DemoSupport",
    "organise_content",
]


@dataclass(frozen=True)
class DemoNamedRole:
    """A role the team named itself on `day`."""

    day: int
    name: str


@dataclass(frozen=True)
class DemoRole:
    """A role taken on on `day` by `holder`, and put down on `until` (None: still held).
    `role` is a `Role` value or the name of a role the team named."""

    day: int
    role: str
    holder: str
    until: int | None


@dataclass(frozen=True)
class DemoSupport:
    """From `day`, `by` (on the map or the team) or `outside` (someone outside both,
    named in words) supports `ally`."""

    day: int
    ally: str
    by: str
    outside: str


@dataclass(frozen=True)
class DemoSetAside:
    """The gap of `kind` about `about` (empty for a gap about nobody in particular), set
    aside on `day` with `note`."""

    day: int
    kind: GapKind
    about: str
    note: str


@dataclass(frozen=True)
class DemoCheckIn:
    """A check-in on `day`: what happened, small wins, worries, and the aliases of the
    people whose position to revisit."""

    day: int
    happened: str
    wins: str
    worries: str
    revisit: tuple[str, ...]


@dataclass(frozen=True)
class DemoStair:
    """Where things stood on the staircase of change on `day`, in the team's words."""

    day: int
    step: Step
    text: str


@dataclass(frozen=True)
class DemoOrganise:
    """Everything the demo organises and follows through, as `demo_intervention_add`
    writes it; `role_limit` None keeps the default."""

    role_limit: int | None
    named_roles: tuple[DemoNamedRole, ...]
    roles: tuple[DemoRole, ...]
    supports: tuple[DemoSupport, ...]
    set_aside: tuple[DemoSetAside, ...]
    check_ins: tuple[DemoCheckIn, ...]
    staircase: tuple[DemoStair, ...]

    def names(self) -> tuple[str, ...]:
        """The names of supporters outside the map and the team."""
        return tuple(support.outside for support in self.supports if support.outside)

    def texts(self) -> tuple[str, ...]:
        """Every text typed in: named roles, supporters outside, the note of a gap set
        aside, each check-in's texts and each staircase note."""
        texts = [*(role.name for role in self.named_roles), *self.names()]
        texts += (aside.note for aside in self.set_aside)
        for check_in in self.check_ins:
            texts += (check_in.happened, check_in.wins, check_in.worries)
        texts += (stair.text for stair in self.staircase)
        return tuple(texts)

    def days(self) -> tuple[int, ...]:
        """The day of everything that happens here (a role put down too)."""
        found = [role.day for role in self.named_roles]
        found += [role.day for role in self.roles]
        found += [role.until for role in self.roles if role.until is not None]
        found += [support.day for support in self.supports]
        found += [aside.day for aside in self.set_aside]
        found += [check_in.day for check_in in self.check_ins]
        found += [stair.day for stair in self.staircase]
        return tuple(found)


ORGANISE_KEYS: Final = {
    *("role_limit", "named_roles", "roles", "supports", "set_aside", "check_ins"),
    "staircase",
}
_NAMED_ROLE_KEYS: Final = {"day", "name"}
_ROLE_KEYS: Final = {"day", "role", "holder", "until"}
_SUPPORT_KEYS: Final = {"day", "ally", "by", "by_outside"}
_SET_ASIDE_KEYS: Final = {"day", "gap", "about", "note"}
_CHECK_IN_KEYS: Final = {"day", "happened", "wins", "worries", "revisit"}
_STAIR_KEYS: Final = {"day", "step", "text"}


def organise_content(
    raw: Mapping[str, Any], holders: Mapping[str, int], aliases: set[str]
) -> DemoOrganise:
    """Read `ORGANISE_KEYS` of the file. `holders` maps every name of the team and every
    alias to the day they joined the team or the map; `aliases` are the people's. Raises
    DemoDataError for a key or value that does not fit, or someone named before their day.
    """
    limit = raw.get("role_limit")
    if limit is not None and (type(limit) is not int or not 1 <= limit <= ROLE_LIMIT_MAX):
        fail(f"role_limit must be a whole number from 1 to {ROLE_LIMIT_MAX}, not {limit!r}")

    def who(table: Mapping[str, Any], key: str, where: str, on: int, among: set[str]) -> str:
        name = choice(table, key, where, among, "")
        if holders[name] > on:
            fail(f"{where}: {key} {name!r} is not there yet on day {on}")
        return name

    named = []
    for n, entry in enumerate(tables(raw, "named_roles"), 1):
        where = f"named role {n}"
        keys(entry, where, known=_NAMED_ROLE_KEYS, required=_NAMED_ROLE_KEYS)
        named.append(DemoNamedRole(day(entry, where), text(entry, "name", where)))
    roles = []
    for n, entry in enumerate(tables(raw, "roles"), 1):
        where = f"role {n}"
        keys(entry, where, known=_ROLE_KEYS, required=_ROLE_KEYS - {"until"})
        on = day(entry, where)
        known = {r.value for r in Role} | {r.name for r in named if r.day <= on}
        until = day(entry, where, after=on + 1, key="until") if "until" in entry else None
        role = choice(entry, "role", where, known, "")
        roles.append(DemoRole(on, role, who(entry, "holder", where, on, set(holders)), until))
    supports = []
    for n, entry in enumerate(tables(raw, "supports"), 1):
        where = f"support {n}"
        keys(entry, where, known=_SUPPORT_KEYS, required={"day", "ally"})
        on = day(entry, where)
        if ("by" in entry) == ("by_outside" in entry):
            fail(f"{where} needs one of by (on the map or the team) and by_outside")
        supports.append(
            DemoSupport(
                day=on,
                ally=who(entry, "ally", where, on, set(holders)),
                by=who(entry, "by", where, on, set(holders)) if "by" in entry else "",
                outside=text(entry, "by_outside", where),
            )
        )
    set_aside = []
    for n, entry in enumerate(tables(raw, "set_aside"), 1):
        where = f"set aside {n}"
        keys(entry, where, known=_SET_ASIDE_KEYS, required={"day", "gap", "note"})
        on = day(entry, where)
        kind = GapKind(choice(entry, "gap", where, set(GapKind), ""))
        about = who(entry, "about", where, on, set(holders)) if "about" in entry else ""
        set_aside.append(DemoSetAside(on, kind, about, text(entry, "note", where)))
    check_ins = []
    for n, entry in enumerate(tables(raw, "check_ins"), 1):
        where = f"check-in {n}"
        keys(entry, where, known=_CHECK_IN_KEYS, required={"day"})
        on = day(entry, where)
        revisit = entry.get("revisit", [])
        if not isinstance(revisit, list):
            fail(f"{where}: revisit must be a list of aliases")
        check_ins.append(
            DemoCheckIn(
                day=on,
                happened=text(entry, "happened", where),
                wins=text(entry, "wins", where),
                worries=text(entry, "worries", where),
                revisit=tuple(
                    who({"revisit": alias}, "revisit", where, on, aliases) for alias in revisit
                ),
            )
        )
    staircase = []
    for n, entry in enumerate(tables(raw, "staircase"), 1):
        where = f"staircase {n}"
        keys(entry, where, known=_STAIR_KEYS, required=_STAIR_KEYS)
        step = Step(choice(entry, "step", where, set(Step), ""))
        staircase.append(DemoStair(day(entry, where), step, text(entry, "text", where)))
    return DemoOrganise(
        role_limit=limit,
        named_roles=tuple(named),
        roles=tuple(roles),
        supports=tuple(supports),
        set_aside=tuple(set_aside),
        check_ins=tuple(check_ins),
        staircase=tuple(staircase),
    )
