"""Argon2id parameters and the passphrase-to-key derivation.

Threat defended against: offline guessing of a passphrase by someone who has a copy of the
database (a stolen laptop, a leaked backup). Argon2id makes every guess cost both time and
memory, so GPU/ASIC farms gain little. It does not make a weak passphrase strong.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass

from nacl import exceptions as nacl_exceptions
from nacl.pwhash import argon2id

from allymap.vault.errors import VaultError


class KdfUnavailable(VaultError):
    """The key could not be derived at all (libsodium could not allocate its memory).

    Says nothing about the passphrase or the stored record: the caller must not report it
    as either.
    """

    default_message = "not enough memory to derive the key from the passphrase"


#: Environment variable that selects the cheap profile (``ALLYMAP_KDF_PROFILE=test``).
PROFILE_ENV_VAR = "ALLYMAP_KDF_PROFILE"

#: Length of the random salt stored beside the parameters (libsodium's ``SALTBYTES``).
SALT_BYTES: int = argon2id.SALTBYTES

#: Highest parameters accepted, from a caller or read back from storage: libsodium's
#: "sensitive" profile (4 passes, 1 GiB). A record claiming more is refused rather than
#: allowed to make the server allocate unbounded memory.
_MAX_OPSLIMIT: int = argon2id.OPSLIMIT_SENSITIVE
_MAX_MEMLIMIT: int = argon2id.MEMLIMIT_SENSITIVE


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost parameters: passes (``opslimit``) and memory in bytes (``memlimit``).

    Stored beside each wrapped key so the profile can change later without locking anyone
    out. Values must lie between libsodium's minimum and its "sensitive" profile; anything
    else raises :class:`ValueError` (a programming error, or a corrupt record).
    """

    opslimit: int
    memlimit: int

    def __post_init__(self) -> None:
        if not argon2id.OPSLIMIT_MIN <= self.opslimit <= _MAX_OPSLIMIT:
            raise ValueError(
                f"Argon2id opslimit {self.opslimit} outside "
                f"[{argon2id.OPSLIMIT_MIN}, {_MAX_OPSLIMIT}]"
            )
        if not argon2id.MEMLIMIT_MIN <= self.memlimit <= _MAX_MEMLIMIT:
            raise ValueError(
                f"Argon2id memlimit {self.memlimit} outside "
                f"[{argon2id.MEMLIMIT_MIN}, {_MAX_MEMLIMIT}]"
            )


#: The real profile: libsodium's ``OPSLIMIT_MODERATE`` / ``MEMLIMIT_MODERATE`` (3 passes,
#: 256 MiB). Unlocking is deliberately slow (design budget: 0.2–1 s). Measured on the
#: development machine (2 vCPU, PyNaCl 1.6.2): 0.56–0.63 s per derivation (libsodium's
#: interactive profile, 2 passes / 64 MiB, took 0.09 s there: too cheap for the budget).
INTERACTIVE_PROFILE = KdfParams(
    opslimit=argon2id.OPSLIMIT_MODERATE,
    memlimit=argon2id.MEMLIMIT_MODERATE,
)

#: The cheapest parameters libsodium allows. For tests only: it offers no real protection
#: against guessing. Selected at run time only by ``ALLYMAP_KDF_PROFILE=test``.
TEST_PROFILE = KdfParams(
    opslimit=argon2id.OPSLIMIT_MIN,
    memlimit=argon2id.MEMLIMIT_MIN,
)


def profile_from_env() -> KdfParams:
    """The profile for new wrappings: TEST_PROFILE only if ``ALLYMAP_KDF_PROFILE=test``.

    Any other value, or none, gives INTERACTIVE_PROFILE, so a typo can never silently weaken
    production keys.
    """
    if os.environ.get(PROFILE_ENV_VAR) == "test":
        return TEST_PROFILE
    return INTERACTIVE_PROFILE


def passphrase_bytes(passphrase: str) -> bytes:
    """The passphrase as UTF-8 after Unicode NFC normalisation.

    Normalising means the same passphrase typed on systems that compose accented letters
    differently (macOS vs. Windows keyboards) derives the same key. Nothing else (case,
    whitespace) is changed.
    """
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def derive_key(passphrase: str, salt: bytes, params: KdfParams, size: int = 32) -> bytes:
    """Argon2id(passphrase, salt) with ``params``: ``size`` bytes of key material.

    Raises :class:`ValueError` for a salt of the wrong length, :class:`KdfUnavailable` if
    libsodium refuses (it cannot allocate the memory).
    """
    if len(salt) != SALT_BYTES:
        raise ValueError(f"Argon2id salt must be {SALT_BYTES} bytes, got {len(salt)}")
    secret = passphrase_bytes(passphrase)
    if len(secret) > argon2id.PASSWD_MAX:
        raise ValueError("passphrase too long")
    try:
        key = argon2id.kdf(
            size,
            secret,
            salt,
            opslimit=params.opslimit,
            memlimit=params.memlimit,
        )
    except (MemoryError, nacl_exceptions.RuntimeError) as error:  # pragma: no cover
        raise KdfUnavailable() from error
    return bytes(key)
