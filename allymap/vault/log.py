"""The encrypted, hash-chained, append-only event log of one intervention (snapshots of its
folded state are in `snapshots.py`).

Each event is encrypted with XChaCha20-Poly1305-IETF under the intervention key with a
random 24-byte nonce. Its associated data binds, in an unambiguous length-prefixed encoding
with a version label, the intervention id, the event's ``seq``, its author, the previous
event's chain value and the time it was written (to the microsecond). Each event also
carries a chain value ``chain_i = BLAKE2b-256(chain_{i-1} || ciphertext_i)``, where
``chain_0`` is :func:`genesis_chain` of the intervention id.

Threats defended against, by someone who can write to the database but lacks the key:

* reading any event or snapshot (confidentiality);
* modifying an event's ciphertext, nonce, seq, author or time (:class:`TamperedEvent`, or
  :class:`ChainBroken` where the stored chain value no longer matches);
* moving an event to another intervention, even one under the same key, or replaying it at
  another position (the AD and the chain differ);
* dropping or reordering events inside the log (:class:`ChainBroken`);
* swapping in a snapshot from another intervention, position or format version
  (:class:`TamperedSnapshot`).

Not defended against:

* removing the newest events (truncating the tail): the log alone cannot tell a shorter log
  from an older one. A caller that remembers a later (seq, chain) — e.g. in a client, a
  backup or a member's session — can detect it by passing that as the expected head;
* deleting a whole intervention, or reading the plaintext metadata (ids, seq, author,
  times, sizes of ciphertexts);
* anyone who holds the intervention key: members can forge events in another member's
  name (the author field is authenticated against outsiders, not between members);
* a compromised running server, which sees keys and plaintext while it serves a request.
"""

from __future__ import annotations

import hmac
import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import nacl.exceptions
import nacl.hash
import nacl.utils
from nacl.bindings import (
    crypto_aead_xchacha20poly1305_ietf_decrypt,
    crypto_aead_xchacha20poly1305_ietf_encrypt,
    crypto_aead_xchacha20poly1305_ietf_KEYBYTES,
    crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
)
from nacl.encoding import RawEncoder

from allymap.vault.errors import ChainBroken, TamperedEvent

__all__ = [
    "CHAIN_BYTES",
    "EVENT_AD_LABEL",
    "GENESIS_CHAIN_CONTEXT",
    "KEY_BYTES",
    "NONCE_BYTES",
    "SealedEvent",
    "decrypt_event",
    "decrypt_log",
    "encrypt_event",
    "genesis_chain",
    "next_chain",
]

#: Length of a chain value (BLAKE2b-256).
CHAIN_BYTES = 32
#: Length of an intervention key (XChaCha20-Poly1305).
KEY_BYTES: int = crypto_aead_xchacha20poly1305_ietf_KEYBYTES
#: Length of an event's or a snapshot's random nonce.
NONCE_BYTES: int = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES

#: Label hashed with the intervention id to make the chain value before event 1.
GENESIS_CHAIN_CONTEXT = b"allymap/vault genesis chain v1"
#: Version label at the start of every event's associated data. Version 2 binds the
#: time the event was written; version 1 (events written before) did not, and is still
#: read: a v2 event cannot be made to pass as v1 without the key (the labels differ).
EVENT_AD_LABEL = b"allymap/vault event v2"
EVENT_AD_LABEL_V1 = b"allymap/vault event v1"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

_U64 = struct.Struct(">Q")
_MAX_SEQ = 2**63 - 1


@dataclass(frozen=True)
class SealedEvent:
    """One stored event: plaintext metadata (seq, author, time) and the sealed content.

    ``nonce`` (24 bytes) and ``ciphertext`` come from :func:`encrypt_event`; ``chain`` is
    this event's chain value; ``at`` is when it was written (timezone-aware, bound into
    the associated data to the microsecond). Bytes-like fields (e.g. a ``memoryview``
    from a database driver) are converted to ``bytes``.
    """

    seq: int
    author: str
    nonce: bytes
    ciphertext: bytes
    chain: bytes
    at: datetime

    def __post_init__(self) -> None:
        for name in ("nonce", "ciphertext", "chain"):
            object.__setattr__(self, name, bytes(getattr(self, name)))


