"""`check_all` replays every log from its first event and reports each problem it finds,
including damage behind a snapshot, which opening does not replay."""

from __future__ import annotations

import pytest
from pytest_django.fixtures import Settings

from allymap.domain import STATE_FORMAT_VERSION, encode_state, fold
from allymap.services import interventions, marks, people
from allymap.services.access import intervention_key_for
from allymap.services.check import check_all, events_to_check
from allymap.services.keyring import Keyring
from allymap.services.people import Details
from allymap.store import log
from allymap.store.models import Event, Snapshot
from allymap.vault import encrypt_snapshot
from tests.people import fresh


@pytest.fixture
def busy(owner: Keyring, settings: Settings) -> str:
    """An intervention of 25 events, with a snapshot at 20."""
    settings.ALLYMAP_SNAPSHOT_EVERY = 10
    intervention_id = interventions.intervention_start(
        keyring=owner, code_name="Busy", doing_harm_alias="R"
    )
    for number in range(24):
        people.person_add(
            keyring=owner, intervention_id=intervention_id, details=Details(alias=f"P {number}")
        )
    assert [s.seq for _v, s in log.snapshots_of(intervention_id)] == [20]
    return intervention_id


def _flip(row: Event | Snapshot) -> None:
    ciphertext = bytearray(bytes(row.ciphertext))
    ciphertext[-1] ^= 0x01
    row.ciphertext = bytes(ciphertext)
    row.save()


def test_it_finds_nothing_wrong_with_a_sound_log(owner: Keyring, busy: str) -> None:
    seen: list[int] = []
    report = check_all(keyring=fresh(owner), progress=seen.append)
    assert report.problems == []
    [checked] = report.interventions
    assert (checked.intervention_id, checked.events, checked.snapshots) == (busy, 25, 1)
    assert checked.state_digest is not None
    assert sum(seen) == events_to_check(owner) == 25


def test_it_finds_a_changed_event_behind_the_snapshot(owner: Keyring, busy: str) -> None:
    _flip(Event.objects.get(intervention_id=busy, seq=3))
    # Opening starts from the snapshot at 20, so it does not see the damage...
    assert interventions.intervention_open(keyring=fresh(owner), intervention_id=busy).seq == 25
    # ...the check does, at that event alone: the next ones still verify on their own.
    report = check_all(keyring=fresh(owner))
    assert [(p.intervention_id, p.seq) for p in report.problems] == [(busy, 3)]
    assert "chain value does not match" in report.problems[0].what
    assert report.interventions[0].state_digest is None


def test_it_finds_a_changed_snapshot(owner: Keyring, busy: str) -> None:
    _flip(Snapshot.objects.get(intervention_id=busy, seq=20))
    report = check_all(keyring=fresh(owner))
    assert [(p.seq, "snapshot" in p.what) for p in report.problems] == [(20, True)]


def test_it_finds_a_sealed_snapshot_that_does_not_match_the_events(
    owner: Keyring, busy: str
) -> None:
    """A snapshot that authenticates (sealed with the key) but holds another state."""
    key = intervention_key_for(fresh(owner), busy)
    chain = log.chain_at(busy, 20)
    assert chain is not None
    opened = interventions.intervention_open(keyring=fresh(owner), intervention_id=busy)
    wrong = fold(opened, [], intervention_id=busy)  # the state at 25, not at 20
    Snapshot.objects.filter(intervention_id=busy).delete()
    sealed = encrypt_snapshot(
        key,
        intervention_id=busy,
        seq=20,
        chain=chain,
        format_version=STATE_FORMAT_VERSION,
        plaintext=encode_state(wrong),
    )
    log.save_snapshot(busy, STATE_FORMAT_VERSION, sealed)
    report = check_all(keyring=fresh(owner))
    assert [(p.seq, p.what) for p in report.problems] == [
        (20, "its snapshot does not match the state its events add up to")
    ]


def test_it_finds_a_log_cut_short(owner: Keyring, busy: str) -> None:
    # The mark a committed write leaves (the test's transaction never commits).
    head = log.chain_at(busy, 25)
    assert head is not None
    marks.note(owner.account_id, busy, marks.Mark(seq=25, chain=head))
    assert check_all(keyring=fresh(owner)).problems == []
    Event.objects.filter(intervention_id=busy, seq=25).delete()
    report = check_all(keyring=fresh(owner))
    assert [p.what for p in report.problems] == [
        "the log ends at event 24, but event 25 was written here"
    ]


def test_it_finds_a_dropped_event(owner: Keyring, busy: str) -> None:
    Event.objects.filter(intervention_id=busy, seq=10).delete()
    report = check_all(keyring=fresh(owner))
    assert (busy, 11) in [(p.intervention_id, p.seq) for p in report.problems]
    assert any("missing" in p.what for p in report.problems)
