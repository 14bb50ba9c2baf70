"""Setting up, unlocking and recovering the account that holds allymap's keys.

Personal mode has exactly one account on the machine: the first run creates it, and
every later visit unlocks it. A second account row there was not made by allymap: unlock
and recovery refuse to choose between them (AccountDamaged) rather than open the oldest.
Hosted mode will add named accounts on the same keys.

Every unlock and recovery attempt is counted by services/throttle.py before its key is
derived. The stored record is checked before anything is tried: a field of a size allymap
never writes, or keys that open but do not belong together, is AccountDamaged, never a
wrong passphrase. What cannot be told apart from a wrong passphrase is listed in
docs/threat-model.md: a wrapping, salt or cost changed within its normal size fails to
open exactly as a wrong passphrase does.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, transaction

from allymap.domain import Refusal
from allymap.services import throttle
from allymap.services.errors import (
    AccountDamage,
    AccountDamaged,
    AlreadySetUp,
    NotSetUp,
    WeakPassphrase,
)
from allymap.services.keyring import Keyring
from allymap.store.models import Account
from allymap.vault import (
    AccountKeys,
    KdfParams,
    PrivateKey,
    VaultError,
    WrongPassphrase,
    WrongRecoveryKey,
    create_account_keys,
    profile_from_env,
    rewrap_passphrase,
    seal_for_session,
    unlock_with_passphrase,
    unlock_with_recovery_key,
)
from allymap.vault.kdf import SALT_BYTES, KdfUnavailable
from allymap.vault.keys import parse_recovery_key

PASSPHRASE_MIN = 12
PASSPHRASE_MAX = 1024
PASSPHRASE_MIN_DIFFERENT = 5
"""The fewest different characters a passphrase may have (a repeated pattern is weak)."""

PUBLIC_KEY_BYTES = 32
"""An X25519 public key."""
WRAPPED_KEY_BYTES = 72
"""A wrapped private key as the vault writes it: a 24-byte nonce, a 16-byte tag and the
32-byte key (SecretBox). tests/services/test_accounts_damage.py checks this against the
vault, so a change there cannot slip past."""

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Unlocked:
    """What an unlock gives the interface: the keyring, and the two halves of a session."""

    keyring: Keyring
    session_key: bytes
    session_blob: bytes


def check_passphrase(passphrase: str) -> None:
    """Refuse a passphrase too short to resist guessing; raise WeakPassphrase saying why."""
    if len(passphrase) < PASSPHRASE_MIN:
        raise WeakPassphrase(Refusal.PASSPHRASE_TOO_SHORT, params={"limit": PASSPHRASE_MIN})
    if len(passphrase) > PASSPHRASE_MAX:
        raise WeakPassphrase(Refusal.PASSPHRASE_TOO_LONG, params={"limit": PASSPHRASE_MAX})
    if len(set(passphrase)) < PASSPHRASE_MIN_DIFFERENT:
        raise WeakPassphrase(
            Refusal.PASSPHRASE_REPETITIVE, params={"limit": PASSPHRASE_MIN_DIFFERENT}
        )


def account_is_set_up() -> bool:
    """True once the first run has created the account."""
    return Account.objects.exists()


def _keys(account: Account) -> AccountKeys:
    return AccountKeys(
        public_key=bytes(account.public_key),
        kdf_salt=bytes(account.kdf_salt),
        kdf_opslimit=account.kdf_opslimit,
        kdf_memlimit=account.kdf_memlimit,
        wrapped_private_key=bytes(account.wrapped_private_key),
        recovery_wrapped_private_key=bytes(account.recovery_wrapped_private_key),
    )


def _store_keys(account: Account, keys: AccountKeys) -> None:
    account.public_key = keys.public_key
    account.kdf_salt = keys.kdf_salt
    account.kdf_opslimit = keys.kdf_opslimit
    account.kdf_memlimit = keys.kdf_memlimit
    account.wrapped_private_key = keys.wrapped_private_key
    account.recovery_wrapped_private_key = keys.recovery_wrapped_private_key


def _unlocked(keyring: Keyring) -> Unlocked:
    session_key, session_blob = seal_for_session(keyring.private_key)
    return Unlocked(keyring=keyring, session_key=session_key, session_blob=session_blob)


def account_create(*, passphrase: str) -> tuple[Unlocked, str]:
    """Create an account and unlock it; returns (unlocked, recovery key text).

    The recovery key is shown once and never stored in the clear. Personal mode allows one
    account: a second call raises AlreadySetUp. Raises WeakPassphrase before any work.
    """
    check_passphrase(passphrase)
    keys, recovery_text, private_key = create_account_keys(passphrase, profile_from_env())
    with transaction.atomic():
        if Account.objects.select_for_update().exists():
            raise AlreadySetUp
        account = Account()
        _store_keys(account, keys)
        account.save()
    return _unlocked(Keyring(account.id, private_key)), recovery_text


def _the_account() -> Account:
    """The account to unlock. Personal mode refuses to pick one of several."""
    if settings.HOSTED:
        account = Account.objects.order_by("created_at").first()
        if account is None:
            raise NotSetUp
        return account
    accounts = list(Account.objects.order_by("created_at")[:2])
    if not accounts:
        raise NotSetUp
    if len(accounts) > 1:
        count = Account.objects.count()
        raise AccountDamaged(
            AccountDamage.SECOND_ACCOUNT,
            f"{count} account records where personal mode keeps one",
        )
    return accounts[0]


def _sound_keys(account: Account, *, recovery: bool = False) -> AccountKeys:
    """The account's stored keys, if the fields this way in uses have the sizes and values
    allymap writes.

    Checked before anything is tried, so a truncated or made-up record is reported as
    damage, not as a wrong passphrase, and costs no try. Unlocking uses the public key,
    the salt, the cost and the wrapped key; recovery uses only the public key and the
    recovery wrapping (and writes a fresh salt, cost and wrapping, so it also repairs
    those), so damage to one way in does not close the other.
    """
    keys = _keys(account)
    sizes = {"public key": (keys.public_key, PUBLIC_KEY_BYTES)}
    if recovery:
        sizes["recovery wrapping"] = (keys.recovery_wrapped_private_key, WRAPPED_KEY_BYTES)
    else:
        sizes["salt"] = (keys.kdf_salt, SALT_BYTES)
        sizes["wrapped private key"] = (keys.wrapped_private_key, WRAPPED_KEY_BYTES)
    for name, (value, size) in sizes.items():
        if len(value) != size:
            raise AccountDamaged(
                AccountDamage.MALFORMED, f"the {name} is {len(value)} bytes, not {size}"
            )
    if not any(keys.public_key):
        raise AccountDamaged(AccountDamage.MALFORMED, "the public key is all zeros")
    if not recovery and _stored_cost(keys) is None:
        raise AccountDamaged(
            AccountDamage.MALFORMED,
            f"the key cost ({keys.kdf_opslimit} passes, {keys.kdf_memlimit} bytes) is "
            "outside what allymap uses",
        )
    return keys


def _stored_cost(keys: AccountKeys) -> KdfParams | None:
    try:
        return KdfParams(opslimit=keys.kdf_opslimit, memlimit=keys.kdf_memlimit)
    except ValueError:
        return None


def account_check(*, recovery: bool = False) -> None:
    """Raise NotSetUp before the first run, and AccountDamaged if the account's record
    cannot be trusted as far as can be told without a passphrase (or, with `recovery`,
    without a recovery key): see _sound_keys."""
    _sound_keys(_the_account(), recovery=recovery)


def unlock_wait(*, address: str | None = None) -> int:
    """Whole seconds before the next unlock attempt from `address` may start (0: now)."""
    account = _the_account()
    return throttle.wait_seconds(scopes=throttle.scopes_for(account_id=account.id, address=address))


def _mismatched(error: VaultError) -> AccountDamaged:
    return AccountDamaged(AccountDamage.MISMATCHED, error.message)


def _stronger_profile(keys: AccountKeys) -> KdfParams:
    """The current profile, but never below a cost the record already has."""
    current = profile_from_env()
    stored = _stored_cost(keys) or current
    return KdfParams(
        opslimit=max(current.opslimit, stored.opslimit),
        memlimit=max(current.memlimit, stored.memlimit),
    )


def _raise_weak_cost(
    account: Account, keys: AccountKeys, private_key: PrivateKey, passphrase: str
) -> None:
    """Rewrap the private key if its Argon2id cost is below the current profile.

    A record made while serving with the test profile would otherwise stay cheap to guess
    for good. Changes nothing if the record changed meanwhile (a recovery, say); a
    database that cannot be written leaves it for the next unlock.
    """
    wanted = _stronger_profile(keys)
    if (wanted.opslimit, wanted.memlimit) == (keys.kdf_opslimit, keys.kdf_memlimit):
        return
    raised = rewrap_passphrase(keys, private_key, passphrase, wanted)
    try:
        with transaction.atomic():
            Account.objects.filter(pk=account.pk, kdf_salt=keys.kdf_salt).update(
                kdf_salt=raised.kdf_salt,
                kdf_opslimit=raised.kdf_opslimit,
                kdf_memlimit=raised.kdf_memlimit,
                wrapped_private_key=raised.wrapped_private_key,
            )
    except DatabaseError as error:
        log.warning("key cost not raised, left for the next unlock: %s", type(error).__name__)
    else:
        log.info(
            "raised the account's key cost to %s passes, %s MiB",
            wanted.opslimit,
            wanted.memlimit // 2**20,
        )


def account_unlock(*, passphrase: str, address: str | None = None) -> Unlocked:
    """Unlock the account from `address` (the client's, for hosted mode's throttle).

    Raises NotSetUp; AccountDamaged; TooManyTries or AttemptNotRecorded before any key is
    derived (services/throttle.py); or the vault's WrongPassphrase. A success raises a
    key cost below the current profile.
    """
    account = _the_account()
    keys = _sound_keys(account)
    scopes = throttle.scopes_for(account_id=account.id, address=address)
    throttle.attempt_begin(scopes=scopes)
    try:
        private_key = unlock_with_passphrase(keys, passphrase)
    except (WrongPassphrase, KdfUnavailable):
        raise
    except VaultError as error:
        # The wrapping opened, so the passphrase was right: not a guess to count.
        throttle.attempt_succeeded(scopes=scopes)
        raise _mismatched(error) from None
    throttle.attempt_succeeded(scopes=scopes)
    _raise_weak_cost(account, keys, private_key, passphrase)
    return _unlocked(Keyring(account.id, private_key))


def passphrase_confirm(*, account_id: str, passphrase: str, address: str | None = None) -> None:
    """Check that `passphrase` is the passphrase of the account `account_id`, for a page
    that shows something sealed to that account only when it is typed again (the
    self-check: in personal mode, anyone at an unlocked screen is "the account").

    Counted by the same throttle as unlocking, so it cannot be used to guess faster.
    Raises NotSetUp (no such account), AccountDamaged, TooManyTries or
    AttemptNotRecorded before any key is derived, KdfUnavailable, or WrongPassphrase.
    """
    account = Account.objects.filter(pk=account_id).first()
    if account is None:
        raise NotSetUp
    keys = _sound_keys(account)
    scopes = throttle.scopes_for(account_id=account.id, address=address)
    throttle.attempt_begin(scopes=scopes)
    try:
        unlock_with_passphrase(keys, passphrase)
    except (WrongPassphrase, KdfUnavailable):
        raise
    except VaultError as error:
        # The wrapping opened, so the passphrase was right: not a guess to count.
        throttle.attempt_succeeded(scopes=scopes)
        raise _mismatched(error) from None
    throttle.attempt_succeeded(scopes=scopes)


def account_recover(
    *, recovery_key: str, new_passphrase: str, address: str | None = None
) -> Unlocked:
    """Set a new passphrase with the recovery key, and unlock.

    Raises WeakPassphrase, NotSetUp, AccountDamaged, TooManyTries, AttemptNotRecorded, or
    the vault's WrongRecoveryKey; nothing changes then. Recovery attempts count in the
    same throttle as unlocking, so switching forms gains a guesser nothing. A key not
    even in the printed format is refused without counting.
    """
    check_passphrase(new_passphrase)
    account = _the_account()
    keys = _sound_keys(account, recovery=True)
    parse_recovery_key(recovery_key)  # WrongRecoveryKey if malformed: not a guess
    scopes = throttle.scopes_for(account_id=account.id, address=address)
    throttle.attempt_begin(scopes=scopes)
    try:
        private_key = unlock_with_recovery_key(keys, recovery_key)
    except WrongRecoveryKey:
        raise
    except VaultError as error:
        throttle.attempt_succeeded(scopes=scopes)
        raise _mismatched(error) from None
    throttle.attempt_succeeded(scopes=scopes)
    _store_keys(
        account, rewrap_passphrase(keys, private_key, new_passphrase, _stronger_profile(keys))
    )
    # A new passphrase and the end of every older session of the account, together: the
    # one never without the other. (Imported here: sessions builds on this module.)
    from allymap.services.sessions import sessions_end_all_but

    with transaction.atomic():
        account.save()
        sessions_end_all_but(account.id, keep=None)
    return _unlocked(Keyring(account.id, private_key))
