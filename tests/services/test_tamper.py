"""A modified, dropped, reordered or moved event is detected on load, never skipped."""

from __future__ import annotations

from datetime import timedelta

import msgspec
import pytest
from django.utils import timezone
from pytest_django.fixtures import Settings

from allymap.domain import EventDecodeError, FoldError, PersonRemoved, encode_event
from allymap.services import interventions, kept, people
from allymap.services.access import intervention_key_for
from allymap.services.errors import Damage
from allymap.services.keyring import Keyring
from allymap.services.people import Details
from allymap.store import log
from allymap.store.models import Event, Snapshot
from allymap.vault import ChainBroken, TamperedEvent, VaultError, encrypt_event, next_chain
from tests.people import fresh
from tests.services.damage import raises_damage


@pytest.fixture(params=["opened afresh", "kept from a request before"])
def five(owner: Keyring, request: pytest.FixtureRequest) -> str:
    """An intervention of five events; in the second run, already opened by an earlier
    request, so its opening is kept in memory (`services.kept`) when the rows are
    changed: every change below must be found all the same."""
    intervention_id = interventions.intervention_start(
        keyring=owner, code_name="Five", doing_harm_alias="R"
    )
    for number in range(4):
        people.person_add(
            keyring=owner,
            intervention_id=intervention_id,
            details=Details(alias=f"Person {number}"),
        )
    if request.param == "kept from a request before":
        _open(owner, intervention_id)
        assert kept.kept_count() == 1
    return intervention_id


def _open(owner: Keyring, intervention_id: str) -> None:
    interventions.intervention_open(keyring=fresh(owner), intervention_id=intervention_id)


def _event(intervention_id: str, seq: int) -> Event:
    return Event.objects.get(intervention_id=intervention_id, seq=seq)


def test_it_opens_an_untouched_log(owner: Keyring, five: str) -> None:
    assert interventions.intervention_open(keyring=fresh(owner), intervention_id=five).seq == 5


def test_it_detects_a_dropped_middle_event(owner: Keyring, five: str) -> None:
    _event(five, 3).delete()
    with raises_damage(ChainBroken):
        _open(owner, five)


def test_it_detects_reordered_events(owner: Keyring, five: str) -> None:
    Event.objects.filter(intervention_id=five, seq=2).update(seq=99)
    Event.objects.filter(intervention_id=five, seq=3).update(seq=2)
    Event.objects.filter(intervention_id=five, seq=99).update(seq=3)
    with raises_damage(ChainBroken):
        _open(owner, five)


def test_it_detects_a_renumbered_event(owner: Keyring, five: str) -> None:
    """Closing the gap a dropped event leaves does not hide it."""
    _event(five, 3).delete()
    for seq in (4, 5):
        Event.objects.filter(intervention_id=five, seq=seq).update(seq=seq - 1)
    with raises_damage(VaultError):
        _open(owner, five)


@pytest.mark.parametrize("seq", [1, 3, 5])
def test_it_detects_a_modified_ciphertext(owner: Keyring, five: str, seq: int) -> None:
    event = _event(five, seq)
    ciphertext = bytearray(bytes(event.ciphertext))
    ciphertext[-1] ^= 0x01
    event.ciphertext = bytes(ciphertext)
    event.save()
    with raises_damage((ChainBroken, TamperedEvent)):
        _open(owner, five)


def test_it_detects_a_modified_ciphertext_with_its_chain_recomputed(
    owner: Keyring, five: str
) -> None:
    """The chain is a plain hash anyone can recompute; the AEAD tag still refuses it."""
    event = _event(five, 5)
    previous = bytes(_event(five, 4).chain)
    ciphertext = bytearray(bytes(event.ciphertext))
    ciphertext[0] ^= 0x01
    event.ciphertext = bytes(ciphertext)
    event.chain = next_chain(previous, bytes(ciphertext))
    event.save()
    with raises_damage(TamperedEvent):
        _open(owner, five)


