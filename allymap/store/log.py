"""Reading and appending an intervention's encrypted event log.

This module moves ciphertext between the database and allymap.vault's types; it never
sees a key. The caller states the seq it expects, and a clash on the unique (intervention,
seq) constraint becomes `SeqClash` so the caller can reload and re-run its command. (The
services also make writers take turns for one save; no lock is held across requests.)

Erasure (`allymap.services.erasure`) is the one writer that takes things away: it
replaces a whole log (`log_replace`), gives every member a new sealed key
(`members_reseal`), destroys an intervention (`intervention_delete`), and then asks the
database to let go of the bytes it freed (`space_reclaim`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.backends.utils import CursorWrapper
from django.db.models import Count, OuterRef, Q, Subquery

from allymap.store.models import Event, Intervention, Membership, Snapshot
from allymap.vault import SealedEvent, SealedSnapshot

logger = logging.getLogger(__name__)


class SeqClash(Exception):
    """Another writer appended first: reload, re-run the command, try again."""


def events_after(intervention_id: str, seq: int) -> list[tuple[SealedEvent, datetime]]:
    """Every stored event of the intervention with a seq above `seq`, in seq order, with
    the time it was written (also on the sealed event, whose seal binds it)."""
    rows = (
        Event.objects.filter(intervention_id=intervention_id, seq__gt=seq)
        .order_by("seq")
        .values_list("seq", "author_id", "nonce", "ciphertext", "chain", "created_at")
    )
    return [
        (
            SealedEvent(
                seq=row_seq,
                author=author,
                nonce=bytes(nonce),
                ciphertext=bytes(ciphertext),
                chain=bytes(chain),
                at=created_at,
            ),
            created_at,
        )
        for row_seq, author, nonce, ciphertext, chain, created_at in rows
    ]


def head(intervention_id: str) -> tuple[int, bytes] | None:
    """The seq and chain value of the intervention's newest stored event (None for none):
    the chain value binds every event before it, so an equal head is the same log."""
    row = (
        Event.objects.filter(intervention_id=intervention_id)
        .order_by("-seq")
        .values_list("seq", "chain")
        .first()
    )
    return None if row is None else (row[0], bytes(row[1]))


def chain_at(intervention_id: str, seq: int) -> bytes | None:
    """The chain value stored with event `seq`, or None if there is no such event."""
    value = (
        Event.objects.filter(intervention_id=intervention_id, seq=seq)
        .values_list("chain", flat=True)
        .first()
    )
    return None if value is None else bytes(value)


def count_through(intervention_id: str, seq: int) -> int:
    """How many events the intervention has with a seq of at most `seq`."""
    return Event.objects.filter(intervention_id=intervention_id, seq__lte=seq).count()


def append(intervention_id: str, sealed: Sequence[SealedEvent]) -> None:
    """Store `sealed` (consecutive seqs), each with the time its seal binds, in one
    transaction, all or nothing.

    Raises SeqClash if any of those seqs is already taken.
    """
    try:
        with transaction.atomic():
            Event.objects.bulk_create(_rows(intervention_id, sealed))
    except IntegrityError as clash:
        raise SeqClash(f"seq {sealed[0].seq} of {intervention_id} is taken") from clash


def _rows(intervention_id: str, sealed: Sequence[SealedEvent]) -> list[Event]:
    """The stored rows of sealed events, each with the time its seal binds."""
    return [
        Event(
            intervention_id=intervention_id,
            seq=event.seq,
            author_id=event.author,
            nonce=event.nonce,
            ciphertext=event.ciphertext,
            chain=event.chain,
            created_at=event.at,
        )
        for event in sealed
    ]


def latest_snapshot(intervention_id: str, format_version: int) -> SealedSnapshot | None:
    """The newest snapshot written in `format_version`; older formats are ignored."""
    row = (
        Snapshot.objects.filter(intervention_id=intervention_id, format_version=format_version)
        .order_by("-seq")
        .values_list("seq", "nonce", "ciphertext")
        .first()
    )
    if row is None:
        return None
    seq, nonce, ciphertext = row
    return SealedSnapshot(seq=seq, nonce=bytes(nonce), ciphertext=bytes(ciphertext))


@dataclass(frozen=True)
class SnapshotReading:
    """The newest snapshot of one format, with what an open checks it against: the chain
    value stored with the event at its seq (None when that event is missing) and how many
    events the log has up to that seq."""

    sealed: SealedSnapshot
    chain: bytes | None
    events_through: int


@dataclass(frozen=True)
class SnapshotFacts:
    """A `SnapshotReading` without the ciphertext: its seq, nonce and length, and the
    same chain value and count. Cheap to read however large the snapshot is."""

    seq: int
    nonce: bytes
    length: int
    chain: bytes | None
    events_through: int


def latest_snapshot_checked(intervention_id: str, format_version: int) -> SnapshotReading | None:
    """`latest_snapshot`, `chain_at` and `count_through` at its seq, in one query.

    Every open of a log with a snapshot needs all three; asking once keeps an open at the
    same number of queries whether or not the log has a snapshot yet (issue 10).
    """
    at_seq = Event.objects.filter(intervention_id=OuterRef("intervention_id"), seq=OuterRef("seq"))
    through = (
        Event.objects.filter(intervention_id=OuterRef("intervention_id"), seq__lte=OuterRef("seq"))
        .order_by()
        .values("intervention_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    row = (
        Snapshot.objects.filter(intervention_id=intervention_id, format_version=format_version)
        .annotate(
            event_chain=Subquery(at_seq.values("chain")[:1]),
            events_through=Subquery(through[:1]),
        )
        .order_by("-seq")
        .values_list("seq", "nonce", "ciphertext", "event_chain", "events_through")
        .first()
    )
    if row is None:
        return None
    seq, nonce, ciphertext, chain, events_through = row
    return SnapshotReading(
        sealed=SealedSnapshot(seq=seq, nonce=bytes(nonce), ciphertext=bytes(ciphertext)),
        chain=None if chain is None else bytes(chain),
        events_through=events_through or 0,
    )


@dataclass(frozen=True)
class StoredRows:
    """What an opening is made from, as stored, without the snapshot's ciphertext: the
    newest snapshot's facts (None without one) and every column of each later event, as
    the database gives them (`events`: seq, author, nonce, ciphertext, chain, time)."""

    snapshot: SnapshotFacts | None
    events: list[tuple[object, ...]]

    @property
    def head(self) -> tuple[int, bytes | None] | None:
        """The seq and chain value of the newest event these rows show."""
        if self.events:
            seq, _author, _nonce, _ciphertext, chain, _at = self.events[-1]
            assert isinstance(seq, int)
            return seq, bytes(chain)  # type: ignore[call-overload]
        if self.snapshot is not None:
            return self.snapshot.seq, self.snapshot.chain
        return None


# Plain SQL, the same on SQLite and PostgreSQL: these run on every page, and building
# them through the ORM cost more than running them (bench/pages.py --profile). The
# tables are the models' (tests/store/test_log.py checks the names).
_SNAPSHOT_FACTS_SQL = """
SELECT s.seq, s.nonce, LENGTH(s.ciphertext),
  (SELECT e.chain FROM store_event e
    WHERE e.intervention_id = s.intervention_id AND e.seq = s.seq),
  (SELECT COUNT(*) FROM store_event e
    WHERE e.intervention_id = s.intervention_id AND e.seq <= s.seq)
