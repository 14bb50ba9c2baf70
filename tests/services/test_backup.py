"""The backup service: a consistent, encrypted copy of the data folder that restores to the
same state, and every way a backup file can be wrong refused before anything is touched."""

from __future__ import annotations

import hashlib
import io
import sqlite3
import tarfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.db import connection

from allymap.domain import Recorded, decode_event, encode_state, fold
from allymap.services import accounts, interventions
from allymap.services.access import intervention_key_for
from allymap.services.backup import (
    DATABASE_FILE,
    BackupRefused,
    backup_make,
    restore_apply,
    restore_read,
)
from allymap.services.errors import WeakPassphrase
from allymap.services.keyring import Keyring
from allymap.vault import SealedEvent, decrypt_log, profile_from_env
from allymap.vault.archive import seal_archive
from tests.people import fresh
from tests.services.conftest import SERVICE_NAMES, Started

WORDS = "kererū in the pūriri"
OTHER_WORDS = "tūī at the harakeke"

# Backups copy a SQLite data folder; on PostgreSQL they are refused
# (tests/services/test_backup_on_postgresql.py).
pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="backup and restore are SQLite's; PostgreSQL refuses"
)


@pytest.fixture
def archive(intervention: Started) -> bytes:
    return backup_make(backup_passphrase=WORDS)


def _state_in(database: Path, key: bytes, intervention_id: str) -> bytes:
    """The encoded state of the intervention, replayed from a database file's own rows."""
    db = sqlite3.connect(database)
    rows = db.execute(
        "SELECT seq, author_id, nonce, ciphertext, chain, created_at FROM store_event "
        "WHERE intervention_id = ? ORDER BY seq",
        (intervention_id,),
    ).fetchall()
    db.close()
    sealed = [
        SealedEvent(
            seq, author, nonce, ciphertext, chain, datetime.fromisoformat(at).replace(tzinfo=UTC)
        )
        for seq, author, nonce, ciphertext, chain, at in rows
    ]
    records = [
        Recorded(event.seq, event.author, event.at, decode_event(plaintext))
        for event, plaintext in decrypt_log(key, intervention_id=intervention_id, events=sealed)
    ]
    return encode_state(fold(None, records, intervention_id=intervention_id))


def _folder_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_it_restores_to_the_same_state(
    owner: Keyring, intervention: Started, archive: bytes, tmp_path: Path
) -> None:
    steps: list[str] = []
    content = restore_read(
        archive, backup_passphrase=WORDS, progress=lambda stage, _d, _t: steps.append(stage)
    )
    assert "open" in steps
    folder = tmp_path / "restored"
    restore_apply(content, folder)
    assert (folder / DATABASE_FILE).exists() and (folder / "secret_key").exists()
    assert oct(folder.stat().st_mode & 0o777) == oct(0o700)
    key = intervention_key_for(fresh(owner), intervention.intervention_id)
    now = interventions.intervention_open(
        keyring=fresh(owner), intervention_id=intervention.intervention_id
    )
    assert _state_in(folder / DATABASE_FILE, key, intervention.intervention_id) == encode_state(now)


def test_it_reports_its_progress(intervention: Started) -> None:
    stages: dict[str, tuple[int, int]] = {}
    backup_make(
        backup_passphrase=WORDS,
        progress=lambda stage, done, total: stages.__setitem__(stage, (done, total)),
    )
    assert set(stages) == {"database", "seal"}
    assert all(done == total > 0 for done, total in stages.values())


def test_nothing_typed_is_readable_in_the_file(intervention: Started, archive: bytes) -> None:
    secret_key = Path(__import__("django.conf").conf.settings.DATA_DIR, "secret_key").read_text()
    # Names of six letters or more: shorter ones turn up in ciphertext by chance.
    names = [text for text in SERVICE_NAMES.__dict__.values() if len(text) >= 6]
    assert len(names) >= 2
    texts = [*names, WORDS, secret_key.strip()]
    for text in texts:
        for encoding in ("utf-8", "utf-16-le"):
            assert text.encode(encoding) not in archive, text
    # ...while the content it holds does have the secret key: the scan looked at a real copy.
    content = restore_read(archive, backup_passphrase=WORDS)
    assert content.files["secret_key"].decode().strip() == secret_key.strip()


