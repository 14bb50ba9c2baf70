"""Unlocking: the passphrase opens a split session and goes back where the visitor was."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from allymap.services import accounts
from allymap.store.models import Account
from allymap.vault import TEST_PROFILE, create_account_keys
from allymap.web.session import KEY_COOKIE
from tests.people import OUTSIDER_PASSPHRASE, account_beside_the_owner
from tests.web.conftest import PASSPHRASE
from tests.web.pages import text_of


def _is_unlocked(client: Client) -> bool:
    return client.get("/interventions/").status_code == 200


def test_it_shows_the_unlock_page_to_a_locked_visitor(owner: accounts.Unlocked) -> None:
    response = Client().get("/unlock/")
    assert response.status_code == 200
    assert 'name="passphrase"' in text_of(response)


def test_it_refuses_a_wrong_passphrase(owner: accounts.Unlocked) -> None:
    client = Client()
    response = client.post("/unlock/", {"passphrase": PASSPHRASE + "?"})
    assert response.status_code == 200
    assert "That passphrase did not unlock allymap" in text_of(response)
    assert KEY_COOKIE not in response.cookies
    assert "vault" not in client.session
    assert not _is_unlocked(client)


def test_it_unlocks_with_the_right_passphrase(owner: accounts.Unlocked) -> None:
    client = Client()
    response = client.post("/unlock/", {"passphrase": PASSPHRASE})
    assert response.status_code == 302
    assert response.headers["Location"] == "/interventions/"
    cookie = response.cookies[KEY_COOKIE]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Strict"
    assert client.session["account"] == owner.keyring.account_id
    assert _is_unlocked(client)


@pytest.mark.parametrize("next_path", ["/interventions/new/", "/about/"])
def test_it_goes_on_to_a_same_site_next(owner: accounts.Unlocked, next_path: str) -> None:
    response = Client().post(f"/unlock/?next={next_path}", {"passphrase": PASSPHRASE})
    assert response.status_code == 302
    assert response.headers["Location"] == next_path
    # The form also carries it, as the unlock page's hidden field does.
    response = Client().post("/unlock/", {"passphrase": PASSPHRASE, "next": next_path})
    assert response.headers["Location"] == next_path


def test_it_carries_next_through_the_unlock_page(owner: accounts.Unlocked) -> None:
    response = Client().get("/unlock/?next=/interventions/new/")
    assert 'name="next" value="/interventions/new/"' in text_of(response)


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/steal",
        "http://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "javascript:alert(1)",
    ],
)
def test_it_ignores_a_next_that_leaves_the_site(owner: accounts.Unlocked, next_url: str) -> None:
    client = Client()
    response = client.post("/unlock/", {"passphrase": PASSPHRASE, "next": next_url})
    assert response.status_code == 302
    assert response.headers["Location"] == "/interventions/"
    assert _is_unlocked(client)


def test_it_sends_a_locked_visitor_to_unlock_with_next(owner: accounts.Unlocked) -> None:
    response = Client().get("/interventions/new/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/unlock/?next=%2Finterventions%2Fnew%2F"


def test_it_sends_the_unlocked_home_page_to_the_list(owner_client: Client) -> None:
    assert owner_client.get("/").headers["Location"] == "/interventions/"
    assert Client().get("/").headers["Location"] == "/unlock/"


# -- a planted or damaged account record ---------------------------------------------------

ACCOUNT_INTEGRITY = "allymap cannot open your account’s keys"


def _shows_account_integrity(response: HttpResponse) -> bool:
    page = text_of(response)
    return (
        response.status_code == 200
        and ACCOUNT_INTEGRITY in page
        and "did not unlock" not in page
        and KEY_COOKIE not in response.cookies
    )


def test_a_planted_second_account_gets_the_account_integrity_page(
    owner: accounts.Unlocked,
) -> None:
    """Personal mode keeps one account; before, unlock opened the oldest row, so a planted
    row dated earlier took over the unlock page with the planter's passphrase."""
    account_beside_the_owner(OUTSIDER_PASSPHRASE)
    Account.objects.exclude(pk=owner.keyring.account_id).update(
        created_at=timezone.now() - timedelta(days=365)
    )
    assert _shows_account_integrity(Client().get("/unlock/"))
    for passphrase in (OUTSIDER_PASSPHRASE, PASSPHRASE):
        response = Client().post("/unlock/", {"passphrase": passphrase})
        assert _shows_account_integrity(response)
        assert "more than one" in text_of(response)
    # A locked visit to any page ends there too, not in the planted account.
    assert _shows_account_integrity(Client().get("/", follow=True))


def test_a_swapped_public_key_gets_the_account_integrity_page(owner: accounts.Unlocked) -> None:
    other, _recovery, _private = create_account_keys("someone else's words", TEST_PROFILE)
    Account.objects.filter(pk=owner.keyring.account_id).update(public_key=other.public_key)
    response = Client().post("/unlock/", {"passphrase": PASSPHRASE})
    assert _shows_account_integrity(response)
    assert "do not belong together" in text_of(response)
    assert 'href="/recover/"' in text_of(response)  # recovery may still open it


def test_a_truncated_record_gets_the_account_integrity_page(owner: accounts.Unlocked) -> None:
    row = Account.objects.get()
    Account.objects.filter(pk=row.pk).update(
        wrapped_private_key=bytes(row.wrapped_private_key)[:30]
    )
    assert _shows_account_integrity(Client().get("/unlock/"))
    response = Client().post("/unlock/", {"passphrase": "a wrong guess entirely"})
    assert _shows_account_integrity(response)
    assert "the wrapped private key is 30 bytes, not 72" in text_of(response)
