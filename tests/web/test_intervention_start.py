"""Starting an intervention: safety first, then a code name and aliases."""

from __future__ import annotations

import html
import re

from django.test import Client
from pytest_django.fixtures import Settings

from allymap.domain import ALIAS_MAX
from allymap.services import accounts, interventions
from allymap.store.models import Event, Intervention
from tests.web.pages import id_from, text_of

START = {
    "danger": "no",
    "code_name": "Spring tide",
    "doing_harm_alias": "R",
    "harmed_alias": "M",
}


def test_it_starts_an_intervention(owner_client: Client, owner: accounts.Unlocked) -> None:
    response = owner_client.post("/interventions/new/", START)
    assert response.status_code == 302, text_of(response)
    intervention_id = id_from(response.headers["Location"], r"^/i/([^/]+)/$")
    state = interventions.intervention_open(keyring=owner.keyring, intervention_id=intervention_id)
    assert (state.code_name, state.doing_harm_alias, state.harmed_alias) == (
        "Spring tide",
        "R",
        "M",
    )
    assert "Spring tide" in text_of(owner_client.get("/interventions/"))


def test_it_shows_the_safety_page_and_starts_nothing_when_someone_is_in_danger(
    owner_client: Client,
) -> None:
    response = owner_client.post("/interventions/new/", START | {"danger": "yes"})
    assert response.status_code == 200
    page = text_of(response)
    assert "Safety comes before planning" in page
    assert "<strong>111</strong>" in page
    assert not Intervention.objects.exists()
    assert not Event.objects.exists()
    # What was typed waits in the page, so nothing has to be typed again later.
    assert 'name="code_name" value="Spring tide"' in page
    assert 'name="danger" value="no"' in page


def test_it_shows_the_configured_emergency_number(owner_client: Client, settings: Settings) -> None:
    settings.ALLYMAP_EMERGENCY_NUMBER = "000"
    page = text_of(owner_client.post("/interventions/new/", START | {"danger": "yes"}))
    assert "<strong>000</strong>" in page


def test_it_asks_about_danger_first(owner_client: Client) -> None:
    response = owner_client.post(
        "/interventions/new/", {k: v for k, v in START.items() if k != "danger"}
    )
    assert response.status_code == 200
    assert 'class="error"' in text_of(response)
    assert not Intervention.objects.exists()


def test_it_refuses_a_too_long_alias_and_keeps_what_was_typed(owner_client: Client) -> None:
    typed = "Bartholomew " * 7  # 84 characters
    assert len(typed.strip()) > ALIAS_MAX
    response = owner_client.post("/interventions/new/", START | {"doing_harm_alias": typed.strip()})
    assert response.status_code == 200
    page = text_of(response)
    assert 'class="error"' in page
    assert f'value="{html.escape(typed.strip())}"' in page
    assert 'value="Spring tide"' in page
    assert not Intervention.objects.exists()


def test_it_refuses_a_missing_code_name(owner_client: Client) -> None:
    response = owner_client.post("/interventions/new/", START | {"code_name": "   "})
    assert response.status_code == 200
    assert 'class="error"' in text_of(response)
    assert not Intervention.objects.exists()


def test_it_starts_once_when_the_form_is_posted_twice(owner_client: Client) -> None:
    from allymap.store.models import Intervention

    page = owner_client.get("/interventions/new/").content.decode()
    once = re.search(r'name="once" value="([^"]+)"', page)
    assert once, page
    form = {"danger": "no", "code_name": "Rātā", "doing_harm_alias": "R", "once": once.group(1)}
    first = owner_client.post("/interventions/new/", form)
    second = owner_client.post("/interventions/new/", form)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert Intervention.objects.count() == 1