def test_it_detects_a_changed_author(owner: Keyring, outsider: Keyring, five: str) -> None:
    Event.objects.filter(intervention_id=five, seq=2).update(author_id=outsider.account_id)
    with raises_damage(TamperedEvent):
        _open(owner, five)


def test_it_detects_a_changed_nonce(owner: Keyring, five: str) -> None:
    Event.objects.filter(intervention_id=five, seq=4).update(nonce=b"\x01" * 24)
    with raises_damage(TamperedEvent):
        _open(owner, five)


def test_it_detects_an_event_moved_to_another_intervention(owner: Keyring, five: str) -> None:
    other = interventions.intervention_start(keyring=owner, code_name="Other", doing_harm_alias="Q")
    Event.objects.filter(intervention_id=five, seq=3).update(intervention_id=other, seq=2)
    with raises_damage(VaultError):
        _open(owner, other)
    with raises_damage(ChainBroken):
        _open(owner, five)


def test_it_detects_a_moved_event_even_with_its_chain_refitted(owner: Keyring, five: str) -> None:
    """The associated data binds the intervention id: a moved event never opens."""
    other = interventions.intervention_start(keyring=owner, code_name="Other", doing_harm_alias="Q")
    moved = _event(five, 2)
    moved.pk = None
    moved.intervention_id = other
    moved.chain = next_chain(bytes(_event(other, 1).chain), bytes(moved.ciphertext))
    moved.save()
    with raises_damage(TamperedEvent):
        _open(owner, other)


def test_it_detects_a_replayed_event(owner: Keyring, five: str) -> None:
    """An old event copied to the end of the same log, its chain refitted."""
    replayed = _event(five, 2)
    replayed.pk = None
    replayed.seq = 6
    replayed.chain = next_chain(bytes(_event(five, 5).chain), bytes(replayed.ciphertext))
    replayed.save()
    with raises_damage(TamperedEvent):
        _open(owner, five)


def test_it_detects_a_dropped_event_behind_a_snapshot(owner: Keyring, settings: Settings) -> None:
    settings.ALLYMAP_SNAPSHOT_EVERY = 10
    intervention_id = interventions.intervention_start(
        keyring=owner, code_name="Long", doing_harm_alias="R"
    )
    for number in range(11):
        people.person_add(
            keyring=owner,
            intervention_id=intervention_id,
            details=Details(alias=f"P{number}"),
        )
    assert Snapshot.objects.filter(intervention_id=intervention_id, seq=10).exists()
    _event(intervention_id, 5).delete()
    with raises_damage(VaultError):
        _open(owner, intervention_id)


def _append_authentic(owner: Keyring, intervention_id: str, plaintext: bytes) -> None:
    """Append an event with the right key and chain, so only its content is at fault."""
    key = intervention_key_for(owner, intervention_id)
    last = Event.objects.filter(intervention_id=intervention_id).order_by("-seq").first()
    assert last is not None
    sealed = encrypt_event(
        key,
        intervention_id=intervention_id,
        seq=last.seq + 1,
        author=owner.account_id,
        at=timezone.now(),
        prev_chain=bytes(last.chain),
        plaintext=plaintext,
    )
    log.append(intervention_id, [sealed])


def test_it_reports_an_event_of_an_unknown_type_as_unreadable(owner: Keyring, five: str) -> None:
    _append_authentic(owner, five, msgspec.msgpack.encode({"type": "hui_planned/1"}))
    with raises_damage(EventDecodeError, Damage.UNREADABLE):
        _open(owner, five)


def test_it_reports_an_event_that_does_not_add_up_as_inconsistent(
    owner: Keyring, five: str
) -> None:
    _append_authentic(owner, five, encode_event(PersonRemoved(person_id="nobody")))
    with raises_damage(FoldError, Damage.INCONSISTENT):
        _open(owner, five)


def test_it_detects_a_changed_time(owner: Keyring, five: str) -> None:
    """An event's time is bound into its seal: moving it, even by a microsecond, shows."""
    event = _event(five, 4)
    event.created_at = event.created_at + timedelta(microseconds=1)
    event.save()
    with raises_damage(TamperedEvent):
        _open(owner, five)
