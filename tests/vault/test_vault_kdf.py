"""Argon2id profiles and the passphrase-to-key derivation."""

from __future__ import annotations

import pytest
from nacl.pwhash import argon2id

from allymap.vault import INTERACTIVE_PROFILE, TEST_PROFILE, KdfParams, profile_from_env
from allymap.vault.kdf import derive_key

SALT = bytes(range(argon2id.SALTBYTES))


def test_it_makes_the_interactive_profile_at_least_libsodiums_interactive() -> None:
    assert INTERACTIVE_PROFILE.opslimit >= argon2id.OPSLIMIT_INTERACTIVE
    assert INTERACTIVE_PROFILE.memlimit >= argon2id.MEMLIMIT_INTERACTIVE


def test_it_makes_the_test_profile_the_cheapest() -> None:
    assert TEST_PROFILE.opslimit == argon2id.OPSLIMIT_MIN
    assert TEST_PROFILE.memlimit == argon2id.MEMLIMIT_MIN


def test_it_uses_the_test_profile_only_when_asked_exactly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ALLYMAP_KDF_PROFILE", "test")
    assert profile_from_env() == TEST_PROFILE
    for other in ("TEST", "tests", "", "interactive"):
        monkeypatch.setenv("ALLYMAP_KDF_PROFILE", other)
        assert profile_from_env() == INTERACTIVE_PROFILE
    monkeypatch.delenv("ALLYMAP_KDF_PROFILE")
    assert profile_from_env() == INTERACTIVE_PROFILE


def test_it_refuses_parameters_out_of_range() -> None:
    with pytest.raises(ValueError, match="opslimit"):
        KdfParams(opslimit=0, memlimit=argon2id.MEMLIMIT_MIN)
    with pytest.raises(ValueError, match="memlimit"):
        KdfParams(opslimit=argon2id.OPSLIMIT_MIN, memlimit=argon2id.MEMLIMIT_SENSITIVE * 2)


def test_it_derives_the_same_key_for_composed_and_decomposed_accents() -> None:
    composed = "r\u00e9sum\u00e9 kia ora"
    decomposed = "re\u0301sume\u0301 kia ora"
    key = derive_key(composed, SALT, TEST_PROFILE)
    assert key == derive_key(decomposed, SALT, TEST_PROFILE)
    assert key != derive_key("resume kia ora", SALT, TEST_PROFILE)


def test_it_refuses_a_salt_of_the_wrong_length() -> None:
    with pytest.raises(ValueError, match="salt"):
        derive_key("passphrase", b"short", TEST_PROFILE)
