"""The recovery key from setup sets a new passphrase; the old one stops working."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from allymap.store.models import Account
from allymap.web.session import KEY_COOKIE
from tests.people import account_beside_the_owner
from tests.web.pages import text_of

OLD_PASSPHRASE = "kōwhai tūī harbour lantern"
NEW_PASSPHRASE = "pōhutukawa summer ferry"


def _set_up() -> str:
    response = Client().post("/setup/", {"passphrase": OLD_PASSPHRASE, "confirm": OLD_PASSPHRASE})
    match = re.search(r'id="recovery-key">([A-Z2-7-]+)<', text_of(response))
    assert match, text_of(response)
    return match.group(1)


def _unlocks(passphrase: str) -> bool:
    response = Client().post("/unlock/", {"passphrase": passphrase})
    return response.status_code == 302 and response.headers["Location"] == "/interventions/"


@pytest.mark.django_db
def test_it_recovers_with_the_key_it_showed() -> None:
    recovery_key = _set_up()
    client = Client()
    response = client.post(
        "/recover/",
        {"recovery_key": recovery_key, "passphrase": NEW_PASSPHRASE, "confirm": NEW_PASSPHRASE},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/interventions/"
    assert client.get("/interventions/").status_code == 200
    assert _unlocks(NEW_PASSPHRASE)
    assert not _unlocks(OLD_PASSPHRASE)


@pytest.mark.django_db
def test_it_accepts_the_key_typed_in_lower_case_without_dashes() -> None:
    recovery_key = _set_up()
    typed = recovery_key.replace("-", " ").lower()
    response = Client().post(
        "/recover/",
        {"recovery_key": typed, "passphrase": NEW_PASSPHRASE, "confirm": NEW_PASSPHRASE},
    )
    assert response.status_code == 302
    assert _unlocks(NEW_PASSPHRASE)


@pytest.mark.django_db
def test_it_refuses_a_wrong_recovery_key_and_changes_nothing() -> None:
    recovery_key = _set_up()
    wrong = ("B" if recovery_key[0] == "A" else "A") + recovery_key[1:]
    response = Client().post(
        "/recover/",
        {"recovery_key": wrong, "passphrase": NEW_PASSPHRASE, "confirm": NEW_PASSPHRASE},
    )
    assert response.status_code == 200
    assert "That recovery key did not match" in text_of(response)
    assert _unlocks(OLD_PASSPHRASE)
    assert not _unlocks(NEW_PASSPHRASE)


@pytest.mark.django_db
def test_it_refuses_a_weak_new_passphrase_and_changes_nothing() -> None:
    recovery_key = _set_up()
    response = Client().post(
        "/recover/", {"recovery_key": recovery_key, "passphrase": "short", "confirm": "short"}
    )
    assert response.status_code == 200
    assert 'class="error"' in text_of(response)
    assert _unlocks(OLD_PASSPHRASE)


@pytest.mark.django_db
def test_a_planted_second_account_gets_the_account_integrity_page() -> None:
    recovery_key = _set_up()
    account_beside_the_owner()
    for response in (
        Client().get("/recover/"),
        Client().post(
            "/recover/",
            {"recovery_key": recovery_key, "passphrase": NEW_PASSPHRASE, "confirm": NEW_PASSPHRASE},
        ),
    ):
        assert response.status_code == 200
        assert "allymap cannot open your account’s keys" in text_of(response)
        assert 'href="/recover/"' not in text_of(response)
    assert KEY_COOKIE not in response.cookies


@pytest.mark.django_db
def test_it_sets_a_new_passphrase_over_a_damaged_passphrase_wrapping() -> None:
    """Recovery has its own wrapping of the keys, so it repairs the passphrase's."""
    recovery_key = _set_up()
    Account.objects.update(kdf_salt=b"cut short")
    response = Client().get("/unlock/")
    assert "allymap cannot open your account’s keys" in text_of(response)
    assert 'href="/recover/"' in text_of(response)
    response = Client().post(
        "/recover/",
        {"recovery_key": recovery_key, "passphrase": NEW_PASSPHRASE, "confirm": NEW_PASSPHRASE},
    )
    assert response.status_code == 302
    assert _unlocks(NEW_PASSPHRASE)


@pytest.mark.django_db
def test_a_new_passphrase_ends_every_other_session() -> None:
    """Someone who unlocked on another device (or kept its cookies) must unlock again."""
    from django.contrib.sessions.models import Session

    recovery_key = _set_up()
    elsewhere = Client()
    elsewhere.post("/unlock/", {"passphrase": OLD_PASSPHRASE})
    assert elsewhere.get("/interventions/").status_code == 200
    here = Client()
    response = here.post(
        "/recover/",
        {"recovery_key": recovery_key, "passphrase": NEW_PASSPHRASE, "confirm": NEW_PASSPHRASE},
    )
    assert response.status_code == 302, text_of(response)[:2000]
    assert here.get("/interventions/").status_code == 200
    response = elsewhere.get("/interventions/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/unlock/")
    assert Session.objects.count() == 1
