"""The fold's part for organising and following through: roles, support, gaps set aside,
check-ins, the staircase and self-checks. `allymap.domain.fold` calls `apply_organise`;
its contract is the fold's (refuse what commands never make, with `FoldError`).
"""

from __future__ import annotations

from typing import TypeAlias, assert_never

from allymap.domain.errors import FoldError
from allymap.domain.events import Recorded
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
from allymap.domain.state import (
    CheckIn,
    Holder,
    InterventionState,
    RoleChange,
    SetAside,
    StairNote,
    Support,
)
from allymap.domain.values import HolderKind, Role

__all__ = ["OrganiseEvent", "apply_organise", "holder_leaves"]

OrganiseEvent: TypeAlias = (
    RoleNamed
    | RoleAssigned
    | RoleUnassigned
    | RoleLimitSet
    | SupportAdded
    | SupportRemoved
    | GapSetAside
    | GapReopened
    | CheckInAdded
    | StaircaseNoted
    | SelfCheckKept
)
"""The events this module folds (all in `allymap.domain.events.Event`)."""

_ROLES = frozenset(role.value for role in Role)


def apply_organise(state: InterventionState, event: OrganiseEvent, record: Recorded) -> None:
    """Apply one organising event to a state the fold owns."""
    match event:
        case RoleNamed():
            if event.role_id in state.custom_roles or event.role_id in _ROLES:
                raise FoldError(f"event {record.seq} names role {event.role_id!r} again")
            state.custom_roles[event.role_id] = event.name
        case RoleAssigned():
            holder = _holder(state, event.holder_kind, event.holder_id, record)
            holders = state.roles.setdefault(_role(state, event.role, record), [])
            if holder in holders:
                raise FoldError(f"event {record.seq} gives a role to someone who holds it")
            holders.append(holder)
            _changed(state, record, event.role, holder, assigned=True)
        case RoleUnassigned():
            holder = Holder(kind=event.holder_kind, id=event.holder_id)
            holders = state.roles.get(_role(state, event.role, record), [])
            if holder not in holders:
                raise FoldError(f"event {record.seq} takes a role from someone without it")
            holders.remove(holder)
            _changed(state, record, event.role, holder, assigned=False)
        case RoleLimitSet():
            if event.limit < 1:
                raise FoldError(f"event {record.seq} sets a role limit below one")
            state.role_limit = event.limit
        case SupportAdded():
            if event.support_id in state.supports:
                raise FoldError(f"event {record.seq} adds support {event.support_id!r} again")
            ally = _holder(state, event.ally_kind, event.ally_id, record)
            supporter = (
                None
                if event.supporter_kind is HolderKind.OUTSIDE
                else _holder(state, event.supporter_kind, event.supporter_id, record)
            )
            state.supports[event.support_id] = Support(
                support_id=event.support_id,
                ally=ally,
                supporter=supporter,
                supporter_name=event.supporter_name,
                at=record.at,
            )
        case SupportRemoved():
            ended = state.supports.pop(event.support_id, None)
            if ended is None:
                raise FoldError(f"event {record.seq} removes support that is not there")
            state.support_ended[ended.ally.key] = record.seq
        case GapSetAside():
            state.set_aside[event.gap_key] = SetAside(
                cause=event.cause, note=event.note, at=record.at
            )
        case GapReopened():
            state.set_aside.pop(event.gap_key, None)
        case CheckInAdded():
            if any(c.check_in_id == event.check_in_id for c in state.check_ins):
                raise FoldError(f"event {record.seq} adds check-in {event.check_in_id!r} again")
            state.check_ins.append(
                CheckIn(
                    check_in_id=event.check_in_id,
                    on=event.on,
                    happened=event.happened,
                    wins=event.wins,
                    worries=event.worries,
                    # Ids only: a person forgotten since stays an id that names nobody.
                    revisit=list(event.revisit),
                    seq=record.seq,
                    at=record.at,
                )
            )
        case StaircaseNoted():
            state.staircase.append(
                StairNote(
                    note_id=event.note_id,
                    step=event.step,
                    on=event.on,
                    text=event.text,
                    seq=record.seq,
                    at=record.at,
                )
            )
        case SelfCheckKept():
            if event.sealed:
                state.self_checks[record.author] = event.sealed
            else:
                state.self_checks.pop(record.author, None)
        case _:  # pragma: no cover - mypy proves every member has a case above
            assert_never(event)


def holder_leaves(state: InterventionState, holder: Holder, record: Recorded) -> None:
    """Someone left the map or the team: they put down their roles (in the timeline), and
    the support given to them or by them ends."""
    for role, holders in state.roles.items():
        if holder in holders:
            holders.remove(holder)
            _changed(state, record, role, holder, assigned=False)
    for support_id, support in list(state.supports.items()):
        if holder in (support.ally, support.supporter):
            del state.supports[support_id]
            state.support_ended[support.ally.key] = record.seq


def _role(state: InterventionState, role: str, record: Recorded) -> str:
    if role not in _ROLES and role not in state.custom_roles:
        raise FoldError(f"event {record.seq} names role {role!r}, which is not one")
    return role


def _holder(state: InterventionState, kind: HolderKind, holder_id: str, record: Recorded) -> Holder:
    holder = Holder(kind=kind, id=holder_id)
    if not state.holder_exists(holder):
        raise FoldError(f"event {record.seq} names {holder.key}, not on the map or the team")
    return holder


def _changed(
    state: InterventionState, record: Recorded, role: str, holder: Holder, *, assigned: bool
) -> None:
    state.role_changes.append(
        RoleChange(seq=record.seq, at=record.at, role=role, holder=holder, assigned=assigned)
    )
