"""The vault: the only place in allymap that touches cryptography.

Everything is libsodium through PyNaCl, composed and never invented: Argon2id
(passphrase → key), X25519 authenticated ``Box`` (intervention keys, from the member who
gives one to the member who receives it, bound to the intervention id), X25519
``SealedBox`` (private notes to their own author), XSalsa20-Poly1305 ``SecretBox``
(wrapped private keys, session halves),
XChaCha20-Poly1305-IETF (events and snapshots) and BLAKE2b (chain values, recovery key
derivation). No Django here; it is plain Python tested with plain pytest.

What it protects:

* **Everything a person typed, at rest.** Events and snapshots are encrypted under a
  per-intervention key; that key is sealed to each member's public key; each private key
  is wrapped under the member's passphrase (Argon2id) and, separately, a recovery key
  shown once. A copy of the database or a backup reveals only minimal metadata (random
  ids, seq numbers, authors, times, sizes).
* **The integrity and order of the history.** Associated data binds each event to its
  intervention, seq, author, the previous chain value and the time it was written, and
  a BLAKE2b hash chain links the events, so a modified, moved, swapped, replayed,
  dropped or reordered event is detected on load and reported with a
  :class:`VaultError`, never silently skipped.
* **Half a session.** The unlocked private key is kept as a ciphertext in the server-side
  session whose key lives only in the cookie: neither the session store nor the cookie alone
  reveals it.
* **Private notes** from the other members of the same intervention.

What it does not protect:

* A compromised running server, or anything with access to the process memory: it sees
  keys and plaintext while serving a request (Python cannot reliably wipe memory).
* A keylogger, malware or an onlooker on the person's own computer; a weak passphrase
  (Argon2id only makes each guess expensive).
* Removal of the newest events of a log (truncation), or of a whole intervention: the log
  alone cannot distinguish that from an older copy.
* Members against each other: anyone holding an intervention key can write events under
  any author name. (Who sealed an intervention key is authenticated: see
  ``seal_intervention_key``.)
* The plaintext metadata listed above, traffic analysis, or availability (deleting data).
"""

from __future__ import annotations

from allymap.vault.errors import (
    ChainBroken,
    KeyNotTrusted,
    SessionExpired,
    TamperedEvent,
    TamperedSnapshot,
    VaultError,
    WrongKey,
    WrongPassphrase,
    WrongRecoveryKey,
)
from allymap.vault.ids import random_id
from allymap.vault.kdf import INTERACTIVE_PROFILE, TEST_PROFILE, KdfParams, profile_from_env
from allymap.vault.keys import (
    AccountKeys,
    PrivateKey,
    create_account_keys,
    new_intervention_key,
    open_intervention_key,
    open_session,
    rewrap_passphrase,
    seal_for_session,
    seal_intervention_key,
    session_key_from_text,
    session_key_to_text,
    unlock_with_passphrase,
    unlock_with_recovery_key,
)
from allymap.vault.log import (
    GENESIS_CHAIN_CONTEXT,
    SealedEvent,
    decrypt_event,
    decrypt_log,
    encrypt_event,
    genesis_chain,
    next_chain,
)
from allymap.vault.notes import open_private_note, seal_private_note
from allymap.vault.snapshots import SealedSnapshot, decrypt_snapshot, encrypt_snapshot

__all__ = [
    "GENESIS_CHAIN_CONTEXT",
    "INTERACTIVE_PROFILE",
    "TEST_PROFILE",
    "AccountKeys",
    "ChainBroken",
    "KdfParams",
    "KeyNotTrusted",
    "PrivateKey",
    "SealedEvent",
    "SealedSnapshot",
    "SessionExpired",
    "TamperedEvent",
    "TamperedSnapshot",
    "VaultError",
    "WrongKey",
    "WrongPassphrase",
    "WrongRecoveryKey",
    "create_account_keys",
    "decrypt_event",
    "decrypt_log",
    "decrypt_snapshot",
    "encrypt_event",
    "encrypt_snapshot",
    "genesis_chain",
    "new_intervention_key",
    "next_chain",
    "open_intervention_key",
    "open_private_note",
    "open_session",
    "profile_from_env",
    "random_id",
    "rewrap_passphrase",
    "seal_for_session",
    "seal_intervention_key",
    "seal_private_note",
    "session_key_from_text",
    "session_key_to_text",
    "unlock_with_passphrase",
    "unlock_with_recovery_key",
]
