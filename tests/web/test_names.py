"""No person's name or alias, and no code name, in any URL or page title."""

from __future__ import annotations

from django.http import HttpResponse
from django.test import Client

from tests.web.pages import id_from, reflect_form, text_of, title_of

CODE_NAME = "Operation Quokkaberry"
DOING_HARM = "Ignatius Wobblethorpe"
HARMED = "Perpetua Lindqvist"
PERSON = "Auntie Fenellabelle"
RELATIONSHIP = "godmother from Ōtāhuhu"
NAMES = [CODE_NAME, DOING_HARM, HARMED, PERSON, RELATIONSHIP]


def _fragments(name: str) -> list[str]:
    """The name and each word of it longer than four letters, in any URL spelling."""
    words = [name, *[word for word in name.split() if len(word) > 4]]
    return [w.lower() for w in words] + [w.lower().replace(" ", "+") for w in words]


def _check(response: HttpResponse) -> None:
    location = response.headers.get("Location", "")
    where = [location.lower(), response.wsgi_request.get_full_path().lower()]
    if response.status_code != 302 and response["Content-Type"].startswith("text/html"):
        where.append(title_of(response).lower())
    for name in NAMES:
        for fragment in _fragments(name):
            for text in where:
                assert fragment not in text, (fragment, text)


def test_it_keeps_names_out_of_urls_and_titles(owner_client: Client) -> None:
    responses: list[HttpResponse] = []

    def keep(response: HttpResponse) -> HttpResponse:
        responses.append(response)
        return response

    start = {
        "danger": "no",
        "code_name": CODE_NAME,
        "doing_harm_alias": DOING_HARM,
        "harmed_alias": HARMED,
    }
    keep(owner_client.post("/interventions/new/", start | {"danger": "yes"}))
    keep(owner_client.post("/interventions/new/", start | {"doing_harm_alias": "x" * 81}))
    response = keep(owner_client.post("/interventions/new/", start))
    assert response.status_code == 302
    intervention_id = id_from(response.headers["Location"], r"^/i/([^/]+)/$")
    base = f"/i/{intervention_id}"

    keep(owner_client.post(f"{base}/people/new/", {"alias": "z" * 81}))
    response = keep(
        owner_client.post(f"{base}/people/new/", {"alias": PERSON, "relationship": RELATIONSHIP})
    )
    assert response.status_code == 302
    person_id = id_from(response.headers["Location"], r"/people/([^/]+)/reflect/$")

    keep(owner_client.get(f"{base}/people/{person_id}/reflect/"))
    answers = reflect_form(
        **{"position-respected": "ally", "evidence-respected": f"{PERSON} trusts {DOING_HARM}"}
    )
    keep(owner_client.post(f"{base}/people/{person_id}/reflect/", answers | {"position-x": "y"}))
    keep(
        owner_client.post(
            f"{base}/people/{person_id}/reflect/", answers | {"position-respected": "nope"}
        )
    )
    assert (
        keep(owner_client.post(f"{base}/people/{person_id}/reflect/", answers)).status_code == 302
    )
    for path in [
        "/",
        "/interventions/",
        f"{base}/",
        f"{base}/people/new/",
        f"{base}/people/{person_id}/",
        f"{base}/people/{person_id}/reflect/",
    ]:
        assert keep(owner_client.get(path)).status_code in (200, 302)

    # The names were really shown on the pages, so their absence above means something.
    page = text_of(owner_client.get(f"{base}/people/{person_id}/"))
    assert PERSON in page
    assert CODE_NAME in page
    assert len(responses) > 10
    for response in responses:
        _check(response)
