"""`allymap backup`, `restore` and `check`, run as a person runs them: in subprocesses, on
data folders of their own (SQLite), made by `allymap demo`."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from allymap.services.demo import demo_content
from tests.server import server_environment

PASSPHRASE = "tui sings at dawn"
WORDS = "kererū in the pūriri"
OTHER = "tūī at the harakeke"


def _run(work: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = server_environment(work / "tmp", {"DATABASE_URL": ""})
    return subprocess.run(
        [sys.executable, "-m", "allymap", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=work,
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        check=False,
    )


def _digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a demo data folder `a`, its passphrase files and a backup of it."""
    work = tmp_path_factory.mktemp("backup-cli")
    (work / "tmp").mkdir(mode=0o700)
    for name, text in {"pp": PASSPHRASE, "bp": WORDS, "op": OTHER}.items():
        (work / name).write_text(text + "\n", encoding="utf-8")
    made = _run(work, "demo", "--data-dir", "a", "--passphrase-file", "pp")
    assert made.returncode == 0, made.stderr
    made = _run(
        work, "backup", "a.bak", "--data-dir", "a", "--passphrase-file", "pp",
        "--backup-passphrase-file", "bp",
    )  # fmt: skip
    assert made.returncode == 0, made.stdout + made.stderr
    assert "Backed up" in made.stdout
    return work


STATE = """
import hashlib, os, django
django.setup()
from allymap.domain import encode_state
from allymap.services import accounts, engine
from allymap.services.check import check_all
keyring = accounts.account_unlock(passphrase={passphrase!r}).keyring
for checked in check_all(keyring=keyring).interventions:
    state = engine.open_log(keyring, checked.intervention_id).state
    print(checked.intervention_id, hashlib.sha256(encode_state(state)).hexdigest())
"""


def _states(work: Path, folder: str) -> str:
    env = server_environment(
        work / "tmp",
        {"DATABASE_URL": "", "ALLYMAP_DATA_DIR": str(work / folder),
         "DJANGO_SETTINGS_MODULE": "allymap.settings"},
    )  # fmt: skip
    code = STATE.format(passphrase=PASSPHRASE)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_backup_restores_into_a_fresh_folder_with_the_same_state(work: Path) -> None:
    restored = _run(work, "restore", "a.bak", "--data-dir", "b", "--backup-passphrase-file", "bp")
    assert restored.returncode == 0, restored.stderr
    checked = _run(work, "check", "--data-dir", "b", "--passphrase-file", "pp")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "No problems found." in checked.stdout
    states = _states(work, "b")
    assert states and states == _states(work, "a")


def test_nothing_typed_is_readable_in_the_backup(work: Path) -> None:
    data = (work / "a.bak").read_bytes()
    texts = [text for text in demo_content().texts() if len(text) >= 8]
    assert texts
    for text in [*texts, PASSPHRASE, WORDS]:
        for encoding in ("utf-8", "utf-16-le"):
            assert text.encode(encoding) not in data, text


def _flip(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 1]) + data[middle + 1 :]


@pytest.mark.parametrize(
    ("make", "passphrase", "why"),
    [
        (_flip, "bp", "was changed after it was made"),
        (lambda data: data[: len(data) - 1000], "bp", "cut short"),
        (lambda data: data, "op", "passphrase does not open this backup"),
        (lambda _d: Path("/etc/hostname").read_bytes() * 100, "bp", "not an allymap backup"),
    ],
)
def test_a_bad_file_is_refused_and_nothing_changes(
    work: Path, make: Callable[[bytes], bytes], passphrase: str, why: str
) -> None:
    (work / "bad.bak").write_bytes(make((work / "a.bak").read_bytes()))
    before = _digest(work / "a")
    refused = _run(
        work, "restore", "bad.bak", "--data-dir", "a", "--yes", "--backup-passphrase-file",
        passphrase,
    )  # fmt: skip
    assert refused.returncode == 1
    assert why in refused.stderr and "Nothing was changed." in refused.stderr, refused.stderr
    assert "Traceback" not in refused.stderr
    assert _digest(work / "a") == before


def test_restore_asks_before_replacing(work: Path) -> None:
    shutil.copytree(work / "a", work / "c")
    before = _digest(work / "c")
    args = ("restore", "a.bak", "--data-dir", "c", "--backup-passphrase-file", "bp")
    said_no = _run(work, *args, stdin="n\n")
    assert said_no.returncode == 1 and "Replace all of it" in said_no.stdout
    assert _digest(work / "c") == before
    said_yes = _run(work, *args, stdin="y\n")
    assert said_yes.returncode == 0 and "Restored" in said_yes.stdout, said_yes.stderr
    without_asking = _run(work, *args, "--yes")
    assert without_asking.returncode == 0 and "Replace" not in without_asking.stdout


def test_check_reports_a_changed_event(work: Path) -> None:
    shutil.copytree(work / "a", work / "d")
    db = sqlite3.connect(work / "d" / "allymap.sqlite3")
    rowid, ciphertext = db.execute(
        "SELECT rowid, ciphertext FROM store_event WHERE seq = 2 ORDER BY rowid LIMIT 1"
    ).fetchone()
    changed = ciphertext[:-1] + bytes([ciphertext[-1] ^ 1])
    db.execute("UPDATE store_event SET ciphertext = ? WHERE rowid = ?", (changed, rowid))
    db.commit()
    db.close()
    checked = _run(work, "check", "--data-dir", "d", "--passphrase-file", "pp")
    assert checked.returncode == 1
    assert ", event 2:" in checked.stdout and "1 problem(s) found." in checked.stderr


def test_backup_keeps_an_existing_file(work: Path) -> None:
    again = _run(
        work, "backup", "a.bak", "--data-dir", "a", "--passphrase-file", "pp",
        "--backup-passphrase-file", "bp",
    )  # fmt: skip
    assert again.returncode == 1 and "exists already" in again.stderr


@pytest.mark.parametrize("command", ["backup", "restore", "check"])
def test_every_command_has_help(work: Path, command: str) -> None:
    shown = _run(work, command, "--help")
    assert shown.returncode == 0 and "--data-dir" in shown.stdout
