"""The log engine: start, open and change an intervention's encrypted event log.

Every change follows one path (`run`): open the current state, let a domain command
decide the events, encrypt them onto the chain, append with the expected seq. If another
writer got there first the append clashes, and the command is re-run against the new
state, so concurrent edits never overwrite each other. Snapshots are written here too.

A stored record that cannot be read, whatever found the problem (the vault's checks,
event or snapshot decoding, the fold), leaves here as one error, `DamagedRecord`.
The area modules (`interventions`, `people`, `positions`…) build on these functions;
nothing outside `allymap.services` calls them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from allymap.domain import (
    STATE_FORMAT_VERSION,
    Event,
    EventDecodeError,
    FoldError,
    InterventionStarted,
    InterventionState,
    Recorded,
    StateDecodeError,
    decode_event,
    decode_state,
    encode_event,
    encode_state,
    fold,
)
from allymap.services.access import intervention_key_for
from allymap.services.errors import BusyTryAgain, Damage, DamagedRecord
from allymap.services.keyring import Keyring
from allymap.store import log
from allymap.store.models import Intervention, Membership
from allymap.vault import (
    ChainBroken,
    SealedEvent,
    VaultError,
    decrypt_log,
    decrypt_snapshot,
    encrypt_event,
    encrypt_snapshot,
    genesis_chain,
    new_intervention_key,
    seal_intervention_key,
)

# How often a writer who lost a race re-runs its command before giving up.
MAX_ATTEMPTS = 8

Decide = Callable[[InterventionState], Sequence[Event]]
"""A command bound to its input: reads the current state, returns the events to append."""


@dataclass(frozen=True)
class Opened:
    """An intervention's current state and the chain value of its last event."""

    state: InterventionState
    chain: bytes


@contextmanager
def reading(intervention_id: str) -> Iterator[None]:
    """Turn every way of failing to read a stored record into `DamagedRecord`."""
    try:
        yield
    except VaultError as problem:
        raise DamagedRecord(intervention_id, Damage.CHANGED, str(problem)) from problem
    except (EventDecodeError, StateDecodeError) as problem:
        raise DamagedRecord(intervention_id, Damage.UNREADABLE, str(problem)) from problem
    except FoldError as problem:
        raise DamagedRecord(intervention_id, Damage.INCONSISTENT, str(problem)) from problem


def start(keyring: Keyring, started: InterventionStarted) -> str:
    """Create an intervention whose log begins with `started`, with this account as its
    first member holding a new key; return its random id."""
    key = new_intervention_key()
    at = timezone.now()
    with transaction.atomic():
        intervention = Intervention.objects.create()
        Membership.objects.create(
            intervention=intervention,
            account_id=keyring.account_id,
            sealed_key=seal_intervention_key(
                key,
                keyring.public_key,
                intervention_id=intervention.id,
                sender=keyring.private_key,
            ),
            sealed_by_id=keyring.account_id,
        )
        sealed = encrypt_event(
            key,
            intervention_id=intervention.id,
            seq=1,
            author=keyring.account_id,
            prev_chain=genesis_chain(intervention.id),
            plaintext=encode_event(started),
        )
        log.append(intervention.id, [sealed], at=at)
    keyring.intervention_keys[intervention.id] = key
    return intervention.id


def open_log(keyring: Keyring, intervention_id: str) -> Opened:
    """The intervention's current state, verified and decrypted, with its chain value.

    Raises NotFound when the account is not on its team, and DamagedRecord when its
    stored record cannot be read.
    """
    with reading(intervention_id):
        key = intervention_key_for(keyring, intervention_id)
        return _open(key, intervention_id)


