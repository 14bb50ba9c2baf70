"""Unlocking a damaged, planted or cheaply stored account.

A record that cannot be trusted is AccountDamaged (the account's integrity page), never a
wrong passphrase and never a crash; personal mode refuses to choose between two accounts;
a key cost below the current profile is raised at the next unlock.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from nacl.pwhash import argon2id
from pytest_django.fixtures import Settings

from allymap.services import accounts
from allymap.services.errors import AccountDamage, AccountDamaged
from allymap.services.keyring import Keyring
from allymap.store.models import Account
from allymap.vault import (
    TEST_PROFILE,
    KdfParams,
    WrongPassphrase,
    create_account_keys,
    unlock_with_passphrase,
)
from tests.people import OUTSIDER_PASSPHRASE, OWNER_PASSPHRASE, account_beside_the_owner
from tests.people import owner_create as make_owner
from tests.services.test_throttle import KdfRuns, attempt, clock, kdf_runs

__all__ = ["clock", "kdf_runs"]  # fixtures, shared with the throttle's tests

NEW_PASSPHRASE = "a brand new passphrase"


def _damage(unlock: Callable[[], object]) -> AccountDamaged:
    with pytest.raises(AccountDamaged) as caught:
        unlock()
    return caught.value


def _owner_row() -> Account:
    return Account.objects.get()


def test_the_wrapped_key_size_matches_the_vault() -> None:
    keys, _recovery, _private = create_account_keys("any passphrase at all", TEST_PROFILE)
    assert len(keys.wrapped_private_key) == accounts.WRAPPED_KEY_BYTES
    assert len(keys.recovery_wrapped_private_key) == accounts.WRAPPED_KEY_BYTES
    assert len(keys.public_key) == accounts.PUBLIC_KEY_BYTES


# -- a second account in personal mode ------------------------------------------------------


def test_personal_mode_refuses_a_second_account(owner: object, kdf_runs: KdfRuns) -> None:
    account_beside_the_owner()
    runs = kdf_runs.count
    damaged = _damage(lambda: accounts.account_unlock(passphrase=OWNER_PASSPHRASE))
    assert damaged.damage is AccountDamage.SECOND_ACCOUNT
    assert "2 account records" in damaged.problem
    assert kdf_runs.count == runs  # nothing was tried
    assert _damage(accounts.account_check).damage is AccountDamage.SECOND_ACCOUNT


def test_a_planted_older_account_does_not_take_over(owner: object) -> None:
    """Before this was refused, unlock took the oldest row: a planted one with an older
    time opened with the planter's passphrase, as if it were the owner's allymap."""
    account_beside_the_owner(OUTSIDER_PASSPHRASE)
    planted = Account.objects.order_by("created_at").last()
    assert planted is not None
    Account.objects.filter(pk=planted.pk).update(created_at=timezone.now() - timedelta(days=365))
    for passphrase in (OUTSIDER_PASSPHRASE, OWNER_PASSPHRASE):
        damaged = _damage(lambda p=passphrase: accounts.account_unlock(passphrase=p))
        assert damaged.damage is AccountDamage.SECOND_ACCOUNT


def test_hosted_mode_keeps_several_accounts(owner: Keyring, settings: Settings) -> None:
    settings.HOSTED = True
    account_beside_the_owner()
    accounts.account_check()
    unlocked = accounts.account_unlock(passphrase=OWNER_PASSPHRASE)
    assert unlocked.keyring.account_id == owner.account_id


# -- a damaged record -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("wrapped_private_key", lambda v: v[:40], "the wrapped private key is 40 bytes, not 72"),
        ("wrapped_private_key", lambda v: b"", "the wrapped private key is 0 bytes, not 72"),
        ("kdf_salt", lambda v: v[:-1], "the salt is 15 bytes, not 16"),
        ("public_key", lambda v: v + b"\0", "the public key is 33 bytes, not 32"),
        ("public_key", lambda v: bytes(32), "the public key is all zeros"),
        ("kdf_opslimit", lambda v: 0, "the key cost (0 passes"),
        ("kdf_memlimit", lambda v: 2**45, "is outside what allymap uses"),
    ],
)
def test_it_reports_a_malformed_record_without_trying_the_passphrase(
    owner: object,
    kdf_runs: KdfRuns,
    field: str,
    value: Callable[[object], object],
    problem: str,
) -> None:
    row = _owner_row()
    Account.objects.filter(pk=row.pk).update(**{field: value(getattr(row, field))})
    for passphrase in (OWNER_PASSPHRASE, "a wrong guess entirely"):
        damaged = _damage(lambda p=passphrase: accounts.account_unlock(passphrase=p))
        assert damaged.damage is AccountDamage.MALFORMED
        assert problem in damaged.problem
    assert kdf_runs.count == 0


def test_it_reports_a_swapped_public_key_once_the_passphrase_opens_the_wrapping(
    owner: object, clock: object
) -> None:
    """The vault checks the unwrapped key against the public key: a swapped public key (or
    a wrapping swapped for one of another key pair) is found as soon as the wrapping
    opens, that is with the right passphrase. With a wrong one it cannot be told."""
    other, _recovery, _private = create_account_keys("someone else's words", TEST_PROFILE)
    Account.objects.filter(pk=_owner_row().pk).update(public_key=other.public_key)
    assert attempt("a wrong guess entirely") == "wrong"
    damaged = _damage(lambda: accounts.account_unlock(passphrase=OWNER_PASSPHRASE))
    assert damaged.damage is AccountDamage.MISMATCHED
    # The right passphrase is not a guess: it does not use up the allowance.
    for _ in range(6):
        assert _damage(lambda: accounts.account_unlock(passphrase=OWNER_PASSPHRASE))


def test_a_changed_byte_in_the_wrapping_looks_like_a_wrong_passphrase(owner: object) -> None:
    """The limit, written down: SecretBox fails the same way for a changed wrapping and
    for a wrong passphrase, so this is reported as a wrong passphrase (and counted)."""
    row = _owner_row()
    wrapped = bytearray(bytes(row.wrapped_private_key))
    wrapped[-1] ^= 1
    Account.objects.filter(pk=row.pk).update(wrapped_private_key=bytes(wrapped))
    with pytest.raises(WrongPassphrase):
        accounts.account_unlock(passphrase=OWNER_PASSPHRASE)


def test_recovery_still_opens_an_account_whose_passphrase_wrapping_is_damaged(
    db: None,
) -> None:
    _unlocked, recovery_key = make_owner()
    Account.objects.filter(pk=_owner_row().pk).update(kdf_salt=b"short", kdf_opslimit=0)
    assert _damage(accounts.account_check).damage is AccountDamage.MALFORMED
    accounts.account_check(recovery=True)
    accounts.account_recover(recovery_key=recovery_key, new_passphrase=NEW_PASSPHRASE)
    accounts.account_unlock(passphrase=NEW_PASSPHRASE)


def test_recovery_reports_a_damaged_recovery_wrapping(db: None) -> None:
    _unlocked, recovery_key = make_owner()
    row = _owner_row()
    Account.objects.filter(pk=row.pk).update(
        recovery_wrapped_private_key=bytes(row.recovery_wrapped_private_key)[:10]
    )
    damaged = _damage(
        lambda: accounts.account_recover(recovery_key=recovery_key, new_passphrase=NEW_PASSPHRASE)
    )
    assert damaged.damage is AccountDamage.MALFORMED
    # The passphrase still opens it: damage to one way in does not close the other.
    accounts.account_unlock(passphrase=OWNER_PASSPHRASE)


def test_recovery_reports_a_swapped_public_key(db: None) -> None:
    _unlocked, recovery_key = make_owner()
    other, _recovery, _private = create_account_keys("someone else's words", TEST_PROFILE)
    Account.objects.filter(pk=_owner_row().pk).update(public_key=other.public_key)
    damaged = _damage(
        lambda: accounts.account_recover(recovery_key=recovery_key, new_passphrase=NEW_PASSPHRASE)
    )
    assert damaged.damage is AccountDamage.MISMATCHED


# -- the key cost ---------------------------------------------------------------------------

STRONGER = KdfParams(opslimit=argon2id.OPSLIMIT_MIN + 1, memlimit=argon2id.MEMLIMIT_MIN * 4)


def test_it_raises_a_weak_key_cost_on_the_next_unlock(
    owner: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A record made while serving with the test profile is raised to the real one."""
    before = _owner_row()
    assert (before.kdf_opslimit, before.kdf_memlimit) == (
        TEST_PROFILE.opslimit,
        TEST_PROFILE.memlimit,
    )
    monkeypatch.setattr(accounts, "profile_from_env", lambda: STRONGER)
    accounts.account_unlock(passphrase=OWNER_PASSPHRASE)
    after = _owner_row()
    assert (after.kdf_opslimit, after.kdf_memlimit) == (STRONGER.opslimit, STRONGER.memlimit)
    assert bytes(after.kdf_salt) != bytes(before.kdf_salt)
    assert bytes(after.recovery_wrapped_private_key) == bytes(before.recovery_wrapped_private_key)
    assert bytes(after.public_key) == bytes(before.public_key)
    # The same passphrase opens the raised record, and nothing else does.
    keys = accounts._keys(after)
    assert bytes(unlock_with_passphrase(keys, OWNER_PASSPHRASE).public_key) == bytes(
        after.public_key
    )
    with pytest.raises(WrongPassphrase):
        unlock_with_passphrase(keys, OUTSIDER_PASSPHRASE)


