"""Reading and appending an intervention's encrypted event log.

This module moves ciphertext between the database and allymap.vault's types; it never
sees a key. The caller states the seq it expects, and a clash on the unique (intervention,
seq) constraint becomes `SeqClash` so the caller can reload and re-run its command. (The
services also make writers take turns for one save; no lock is held across requests.)
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import IntegrityError, transaction

from allymap.store.models import Event, Snapshot
from allymap.vault import SealedEvent, SealedSnapshot


class SeqClash(Exception):
    """Another writer appended first: reload, re-run the command, try again."""


def events_after(intervention_id: str, seq: int) -> list[tuple[SealedEvent, datetime]]:
    """Every stored event of the intervention with a seq above `seq`, in seq order, with
    the time it was written."""
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
            ),
            created_at,
        )
        for row_seq, author, nonce, ciphertext, chain, created_at in rows
    ]


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


def append(intervention_id: str, sealed: Sequence[SealedEvent], *, at: datetime) -> None:
    """Store `sealed` (consecutive seqs) in one transaction, all or nothing.

    Raises SeqClash if any of those seqs is already taken.
    """
    try:
        with transaction.atomic():
            Event.objects.bulk_create(
                [
                    Event(
                        intervention_id=intervention_id,
                        seq=event.seq,
                        author_id=event.author,
                        nonce=event.nonce,
                        ciphertext=event.ciphertext,
                        chain=event.chain,
                        created_at=at,
                    )
                    for event in sealed
                ]
            )
    except IntegrityError as clash:
        raise SeqClash(f"seq {sealed[0].seq} of {intervention_id} is taken") from clash


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


def save_snapshot(intervention_id: str, format_version: int, sealed: SealedSnapshot) -> None:
    """Keep a snapshot; a second writer saving the same one is harmless and ignored."""
    Snapshot.objects.get_or_create(
        intervention_id=intervention_id,
        seq=sealed.seq,
        format_version=format_version,
        defaults={"nonce": sealed.nonce, "ciphertext": sealed.ciphertext},
    )
