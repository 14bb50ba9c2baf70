"""The events of organising and following through: roles, support for allies, gaps set
aside, check-ins, the staircase of change, and an ally's private self-check.

They are declared like every other event (see `allymap.domain.events`, which lists them
in the `Event` union), and kept here so that each module stays readable.
"""

from __future__ import annotations

from datetime import date

import msgspec

from allymap.domain.values import HolderKind, Step

__all__ = [
    "CheckInAdded",
    "GapReopened",
    "GapSetAside",
    "RoleAssigned",
    "RoleLimitSet",
    "RoleNamed",
    "RoleUnassigned",
    "SelfCheckKept",
    "StaircaseNoted",
    "SupportAdded",
    "SupportRemoved",
]


class RoleNamed(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    tag_field="type",
    tag="role_named/1",
    forbid_unknown_fields=True,
):
    """The team named a role of its own; `role_id` is random, and is the role's key."""

    role_id: str
    name: str


class RoleAssigned(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    tag_field="type",
    tag="role_assigned/1",
    forbid_unknown_fields=True,
):
    """Someone took on a role: `role` is a `Role` value or a named role's id; the holder
    is someone on the map or a team member (`holder_kind`, `holder_id`)."""

    role: str
    holder_kind: HolderKind
    holder_id: str


class RoleUnassigned(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    tag_field="type",
    tag="role_unassigned/1",
    forbid_unknown_fields=True,
):
    """Someone no longer holds a role."""

    role: str
    holder_kind: HolderKind
    holder_id: str


class RoleLimitSet(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    tag_field="type",
    tag="role_limit_set/1",
    forbid_unknown_fields=True,
):
    """The most roles the team wants one person to carry before it shows as a gap."""

    limit: int


class SupportAdded(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    tag_field="type",
    tag="support_added/1",
    forbid_unknown_fields=True,
):
    """Who supports an ally. The ally is a person or member (`ally_kind`, `ally_id`);
    the supporter is a person or member (`supporter_id`) or someone outside both, named
    in `supporter_name`."""

    support_id: str
    ally_kind: HolderKind
    ally_id: str
    supporter_kind: HolderKind
    supporter_id: str = ""
    supporter_name: str = ""


class SupportRemoved(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    tag_field="type",
    tag="support_removed/1",
    forbid_unknown_fields=True,
):
    """A support was taken away (it lives on in the log)."""

    support_id: str


class GapSetAside(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    tag_field="type",
    tag="gap_set_aside/1",
    forbid_unknown_fields=True,
):
    """The team set a gap aside ("we know; leaving it for now"), with a note.

    `cause` is what the gap stood on when it was set aside (`allymap.domain.gaps`): the
    gap comes back when its cause changes.
    """

    gap_key: str
    cause: str
    note: str = ""


class GapReopened(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    tag_field="type",
    tag="gap_reopened/1",
    forbid_unknown_fields=True,
):
    """A gap set aside is shown again."""

    gap_key: str


class CheckInAdded(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    tag_field="type",
    tag="check_in_added/1",
    forbid_unknown_fields=True,
):
    """A check-in: on which day, what happened, small wins, worries, and whose position
    to revisit (person ids)."""

    check_in_id: str
    on: date
    happened: str = ""
    wins: str = ""
    worries: str = ""
    revisit: tuple[str, ...] = ()


class StaircaseNoted(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    tag_field="type",
    tag="staircase_noted/1",
    forbid_unknown_fields=True,
):
    """Where things stand on the staircase of change, on a day, in the team's words."""

    note_id: str
    step: Step
    on: date
    text: str = ""


class SelfCheckKept(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    tag_field="type",
    tag="self_check_kept/1",
    forbid_unknown_fields=True,
):
    """An ally's self-check, sealed to the author's own key: nobody else can open it.

    Empty `sealed` means the author took theirs away. It is never exported or printed.
    """

    sealed: bytes
