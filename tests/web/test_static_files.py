"""Static files are sent compressed to a browser that accepts it, and whole to one that
does not; a page never is (docs/threat-model.md, "Compression": a compressed page that
mixes what someone typed with a secret can leak the secret through its size)."""

from __future__ import annotations

import gzip
import http.client
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client

from tests.server import running_server
from tests.web.conftest import DemoPages

STATIC = sorted(
    path.relative_to(settings.STATIC_ROOT).as_posix()
    for path in Path(settings.STATIC_ROOT).rglob("*")
    if path.is_file() and path.suffix in {".css", ".js"}
)


def _body(response: object) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return bytes(response.content)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", STATIC)
def test_a_static_file_is_sent_compressed_when_the_browser_accepts_it(
    client: Client, name: str
) -> None:
    whole = (Path(settings.STATIC_ROOT) / name).read_bytes()
    response = client.get(f"/static/{name}", headers={"accept-encoding": "gzip, deflate, br"})
    assert response.status_code == 200
    assert "Accept-Encoding" in response.headers["Vary"]
    sent = _body(response)
    assert response.headers["Content-Length"] == str(len(sent))
    if len(whole) < 200:  # too small to gain from it (Django's GZip leaves it)
        assert sent == whole
        return
    assert response.headers["Content-Encoding"] == "gzip"
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


def test_not_modified_still_says_it_varies_with_what_the_browser_accepts(
    client: Client,
) -> None:
    first = client.get("/static/allymap/allymap.css", headers={"accept-encoding": "gzip"})
    again = client.get(
        "/static/allymap/allymap.css",
        headers={"accept-encoding": "gzip", "if-modified-since": first.headers["Last-Modified"]},
    )
    assert again.status_code == 304
    assert "Accept-Encoding" in again.headers["Vary"]


def test_a_real_server_sends_them_with_a_length_and_keeps_the_connection(
    tmp_path: Path,
) -> None:
    """On waitress: a compressed file has its length (so the connection stays open for
    the next), and a HEAD answers headers alone, with nothing after them."""
    with running_server(tmp_path / "data") as server:
        where = urlsplit(server.url)
        connection = http.client.HTTPConnection(where.hostname or "", where.port, timeout=10)
        try:
            asked = {"Accept-Encoding": "gzip"}
            for method in ("GET", "HEAD", "GET"):
                connection.request(method, "/static/allymap/allymap.css", headers=asked)
                response = connection.getresponse()
                body = response.read()
                assert response.status == 200
                assert response.getheader("Content-Encoding") == "gzip"
                assert response.getheader("Transfer-Encoding") is None
                assert response.getheader("Connection") != "close"
                length = int(response.getheader("Content-Length") or -1)
                if method == "GET":
                    assert len(body) == length > 0
                else:
                    assert body == b""
            # The raw socket after a HEAD holds nothing more: the next GET's answer
            # begins where it should (http.client would fail to parse it otherwise).
        finally:
            connection.close()
