"""Encrypted snapshots of an intervention's folded state, bound to their place in the log.

A snapshot is the state after event ``seq``, sealed with XChaCha20-Poly1305-IETF under the
intervention key. Its associated data binds the intervention id, ``seq``, the chain value
of event ``seq`` and the state's format version, so a snapshot cannot be moved to another
intervention or position, or read as another format (:class:`TamperedSnapshot`).
"""

from __future__ import annotations

from dataclasses import dataclass

import nacl.exceptions
import nacl.utils
from nacl.bindings import (
    crypto_aead_xchacha20poly1305_ietf_decrypt,
    crypto_aead_xchacha20poly1305_ietf_encrypt,
)

from allymap.vault.errors import TamperedSnapshot
from allymap.vault.log import (
    _MAX_SEQ,
    _U64,
    CHAIN_BYTES,
    NONCE_BYTES,
    _check_key,
    _check_seq,
    _encode,
)

__all__ = ["SNAPSHOT_AD_LABEL", "SealedSnapshot", "decrypt_snapshot", "encrypt_snapshot"]

#: Version label at the start of every snapshot's associated data.
SNAPSHOT_AD_LABEL = b"allymap/vault snapshot v1"


@dataclass(frozen=True)
class SealedSnapshot:
    """One stored snapshot: the folded state after event ``seq``, sealed.

    Bytes-like fields are converted to ``bytes`` as in :class:`SealedEvent`.
    """

    seq: int
    nonce: bytes
    ciphertext: bytes

    def __post_init__(self) -> None:
        for name in ("nonce", "ciphertext"):
            object.__setattr__(self, name, bytes(getattr(self, name)))


def encrypt_snapshot(
    key: bytes,
    *,
    intervention_id: str,
    seq: int,
    chain: bytes,
    format_version: int,
    plaintext: bytes,
) -> SealedSnapshot:
    """Seal the state folded up to event ``seq`` (whose chain value is ``chain``).

    The associated data binds the intervention id, ``seq``, ``chain`` and
    ``format_version``, so the snapshot opens only at that point of that log and only for
    code that reads that format. Raises :class:`ValueError` for bad arguments.
    """
    _check_key(key)
    _check_seq(seq)
    _check_format_version(format_version)
    if len(chain) != CHAIN_BYTES:
        raise ValueError(f"a chain value is {CHAIN_BYTES} bytes, got {len(chain)}")
    nonce = bytes(nacl.utils.random(NONCE_BYTES))
    ad = _snapshot_ad(intervention_id, seq, chain, format_version)
    ciphertext = bytes(crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, ad, nonce, key))
    return SealedSnapshot(seq=seq, nonce=nonce, ciphertext=ciphertext)


def decrypt_snapshot(
    key: bytes,
    *,
    intervention_id: str,
    chain: bytes,
    format_version: int,
    sealed: SealedSnapshot,
) -> bytes:
    """Open a snapshot taken at ``sealed.seq``, whose event has chain value ``chain``.

    Raises :class:`TamperedSnapshot` if it does not authenticate: modified, from another
    intervention or position, a different ``format_version``, or the wrong key. The event
    log stays authoritative: a caller may rebuild the snapshot from the events.
    """
    _check_key(key)
    tampered = (
        f"snapshot at event {sealed.seq} of intervention {intervention_id} failed "
        "authentication (modified, moved, another format version, or the wrong key)"
    )
    if (
        len(sealed.nonce) != NONCE_BYTES
        or len(chain) != CHAIN_BYTES
        or not 1 <= sealed.seq <= _MAX_SEQ
        or not 0 <= format_version <= _MAX_SEQ
    ):
        raise TamperedSnapshot(tampered)
    ad = _snapshot_ad(intervention_id, sealed.seq, chain, format_version)
    try:
        plaintext = crypto_aead_xchacha20poly1305_ietf_decrypt(
            sealed.ciphertext, ad, sealed.nonce, key
        )
    except nacl.exceptions.CryptoError as error:
        raise TamperedSnapshot(tampered) from error
    return bytes(plaintext)


def _snapshot_ad(intervention_id: str, seq: int, chain: bytes, format_version: int) -> bytes:
    return _encode(
        SNAPSHOT_AD_LABEL,
        intervention_id.encode("utf-8"),
        _U64.pack(seq),
        bytes(chain),
        _U64.pack(format_version),
    )


def _check_format_version(format_version: int) -> None:
    if not 0 <= format_version <= _MAX_SEQ:
        raise ValueError(f"format_version must be between 0 and {_MAX_SEQ}")
