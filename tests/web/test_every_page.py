"""The list of every page (tests/web/every_page.py) is complete, and true of the views.

The list is generated from the URL patterns; the facts it declares about each (methods,
unlocking, ending the session) are checked here against what the views do, so the other
tests that walk it (headers, outsiders, names) can rely on them. And every page that
answers GET answers HEAD with the same status, in the test client and over HTTP, and with
no body over HTTP (the test client drops a HEAD's body itself, so only a real server shows
whether allymap does).
"""

from __future__ import annotations

import socket
from dataclasses import asdict, dataclass
from urllib.parse import urlsplit

import pytest
from django.http import HttpResponse
from django.test import Client

from allymap.services import accounts
from tests.canary.client import FormClient
from tests.server import running_server
from tests.standing import Started, unlocked_client
from tests.web.every_page import (
    FACTS,
    Page,
    UnknownPage,
    every_page,
    list_problems,
    page_urls,
)
from tests.web.pages import locked_out

PAGES = every_page()
SHOWN = [page for page in PAGES if page.shows]
ALL_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def _ids(started: Started) -> dict[str, str]:
    return asdict(started)


def _visit(client: Client, page: Page, started: Started) -> HttpResponse:
    """What a visitor does on the page: look at it, or else post it an empty form."""
    url = page.url(**_ids(started))
    return client.get(url) if page.shows else client.post(url, {})


def _sent_to_unlock(response: HttpResponse) -> bool:
    return locked_out(response)


# --- the list is complete ---------------------------------------------------------------


def test_the_list_knows_every_url() -> None:
    problems = list_problems()
    assert not problems, "\n".join(problems)


def test_the_list_has_the_pages_it_must() -> None:
    """Generated, not empty by mistake: the pages every other walk relies on are there."""
    names = {page.name for page in PAGES}
    assert {"home", "unlock", "interventions", "intervention", "person", "reflect"} <= names
    assert any(page.of_an_intervention for page in PAGES)
    assert any("person_id" in page.params for page in PAGES)
    enders = [page.ends_session for page in PAGES]
    assert enders == sorted(enders), "the pages that end the session must come last"


def test_every_page_that_shows_answers_head() -> None:
    for name, facts in FACTS.items():
        assert ("GET" in facts.methods) == ("HEAD" in facts.methods), name


def test_page_urls_fills_every_page_that_shows() -> None:
    urls = page_urls(intervention_id="i1", person_id="p1")
    assert set(urls) == {page.name for page in SHOWN}
    assert urls["reflect"] == "/i/i1/people/p1/reflect/"
    assert list(urls)[-1] == "exit", "the quick exit ends the session: it comes last"


def test_it_names_a_url_it_cannot_fill(monkeypatch: pytest.MonkeyPatch) -> None:
    """A new URL, or a new parameter, fails every walk of the list with a message that
    names the URL and what to add."""
    from django.urls import path

    from allymap import urls
    from allymap.web.views import general

    added = [
        path("i/<str:intervention_id>/notes/<str:note_id>/", general.about, name="note"),
        path("help/", general.about, name="help"),
    ]
    monkeypatch.setattr(urls, "urlpatterns", [*urls.urlpatterns, *added])
    problems = "\n".join(list_problems())
    assert "URL 'note' (i/<str:intervention_id>/notes/<str:note_id>/) is new" in problems
    assert "takes 'note_id', which tests/web/every_page.py cannot fill" in problems
    assert "URL 'help' (help/) is new to tests/web/every_page.py: add it to FACTS" in problems
    (note,) = [page for page in every_page() if page.name == "note"]
    assert note.shows and note.takes_posts and note.unlocked, "walked by every test, so fails"
    with pytest.raises(UnknownPage, match="'note_id'"):
        note.url(intervention_id="i1", person_id="p1")
    with pytest.raises(UnknownPage, match="'help'"):
        page_urls(intervention_id="i1", person_id="p1")


# --- the facts are true -----------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES, ids=str)
@pytest.mark.parametrize("who", ["owner", "locked visitor"])
def test_each_page_answers_exactly_its_methods(
    owner: accounts.Unlocked, intervention: Started, page: Page, who: str
) -> None:
    url = page.url(**_ids(intervention))
    for method in ALL_METHODS:
        client = unlocked_client(owner) if who == "owner" else Client()
        response = client.generic(method, url)
        if method in page.methods:
            assert response.status_code != 405, (method, url)
        else:
            assert response.status_code == 405, (method, url, response.status_code)
            allowed = {m.strip() for m in response.headers["Allow"].split(",")}
            assert allowed == page.methods, (url, allowed)


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_each_page_needs_unlocking_exactly_as_declared(
    owner: accounts.Unlocked, intervention: Started, page: Page
) -> None:
    response = _visit(Client(), page, intervention)
    if page.unlocked:
        assert _sent_to_unlock(response) or response.status_code == 403, response
    else:
        assert response.status_code < 400, response
        assert not _sent_to_unlock(response), response


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_each_page_ends_the_session_exactly_as_declared(
    owner_client: Client, intervention: Started, page: Page
) -> None:
    response = _visit(owner_client, page, intervention)
    assert response.status_code < 400, response
    still = owner_client.get("/interventions/")
    assert _sent_to_unlock(still) == page.ends_session, (page.name, still)


