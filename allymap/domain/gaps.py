"""The gaps panel: what a team's plan is still missing, computed from the state alone.

`gaps(state, row_keys)` is pure: the same state gives the same gaps, in the same order.
Each `Gap` has a stable `key` (its kind and whom it is about, ids only) and a `cause`, a
short string of what it stands on, including the event that last changed it (so a gap
resolved and come back is a new cause); a gap the team set aside stays aside while its
cause is unchanged, and comes back when the cause changes (`open_gaps`). Gaps flag; they never
forbid anything, and they judge nobody: each names a thing to look at.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from allymap.chart.reflection import DISAGREEMENT_STEPS
from allymap.domain.state import ConsentChange, Holder, InterventionState, PositionChange
from allymap.domain.values import Consent, HolderKind, Role

__all__ = [
    "DISAGREEMENT_STEPS",
    "Gap",
    "GapKind",
    "gaps",
    "open_gaps",
    "rows_nobody_knows",
    "rows_to_talk_about",
]


class GapKind(StrEnum):
    """The kinds of gap, in the order the panel shows them."""

    NO_ALLY = "no_ally"
    """No accountability ally who has agreed yet."""
    ALLY_WITHOUT_SUPPORT = "ally_without_support"
    ALLY_NOT_AGREED = "ally_not_agreed"
    ROLES_MIXED = "roles_mixed"
    """Closely supporting the person harmed and also an accountability ally."""
    TOO_MANY_ROLES = "too_many_roles"
    UNKNOWN_ROWS = "unknown_rows"
    """A candidate with rows nobody knows about yet."""
    DIFFERENCES = "differences"
    """Differences between team members not talked through yet."""
    NOBODY_IN_TOUCH = "nobody_in_touch"
    """Nobody holds a role that keeps the team in touch (row 10)."""
    MOVED_AWAY = "moved_away"
    """Someone's positions moved towards "might get in the way" since the last check-in."""


@dataclass(frozen=True)
class Gap:
    """One gap: its kind, the holder or person it is about (if any), and its cause.

    `about` is a `Holder` (for role and support gaps: a person or a member) or None;
    `rows` are the chart row keys it concerns (unknown rows, differences, moves).
    """

    kind: GapKind
    about: Holder | None
    cause: str
    rows: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """Stable across changes of its cause: the kind and whom it is about."""
        return self.kind.value if self.about is None else f"{self.kind.value}:{self.about.key}"


# Roles that keep the team in touch with each other (the chart's row 10).
_IN_TOUCH = (Role.FACILITATOR.value, Role.COORDINATOR.value)
_CANDIDATE_CONSENT = (Consent.TO_ASK, Consent.ASKED, Consent.AGREED)
_ALLY = (Role.ACCOUNTABILITY_ALLY.value,)


def gaps(state: InterventionState, row_keys: Sequence[str]) -> list[Gap]:
    """Every gap of the state, set aside or not, in `GapKind` order then map order."""
    allies = state.roles.get(Role.ACCOUNTABILITY_ALLY.value, [])
    found: list[Gap] = []
    agreed = [h for h in allies if _consent(state, h) in (None, Consent.AGREED)]
    if not agreed:
        found.append(Gap(GapKind.NO_ALLY, None, ",".join(h.key for h in allies)))
    supported = {support.ally for support in state.supports.values()}
    for holder in allies:
        if holder not in supported:
            # Since they became an ally, or since a support of theirs last ended.
            since = max(_role_seq(state, holder, _ALLY), state.support_ended.get(holder.key, 0))
            found.append(Gap(GapKind.ALLY_WITHOUT_SUPPORT, holder, str(since)))
    for holder in allies:
        consent = _consent(state, holder)
        if consent is not None and consent is not Consent.AGREED:
            cause = f"{consent.value}@{_consent_seq(state, holder.id)}"
            found.append(Gap(GapKind.ALLY_NOT_AGREED, holder, cause))
    harmed_support = state.roles.get(Role.SUPPORT_HARMED.value, [])
    for holder in allies:
        if holder in harmed_support:
            since = _role_seq(state, holder, (*_ALLY, Role.SUPPORT_HARMED.value))
            found.append(Gap(GapKind.ROLES_MIXED, holder, str(since)))
    for holder in _holders(state):
        held = state.roles_of(holder)
        if len(held) > state.role_limit:
            cause = f"{len(held)}/{state.role_limit}@{_role_seq(state, holder)}"
            found.append(Gap(GapKind.TOO_MANY_ROLES, holder, cause))
    for person in state.active_people():
        holder = Holder(kind=HolderKind.PERSON, id=person.person_id)
        if holder in allies or person.consent in _CANDIDATE_CONSENT:
            unknown = rows_nobody_knows(state, person.person_id, row_keys)
            if unknown:
                found.append(Gap(GapKind.UNKNOWN_ROWS, holder, ",".join(unknown), unknown))
    for person in state.active_people():
        talk = rows_to_talk_about(state, person.person_id, row_keys)
        if talk:
            cause = ",".join(f"{key}@{seq}" for key, seq in talk)
            rows = tuple(key for key, _ in talk)
            found.append(
                Gap(
                    GapKind.DIFFERENCES,
                    Holder(kind=HolderKind.PERSON, id=person.person_id),
                    cause,
                    rows,
                )
            )
    if not any(state.roles.get(role) for role in _IN_TOUCH):
        since = max((c.seq for c in state.role_changes if c.role in _IN_TOUCH), default=0)
        found.append(Gap(GapKind.NOBODY_IN_TOUCH, None, str(since)))
    found += _moved_away(state)
    return found


