"""Starting, opening and changing interventions: the encrypted log made useful.

Every change follows one path (`_run`): open the current state, let a domain command
decide the events, encrypt them onto the chain, append with the expected seq. If another
writer got there first the append clashes, and the command is re-run against the new
state, so concurrent edits never overwrite each other.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from allymap.chart import Assessment, Position, Reflection, chart_by_id, default_chart, reflect
from allymap.domain import (
    STATE_FORMAT_VERSION,
    Event,
    InterventionState,
    PositionEntry,
    Recorded,
    add_person,
    decode_event,
    decode_state,
    encode_event,
    encode_state,
    fold,
    record_positions,
    start_intervention,
)
from allymap.services.access import intervention_ids_for, intervention_key_for
from allymap.services.errors import BusyTryAgain
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

# How often a writer who lost a race re-runs its command before giving up.
MAX_ATTEMPTS = 8


@dataclass(frozen=True)
class Opened:
    """An intervention's current state and the chain value of its last event."""

    state: InterventionState
    chain: bytes


def intervention_start(
    keyring: Keyring, *, code_name: str, doing_harm_alias: str, harmed_alias: str = ""
) -> str:
    """Start an intervention with this account as its first team member; return its id.

    Raises the domain's InvalidInput for text that does not fit, before anything is stored.
    """
    chart = default_chart()
    started = start_intervention(
        code_name=code_name,
        doing_harm_alias=doing_harm_alias,
        harmed_alias=harmed_alias,
        chart_id=chart.id,
        chart_version=chart.version,
    )
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


def _open(keyring: Keyring, intervention_id: str) -> Opened:
    key = intervention_key_for(keyring, intervention_id)
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


def intervention_open(keyring: Keyring, intervention_id: str) -> InterventionState:
    """The intervention's current state, verified and decrypted.

    Raises NotFound when the account is not on its team, and a vault error (ChainBroken,
    TamperedEvent, TamperedSnapshot) when its stored record was changed outside allymap.
    """
    return _open(keyring, intervention_id).state


@dataclass(frozen=True)
class Listed:
    """One line of an account's interventions: its state, or why it could not be opened."""

    intervention_id: str
    state: InterventionState | None
    problem: str = ""


def interventions_list(keyring: Keyring) -> list[Listed]:
    """Every intervention this account is on the team of, oldest first.

    One whose stored record fails its checks is listed with the problem instead of its
    state, so a damaged intervention neither hides the others nor is silently skipped.
    """
    listed = []
    for intervention_id in intervention_ids_for(keyring):
        try:
            listed.append(Listed(intervention_id, _open(keyring, intervention_id).state))
        except VaultError as problem:
            listed.append(Listed(intervention_id, None, str(problem)))
    return listed


def _run(
    keyring: Keyring,
    intervention_id: str,
    decide: Callable[[InterventionState], Sequence[Event]],
) -> InterventionState:
    """Append the events `decide` makes from the current state; return the new state.

    `decide` may run more than once (after a clash) and must only read the state.
    Writers to one intervention take turns for the length of one save (a row lock on
    PostgreSQL, an immediate write transaction on SQLite), so a slow writer is not starved
    by quicker ones; the unique seq still guards against any writer that does not.
    """
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
    keyring: Keyring,
    key: bytes,
    intervention_id: str,
    decide: Callable[[InterventionState], Sequence[Event]],
) -> InterventionState:
    """One try of `_run`: open, decide, seal onto the chain, append. Raises SeqClash."""
    opened = _open(keyring, intervention_id)
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


def person_add(keyring: Keyring, intervention_id: str, *, alias: str, relationship: str) -> str:
    """Add a person to the map; return their new random id."""
    person_id = random_id()
    _run(
        keyring,
        intervention_id,
        lambda state: [
            add_person(state, person_id=person_id, alias=alias, relationship=relationship)
        ],
    )
    return person_id


def positions_record(
    keyring: Keyring,
    intervention_id: str,
    *,
    person_id: str,
    positions: Mapping[str, tuple[Position, str]],
) -> InterventionState:
    """Record this account's positions (with evidence) for a person, row by row.

    Only rows that changed become events. Raises UnknownPerson or InvalidInput.
    """

    def decide(state: InterventionState) -> list[Event]:
        chart = chart_by_id(state.chart_id, state.chart_version)
        return list(
            record_positions(
                state,
                person_id=person_id,
                assessor=keyring.account_id,
                positions=positions,
                row_keys=chart.keys,
            )
        )

    return _run(keyring, intervention_id, decide)


def positions_of(
    state: InterventionState, *, person_id: str, assessor: str
) -> dict[str, PositionEntry]:
    """One assessor's current entries for a person, by row key (empty if none yet)."""
    return dict(state.person(person_id).positions.get(assessor, {}))


def person_reflection(state: InterventionState, *, person_id: str) -> Reflection:
    """Every team member's positions for one person, row by row, in the chart's terms."""
    chart = chart_by_id(state.chart_id, state.chart_version)
    person = state.person(person_id)
    return reflect(
        chart,
        [
            Assessment(
                assessor=assessor,
                row_key=row_key,
                position=entry.position,
                evidence=entry.evidence,
            )
            for assessor, rows in person.positions.items()
            for row_key, entry in rows.items()
        ],
    )
