"""The encrypted, hash-chained event log and its snapshots."""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from nacl.bindings import crypto_aead_xchacha20poly1305_ietf_encrypt

from allymap.vault import (
    ChainBroken,
    SealedEvent,
    SealedSnapshot,
    TamperedEvent,
    TamperedSnapshot,
    decrypt_event,
    decrypt_log,
    decrypt_snapshot,
    encrypt_event,
    encrypt_snapshot,
    genesis_chain,
    new_intervention_key,
    next_chain,
    random_id,
)
from allymap.vault.log import _event_ad_v1

KEY = new_intervention_key()
INTERVENTION = random_id()
OTHER_INTERVENTION = random_id()
AT = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)
PLAINTEXTS = [f"event {n}: Aroha said something distinctive".encode() for n in range(1, 7)]
AUTHORS = ["acct-aroha", "acct-ben", "acct-aroha", "acct-chen", "acct-ben", "acct-aroha"]


def build_log(intervention_id: str = INTERVENTION, key: bytes = KEY) -> list[SealedEvent]:
    """A log of six events, as the store would append them."""
    events: list[SealedEvent] = []
    chain = genesis_chain(intervention_id)
    for seq, (author, plaintext) in enumerate(zip(AUTHORS, PLAINTEXTS, strict=True), start=1):
        sealed = encrypt_event(
            key,
            intervention_id=intervention_id,
            seq=seq,
            author=author,
            at=AT + timedelta(minutes=seq),
            prev_chain=chain,
            plaintext=plaintext,
        )
        events.append(sealed)
        chain = sealed.chain
    return events


def rechain(events: list[SealedEvent], intervention_id: str = INTERVENTION) -> list[SealedEvent]:
    """What an attacker with write access can do without the key: recompute every chain."""
    result: list[SealedEvent] = []
    chain = genesis_chain(intervention_id)
    for sealed in events:
        chain = next_chain(chain, sealed.ciphertext)
        result.append(dataclasses.replace(sealed, chain=chain))
    return result


def renumber(events: list[SealedEvent], start: int = 1) -> list[SealedEvent]:
    """Rewrite the plaintext seq metadata so it looks contiguous again."""
    return [dataclasses.replace(sealed, seq=seq) for seq, sealed in enumerate(events, start)]


def flip(data: bytes, index: int = 0) -> bytes:
    changed = bytearray(data)
    changed[index] ^= 0x01
    return bytes(changed)


def open_all(events: list[SealedEvent], intervention_id: str = INTERVENTION) -> list[bytes]:
    return [
        plaintext
        for _, plaintext in decrypt_log(KEY, intervention_id=intervention_id, events=events)
    ]


# -- chain values ----------------------------------------------------------------------------


def test_it_makes_a_distinct_32_byte_genesis_per_intervention() -> None:
    assert len(genesis_chain(INTERVENTION)) == 32
    assert genesis_chain(INTERVENTION) == genesis_chain(INTERVENTION)
    assert genesis_chain(INTERVENTION) != genesis_chain(OTHER_INTERVENTION)


def test_it_chains_with_blake2b_256_of_previous_and_ciphertext() -> None:
    prev = genesis_chain(INTERVENTION)
    expected = hashlib.blake2b(prev + b"ciphertext", digest_size=32).digest()
    assert next_chain(prev, b"ciphertext") == expected


def test_it_refuses_a_previous_chain_of_the_wrong_length() -> None:
    with pytest.raises(ValueError):
        next_chain(b"short", b"ciphertext")


# -- round trips -----------------------------------------------------------------------------


def test_it_opens_a_log_of_several_events() -> None:
    events = build_log()
    opened = list(decrypt_log(KEY, intervention_id=INTERVENTION, events=events))
    assert [plaintext for _, plaintext in opened] == PLAINTEXTS
    assert [sealed for sealed, _ in opened] == events
    assert [sealed.seq for sealed in events] == [1, 2, 3, 4, 5, 6]
    assert [sealed.author for sealed in events] == AUTHORS


def test_it_opens_an_empty_log() -> None:
    assert open_all([]) == []


def test_it_keeps_plaintext_out_of_the_ciphertext() -> None:
    for sealed, plaintext in zip(build_log(), PLAINTEXTS, strict=True):
        assert plaintext not in sealed.ciphertext
        assert b"Aroha" not in sealed.ciphertext
        assert len(sealed.nonce) == 24


