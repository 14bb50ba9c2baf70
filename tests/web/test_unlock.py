"""Unlocking: the passphrase opens a split session and goes back where the visitor was."""

from __future__ import annotations

import pytest
from django.test import Client

from allymap.services import accounts
from allymap.web.session import KEY_COOKIE
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
