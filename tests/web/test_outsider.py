"""Every URL of an intervention refuses an outsider and a locked visitor.

The list of URLs is generated from `allymap.urls.urlpatterns`, so a new view that takes an
`intervention_id` is walked too; the test fails until it knows how to fill that URL in.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import URLPattern, reverse

from allymap.urls import urlpatterns
from tests.web.conftest import CODE_NAME, PERSON_ALIAS, Started
from tests.web.pages import event_count, reflect_form, text_of

# For each URL name with an intervention_id: a plausible form body for a POST, or None
# for a view that only answers GET (it refuses POST with 405 whoever asks, before any
# lookup, so the answer says nothing about the intervention).
POST_BODIES: dict[str, Callable[[], dict[str, str]] | None] = {
    "intervention": None,
    "person": None,
    "person_add": lambda: {"alias": "Planted by an outsider", "relationship": "none"},
    "reflect": lambda: reflect_form(
        **{"position-respected": "in_the_way", "evidence-respected": "planted"}
    ),
}
# How to fill each URL parameter from the `intervention` fixture.
FILL: dict[str, Callable[[Started], str]] = {
    "intervention_id": lambda started: started.intervention_id,
    "person_id": lambda started: started.person_id,
}


def _intervention_patterns() -> list[URLPattern]:
    return [
        pattern
        for pattern in urlpatterns
        if isinstance(pattern, URLPattern) and "intervention_id" in pattern.pattern.regex.groupindex
    ]


INTERVENTION_URL_NAMES = [str(pattern.name) for pattern in _intervention_patterns()]


def _url(name: str, started: Started) -> str:
    (pattern,) = [p for p in _intervention_patterns() if p.name == name]
    unknown = set(pattern.pattern.regex.groupindex) - set(FILL)
    assert not unknown, f"teach test_outsider.FILL how to fill {unknown} of URL {name!r}"
    return reverse(
        name,
        kwargs={param: FILL[param](started) for param in pattern.pattern.regex.groupindex},
    )


def test_it_knows_every_url_of_an_intervention() -> None:
    assert INTERVENTION_URL_NAMES, "no URL takes an intervention_id any more?"
    assert all(name != "None" for name in INTERVENTION_URL_NAMES), "name every URL pattern"
    unknown = set(INTERVENTION_URL_NAMES) - set(POST_BODIES)
    assert not unknown, f"teach test_outsider.POST_BODIES about {unknown}"


@pytest.mark.parametrize("name", INTERVENTION_URL_NAMES)
def test_it_shows_the_owner_every_url(
    owner_client: Client, intervention: Started, name: str
) -> None:
    """The same URLs do work for a member: the refusals below are about who asks."""
    assert owner_client.get(_url(name, intervention)).status_code == 200


@pytest.mark.parametrize("name", [name for name, body in POST_BODIES.items() if body])
def test_it_takes_the_same_posts_from_the_owner(
    owner_client: Client, intervention: Started, name: str
) -> None:
    """The bodies below are plausible: from a member, each one changes the intervention."""
    before = event_count(intervention.intervention_id)
    body = POST_BODIES[name]
    assert body is not None
    response = owner_client.post(_url(name, intervention), body())
    assert response.status_code == 302, text_of(response)
    assert event_count(intervention.intervention_id) > before


@pytest.mark.parametrize("name", INTERVENTION_URL_NAMES)
def test_it_refuses_an_outsider(outsider_client: Client, intervention: Started, name: str) -> None:
    url = _url(name, intervention)
    before = event_count(intervention.intervention_id)

    response = outsider_client.get(url)
    assert response.status_code == 404
    assert CODE_NAME not in text_of(response)
    assert PERSON_ALIAS not in text_of(response)

    body = POST_BODIES[name]
    response = outsider_client.post(url, body() if body else {})
    assert response.status_code == (404 if body else 405)
    assert CODE_NAME not in text_of(response)
    assert event_count(intervention.intervention_id) == before


@pytest.mark.parametrize("name", INTERVENTION_URL_NAMES)
def test_it_answers_an_outsider_as_for_an_id_that_does_not_exist(
    outsider_client: Client, intervention: Started, name: str
) -> None:
    real = outsider_client.get(_url(name, intervention))
    missing = Started(intervention_id="no-such-intervention", person_id="no-such-person")
    made_up = outsider_client.get(_url(name, missing))
    assert real.status_code == made_up.status_code == 404
    assert _without_csrf_token(text_of(real)) == _without_csrf_token(text_of(made_up))


def _without_csrf_token(page: str) -> str:
    """The page with its CSRF token blanked (the token is masked afresh on every page)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken"', page)


@pytest.mark.parametrize("name", INTERVENTION_URL_NAMES)
def test_it_sends_a_locked_visitor_to_unlock(
    owner_client: Client, intervention: Started, name: str
) -> None:
    url = _url(name, intervention)
    before = event_count(intervention.intervention_id)
    locked = Client()

    response = locked.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/unlock/?next=")
    unlock_page = text_of(locked.get(response.headers["Location"]))
    assert "Unlock allymap" in unlock_page
    assert CODE_NAME not in unlock_page

    body = POST_BODIES[name]
    response = locked.post(url, body() if body else {})
    if body:
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/unlock/?next=")
    else:
        assert response.status_code == 405
    assert event_count(intervention.intervention_id) == before
