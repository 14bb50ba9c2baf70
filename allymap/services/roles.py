"""Roles and support for allies: who does what, and who supports each ally.

The roles checklist of the toolkit, plus roles the team names itself; anyone on the map
or on the team may hold several, and not every role must be filled. Every ally should
have someone who supports them (row 6 of the chart): someone on the map, a team member,
or someone outside both.
"""

from __future__ import annotations

from dataclasses import dataclass

from allymap.domain import (
    Event,
    Holder,
    HolderKind,
    InterventionState,
    InvalidInput,
    Perspective,
    Refusal,
    Role,
    add_support,
    assign_role,
    name_role,
    remove_support,
    set_role_limit,
    unassign_role,
)
from allymap.services import engine
from allymap.services.heading import Heading, heading_of
from allymap.services.keyring import Keyring

__all__ = [
    "HolderLine",
    "RoleLine",
    "RolesReading",
    "SupportLine",
    "holder_line",
    "role_assign",
    "role_limit_set",
    "role_name",
    "role_unassign",
    "roles_reading",
    "support_add",
    "support_remove",
]


@dataclass(frozen=True)
class HolderLine:
    """Someone who can hold a role or support an ally, as the pages show them.

    `kind` is "person" or "member"; `name` their alias or member name (empty for the
    reader's own member until named: the page says "You"); `is_you` for the reader's own
    member. `key` is ``"<kind>:<id>"``, what a form posts.
    """

    kind: str
    id: str
    name: str
    is_you: bool

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"


@dataclass(frozen=True)
class RoleLine:
    """A role and who holds it: `role` is a `Role` value or a named role's id; `name` is
    the team's name for a named role, empty for the checklist's (the web words those)."""

    role: str
    name: str
    holders: tuple[HolderLine, ...]


@dataclass(frozen=True)
class SupportLine:
    """Who supports an ally: `supporter` on the map or team, or `supporter_name` outside."""

    support_id: str
    ally: HolderLine
    supporter: HolderLine | None
    supporter_name: str


@dataclass(frozen=True)
class RolesReading:
    """The roles page: every role (the checklist's first, then the team's own), everyone
    who could hold one, the allies (holders of the accountability ally role) with their
    supports, and the team's limit of roles per person."""

    heading: Heading
    roles: tuple[RoleLine, ...]
    candidates: tuple[HolderLine, ...]
    allies: tuple[HolderLine, ...]
    supports: tuple[SupportLine, ...]
    role_limit: int


def holder_line(state: InterventionState, holder: Holder, account_id: str) -> HolderLine:
    """How `account_id` sees a holder (someone removed since keeps their name)."""
    if holder.kind is HolderKind.PERSON:
        return HolderLine("person", holder.id, state.people[holder.id].alias, False)
    member = state.members[holder.id]
    return HolderLine(
        "member",
        holder.id,
        member.name,
        bool(member.account_id) and member.account_id == account_id,
    )


def roles_reading(*, keyring: Keyring, intervention_id: str) -> RolesReading:
    """The roles page. Raises NotFound or DamagedRecord."""
    state = engine.open_log(keyring, intervention_id).state
    account = keyring.account_id

    def line(holder: Holder) -> HolderLine:
        return holder_line(state, holder, account)

    keys = [role.value for role in _offered(state)] + list(state.custom_roles)
    candidates = [Holder(kind=HolderKind.MEMBER, id=m.member_id) for m in state.active_members()]
    candidates += [Holder(kind=HolderKind.PERSON, id=p.person_id) for p in state.active_people()]
    allies = state.roles.get(Role.ACCOUNTABILITY_ALLY.value, [])
    return RolesReading(
        heading=heading_of(state),
        roles=tuple(
            RoleLine(
                role=key,
                name=state.custom_roles.get(key, ""),
                holders=tuple(line(h) for h in state.roles.get(key, [])),
            )
            for key in keys
        ),
        candidates=tuple(line(h) for h in candidates),
        allies=tuple(line(h) for h in allies),
        supports=tuple(
            SupportLine(
                support_id=support.support_id,
                ally=line(support.ally),
                supporter=line(support.supporter) if support.supporter else None,
                supporter_name=support.supporter_name,
            )
            for support in state.supports.values()
        ),
        role_limit=state.role_limit,
    )


