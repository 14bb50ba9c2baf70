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

import base64
import hashlib
import logging
import re
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar, cast

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from allymap.domain import (
    STATE_FORMAT_VERSION,
    Event,
    EventDecodeError,
    FoldError,
    InterventionStarted,
    InterventionState,
    InvalidInput,
    Recorded,
    Refusal,
    StateDecodeError,
    decode_event,
    decode_state,
    encode_event,
    encode_state,
    fold,
)
from allymap.services import kept, marks
from allymap.services.access import intervention_key_for
from allymap.services.errors import BusyTryAgain, Damage, DamagedRecord, NotFound
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
    random_id,
    seal_intervention_key,
)

logger = logging.getLogger(__name__)

# How often a writer who lost a race re-runs its command before giving up.
MAX_ATTEMPTS = 8

# A token a form proposes for what it makes (see `new_id`): URL-safe and long enough that
# it cannot be guessed.
_PROPOSED = re.compile(r"[A-Za-z0-9_-]{16,64}")


def new_id(proposed: str | None, *, scope: str) -> str:
    """The id for something new: derived from the token its form proposed, else random.

    A form proposes a token so that posting it twice makes the thing once: the second
    time the same id comes out and is already taken. The id is never the token itself:
    it is a keyed BLAKE2b of it within `scope` (the account, and what is being made), so
    it is as random as any other id, and no one can aim a token at an id someone else
    has or will have.
    """
    if not proposed or not _PROPOSED.fullmatch(proposed):
        return random_id()
    key = hashlib.blake2b(settings.SECRET_KEY.encode(), digest_size=32).digest()
    digest = hashlib.blake2b(
        f"{scope}\x00{proposed}".encode(), key=key, digest_size=16, person=b"allymap-form-id"
    ).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


_written_at: ContextVar[datetime | None] = ContextVar("allymap_written_at", default=None)


@contextmanager
def writing_at(at: datetime) -> Iterator[None]:
    """Write the events made inside this block as at `at` (timezone-aware), not now.

    For `allymap demo` alone (`allymap.services.demo`), which writes a made-up history
    spread over past weeks. The time still goes the normal way: sealed into each event's
    associated data and stored with it, never patched afterwards. Real work is always
    written at the time it happens: nothing else may use this.
    """
    if at.tzinfo is None:
        raise ValueError("writing_at needs a timezone-aware time")
    token = _written_at.set(at)
    try:
        yield
    finally:
        _written_at.reset(token)


def _now() -> datetime:
    """The time new events are written at: now, or the time `writing_at` set."""
    return _written_at.get() or timezone.now()


T = TypeVar("T")

Decide = Callable[[InterventionState], Sequence[Event]]
"""A command bound to its input: reads the current state, returns the events to append."""


@dataclass(frozen=True)
class Opened:
    """An intervention's current state and the chain value of its last event.

    `derived` holds what pages worked out from this state (`derived`): it
    lives and goes with the opening (kept between requests, `services.kept`)."""

    state: InterventionState
    chain: bytes
    derived: dict[Hashable, object] = field(default_factory=dict, compare=False, repr=False)


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


def start(keyring: Keyring, started: InterventionStarted, *, intervention_id: str) -> str:
    """Create an intervention whose log begins with `started`, with this account as its
    first member holding a new key; return its id.

    Raises InvalidInput (field ``intervention_id``, DUPLICATE) when the id is taken: the
    same form was posted twice.
    """
    key = new_intervention_key()
    at = _now()
    try:
        with transaction.atomic():
            return _start(keyring, key, started, intervention_id, at)
    except IntegrityError:
        raise InvalidInput("intervention_id", Refusal.DUPLICATE) from None


def _start(
    keyring: Keyring, key: bytes, started: InterventionStarted, intervention_id: str, at: datetime
) -> str:
    """The one transaction of `start`; IntegrityError when the id is taken."""
    if Intervention.objects.filter(pk=intervention_id).exists():
        raise IntegrityError(f"intervention {intervention_id} exists")
    intervention = Intervention.objects.create(id=intervention_id)
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
        at=at,
        prev_chain=genesis_chain(intervention.id),
        plaintext=encode_event(started),
    )
    log.append(intervention.id, [sealed])
    keyring.intervention_keys[intervention.id] = key
    _note_head(keyring, intervention.id, 1, sealed.chain)
    return intervention.id


