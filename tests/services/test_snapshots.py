"""Snapshots: opening reads the newest snapshot and the events after it, and gets the same
state as folding the whole log."""

from __future__ import annotations

import importlib

import pytest
from pytest_django.fixtures import Settings

from allymap.domain import STATE_FORMAT_VERSION, InterventionState, encode_state
from allymap.services import interventions, people
from allymap.services.keyring import Keyring
from allymap.services.people import Details
from allymap.store import log
from allymap.store.models import Snapshot
from allymap.vault import TamperedSnapshot
from tests.people import fresh
from tests.services.damage import raises_damage


@pytest.fixture
def busy(owner: Keyring, settings: Settings) -> str:
    """An intervention of 25 events, with a snapshot every 10."""
    settings.ALLYMAP_SNAPSHOT_EVERY = 10
    intervention_id = interventions.intervention_start(
        keyring=owner, code_name="Busy", doing_harm_alias="R"
    )
    for number in range(24):
        people.person_add(
            keyring=owner,
            intervention_id=intervention_id,
            details=Details(alias=f"Person {number}"),
        )
    return intervention_id


def _open(owner: Keyring, intervention_id: str) -> InterventionState:
    return interventions.intervention_open(keyring=fresh(owner), intervention_id=intervention_id)


def test_it_writes_a_snapshot_every_n_events(busy: str) -> None:
    seqs = sorted(Snapshot.objects.filter(intervention_id=busy).values_list("seq", flat=True))
    assert seqs == [20]  # the one at 10 was written, then pruned (tests/services/test_erasure.py)
    assert set(Snapshot.objects.values_list("format_version", flat=True)) == {STATE_FORMAT_VERSION}


def test_it_opens_from_a_snapshot_to_the_same_state_as_a_full_fold(
    owner: Keyring, busy: str
) -> None:
    from_snapshot = _open(owner, busy)
    assert from_snapshot.seq == 25
    assert len(from_snapshot.active_people()) == 24
    Snapshot.objects.filter(intervention_id=busy).delete()
    from_the_log = _open(owner, busy)
    assert encode_state(from_snapshot) == encode_state(from_the_log)


def test_it_really_reads_the_snapshot(
    owner: Keyring, busy: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opening asks the store only for the events after the newest snapshot."""
    asked: list[int] = []
    real_events_after = log.events_after

    def events_after(intervention_id: str, seq: int) -> object:
        asked.append(seq)
        return real_events_after(intervention_id, seq)

    monkeypatch.setattr(log, "events_after", events_after)
    assert _open(owner, busy).seq == 25
    assert asked == [20]


def test_it_refuses_a_tampered_snapshot(owner: Keyring, busy: str) -> None:
    snapshot = Snapshot.objects.get(intervention_id=busy, seq=20)
    ciphertext = bytearray(bytes(snapshot.ciphertext))
    ciphertext[5] ^= 0x80
    snapshot.ciphertext = bytes(ciphertext)
    snapshot.save()
    with raises_damage(TamperedSnapshot):
        _open(owner, busy)


def test_it_refuses_a_snapshot_moved_to_another_seq(owner: Keyring, busy: str) -> None:
    Snapshot.objects.filter(intervention_id=busy, seq=20).update(seq=22)
    with raises_damage(TamperedSnapshot):
        _open(owner, busy)


def test_it_ignores_a_snapshot_of_an_older_format(owner: Keyring, busy: str) -> None:
    expected = encode_state(_open(owner, busy))
    # Newer than any real one, and unreadable: it must not even be tried.
    Snapshot.objects.create(
        intervention_id=busy,
        seq=24,
        format_version=STATE_FORMAT_VERSION - 1,
        nonce=b"\x00" * 24,
        ciphertext=b"written by older code",
    )
    assert encode_state(_open(owner, busy)) == expected
    Snapshot.objects.filter(intervention_id=busy, format_version=STATE_FORMAT_VERSION).delete()
    assert encode_state(_open(owner, busy)) == expected


def test_it_keeps_writing_after_a_snapshot(owner: Keyring, busy: str) -> None:
    person_id = people.person_add(
        keyring=owner,
        intervention_id=busy,
        details=Details(alias="After"),
    )
    state = _open(owner, busy)
    assert state.seq == 26
    assert state.person(person_id).alias == "After"


def test_an_open_from_a_snapshot_asks_the_database_as_often_as_one_without(
    owner: Keyring, busy: str
) -> None:
    """The snapshot, the chain value at its seq and the count of the events behind it
    come in one query: a long history costs no more queries than a short one (issue 10)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    short = interventions.intervention_start(keyring=owner, code_name="Short", doing_harm_alias="R")
    assert not Snapshot.objects.filter(intervention_id=short).exists()
    assert Snapshot.objects.filter(intervention_id=busy).exists()
    counts = []
    for intervention_id in (short, busy):
        with CaptureQueriesContext(connection) as captured:
            _open(owner, intervention_id)
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_an_open_does_not_copy_the_state_it_decoded(
    owner: Keyring, busy: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The state decoded from the snapshot is folded in place: a deep copy of a large map
    cost more than the rest of an open (issue 10)."""
    fold_module = importlib.import_module("allymap.domain.fold")
    copies: list[int] = []
    real = fold_module._COPY_DECODER

    class Counting:
        def decode(self, data: bytes) -> InterventionState:
            copies.append(len(data))
            return real.decode(data)

    monkeypatch.setattr(fold_module, "_COPY_DECODER", Counting())
    opened = _open(owner, busy)
    assert opened.seq == 25 and len(opened.active_people()) == 24
    assert copies == []
