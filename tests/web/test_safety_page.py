"""The safety page's disguise switch: set by the installation, or kept in the data folder."""

from __future__ import annotations

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from allymap.services import preferences
from tests.web.pages import text_of, title_of


def test_an_installation_setting_decides_and_the_page_says_so(
    client: Client, db: None, settings: Settings
) -> None:
    settings.ALLYMAP_DISGUISE = True
    page = client.get("/safety/")
    assert title_of(page) == "Notes"
    assert "as set for this installation" in text_of(page)
    assert "Turn the disguise" not in text_of(page)
    client.post("/safety/", {"disguise": "off"})
    assert preferences.disguise_on()


def test_a_data_folder_that_cannot_be_written_gets_a_page_not_a_crash(
    client: Client, db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def read_only(*, on: bool) -> None:
        raise OSError("Read-only file system")

    monkeypatch.setattr(preferences, "disguise_set", read_only)
    response = client.post("/safety/", {"disguise": "on"})
    assert response.status_code == 503
    assert "could not be written or read" in text_of(response)
