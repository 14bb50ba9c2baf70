"""Private notes: text sealed to its author's own public key, inside a shared log.

For the ally self-check a team member keeps for themselves: the note travels inside the
intervention's (intervention-key encrypted) log, yet the other members, who hold the
intervention key, still cannot read it. An anonymous ``SealedBox`` to the author's own
key is enough here: only the author's private key opens it, and the log's own seal
already says who wrote the event that carries it.
"""

from __future__ import annotations

import nacl.exceptions
from nacl.public import PrivateKey, PublicKey, SealedBox

from allymap.vault.errors import WrongKey

__all__ = ["open_private_note", "seal_private_note"]


def seal_private_note(plaintext: bytes, public_key: bytes) -> bytes:
    """Seal a private note to its author's own public key (``SealedBox``).

    The note then travels inside the shared (intervention-key encrypted) log, but other
    members, who hold the intervention key, still cannot read it.
    """
    return _seal(plaintext, public_key)


def open_private_note(sealed: bytes, private_key: PrivateKey) -> bytes:
    """Open a private note; :class:`WrongKey` if it was not sealed to this private key."""
    return _open_sealed(sealed, private_key, what="private note")


def _seal(plaintext: bytes, public_key: bytes) -> bytes:
    try:
        recipient = PublicKey(public_key)
    except nacl.exceptions.CryptoError as error:
        raise ValueError("malformed public key") from error
    return bytes(SealedBox(recipient).encrypt(plaintext))


def _open_sealed(sealed: bytes, private_key: PrivateKey, *, what: str) -> bytes:
    try:
        return bytes(SealedBox(private_key).decrypt(sealed))
    except nacl.exceptions.CryptoError as error:
        raise WrongKey(f"this account's key cannot open the sealed {what}") from error