FROM store_snapshot s
WHERE s.intervention_id = %s AND s.format_version = %s
ORDER BY s.seq DESC LIMIT 1
"""
_EVENTS_AFTER_SQL = """
SELECT seq, author_id, nonce, ciphertext, chain, created_at FROM store_event
WHERE intervention_id = %s AND seq > %s ORDER BY seq
"""


def stored_rows(intervention_id: str, format_version: int) -> StoredRows:
    """The newest snapshot's facts and the events after it, in two queries."""
    with connection.cursor() as cursor:
        cursor.execute(_SNAPSHOT_FACTS_SQL, [intervention_id, format_version])
        row = cursor.fetchone()
        facts = None
        if row is not None:
            seq, nonce, length, chain, through = row
            facts = SnapshotFacts(
                seq=seq,
                nonce=bytes(nonce),
                length=length,
                chain=None if chain is None else bytes(chain),
                events_through=through or 0,
            )
        cursor.execute(_EVENTS_AFTER_SQL, [intervention_id, 0 if facts is None else facts.seq])
        return StoredRows(snapshot=facts, events=[tuple(r) for r in cursor.fetchall()])


def snapshots_of(intervention_id: str) -> list[tuple[int, SealedSnapshot]]:
    """Every stored snapshot of the intervention, of any format, as (format version,
    sealed snapshot), oldest first: for a full check (`services.check`)."""
    rows = (
        Snapshot.objects.filter(intervention_id=intervention_id)
        .order_by("seq", "format_version")
        .values_list("format_version", "seq", "nonce", "ciphertext")
    )
    return [
        (format_version, SealedSnapshot(seq=seq, nonce=bytes(nonce), ciphertext=bytes(ciphertext)))
        for format_version, seq, nonce, ciphertext in rows
    ]


