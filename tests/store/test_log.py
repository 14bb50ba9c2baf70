"""The event log's storage: optimistic appends on a unique (intervention, seq), and
snapshots by format. The store moves ciphertext and never sees a key, so these tests use
made-up bytes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from allymap.store import log
from allymap.store.models import Account, Event, Intervention, Snapshot
from allymap.vault import SealedEvent, SealedSnapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def author() -> Account:
    return Account.objects.create(
        public_key=b"p" * 32,
        kdf_salt=b"s" * 16,
        kdf_opslimit=1,
        kdf_memlimit=8192,
        wrapped_private_key=b"w",
        recovery_wrapped_private_key=b"r",
    )


@pytest.fixture
def intervention() -> str:
    return Intervention.objects.create().id


AT = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)


def _sealed(seq: int, author: Account, tag: bytes = b"", at: datetime = AT) -> SealedEvent:
    return SealedEvent(
        seq=seq,
        author=author.id,
        nonce=bytes([seq]) * 24,
        ciphertext=b"ciphertext %d" % seq + tag,
        chain=bytes([seq]) * 32,
        at=at,
    )


def _seqs(intervention_id: str) -> list[int]:
    return list(
        Event.objects.filter(intervention_id=intervention_id)
        .order_by("seq")
        .values_list("seq", flat=True)
    )


def test_it_appends_and_reads_back(author: Account, intervention: str) -> None:
    at = AT
    later = at + timedelta(seconds=1)
    log.append(intervention, [_sealed(1, author), _sealed(2, author)])
    log.append(intervention, [_sealed(3, author, at=later)])
    stored = log.events_after(intervention, 0)
    expected = [_sealed(1, author), _sealed(2, author), _sealed(3, author, at=later)]
    assert [sealed for sealed, _at in stored] == expected
    assert [when for _sealed_event, when in stored] == [at, at, later]
    assert [sealed.seq for sealed, _at in log.events_after(intervention, 2)] == [3]
    assert log.chain_at(intervention, 2) == bytes([2]) * 32
    assert log.chain_at(intervention, 4) is None


def test_it_reads_only_its_own_intervention(author: Account, intervention: str) -> None:
    other = Intervention.objects.create().id
    log.append(intervention, [_sealed(1, author)])
    log.append(other, [_sealed(1, author, b" other")])
    assert [s.ciphertext for s, _at in log.events_after(intervention, 0)] == [b"ciphertext 1"]


def test_it_raises_seq_clash_for_a_taken_seq(author: Account, intervention: str) -> None:
    log.append(intervention, [_sealed(1, author)])
    with pytest.raises(log.SeqClash):
        log.append(intervention, [_sealed(1, author, b" second writer")])
    assert [s.ciphertext for s, _at in log.events_after(intervention, 0)] == [b"ciphertext 1"]
    # The connection is still usable after the clash (no broken transaction).
    log.append(intervention, [_sealed(2, author)])
    assert _seqs(intervention) == [1, 2]


def test_it_lets_the_same_seq_live_in_another_intervention(
    author: Account, intervention: str
) -> None:
    other = Intervention.objects.create().id
    log.append(intervention, [_sealed(1, author)])
    log.append(other, [_sealed(1, author)])
    assert _seqs(other) == [1]


def test_it_enforces_the_unique_seq_in_the_database(author: Account, intervention: str) -> None:
    log.append(intervention, [_sealed(1, author)])
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.create(
            intervention_id=intervention,
            seq=1,
            author=author,
            created_at=timezone.now(),
            nonce=b"n",
            ciphertext=b"c",
            chain=b"h",
        )


def test_it_appends_all_or_nothing(author: Account, intervention: str) -> None:
    log.append(intervention, [_sealed(1, author)])
    # Another writer somehow holds seq 3: a batch of 2 and 3 clashes on its second event.
    log.append(intervention, [_sealed(3, author, b" theirs")])
    with pytest.raises(log.SeqClash):
        log.append(intervention, [_sealed(2, author), _sealed(3, author)])
    assert _seqs(intervention) == [1, 3]
    assert log.chain_at(intervention, 2) is None
    assert bytes(Event.objects.get(intervention_id=intervention, seq=3).ciphertext).endswith(
        b"theirs"
    )


def test_it_appends_all_or_nothing_inside_an_outer_transaction(
    author: Account, intervention: str
) -> None:
    """As `intervention_start` calls it: the clash rolls back the batch, not the caller."""
    log.append(intervention, [_sealed(2, author)])
    with transaction.atomic():
        with pytest.raises(log.SeqClash):
            log.append(intervention, [_sealed(1, author), _sealed(2, author)])
        log.append(intervention, [_sealed(1, author)])
    assert _seqs(intervention) == [1, 2]


def _snapshot(intervention_id: str, seq: int, format_version: int) -> None:
    log.save_snapshot(
        intervention_id,
        format_version,
        SealedSnapshot(
            seq=seq, nonce=b"n" * 24, ciphertext=b"state at %d v%d" % (seq, format_version)
        ),
    )


def test_it_has_no_snapshot_at_first(intervention: str) -> None:
    assert log.latest_snapshot(intervention, 1) is None


def test_it_picks_the_newest_snapshot_of_the_right_format(intervention: str) -> None:
    other = Intervention.objects.create().id
    _snapshot(intervention, 200, 1)
    _snapshot(intervention, 600, 1)
    _snapshot(intervention, 400, 1)
    _snapshot(intervention, 800, 0)  # older code's format: newer, but unreadable here
    _snapshot(intervention, 1000, 2)  # newer code's format
    _snapshot(other, 5000, 1)  # another intervention's
    latest = log.latest_snapshot(intervention, 1)
    assert latest == SealedSnapshot(seq=600, nonce=b"n" * 24, ciphertext=b"state at 600 v1")
    latest_v2 = log.latest_snapshot(intervention, 2)
    assert latest_v2 is not None
    assert latest_v2.seq == 1000
    assert log.latest_snapshot(intervention, 3) is None


def test_it_keeps_the_first_of_two_identical_snapshots(intervention: str) -> None:
    _snapshot(intervention, 200, 1)
    log.save_snapshot(
        intervention, 1, SealedSnapshot(seq=200, nonce=b"m" * 24, ciphertext=b"second writer")
    )
    assert Snapshot.objects.filter(intervention_id=intervention).count() == 1
    latest = log.latest_snapshot(intervention, 1)
    assert latest is not None
    assert latest.ciphertext == b"state at 200 v1"


def test_the_plain_sql_names_the_models_tables() -> None:
    """`stored_rows` runs plain SQL on every page; its table names are the models'."""
    assert Event._meta.db_table == "store_event"
    assert Snapshot._meta.db_table == "store_snapshot"
    assert "FROM store_event" in log._EVENTS_AFTER_SQL
    assert "FROM store_snapshot" in log._SNAPSHOT_FACTS_SQL
