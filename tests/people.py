"""Standing people for the database tests: the owner, and an outsider beside them.

Personal mode lets `accounts.account_create` make exactly one account, so a second
account (the outsider, or another writer) is stored here the way the services store one:
fresh keys from the vault, an `Account` row, and a split session like an unlock gives.
"""

from __future__ import annotations

from allymap.services import accounts
from allymap.services.access import intervention_key_for
from allymap.services.keyring import Keyring
from allymap.store.models import Account, Membership
from allymap.vault import (
    create_account_keys,
    profile_from_env,
    seal_for_session,
    seal_intervention_key,
)

OWNER_PASSPHRASE = "correct horse battery staple"
OUTSIDER_PASSPHRASE = "a different kettle of fish"


def owner_create(passphrase: str = OWNER_PASSPHRASE) -> tuple[accounts.Unlocked, str]:
    """The personal-mode account, made by the service; returns (unlocked, recovery key)."""
    return accounts.account_create(passphrase=passphrase)


def account_beside_the_owner(passphrase: str = OUTSIDER_PASSPHRASE) -> accounts.Unlocked:
    """Another unlocked account, stored directly (the services allow only one in personal
    mode). Make the owner first: personal mode unlocks the oldest account."""
    keys, _recovery, private_key = create_account_keys(passphrase, profile_from_env())
    account = Account.objects.create(
        public_key=keys.public_key,
        kdf_salt=keys.kdf_salt,
        kdf_opslimit=keys.kdf_opslimit,
        kdf_memlimit=keys.kdf_memlimit,
        wrapped_private_key=keys.wrapped_private_key,
        recovery_wrapped_private_key=keys.recovery_wrapped_private_key,
    )
    session_key, session_blob = seal_for_session(private_key)
    return accounts.Unlocked(
        keyring=Keyring(account.id, private_key),
        session_key=session_key,
        session_blob=session_blob,
    )


def fresh(keyring: Keyring) -> Keyring:
    """The same account's keyring as a new request rebuilds it: no intervention key cached,
    so every lookup goes through the access module again."""
    return Keyring(keyring.account_id, keyring.private_key)


def join_team(member: Keyring, intervention_id: str, newcomer: Keyring) -> None:
    """Put `newcomer` on the team, as adding a member will: a member unseals the key and
    seals it for the newcomer. (There is no service for it yet.) Only hosted mode accepts
    a key from another account: callers turn it on (`settings.HOSTED = True`)."""
    key = intervention_key_for(member, intervention_id)
    Membership.objects.create(
        intervention_id=intervention_id,
        account_id=newcomer.account_id,
        sealed_key=seal_intervention_key(
            key, newcomer.public_key, intervention_id=intervention_id, sender=member.private_key
        ),
        sealed_by_id=member.account_id,
    )
