"""Every URL of an intervention refuses an outsider and a locked visitor, and serves a
member of its team.

The URLs come from tests/web/every_page.py, which generates them from
`allymap.urls.urlpatterns`: a new view that takes an `intervention_id` is walked here too,
and the test fails until it has a plausible form body (POST_BODIES) if it takes a POST.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from allymap.chart import Position
from allymap.services import accounts, positions
from tests.web.conftest import CODE_NAME, PERSON_ALIAS, Started
from tests.web.every_page import Page, every_page
from tests.web.pages import locked_out, reflect_form, stored_log, text_of

# For each URL of an intervention that takes a POST: a plausible form body, one that
# changes the intervention when a member sends it. A URL that takes no POST refuses one
# with 405 whoever asks, before any lookup, so its answer says nothing about it.
POST_BODIES: dict[str, Callable[[], dict[str, str]]] = {
    "person_add": lambda: {"alias": "Planted by an outsider", "relationship": "none"},
    "reflect": lambda: reflect_form(
        **{"position-respected": "in_the_way", "evidence-respected": "planted"}
    ),
    "person_change": lambda: {"alias": "Renamed by an outsider", "relationship": "none"},
    "person_remove": lambda: {"remove": "yes"},
    "person_forget": lambda: {"understood": "on"},
    "intervention_destroy": lambda: {"code_name": CODE_NAME},
    "team": lambda: {"action": "add", "name": "Planted by an outsider"},
    "brainstorm": lambda: {"aliases": "Planted by an outsider\nAnd another"},
    "intervention_change": lambda: {"code_name": "Renamed by an outsider", "doing_harm_alias": "X"},
    "talked_through": lambda: {"row": "respected", "note": "planted"},
    "check_ins": lambda: {"on": "2025-03-14", "happened": "Planted by an outsider"},
    "staircase": lambda: {"step": "make_repair", "on": "2025-03-14", "text": "planted"},
    "self_check": lambda: {"keep": "keep", **reflect_form(**{"evidence-respected": "mine"})},
    "roles": lambda: {"action": "name", "name": "Planted by an outsider"},
    "gaps": lambda: {"action": "set_aside", "gap": "no_ally", "note": "planted"},
    "export": lambda: {"kind": "json"},
}


def _answer_a_row(owner: accounts.Unlocked, started: Started) -> None:
    positions.positions_record(
        keyring=owner.keyring,
        intervention_id=started.intervention_id,
        person_id=started.person_id,
        positions={"respected": (Position.MIXED, "")},
    )


# POSTs that answer with a file to download and change nothing.
DOWNLOADS = {"export"}

# What the owner records first so that a URL's body changes the intervention (only a
# row someone answered can be marked talked through).
BEFORE_POST: dict[str, Callable[[accounts.Unlocked, Started], None]] = {
    "talked_through": _answer_a_row,
}

PAGES = [page for page in every_page() if page.of_an_intervention]
SHOWN = [page for page in PAGES if page.shows]
POSTED = [page for page in PAGES if page.takes_posts]
MISSING = Started(intervention_id="no-such-intervention", person_id="no-such-person")


def _url(page: Page, started: Started) -> str:
    return page.url(intervention_id=started.intervention_id, person_id=started.person_id)


def _body(page: Page) -> dict[str, str]:
    assert page.name in POST_BODIES, (
        f"URL {page.name!r} ({page.route}) takes a POST: give test_outsider.POST_BODIES a "
        "plausible form body for it, one that changes the intervention when a member sends it"
    )
    return POST_BODIES[page.name]()


def test_it_knows_every_url_of_an_intervention() -> None:
    assert PAGES, "no URL takes an intervention_id any more?"
    missing = {page.name for page in POSTED} - set(POST_BODIES)
    assert not missing, f"teach test_outsider.POST_BODIES a form body for the URLs {missing}"
    gone = set(POST_BODIES) - {page.name for page in POSTED}
    assert not gone, f"test_outsider.POST_BODIES names URLs that take no POST: {gone}"


@pytest.mark.parametrize("page", SHOWN, ids=str)
@pytest.mark.parametrize("who", ["owner", "member"])
def test_it_shows_the_team_every_url(
    request: pytest.FixtureRequest, intervention: Started, page: Page, who: str
) -> None:
    """The same URLs do work for the team: the refusals below are about who asks."""
    client: Client = request.getfixturevalue(f"{who}_client")
    response = client.get(_url(page, intervention))
    assert response.status_code == 200, text_of(response)[:2000]
    assert CODE_NAME in text_of(response)


@pytest.mark.parametrize("page", POSTED, ids=str)
@pytest.mark.parametrize("who", ["owner", "member"])
def test_it_takes_the_same_posts_from_the_team(
    request: pytest.FixtureRequest, intervention: Started, page: Page, who: str
) -> None:
    """The bodies are plausible: from a member of the team, each one changes the
    intervention."""
    client: Client = request.getfixturevalue(f"{who}_client")
    if page.name in BEFORE_POST:
        BEFORE_POST[page.name](request.getfixturevalue("owner_unlocked"), intervention)
    before = stored_log(intervention.intervention_id)
    response = client.post(_url(page, intervention), _body(page))
    if page.name in DOWNLOADS:
        # A download changes nothing: the team gets the file, which holds the intervention.
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert CODE_NAME.encode() in response.content
        return
    assert response.status_code == 302, text_of(response)
    # More events, or fewer: forgetting a person and destroying take them away.
    assert stored_log(intervention.intervention_id) != before


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_it_refuses_an_outsider(
    owner_unlocked: accounts.Unlocked, outsider_client: Client, intervention: Started, page: Page
) -> None:
    if page.name in BEFORE_POST:
        BEFORE_POST[page.name](owner_unlocked, intervention)
    url = _url(page, intervention)
    before = stored_log(intervention.intervention_id)

    response = outsider_client.get(url)
    assert response.status_code == (404 if page.shows else 405)
    assert CODE_NAME not in text_of(response)
    assert PERSON_ALIAS not in text_of(response)

    response = outsider_client.post(url, _body(page) if page.takes_posts else {})
    assert response.status_code == (404 if page.takes_posts else 405)
    assert CODE_NAME not in text_of(response)
    assert PERSON_ALIAS not in text_of(response)
    assert stored_log(intervention.intervention_id) == before


@pytest.mark.parametrize("page", SHOWN, ids=str)
@pytest.mark.parametrize("team", ["owner alone", "with a member"])
def test_it_answers_an_outsider_as_for_an_id_that_does_not_exist(
    request: pytest.FixtureRequest,
    outsider_client: Client,
    intervention: Started,
    page: Page,
    team: str,
) -> None:
    """In personal mode, and in hosted mode with a team of several."""
    if team == "with a member":
        request.getfixturevalue("member")
    real = outsider_client.get(_url(page, intervention))
    made_up = outsider_client.get(_url(page, MISSING))
    assert real.status_code == made_up.status_code == 404
    assert _without_csrf_token(text_of(real)) == _without_csrf_token(text_of(made_up))


@pytest.mark.parametrize("page", SHOWN, ids=str)
def test_it_answers_the_team_and_an_outsider_differently(
    member_client: Client, outsider_client: Client, intervention: Started, page: Page
) -> None:
    """Side by side on one intervention: its member gets the page, an outsider a 404."""
    url = _url(page, intervention)
    assert member_client.get(url).status_code == 200
    assert outsider_client.get(url).status_code == 404


def _without_csrf_token(page: str) -> str:
    """The page with its CSRF token blanked (the token is masked afresh on every page)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken"', page)


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_it_sends_a_locked_visitor_to_unlock(
    owner_client: Client, intervention: Started, page: Page
) -> None:
    url = _url(page, intervention)
    before = stored_log(intervention.intervention_id)
    locked = Client()

    if page.shows:
        response = locked.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/unlock/?next=")
        unlock_page = text_of(locked.get(response.headers["Location"]))
        assert "Unlock allymap" in unlock_page
        assert CODE_NAME not in unlock_page

    response = locked.post(url, _body(page) if page.takes_posts else {})
    if page.takes_posts:
        assert locked_out(response)
    else:
        assert response.status_code == 405
    assert stored_log(intervention.intervention_id) == before