def open_log(keyring: Keyring, intervention_id: str, *, check_mark: bool = True) -> Opened:
    """The intervention's current state, verified and decrypted, with its chain value.

    Raises NotFound when the account is not on its team, and DamagedRecord when its
    stored record cannot be read.

    Within one request (one keyring) a log opened before is not decrypted again while its
    newest stored event is still the one it ended at (same seq, same chain value, which
    binds every event before it): the same `Opened` is returned, so callers only read it.
    """
    with reading(intervention_id):
        key = _key_or_missing(keyring, intervention_id)
        opened = _opened_before(keyring, intervention_id) or _open_or_kept(
            keyring, key, intervention_id
        )
    keyring.opened[intervention_id] = opened
    if check_mark:
        _check_mark(keyring, intervention_id, opened)
    return opened


def derived(
    keyring: Keyring,
    intervention_id: str,
    key: Hashable,
    work: Callable[[InterventionState], T],
) -> tuple[InterventionState, T]:
    """The intervention's current state, and what `work` makes of it: worked out once
    for that state and remembered with its opening, for this account (kept between
    requests while nothing changes, and dropped with it: `services.kept`).

    `key` must name everything the result depends on besides the state and the account.
    Raises NotFound or DamagedRecord, as `open_log` does.
    """
    opened = open_log(keyring, intervention_id)
    remembered = (keyring.account_id, key)
    if remembered not in opened.derived:
        opened.derived[remembered] = work(opened.state)
    return opened.state, cast(T, opened.derived[remembered])


def _opened_before(keyring: Keyring, intervention_id: str) -> Opened | None:
    """What this keyring opened of the log earlier, if nothing was appended to it or
    replaced since; else None (and it is forgotten)."""
    earlier = keyring.opened.pop(intervention_id, None)
    if earlier is None or log.head(intervention_id) != (earlier.state.seq, earlier.chain):
        return None
    return earlier


def _open_or_kept(keyring: Keyring, key: bytes, intervention_id: str) -> Opened:
    """The opening kept from an earlier request if the stored rows it was made from are
    all still there, unchanged, and this key made it (`services.kept`); else a fresh open,
    kept if nothing was written meanwhile. Two queries read what a fresh open would
    check, without the snapshot's ciphertext; a fresh open then reads again, so it checks
    what it decrypts."""
    if not kept.enabled():
        return _open(key, intervention_id)
    since = kept.ticket() if keyring.kept_since is None else keyring.kept_since
    stored = log.stored_rows(intervention_id, STATE_FORMAT_VERSION)
    rows = kept.fingerprint(stored)
    found = kept.find(intervention_id, key, rows, reader=keyring.account_id, since=since)
    if found is not None:
        return found
    opened = _open(key, intervention_id)
    # Kept under the rows read before it was opened, and only if it ends where they end:
    # rows that changed in between make the next request's rows differ, so it opens
    # afresh rather than find this.
    if stored.head == (opened.state.seq, opened.chain):
        kept.keep(intervention_id, key, rows, opened, reader=keyring.account_id, since=since)
    return opened


def _key_or_missing(keyring: Keyring, intervention_id: str) -> bytes:
    """The intervention key; an intervention this account wrote to here but whose rows
    are gone is reported as missing, not as "not found" (which outsiders get)."""
    try:
        return intervention_key_for(keyring, intervention_id)
    except NotFound:
        if intervention_id in marks.marks_of(keyring.account_id):
            raise DamagedRecord(
                intervention_id, Damage.MISSING, "its rows or this account's place are gone"
            ) from None
        raise


