"""Setting up, unlocking and recovering the account that holds allymap's keys.

Personal mode has exactly one account on the machine: the first run creates it, and
every later visit unlocks it. Hosted mode will add named accounts on the same keys.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from allymap.domain import Refusal
from allymap.services.errors import AlreadySetUp, NotSetUp, WeakPassphrase
from allymap.services.keyring import Keyring
from allymap.store.models import Account
from allymap.vault import (
    AccountKeys,
    create_account_keys,
    profile_from_env,
    rewrap_passphrase,
    seal_for_session,
    unlock_with_passphrase,
    unlock_with_recovery_key,
)

PASSPHRASE_MIN = 12
PASSPHRASE_MAX = 1024
PASSPHRASE_MIN_DIFFERENT = 5
"""The fewest different characters a passphrase may have (a repeated pattern is weak)."""


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
    account = Account.objects.order_by("created_at").first()
    if account is None:
        raise NotSetUp
    return account


def account_unlock(*, passphrase: str) -> Unlocked:
    """Unlock personal mode's account. Raises NotSetUp, or the vault's WrongPassphrase."""
    account = _the_account()
    private_key = unlock_with_passphrase(_keys(account), passphrase)
    return _unlocked(Keyring(account.id, private_key))


def account_recover(*, recovery_key: str, new_passphrase: str) -> Unlocked:
    """Set a new passphrase with the recovery key, and unlock.

    Raises WeakPassphrase, NotSetUp, or the vault's WrongRecoveryKey; nothing changes then.
    """
    check_passphrase(new_passphrase)
    account = _the_account()
    keys = _keys(account)
    private_key = unlock_with_recovery_key(keys, recovery_key)
    _store_keys(account, rewrap_passphrase(keys, private_key, new_passphrase, profile_from_env()))
    account.save()
    return _unlocked(Keyring(account.id, private_key))
