"""allymap's own static files (its stylesheets, scripts and icons), served by allymap in
personal mode (and in hosted mode unless a proxy serves them).

They are sent gzip-compressed to a browser that accepts it, about a quarter of their
size: they are the same for everyone and hold nothing of anyone's, so compression cannot
give a secret away. Pages are never compressed (docs/threat-model.md, "Compression").
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import cast

from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import patch_vary_headers
from django.views.decorators.gzip import gzip_page
from django.views.static import serve


def _whole(request: HttpRequest, path: str, document_root: str) -> HttpResponseBase:
    """Django's `serve`, with a file it sends read whole rather than streamed.

    Compressed as a stream, a file would go without a Content-Length: the server would
    then send it in chunks and close the connection after it, and answer a HEAD with a
    chunk's end where no body may be. allymap's files are a few KB each."""
    response = serve(request, path, document_root=document_root)
    if not isinstance(response, FileResponse) or response.file_to_stream is None:
        return response
    # The file is closed here, not by `response.close()`, which would also tell Django
    # the request had finished.
    with contextlib.closing(response.file_to_stream):
        body = b"".join(cast("Iterator[bytes]", response.streaming_content))
    whole = HttpResponse(body, status=response.status_code)
    for header, value in response.items():
        whole[header] = value
    whole["Content-Length"] = str(len(body))
    return whole


_compressed = gzip_page(_whole)


def static_file(request: HttpRequest, path: str, document_root: str) -> HttpResponseBase:
    """A static file, compressed for a browser that accepts it. Every answer, "not
    modified" included, says it varies with Accept-Encoding, so no cache hands the
    compressed file to a browser that did not ask for it."""
    response = _compressed(request, path, document_root=document_root)
    patch_vary_headers(response, ("Accept-Encoding",))
    return response
