"""`allymap serve` keeps every request and answer in memory, never in a temporary file.

Waitress by default moves a request body over 512 KiB, and an answer over 1 MiB, to an
unnamed temporary file: a plain import or export, or a long page, would be on the disk
in plain text. Served with `serve`'s buffer settings, neither happens.
"""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterable
from typing import Any

import pytest
import waitress.buffers
from waitress import create_server

from allymap.cli import server_buffers
from allymap.services.exchange import MAX_IMPORT_BYTES

ANSWER = b"plain answer " * (3 * 2**20 // 13)


def _app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [ANSWER if environ["REQUEST_METHOD"] == "GET" else b"got %d" % len(body)]


def _spooled(monkeypatch: pytest.MonkeyPatch, **options: int) -> list[str]:
    """Post a 3 MiB body and fetch a 3 MiB answer; the temporary files waitress made."""
    made: list[str] = []
    real = waitress.buffers.TempfileBasedBuffer.newfile

    def spy(self: Any) -> Any:
        made.append("file")
        return real(self)

    monkeypatch.setattr(waitress.buffers.TempfileBasedBuffer, "newfile", spy)
    server = create_server(_app, host="127.0.0.1", port=0, threads=2, **options)
    port = server.effective_port  # type: ignore[union-attr]
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        posting = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        posting.request("POST", "/", body=b"x" * (3 * 2**20))
        assert posting.getresponse().read() == b"got %d" % (3 * 2**20)
        getting = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        getting.request("GET", "/")
        assert getting.getresponse().read() == ANSWER
    finally:
        server.close()
    return made


def test_waitress_by_default_would_spool_to_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """The control: what the settings below prevent does happen without them."""
    assert _spooled(monkeypatch) != []


def test_serve_spools_nothing_to_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _spooled(monkeypatch, **server_buffers()) == []


def test_serve_takes_an_import_of_the_largest_size_and_nothing_larger() -> None:
    options = server_buffers()
    assert options["max_request_body_size"] > MAX_IMPORT_BYTES
    assert options["inbuf_overflow"] > options["max_request_body_size"]
