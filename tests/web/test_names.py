"""No person's name or alias, and no code name, in any URL or page title.

The pages walked are every page of tests/web/every_page.py (generated from the URL
patterns), so a page added later is walked too.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.test import Client

from tests.web.every_page import every_page
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
    if response.content and response["Content-Type"].startswith("text/html"):
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
    person_id = id_from(response.headers["Location"], r"/people/([^/]+)/$")

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
    # The names were really shown on the pages, so their absence above means something.
    shown = text_of(owner_client.get(f"{base}/people/{person_id}/"))
    assert PERSON in shown
    assert CODE_NAME in shown

    ids = {"intervention_id": intervention_id, "person_id": person_id}
    pages = every_page()  # the pages that end the session come last
    for page in pages:
        if page.shows:
            response = keep(owner_client.get(page.url(**ids)))
            assert response.status_code in (200, 302), (page.name, response)
    walked = {response.wsgi_request.path for response in responses}
    assert all(page.url(**ids) in walked for page in pages if page.shows)
    assert len(responses) > 10
    for response in responses:
        _check(response)


def test_it_keeps_names_out_of_what_every_post_answers(owner_client: Client) -> None:
    """Every page that takes a POST, sent an empty one after the names were typed in:
    its answer (a form with errors, a redirect, nothing) names no one in a URL or title."""
    start = {"danger": "no", "code_name": CODE_NAME, "doing_harm_alias": DOING_HARM}
    response = owner_client.post("/interventions/new/", start)
    intervention_id = id_from(response.headers["Location"], r"^/i/([^/]+)/$")
    response = owner_client.post(
        f"/i/{intervention_id}/people/new/", {"alias": PERSON, "relationship": RELATIONSHIP}
    )
    person_id = id_from(response.headers["Location"], r"/people/([^/]+)/$")
    ids = {"intervention_id": intervention_id, "person_id": person_id}
    posted = [page for page in every_page() if page.takes_posts]
    assert posted
    for page in posted:  # the pages that end the session come last
        _check(owner_client.post(page.url(**ids), {}))
