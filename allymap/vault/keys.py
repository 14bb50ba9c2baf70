"""Account key pairs, recovery keys, intervention keys and session halves.

Every secret here is protected by a libsodium construction, composed, never invented:

* the account's X25519 private key is wrapped (``SecretBox``: XSalsa20-Poly1305) under a key
  derived with Argon2id from the passphrase, and a second time under a key derived with
  keyed BLAKE2b from a 256-bit random **recovery key** shown once to the person;
* each intervention key (32 random bytes) is sealed with an authenticated ``Box`` from the
  member who gives it to the member who receives it, bound to the intervention's id
  (private notes to oneself are in ``notes.py``);
* while a person is signed in, their private key is wrapped (``SecretBox``) under a random
  session key: the ciphertext lives in the server-side session, the key only in a cookie.

Threats defended against: a copy of the database or a backup (no secret is stored in clear;
each wrapping needs the passphrase, the recovery key or a member's private key), and a copy
of only one session half (the server's session store or the cookie).

Not defended against: a compromised running server (it sees the private key while handling
a request), a keylogger or malware on the person's computer, a weak passphrase (Argon2id
only slows guessing). Which accounts may give a key is the services' decision
(allymap/services/access.py): the box proves who sealed it, not whether to trust them.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import hmac
import re
from dataclasses import dataclass

import nacl.exceptions
import nacl.hash
import nacl.utils
from nacl.encoding import RawEncoder
from nacl.public import Box, PublicKey
from nacl.public import PrivateKey as PrivateKey
from nacl.secret import SecretBox

from allymap.vault.errors import (
    SessionExpired,
    VaultError,
    WrongKey,
    WrongPassphrase,
    WrongRecoveryKey,
)
from allymap.vault.kdf import SALT_BYTES, KdfParams, derive_key

__all__ = [
    "INTERVENTION_KEY_BYTES",
    "RECOVERY_KEY_BYTES",
    "SESSION_KEY_BYTES",
    "AccountKeys",
    "PrivateKey",
    "create_account_keys",
    "format_recovery_key",
    "new_intervention_key",
    "open_intervention_key",
    "open_session",
    "parse_recovery_key",
    "rewrap_passphrase",
    "seal_for_session",
    "seal_intervention_key",
    "session_key_from_text",
    "session_key_to_text",
    "unlock_with_passphrase",
    "unlock_with_recovery_key",
]

#: Size of an intervention key (an XChaCha20-Poly1305 key).
INTERVENTION_KEY_BYTES = 32
#: Size of the raw recovery key (256 bits, shown as 52 base32 characters).
RECOVERY_KEY_BYTES = 32
#: Size of a session key (a SecretBox key).
SESSION_KEY_BYTES: int = SecretBox.KEY_SIZE

# Domain separation for the recovery wrapping key: BLAKE2b keyed by the recovery bytes with
# a personalisation (16 bytes, libsodium's maximum) used nowhere else.
_RECOVERY_PERSON = b"allymap-recovery"
_RECOVERY_LABEL = b"allymap/vault: wrap account private key v1"

_RECOVERY_GROUP = 4
_RECOVERY_CHARS = 52  # ceil(32 * 8 / 5)
_RECOVERY_PADDING = "===="  # base32 pads 52 characters to 56
_BASE32_CHARS = re.compile(r"[A-Z2-7]{52}")
_SESSION_TEXT = re.compile(r"[A-Za-z0-9_-]{43}")
_ACCOUNT_BYTES_FIELDS = (
    "public_key",
    "kdf_salt",
    "wrapped_private_key",
    "recovery_wrapped_private_key",
)


@dataclass(frozen=True)
class AccountKeys:
    """Everything stored for an account's keys. No secret is in clear.

    ``public_key`` is the raw 32-byte X25519 public key. ``wrapped_private_key`` is a
    SecretBox (nonce + ciphertext) under Argon2id(passphrase, ``kdf_salt``) with the stored
    parameters; ``recovery_wrapped_private_key`` is a SecretBox under a key derived from the
    recovery key. Either unwraps the same private key, which must match ``public_key``.
    Bytes-like fields (e.g. a ``memoryview`` from a database driver) become ``bytes``.
    """

    public_key: bytes
    kdf_salt: bytes
    kdf_opslimit: int
    kdf_memlimit: int
    wrapped_private_key: bytes
    recovery_wrapped_private_key: bytes

    def __post_init__(self) -> None:
        for name in _ACCOUNT_BYTES_FIELDS:
            object.__setattr__(self, name, bytes(getattr(self, name)))


# -- account keys --------------------------------------------------------------------------


def create_account_keys(passphrase: str, params: KdfParams) -> tuple[AccountKeys, str, PrivateKey]:
    """Make a fresh key pair for a new account.

    Returns ``(keys, recovery_key_text, private_key)``: ``keys`` is what to store,
    ``recovery_key_text`` must be shown to the person once (and never stored), and
    ``private_key`` is the unlocked key for the session that follows. The passphrase policy
    (length, strength) is the caller's; this function accepts any string.
    """
    private_key = PrivateKey.generate()
    recovery = bytes(nacl.utils.random(RECOVERY_KEY_BYTES))
    salt = bytes(nacl.utils.random(SALT_BYTES))
    keys = AccountKeys(
        public_key=bytes(private_key.public_key),
        kdf_salt=salt,
        kdf_opslimit=params.opslimit,
        kdf_memlimit=params.memlimit,
        wrapped_private_key=_wrap(derive_key(passphrase, salt, params), private_key),
        recovery_wrapped_private_key=_wrap(_recovery_wrapping_key(recovery), private_key),
    )
    return keys, format_recovery_key(recovery), private_key


def unlock_with_passphrase(keys: AccountKeys, passphrase: str) -> PrivateKey:
    """Unwrap the account's private key with its passphrase.

    Raises :class:`WrongPassphrase` if the passphrase does not unwrap it, and the base
    :class:`VaultError` if the stored record is corrupt (parameters out of range, or a
    private key that does not belong to ``keys.public_key``: a swapped wrapping).
    """
    params = _stored_params(keys)
    if len(keys.kdf_salt) != SALT_BYTES:
        raise VaultError("the account's key record is corrupt: the salt has the wrong length")
    raw = _unwrap(derive_key(passphrase, keys.kdf_salt, params), keys.wrapped_private_key)
    if raw is None:
        raise WrongPassphrase()
    return _matching_private_key(raw, keys)


def unlock_with_recovery_key(keys: AccountKeys, recovery_key: str) -> PrivateKey:
    """Unwrap the account's private key with its recovery key.

    Accepts the text as printed, in any case, with or without dashes and spaces. Raises
    :class:`WrongRecoveryKey` for a malformed text or a key that does not unwrap it, and the
    base :class:`VaultError` if the stored record is corrupt (see unlock_with_passphrase).
    """
    recovery = parse_recovery_key(recovery_key)
    raw = _unwrap(_recovery_wrapping_key(recovery), keys.recovery_wrapped_private_key)
    if raw is None:
        raise WrongRecoveryKey()
    return _matching_private_key(raw, keys)


def rewrap_passphrase(
    keys: AccountKeys, private_key: PrivateKey, new_passphrase: str, params: KdfParams
) -> AccountKeys:
    """Wrap ``private_key`` under a new passphrase (fresh salt, ``params``).

    Used to change the passphrase or after unlocking with the recovery key. The recovery
    wrapping and the public key are kept. Raises :class:`ValueError` if ``private_key`` is
    not this account's key, so a mix-up can never lock a person out of their own account.
    """
    if not hmac.compare_digest(bytes(private_key.public_key), keys.public_key):
        raise ValueError("the private key does not belong to this account")
    salt = bytes(nacl.utils.random(SALT_BYTES))
    return dataclasses.replace(
        keys,
        kdf_salt=salt,
        kdf_opslimit=params.opslimit,
        kdf_memlimit=params.memlimit,
        wrapped_private_key=_wrap(derive_key(new_passphrase, salt, params), private_key),
    )


# -- recovery key text ---------------------------------------------------------------------


def format_recovery_key(recovery: bytes) -> str:
    """The printable form: RFC 4648 base32 without padding, upper case, groups of 4 by '-'.

    32 bytes give 52 characters in 13 groups, e.g. ``ABCD-EFGH-…``. The base32 alphabet
    has no 0, 1, 8 or 9, so O/0 and I/1 cannot be confused when typing it back.
    """
    if len(recovery) != RECOVERY_KEY_BYTES:
        raise ValueError(f"a recovery key is {RECOVERY_KEY_BYTES} bytes")
    text = base64.b32encode(recovery).decode("ascii").rstrip("=")
    groups = [text[i : i + _RECOVERY_GROUP] for i in range(0, len(text), _RECOVERY_GROUP)]
    return "-".join(groups)


def parse_recovery_key(text: str) -> bytes:
    """The raw recovery key from its printed form; :class:`WrongRecoveryKey` if malformed.

    Case, dashes and whitespace are ignored; a digit zero is read as the letter O (zero is
    not in the base32 alphabet, so this is unambiguous). Anything else must be exactly 52
    base32 characters encoding 32 bytes.
    """
    compact = "".join(ch for ch in text if ch != "-" and not ch.isspace()).upper()
    compact = compact.replace("0", "O")
    if len(compact) != _RECOVERY_CHARS or not _BASE32_CHARS.fullmatch(compact):
        raise WrongRecoveryKey("the recovery key is not in the expected format")
    try:
        raw = base64.b32decode(compact + _RECOVERY_PADDING)
    except (binascii.Error, ValueError) as error:
        raise WrongRecoveryKey("the recovery key is not in the expected format") from error
    if len(raw) != RECOVERY_KEY_BYTES:  # pragma: no cover - excluded by the length check
        raise WrongRecoveryKey("the recovery key is not in the expected format")
    return raw


# -- intervention keys and private notes ---------------------------------------------------


def new_intervention_key() -> bytes:
    """A fresh intervention key: 32 bytes from libsodium's CSPRNG."""
    return bytes(nacl.utils.random(INTERVENTION_KEY_BYTES))