def test_it_never_lowers_a_key_cost(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    _unlocked, recovery_key = make_owner()
    monkeypatch.setattr(accounts, "profile_from_env", lambda: STRONGER)
    accounts.account_unlock(passphrase=OWNER_PASSPHRASE)
    raised = _owner_row()
    monkeypatch.setattr(accounts, "profile_from_env", lambda: TEST_PROFILE)
    accounts.account_unlock(passphrase=OWNER_PASSPHRASE)
    assert bytes(_owner_row().kdf_salt) == bytes(raised.kdf_salt)
    # A new passphrase set with the recovery key keeps the higher cost too.
    accounts.account_recover(recovery_key=recovery_key, new_passphrase=NEW_PASSPHRASE)
    recovered = _owner_row()
    assert (recovered.kdf_opslimit, recovered.kdf_memlimit) == (
        STRONGER.opslimit,
        STRONGER.memlimit,
    )


def test_a_wrong_passphrase_raises_nothing(owner: object, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _owner_row()
    monkeypatch.setattr(accounts, "profile_from_env", lambda: STRONGER)
    with pytest.raises(WrongPassphrase):
        accounts.account_unlock(passphrase="a wrong guess entirely")
    assert bytes(_owner_row().wrapped_private_key) == bytes(before.wrapped_private_key)
