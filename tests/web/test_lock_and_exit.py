"""Locking by hand, locking when idle, and quick exit."""

from __future__ import annotations

import time

from django.contrib.sessions.models import Session
from django.test import Client
from pytest_django.fixtures import Settings

from allymap.services import accounts
from allymap.web.session import KEY_COOKIE
from tests.web.pages import text_of


def _goes_to_unlock(client: Client) -> bool:
    response = client.get("/interventions/")
    return response.status_code == 302 and response.headers["Location"].startswith("/unlock/")


def test_it_locks_on_post(owner_client: Client) -> None:
    server_half = owner_client.session.session_key
    assert Session.objects.filter(session_key=server_half).exists()
    response = owner_client.post("/lock/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/unlock/?why=locked"
    assert response.cookies[KEY_COOKIE]["max-age"] == 0
    # The server half is gone for good, not merely forgotten by this browser.
    assert not Session.objects.filter(session_key=server_half).exists()
    assert _goes_to_unlock(owner_client)


def test_it_refuses_get_on_lock(owner_client: Client) -> None:
    assert owner_client.get("/lock/").status_code == 405
    assert owner_client.get("/interventions/").status_code == 200


def test_it_locks_after_the_idle_time(owner_client: Client, settings: Settings) -> None:
    settings.ALLYMAP_IDLE_LOCK_SECONDS = 60
    session = owner_client.session
    session["last_seen"] = time.time() - 61
    session.save()
    response = owner_client.get("/interventions/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/unlock/?next=%2Finterventions%2F&why=idle"
    assert "vault" not in owner_client.session
    # The unlock page says why.
    assert "left idle" in text_of(owner_client.get(response.headers["Location"]))


def test_it_stays_unlocked_within_the_idle_time(owner_client: Client, settings: Settings) -> None:
    settings.ALLYMAP_IDLE_LOCK_SECONDS = 60
    session = owner_client.session
    session["last_seen"] = time.time() - 50
    session.save()
    assert owner_client.get("/interventions/").status_code == 200
    # A request counts as activity.
    assert owner_client.session["last_seen"] > time.time() - 5


def test_it_exits_quickly(owner_client: Client, settings: Settings) -> None:
    server_half = owner_client.session.session_key
    response = owner_client.get("/exit/")
    assert response.status_code == 302
    assert response.headers["Location"] == settings.ALLYMAP_EXIT_URL
    assert response.headers["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert response.headers["Cache-Control"] == "no-store"
    assert response.cookies[KEY_COOKIE]["max-age"] == 0
    assert not Session.objects.filter(session_key=server_half).exists()
    assert _goes_to_unlock(owner_client)


def test_it_exits_to_the_configured_place(owner_client: Client, settings: Settings) -> None:
    settings.ALLYMAP_EXIT_URL = "https://www.metservice.com/"
    response = owner_client.get("/exit/")
    assert response.headers["Location"] == "https://www.metservice.com/"
    assert _goes_to_unlock(owner_client)


def test_it_exits_even_when_locked(owner: accounts.Unlocked) -> None:
    response = Client().get("/exit/")
    assert response.status_code == 302
    assert "Clear-Site-Data" in response.headers


def test_it_shows_a_neutral_page_away(owner_client: Client) -> None:
    response = owner_client.get("/away/")
    assert response.status_code == 200
    page = text_of(response)
    assert "allymap" not in page.lower()
    assert "/exit/" not in page
    assert "/lock/" not in page
    assert "<title>Cheese scones</title>" in page


def test_it_keeps_a_typing_person_unlocked(owner_client: Client, settings: Settings) -> None:
    """A long answer typed on one page: the page's keepalive counts as activity."""
    settings.ALLYMAP_IDLE_LOCK_SECONDS = 60
    session = owner_client.session
    session["last_seen"] = time.time() - 50
    session.save()
    assert owner_client.post("/keepalive/").status_code == 204
    assert owner_client.session["last_seen"] > time.time() - 5
    assert owner_client.get("/interventions/").status_code == 200


def test_it_refuses_keepalive_when_locked() -> None:
    assert Client().post("/keepalive/").status_code == 403
    assert Client().get("/keepalive/").status_code == 405


def test_it_does_not_count_a_stylesheet_as_activity(owner_client: Client) -> None:
    """Static files skip the keyring: no session write, and no refreshed idle timer."""
    session = owner_client.session
    session["last_seen"] = earlier = time.time() - 100
    session.save()
    assert owner_client.get("/static/allymap/allymap.css").status_code == 200
    assert owner_client.session["last_seen"] == earlier
    owner_client.get("/interventions/")
    assert owner_client.session["last_seen"] > earlier
