"""The team of an intervention: its members, and whose view is being recorded.

Positions belong to a team member, not to an account: at a hui the facilitator records
each member's view in their own right. Whoever started the intervention is its first
member (shown to them as "You"); the team adds others by a name it chooses, with no
account needed. A member may be linked to an account (`account_id`), which is how a
hosted deployment's other accounts will take part; an account on the team with no member
yet becomes one the first time it records a view (`member_for`).
"""

from __future__ import annotations

from dataclasses import dataclass

from allymap.domain import (
    Event,
    InterventionState,
    InvalidInput,
    MemberAdded,
    MemberState,
    Refusal,
    add_member,
    change_member,
    remove_member,
)
from allymap.services import engine
from allymap.services.heading import Heading, heading_of
from allymap.services.keyring import Keyring

__all__ = [
    "MemberLine",
    "TeamReading",
    "member_add",
    "member_for",
    "member_line",
    "member_remove",
    "member_rename",
    "members_of",
    "team_reading",
]


@dataclass(frozen=True)
class MemberLine:
    """A team member as the pages show them.

    `name` is the name the team chose, empty for the account's own member until it picks
    one; `is_you` is true for the member linked to the reading account (the page then
    says "You"); `can_leave` is false for a member linked to an account, who stays;
    `removed` marks someone who left, whose answers still show under their name.
    """

    member_id: str
    name: str
    is_you: bool
    can_leave: bool
    removed: bool = False


@dataclass(frozen=True)
class TeamReading:
    """The team page: the members now, in the order they joined."""

    heading: Heading
    members: tuple[MemberLine, ...]


def member_line(member: MemberState, account_id: str) -> MemberLine:
    """How `account_id` sees one member."""
    return MemberLine(
        member_id=member.member_id,
        name=member.name,
        is_you=bool(member.account_id) and member.account_id == account_id,
        can_leave=not member.account_id,
        removed=member.removed,
    )


def members_of(state: InterventionState, account_id: str) -> tuple[MemberLine, ...]:
    """The team now, as `account_id` sees it, the reader's own member first."""
    lines = [member_line(member, account_id) for member in state.active_members()]
    return tuple(sorted(lines, key=lambda line: not line.is_you))


def member_for(state: InterventionState, account_id: str) -> tuple[str, list[Event]]:
    """The member id of this account's own view, and the event that adds it when the
    account has no member yet (an account joining a hosted team). Raises InvalidInput
    (`NOT_A_CHOICE` on ``"member_id"``) when the account's member has left the team."""
    member = state.member_of(account_id)
    if member is not None and not member.removed:
        return member.member_id, []
    if member is None and account_id not in state.members:
        return account_id, [MemberAdded(member_id=account_id, name="", account_id=account_id)]
    # Its member left the team: the account records no view of its own until re-added.
    raise InvalidInput("member_id", Refusal.NOT_A_CHOICE)


def team_reading(*, keyring: Keyring, intervention_id: str) -> TeamReading:
    """The team page. Raises NotFound or DamagedRecord."""
    state = engine.open_log(keyring, intervention_id).state
    return TeamReading(heading=heading_of(state), members=members_of(state, keyring.account_id))


def member_add(
    *, keyring: Keyring, intervention_id: str, name: str, proposed_id: str | None = None
) -> str:
    """Add a team member by name; return their id. Raises InvalidInput.

    `proposed_id` is the form's token (`engine.new_id`): posted twice, added once.
    """
    member_id = engine.new_id(proposed_id, scope=f"member:{keyring.account_id}:{intervention_id}")

    def decide(state: InterventionState) -> list[Event]:
        if member_id in state.members:
            return []  # posted twice: the first post added them
        return [add_member(state, member_id=member_id, name=name)]

    engine.run(keyring, intervention_id, decide)
    return member_id


def member_rename(*, keyring: Keyring, intervention_id: str, member_id: str, name: str) -> None:
    """Change a team member's name (the account's own member too). Raises InvalidInput."""

    def decide(state: InterventionState) -> list[Event]:
        changed = change_member(state, member_id=member_id, name=name)
        return [] if changed is None else [changed]

    engine.run(keyring, intervention_id, decide)


def member_remove(*, keyring: Keyring, intervention_id: str, member_id: str) -> None:
    """Take a member off the team; what they recorded stays. Raises InvalidInput."""

    def decide(state: InterventionState) -> list[Event]:
        member = state.members.get(member_id)
        if member is not None and member.removed:
            return []  # posted twice
        return [remove_member(state, member_id=member_id)]

    engine.run(keyring, intervention_id, decide)
