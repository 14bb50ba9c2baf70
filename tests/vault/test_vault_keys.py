"""Account keys, recovery keys, intervention keys, private notes and session halves."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

import pytest

from allymap.vault import (
    TEST_PROFILE,
    AccountKeys,
    PrivateKey,
    SessionExpired,
    VaultError,
    WrongKey,
    WrongPassphrase,
    WrongRecoveryKey,
    create_account_keys,
    new_intervention_key,
    open_intervention_key,
    open_private_note,
    open_session,
    rewrap_passphrase,
    seal_for_session,
    seal_intervention_key,
    seal_private_note,
    session_key_from_text,
    session_key_to_text,
    unlock_with_passphrase,
    unlock_with_recovery_key,
)

PASSPHRASE = "tītī wainui kōrero 42"

Account = tuple[AccountKeys, str, PrivateKey]


@pytest.fixture(scope="module")
def account() -> Account:
    return create_account_keys(PASSPHRASE, TEST_PROFILE)


@pytest.fixture(scope="module")
def other_account() -> Account:
    return create_account_keys("another person's passphrase", TEST_PROFILE)


def flip(data: bytes, index: int = -1) -> bytes:
    """``data`` with one bit of one byte flipped."""
    changed = bytearray(data)
    changed[index] ^= 0x01
    return bytes(changed)


# -- account keys ----------------------------------------------------------------------------


def test_it_stores_no_secret_in_clear(account: Account) -> None:
    keys, recovery_text, private_key = account
    raw_private = bytes(private_key)
    stored = b"".join(value for value in dataclasses.astuple(keys) if isinstance(value, bytes))
    assert raw_private not in stored
    assert PASSPHRASE.encode() not in stored
    assert recovery_text.encode() not in stored
    assert keys.public_key == bytes(private_key.public_key)
    assert (keys.kdf_opslimit, keys.kdf_memlimit) == (
        TEST_PROFILE.opslimit,
        TEST_PROFILE.memlimit,
    )


def test_it_unlocks_with_the_passphrase(account: Account) -> None:
    keys, _, private_key = account
    assert bytes(unlock_with_passphrase(keys, PASSPHRASE)) == bytes(private_key)


def test_it_refuses_a_wrong_passphrase(account: Account) -> None:
    keys, _, _ = account
    with pytest.raises(WrongPassphrase):
        unlock_with_passphrase(keys, PASSPHRASE + " ")


def test_it_refuses_an_empty_passphrase(account: Account) -> None:
    keys, _, _ = account
    with pytest.raises(WrongPassphrase):
        unlock_with_passphrase(keys, "")


def test_it_refuses_a_passphrase_against_a_tampered_wrapping(account: Account) -> None:
    keys, _, _ = account
    tampered = dataclasses.replace(keys, wrapped_private_key=flip(keys.wrapped_private_key))
    with pytest.raises(WrongPassphrase):
        unlock_with_passphrase(tampered, PASSPHRASE)


def test_it_refuses_a_wrapping_swapped_in_from_another_account(
    account: Account, other_account: Account
) -> None:
    keys, _, _ = account
    other_keys, _, _ = other_account
    # The other account's whole passphrase record, under this account's public key.
    swapped = dataclasses.replace(
        other_keys,
        public_key=keys.public_key,
    )
    with pytest.raises(VaultError, match="does not match its public key"):
        unlock_with_passphrase(swapped, "another person's passphrase")


def test_it_refuses_stored_parameters_out_of_range(account: Account) -> None:
    keys, _, _ = account
    with pytest.raises(VaultError, match="corrupt"):
        unlock_with_passphrase(dataclasses.replace(keys, kdf_memlimit=2**50), PASSPHRASE)


def test_it_accepts_memoryview_fields_from_a_database(account: Account) -> None:
    keys, _, private_key = account
    from_db = AccountKeys(
        public_key=memoryview(keys.public_key),  # type: ignore[arg-type]
        kdf_salt=memoryview(keys.kdf_salt),  # type: ignore[arg-type]
        kdf_opslimit=keys.kdf_opslimit,
        kdf_memlimit=keys.kdf_memlimit,
        wrapped_private_key=memoryview(keys.wrapped_private_key),  # type: ignore[arg-type]
        recovery_wrapped_private_key=memoryview(keys.recovery_wrapped_private_key),  # type: ignore[arg-type]
    )
    assert from_db == keys
    assert bytes(unlock_with_passphrase(from_db, PASSPHRASE)) == bytes(private_key)


# -- recovery key ----------------------------------------------------------------------------


def test_it_shows_the_recovery_key_as_dashed_upper_case_base32(account: Account) -> None:
    _, recovery_text, _ = account
    assert re.fullmatch(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){12}", recovery_text)


def test_it_makes_a_different_recovery_key_for_each_account(
    account: Account, other_account: Account
) -> None:
    assert account[1] != other_account[1]


def test_it_unlocks_with_the_recovery_key(account: Account) -> None:
    keys, recovery_text, private_key = account
    assert bytes(unlock_with_recovery_key(keys, recovery_text)) == bytes(private_key)


@pytest.mark.parametrize(
    "transform",
    [
        str.lower,
        lambda text: text.replace("-", ""),
        lambda text: text.replace("-", " "),
        lambda text: "  " + text.lower().replace("-", "") + "\n",
        lambda text: text.replace("O", "0"),
    ],
    ids=["lower-case", "no-dashes", "spaces", "lower-no-dashes-padded", "zero-for-O"],
)
def test_it_accepts_the_recovery_key_as_typed(
    account: Account, transform: Callable[[str], str]
) -> None:
    keys, recovery_text, private_key = account
    typed = transform(recovery_text)
    assert bytes(unlock_with_recovery_key(keys, typed)) == bytes(private_key)


def test_it_refuses_another_accounts_recovery_key(account: Account, other_account: Account) -> None:
    keys, _, _ = account
    _, other_recovery, _ = other_account
    with pytest.raises(WrongRecoveryKey):
        unlock_with_recovery_key(keys, other_recovery)


def test_it_refuses_a_recovery_key_with_one_character_changed(account: Account) -> None:
    keys, recovery_text, _ = account
    changed = ("B" if recovery_text[0] != "B" else "C") + recovery_text[1:]
    with pytest.raises(WrongRecoveryKey):
        unlock_with_recovery_key(keys, changed)


@pytest.mark.parametrize(
    "malformed",
    ["", "ABCD", "ABCD-EFGH-1JKL", "not a recovery key at all", "A" * 51, "A" * 53, "é" * 52],
)
def test_it_refuses_a_malformed_recovery_key(account: Account, malformed: str) -> None:
    keys, _, _ = account
    with pytest.raises(WrongRecoveryKey):
        unlock_with_recovery_key(keys, malformed)


def test_it_refuses_a_recovery_key_one_group_short(account: Account) -> None:
    keys, recovery_text, _ = account
    with pytest.raises(WrongRecoveryKey):
        unlock_with_recovery_key(keys, recovery_text[:-5])


# -- rewrap ----------------------------------------------------------------------------------


def test_it_rewraps_under_a_new_passphrase_after_recovery(account: Account) -> None:
    keys, recovery_text, private_key = account
    recovered = unlock_with_recovery_key(keys, recovery_text)
    rewrapped = rewrap_passphrase(keys, recovered, "a brand new passphrase", TEST_PROFILE)

    assert bytes(unlock_with_passphrase(rewrapped, "a brand new passphrase")) == bytes(private_key)
    assert rewrapped.kdf_salt != keys.kdf_salt
    assert rewrapped.public_key == keys.public_key
    assert rewrapped.recovery_wrapped_private_key == keys.recovery_wrapped_private_key
    # The recovery key still works, the old passphrase no longer does.
    assert bytes(unlock_with_recovery_key(rewrapped, recovery_text)) == bytes(private_key)
    with pytest.raises(WrongPassphrase):
        unlock_with_passphrase(rewrapped, PASSPHRASE)


def test_it_refuses_to_rewrap_another_accounts_private_key(
    account: Account, other_account: Account
) -> None:
    keys, _, _ = account
    _, _, other_private = other_account
    with pytest.raises(ValueError, match="does not belong"):
        rewrap_passphrase(keys, other_private, "whatever", TEST_PROFILE)


# -- intervention keys and private notes ---------------------------------------------------


def test_it_makes_random_32_byte_intervention_keys() -> None:
    first, second = new_intervention_key(), new_intervention_key()
    assert len(first) == len(second) == 32
    assert first != second


IID = "intervention-a"


def test_it_opens_a_sealed_intervention_key(account: Account, other_account: Account) -> None:
    keys, _, private_key = account
    giver_keys, _, giver_private = other_account
    key = new_intervention_key()
    sealed = seal_intervention_key(key, keys.public_key, intervention_id=IID, sender=giver_private)
    assert key not in sealed
    opened = open_intervention_key(
        sealed, private_key, intervention_id=IID, sender_public_key=giver_keys.public_key
    )
    assert opened == key


def test_it_opens_a_key_sealed_to_oneself(account: Account) -> None:
    keys, _, private_key = account
    key = new_intervention_key()
    sealed = seal_intervention_key(key, keys.public_key, intervention_id=IID, sender=private_key)
    assert (
        open_intervention_key(
            sealed, private_key, intervention_id=IID, sender_public_key=keys.public_key
        )
        == key
    )


def test_it_refuses_an_intervention_key_sealed_to_another_account(
    account: Account, other_account: Account
) -> None:
    keys, _, private_key = account
    _, _, other_private = other_account
    sealed = seal_intervention_key(
        new_intervention_key(), keys.public_key, intervention_id=IID, sender=private_key
    )
    with pytest.raises(WrongKey):
        open_intervention_key(
            sealed, other_private, intervention_id=IID, sender_public_key=keys.public_key
        )


def test_it_refuses_a_key_that_names_the_wrong_sealer(
    account: Account, other_account: Account
) -> None:
    """A key planted by someone with their own key pair does not pass for one from us."""
    keys, _, private_key = account
    _, _, planter_private = other_account
    sealed = seal_intervention_key(
        new_intervention_key(), keys.public_key, intervention_id=IID, sender=planter_private
    )
    with pytest.raises(WrongKey):
        open_intervention_key(
            sealed, private_key, intervention_id=IID, sender_public_key=keys.public_key
        )


def test_it_refuses_a_key_sealed_for_another_intervention(account: Account) -> None:
    keys, _, private_key = account
    sealed = seal_intervention_key(
        new_intervention_key(), keys.public_key, intervention_id=IID, sender=private_key
    )
    with pytest.raises(WrongKey):
        open_intervention_key(
            sealed, private_key, intervention_id="intervention-b", sender_public_key=keys.public_key
        )


def test_it_refuses_a_tampered_sealed_intervention_key(account: Account) -> None:
    keys, _, private_key = account
    sealed = seal_intervention_key(
        new_intervention_key(), keys.public_key, intervention_id=IID, sender=private_key
    )
    for broken in (flip(sealed), sealed[:10]):
        with pytest.raises(WrongKey):
            open_intervention_key(
                broken, private_key, intervention_id=IID, sender_public_key=keys.public_key
            )


def test_it_refuses_to_seal_a_key_of_the_wrong_length(account: Account) -> None:
    keys, _, private_key = account
    with pytest.raises(ValueError):
        seal_intervention_key(b"short", keys.public_key, intervention_id=IID, sender=private_key)
    with pytest.raises(ValueError):
        seal_intervention_key(
            new_intervention_key(), b"not a public key", intervention_id=IID, sender=private_key
        )


def test_it_opens_a_private_note_only_for_its_author(
    account: Account, other_account: Account
) -> None:
    keys, _, private_key = account
    _, _, other_private = other_account
    note = "Only I should read this: Mereana's cousin — tēnā".encode()
    sealed = seal_private_note(note, keys.public_key)
    assert note not in sealed
    assert open_private_note(sealed, private_key) == note
    with pytest.raises(WrongKey):
        open_private_note(sealed, other_private)


# -- session split -----------------------------------------------------------------------------


def test_it_rebuilds_the_private_key_from_both_session_halves(account: Account) -> None:
    _, _, private_key = account
    session_key, blob = seal_for_session(private_key)
    assert len(session_key) == 32
    assert bytes(private_key) not in blob
    assert bytes(open_session(session_key, blob)) == bytes(private_key)


def test_it_makes_a_fresh_session_key_each_time(account: Account) -> None:
    _, _, private_key = account
    assert seal_for_session(private_key)[0] != seal_for_session(private_key)[0]


def test_it_refuses_another_sessions_key(account: Account) -> None:
    _, _, private_key = account
    _, blob = seal_for_session(private_key)
    other_key, _ = seal_for_session(private_key)
    with pytest.raises(SessionExpired):
        open_session(other_key, blob)


def test_it_refuses_a_tampered_session_blob(account: Account) -> None:
    _, _, private_key = account
    session_key, blob = seal_for_session(private_key)
    with pytest.raises(SessionExpired):
        open_session(session_key, flip(blob))


@pytest.mark.parametrize("blob", [b"", b"short", b"\x00" * 24])
def test_it_refuses_a_truncated_session_blob(account: Account, blob: bytes) -> None:
    _, _, private_key = account
    session_key, _ = seal_for_session(private_key)
    with pytest.raises(SessionExpired):
        open_session(session_key, blob)


@pytest.mark.parametrize("session_key", [b"", b"\x00" * 31, b"\x00" * 33])
def test_it_refuses_a_session_key_of_the_wrong_length(account: Account, session_key: bytes) -> None:
    _, _, private_key = account
    _, blob = seal_for_session(private_key)
    with pytest.raises(SessionExpired):
        open_session(session_key, blob)


def test_it_round_trips_the_session_key_as_cookie_text(account: Account) -> None:
    _, _, private_key = account
    session_key, _ = seal_for_session(private_key)
    text = session_key_to_text(session_key)
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", text)
    assert session_key_from_text(text) == session_key


@pytest.mark.parametrize(
    "text",
    [
        "",
        "short",
        "A" * 42,
        "A" * 44,
        "A" * 42 + "=",
        "A" * 42 + "+",
        "A" * 42 + "/",
        "A" * 42 + "B",  # non-canonical: trailing bits set
        "é" * 43,
    ],
)
def test_it_refuses_malformed_cookie_text(text: str) -> None:
    with pytest.raises(SessionExpired):
        session_key_from_text(text)
