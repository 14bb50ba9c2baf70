"""First run: choosing a passphrase, and the recovery key shown once."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from allymap.store.models import Account
from allymap.web.session import KEY_COOKIE
from tests.people import account_beside_the_owner
from tests.web.pages import text_of

NEW_PASSPHRASE = "kōwhai tūī harbour lantern"
_RECOVERY_KEY = re.compile(r'id="recovery-key">([A-Z2-7-]+)<')


def _set_up(client: Client) -> str:
    """Set up through the form; return the recovery key the page shows."""
    response = client.post("/setup/", {"passphrase": NEW_PASSPHRASE, "confirm": NEW_PASSPHRASE})
    assert response.status_code == 200
    match = _RECOVERY_KEY.search(text_of(response))
    assert match, text_of(response)
    return match.group(1)


@pytest.mark.django_db
def test_it_sends_the_first_visit_to_setup() -> None:
    client = Client()
    assert client.get("/").headers["Location"] == "/setup/"
    assert client.get("/interventions/").headers["Location"] == "/setup/"
    assert client.get("/unlock/").headers["Location"] == "/setup/"
    assert client.get("/setup/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "passphrase",
    [
        "short one",  # under 12 characters, refused by the form
        "abababababababab",  # long enough, but too few different characters
    ],
)
def test_it_refuses_a_weak_passphrase(passphrase: str) -> None:
    client = Client()
    response = client.post("/setup/", {"passphrase": passphrase, "confirm": passphrase})
    assert response.status_code == 200
    assert 'class="error"' in text_of(response)
    assert "recovery-key" not in text_of(response)
    assert not Account.objects.exists()
    assert KEY_COOKIE not in response.cookies


@pytest.mark.django_db
def test_it_refuses_a_confirmation_that_differs() -> None:
    client = Client()
    response = client.post(
        "/setup/", {"passphrase": NEW_PASSPHRASE, "confirm": NEW_PASSPHRASE + "!"}
    )
    assert response.status_code == 200
    assert "The two passphrases are not the same" in text_of(response)
    assert not Account.objects.exists()


@pytest.mark.django_db
def test_it_shows_the_recovery_key_once_and_unlocks() -> None:
    client = Client()
    recovery_key = _set_up(client)
    assert len(recovery_key.replace("-", "")) == 52
    assert Account.objects.count() == 1
    # The setup response unlocked: this browser can go straight on.
    assert client.get("/interventions/").status_code == 200
    # Setup is over: it never shows a recovery key again, to this browser or another.
    for browser in (client, Client()):
        response = browser.get("/setup/")
        assert response.status_code == 302
        assert response.headers["Location"] == "/"
        response = browser.post("/setup/", {"passphrase": "x" * 20, "confirm": "x" * 20})
        assert response.status_code == 302
    assert Account.objects.count() == 1


@pytest.mark.django_db
def test_it_never_keeps_the_recovery_key() -> None:
    recovery_key = _set_up(Client())
    raw = recovery_key.replace("-", "").encode()
    account = Account.objects.get()
    for field in ("public_key", "kdf_salt", "wrapped_private_key", "recovery_wrapped_private_key"):
        assert raw not in bytes(getattr(account, field))
        assert recovery_key.encode() not in bytes(getattr(account, field))


@pytest.mark.django_db
def test_a_planted_second_account_gets_the_account_integrity_page() -> None:
    _set_up(Client())
    account_beside_the_owner()
    for response in (Client().get("/setup/"), Client().get("/unlock/")):
        assert response.status_code == 200
        assert "allymap cannot open your account’s keys" in text_of(response)
    assert Account.objects.count() == 2  # nothing was changed or removed