INTERVENTION_KEY_LABEL = b"allymap/vault intervention key v1"


def seal_intervention_key(
    key: bytes, public_key: bytes, *, intervention_id: str, sender: PrivateKey
) -> bytes:
    """Seal an intervention key to a member's raw X25519 public key, from `sender`.

    An authenticated ``Box`` (not an anonymous ``SealedBox``): the member can tell the key
    came from `sender`, a member they trust, and that it belongs to `intervention_id`.
    Threat: someone who can write to the database (but holds no private key) plants a key
    of their own and a consistent log under an existing intervention's id; without this,
    the forged intervention would open without complaint. Raises ValueError for a key
    that is not 32 bytes or a malformed public key.
    """
    if len(key) != INTERVENTION_KEY_BYTES:
        raise ValueError(f"an intervention key is {INTERVENTION_KEY_BYTES} bytes")
    try:
        recipient = PublicKey(public_key)
    except nacl.exceptions.CryptoError as error:
        raise ValueError("malformed public key") from error
    return bytes(Box(sender, recipient).encrypt(_key_envelope(intervention_id, key)))


def open_intervention_key(
    sealed: bytes, private_key: PrivateKey, *, intervention_id: str, sender_public_key: bytes
) -> bytes:
    """Open a sealed intervention key; :class:`WrongKey` unless it is exactly what
    `sender_public_key`'s holder sealed to this private key for `intervention_id`."""
    try:
        box = Box(private_key, PublicKey(sender_public_key))
        envelope = bytes(box.decrypt(sealed))
    except (nacl.exceptions.CryptoError, ValueError, TypeError) as error:
        raise WrongKey("this account cannot open the sealed intervention key") from error
    expected_prefix = _key_envelope(intervention_id, b"")
    key = envelope[len(expected_prefix) :]
    if not envelope.startswith(expected_prefix) or len(key) != INTERVENTION_KEY_BYTES:
        raise WrongKey("the sealed intervention key belongs to another intervention")
    return key


