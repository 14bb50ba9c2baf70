"""Security headers on every page, no inline script, and no request leaves the site."""

from __future__ import annotations

import re

import pytest
from django.http import HttpResponse
from django.test import Client

from allymap.services import accounts
from tests.web.conftest import Started

# Every page the owner can GET, with the ids of the `intervention` fixture filled in.
OWNER_PAGES = [
    "/",
    "/interventions/",
    "/interventions/new/",
    "/i/{intervention_id}/",
    "/i/{intervention_id}/people/new/",
    "/i/{intervention_id}/people/{person_id}/",
    "/i/{intervention_id}/people/{person_id}/reflect/",
    "/about/",
    "/away/",
    "/healthz",
    "/unlock/",
    "/recover/",
    "/i/no-such-intervention/",  # the 404 page
]
# Pages a locked visitor sees once allymap is set up.
LOCKED_PAGES = ["/", "/unlock/", "/unlock/?why=idle", "/recover/", "/about/", "/away/"]

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


@pytest.mark.parametrize("path", OWNER_PAGES)
def test_it_protects_every_owner_page(
    owner_client: Client, intervention: Started, path: str
) -> None:
    response = owner_client.get(
        path.format(intervention_id=intervention.intervention_id, person_id=intervention.person_id)
    )
    assert response.status_code in (200, 302, 404)
    _check_headers(response)
    _check_page(owner_client, response)


@pytest.mark.parametrize("path", LOCKED_PAGES)
def test_it_protects_every_locked_page(owner: accounts.Unlocked, path: str) -> None:
    client = Client()
    response = client.get(path)
    assert response.status_code in (200, 302)
    _check_headers(response)
    _check_page(client, response)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/setup/"])
def test_it_protects_the_first_run_pages(path: str) -> None:
    client = Client()
    response = client.get(path)
    _check_headers(response)
    _check_page(client, response)


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