def open_gaps(state: InterventionState, row_keys: Sequence[str]) -> tuple[list[Gap], list[Gap]]:
    """The gaps to show, and those set aside whose cause has not changed since."""
    shown: list[Gap] = []
    aside: list[Gap] = []
    for gap in gaps(state, row_keys):
        kept = state.set_aside.get(gap.key)
        (aside if kept is not None and kept.cause == gap.cause else shown).append(gap)
    return shown, aside


def rows_nobody_knows(
    state: InterventionState, person_id: str, row_keys: Sequence[str]
) -> tuple[str, ...]:
    """The rows of a person on which no team member has a known answer, in chart order."""
    person = state.people[person_id]
    known = {
        key for rows in person.positions.values() for key, e in rows.items() if e.position.known
    }
    return tuple(key for key in row_keys if key not in known)


def rows_to_talk_about(
    state: InterventionState, person_id: str, row_keys: Sequence[str]
) -> list[tuple[str, int]]:
    """The rows where team members' known answers are `DISAGREEMENT_STEPS` or more apart
    and that were not talked through since the latest answer: ``(row key, latest seq)``."""
    person = state.people[person_id]
    found = []
    for key in row_keys:
        entries = [rows[key] for rows in person.positions.values() if key in rows]
        steps = [step for e in entries if (step := e.position.step) is not None]
        if not steps or max(steps) - min(steps) < DISAGREEMENT_STEPS:
            continue
        latest = max(e.seq for e in entries)
        done = person.talked_through.get(key)
        if done is None or done.seq < latest:
            found.append((key, latest))
    return found


def _consent(state: InterventionState, holder: Holder) -> Consent | None:
    """A person's consent; None for a team member, who has agreed by being on the team."""
    if holder.kind is HolderKind.PERSON:
        return state.people[holder.id].consent
    return None


def _role_seq(state: InterventionState, holder: Holder, roles: Sequence[str] = ()) -> int:
    """The latest event that changed a holder's roles (only `roles`, when given): a cause
    that stood on the holder's roles changes whenever they do."""
    return max(
        (
            change.seq
            for change in state.role_changes
            if change.holder == holder and (not roles or change.role in roles)
        ),
        default=0,
    )


def _consent_seq(state: InterventionState, person_id: str) -> int:
    """The latest event that changed a person's consent (0 for none since they were added)."""
    return max(
        (e.seq for e in state.people[person_id].history if isinstance(e, ConsentChange)),
        default=0,
    )


def _holders(state: InterventionState) -> list[Holder]:
    """Everyone holding any role, each once, in the order they first took one on."""
    return list(dict.fromkeys(h for holders in state.roles.values() for h in holders))


def _moved_away(state: InterventionState) -> list[Gap]:
    """People whose answers moved towards "might get in the way" since the last check-in
    (nothing to compare with before the first check-in)."""
    if not state.check_ins:
        return []
    since = state.check_ins[-1].seq
    found = []
    for person in state.active_people():
        moves = [
            entry
            for entry in person.history
            if isinstance(entry, PositionChange)
            and entry.seq > since
            and entry.before.step is not None
            and entry.after.step is not None
            and entry.after.step > entry.before.step
        ]
        stepped_back = [
            entry
            for entry in person.history
            if isinstance(entry, ConsentChange)
            and entry.seq > since
            and entry.after is Consent.STEPPED_BACK
        ]
        if moves or stepped_back:
            seqs = ",".join(
                str(seq) for seq in sorted({e.seq for e in moves} | {e.seq for e in stepped_back})
            )
            rows = tuple(dict.fromkeys(entry.row_key for entry in moves))
            found.append(
                Gap(
                    GapKind.MOVED_AWAY,
                    Holder(kind=HolderKind.PERSON, id=person.person_id),
                    seqs,
                    rows,
                )
            )
    return found
