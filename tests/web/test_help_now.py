"""Help now: the emergency number and helplines come from configuration (New Zealand's by
default), are checked when allymap starts, and every page of an intervention links to
them."""

from __future__ import annotations

import html
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from pytest_django.fixtures import Settings

from allymap import settings as allymap_settings
from tests.web.conftest import Started
from tests.web.every_page import every_page
from tests.web.pages import text_of

HELP_NOW = 'href="/safety/#help-now"'

# --- reading the settings ---------------------------------------------------------------


def test_helplines_default_to_new_zealands(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ALLYMAP_HELPLINES", raising=False)
    lines = allymap_settings.env_helplines("ALLYMAP_HELPLINES", allymap_settings.NZ_HELPLINES)
    numbers = {line["name"]: line["number"] for line in lines}
    assert numbers["Women’s Refuge crisis line"] == "0800 733 843"
    assert numbers["Shine helpline"] == "0508 744 633"
    assert numbers["Need to talk"] == "1737"


def test_helplines_are_read_from_a_json_list(monkeypatch: pytest.MonkeyPatch) -> None:
    configured = [
        {"name": "  Lifeline ", "number": "13 11 14", "about": "any time"},
        {"name": "1800RESPECT", "number": "+61 1800 737 732"},
    ]
    monkeypatch.setenv("ALLYMAP_HELPLINES", json.dumps(configured))
    assert allymap_settings.env_helplines("ALLYMAP_HELPLINES", ()) == (
        {"name": "Lifeline", "number": "13 11 14", "about": "any time"},
        {"name": "1800RESPECT", "number": "+61 1800 737 732", "about": ""},
    )
    monkeypatch.setenv("ALLYMAP_HELPLINES", "[]")
    assert allymap_settings.env_helplines("ALLYMAP_HELPLINES", ({"x": "y"},)) == ()


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("Lifeline|13 11 14", "ALLYMAP_HELPLINES is not JSON"),
        ('{"name": "Lifeline", "number": "13 11 14"}', "must be a JSON list"),
        ('["Lifeline"]', "ALLYMAP_HELPLINES[0] must be an object"),
        ('[{"name": "Lifeline"}]', "ALLYMAP_HELPLINES[0] needs a 'number'"),
        ('[{"name": "", "number": "1"}]', "ALLYMAP_HELPLINES[0] needs a 'name'"),
        ('[{"name": "A", "number": "1"}, {"name": "B", "number": 13}]', "[1].number must be a"),
        ('[{"name": "A", "number": "call us"}]', "[0].number must be a phone number"),
        ('[{"name": "A", "number": "1", "hours": "9-5"}]', "keys allymap does not know: ['hours']"),
        ('[{"name": "A", "number": "1", "about": "' + "x" * 161 + '"}]', "longer than 160"),
    ],
)
def test_helplines_that_cannot_be_read_stop_allymap_saying_why(
    monkeypatch: pytest.MonkeyPatch, value: str, says: str
) -> None:
    monkeypatch.setenv("ALLYMAP_HELPLINES", value)
    with pytest.raises(ImproperlyConfigured) as stopped:
        allymap_settings.env_helplines("ALLYMAP_HELPLINES", ())
    assert says in str(stopped.value)


def test_the_emergency_number_and_silent_code_are_checked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    read_number = allymap_settings.env_phone_number
    read_code = allymap_settings.env_silent_code
    monkeypatch.delenv("N", raising=False)
    assert (read_number("N", "111"), read_code("N", "55")) == ("111", "55")
    monkeypatch.setenv("N", "000")
    assert read_number("N", "111") == "000"
    monkeypatch.setenv("N", "none")
    assert read_code("N", "55") == ""
    for bad in ("dial 111", "111; rm", "+"):
        monkeypatch.setenv("N", bad)
        with pytest.raises(ImproperlyConfigured, match="N must be a phone number"):
            read_number("N", "111")
    monkeypatch.setenv("N", "5 5")
    with pytest.raises(ImproperlyConfigured, match='N must be up to 4 digits, or "none"'):
        read_code("N", "55")


