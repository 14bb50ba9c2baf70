"""A tiny form-filling HTTP client: cookies, CSRF tokens and redirects, nothing else.

It talks to a real server the way a browser without JavaScript does: GET a page, take the
CSRF token from its form, POST the form back (with the Origin a browser would send) and
follow the redirect. It keeps every form it posted (`posted`: path and fields, without
the CSRF token), so a test can check what was typed where.
"""

from __future__ import annotations

import html
import re
import secrets
from dataclasses import dataclass
from http.cookiejar import CookieJar
from urllib.error import HTTPError
from urllib.parse import urlencode, urljoin, urlsplit
from urllib.request import HTTPCookieProcessor, Request, build_opener

_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TIMEOUT = 30


@dataclass(frozen=True)
class Page:
    url: str
    status: int
    text: str

    @property
    def path(self) -> str:
        return urlsplit(self.url).path

    def csrf_token(self) -> str:
        match = _CSRF.search(self.text)
        assert match, f"no CSRF token on {self.url} ({self.status}):\n{self.text[:2000]}"
        return html.unescape(match.group(1))

    def __contains__(self, text: str) -> bool:
        return text in self.text or html.escape(text) in self.text


class FormClient:
    def __init__(self, base_url: str) -> None:
        if not base_url.startswith("http://127.0.0.1:"):
            raise ValueError(f"only a local test server, not {base_url}")
        self.base_url = base_url
        self.origin = base_url.rstrip("/")
        self.cookies = CookieJar()
        self._opener = build_opener(HTTPCookieProcessor(self.cookies))
        self.posted: list[tuple[str, dict[str, str]]] = []

    def _open(self, request: Request) -> Page:
        try:
            with self._opener.open(request, timeout=TIMEOUT) as response:
                body = response.read().decode("utf-8")
                return Page(response.geturl(), response.status, body)
        except HTTPError as error:
            body = error.read().decode("utf-8", errors="replace")
            return Page(error.geturl(), error.code, body)

    def get(self, path: str) -> Page:
        url = urljoin(self.base_url, path)
        return self._open(Request(url, method="GET"))  # noqa: S310  (checked in __init__)

    def post(self, path: str, fields: dict[str, str], *, token_from: Page | None = None) -> Page:
        """POST `fields` with the CSRF token of `token_from` (default: GET `path` first)."""
        form_page = token_from if token_from is not None else self.get(path)
        self.posted.append((urlsplit(urljoin(self.base_url, path)).path, dict(fields)))
        data = {"csrfmiddlewaretoken": form_page.csrf_token(), **fields}
        request = Request(  # noqa: S310  (the scheme is checked in __init__)
            urljoin(self.base_url, path),
            data=urlencode(data).encode("utf-8"),
            method="POST",
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": self.origin,
            },
        )
        return self._open(request)

    def download(self, path: str, fields: dict[str, str], *, token_from: Page) -> bytes:
        """POST a form whose answer is a file to download; return the file's bytes."""
        self.posted.append((urlsplit(urljoin(self.base_url, path)).path, dict(fields)))
        data = {"csrfmiddlewaretoken": token_from.csrf_token(), **fields}
        request = Request(  # noqa: S310  (the scheme is checked in __init__)
            urljoin(self.base_url, path),
            data=urlencode(data).encode("utf-8"),
            method="POST",
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": self.origin,
            },
        )
        with self._opener.open(request, timeout=TIMEOUT) as response:
            assert response.headers["Content-Disposition"].startswith("attachment;")
            return bytes(response.read())

    def upload(
        self, path: str, fields: dict[str, str], files: dict[str, bytes], *, token_from: Page
    ) -> Page:
        """POST a form with files, as multipart/form-data (`posted` names each file's
        field, with an empty value: a file is not typed)."""
        self.posted.append(
            (urlsplit(urljoin(self.base_url, path)).path, {**fields, **dict.fromkeys(files, "")})
        )
        boundary = f"----allymap-canary-{secrets.token_hex(8)}"
        parts: list[bytes] = []
        for name, value in {"csrfmiddlewaretoken": token_from.csrf_token(), **fields}.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        for name, content in files.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="upload"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
                + content
                + b"\r\n"
            )
        parts.append(f"--{boundary}--\r\n".encode())
        request = Request(  # noqa: S310  (the scheme is checked in __init__)
            urljoin(self.base_url, path),
            data=b"".join(parts),
            method="POST",
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Origin": self.origin,
            },
        )
        return self._open(request)