def test_it_uses_a_fresh_nonce_every_time() -> None:
    nonces = {sealed.nonce for sealed in build_log() + build_log()}
    assert len(nonces) == 12


def test_it_opens_one_event_by_itself() -> None:
    events = build_log()
    plaintext = decrypt_event(
        KEY, intervention_id=INTERVENTION, prev_chain=events[2].chain, sealed=events[3]
    )
    assert plaintext == PLAINTEXTS[3]


def test_it_opens_the_tail_after_a_snapshot() -> None:
    events = build_log()
    tail = decrypt_log(
        KEY,
        intervention_id=INTERVENTION,
        events=events[4:],
        start_seq=5,
        start_chain=events[3].chain,
    )
    assert [plaintext for _, plaintext in tail] == PLAINTEXTS[4:]


def test_it_requires_a_start_chain_after_event_one() -> None:
    with pytest.raises(ValueError, match="start_chain"):
        decrypt_log(KEY, intervention_id=INTERVENTION, events=[], start_seq=5)


def test_it_accepts_memoryview_fields_from_a_database() -> None:
    events = [
        SealedEvent(
            seq=sealed.seq,
            author=sealed.author,
            nonce=memoryview(sealed.nonce),  # type: ignore[arg-type]
            ciphertext=memoryview(sealed.ciphertext),  # type: ignore[arg-type]
            chain=memoryview(sealed.chain),  # type: ignore[arg-type]
            at=sealed.at,
        )
        for sealed in build_log()
    ]
    assert open_all(events) == PLAINTEXTS


# -- tampering with one event ----------------------------------------------------------------


def test_it_reports_a_flipped_ciphertext_byte_as_a_broken_chain() -> None:
    events = build_log()
    events[2] = dataclasses.replace(events[2], ciphertext=flip(events[2].ciphertext))
    with pytest.raises(ChainBroken, match="event 3 of intervention"):
        open_all(events)


def test_it_reports_a_flipped_ciphertext_byte_with_recomputed_chain_as_tampered() -> None:
    events = build_log()
    events[2] = dataclasses.replace(events[2], ciphertext=flip(events[2].ciphertext))
    with pytest.raises(TamperedEvent, match="event 3 of intervention"):
        open_all(rechain(events))


def test_it_reports_a_tampered_nonce_as_tampered() -> None:
    events = build_log()
    events[1] = dataclasses.replace(events[1], nonce=flip(events[1].nonce))
    with pytest.raises(TamperedEvent, match="event 2 of intervention"):
        open_all(events)


def test_it_reports_a_truncated_nonce_as_tampered() -> None:
    events = build_log()
    events[1] = dataclasses.replace(events[1], nonce=events[1].nonce[:12])
    with pytest.raises(TamperedEvent):
        open_all(events)


def test_it_reports_a_wrong_author_as_tampered() -> None:
    events = build_log()
    events[0] = dataclasses.replace(events[0], author="acct-someone-else")
    with pytest.raises(TamperedEvent, match="event 1 of intervention"):
        open_all(events)


def test_it_reports_a_changed_chain_value_as_broken() -> None:
    events = build_log()
    events[4] = dataclasses.replace(events[4], chain=flip(events[4].chain))
    with pytest.raises(ChainBroken):
        open_all(events)


def test_it_reports_the_wrong_key_as_tampered() -> None:
    with pytest.raises(TamperedEvent):
        list(decrypt_log(new_intervention_key(), intervention_id=INTERVENTION, events=build_log()))


# -- swapping, moving, dropping, replaying ---------------------------------------------------


def test_it_reports_two_events_out_of_order_as_a_broken_chain() -> None:
    events = build_log()
    events[1], events[2] = events[2], events[1]
    with pytest.raises(ChainBroken, match="expected event 2, found event 3"):
        open_all(events)


def test_it_reports_swapped_events_with_rewritten_seq_as_a_broken_chain() -> None:
    events = build_log()
    events[1], events[2] = events[2], events[1]
    with pytest.raises(ChainBroken, match="event 2 of intervention"):
        open_all(renumber(events))


def test_it_reports_swapped_events_with_rewritten_seq_and_chain_as_tampered() -> None:
    events = build_log()
    events[1], events[2] = events[2], events[1]
    with pytest.raises(TamperedEvent, match="event 2 of intervention"):
        open_all(rechain(renumber(events)))