def _key_envelope(intervention_id: str, key: bytes) -> bytes:
    """What a sealed intervention key holds: a label, the length-prefixed id, the key."""
    encoded_id = intervention_id.encode("utf-8")
    return INTERVENTION_KEY_LABEL + len(encoded_id).to_bytes(2, "big") + encoded_id + key


# -- session split ----------------------------------------------------------------------------


def seal_for_session(private_key: PrivateKey) -> tuple[bytes, bytes]:
    """Split an unlocked private key into ``(session_key, session_blob)``.

    ``session_blob`` is the private key in a SecretBox under the fresh random 32-byte
    ``session_key``. Keep the blob in the server-side session and the key only in an
    HttpOnly cookie: neither half alone reveals the private key, and deleting the server
    half locks the session for good.
    """
    session_key = bytes(nacl.utils.random(SESSION_KEY_BYTES))
    return session_key, _wrap(session_key, private_key)


def open_session(session_key: bytes, session_blob: bytes) -> PrivateKey:
    """Rebuild the private key from both session halves.

    Raises :class:`SessionExpired` on any failure: a key of the wrong length, the wrong key
    (another session's cookie), or a tampered or truncated blob.
    """
    if len(session_key) != SESSION_KEY_BYTES:
        raise SessionExpired()
    raw = _unwrap(session_key, session_blob)
    if raw is None or len(raw) != PrivateKey.SIZE:
        raise SessionExpired()
    return PrivateKey(raw)


