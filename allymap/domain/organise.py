"""The commands of organising and following through: roles, support for allies, gaps
set aside, check-ins, the staircase of change, and an ally's private self-check.

See `allymap.domain.commands` for what a command is; these are re-exported there.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from allymap.domain.errors import InvalidInput, Refusal
from allymap.domain.organise_events import (
    CheckInAdded,
    GapReopened,
    GapSetAside,
    RoleAssigned,
    RoleLimitSet,
    RoleNamed,
    RoleUnassigned,
    SelfCheckKept,
    StaircaseNoted,
    SupportAdded,
    SupportRemoved,
)
from allymap.domain.state import Holder, InterventionState
from allymap.domain.text import choice, id_, name
from allymap.domain.text import text as tidy
from allymap.domain.values import HolderKind, Role, Step

__all__ = [
    "CHECK_IN_MAX",
    "ROLE_LIMIT_MAX",
    "ROLE_NAME_MAX",
    "add_check_in",
    "add_support",
    "assign_role",
    "keep_self_check",
    "name_role",
    "note_staircase",
    "remove_support",
    "reopen_gap",
    "set_aside_gap",
    "set_role_limit",
    "unassign_role",
]

ROLE_NAME_MAX = 60
CHECK_IN_MAX = 3000
"""Each of a check-in's texts, and a staircase note."""
ROLE_LIMIT_MAX = 12
SELF_CHECK_MAX = 64_000
"""The sealed bytes of a self-check (ten rows of text, sealed)."""
_EARLIEST = date(2000, 1, 1)
_LATEST = date(2100, 12, 31)


def name_role(state: InterventionState, *, role_id: str, name: str) -> RoleNamed:
    """A role the team names itself. Its name must differ from the team's other named
    roles (letter case aside): else `DUPLICATE` on ``"name"``."""
    role_id = id_(role_id, "role_id")
    if role_id in state.custom_roles or role_id in {r.value for r in Role}:
        raise InvalidInput("role_id", Refusal.DUPLICATE)
    tidied = _role_name(name)
    if any(other.casefold() == tidied.casefold() for other in state.custom_roles.values()):
        raise InvalidInput("name", Refusal.DUPLICATE)
    return RoleNamed(role_id=role_id, name=tidied)


def assign_role(
    state: InterventionState, *, role: str, holder_kind: HolderKind | str, holder_id: str
) -> RoleAssigned | None:
    """Someone on the map or on the team takes on a role; None when they hold it already.

    `role` must be a `Role` value or a named role (else `NOT_A_CHOICE` on ``"role"``);
    the holder must be on the map or the team now (``"holder"``).
    """
    holder = _holder(state, holder_kind, holder_id, "holder")
    role = _known_role(state, role)
    if holder in state.roles.get(role, []):
        return None
    return RoleAssigned(role=role, holder_kind=holder.kind, holder_id=holder.id)


def unassign_role(
    state: InterventionState, *, role: str, holder_kind: HolderKind | str, holder_id: str
) -> RoleUnassigned | None:
    """Someone puts a role down; None when they do not hold it."""
    role = _known_role(state, role)
    holder = Holder(kind=choice(holder_kind, HolderKind, "holder"), id=str(holder_id))
    if holder not in state.roles.get(role, []):
        return None
    return RoleUnassigned(role=role, holder_kind=holder.kind, holder_id=holder.id)


def set_role_limit(state: InterventionState, *, limit: int) -> RoleLimitSet | None:
    """The most roles one person should carry before the team is shown a gap (1 to
    `ROLE_LIMIT_MAX`); None when it is already so."""
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= ROLE_LIMIT_MAX:
        raise InvalidInput("limit", Refusal.OUT_OF_RANGE, params={"limit": ROLE_LIMIT_MAX})
    return None if limit == state.role_limit else RoleLimitSet(limit=limit)


def add_support(
    state: InterventionState,
    *,
    support_id: str,
    ally_kind: HolderKind | str,
    ally_id: str,
    supporter_kind: HolderKind | str,
    supporter_id: str = "",
    supporter_name: str = "",
) -> SupportAdded:
    """Say who supports an ally: someone on the map or the team (`supporter_id`), or
    someone outside both, named in words (`supporter_kind` "outside", `supporter_name`
    required). Nobody supports themselves: `NOT_A_CHOICE` on ``"supporter"``."""
    support_id = id_(support_id, "support_id")
    if support_id in state.supports:
        raise InvalidInput("support_id", Refusal.DUPLICATE)
    ally = _holder(state, ally_kind, ally_id, "ally")
    kind = choice(supporter_kind, HolderKind, "supporter")
    if kind is HolderKind.OUTSIDE:
        named = name(supporter_name, "supporter_name", ROLE_NAME_MAX, required=True)
        return SupportAdded(
            support_id=support_id,
            ally_kind=ally.kind,
            ally_id=ally.id,
            supporter_kind=kind,
            supporter_name=named,
        )
    supporter = _holder(state, kind, supporter_id, "supporter")
    if supporter == ally:
        raise InvalidInput("supporter", Refusal.NOT_A_CHOICE)
    return SupportAdded(
        support_id=support_id,
        ally_kind=ally.kind,
        ally_id=ally.id,
        supporter_kind=supporter.kind,
        supporter_id=supporter.id,
    )