def test_it_reports_an_event_moved_to_another_intervention_as_a_broken_chain() -> None:
    moved = build_log()[:1]  # same key, kept as event 1
    with pytest.raises(ChainBroken, match=f"event 1 of intervention {OTHER_INTERVENTION}"):
        open_all(moved, intervention_id=OTHER_INTERVENTION)


def test_it_reports_an_event_moved_to_another_intervention_and_rechained_as_tampered() -> None:
    moved = rechain(build_log(), OTHER_INTERVENTION)
    with pytest.raises(TamperedEvent, match=f"event 1 of intervention {OTHER_INTERVENTION}"):
        open_all(moved, intervention_id=OTHER_INTERVENTION)


def test_it_reports_a_later_event_spliced_into_another_log_as_tampered() -> None:
    # Another intervention under the same key: its own events 1-2, then our event 3
    # renumbered and rechained to follow them.
    theirs = build_log(OTHER_INTERVENTION)[:2]
    spliced = rechain(renumber([*theirs, build_log()[2]]), OTHER_INTERVENTION)
    with pytest.raises(TamperedEvent, match="event 3 of intervention"):
        open_all(spliced, intervention_id=OTHER_INTERVENTION)


def test_it_reports_a_dropped_event_as_a_broken_chain() -> None:
    events = build_log()
    del events[3]
    with pytest.raises(ChainBroken, match="expected event 4, found event 5"):
        open_all(events)


def test_it_reports_a_dropped_event_with_renumbered_seqs_as_a_broken_chain() -> None:
    events = build_log()
    del events[3]
    with pytest.raises(ChainBroken, match="event 4 of intervention"):
        open_all(renumber(events))


def test_it_reports_a_dropped_event_with_renumbered_seqs_and_chain_as_tampered() -> None:
    events = build_log()
    del events[3]
    with pytest.raises(TamperedEvent, match="event 4 of intervention"):
        open_all(rechain(renumber(events)))


def test_it_reports_a_replayed_event_as_a_broken_chain() -> None:
    events = build_log()
    events.insert(3, events[2])
    with pytest.raises(ChainBroken, match="expected event 4, found event 3"):
        open_all(events)


def test_it_reports_a_dropped_first_event_as_a_broken_chain() -> None:
    with pytest.raises(ChainBroken, match="expected event 1, found event 2"):
        open_all(build_log()[1:])


def test_it_yields_the_events_before_the_damage_and_then_stops() -> None:
    events = build_log()
    events[3] = dataclasses.replace(events[3], author="acct-mallory")
    opened = decrypt_log(KEY, intervention_id=INTERVENTION, events=events)
    assert [next(opened)[1] for _ in range(3)] == PLAINTEXTS[:3]
    with pytest.raises(TamperedEvent):
        next(opened)


def test_it_reports_a_wrong_start_chain_after_a_snapshot_as_a_broken_chain() -> None:
    events = build_log()
    tail = decrypt_log(
        KEY,
        intervention_id=INTERVENTION,
        events=events[4:],
        start_seq=5,
        start_chain=events[2].chain,
    )
    with pytest.raises(ChainBroken, match="event 5 of intervention"):
        list(tail)


# -- snapshots -------------------------------------------------------------------------------

STATE = b'{"people": ["Aroha", "Ben"], "distinctive": "kowhai-snapshot"}'


def snapshot_at_4() -> tuple[SealedSnapshot, bytes]:
    chain_at_4 = build_log()[3].chain
    sealed = encrypt_snapshot(
        KEY,
        intervention_id=INTERVENTION,
        seq=4,
        chain=chain_at_4,
        format_version=3,
        plaintext=STATE,
    )
    return sealed, chain_at_4


def test_it_opens_a_snapshot() -> None:
    sealed, chain = snapshot_at_4()
    assert sealed.seq == 4
    assert STATE not in sealed.ciphertext
    opened = decrypt_snapshot(
        KEY, intervention_id=INTERVENTION, chain=chain, format_version=3, sealed=sealed
    )
    assert opened == STATE


def test_it_refuses_a_snapshot_with_a_rewritten_seq() -> None:
    sealed, chain = snapshot_at_4()
    with pytest.raises(TamperedSnapshot, match="snapshot at event 5"):
        decrypt_snapshot(
            KEY,
            intervention_id=INTERVENTION,
            chain=chain,
            format_version=3,
            sealed=dataclasses.replace(sealed, seq=5),
        )


