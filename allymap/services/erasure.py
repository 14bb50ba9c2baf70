"""Erasing for good: forgetting a person, and destroying a whole intervention.

Removing a person (`people.person_remove`) takes them off the map and keeps the history.
Forgetting erases it: a person on the map asks to be left out, or the team decides, and
everything recorded about them goes: every version of their alias and relationship,
every position anyone recorded about them, and every note about them. Destroying an
intervention erases all of it, for every member.

Threat: someone who later holds a copy of the database (a laptop taken, a folder copied)
must not find what was erased, in any form. A hidden flag would not do, nor would
deleting their events alone, because the old ciphertext would still open under the key
that every member keeps. So forgetting rewrites the intervention's log without them,
under a new key, with new sequence numbers and a new chain (authors and times kept),
gives every member the new key, and deletes every old event, snapshot and sealed key, in
one transaction. Then the database is asked to let go of the freed bytes
(`store.log.space_reclaim`: on SQLite, with `secure_delete` on, a WAL checkpoint and a
VACUUM). What that does and does not reach (backups, copies made earlier, PostgreSQL's
free space and write-ahead log) is in docs/threat-model.md.

A note about the intervention as a whole, or about someone else, that happens to
mention the forgotten person is kept as written: allymap cannot know what text means.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import assert_never

from django.conf import settings
from django.db import transaction

from allymap.chart import chart_by_id
from allymap.domain import (
    STATE_FORMAT_VERSION,
    CheckInAdded,
    ConsentChanged,
    DifferenceTalkedThrough,
    Event,
    GapReopened,
    GapSetAside,
    HolderKind,
    InterventionArchived,
    InterventionChanged,
    InterventionStarted,
    InterventionState,
    MemberAdded,
    MemberChanged,
    MemberRemoved,
    NoteAdded,
    PersonAdded,
    PersonChanged,
    PersonRemoved,
    PositionRecorded,
    Recorded,
    RoleAssigned,
    RoleLimitSet,
    RoleNamed,
    RoleUnassigned,
    SelfCheckKept,
    StaircaseNoted,
    SupportAdded,
    SupportRemoved,
    UnknownPerson,
    causes_renumbered,
    decode_event,
    encode_event,
    encode_state,
    fold,
)
from allymap.services import engine, marks
from allymap.services.access import intervention_key_for
from allymap.services.engine import reading
from allymap.services.errors import Damage, DamagedRecord, NotFound
from allymap.services.heading import Heading, heading_of
from allymap.services.kept import forget_intervention
from allymap.services.keyring import Keyring
from allymap.store import log
from allymap.vault import (
    ChainBroken,
    SealedEvent,
    SealedSnapshot,
    decrypt_log,
    encrypt_event,
    encrypt_snapshot,
    genesis_chain,
    new_intervention_key,
    seal_intervention_key,
)


@dataclass(frozen=True)
class ForgetReading:
    """What forgetting one person would erase, for the page that asks to confirm it.

    `answers` counts the positions team members hold for them now and `notes` the team
    notes about them; every entry of the history about them goes too (earlier answers,
    names and connections included). `other_notes` counts the
    notes that stay as written (about the intervention, or someone else), since one of
    them may mention this person. `removed` is true for someone already taken off the
    map, who can be forgotten too.
    """

    heading: Heading
    person_id: str
    alias: str
    relationship: str
    removed: bool
    answers: int
    notes: int
    other_notes: int


@dataclass(frozen=True)
class DestroyReading:
    """What destroying an intervention would erase, for the page that asks to confirm it."""

    heading: Heading
    people: int
    notes: int
    entries: int
    members: int


@dataclass(frozen=True)
class _Entry:
    """One event of the log as read back: the record, and its plaintext as stored."""

    record: Recorded
    plaintext: bytes


def forget_reading(*, keyring: Keyring, intervention_id: str, person_id: str) -> ForgetReading:
    """What forgetting `person_id` would erase. Raises NotFound, UnknownPerson (no such
    person, ever) or DamagedRecord."""
    # The state every page opens: it holds a person taken off the map too. (Forgetting
    # itself reads the whole log from its first event; showing what it would erase does
    # not need to.)
    state = engine.open_log(keyring, intervention_id).state
    person = state.people.get(person_id)
    if person is None:
        raise UnknownPerson(person_id)
    return ForgetReading(
        heading=heading_of(state),
        person_id=person_id,
        alias=person.alias,
        relationship=person.relationship,
        removed=person.removed,
        answers=sum(len(rows) for rows in person.positions.values()),
        notes=sum(1 for note in state.notes if note.person_id == person_id),
        other_notes=sum(1 for note in state.notes if note.person_id != person_id),
    )


def destroy_reading(*, keyring: Keyring, intervention_id: str) -> DestroyReading:
    """What destroying the intervention would erase. Raises NotFound or DamagedRecord."""
    state = engine.open_log(keyring, intervention_id).state
    return DestroyReading(
        heading=heading_of(state),
        people=len(state.active_people()),
        notes=len(state.notes),
        entries=state.seq,
        members=len(log.members_of(intervention_id)),
    )


def person_forget(*, keyring: Keyring, intervention_id: str, person_id: str) -> None:
    """Erase everything recorded about one person, for good (see the module doc).

    The whole log is read and verified from its first event (a snapshot is not trusted
    for this), rewritten without every event about them under a new key, and the new
    key sealed for every member by this account; the old events, snapshots and sealed
    keys are deleted in the same transaction, and the freed space reclaimed after it.
    Works for a person already removed from the map. Raises NotFound, UnknownPerson (no
    such person, ever) or DamagedRecord (then nothing changes).
    """
    # Opened as every page opens it first, so a log that is missing or older than the one
    # written here is reported, not rewritten into a new truth.
    engine.open_log(keyring, intervention_id)
    with transaction.atomic():
        old_key = _key_under_lock(keyring, intervention_id)
        with reading(intervention_id):
            entries = _whole_log(old_key, intervention_id)
            state = fold(None, [e.record for e in entries], intervention_id=intervention_id)
        if person_id not in state.people:
            raise UnknownPerson(person_id)
        key = new_intervention_key()
        erased = _erased((entry.record.event for entry in entries), person_id)
        kept = _renumbered(entries, [n for n, gone in enumerate(erased) if not gone], state)
        sealed, new_state, chain = _seal_again(key, intervention_id, kept)
        log.log_replace(
            intervention_id,
            sealed,
            snapshot=_snapshot(key, intervention_id, state=new_state, chain=chain),
        )
        log.members_reseal(
            intervention_id,
            {
                member.account_id: seal_intervention_key(
                    key,
                    member.public_key,
                    intervention_id=intervention_id,
                    sender=keyring.private_key,
                )
                for member in _trusted_members(keyring, intervention_id)
            },
            sealed_by=keyring.account_id,
        )
        # The head of the log moved back on purpose: the rollback tripwire must know.
        head = marks.Mark(seq=new_state.seq, chain=chain)
        transaction.on_commit(lambda: marks.replace(keyring.account_id, intervention_id, head))
        # No opening kept in memory may still hold what was erased.
        transaction.on_commit(lambda: forget_intervention(intervention_id))
        transaction.on_commit(log.space_reclaim)
    forget_intervention(intervention_id)
    keyring.opened.pop(intervention_id, None)
    keyring.intervention_keys[intervention_id] = key


def intervention_destroy(*, keyring: Keyring, intervention_id: str) -> None:
    """Destroy the intervention for every member: its sealed keys, events, snapshots and
    row are deleted in one transaction and the freed space reclaimed after it. Nothing
    is kept, not even its id. Raises NotFound or DamagedRecord (then nothing changes)."""
    with reading(intervention_id):
        intervention_key_for(keyring, intervention_id)
    with transaction.atomic():
        _key_under_lock(keyring, intervention_id)
        log.intervention_delete(intervention_id)
        # Gone on purpose: not to be reported as missing, and its id not kept anywhere.
        transaction.on_commit(lambda: marks.forget(intervention_id))
        transaction.on_commit(lambda: forget_intervention(intervention_id))
        transaction.on_commit(log.space_reclaim)
    forget_intervention(intervention_id)
    keyring.opened.pop(intervention_id, None)
    keyring.intervention_keys.pop(intervention_id, None)


def _trusted_members(keyring: Keyring, intervention_id: str) -> list[log.Member]:
    """The members the new key is sealed for; DamagedRecord if the team is not as trusted.

    Threat: someone who can write to the database plants an account and a membership
    row, and waits for a forget to hand them the new key. Personal mode has exactly one
    account, so its team is exactly this account: any other row was planted. (Hosted
    mode's members are not verified yet: docs/threat-model.md.)
    """
    members = log.members_of(intervention_id)
    if not settings.HOSTED and [m.account_id for m in members] != [keyring.account_id]:
        raise DamagedRecord(
            intervention_id,
            Damage.CHANGED,
            f"its team has {len(members)} members where this allymap keeps one",
        )
    return members


def _key_under_lock(keyring: Keyring, intervention_id: str) -> bytes:
    """Lock the intervention against other writers, then read the key afresh: one read
    before the lock may predate another erasure. Raises NotFound or DamagedRecord."""
    if not log.intervention_lock(intervention_id):
        raise NotFound(intervention_id)
    keyring.intervention_keys.pop(intervention_id, None)
    with reading(intervention_id):
        return intervention_key_for(keyring, intervention_id)


def _erased(events: Iterable[Event], person_id: str) -> list[bool]:
    """For each event of a log, in order, whether forgetting `person_id` erases it.

    A support given to or by the person goes with them, and so does its later removal
    (which would otherwise name a support that is no longer there).
    """
    supports: set[str] = set()
    erased = []
    for event in events:
        about = _about(event, person_id, supports)
        if about and isinstance(event, SupportAdded):
            supports.add(event.support_id)
        erased.append(about)
    return erased


def _about(event: Event, person_id: str, supports: set[str]) -> bool:
    """Whether forgetting `person_id` erases this event (`supports`: the ids of supports
    erased so far). A new event type must say."""
    person = f"{HolderKind.PERSON.value}:{person_id}"
    match event:
        case (
            PersonAdded()
            | PersonChanged()
            | ConsentChanged()
            | PersonRemoved()
            | PositionRecorded()
            | DifferenceTalkedThrough()
            | NoteAdded()
        ):
            return event.person_id == person_id
        case RoleAssigned() | RoleUnassigned():
            return event.holder_kind is HolderKind.PERSON and event.holder_id == person_id
        case SupportAdded():
            return (event.ally_kind is HolderKind.PERSON and event.ally_id == person_id) or (
                event.supporter_kind is HolderKind.PERSON and event.supporter_id == person_id
            )
        case SupportRemoved():
            return event.support_id in supports
        case GapSetAside() | GapReopened():
            # A gap's key names whom it is about, by id.
            return event.gap_key.endswith(f":{person}")
        case (
            InterventionStarted()
            | InterventionChanged()
            | InterventionArchived()
            | MemberAdded()
            | MemberChanged()
            | MemberRemoved()
            | RoleNamed()
            | RoleLimitSet()
            | CheckInAdded()  # whose position to revisit is by id, which then names nobody
            | StaircaseNoted()
            | SelfCheckKept()
        ):
            return False
        case _:  # pragma: no cover - mypy proves every member of `Event` has a case above
            assert_never(event)


def _renumbered(entries: list[_Entry], kept: list[int], state: InterventionState) -> list[_Entry]:
    """The entries at the indexes `kept`, in order, as the new log will number them: a
    gap set aside keeps standing aside (its cause names events by number, and the
    numbers change). An entry whose event changes gets its plaintext encoded again."""
    records = [entry.record for entry in entries]
    renumbered = causes_renumbered(
        records,
        [
            Recorded(seq, records[n].author, records[n].at, records[n].event)
            for seq, n in enumerate(kept, start=1)
        ],
        kept,
        chart_by_id(state.chart_id, state.chart_version).keys,
    )
    return [
        entries[n]
        if record.event is entries[n].record.event
        else _Entry(
            record=replace(entries[n].record, event=record.event),
            plaintext=encode_event(record.event),
        )
        for n, record in zip(kept, renumbered, strict=True)
    ]


def _whole_log(key: bytes, intervention_id: str) -> list[_Entry]:
    """Every event of the log, decrypted and verified along the chain from the first."""
    stored = log.events_after(intervention_id, 0)
    if not stored:
        raise ChainBroken(f"intervention {intervention_id} has no events")
    times = {sealed.seq: at for sealed, at in stored}
    return [
        _Entry(
            record=Recorded(sealed.seq, sealed.author, times[sealed.seq], decode_event(plaintext)),
            plaintext=plaintext,
        )
        for sealed, plaintext in decrypt_log(
            key, intervention_id=intervention_id, events=[sealed for sealed, _ in stored]
        )
    ]


def _seal_again(
    key: bytes, intervention_id: str, kept: list[_Entry]
) -> tuple[list[SealedEvent], InterventionState, bytes]:
    """The kept events sealed under `key` as a new log: seqs from 1 without gaps, a new
    chain, each event's author, time and stored plaintext unchanged (an event sealed
    before times were bound is sealed now with the time stored beside it, which nothing
    vouched for). Returns the sealed events, the
    state they fold to, and the last chain value.
    """
    chain = genesis_chain(intervention_id)
    sealed: list[SealedEvent] = []
    records: list[Recorded] = []
    for seq, entry in enumerate(kept, start=1):
        event = encrypt_event(
            key,
            intervention_id=intervention_id,
            seq=seq,
            author=entry.record.author,
            at=entry.record.at,
            prev_chain=chain,
            plaintext=entry.plaintext,
        )
        sealed.append(event)
        records.append(Recorded(seq, entry.record.author, entry.record.at, entry.record.event))
        chain = event.chain
    # The log without them must still add up; a FoldError here is a bug, and nothing is
    # stored (the transaction rolls back).
    return sealed, fold(None, records, intervention_id=intervention_id), chain


def _snapshot(
    key: bytes, intervention_id: str, *, state: InterventionState, chain: bytes
) -> tuple[int, SealedSnapshot] | None:
    """A snapshot of the rewritten log when opening it would otherwise write one."""
    if state.seq < settings.ALLYMAP_SNAPSHOT_EVERY:
        return None
    return STATE_FORMAT_VERSION, encrypt_snapshot(
        key,
        intervention_id=intervention_id,
        seq=state.seq,
        chain=chain,
        format_version=STATE_FORMAT_VERSION,
        plaintext=encode_state(state),
    )
