"""Security headers on every page, no inline script, and no request leaves the site."""

from __future__ import annotations

import re

import pytest
from django.http import HttpResponse
from django.test import Client

from tests.web.conftest import Started
from tests.web.every_page import Page, every_page

# Every page that shows (generated from the URL patterns), and a few more addresses.
PAGES = [page for page in every_page() if page.shows]
POSTED = [page for page in every_page() if page.takes_posts]
OWNER_EXTRA = ["/i/no-such-intervention/"]  # the 404 page
LOCKED_EXTRA = ["/unlock/?why=idle", "/unlock/?why=locked"]
MADE_UP = Started(intervention_id="no-such-intervention", person_id="no-such-person")


def _url(target: Page | str, started: Started) -> str:
    if isinstance(target, str):
        return target
    return target.url(intervention_id=started.intervention_id, person_id=started.person_id)


_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.DOTALL | re.IGNORECASE)
_SRC = re.compile(r"""\bsrc\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
_EXTERNAL = re.compile(
    r"""\b(?:src|href|action|srcset|poster|data)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE
)
_INLINE_HANDLER = re.compile(r"""<[^>]+\son[a-z]+\s*=""", re.IGNORECASE)


def _check_headers(response: HttpResponse) -> None:
    policy = response.headers["Content-Security-Policy"]
    directives = {part.strip().split()[0]: part.strip() for part in policy.split(";")}
    assert directives["default-src"] == "default-src 'self'"
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy
    assert directives["script-src"] == "script-src 'self'"
    assert directives["frame-ancestors"] == "frame-ancestors 'none'"
    assert response.headers["Cache-Control"] == "no-store"
    # Never sent to another site. (same-origin rather than no-referrer: with no-referrer
    # Chromium sends `Origin: null` on form posts and Django's CSRF check refuses them.)
    assert response.headers["Referrer-Policy"] in ("no-referrer", "same-origin")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response.headers["Permissions-Policy"]


def _check_page(client: Client, response: HttpResponse) -> None:
    page = response.content.decode()
    for attributes, body in _SCRIPT.findall(page):
        src = _SRC.search(attributes)
        assert src, f"an inline <script> on {response.wsgi_request.path}"
        assert src.group(1).startswith("/static/"), src.group(1)
        assert not body.strip(), "a <script src> with inline code too"
        assert client.get(src.group(1)).status_code == 200, src.group(1)
    assert not _EXTERNAL.search(page), _EXTERNAL.search(page)
    assert not _INLINE_HANDLER.search(page), _INLINE_HANDLER.search(page)


@pytest.mark.parametrize("target", [*PAGES, *OWNER_EXTRA], ids=str)
def test_it_protects_every_owner_page(
    owner_client: Client, intervention: Started, target: Page | str
) -> None:
    response = owner_client.get(_url(target, intervention))
    assert response.status_code in (200, 302, 404)
    _check_headers(response)
    _check_page(owner_client, response)


@pytest.mark.parametrize("target", [*PAGES, *LOCKED_EXTRA], ids=str)
def test_it_protects_every_locked_page(intervention: Started, target: Page | str) -> None:
    """What a visitor sees once allymap is set up, before unlocking."""
    client = Client()
    response = client.get(_url(target, intervention))
    assert response.status_code in (200, 302, 403)
    _check_headers(response)
    _check_page(client, response)


@pytest.mark.django_db
@pytest.mark.parametrize("target", PAGES, ids=str)
def test_it_protects_the_first_run_pages(target: Page | str) -> None:
    client = Client()
    response = client.get(_url(target, MADE_UP))
    assert response.status_code in (200, 302, 403)
    _check_headers(response)
    _check_page(client, response)


@pytest.mark.parametrize("page", POSTED, ids=str)
def test_it_protects_every_page_that_takes_a_post(
    owner_client: Client, intervention: Started, page: Page
) -> None:
    """An empty form: the answer (a form with its errors, a redirect) is protected too."""
    response = owner_client.post(_url(page, intervention), {})
    assert response.status_code in (200, 204, 302), response
    _check_headers(response)
    _check_page(owner_client, response)


def test_it_protects_the_pages_after_a_post(owner_client: Client, intervention: Started) -> None:
    responses = [
        owner_client.post("/interventions/new/", {"danger": "yes", "code_name": "x"}),
        owner_client.post(f"/i/{intervention.intervention_id}/people/new/", {"alias": ""}),
        owner_client.post("/lock/"),
        owner_client.get("/exit/"),
    ]
    for response in responses:
        _check_headers(response)


def test_it_lets_static_files_be_cached_but_still_protected(owner_client: Client) -> None:
    response = owner_client.get("/static/allymap/allymap.js")
    assert response.status_code == 200
    assert response.headers.get("Cache-Control") != "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_it_has_no_inline_style_that_the_policy_would_block(owner_client: Client) -> None:
    page = owner_client.get("/away/").content.decode()
    assert "<style" not in page.lower()