def test_it_refuses_a_snapshot_against_the_wrong_chain_value() -> None:
    sealed, _ = snapshot_at_4()
    with pytest.raises(TamperedSnapshot):
        decrypt_snapshot(
            KEY,
            intervention_id=INTERVENTION,
            chain=build_log()[3].chain,  # a different log's event 4
            format_version=3,
            sealed=sealed,
        )


def test_it_refuses_a_snapshot_of_another_format_version() -> None:
    sealed, chain = snapshot_at_4()
    with pytest.raises(TamperedSnapshot):
        decrypt_snapshot(
            KEY, intervention_id=INTERVENTION, chain=chain, format_version=4, sealed=sealed
        )


def test_it_refuses_a_snapshot_from_another_intervention() -> None:
    sealed, chain = snapshot_at_4()
    with pytest.raises(TamperedSnapshot):
        decrypt_snapshot(
            KEY, intervention_id=OTHER_INTERVENTION, chain=chain, format_version=3, sealed=sealed
        )


def test_it_refuses_a_snapshot_with_a_flipped_byte() -> None:
    sealed, chain = snapshot_at_4()
    for tampered in (
        dataclasses.replace(sealed, ciphertext=flip(sealed.ciphertext)),
        dataclasses.replace(sealed, nonce=flip(sealed.nonce)),
        dataclasses.replace(sealed, nonce=b""),
    ):
        with pytest.raises(TamperedSnapshot):
            decrypt_snapshot(
                KEY, intervention_id=INTERVENTION, chain=chain, format_version=3, sealed=tampered
            )


def test_it_refuses_a_snapshot_under_the_wrong_key() -> None:
    sealed, chain = snapshot_at_4()
    with pytest.raises(TamperedSnapshot):
        decrypt_snapshot(
            new_intervention_key(),
            intervention_id=INTERVENTION,
            chain=chain,
            format_version=3,
            sealed=sealed,
        )


def test_it_refuses_to_encrypt_with_bad_arguments() -> None:
    chain = genesis_chain(INTERVENTION)
    with pytest.raises(ValueError):
        encrypt_event(
            b"short",
            intervention_id=INTERVENTION,
            seq=1,
            author="a",
            at=AT,
            prev_chain=chain,
            plaintext=b"",
        )
    with pytest.raises(ValueError):
        encrypt_event(
            KEY,
            intervention_id=INTERVENTION,
            seq=0,
            author="a",
            at=AT,
            prev_chain=chain,
            plaintext=b"",
        )
    with pytest.raises(ValueError):
        encrypt_event(  # a time without a timezone cannot be bound
            KEY,
            intervention_id=INTERVENTION,
            seq=1,
            author="a",
            at=AT.replace(tzinfo=None),
            prev_chain=chain,
            plaintext=b"",
        )
    with pytest.raises(ValueError):
        encrypt_snapshot(
            KEY,
            intervention_id=INTERVENTION,
            seq=1,
            chain=b"short",
            format_version=1,
            plaintext=b"",
        )


def test_it_detects_a_changed_time() -> None:
    events = build_log()
    moved = dataclasses.replace(events[2], at=events[2].at + timedelta(microseconds=1))
    with pytest.raises(TamperedEvent):
        open_all([*events[:2], moved, *events[3:]])


def test_it_reads_an_event_written_before_times_were_bound() -> None:
    """Version 1 events (no time in their associated data) still open; a version 2 event
    cannot be passed off as one (the labels differ), so its time stays bound."""
    chain = genesis_chain(INTERVENTION)
    nonce = bytes(24)
    ad = _event_ad_v1(INTERVENTION, 1, "acct-aroha", chain)
    ciphertext = bytes(crypto_aead_xchacha20poly1305_ietf_encrypt(b"old", ad, nonce, KEY))
    old = SealedEvent(
        seq=1,
        author="acct-aroha",
        nonce=nonce,
        ciphertext=ciphertext,
        chain=next_chain(chain, ciphertext),
        at=AT,
    )
    assert open_all([old]) == [b"old"]
    assert open_all([dataclasses.replace(old, at=AT + timedelta(days=9))]) == [b"old"]