@pytest.mark.parametrize(
    ("damage", "why"),
    [
        (lambda a: a[:20] + bytes([a[20] ^ 1]) + a[21:], "does not open"),  # the salt
        (
            lambda a: a[: len(a) // 2] + bytes([a[len(a) // 2] ^ 1]) + a[len(a) // 2 + 1 :],
            "changed",
        ),
        (lambda a: a[:-1] + bytes([a[-1] ^ 1]), "changed"),
        (lambda a: a[: len(a) // 2], "cut short"),
        (lambda a: a[:-1], "cut short"),
        (lambda a: a + b"\0", "more than"),
        (lambda a: b"PK\x03\x04" + a[4:], "not an allymap backup"),
        (lambda _a: b"SQLite format 3\x00" + bytes(500), "not an allymap backup"),
        (lambda _a: b"", "not an allymap backup"),
    ],
)
def test_it_refuses_a_damaged_or_foreign_file(archive: bytes, damage, why: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(BackupRefused, match=why):
        restore_read(damage(archive), backup_passphrase=WORDS)


def test_it_refuses_another_passphrase(archive: bytes) -> None:
    with pytest.raises(BackupRefused, match="passphrase does not open"):
        restore_read(archive, backup_passphrase=OTHER_WORDS)


def test_it_refuses_a_weak_backup_passphrase(intervention: Started) -> None:
    with pytest.raises(WeakPassphrase):
        backup_make(backup_passphrase="short")


def _sealed_tar(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tar:
        for name, data in entries.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return seal_archive(out.getvalue(), WORDS, profile_from_env())


def test_it_refuses_content_allymap_never_writes() -> None:
    with pytest.raises(BackupRefused, match="never backs up"):
        restore_read(_sealed_tar({"../escape": b"x"}), backup_passphrase=WORDS)
    with pytest.raises(BackupRefused, match="not laid out"):
        restore_read(_sealed_tar({DATABASE_FILE: b"x"}), backup_passphrase=WORDS)
    manifest = b'{"format": 1, "files": {"allymap.sqlite3": "00"}}'
    with pytest.raises(BackupRefused, match="does not match its recorded hash"):
        restore_read(
            _sealed_tar({"manifest.json": manifest, DATABASE_FILE: b"x"}), backup_passphrase=WORDS
        )


def test_a_database_that_is_not_allymaps_leaves_the_folder_untouched(
    archive: bytes, tmp_path: Path
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / DATABASE_FILE).write_bytes(b"the work already here")
    before = _folder_digest(folder)
    content = restore_read(archive, backup_passphrase=WORDS)
    content.files[DATABASE_FILE] = b"not a database at all, but hashed as one"
    with pytest.raises(BackupRefused):
        restore_apply(content, folder)
    assert _folder_digest(folder) == before
    assert [p.name for p in tmp_path.iterdir()] == ["data"], "no staging folder left behind"


def test_restoring_replaces_a_folder_at_once(
    owner_unlocked: accounts.Unlocked, archive: bytes, tmp_path: Path
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / DATABASE_FILE).write_bytes(b"old")
    (folder / "allymap.sqlite3-wal").write_bytes(b"old wal")
    restore_apply(restore_read(archive, backup_passphrase=WORDS), folder)
    assert (folder / DATABASE_FILE).read_bytes().startswith(b"SQLite format 3\x00")
    assert not (folder / "allymap.sqlite3-wal").exists(), "the old WAL went with the old folder"
    assert [p.name for p in tmp_path.iterdir()] == ["data"], "the old folder was deleted"
