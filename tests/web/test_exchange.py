"""The export and import pages: encrypted by default, a download that names no one, and
an import that either makes a new intervention or says why not, changing nothing."""

from __future__ import annotations

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.test import Client

from allymap.services import accounts, exchange
from allymap.store.models import Event, Intervention
from allymap.vault.archive import open_archive
from tests.standing import Names, Started

WORDS = "kererū in the pūriri"


def _export(client: Client, started: Started, **body: str) -> object:
    return client.post(f"/i/{started.intervention_id}/export/", body)


def _counts() -> tuple[int, int]:
    return Intervention.objects.count(), Event.objects.count()


def test_the_export_page_offers_encrypted_first(
    owner_client: Client, intervention: Started
) -> None:
    page = owner_client.get(f"/i/{intervention.intervention_id}/export/").content.decode()
    assert re.search(r'value="encrypted"[^>]*checked', page)
    assert "anyone who finds the file" in page
    assert 'type="password"' in page


def test_an_encrypted_export_downloads_under_a_neutral_name(
    owner_client: Client, intervention: Started, standing_names: Names
) -> None:
    response = _export(
        owner_client, intervention, kind="encrypted", export_passphrase=WORDS, export_confirm=WORDS
    )
    assert response.status_code == 200  # type: ignore[attr-defined]
    disposition = response["Content-Disposition"]  # type: ignore[index]
    assert re.fullmatch(r'attachment; filename="export-\d{4}-\d{2}-\d{2}\.enc"', disposition)
    assert "no-store" in response["Cache-Control"]  # type: ignore[index]
    content = response.content  # type: ignore[attr-defined]
    assert standing_names.code_name.encode() not in content
    opened = json.loads(
        open_archive(content, WORDS, magic=exchange.EXPORT_MAGIC, marker=exchange.EXPORT_MARKER)
    )
    assert opened["events"][0]["event"]["code_name"] == standing_names.code_name


def test_an_encrypted_export_needs_the_passphrase_twice(
    owner_client: Client, intervention: Started
) -> None:
    page = _export(
        owner_client, intervention, kind="encrypted", export_passphrase=WORDS, export_confirm="x"
    )
    assert page.status_code == 200  # type: ignore[attr-defined]
    assert "Content-Disposition" not in page  # type: ignore[operator]
    assert "not the same" in page.content.decode()  # type: ignore[attr-defined]
    short = _export(
        owner_client, intervention, kind="encrypted", export_passphrase="ab", export_confirm="ab"
    )
    assert "Content-Disposition" not in short  # type: ignore[operator]


def test_an_export_imports_as_a_new_intervention(
    owner_client: Client,
    owner_unlocked: accounts.Unlocked,
    intervention: Started,
    standing_names: Names,
) -> None:
    sealed = _export(
        owner_client, intervention, kind="encrypted", export_passphrase=WORDS, export_confirm=WORDS
    ).content  # type: ignore[attr-defined]
    before = _counts()
    upload = SimpleUploadedFile("export.enc", sealed)
    response = owner_client.post(
        "/interventions/import/", {"file": upload, "export_passphrase": WORDS}
    )
    assert response.status_code == 302
    new_id = response["Location"].strip("/").split("/")[-1]
    assert new_id != intervention.intervention_id
    assert _counts()[0] == before[0] + 1
    page = owner_client.get(f"/i/{new_id}/").content.decode()
    assert standing_names.code_name in page and standing_names.person_alias in page
    plain = exchange.export_json(keyring=owner_unlocked.keyring, intervention_id=new_id)
    assert plain == exchange.export_json(
        keyring=owner_unlocked.keyring, intervention_id=intervention.intervention_id
    )


def test_a_refused_import_says_why_and_changes_nothing(
    owner_client: Client, intervention: Started
) -> None:
    sealed = _export(
        owner_client, intervention, kind="encrypted", export_passphrase=WORDS, export_confirm=WORDS
    ).content  # type: ignore[attr-defined]
    before = _counts()
    for data, passphrase, words in (
        (sealed, "tūī at the harakeke", "does not open this file"),
        (sealed[:-30], WORDS, "cut short"),
        (sealed[:-30] + bytes(30), WORDS, "changed after it was exported"),
        (b"x" * (exchange.MAX_IMPORT_BYTES + 1), "", "larger than allymap imports"),
    ):
        upload = SimpleUploadedFile("export.enc", data)
        page = owner_client.post(
            "/interventions/import/", {"file": upload, "export_passphrase": passphrase}
        )
        assert page.status_code == 200
        text = page.content.decode().replace("&#x27;", "'")
        assert words in text and "Nothing was imported." in text
        assert _counts() == before


