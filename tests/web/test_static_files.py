"""Static files are sent compressed to a browser that accepts it, and whole to one that
does not; a page never is (docs/threat-model.md, "Compression": a compressed page that
mixes what someone typed with a secret can leak the secret through its size)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.web.conftest import DemoPages

STATIC = sorted(
    path.relative_to(settings.STATIC_ROOT).as_posix()
    for path in Path(settings.STATIC_ROOT).rglob("*")
    if path.is_file() and path.suffix in {".css", ".js"}
)


def _body(response: object) -> bytes:
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", STATIC)
def test_a_static_file_is_sent_compressed_when_the_browser_accepts_it(
    client: Client, name: str
) -> None:
    whole = (Path(settings.STATIC_ROOT) / name).read_bytes()
    response = client.get(f"/static/{name}", headers={"accept-encoding": "gzip, deflate, br"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    sent = _body(response)
    assert gzip.decompress(sent) == whole
    if len(whole) > 4000:
        assert len(sent) < len(whole) / 2, name


def test_a_static_file_is_sent_whole_to_a_browser_that_does_not_accept_it(
    client: Client,
) -> None:
    response = client.get("/static/allymap/allymap.css")
    assert "Content-Encoding" not in response.headers
    assert _body(response) == (Path(settings.STATIC_ROOT) / "allymap/allymap.css").read_bytes()


def test_no_page_is_ever_compressed(
    owner_client: Client, demo_pages: DemoPages, client: Client
) -> None:
    asked = {"accept-encoding": "gzip, deflate, br"}
    for name, url in demo_pages.urls.items():
        if name == "exit":
            continue
        response = owner_client.get(url, headers=asked)
        assert "Content-Encoding" not in response.headers, name
    for url in ("/unlock/", "/about/", "/safety/", "/healthz", "/no-such-page/"):
        assert "Content-Encoding" not in client.get(url, headers=asked).headers, url
