"""Everything the vault refuses, as exceptions.

Every failure of a cryptographic check raises a subclass of :class:`VaultError`; the vault
never returns a partial or unverified result and never skips a bad record silently. The
messages name *what* failed (an event's seq, an intervention id: random, non-personal
identifiers) and never contain key material, passphrases or plaintext, so they are safe to
log and to show to the user.
"""

from __future__ import annotations


class VaultError(Exception):
    """Base class of every error raised by :mod:`allymap.vault`.

    Raised directly (not as a subclass) only for a stored record that is structurally
    impossible, e.g. an account whose wrapped private key does not belong to its public key,
    or key-derivation parameters out of range: that is corruption or tampering of the
    account record, not a mistake by the person typing.
    """

    default_message = "the vault refused the operation"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message if message is not None else self.default_message)

    @property
    def message(self) -> str:
        """The human-readable message (no secret material in it)."""
        return str(self.args[0])


class WrongPassphrase(VaultError):
    """The passphrase does not unwrap the account's private key.

    Defends against: guessing. Each attempt costs one Argon2id derivation; rate limiting is
    the caller's job.
    """

    default_message = "the passphrase does not unlock this account"


class WrongRecoveryKey(VaultError):
    """The recovery key is malformed or does not unwrap the account's private key."""

    default_message = "the recovery key is not valid for this account"


class TamperedEvent(VaultError):
    """An event failed AEAD authentication.

    Its ciphertext, nonce or associated data was modified: a swapped ``seq``, an event moved
    to another intervention, a wrong author, a wrong previous chain value, or the wrong key.
    """

    default_message = "an event failed authentication"


class ChainBroken(VaultError):
    """The hash chain of an intervention's log does not hold.

    Either an event's chain value is not ``BLAKE2b(prev_chain || ciphertext)`` (a modified,
    dropped or reordered event), or the ``seq`` numbers have a gap or are out of order.
    """

    default_message = "the event log's chain is broken"


class TamperedSnapshot(VaultError):
    """A snapshot failed AEAD authentication.

    Its ciphertext or nonce was modified, or it is being opened with the wrong intervention
    id, seq, chain value or format version (a snapshot written by other code). The log is
    authoritative: the caller may rebuild the snapshot from the events, after reporting it.
    """

    default_message = "a snapshot failed authentication"


class KeyNotTrusted(VaultError):
    """An intervention key that opens, but was sealed by an account not trusted to give it.

    Threat: a key (and a log to go with it) planted by someone who can write to the
    database and made an account of their own.
    """


class WrongKey(VaultError):
    """A sealed box (intervention key or private note) that this private key cannot open."""

    default_message = "this account's key cannot open the sealed data"


class SessionExpired(VaultError):
    """The session half cannot be opened: missing, malformed, wrong key or tampered.

    The caller should treat the session as locked and ask for the passphrase again.
    """

    default_message = "the session is locked or has expired"