# -- chain ---------------------------------------------------------------------------------


def genesis_chain(intervention_id: str) -> bytes:
    """The chain value "before" event 1: BLAKE2b-256 of a fixed label and the id.

    Distinct per intervention, so a first event cannot be moved to another log.
    """
    return _blake2b_256(_encode(GENESIS_CHAIN_CONTEXT, intervention_id.encode("utf-8")))


def next_chain(prev_chain: bytes, ciphertext: bytes) -> bytes:
    """``BLAKE2b-256(prev_chain || ciphertext)``: the chain value of the next event.

    ``prev_chain`` must be 32 bytes (:class:`ValueError` otherwise), which keeps the
    concatenation unambiguous.
    """
    if len(prev_chain) != CHAIN_BYTES:
        raise ValueError(f"a chain value is {CHAIN_BYTES} bytes, got {len(prev_chain)}")
    return _blake2b_256(bytes(prev_chain) + bytes(ciphertext))


# -- events --------------------------------------------------------------------------------


def encrypt_event(
    key: bytes,
    *,
    intervention_id: str,
    seq: int,
    author: str,
    at: datetime,
    prev_chain: bytes,
    plaintext: bytes,
) -> SealedEvent:
    """Seal event ``seq`` of an intervention, written at ``at``, chained after ``prev_chain``.

    Uses a fresh random 24-byte nonce (safe to choose at random with XChaCha20). Returns the
    sealed event including its chain value, which is the ``prev_chain`` of event seq + 1.
    Raises :class:`ValueError` for a key that is not 32 bytes, a seq < 1 or a prev_chain
    that is not 32 bytes.
    """
    _check_key(key)
    _check_seq(seq)
    if len(prev_chain) != CHAIN_BYTES:
        raise ValueError(f"a chain value is {CHAIN_BYTES} bytes, got {len(prev_chain)}")
    nonce = bytes(nacl.utils.random(NONCE_BYTES))
    ad = _event_ad(intervention_id, seq, author, prev_chain, at)
    ciphertext = bytes(crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, ad, nonce, key))
    return SealedEvent(
        seq=seq,
        author=author,
        nonce=nonce,
        ciphertext=ciphertext,
        chain=next_chain(prev_chain, ciphertext),
        at=at,
    )


def decrypt_event(
    key: bytes, *, intervention_id: str, prev_chain: bytes, sealed: SealedEvent
) -> bytes:
    """Verify and open one event that follows ``prev_chain``; returns its plaintext.

    First checks, in constant time, that ``sealed.chain == next_chain(prev_chain,
    sealed.ciphertext)``, else :class:`ChainBroken` (the ciphertext or the chain value was
    changed, or an event before it is missing). Then decrypts with associated data built
    from ``intervention_id``, ``sealed.seq``, ``sealed.author``, ``prev_chain`` and
    ``sealed.at``, else :class:`TamperedEvent` (nonce, seq, author, time or intervention
    changed, or the wrong key). An event written before times were bound (v1) opens
    without its time.
    """
    where = f"event {sealed.seq} of intervention {intervention_id}"
    if len(prev_chain) != CHAIN_BYTES:
        raise ChainBroken(f"{where}: the previous chain value has the wrong length")
    if not hmac.compare_digest(sealed.chain, next_chain(prev_chain, sealed.ciphertext)):
        raise ChainBroken(
            f"{where}: its chain value does not match the previous event and its ciphertext "
            "(an event was modified, dropped or reordered)"
        )
    _check_key(key)
    tampered = (
        f"{where} failed authentication "
        "(modified nonce, ciphertext, seq, author or time, moved from another intervention, "
        "or the wrong key)"
    )
    if len(sealed.nonce) != NONCE_BYTES or not 1 <= sealed.seq <= _MAX_SEQ:
        raise TamperedEvent(tampered)
    for ad in (
        _event_ad(intervention_id, sealed.seq, sealed.author, prev_chain, sealed.at),
        _event_ad_v1(intervention_id, sealed.seq, sealed.author, prev_chain),
    ):
        try:
            plaintext = crypto_aead_xchacha20poly1305_ietf_decrypt(
                sealed.ciphertext, ad, sealed.nonce, key
            )
        except nacl.exceptions.CryptoError:
            continue
        return bytes(plaintext)
    raise TamperedEvent(tampered)