def _open(key: bytes, intervention_id: str) -> Opened:
    state: InterventionState | None = None
    chain = genesis_chain(intervention_id)
    snapshot = log.latest_snapshot(intervention_id, STATE_FORMAT_VERSION)
    if snapshot is not None:
        stored_chain = log.chain_at(intervention_id, snapshot.seq)
        if stored_chain is None:
            raise ChainBroken(f"event {snapshot.seq} of intervention {intervention_id} is missing")
        # The events behind the snapshot are not replayed; at least make sure none of them
        # was dropped (one indexed count). A full check replays the whole chain.
        behind = log.count_through(intervention_id, snapshot.seq)
        if behind != snapshot.seq:
            raise ChainBroken(
                f"intervention {intervention_id} has {behind} events up to its snapshot at "
                f"{snapshot.seq}: {snapshot.seq - behind} missing"
            )
        plaintext = decrypt_snapshot(
            key,
            intervention_id=intervention_id,
            chain=stored_chain,
            format_version=STATE_FORMAT_VERSION,
            sealed=snapshot,
        )
        state = decode_state(plaintext)
        chain = stored_chain
    stored = log.events_after(intervention_id, 0 if state is None else state.seq)
    times = {sealed.seq: at for sealed, at in stored}
    records = []
    for sealed, plaintext in decrypt_log(
        key,
        intervention_id=intervention_id,
        events=[sealed for sealed, _ in stored],
        start_seq=1 if state is None else state.seq + 1,
        start_chain=chain,
    ):
        records.append(
            Recorded(sealed.seq, sealed.author, times[sealed.seq], decode_event(plaintext))
        )
        chain = sealed.chain
    if state is None and not records:
        raise ChainBroken(f"intervention {intervention_id} has no events")
    state = fold(state, records, intervention_id=intervention_id)
    if len(records) >= settings.ALLYMAP_SNAPSHOT_EVERY:
        # Missing or outdated snapshot (older format, a crash between append and
        # snapshot): rebuild it, so the next open is quick again.
        _save_snapshot(key, intervention_id, state=state, chain=chain)
    return Opened(state=state, chain=chain)


def run(keyring: Keyring, intervention_id: str, decide: Decide) -> InterventionState:
    """Append the events `decide` makes from the current state; return the new state.

    `decide` may run more than once (after a clash) and must only read the state; what
    it raises (a domain refusal, say) leaves here unchanged, with nothing stored.
    Writers to one intervention take turns for the length of one save (a row lock on
    PostgreSQL, an immediate write transaction on SQLite), so a slow writer is not starved
    by quicker ones; the unique seq still guards against any writer that does not.
    Raises NotFound, DamagedRecord, or BusyTryAgain after `MAX_ATTEMPTS` clashes.
    """
    with reading(intervention_id):
        key = intervention_key_for(keyring, intervention_id)
    for _attempt in range(MAX_ATTEMPTS):
        try:
            with transaction.atomic():
                Intervention.objects.select_for_update().filter(pk=intervention_id).exists()
                return _append_once(keyring, key, intervention_id, decide)
        except log.SeqClash:
            continue
    raise BusyTryAgain


def _append_once(
    keyring: Keyring, key: bytes, intervention_id: str, decide: Decide
) -> InterventionState:
    """One try of `run`: open, decide, seal onto the chain, append. Raises SeqClash."""
    with reading(intervention_id):
        opened = _open(key, intervention_id)
    events = decide(opened.state)
    if not events:
        return opened.state
    at = timezone.now()
    chain = opened.chain
    sealed_events: list[SealedEvent] = []
    records: list[Recorded] = []
    for seq, event in enumerate(events, start=opened.state.seq + 1):
        sealed = encrypt_event(
            key,
            intervention_id=intervention_id,
            seq=seq,
            author=keyring.account_id,
            prev_chain=chain,
            plaintext=encode_event(event),
        )
        sealed_events.append(sealed)
        records.append(Recorded(seq, keyring.account_id, at, event))
        chain = sealed.chain
    log.append(intervention_id, sealed_events, at=at)
    state = fold(opened.state, records, intervention_id=intervention_id)
    _snapshot_if_due(key, intervention_id, before=opened.state.seq, state=state, chain=chain)
    return state


def _snapshot_if_due(
    key: bytes, intervention_id: str, *, before: int, state: InterventionState, chain: bytes
) -> None:
    """Write a snapshot when this append crossed a multiple of ALLYMAP_SNAPSHOT_EVERY."""
    every: int = settings.ALLYMAP_SNAPSHOT_EVERY
    if state.seq // every != before // every:
        _save_snapshot(key, intervention_id, state=state, chain=chain)


def _save_snapshot(
    key: bytes, intervention_id: str, *, state: InterventionState, chain: bytes
) -> None:
    """Encrypt the state at its seq, bound to the chain value there, and keep it."""
    sealed = encrypt_snapshot(
        key,
        intervention_id=intervention_id,
        seq=state.seq,
        chain=chain,
        format_version=STATE_FORMAT_VERSION,
        plaintext=encode_state(state),
    )
    log.save_snapshot(intervention_id, STATE_FORMAT_VERSION, sealed)
