"""Forgetting a person and destroying an intervention leave nothing of them at rest.

A real server is driven through the pages, as a browser without JavaScript would: an
intervention with two people, each with a relationship and evidence on every row, and
(through the services, in a helper process, since notes and changing a person have no
pages yet) a note about each, a note about the whole intervention, and a new alias for
the person to be forgotten. Before the erasure, every stored ciphertext of the
intervention is taken from the database (events, snapshots, sealed keys) and found in its
files: the positive control. Then the person is forgotten, or the intervention destroyed,
through the confirmation page, and the database files are searched, while the server
still runs and again after it stops, for every distinctive string typed about them, in
every shape tests/canary/scan.py knows, and for every one of those old ciphertexts. A
destroyed intervention's id must not be left anywhere in the data folder either.

On SQLite the files are the database, its -wal and its -shm. A plain connection to the
database stays open in the test for the whole run, as another request's would: otherwise
SQLite itself checkpoints and deletes the WAL when the server's last connection closes,
and the test could not tell whether allymap's own checkpoint and VACUUM did the work.
On PostgreSQL the search is of a `pg_dump`: what PostgreSQL can promise is that no live
row holds them; dead tuples' bytes in its data files and write-ahead log are beyond what
it guarantees to overwrite (docs/threat-model.md).
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.canary.client import FormClient, Page
from tests.canary.scan import Canary, files_under, scan_named
from tests.canary.test_no_plaintext_at_rest import ANSWERS, database, reflect_fields
from tests.server import RunningServer, pg_dump, running_server, server_environment

PASSPHRASE = "a passphrase for the erasure canary"
SNAPSHOT_EVERY = 10  # small, so the intervention has a snapshot to destroy

# Runs in a helper process with the server's data folder and database: the services and
# the store, as the server has them, for what the pages cannot do yet and to read back.
_HELPER = r"""
import json, sys
import django

django.setup()
from allymap.services import accounts, interventions, notes, people
from allymap.store.models import Event, Membership, Snapshot

ask = json.loads(sys.argv[1])
where = ask["intervention_id"]
answer = {}
if ask["do"] == "stored":
    answer = {
        "events": [bytes(c).hex() for c in Event.objects.filter(intervention_id=where)
                   .values_list("ciphertext", flat=True)],
        "snapshots": [bytes(c).hex() for c in Snapshot.objects.filter(intervention_id=where)
                      .values_list("ciphertext", flat=True)],
        "sealed_keys": [bytes(c).hex() for c in Membership.objects.filter(intervention_id=where)
                        .values_list("sealed_key", flat=True)],
    }
else:
    keyring = accounts.account_unlock(passphrase=ask["passphrase"]).keyring
    ids = {"keyring": keyring, "intervention_id": where}
    for step in ask.get("steps", []):
        if step["do"] == "note":
            notes.note_add(**ids, text=step["text"], person_id=step.get("person_id", ""))
        elif step["do"] == "change":
            people.person_change(**ids, person_id=step["person_id"], details=people.Details(
                alias=step["alias"], relationship=step["relationship"]))
    state = interventions.intervention_open(**ids)
    answer = {
        "people": {p.person_id: p.alias for p in state.people.values()},
        "notes": [n.text for n in state.notes],
        "evidence": sorted(e.evidence for p in state.people.values()
                           for rows in p.positions.values() for e in rows.values()),
    }
