"""Every failure renders in allymap's own frame, with the quick exit (and the lock when
unlocked), in plain words, and keeps nothing from a refused form."""

from __future__ import annotations

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError
from django.http import HttpResponse
from django.test import Client

from allymap.services import interventions
from allymap.store.models import Event
from tests.web.conftest import CODE_NAME, Started, unlocked_client
from tests.web.pages import text_of

QUICK_EXIT = 'id="quick-exit"'
LOCK = 'action="/lock/"'


def _in_frame(response: HttpResponse, *, unlocked: bool) -> str:
    page = text_of(response)
    assert QUICK_EXIT in page, page[:1000]
    assert "allymap.css" in page, "not in allymap's frame"
    assert (LOCK in page) is unlocked
    assert CODE_NAME not in page
    return page


def test_400_too_large_says_the_limit_and_keeps_nothing(
    owner_client: Client, intervention: Started
) -> None:
    before = Event.objects.filter(intervention_id=intervention.intervention_id).count()
    response = owner_client.post(
        f"/i/{intervention.intervention_id}/people/new/",
        {"alias": "Coach P", "relationship": "x" * (300 * 1024)},
    )
    assert response.status_code == 400
    page = _in_frame(response, unlocked=True)
    assert "256 KB" in page
    assert "Nothing from this form has been saved" in page
    assert Event.objects.filter(intervention_id=intervention.intervention_id).count() == before


def test_403_a_forged_form(owner: object, intervention: Started) -> None:
    client = unlocked_client(owner)  # type: ignore[arg-type]
    client.handler.enforce_csrf_checks = True
    response = client.post(f"/i/{intervention.intervention_id}/people/new/", {"alias": "X"})
    assert response.status_code == 403
    _in_frame(response, unlocked=True)


def test_404(owner_client: Client) -> None:
    response = owner_client.get("/i/no-such-intervention/")
    assert response.status_code == 404
    _in_frame(response, unlocked=True)


# /lock/ never reads the session (it must work when the database does not), so its page
# does not know the visitor is unlocked; /keepalive/ does.
@pytest.mark.parametrize(("path", "unlocked"), [("/lock/", False), ("/keepalive/", True)])
def test_405_says_so_in_words_and_keeps_the_allow_header(
    owner_client: Client, path: str, unlocked: bool
) -> None:
    response = owner_client.get(path)
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"
    assert "cannot be used that way" in _in_frame(response, unlocked=unlocked)


def test_500(owner_client: Client, intervention: Started, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(**kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(interventions, "intervention_overview", broken)
    owner_client.raise_request_exception = False
    response = owner_client.get(f"/i/{intervention.intervention_id}/")
    assert response.status_code == 500
    assert "Something went wrong" in _in_frame(response, unlocked=True)


def test_503_when_the_data_folder_cannot_be_written(
    owner_client: Client, intervention: Started, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(**kwargs: object) -> None:
        raise OperationalError("database or disk is full")

    monkeypatch.setattr(interventions, "intervention_overview", full)
    owner_client.raise_request_exception = False
    response = owner_client.get(f"/i/{intervention.intervention_id}/")
    assert response.status_code == 503
    assert "could not be written or read" in _in_frame(response, unlocked=True)


def test_503_when_even_the_session_cannot_be_read(
    owner_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreadable(self: SessionStore) -> dict[str, object]:
        raise OperationalError("disk I/O error")

    monkeypatch.setattr(SessionStore, "load", unreadable)
    owner_client.raise_request_exception = False
    response = owner_client.get("/interventions/")
    assert response.status_code == 503
    _in_frame(response, unlocked=False)


def test_503_busy(
    owner_client: Client, intervention: Started, monkeypatch: pytest.MonkeyPatch
) -> None:
    from allymap.services.errors import BusyTryAgain

    def busy(**kwargs: object) -> None:
        raise BusyTryAgain

    monkeypatch.setattr(interventions, "intervention_overview", busy)
    response = owner_client.get(f"/i/{intervention.intervention_id}/")
    assert response.status_code == 503
    _in_frame(response, unlocked=True)
