"""No page changes the state it reads. An opened intervention is kept in memory and
shared by every later request that finds it (`services.kept`, issue 10), across
threads: a page that sorted, appended to or replaced anything in it would show the next
visitor a map that is not the log's. Every page of the demo's intervention, all of them
served from one kept opening, leaves it exactly as a fresh open makes it."""

from __future__ import annotations

from django.test import Client
from pytest_django.fixtures import Settings

from allymap.domain import encode_state
from allymap.services import accounts, engine, kept
from tests.people import fresh
from tests.web.conftest import DemoPages


def test_every_page_leaves_the_kept_state_as_it_found_it(
    owner_client: Client,
    owner_unlocked: accounts.Unlocked,
    demo_pages: DemoPages,
    settings: Settings,
) -> None:
    keyring = owner_unlocked.keyring
    intervention_id, state = demo_pages.intervention_id, demo_pages.state
    before = encode_state(state)
    walked = 0
    for name, url in demo_pages.urls.items():
        if f"/i/{intervention_id}/" not in url:
            continue
        for query in ("", "?gaps=all", "?names=aliases", "?history=2", "?page=2"):
            response = owner_client.get(url + query)
            assert response.status_code in (200, 404), (name, query, response.status_code)
        walked += 1
        assert engine.open_log(fresh(keyring), intervention_id).state is state, name
    assert walked >= 20
    assert kept.kept_count() == 1
    assert encode_state(state) == before
    settings.ALLYMAP_KEPT_SECONDS = 0
    assert encode_state(engine.open_log(fresh(keyring), intervention_id).state) == before