print(json.dumps(answer))
"""


def _canary(name: str, shape: str) -> Canary:
    token = secrets.token_hex(6)
    return Canary(name, shape.format(t=token), token)


def _bytes_canary(name: str, raw: bytes) -> Canary:
    """Stored bytes as a canary: found raw (SQLite), as hex (a dump's bytea) or in part."""
    hexed = raw.hex()
    return Canary(name, hexed, hexed[:16], extra=(raw, raw[:24], raw[-24:]))


def _helper(server: RunningServer, ask: dict[str, Any]) -> dict[str, Any]:
    env = server_environment(server.tmp_dir)
    env |= {
        "ALLYMAP_DATA_DIR": str(server.data_dir),
        "DJANGO_SETTINGS_MODULE": "allymap.settings",
        "ALLYMAP_SNAPSHOT_EVERY": str(SNAPSHOT_EVERY),
    }
    if server.database_url:
        env["DATABASE_URL"] = server.database_url
    done = subprocess.run(
        [sys.executable, "-c", _HELPER, json.dumps(ask)],
        capture_output=True,
        env=env,
        cwd=server.work_dir,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    answer: dict[str, Any] = json.loads(done.stdout.decode().strip().splitlines()[-1])
    return answer


def _stored(server: RunningServer, intervention_id: str) -> list[Canary]:
    """Every ciphertext the database holds for the intervention now, as canaries."""
    stored = _helper(server, {"do": "stored", "intervention_id": intervention_id})
    assert stored["events"] and stored["snapshots"] and stored["sealed_keys"], stored
    return [
        _bytes_canary(f"old {kind[:-1]} #{number}", bytes.fromhex(value))
        for kind, values in stored.items()
        for number, value in enumerate(values, start=1)
    ]


def _expect(page: Page, path: str, *texts: str) -> None:
    assert page.path == path, f"expected {path}, got {page.path} ({page.status}):\n{page.text}"
    for text in texts:
        assert text in page, f"{text!r} is not on {path}"


@dataclass
class Setting:
    """A server, its database and what it takes to search what it keeps."""

    server: RunningServer
    env: dict[str, str]
    client: FormClient

    def at_rest(self) -> dict[str, bytes]:
        """The database's bytes: its files (SQLite) or a dump (PostgreSQL)."""
        if "DATABASE_URL" in self.env:
            return {"pg_dump of the database": pg_dump(self.env["DATABASE_URL"])}
        files = [p for p in files_under(self.server.data_dir) if "sqlite3" in p.name]
        assert {p.name for p in files} >= {"allymap.sqlite3", "allymap.sqlite3-wal"}, files
        return {str(p): p.read_bytes() for p in files}

    def data_folder(self) -> dict[str, bytes]:
        """The database's bytes and every file of the data folder (the log marks…)."""
        return {str(p): p.read_bytes() for p in files_under(self.server.data_dir)} | (
            self.at_rest()
        )

    def everything(self) -> dict[str, bytes]:
        """The database's bytes and every file the server wrote (log, TMPDIR…)."""
        return {str(p): p.read_bytes() for p in files_under(self.server.work_dir)} | (
            self.at_rest()
        )


@contextmanager
def a_server(kind: str, tmp_path: Path) -> Iterator[Setting]:
    with ExitStack() as stack:
        env = stack.enter_context(database(kind))
        server_env = env | {"ALLYMAP_SNAPSHOT_EVERY": str(SNAPSHOT_EVERY)}
        server = stack.enter_context(running_server(tmp_path / "data", server_env))
        client = FormClient(server.url)
        page = client.post("/setup/", {"passphrase": PASSPHRASE, "confirm": PASSPHRASE})
        assert page.status == 200 and "recovery-key" in page.text, page.text[:2000]
        if kind == "sqlite":
            # Another connection, idle, as another request's would be (see the module doc).
            keeper = sqlite3.connect(server.data_dir / "allymap.sqlite3")
            stack.callback(keeper.close)
            keeper.execute("SELECT count(*) FROM sqlite_master").fetchall()
        yield Setting(server, env, client)


def _start(client: FormClient, code_name: str, alias: str) -> str:
    page = client.post(
        "/interventions/new/",
        {"danger": "no", "code_name": code_name, "doing_harm_alias": alias, "harmed_alias": ""},
    )
    assert page.path.startswith("/i/") and code_name in page, page.text[:2000]
    return page.path.split("/")[2]


def _add(client: FormClient, intervention_id: str, alias: str, relationship: str) -> str:
    page = client.post(
        f"/i/{intervention_id}/people/new/", {"alias": alias, "relationship": relationship}
    )
    parts = page.path.split("/")  # the person's page: /i/<id>/people/<person>/
    assert parts[3] == "people" and parts[4] != "new" and alias in page, page.text[:2000]
    person_id = parts[4]
    return person_id


def _reflect(client: FormClient, intervention_id: str, person_id: str, evidence: str) -> None:
    path = f"/i/{intervention_id}/people/{person_id}/"
    page = client.post(
        f"{path}reflect/", reflect_fields({row: f"{evidence} row {row}" for row in ANSWERS})
    )
    _expect(page, path, evidence)


def _findings(blobs: dict[str, bytes], canaries: list[Canary]) -> str:
    return "\n".join(map(str, scan_named(blobs, canaries)))


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_forgotten_person_leaves_nothing_at_rest(kind: str, tmp_path: Path) -> None:
    gone = {
        name: _canary(name, shape)
        for name, shape in {
            "first alias": "canary-forget-first-ālias-{t}",
            "alias": "canary-forget-ālias-{t}",
            "relationship": "canary-forget-whanaunga-{t}",
            "evidence": "canary-forget-evidence-{t} seen at the hui",
            "note": "canary-forget-note-{t} away until March",
        }.items()
    }
    kept = {
        name: _canary(name, shape)
        for name, shape in {
            "code name": "canary-kept-codename-{t}",
            "alias": "canary-kept-ālias-{t}",
            "evidence": "canary-kept-evidence-{t} calm and clear",
            "note": "canary-kept-note-{t} will ask at the club",
            "general note": "canary-kept-general-note-{t} hui on Sunday",
        }.items()
    }
    g = {name: canary.text for name, canary in gone.items()}
    k = {name: canary.text for name, canary in kept.items()}
    with a_server(kind, tmp_path) as setting:
        client, server = setting.client, setting.server
        intervention = _start(client, k["code name"], "R")
        forgotten = _add(client, intervention, g["first alias"], g["relationship"])
        _reflect(client, intervention, forgotten, g["evidence"])
        other = _add(client, intervention, k["alias"], "his cousin")
        _reflect(client, intervention, other, k["evidence"])
        steps = [
            {"do": "change", "person_id": forgotten, "alias": g["alias"], "relationship": ""},
            {"do": "note", "person_id": forgotten, "text": g["note"]},
            {"do": "note", "person_id": other, "text": k["note"]},
            {"do": "note", "text": k["general note"]},
        ]
        ask = {"do": "write", "passphrase": PASSPHRASE, "intervention_id": intervention}
        before = _helper(server, ask | {"steps": steps})
        assert before["people"] == {forgotten: g["alias"], other: k["alias"]}
        old = _stored(server, intervention)
        control = setting.at_rest()
        assert not (missing := [c.name for c in old if not scan_named(control, [c])]), (
            f"the positive control failed: {missing} not found in {list(control)}"
        )

        person_page = client.get(f"/i/{intervention}/people/{forgotten}/")
        assert f"/i/{intervention}/people/{forgotten}/forget/" in person_page.text
        page = client.get(f"/i/{intervention}/people/{forgotten}/forget/")
        _expect(page, f"/i/{intervention}/people/{forgotten}/forget/", g["alias"])
        page = client.post(page.path, {"understood": "on"}, token_from=page)
        _expect(page, f"/i/{intervention}/", k["code name"], k["alias"])
        assert g["alias"] not in page

        # What the team recorded about the others reads back through the pages and the
        # services; nothing of the forgotten person does.
        other_page = f"/i/{intervention}/people/{other}/"
        _expect(client.get(other_page), other_page, k["alias"], k["evidence"])
        after = _helper(server, ask)
        assert after["people"] == {other: k["alias"]}
        assert after["notes"] == [k["note"], k["general note"]]
        assert after["evidence"] and all(k["evidence"] in e for e in after["evidence"])

        running = setting.everything()
        assert _findings(running, [*gone.values(), *old]) == ""
        assert scan_named(running, [_canary_id(intervention)]), "the scan sees no metadata"
        server.stop()
        stopped = setting.everything()
    assert _findings(stopped, [*gone.values(), *old]) == ""


def _canary_id(intervention_id: str) -> Canary:
    return Canary("intervention id", intervention_id, intervention_id)


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_destroyed_intervention_leaves_nothing_at_rest(kind: str, tmp_path: Path) -> None:
    gone = {
        name: _canary(name, shape)
        for name, shape in {
            "code name": "CANARY-destroy-codename-{t}",
            "doing harm alias": "canary-destroy-harm-ālias-{t}",
            "alias": "canary-destroy-ālias-{t}",
            "relationship": "canary-destroy-whanaunga-{t}",
            "evidence": "canary-destroy-evidence-{t} seen it myself",
            "note": "canary-destroy-note-{t} hui at the marae",
        }.items()
    }
    g = {name: canary.text for name, canary in gone.items()}
    with a_server(kind, tmp_path) as setting:
        client, server = setting.client, setting.server
        doomed = _start(client, g["code name"], g["doing harm alias"])
        person = _add(client, doomed, g["alias"], g["relationship"])
        _reflect(client, doomed, person, g["evidence"])
        ask = {"do": "write", "passphrase": PASSPHRASE, "intervention_id": doomed}
        _helper(server, ask | {"steps": [{"do": "note", "person_id": person, "text": g["note"]}]})
        kept = _start(client, "Kept intervention", "S")
        old = [*_stored(server, doomed), _canary_id(doomed)]
        control = setting.at_rest()
        assert not (missing := [c.name for c in old if not scan_named(control, [c])]), missing

        page = client.get(f"/i/{doomed}/")
        assert f"/i/{doomed}/destroy/" in page.text
        page = client.get(f"/i/{doomed}/destroy/")
        page = client.post(page.path, {"code_name": g["code name"]}, token_from=page)
        _expect(page, "/interventions/", "Kept intervention")
        assert g["code name"] not in page
        assert client.get(f"/i/{doomed}/").status == 404

        running = setting.everything()
        assert _findings(running, list(gone.values())) == ""
        assert _findings(setting.data_folder(), old) == ""  # not even its id
        assert scan_named(setting.data_folder(), [_canary_id(kept)]), "the scan sees no ids"
        server.stop()
        stopped = setting.everything()
        stopped_data = setting.data_folder()
    assert _findings(stopped, list(gone.values())) == ""
    assert _findings(stopped_data, old) == ""


def test_the_bytes_canary_finds_stored_bytes_raw_and_as_hex() -> None:
    raw = os.urandom(80)
    canary = _bytes_canary("probe", raw)
    noise = os.urandom(4000)
    assert scan_named({"raw": noise + raw + noise}, [canary])
    assert scan_named({"part": noise + raw[:30] + noise}, [canary])
    assert scan_named({"dump": b"COPY t FROM stdin;\n\\\\x" + raw.hex().encode() + b"\n"}, [canary])
    assert not scan_named({"noise": noise * 50}, [canary])
