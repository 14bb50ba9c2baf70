"""Backing up the whole data folder into one encrypted file, and restoring it.

A backup holds what personal mode keeps in its data folder (`FILES`): the database,
copied consistently with SQLite's backup API (`store.backup.database_copy`), the secret
key, the log marks (`services.marks`, so a restored folder is not taken for a rolled-back
one) and the preferences. They go into a tar with a manifest (format, allymap's version,
each file's SHA-256), which is sealed under a passphrase chosen for the backup
(`vault.archive`: Argon2id, then XChaCha20-Poly1305 secretstream). The database's content
is already encrypted under the account's keys; the backup's own passphrase adds a second
lock and integrity for the whole file.

Restoring (`restore_read`, then `restore_apply`) checks everything before it touches the
data folder: the archive opens and verifies to its last byte, the tar holds only the
files allymap writes, each matches its manifest hash, and the database passes SQLite's
integrity check and has allymap's tables. Only then is the folder replaced: the files are
written to a new folder beside it, checked again there, and swapped in by renaming.

PostgreSQL (hosted mode) is not supported yet: its database keeps its own backups.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from django.conf import settings

from allymap.services import marks, preferences
from allymap.services.accounts import check_passphrase
from allymap.store.backup import BackupNotSupported, database_check, database_copy
from allymap.vault import profile_from_env
from allymap.vault.archive import open_archive, seal_archive

__all__ = [
    "DATABASE_FILE",
    "FILES",
    "BackupNotSupported",
    "BackupRefused",
    "Progress",
    "RestoreContent",
    "backup_make",
    "restore_apply",
    "restore_read",
]

DATABASE_FILE = "allymap.sqlite3"
FILES = (DATABASE_FILE, "secret_key", marks.FILE_NAME, preferences.FILE_NAME)
"""Every file allymap keeps in a personal data folder; the database alone must be there."""
MANIFEST = "manifest.json"
FORMAT = 1

Progress = Callable[[str, int, int], None]
"""Told (stage, done, total) as work goes: stages "database", "seal", "open"."""


class BackupRefused(Exception):
    """The backup file cannot be restored; the message says why. Nothing was changed."""


@dataclass(frozen=True)
class RestoreContent:
    """A verified backup's files (name → bytes) and what its manifest says of it."""

    files: dict[str, bytes]
    made_at: str
    made_by: str


def _version() -> str:
    try:
        return version("allymap")
    except PackageNotFoundError:  # pragma: no cover - a source tree without metadata
        return "unknown"


def backup_make(*, backup_passphrase: str, progress: Progress | None = None) -> bytes:
    """The encrypted backup of the data folder, as the bytes of the file to write.

    Raises WeakPassphrase for a backup passphrase allymap would not accept for an
    account, BackupNotSupported on PostgreSQL, KdfUnavailable.
    """
    check_passphrase(backup_passphrase)
    report = progress or (lambda _stage, _done, _total: None)
    files = {DATABASE_FILE: database_copy(lambda done, total: report("database", done, total))}
    folder = Path(settings.DATA_DIR)
    for name in FILES[1:]:
        try:
            files[name] = (folder / name).read_bytes()
        except FileNotFoundError:
            continue
    content = _tar(files)
    sealed = 0

    def sealing(size: int) -> None:
        nonlocal sealed
        sealed += size
        report("seal", sealed, len(content))

    return seal_archive(content, backup_passphrase, profile_from_env(), progress=sealing)


def _tar(files: dict[str, bytes]) -> bytes:
    """A tar of the manifest and `files`, with no owner, mode or time that says anything."""
    manifest = {
        "format": FORMAT,
        "made_by": f"allymap {_version()}",
        "made_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in files.items()},
    }
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        entries = {MANIFEST: json.dumps(manifest, sort_keys=True).encode(), **files}
        for name, data in entries.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o600
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def restore_read(
    archive: bytes, *, backup_passphrase: str, progress: Progress | None = None
) -> RestoreContent:
    """The files of a backup, verified: the archive, the tar, the manifest and every hash.

    Raises BackupRefused saying why (not allymap's, cut short, wrong passphrase, changed,
    an unexpected content), or KdfUnavailable. Touches nothing on disk.
    """
    from allymap.vault import VaultError
    from allymap.vault.kdf import KdfUnavailable

    report = progress or (lambda _stage, _done, _total: None)
    opened = 0

    def opening(size: int) -> None:
        nonlocal opened
        opened += size
        report("open", opened, max(len(archive), 1))

    try:
        content = open_archive(archive, backup_passphrase, progress=opening)
    except KdfUnavailable:
        raise
    except VaultError as refused:
        raise BackupRefused(refused.message) from None
    return _untar(content)


def _untar(content: bytes) -> RestoreContent:
    entries: dict[str, bytes] = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(content), mode="r:") as tar:
            for info in tar:
                if not info.isfile() or info.name not in (MANIFEST, *FILES):
                    raise BackupRefused(f"it holds {info.name!r}, which allymap never backs up")
                if info.name in entries:
                    raise BackupRefused(f"it holds {info.name!r} twice")
                member = tar.extractfile(info)
                assert member is not None  # a regular file, checked above
                entries[info.name] = member.read()
        manifest = json.loads(entries.pop(MANIFEST))
    except (tarfile.TarError, KeyError, ValueError) as problem:
        raise BackupRefused(
            f"its content is not laid out as allymap writes it ({problem})"
        ) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupRefused(
            "it was made by another version of allymap, in a format this one cannot read"
        )
    hashes = manifest.get("files")
    if not isinstance(hashes, dict) or set(hashes) != set(entries) or DATABASE_FILE not in entries:
        raise BackupRefused("its list of files does not match the files in it")
    for name, data in entries.items():
        if hashlib.sha256(data).hexdigest() != hashes[name]:
            raise BackupRefused(f"{name} in it does not match its recorded hash")
    return RestoreContent(
        files=entries, made_at=str(manifest.get("made_at")), made_by=str(manifest.get("made_by"))
    )


def folder_has_data(folder: Path) -> bool:
    """Whether `folder` holds an allymap database (restoring would replace it)."""
    return (folder / DATABASE_FILE).exists()


def restore_apply(content: RestoreContent, folder: Path) -> None:
    """Replace `folder` with the backup's files, all at once.

    The files are written to a new folder beside `folder` and checked there (the
    database with SQLite's integrity check); only then is `folder` renamed aside, the new
    one renamed into its place, and the old one deleted. If the files cannot be written
    or the check fails, the new folder is deleted and `folder` is untouched (BackupRefused
    or OSError). allymap must not be running on `folder` meanwhile.
    """
    folder = folder.absolute()
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".allymap-restore-", dir=folder.parent))
    try:
        for name, data in content.files.items():
            descriptor = os.open(staging / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
        if problem := database_check(staging / DATABASE_FILE):
            raise BackupRefused(problem)
        _swap(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap(staging: Path, folder: Path) -> None:
    """Rename `staging` into the place of `folder`, putting back the old one on failure."""
    if not folder.exists():
        os.replace(staging, folder)
        return
    aside = Path(tempfile.mkdtemp(prefix=".allymap-replaced-", dir=folder.parent))
    aside.rmdir()
    os.replace(folder, aside)
    try:
        os.replace(staging, folder)
    except OSError:
        os.replace(aside, folder)
        raise
    shutil.rmtree(aside, ignore_errors=True)
