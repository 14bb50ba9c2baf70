"""A real `allymap serve` for the benchmarks that talk to it over HTTP (load, startup).

    with served(data_dir, kdf_profile="test") as server:
        client = HttpClient(server.url)
        client.unlock(PASSPHRASE)

The server is the one a person runs: ``python -m allymap serve`` (waitress, personal mode,
SQLite in `data_dir`) on 127.0.0.1 and a free port (``--port 0``), without a browser. Its
output goes to a log file in `work_dir`, read for the address it serves at and, after a
run, for tracebacks. It is always stopped on the way out: terminated, then killed if it
has not gone after five seconds. Only the standard library and tests/canary/client.py (a
form-filling HTTP client, standard library only) are used: importing this starts nothing.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import harness

START_TIMEOUT = 60.0
STOP_GRACE = 5.0
ADDRESS_LINE = re.compile(r"allymap is serving at (http://\S+/)")

#: The bench process's own settings that must not reach the server: it gets its data
#: folder on the command line, SQLite in it, and its key cost from `kdf_profile`.
_NOT_INHERITED = (
    "DATABASE_URL",
    "ALLYMAP_DATA_DIR",
    "DJANGO_SETTINGS_MODULE",
    "ALLYMAP_KDF_PROFILE",
    "ALLYMAP_DEBUG",
)


@dataclass
class Server:
    """A started server: where it answers, its log, and when it was started."""

    url: str
    log_path: Path
    process: subprocess.Popen[bytes] = field(repr=False)
    #: `time.perf_counter()` just before the process was started, and when it said
    #: where it serves.
    started_at: float = 0.0
    address_at: float = 0.0

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def tracebacks(self) -> int:
        """How many tracebacks the server has logged (a failed request logs one)."""
        return self.log().count("Traceback (most recent call last)")


def server_environment(kdf_profile: str | None) -> dict[str, str]:
    """Ours, minus our data settings, with ALLYMAP_KDF_PROFILE=`kdf_profile` (None: the
    default, the real cost)."""
    environment = {k: v for k, v in os.environ.items() if k not in _NOT_INHERITED}
    environment["PYTHONUNBUFFERED"] = "1"
    # The checkout's allymap, even if another one is installed (as harness.start_django).
    environment["PYTHONPATH"] = os.pathsep.join(
        [str(harness.REPO_ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    )
    if kdf_profile is not None:
        environment["ALLYMAP_KDF_PROFILE"] = kdf_profile
    return environment


@contextmanager
def served(
    data_dir: Path, work_dir: Path, *, kdf_profile: str | None, threads: int | None = None
) -> Iterator[Server]:
    """Start `allymap serve` on `data_dir`; yield it once it says where it serves.

    `work_dir` is its working folder and holds its log (``server.log``, appended to).
    Raises RuntimeError, with the log, when it exits or says nothing within START_TIMEOUT.
    """
    log_path = work_dir / "server.log"
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
    if threads is not None:
        command += ["--threads", str(threads)]
    offset = log_path.stat().st_size if log_path.exists() else 0
    with log_path.open("ab") as log_file:
        started = time.perf_counter()
        # Our own interpreter and fixed arguments: nothing from outside is run.
        process = subprocess.Popen(  # noqa: S603
            command,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            env=server_environment(kdf_profile),
            cwd=work_dir,
            start_new_session=True,  # a Ctrl+C reaches the benchmark, which stops it
        )
    try:
        url = _wait_for_address(process, log_path, offset)
        yield Server(url, log_path, process, started_at=started, address_at=time.perf_counter())
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes]) -> int:
    """Stop the server (idempotent); return its exit status."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=STOP_GRACE)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


def _wait_for_address(process: subprocess.Popen[bytes], log_path: Path, offset: int) -> str:
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        with log_path.open("rb") as log_file:
            log_file.seek(offset)
            text = log_file.read().decode("utf-8", errors="replace")
        if match := ADDRESS_LINE.search(text):
            return match.group(1)
        if process.poll() is not None:
            raise RuntimeError(f"allymap serve exited with {process.returncode}:\n{text}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"allymap serve said nothing for {START_TIMEOUT:.0f} s:\n{text}")
        time.sleep(0.005)


def form_client(base_url: str) -> Any:
    """The tests' form-filling HTTP client (cookies, CSRF tokens, redirects)."""
    if str(harness.REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(harness.REPO_ROOT))
    from tests.canary.client import FormClient

    return FormClient(base_url)


def session_cookie_header(client: Any) -> str:
    """The Cookie header a browser holding `client`'s cookies sends (both session halves
    and the CSRF cookie)."""
    jar = client.cookies
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def unlock(client: Any, passphrase: str) -> None:
    """Unlock through the unlock form, as a person does; raises unless it unlocked."""
    page = client.post("/unlock/", {"passphrase": passphrase})
    names = {cookie.name for cookie in client.cookies}
    if page.status != 200 or "allymap_key" not in names:
        raise RuntimeError(f"unlocking failed: {page.status} at {page.url}")
