"""Random identifiers for rows that appear in URLs and plaintext metadata.

Threat defended against: enumeration and inference. Sequential ids reveal how many
interventions or accounts exist, in what order they were made, and let anyone probe
neighbouring ids. Ids from libsodium's CSPRNG reveal nothing and cannot be guessed.
"""

from __future__ import annotations

import base64

import nacl.utils


def random_id(nbytes: int = 16) -> str:
    """A fresh random id: ``nbytes`` random bytes as URL-safe base64 without padding.

    The default 16 bytes (128 bits, 22 characters) makes a collision negligible. Only the
    characters ``A-Z a-z 0-9 - _`` appear, so the id is safe in URLs and file names.
    Raises :class:`ValueError` if ``nbytes`` < 1.
    """
    if nbytes < 1:
        raise ValueError("a random id needs at least one byte")
    raw = bytes(nacl.utils.random(nbytes))
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")
