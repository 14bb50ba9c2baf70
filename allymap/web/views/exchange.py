"""Exporting an intervention to a file, and importing a file as a new intervention.

The export page offers an encrypted file (the default) or, as a choice that says plainly
what it means, plain JSON or CSV; posting it answers with the file itself, as a download
with a neutral name. The import page takes a file and its passphrase and starts a new
intervention from it, or says why it cannot (`services.exchange` checks everything first,
and nothing is stored unless all of it passed).

An uploaded file is kept in memory only, never in a temporary file on disk (a plain JSON
export is readable), and never more than `MAX_IMPORT_BYTES` of it: the import view sets
its own upload handler before the request is read, so it checks the CSRF token itself,
after that (Django's way for a view that changes its upload handlers). Before any of the
body is read, a locked visitor gets the unlock page (an import is never carried through
unlocking: it holds a passphrase), and a body that says it is larger than
`MAX_IMPORT_BYTES` (and `_FORM_ROOM` for the rest of the form) is refused unread.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadhandler import MemoryFileUploadHandler, SkipFile
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from allymap.services import exchange, interventions
from allymap.services.errors import WeakPassphrase
from allymap.services.keyring import Keyring
from allymap.vault.kdf import KdfUnavailable
from allymap.web import forms
from allymap.web.exchange_words import import_problem
from allymap.web.requests import AllymapRequest
from allymap.web.views.guard import FORM, never_carried, unlocked_required
from allymap.web.words import refusal_message

_FORM_ROOM = 64 * 2**10
"""What a form's other fields and the multipart framing may add to the file's bytes."""

_TYPES = {
    "encrypted": "application/octet-stream",
    "json": "application/json",
    "csv": "application/zip",
}


@require_http_methods(FORM)
@unlocked_required
@never_carried
def export(request: AllymapRequest, keyring: Keyring, intervention_id: str) -> HttpResponse:
    heading = interventions.intervention_heading(keyring=keyring, intervention_id=intervention_id)
    form = forms.ExportForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        kind = form.cleaned_data["kind"]
        try:
            if kind == "json":
                data = exchange.export_json(keyring=keyring, intervention_id=intervention_id)
            elif kind == "csv":
                data = exchange.export_csv(
                    keyring=keyring,
                    intervention_id=intervention_id,
                    unnamed_member=_("A team member"),  # as the pages name one
                )
            else:
                data = exchange.export_encrypted(
                    keyring=keyring,
                    intervention_id=intervention_id,
                    passphrase=form.cleaned_data["export_passphrase"],
                )
        except WeakPassphrase as weak:
            form.add_error("export_passphrase", refusal_message(weak.code, weak.params))
        except KdfUnavailable:
            return render(request, "allymap/busy.html", status=503)
        else:
            name = exchange.export_filename(kind, timezone.now())
            response = HttpResponse(data, content_type=_TYPES[kind])
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "allymap/export.html", {"heading": heading, "form": form})


class _InMemoryUpTo(MemoryFileUploadHandler):
    """Keeps an uploaded file in memory, whatever its size up to `MAX_IMPORT_BYTES`, and
    skips one larger (`too_large`): nothing uploaded ever lands on disk."""

    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.too_large = False
        self.received = 0

    def handle_raw_input(self, *args: Any, **kwargs: Any) -> None:
        self.activated = True

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > exchange.MAX_IMPORT_BYTES:
            self.too_large = True
            raise SkipFile
        return super().receive_data_chunk(raw_data, start)


def _declared_length(request: AllymapRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


@csrf_exempt  # checked by `_import_checked`, once the upload handler is in place
@require_http_methods(FORM)
@unlocked_required  # before the body is read: a locked visitor's upload is never read
@never_carried
def import_intervention(request: AllymapRequest, keyring: Keyring) -> HttpResponse:
    if _declared_length(request) > exchange.MAX_IMPORT_BYTES + _FORM_ROOM:
        form = forms.ImportForm.refused(import_problem(exchange.Problem.TOO_LARGE))
        return render(request, "allymap/import.html", {"form": form}, status=413)
    handler = _InMemoryUpTo(request)
    request.upload_handlers = [handler]
    return _import_checked(request, keyring, handler)


@csrf_protect
def _import_checked(
    request: AllymapRequest, keyring: Keyring, handler: _InMemoryUpTo
) -> HttpResponse:
    if request.method != "POST":
        return render(request, "allymap/import.html", {"form": forms.ImportForm()})
    form = forms.ImportForm(request.POST, request.FILES)
    if handler.too_large:
        form.add_error(None, import_problem(exchange.Problem.TOO_LARGE))
    elif form.is_valid():
        try:
            intervention_id = exchange.import_file(
                keyring=keyring,
                data=form.cleaned_data["file"].read(),
                passphrase=form.cleaned_data["export_passphrase"] or None,
                proposed_id=form.cleaned_data["once"],
            )
        except exchange.ImportRefused as refused:
            form.add_error(None, import_problem(refused.problem))
        except KdfUnavailable:
            return render(request, "allymap/busy.html", status=503)
        else:
            return redirect("intervention", intervention_id=intervention_id)
    return render(request, "allymap/import.html", {"form": form})
