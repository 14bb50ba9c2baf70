"""Every form post needs the CSRF token of a page allymap served."""

from __future__ import annotations

import re

from django.test import Client

from allymap.services import accounts
from tests.web.conftest import Started, unlocked_client
from tests.web.pages import event_count, text_of

_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _strict(unlocked: accounts.Unlocked) -> Client:
    client = unlocked_client(unlocked)
    client.handler.enforce_csrf_checks = True
    return client


def test_it_refuses_a_post_without_the_token(
    owner: accounts.Unlocked, intervention: Started
) -> None:
    client = _strict(owner)
    url = f"/i/{intervention.intervention_id}/people/new/"
    before = event_count(intervention.intervention_id)
    response = client.post(url, {"alias": "Forged"})
    assert response.status_code == 403
    assert event_count(intervention.intervention_id) == before
    # Not even locking can be forced from another site.
    assert client.post("/lock/").status_code == 403
    assert client.get("/interventions/").status_code == 200


def test_it_takes_a_post_with_the_token_from_the_page(
    owner: accounts.Unlocked, intervention: Started
) -> None:
    client = _strict(owner)
    url = f"/i/{intervention.intervention_id}/people/new/"
    match = _TOKEN.search(text_of(client.get(url)))
    assert match
    before = event_count(intervention.intervention_id)
    response = client.post(url, {"alias": "Coach P", "csrfmiddlewaretoken": match.group(1)})
    assert response.status_code == 302
    assert event_count(intervention.intervention_id) == before + 1