def _check_mark(keyring: Keyring, intervention_id: str, opened: Opened) -> None:
    """Refuse a log older than the head last written here (see `marks`)."""
    mark = marks.marks_of(keyring.account_id).get(intervention_id)
    if mark is None:
        return
    seq = opened.state.seq
    if mark.seq > seq:
        problem = f"the log ends at event {seq}, but event {mark.seq} was written here"
    elif mark.seq == seq and mark.chain != opened.chain:
        problem = f"event {seq} is not the one written here"
    elif mark.seq < seq and log.chain_at(intervention_id, mark.seq) != mark.chain:
        problem = f"event {mark.seq} is not the one written here"
    else:
        return
    raise DamagedRecord(intervention_id, Damage.ROLLED_BACK, problem)


def _note_head(keyring: Keyring, intervention_id: str, seq: int, chain: bytes) -> None:
    """Once the write is committed, remember the log's new head outside the database."""
    mark = marks.Mark(seq=seq, chain=chain)
    transaction.on_commit(lambda: marks.note(keyring.account_id, intervention_id, mark))


def _open(key: bytes, intervention_id: str) -> Opened:
    """The log opened afresh: the newest snapshot and every event after it, verified."""
    state: InterventionState | None = None
    chain = genesis_chain(intervention_id)
    # The snapshot comes with the chain value at its seq and a count of the events behind
    # it, in one query: an open costs the same queries with or without a snapshot.
    reading = log.latest_snapshot_checked(intervention_id, STATE_FORMAT_VERSION)
    if reading is not None:
        snapshot, stored_chain = reading.sealed, reading.chain
        if stored_chain is None:
            raise ChainBroken(f"event {snapshot.seq} of intervention {intervention_id} is missing")
        # The events behind the snapshot are not replayed; at least make sure none of them
        # was dropped (one indexed count). A full check replays the whole chain.
        behind = reading.events_through
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
    # The state was decoded from the snapshot just now and is held nowhere else: folded in
    # place, not copied first (for a map of thousands of answers the copy cost more than
    # the rest of the open).
    state = fold(state, records, intervention_id=intervention_id, consume=True)
    if len(records) >= settings.ALLYMAP_SNAPSHOT_EVERY:
        # Missing or outdated snapshot (older format, a crash between append and
        # snapshot): rebuild it, so the next open is quick again. Only a speed-up: a
        # reader must not fail because the disk is full or another writer is busy.
        try:
            with transaction.atomic():
                _save_snapshot(key, intervention_id, state=state, chain=chain)
        except DatabaseError as problem:
            logger.warning("a snapshot could not be kept for now: %s", problem)
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
        intervention_key_for(keyring, intervention_id)
    for _attempt in range(MAX_ATTEMPTS):
        try:
            with transaction.atomic():
                Intervention.objects.select_for_update().filter(pk=intervention_id).exists()
                # Read the key again under the lock: forgetting a person replaces it (and
                # destroying removes it), so a key cached before the lock may be gone.
                keyring.intervention_keys.pop(intervention_id, None)
                with reading(intervention_id):
                    key = intervention_key_for(keyring, intervention_id)
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
    _check_mark(keyring, intervention_id, opened)
    events = decide(opened.state)
    if not events:
        return opened.state
    at = _now()
    chain = opened.chain
    sealed_events: list[SealedEvent] = []
    records: list[Recorded] = []
    for seq, event in enumerate(events, start=opened.state.seq + 1):
        sealed = encrypt_event(
            key,
            intervention_id=intervention_id,
            seq=seq,
            author=keyring.account_id,
            at=at,
            prev_chain=chain,
            plaintext=encode_event(event),
        )
        sealed_events.append(sealed)
        records.append(Recorded(seq, keyring.account_id, at, event))
        chain = sealed.chain
    log.append(intervention_id, sealed_events)
    _note_head(keyring, intervention_id, records[-1].seq, chain)
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
    """Encrypt the state at its seq, bound to the chain value there, keep it, and delete
    the snapshots it makes useless (older ones, and any of an older format).

    Only the newest snapshot is kept: opening reads nothing else, the log can always
    rebuild it, and each one is a full copy of the state (the file would otherwise grow
    with a copy of everything every ALLYMAP_SNAPSHOT_EVERY events). Nothing is written if
    the log changed under a reader since it was read (a person forgotten: new key, new
    chain; or the intervention destroyed): the intervention's lock makes that check hold.
    """
    sealed = encrypt_snapshot(
        key,
        intervention_id=intervention_id,
        seq=state.seq,
        chain=chain,
        format_version=STATE_FORMAT_VERSION,
        plaintext=encode_state(state),
    )
    with transaction.atomic():
        if (
            not log.intervention_lock(intervention_id)
            or log.chain_at(intervention_id, state.seq) != chain
        ):
            return
        log.save_snapshot(intervention_id, STATE_FORMAT_VERSION, sealed)
        log.snapshots_prune(
            intervention_id, newest_seq=state.seq, format_version=STATE_FORMAT_VERSION
        )