def save_snapshot(intervention_id: str, format_version: int, sealed: SealedSnapshot) -> None:
    """Keep a snapshot; a second writer saving the same one is harmless and ignored."""
    Snapshot.objects.get_or_create(
        intervention_id=intervention_id,
        seq=sealed.seq,
        format_version=format_version,
        defaults={"nonce": sealed.nonce, "ciphertext": sealed.ciphertext},
    )


def snapshots_prune(intervention_id: str, *, newest_seq: int, format_version: int) -> int:
    """Delete the snapshots the newest one (at `newest_seq`, in `format_version`) makes
    useless: older ones of that format, and every one of an older format. Returns how many.

    A snapshot of a newer format (written by a newer allymap before a downgrade) is left
    alone: it is not this version's to judge, and it holds nothing the log does not.
    """
    deleted, _ = Snapshot.objects.filter(
        Q(format_version=format_version, seq__lt=newest_seq) | Q(format_version__lt=format_version),
        intervention_id=intervention_id,
    ).delete()
    return deleted


# -- erasure ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """A member of an intervention's team and the public key their key is sealed to."""

    account_id: str
    public_key: bytes


def members_of(intervention_id: str) -> list[Member]:
    """Every member of the intervention's team, oldest first."""
    return [
        Member(account_id=account_id, public_key=bytes(public_key))
        for account_id, public_key in Membership.objects.filter(intervention_id=intervention_id)
        .order_by("created_at", "pk")
        .values_list("account_id", "account__public_key")
    ]


def intervention_lock(intervention_id: str) -> bool:
    """Make other writers to the intervention wait until the caller's transaction ends
    (a row lock on PostgreSQL; SQLite's immediate transaction already holds the whole
    database). Returns False when the intervention does not exist."""
    return Intervention.objects.select_for_update().filter(pk=intervention_id).exists()