def decrypt_log(
    key: bytes,
    *,
    intervention_id: str,
    events: Iterable[SealedEvent],
    start_seq: int = 1,
    start_chain: bytes | None = None,
) -> Iterator[tuple[SealedEvent, bytes]]:
    """Verify and open a run of events in order, yielding ``(sealed, plaintext)``.

    The events must be numbered ``start_seq, start_seq + 1, …`` with no gap or reordering
    (else :class:`ChainBroken` naming the expected and found seq), and each must chain from
    the one before, starting from ``start_chain`` (default: :func:`genesis_chain`, which is
    only right for ``start_seq == 1``). To open from a snapshot at seq *s*, pass
    ``start_seq=s + 1`` and ``start_chain`` = the chain value stored with event *s*.

    This is a generator: errors surface while iterating. A caller must not keep state
    folded from a run that raised part-way.
    """
    _check_seq(start_seq)
    if start_chain is None:
        if start_seq != 1:
            raise ValueError("start_chain is required when start_seq is not 1")
        start_chain = genesis_chain(intervention_id)
    return _decrypt_run(key, intervention_id, events, start_seq, start_chain)


def _decrypt_run(
    key: bytes,
    intervention_id: str,
    events: Iterable[SealedEvent],
    expected_seq: int,
    chain: bytes,
) -> Iterator[tuple[SealedEvent, bytes]]:
    for sealed in events:
        if sealed.seq != expected_seq:
            raise ChainBroken(
                f"intervention {intervention_id}: expected event {expected_seq}, "
                f"found event {sealed.seq} (an event was dropped or reordered)"
            )
        plaintext = decrypt_event(
            key, intervention_id=intervention_id, prev_chain=chain, sealed=sealed
        )
        yield sealed, plaintext
        chain = sealed.chain
        expected_seq += 1


# -- encoding ------------------------------------------------------------------------------


def _encode(*fields: bytes) -> bytes:
    """Each field as an 8-byte big-endian length and its bytes: unambiguous concatenation."""
    return b"".join(_U64.pack(len(field)) + field for field in fields)


def _event_ad(
    intervention_id: str, seq: int, author: str, prev_chain: bytes, at: datetime
) -> bytes:
    if at.tzinfo is None:
        raise ValueError("an event's time must be timezone-aware")
    microseconds = (at - _EPOCH) // timedelta(microseconds=1)
    return _encode(
        EVENT_AD_LABEL,
        intervention_id.encode("utf-8"),
        _U64.pack(seq),
        author.encode("utf-8"),
        bytes(prev_chain),
        microseconds.to_bytes(9, "big", signed=True),
    )


def _event_ad_v1(intervention_id: str, seq: int, author: str, prev_chain: bytes) -> bytes:
    """The associated data of events written before their time was bound."""
    return _encode(
        EVENT_AD_LABEL_V1,
        intervention_id.encode("utf-8"),
        _U64.pack(seq),
        author.encode("utf-8"),
        bytes(prev_chain),
    )


def _blake2b_256(data: bytes) -> bytes:
    return bytes(nacl.hash.blake2b(data, digest_size=CHAIN_BYTES, encoder=RawEncoder))


def _check_key(key: bytes) -> None:
    if len(key) != KEY_BYTES:
        raise ValueError(f"an intervention key is {KEY_BYTES} bytes, got {len(key)}")


def _check_seq(seq: int) -> None:
    if not 1 <= seq <= _MAX_SEQ:
        raise ValueError(f"seq must be between 1 and {_MAX_SEQ}, got {seq}")