def session_key_to_text(session_key: bytes) -> str:
    """The session key for a cookie: URL-safe base64 without padding (43 characters)."""
    if len(session_key) != SESSION_KEY_BYTES:
        raise ValueError(f"a session key is {SESSION_KEY_BYTES} bytes")
    return base64.urlsafe_b64encode(session_key).rstrip(b"=").decode("ascii")


def session_key_from_text(text: str) -> bytes:
    """The session key from a cookie value; :class:`SessionExpired` if malformed.

    Strict: exactly the canonical 43-character encoding of 32 bytes.
    """
    if not _SESSION_TEXT.fullmatch(text):
        raise SessionExpired()
    raw = base64.urlsafe_b64decode(text + "=")
    if len(raw) != SESSION_KEY_BYTES or session_key_to_text(raw) != text:
        raise SessionExpired()
    return raw


# -- helpers -----------------------------------------------------------------------------------


def _wrap(wrapping_key: bytes, private_key: PrivateKey) -> bytes:
    """SecretBox(wrapping_key) of the raw private key, as nonce + ciphertext."""
    return bytes(SecretBox(wrapping_key).encrypt(bytes(private_key)))


def _unwrap(wrapping_key: bytes, wrapped: bytes) -> bytes | None:
    """The raw private key, or None if ``wrapped`` does not authenticate under the key."""
    try:
        return bytes(SecretBox(wrapping_key).decrypt(wrapped))
    except nacl.exceptions.CryptoError:
        return None


def _recovery_wrapping_key(recovery: bytes) -> bytes:
    """SecretBox key from the recovery bytes: keyed, personalised BLAKE2b-256.

    The recovery key is 256 uniformly random bits, so a fast KDF suffices; the
    personalisation keeps this key distinct from any other use of the same bytes.
    """
    return bytes(
        nacl.hash.blake2b(
            _RECOVERY_LABEL,
            digest_size=SecretBox.KEY_SIZE,
            key=recovery,
            person=_RECOVERY_PERSON,
            encoder=RawEncoder,
        )
    )


def _stored_params(keys: AccountKeys) -> KdfParams:
    try:
        return KdfParams(opslimit=keys.kdf_opslimit, memlimit=keys.kdf_memlimit)
    except ValueError as error:
        raise VaultError(f"the account's key record is corrupt: {error}") from error


def _matching_private_key(raw: bytes, keys: AccountKeys) -> PrivateKey:
    """PrivateKey(raw), checked against the stored public key (defends a swapped record)."""
    corrupt = "the account's wrapped private key does not match its public key"
    if len(raw) != PrivateKey.SIZE:
        raise VaultError(corrupt)
    private_key = PrivateKey(raw)
    if not hmac.compare_digest(bytes(private_key.public_key), keys.public_key):
        raise VaultError(corrupt)
    return private_key