def log_replace(
    intervention_id: str,
    sealed: Sequence[SealedEvent],
    *,
    snapshot: tuple[int, SealedSnapshot] | None = None,
) -> None:
    """Replace the intervention's whole log with `sealed` (each with the time its seal
    binds), and its snapshots with `snapshot` (format version and sealed snapshot) if given.

    Every stored event and snapshot of the intervention is deleted first; nothing of the
    old log is kept. Call it inside the caller's transaction, with the intervention
    locked (`intervention_lock`), so nobody appends to the old log meanwhile.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("log_replace must run inside a transaction")
    Snapshot.objects.filter(intervention_id=intervention_id).delete()
    Event.objects.filter(intervention_id=intervention_id).delete()
    Event.objects.bulk_create(_rows(intervention_id, sealed))
    if snapshot is not None:
        format_version, sealed_snapshot = snapshot
        save_snapshot(intervention_id, format_version, sealed_snapshot)


def members_reseal(
    intervention_id: str, sealed_keys: Mapping[str, bytes], *, sealed_by: str
) -> None:
    """Replace each member's sealed key (account id → the new key sealed to them), all
    sealed by `sealed_by`. The old sealed keys are overwritten, not kept.

    Raises ValueError unless `sealed_keys` names exactly the team's members, so nobody
    is left holding only the old key, or given the new one without being on the team.
    """
    members = set(
        Membership.objects.filter(intervention_id=intervention_id).values_list(
            "account_id", flat=True
        )
    )
    if members != set(sealed_keys):
        raise ValueError(f"the team of {intervention_id} changed while its key was replaced")
    for account_id, sealed_key in sealed_keys.items():
        Membership.objects.filter(intervention_id=intervention_id, account_id=account_id).update(
            sealed_key=sealed_key, sealed_by_id=sealed_by
        )


def intervention_delete(intervention_id: str) -> bool:
    """Delete the intervention: its snapshots, events, memberships (its sealed keys) and
    its row. Returns False when there was nothing to delete. Nothing is kept, not even
    its id."""
    with transaction.atomic():
        Snapshot.objects.filter(intervention_id=intervention_id).delete()
        Event.objects.filter(intervention_id=intervention_id).delete()
        Membership.objects.filter(intervention_id=intervention_id).delete()
        deleted, _ = Intervention.objects.filter(pk=intervention_id).delete()
    return deleted > 0


@dataclass(frozen=True)
class Reclaimed:
    """What `space_reclaim` managed; `problems` says what it could not do (no content)."""

    done: tuple[str, ...]
    problems: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return not self.problems


# The tables whose rows hold ciphertext or sealed keys.
_ERASED_TABLES = (Event, Snapshot, Membership)


def space_reclaim() -> Reclaimed:
    """Ask the database to let go of the bytes that deleted rows leave behind.

    Run it after the deleting transaction has committed (it refuses to run inside one).

    SQLite (`secure_delete` is on, so deleted content is overwritten with zeros in the
    pages that held it): checkpoint the WAL into the main file and truncate it, VACUUM
    (rebuild the file, so no free page is left), and checkpoint and truncate again, since
    VACUUM itself goes through the WAL. A checkpoint that readers kept from finishing is
    reported in `problems`.

    PostgreSQL: VACUUM the tables that held the rows, so their dead tuples are removed
    and the space marked free. PostgreSQL does not overwrite that space, nor its
    write-ahead log: docs/threat-model.md says what is left.
    """
    if transaction.get_connection().in_atomic_block:
        raise RuntimeError("space_reclaim must run after the transaction, not inside it")
    done: list[str] = []
    problems: list[str] = []
    vendor = connection.vendor
    try:
        with connection.cursor() as cursor:
            if vendor == "sqlite":
                _checkpoint(cursor, done, problems)
                cursor.execute("VACUUM")
                done.append("vacuum")
                _checkpoint(cursor, done, problems)
            elif vendor == "postgresql":
                tables = ", ".join(
                    connection.ops.quote_name(model._meta.db_table) for model in _ERASED_TABLES
                )
                cursor.execute(f"VACUUM {tables}")
                done.append("vacuum")
            else:
                problems.append(f"no way to reclaim space on {vendor}")
    except DatabaseError as problem:
        problems.append(f"{type(problem).__name__}: {problem}")
    for left in problems:
        logger.warning("space freed by an erasure was not fully reclaimed: %s", left)
    return Reclaimed(done=tuple(done), problems=tuple(problems))


def _checkpoint(cursor: CursorWrapper, done: list[str], problems: list[str]) -> None:
    """Copy SQLite's WAL into the main file and truncate it to nothing."""
    cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    busy, _frames, _copied = cursor.fetchone()
    if busy:
        problems.append("a reader kept the WAL checkpoint from finishing")
    else:
        done.append("checkpoint")
