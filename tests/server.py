"""A real allymap server in a subprocess, for tests that talk to it over HTTP or a browser.

    with running_server(tmp_path / "data") as server:
        urlopen(server.url + "healthz")

The server runs `python -m allymap serve --port 0 --no-browser --data-dir DATA` with the
cheap Argon2id profile, its own temporary folder (TMPDIR, so a test can scan what it left
there) and its stdout and stderr in a log file. It is always stopped on the way out:
terminated, then killed if it has not gone after five seconds.

`fresh_postgres_database()` makes a throwaway PostgreSQL database next to the one in
DATABASE_URL (the first run of a server creates its one account, so each server needs an
empty database) and drops it afterwards. It is the one scratch-database helper of the
repository: the benchmarks (bench/harness.py) use it too, by putting the repository root
on sys.path. It lives here, not in bench/, because the tests are what every change must
keep working, and the tests import nothing from bench/. This module imports only the
standard library and pytest, and the helper needs only psycopg: using it starts no Django.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

START_TIMEOUT = 30.0
STOP_GRACE = 5.0
ADDRESS_LINE = re.compile(r"allymap is serving at (http://\S+/)")

# The test process's own settings that must not leak into the server's environment: the
# server gets its data folder on the command line and a database only when asked for one.
_NOT_INHERITED = ("DATABASE_URL", "ALLYMAP_DATA_DIR", "DJANGO_SETTINGS_MODULE")


@dataclass
class RunningServer:
    """A started server: where it answers, where it writes, and how to stop it."""

    url: str
    log_path: Path
    data_dir: Path
    tmp_dir: Path
    work_dir: Path
    process: subprocess.Popen[bytes] = field(repr=False)
    database_url: str | None = None

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> int:
        """Stop the server (idempotent); return its exit status."""
        return _stop(self.process)


def _stop(process: subprocess.Popen[bytes]) -> int:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=STOP_GRACE)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


def server_environment(tmp_dir: Path, env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment a test server runs with: ours, minus our data settings, plus `env`."""
    result = {k: v for k, v in os.environ.items() if k not in _NOT_INHERITED}
    result |= {
        "ALLYMAP_KDF_PROFILE": "test",
        "TMPDIR": str(tmp_dir),
        "TEMP": str(tmp_dir),
        "TMP": str(tmp_dir),
        "PYTHONUNBUFFERED": "1",
    }
    result |= dict(env or {})
    return result


@contextmanager
def running_server(
    data_dir: Path,
    env: Mapping[str, str] | None = None,
    *,
    tmp_dir: Path | None = None,
    log_path: Path | None = None,
) -> Iterator[RunningServer]:
    """Start `allymap serve` on a free port; yield it once it says where it is serving.

    `env` adds to (or overrides) the server's environment, e.g. {"DATABASE_URL": ...}.
    The server runs in the folder that holds `data_dir` (its `work_dir`), so anything it
    writes to a relative path lands there too, and `-m allymap` is not taken from the
    caller's working directory. `tmp_dir` (default: `tmp` in `work_dir`) becomes its
    TMPDIR and `log_path` (default: `server.log` in `work_dir`) gets its stdout and stderr.
    """
    data_dir = Path(data_dir).resolve()
    work_dir = data_dir.parent
    work_dir.mkdir(parents=True, exist_ok=True)
    tmp_dir = Path(tmp_dir) if tmp_dir is not None else work_dir / "tmp"
    log_path = Path(log_path) if log_path is not None else work_dir / "server.log"
    tmp_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    command = [
        sys.executable,
        "-m",
        "allymap",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        "--no-browser",
        "--data-dir",
        str(data_dir),
    ]
    with open(log_path, "wb") as log_file:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            env=server_environment(tmp_dir, env),
            cwd=work_dir,
            start_new_session=True,  # a Ctrl+C in the terminal reaches pytest, not the server
        )
    try:
        url = _wait_for_address(process, log_path)
        yield RunningServer(
            url=url,
            log_path=log_path,
            data_dir=data_dir,
            tmp_dir=tmp_dir,
            work_dir=work_dir,
            process=process,
            database_url=(env or {}).get("DATABASE_URL"),
        )
    finally:
        _stop(process)


def _wait_for_address(process: subprocess.Popen[bytes], log_path: Path) -> str:
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        text = log_path.read_text(encoding="utf-8", errors="replace")
        if match := ADDRESS_LINE.search(text):
            return match.group(1)
        if process.poll() is not None:
            pytest.fail(
                f"the allymap server exited with status {process.returncode} before serving.\n"
                f"--- {log_path} ---\n{text}",
                pytrace=False,
            )
        if time.monotonic() > deadline:
            pytest.fail(
                f"the allymap server did not say where it serves within {START_TIMEOUT:.0f} s.\n"
                f"--- {log_path} ---\n{text}",
                pytrace=False,
            )
        time.sleep(0.05)


# --- PostgreSQL -------------------------------------------------------------------------


def database_url_for(base_url: str, name: str) -> str:
    """`base_url` with its database name replaced by `name`."""
    parts = urlsplit(base_url)
    return urlunsplit(parts._replace(path="/" + name))


@contextmanager
def fresh_postgres_database(base_url: str, prefix: str = "allymap_test") -> Iterator[str]:
    """Create an empty database on the server of `base_url`; yield its URL; drop it after.

    The database is named ``<prefix>_<12 random hex digits>``, so runs side by side never
    meet; the URL yielded is `base_url` with only the database name changed (same scheme,
    user, host and options). It is dropped on the way out whatever happened, even with
    sessions still connected to it (``WITH (FORCE)``, PostgreSQL 13 or later), though a
    caller that holds connections should close them first. Used by the tests (servers,
    canary) and by the benchmarks (bench/harness.py). Raises ValueError for a URL that is
    not PostgreSQL's, before connecting to anything.
    """
    import psycopg
    from psycopg import sql

    admin = _libpq_url(base_url)
    name = f"{prefix}_{secrets.token_hex(6)}"
    # Quoted as an identifier: the prefix is the caller's, whatever it holds.
    identifier = sql.Identifier(name)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(identifier))
    try:
        yield database_url_for(base_url, name)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(identifier)
            )


def _libpq_url(url: str) -> str:
    """libpq knows postgresql:// and postgres://; dj-database-url also accepts aliases."""
    scheme, rest = url.split("://", 1)
    if scheme in ("postgres", "postgresql", "pgsql", "postgis"):
        return "postgresql://" + rest
    raise ValueError(f"not a PostgreSQL URL: {scheme}://…")


@contextmanager
def server_database() -> Iterator[dict[str, str]]:
    """The database environment for a test server, following the suite's own choice.

    With DATABASE_URL set (the PostgreSQL run), a fresh PostgreSQL database; otherwise
    nothing, so the server uses SQLite in its data folder.
    """
    base_url = os.environ.get("DATABASE_URL", "")
    if not base_url:
        yield {}
        return
    with fresh_postgres_database(base_url) as url:
        yield {"DATABASE_URL": url}


def pg_dump(database_url: str) -> bytes:
    """A plain-SQL dump of the database at `database_url`; fails the test without pg_dump."""
    command = shutil.which("pg_dump")
    if command is None:
        pytest.fail(
            "pg_dump is not on PATH: install the PostgreSQL client "
            "(apt-get install -y postgresql-client) to scan a PostgreSQL database",
            pytrace=False,
        )
    url = "postgresql://" + database_url.split("://", 1)[1]
    done = subprocess.run(
        [command, "--no-owner", "--no-privileges", f"--dbname={url}"],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return done.stdout
