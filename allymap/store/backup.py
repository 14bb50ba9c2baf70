"""A consistent copy of the SQLite database, and a check that a copy is allymap's and whole.

`database_copy` uses SQLite's online backup API (`sqlite3.Connection.backup`) from the
connection Django already has, never a copy of the file: a file copied while allymap writes
(or with part of it still in the WAL) can be torn; the backup API gives one consistent
moment, restarting if a writer changes a page meanwhile. The copy is made in memory and
returned as the bytes of a database file, so no readable copy is left on disk.

PostgreSQL is not supported yet: `BackupNotSupported` says so.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from django.db import connection

from allymap.store.models import Event, Intervention

#: Pages copied per step of the backup API (and per report to `progress`).
PAGES_PER_STEP = 64


class BackupNotSupported(Exception):
    """The database is not SQLite: allymap cannot back it up itself (yet)."""


def database_copy(progress: Callable[[int, int], None] | None = None) -> bytes:
    """The whole SQLite database as the bytes of a database file, taken consistently.

    `progress(copied, total)` is told the pages copied so far after every step. Raises
    BackupNotSupported on any other database.
    """
    if connection.vendor != "sqlite":
        raise BackupNotSupported(connection.vendor)
    connection.ensure_connection()
    source = connection.connection
    if connection.is_in_memory_db():  # type: ignore[attr-defined]
        # The test database: shared-cache memory, where the backup API waits forever on
        # the test's own open transaction. Serialising reads it at one moment as well.
        if progress is not None:
            progress(1, 1)
        return bytes(source.serialize())
    target = sqlite3.connect(":memory:")
    try:

        def step(_status: int, remaining: int, total: int) -> None:
            if progress is not None:
                progress(total - remaining, total)

        source.backup(target, pages=PAGES_PER_STEP, progress=step)
        return bytes(target.serialize())
    finally:
        target.close()


#: The tables a database must have to be allymap's.
REQUIRED_TABLES = tuple(model._meta.db_table for model in (Intervention, Event))


def database_check(path: Path) -> str | None:
    """Why the SQLite file at `path` is not a whole allymap database, or None if it is.

    Runs SQLite's `integrity_check` and looks for allymap's own tables. Opens the file
    read-only; never changes it.
    """
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as problem:
        return f"the database in it cannot be opened ({problem})"
    try:
        result = db.execute("PRAGMA integrity_check").fetchall()
        if result != [("ok",)]:
            return f"the database in it is damaged ({result[0][0]})"
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.Error as problem:
        return f"the database in it cannot be read ({problem})"
    finally:
        db.close()
    missing = [table for table in REQUIRED_TABLES if table not in tables]
    if missing:
        return "the database in it is not allymap's (it has none of its tables)"
    return None
