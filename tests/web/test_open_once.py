"""A page decrypts its intervention once, however many readings it is made of (issue 10):
the person's page (the summary and the row strip), the screen for the hui (the map and
the side-by-side chart), and every other page of an intervention."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from tests.web.conftest import Started
from tests.web.every_page import every_page, page_urls


@pytest.fixture(autouse=True)
def nothing_kept(settings: Settings) -> None:
    """What one request does by itself: nothing kept between requests (`services.kept`,
    tested in test_kept.py). `opens` (tests/conftest.py) counts the decrypting."""
    settings.ALLYMAP_KEPT_SECONDS = 0


def test_the_persons_page_decrypts_the_intervention_once(
    owner_client: Client, intervention: Started, opens: list[str]
) -> None:
    url = reverse(
        "person",
        kwargs={
            "intervention_id": intervention.intervention_id,
            "person_id": intervention.person_id,
        },
    )
    assert owner_client.get(url).status_code == 200
    assert opens == [intervention.intervention_id]


def test_every_page_of_an_intervention_decrypts_it_at_most_once(
    owner_client: Client, intervention: Started, opens: list[str]
) -> None:
    urls = page_urls(intervention_id=intervention.intervention_id, person_id=intervention.person_id)
    walked = 0
    for page in every_page(strict=True):
        if not (page.shows and page.of_an_intervention) or page.ends_session:
            continue
        opens.clear()
        response = owner_client.get(urls[page.name])
        assert response.status_code == 200, page.name
        assert len(opens) <= 1, f"{page.name} decrypted the intervention {len(opens)} times"
        walked += 1
    assert walked >= 10