def _offered(state: InterventionState) -> list[Role]:
    """The checklist's roles this map offers. On the person doing harm's own map, nobody
    is given "support for the person harmed": organising the person harmed's support is
    not theirs to do, and a map that names those supporters could be used against them."""
    if state.perspective is Perspective.OWN_ACCOUNTABILITY:
        return [role for role in Role if role is not Role.SUPPORT_HARMED]
    return list(Role)


def _split(key: str) -> tuple[str, str]:
    """``"<kind>:<id>"`` as posted by a form, into its kind and id ("" when malformed)."""
    kind, _, holder_id = key.partition(":")
    return kind, holder_id


def role_assign(*, keyring: Keyring, intervention_id: str, role: str, holder: str) -> None:
    """Give a role to a holder (``"<kind>:<id>"``); nothing when they hold it. Raises
    InvalidInput."""
    kind, holder_id = _split(holder)

    def decide(state: InterventionState) -> list[Event]:
        if role in {r.value for r in Role} and Role(role) not in _offered(state):
            raise InvalidInput("role", Refusal.NOT_A_CHOICE)
        made = assign_role(state, role=role, holder_kind=kind, holder_id=holder_id)
        return [] if made is None else [made]

    engine.run(keyring, intervention_id, decide)


def role_unassign(*, keyring: Keyring, intervention_id: str, role: str, holder: str) -> None:
    """Take a role from a holder; nothing when they do not hold it. Raises InvalidInput."""
    kind, holder_id = _split(holder)

    def decide(state: InterventionState) -> list[Event]:
        made = unassign_role(state, role=role, holder_kind=kind, holder_id=holder_id)
        return [] if made is None else [made]

    engine.run(keyring, intervention_id, decide)


def role_name(
    *, keyring: Keyring, intervention_id: str, name: str, proposed_id: str | None = None
) -> str:
    """Name a role of the team's own; return its id (posted twice: named once)."""
    role_id = engine.new_id(proposed_id, scope=f"role:{keyring.account_id}:{intervention_id}")

    def decide(state: InterventionState) -> list[Event]:
        if role_id in state.custom_roles:
            return []
        return [name_role(state, role_id=role_id, name=name)]

    engine.run(keyring, intervention_id, decide)
    return role_id


def role_limit_set(*, keyring: Keyring, intervention_id: str, limit: int) -> None:
    """The most roles one person should carry before it shows as a gap."""

    def decide(state: InterventionState) -> list[Event]:
        made = set_role_limit(state, limit=limit)
        return [] if made is None else [made]

    engine.run(keyring, intervention_id, decide)


def support_add(
    *,
    keyring: Keyring,
    intervention_id: str,
    ally: str,
    supporter: str = "",
    supporter_name: str = "",
    proposed_id: str | None = None,
) -> str:
    """Say who supports an ally (``"<kind>:<id>"``): a `supporter` on the map or team, or
    someone outside named in `supporter_name` (when `supporter` is empty or
    ``"outside"``). Returns the support's id. Raises InvalidInput."""
    support_id = engine.new_id(proposed_id, scope=f"support:{keyring.account_id}:{intervention_id}")
    ally_kind, ally_id = _split(ally)
    if supporter in ("", HolderKind.OUTSIDE.value):
        supporter_kind, supporter_id = HolderKind.OUTSIDE.value, ""
    else:
        supporter_kind, supporter_id = _split(supporter)

    def decide(state: InterventionState) -> list[Event]:
        if support_id in state.supports:
            return []
        return [
            add_support(
                state,
                support_id=support_id,
                ally_kind=ally_kind,
                ally_id=ally_id,
                supporter_kind=supporter_kind,
                supporter_id=supporter_id,
                supporter_name=supporter_name,
            )
        ]

    engine.run(keyring, intervention_id, decide)
    return support_id


def support_remove(*, keyring: Keyring, intervention_id: str, support_id: str) -> None:
    """End a support (nothing when it has ended already)."""

    def decide(state: InterventionState) -> list[Event]:
        made = remove_support(state, support_id=support_id)
        return [] if made is None else [made]

    engine.run(keyring, intervention_id, decide)