def test_allymap_will_not_start_with_helplines_it_cannot_read(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "ALLYMAP_DATA_DIR": str(tmp_path),
        "ALLYMAP_HELPLINES": '[{"name": "Lifeline"}]',
    }
    started = subprocess.run(
        [sys.executable, "-c", "import allymap.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert started.returncode != 0
    assert "ImproperlyConfigured: ALLYMAP_HELPLINES[0] needs a 'number'" in started.stderr


# --- the pages --------------------------------------------------------------------------


def test_the_safety_page_shows_new_zealands_numbers_by_default(client: Client, db: None) -> None:
    page = html.unescape(text_of(client.get("/safety/")))
    help_now = page.split('id="help-now"', 1)[1].split("</section>", 1)[0]
    assert "Get help now" in help_now
    assert '<a class="hn-number" href="tel:111"><strong>111</strong></a>' in help_now
    assert "then press 55 when asked" in help_now
    for name, number in [
        ("Women’s Refuge crisis line", "0800 733 843"),
        ("Shine helpline", "0508 744 633"),
        ("Are You OK", "0800 456 450"),
        ("Hey Bro", "0800 439 276"),
        ("Safe to talk", "0800 044 334"),
        ("Need to talk", "1737"),
    ]:
        tel = "tel:" + number.replace(" ", "")
        assert f'{name}: <a class="hn-number" href="{tel}">{number}</a>' in help_now


def test_the_safety_page_and_the_danger_check_show_the_configured_numbers(
    owner_client: Client, settings: Settings
) -> None:
    settings.ALLYMAP_EMERGENCY_NUMBER = "000"
    settings.ALLYMAP_EMERGENCY_SILENT_CODE = ""
    settings.ALLYMAP_HELPLINES = (
        {"name": "1800RESPECT", "number": "1800 737 732", "about": "any time"},
    )
    danger = owner_client.post(
        "/interventions/new/", {"danger": "yes", "code_name": "Kōwhai", "doing_harm_alias": "R"}
    )
    for response in (owner_client.get("/safety/"), danger):
        page = html.unescape(text_of(response))
        assert '<a class="hn-number" href="tel:000"><strong>000</strong></a>' in page
        assert "press" not in page.split('id="help-now"', 1)[1].split("</section>", 1)[0]
        line = '1800RESPECT: <a class="hn-number" href="tel:1800737732">1800 737 732</a>, any time'
        assert line in page
        assert "0800 733 843" not in page and "Women’s Refuge" not in page
    assert "Safety comes before planning" in text_of(danger)


def test_every_page_of_an_intervention_links_to_help_now(
    owner_client: Client, intervention: Started
) -> None:
    pages = [page for page in every_page() if page.of_an_intervention and page.shows]
    assert {"intervention", "team", "reflect", "self_check"} <= {page.name for page in pages}
    for page in pages:
        url = page.url(
            intervention_id=intervention.intervention_id, person_id=intervention.person_id
        )
        response = owner_client.get(url)
        assert HELP_NOW in text_of(response), f"{page.name} ({url}, {response.status_code})"
    assert 'id="help-now"' in text_of(owner_client.get("/safety/"))


def test_the_list_of_interventions_links_to_help_now(owner_client: Client) -> None:
    """Unlocking lands there: help is one step away before any intervention is open."""
    for url in ("/interventions/", "/interventions/new/", "/about/"):
        assert HELP_NOW in text_of(owner_client.get(url)), url


def test_locked_pages_leave_it_to_the_footer(owner_client: Client) -> None:
    owner_client.post("/lock/")
    for url in ("/unlock/", "/about/"):
        page = text_of(owner_client.get(url))
        assert HELP_NOW not in page
        assert 'href="/safety/"' in page