def remove_support(state: InterventionState, *, support_id: str) -> SupportRemoved | None:
    """End a support; None when it is not there (taken away already)."""
    return SupportRemoved(support_id=support_id) if support_id in state.supports else None


def set_aside_gap(
    state: InterventionState, *, gap_key: str, cause: str, note: str = ""
) -> GapSetAside:
    """Set a gap aside with a note. `gap_key` and `cause` come from `allymap.domain.gaps`
    (the program, not a person); the gap returns once its cause is no longer `cause`."""
    return GapSetAside(
        gap_key=_key(gap_key, "gap_key"),
        cause=_key(cause, "cause", empty=True),
        note=tidy(note, "note", CHECK_IN_MAX),
    )


def reopen_gap(state: InterventionState, *, gap_key: str) -> GapReopened | None:
    """Show a gap that was set aside again; None when it was not set aside."""
    return GapReopened(gap_key=gap_key) if gap_key in state.set_aside else None


def add_check_in(
    state: InterventionState,
    *,
    check_in_id: str,
    on: date,
    happened: str = "",
    wins: str = "",
    worries: str = "",
    revisit: Sequence[str] = (),
) -> CheckInAdded:
    """A dated check-in. At least one of its texts, or someone to revisit, is needed
    (`REQUIRED` on ``"happened"``); `revisit` are people on the map now."""
    check_in_id = id_(check_in_id, "check_in_id")
    if any(c.check_in_id == check_in_id for c in state.check_ins):
        raise InvalidInput("check_in_id", Refusal.DUPLICATE)
    texts = [
        tidy(happened, "happened", CHECK_IN_MAX),
        tidy(wins, "wins", CHECK_IN_MAX),
        tidy(worries, "worries", CHECK_IN_MAX),
    ]
    people = tuple(dict.fromkeys(state.person(pid).person_id for pid in revisit))
    if not any(texts) and not people:
        raise InvalidInput("happened", Refusal.REQUIRED)
    return CheckInAdded(
        check_in_id=check_in_id,
        on=_day(on),
        happened=texts[0],
        wins=texts[1],
        worries=texts[2],
        revisit=people,
    )


def note_staircase(
    state: InterventionState, *, note_id: str, step: Step | str, on: date, text: str = ""
) -> StaircaseNoted:
    """Where things stand on the staircase of change, on a day, in the team's words."""
    note_id = id_(note_id, "note_id")
    if any(n.note_id == note_id for n in state.staircase):
        raise InvalidInput("note_id", Refusal.DUPLICATE)
    return StaircaseNoted(
        note_id=note_id,
        step=choice(step, Step, "step"),
        on=_day(on),
        text=tidy(text, "text", CHECK_IN_MAX),
    )


def keep_self_check(state: InterventionState, *, sealed: bytes) -> SelfCheckKept:
    """Keep an ally's self-check, already sealed to its author's own key (the vault does
    that; the domain never sees the words). Empty bytes take it away."""
    if not isinstance(sealed, bytes) or len(sealed) > SELF_CHECK_MAX:
        raise InvalidInput("sealed", Refusal.INTERNAL)
    return SelfCheckKept(sealed=sealed)


def _known_role(state: InterventionState, role: str) -> str:
    if not isinstance(role, str) or (
        role not in {r.value for r in Role} and role not in state.custom_roles
    ):
        raise InvalidInput("role", Refusal.NOT_A_CHOICE)
    return role


def _holder(state: InterventionState, kind: HolderKind | str, holder_id: str, field: str) -> Holder:
    chosen = choice(kind, HolderKind, field)
    if chosen is HolderKind.OUTSIDE or not isinstance(holder_id, str):
        raise InvalidInput(field, Refusal.NOT_A_CHOICE)
    holder = Holder(kind=chosen, id=holder_id)
    if not state.holder_exists(holder):
        raise InvalidInput(field, Refusal.NOT_A_CHOICE)
    return holder


def _role_name(value: str) -> str:
    return name(value, "name", ROLE_NAME_MAX, required=True)


def _key(value: str, field: str, *, empty: bool = False) -> str:
    if not isinstance(value, str) or len(value) > 2000 or (not value and not empty):
        raise InvalidInput(field, Refusal.INTERNAL)
    return value


def _day(on: date) -> date:
    # A datetime is a date too, but not a day: refused, never stored as a time.
    if isinstance(on, datetime) or not isinstance(on, date) or not _EARLIEST <= on <= _LATEST:
        raise InvalidInput("on", Refusal.OUT_OF_RANGE)
    return on