def test_the_import_checks_its_csrf_token(owner_unlocked: accounts.Unlocked) -> None:
    from tests.standing import unlocked_client

    client = unlocked_client(owner_unlocked)
    client.handler.enforce_csrf_checks = True
    before = _counts()
    upload = SimpleUploadedFile("export.json", b"{}")
    response = client.post("/interventions/import/", {"file": upload})
    assert response.status_code == 403
    assert _counts() == before


def test_an_upload_is_kept_in_memory_never_on_disk(
    owner_client: Client,
    owner_unlocked: accounts.Unlocked,
    intervention: Started,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Larger than Django keeps in memory by default (2.5 MB): without the view's own
    upload handler it would go to a temporary file on disk, readable plain JSON."""
    to_disk: list[str] = []
    monkeypatch.setattr(
        TemporaryFileUploadHandler, "new_file", lambda self, *a, **k: to_disk.append("file")
    )
    plain = exchange.export_json(
        keyring=owner_unlocked.keyring, intervention_id=intervention.intervention_id
    )
    padded = plain + b" " * (3 * 2**20)
    upload = SimpleUploadedFile("export.json", padded)
    response = owner_client.post("/interventions/import/", {"file": upload})
    assert response.status_code == 302
    assert not to_disk


def test_the_same_import_form_posted_twice_imports_once(
    owner_client: Client, owner_unlocked: accounts.Unlocked, intervention: Started
) -> None:
    plain = exchange.export_json(
        keyring=owner_unlocked.keyring, intervention_id=intervention.intervention_id
    )
    page = owner_client.get("/interventions/import/").content.decode()
    once = re.search(r'name="once" value="([^"]+)"', page)
    assert once
    before = _counts()
    places = {
        owner_client.post(
            "/interventions/import/",
            {"file": SimpleUploadedFile("export.json", plain), "once": once.group(1)},
        )["Location"]
        for _ in range(2)
    }
    assert len(places) == 1
    assert _counts()[0] == before[0] + 1


def test_a_locked_visitor_s_upload_is_never_read(
    intervention: Started, monkeypatch: pytest.MonkeyPatch
) -> None:
    from allymap.web.views import exchange as view

    read: list[int] = []
    original = view._InMemoryUpTo.receive_data_chunk

    def counting(self: view._InMemoryUpTo, raw: bytes, start: int) -> bytes | None:
        read.append(len(raw))
        return original(self, raw, start)

    monkeypatch.setattr(view._InMemoryUpTo, "receive_data_chunk", counting)
    client = Client()  # nobody unlocked
    before = _counts()
    upload = SimpleUploadedFile("export.json", b"{" + b" " * 2**20 + b"}")
    response = client.post("/interventions/import/", {"file": upload})
    assert response.status_code == 200
    assert 'name="passphrase"' in response.content.decode()  # the unlock page
    assert not read
    assert _counts() == before


def test_a_body_larger_than_an_import_is_refused_unread(
    owner_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from allymap.web.views import exchange as view

    monkeypatch.setattr(
        view._InMemoryUpTo, "receive_data_chunk", lambda *a: pytest.fail("the body was read")
    )
    before = _counts()
    response = owner_client.post(
        "/interventions/import/",
        data=b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(exchange.MAX_IMPORT_BYTES + 65 * 2**10),
    )
    assert response.status_code == 413
    assert "larger than allymap imports" in response.content.decode()
    assert _counts() == before


def test_a_csv_export_is_named_as_what_cannot_be_imported(
    owner_client: Client, intervention: Started
) -> None:
    csv_zip = _export(owner_client, intervention, kind="csv").content  # type: ignore[attr-defined]
    page = owner_client.post(
        "/interventions/import/", {"file": SimpleUploadedFile("export.zip", csv_zip)}
    )
    text = page.content.decode()
    assert "a CSV export cannot be imported" in text
    assert "encrypted or plain JSON" in text
    assert "not an allymap export" not in text


def test_deeply_nested_json_is_refused_not_an_error(owner_client: Client) -> None:
    owner_client.raise_request_exception = False
    data = b'{"x":' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    page = owner_client.post("/interventions/import/", {"file": SimpleUploadedFile("x.json", data)})
    assert page.status_code == 200
    assert "not laid out as an allymap export" in page.content.decode().replace("&#x27;", "'")


def test_an_imported_copy_is_told_apart_from_its_original_on_the_list(
    owner_client: Client, owner_unlocked: accounts.Unlocked, intervention: Started
) -> None:
    """The copy keeps its original's code name (its export must stay the file it came
    from), so the list says when each came here: only where two are alike."""
    listed = owner_client.get("/interventions/").content.decode()
    assert "added here" not in listed
    plain = exchange.export_json(
        keyring=owner_unlocked.keyring, intervention_id=intervention.intervention_id
    )
    copy = exchange.import_file(keyring=owner_unlocked.keyring, data=plain)
    assert exchange.export_json(keyring=owner_unlocked.keyring, intervention_id=copy) == plain
    listed = owner_client.get("/interventions/").content.decode()
    assert listed.count("added here") == 2
