"""The first whole flow through the web, without JavaScript: plain forms and redirects."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from allymap.chart import default_chart


def _id_from(location: str, pattern: str) -> str:
    match = re.search(pattern, location)
    assert match, location
    return match.group(1)


@pytest.mark.django_db
def test_it_walks_from_first_run_to_a_reflection() -> None:
    client = Client()
    assert client.get("/").headers["Location"] == "/setup/"
    response = client.post(
        "/setup/",
        {"passphrase": "kōwhai tūī harbour lantern", "confirm": "kōwhai tūī harbour lantern"},
    )
    assert response.status_code == 200
    assert b"recovery-key" in response.content

    response = client.post(
        "/interventions/new/",
        {"danger": "no", "code_name": "Spring tide", "doing_harm_alias": "R", "harmed_alias": "M"},
    )
    assert response.status_code == 302, response.content.decode()
    intervention_id = _id_from(response.headers["Location"], r"^/i/([^/]+)/$")

    response = client.post(
        f"/i/{intervention_id}/people/new/", {"alias": "Uncle T", "relationship": "mātua kēkē"}
    )
    assert response.status_code == 302, response.content.decode()
    person_id = _id_from(response.headers["Location"], r"/people/([^/]+)/$")

    chart = default_chart()
    form = {f"position-{row.key}": "unknown" for row in chart.rows}
    form |= {f"evidence-{row.key}": "" for row in chart.rows}
    form["position-respected"] = "ally"
    form["evidence-respected"] = "He listens to T more than anyone"
    form["position-gives_space"] = "leans_in_the_way"
    response = client.post(f"/i/{intervention_id}/people/{person_id}/reflect/", form)
    assert response.status_code == 302, response.content.decode()

    page = client.get(f"/i/{intervention_id}/people/{person_id}/").content.decode()
    assert "He listens to T more than anyone" in page
    assert "Questions to find out" in page
    assert "Uncle T" in page
    assert "Uncle T" not in page.split("<title>")[1].split("</title>")[0]
