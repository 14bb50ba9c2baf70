"""A full check of every intervention an account holds: what `allymap check` runs.

Opening an intervention reads its newest snapshot and replays only the events after it,
so damage to an event behind the snapshot goes unseen until then. The check reads every
log from its first event: each event's seal and place in the chain (`vault.decrypt_event`,
one by one, so one bad event does not hide the next), the events decode and fold, every
snapshot of this state format opens and equals the state replayed to its seq, and the log
is not older than its mark (`services.marks`). It reports each problem it finds and
changes nothing (it never writes a snapshot, as opening may).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from allymap.domain import (
    STATE_FORMAT_VERSION,
    EventDecodeError,
    FoldError,
    InterventionState,
    Recorded,
    StateDecodeError,
    decode_event,
    decode_state,
    encode_state,
    fold,
)
from allymap.services import marks
from allymap.services.access import intervention_key_for
from allymap.services.errors import NotFound
from allymap.services.keyring import Keyring
from allymap.store import log
from allymap.store.models import Event, Membership
from allymap.vault import VaultError, decrypt_event, decrypt_snapshot, genesis_chain


@dataclass(frozen=True)
class Problem:
    """One thing found wrong: in which intervention, at which event (if one), and what."""

    intervention_id: str
    seq: int | None
    what: str


@dataclass(frozen=True)
class Checked:
    """One intervention checked: events and snapshots read, and a digest of the replayed
    state (None if it could not be replayed), equal for equal content."""

    intervention_id: str
    events: int
    snapshots: int
    state_digest: str | None


@dataclass
class CheckReport:
    interventions: list[Checked] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def events_to_check(keyring: Keyring) -> int:
    """How many events the check of this account's interventions reads (for progress)."""
    return Event.objects.filter(intervention__memberships__account_id=keyring.account_id).count()


def check_all(*, keyring: Keyring, progress: Callable[[int], None] | None = None) -> CheckReport:
    """Check every intervention the account is on the team of; `progress` is told of each
    event read. An intervention its mark remembers but whose rows are gone is a problem."""
    report = CheckReport()
    ids = list(
        Membership.objects.filter(account_id=keyring.account_id)
        .order_by("created_at", "pk")
        .values_list("intervention_id", flat=True)
    )
    for intervention_id in ids:
        report.interventions.append(_check_one(keyring, intervention_id, report.problems, progress))
    for intervention_id in sorted(set(marks.marks_of(keyring.account_id)) - set(ids)):
        report.problems.append(
            Problem(intervention_id, None, "it was written here, but its rows are gone")
        )
    return report


def _check_one(
    keyring: Keyring,
    intervention_id: str,
    problems: list[Problem],
    progress: Callable[[int], None] | None,
) -> Checked:
    def problem(seq: int | None, what: str) -> None:
        problems.append(Problem(intervention_id, seq, what))

    try:
        key = intervention_key_for(keyring, intervention_id)
    except (VaultError, NotFound) as refused:
        problem(None, f"its key cannot be opened ({refused})")
        return Checked(intervention_id, 0, 0, None)
    stored = [sealed for sealed, _at in log.events_after(intervention_id, 0)]
    if not stored:
        problem(None, "it has no events")
    chain = genesis_chain(intervention_id)
    chains: dict[int, bytes] = {}
    records: list[Recorded] = []
    whole = True
    for expected, sealed in enumerate(stored, start=1):
        if sealed.seq != expected:
            problem(sealed.seq, f"found where event {expected} should be (one is missing)")
            whole = False
        try:
            plaintext = decrypt_event(
                key, intervention_id=intervention_id, prev_chain=chain, sealed=sealed
            )
            records.append(Recorded(sealed.seq, sealed.author, sealed.at, decode_event(plaintext)))
        except VaultError as refused:
            problem(sealed.seq, refused.message)
            whole = False
        except EventDecodeError as refused:
            problem(sealed.seq, f"it cannot be read by this allymap ({refused})")
            whole = False
        # Go on from the stored chain value, so each later event is checked on its own.
        chain = chains[sealed.seq] = sealed.chain
        if progress is not None:
            progress(1)
    snapshots = log.snapshots_of(intervention_id)
    states = (
        _replay(intervention_id, records, {s.seq for v, s in snapshots}, problem) if whole else None
    )
    for format_version, snapshot in snapshots:
        if format_version != STATE_FORMAT_VERSION:
            continue  # another format's: not read by this version, rebuilt from the log
        if snapshot.seq not in chains:
            problem(snapshot.seq, "a snapshot stands at an event that is not there")
            continue
        try:
            saved = decrypt_snapshot(
                key,
                intervention_id=intervention_id,
                chain=chains[snapshot.seq],
                format_version=format_version,
                sealed=snapshot,
            )
            snapshot_state = decode_state(saved)
        except (VaultError, StateDecodeError) as refused:
            problem(snapshot.seq, f"its snapshot: {refused}")
            continue
        if states is not None and encode_state(snapshot_state) != states.get(snapshot.seq):
            problem(snapshot.seq, "its snapshot does not match the state its events add up to")
    final = states.get(0) if states is not None else None
    _check_mark(keyring, intervention_id, stored[-1].seq if stored else 0, chain, problem)
    return Checked(
        intervention_id,
        len(stored),
        len(snapshots),
        None if final is None else hashlib.sha256(final).hexdigest(),
    )


def _replay(
    intervention_id: str,
    records: list[Recorded],
    stops: set[int],
    problem: Callable[[int | None, str], None],
) -> dict[int, bytes] | None:
    """The encoded state at each seq in `stops`, and at the end (key 0), from the first event."""
    if not records:
        return None
    states: dict[int, bytes] = {}
    state: InterventionState | None = None
    done = 0
    try:
        for stop in [*sorted(s for s in stops if s <= len(records)), len(records)]:
            state = fold(state, records[done:stop], intervention_id=intervention_id)
            states[stop] = encode_state(state)
            done = stop
    except FoldError as refused:
        problem(None, f"its events do not add up ({refused})")
        return None
    states[0] = states[len(records)]
    return states


def _check_mark(
    keyring: Keyring,
    intervention_id: str,
    seq: int,
    chain: bytes,
    problem: Callable[[int | None, str], None],
) -> None:
    """Report a log older than the head last written here (as opening does)."""
    mark = marks.marks_of(keyring.account_id).get(intervention_id)
    if mark is None:
        return
    if mark.seq > seq:
        problem(None, f"the log ends at event {seq}, but event {mark.seq} was written here")
    elif mark.seq == seq and mark.chain != chain:
        problem(seq, "it is not the event written here last")
    elif mark.seq < seq and log.chain_at(intervention_id, mark.seq) != mark.chain:
        problem(mark.seq, "it is not the event written here")