# --- HEAD is GET without the body ---------------------------------------------------------


@pytest.mark.parametrize("page", SHOWN, ids=str)
@pytest.mark.parametrize("who", ["owner", "member", "outsider", "locked visitor"])
def test_each_page_answers_head_as_it_answers_get(
    request: pytest.FixtureRequest, intervention: Started, page: Page, who: str
) -> None:
    """Same status and Location for HEAD as for GET, for each kind of visitor. (The test
    client drops a HEAD's body itself: the test over HTTP below checks the server.)"""
    if who == "locked visitor":
        request.getfixturevalue("owner")
        clients = Client(), Client()
    else:
        unlocked = request.getfixturevalue(who)
        clients = unlocked_client(unlocked), unlocked_client(unlocked)
    url = page.url(**_ids(intervention))
    head, get = clients[0].head(url), clients[1].get(url)
    assert head.status_code == get.status_code, (url, head.status_code, get.status_code)
    assert head.status_code != 405
    assert head.headers.get("Location") == get.headers.get("Location")
    assert head.headers["Content-Type"] == get.headers["Content-Type"]
    assert head.content == b""


def _http(base_url: str, method: str, path: str, cookies: str) -> tuple[int, bytes]:
    """One raw HTTP/1.0 exchange: the status and the bytes after the headers, exactly as
    the server sent them (http.client would not read a body after a HEAD at all)."""
    where = urlsplit(base_url)
    assert where.hostname == "127.0.0.1" and where.port, base_url
    request = f"{method} {path} HTTP/1.0\r\nHost: 127.0.0.1:{where.port}\r\n"
    if cookies:
        request += f"Cookie: {cookies}\r\n"
    with socket.create_connection(("127.0.0.1", where.port), timeout=30) as connection:
        connection.sendall((request + "\r\n").encode("latin-1"))
        received = b"".join(iter(lambda: connection.recv(65536), b""))
    head, _, body = received.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


@dataclass(frozen=True)
class Exchange:
    who: str
    name: str
    url: str
    head_status: int
    head_body: bytes
    get_status: int


@pytest.fixture(scope="module")
def over_http(tmp_path_factory: pytest.TempPathFactory) -> list[Exchange]:
    """A HEAD then a GET of every page that shows, on a real server (waitress), for the
    owner (pages that end the session last) and then for a locked visitor."""
    folder = tmp_path_factory.mktemp("head")
    with running_server(folder / "data") as server:
        client = FormClient(server.url)
        passphrase = "head first, then get"
        client.post("/setup/", {"passphrase": passphrase, "confirm": passphrase})
        start = {"danger": "no", "code_name": "Heads", "doing_harm_alias": "H"}
        page = client.post("/interventions/new/", start)
        intervention_id = page.path.split("/")[2]
        page = client.post(f"/i/{intervention_id}/people/new/", {"alias": "Tails"})
        person_id = page.path.split("/")[4]
        assert page.path == f"/i/{intervention_id}/people/{person_id}/", page.path
        cookies = "; ".join(f"{cookie.name}={cookie.value}" for cookie in client.cookies)
        urls = page_urls(intervention_id=intervention_id, person_id=person_id)
        exchanges = []
        for who, sent in (("owner", cookies), ("locked visitor", "")):
            for name, url in urls.items():
                head_status, head_body = _http(server.url, "HEAD", url, sent)
                get_status, _body = _http(server.url, "GET", url, sent)
                exchanges.append(Exchange(who, name, url, head_status, head_body, get_status))
    return exchanges


def test_each_page_answers_head_as_get_over_http(over_http: list[Exchange]) -> None:
    for exchange in over_http:
        assert exchange.head_status == exchange.get_status, exchange
        assert exchange.head_status != 405, exchange
    # The walk met real pages, not only redirects: an owner's 200s and a locked visitor's
    # trips to unlock.
    assert {e.get_status for e in over_http if e.who == "owner"} >= {200, 302}
    assert {e.get_status for e in over_http if e.who == "locked visitor"} >= {200, 302}


def test_each_page_answers_head_with_no_body_over_http(over_http: list[Exchange]) -> None:
    """Neither waitress nor Django's WSGI handler drops the body of a HEAD: allymap must
    (on a kept-alive connection, a stray body would be read as the next response)."""
    with_body = [(e.who, e.name, len(e.head_body)) for e in over_http if e.head_body]
    assert not with_body, f"HEAD answered with a body (who, page, bytes): {with_body}"
