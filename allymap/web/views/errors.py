"""Every failure in allymap's own frame: 400, 403, 404, 405, 500 and 503.

Each error page extends the base page, so it carries the quick exit (and the lock when
unlocked), and says what happened in plain words without showing anything stored. A
database that cannot be written or read (a full or read-only data folder, a busy disk)
gets a page of its own instead of "something went wrong". If even rendering that page
fails, a minimal page that still offers the quick exit is returned.
"""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)


def _page(request: HttpRequest, template: str, status: int, **context: object) -> HttpResponse:
    try:
        return render(request, template, context, status=status)
    except Exception:
        log.exception("an error page could not be rendered")
        return _bare(status)


def _bare(status: int) -> HttpResponse:
    """The last resort: no template, no database, and still a way out."""
    title = escape(_("Something went wrong"))
    leave = escape(_("Quick exit"))
    body = (
        '<!doctype html><html lang="en-NZ"><head><meta charset="utf-8">'
        f"<title>{title} · allymap</title></head><body>"
        f'<p><a href="/exit/" id="quick-exit">{leave}</a></p>'
        f"<h1>{title}</h1></body></html>"
    )
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400. A form too large to take is refused whole, and the page says the limit."""
    too_large = isinstance(exception, RequestDataTooBig | TooManyFieldsSent)
    return _page(
        request,
        "allymap/errors/400.html",
        400,
        too_large=too_large,
        limit_kb=settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024,
    )


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, "allymap/errors/403.html", 403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, "404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """500; or 503 when the storage is what failed (called while handling the error).

    Only an OperationalError means the database could not be reached, written or read (a
    full or read-only folder, a lock held too long); other database errors are bugs.
    """
    problem = sys.exc_info()[1]
    if isinstance(problem, OperationalError):
        return storage_failed(request)
    return _page(request, "allymap/errors/500.html", 500)


def storage_failed(request: HttpRequest) -> HttpResponse:
    """503: the data folder could not be written or read; nothing was half-saved."""
    response = _page(request, "allymap/errors/storage.html", 503)
    response.headers["Retry-After"] = "30"
    return response


def method_not_allowed(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """405 in allymap's frame, keeping the Allow header of the refusal."""
    page = _page(request, "allymap/errors/405.html", 405)
    if "Allow" in response.headers:
        page.headers["Allow"] = response.headers["Allow"]
    return page