def whole_log(keyring: Keyring, intervention_id: str) -> list[Recorded]:
    """Every event of the log, decrypted and verified along the chain from the first.

    For reading an intervention's whole history (an export); opened first as every page
    opens it, so a log older than the one written here is reported, not read as the
    truth. Raises NotFound or DamagedRecord.
    """
    open_log(keyring, intervention_id)
    with reading(intervention_id):
        key = intervention_key_for(keyring, intervention_id)
        stored = log.events_after(intervention_id, 0)
        times = {sealed.seq: at for sealed, at in stored}
        records = [
            Recorded(sealed.seq, sealed.author, times[sealed.seq], decode_event(plaintext))
            for sealed, plaintext in decrypt_log(
                key, intervention_id=intervention_id, events=[sealed for sealed, _ in stored]
            )
        ]
        if not records:
            raise ChainBroken(f"intervention {intervention_id} has no events")
    return records


def start_with_history(
    keyring: Keyring, history: Sequence[tuple[datetime, Event]], *, intervention_id: str
) -> str:
    """Create an intervention whose log is `history`, with this account as its first
    member holding a new key, in one transaction; return its id.

    For an import: `history` begins with an `InterventionStarted`, and each event is sealed
    with the time it was first written (timezone-aware), so its history keeps its dates;
    this account is the author of every event. The caller has checked that the history
    folds; a FoldError leaves nothing stored, and so does a taken id: InvalidInput (field
    ``intervention_id``, DUPLICATE), the same form posted twice.
    """
    (first_at, started), rest = history[0], history[1:]
    if not isinstance(started, InterventionStarted):
        raise FoldError("an imported log must begin with the intervention's start")
    key = new_intervention_key()
    try:
        return _start_with_history(keyring, key, started, first_at, rest, intervention_id)
    except IntegrityError:
        raise InvalidInput("intervention_id", Refusal.DUPLICATE) from None


def _start_with_history(
    keyring: Keyring,
    key: bytes,
    started: InterventionStarted,
    first_at: datetime,
    rest: Sequence[tuple[datetime, Event]],
    intervention_id: str,
) -> str:
    """The one transaction of `start_with_history`; IntegrityError when the id is taken."""
    with transaction.atomic():
        _start(keyring, key, started, intervention_id, first_at)
        chain = log.chain_at(intervention_id, 1)
        assert chain is not None  # stored just now by `_start`
        sealed_events: list[SealedEvent] = []
        records = [Recorded(1, keyring.account_id, first_at, started)]
        for seq, (at, event) in enumerate(rest, start=2):
            sealed = encrypt_event(
                key,
                intervention_id=intervention_id,
                seq=seq,
                author=keyring.account_id,
                at=at,
                prev_chain=chain,
                plaintext=encode_event(event),
            )
            sealed_events.append(sealed)
            records.append(Recorded(seq, keyring.account_id, at, event))
            chain = sealed.chain
        if rest:
            log.append(intervention_id, sealed_events)
            _note_head(keyring, intervention_id, len(records), chain)
        state = fold(None, records, intervention_id=intervention_id)
        if state.seq >= settings.ALLYMAP_SNAPSHOT_EVERY:
            _save_snapshot(key, intervention_id, state=state, chain=chain)
    return intervention_id
