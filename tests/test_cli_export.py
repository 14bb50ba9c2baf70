"""`allymap export` and `allymap import`, run as a person runs them: in subprocesses, on a
demo data folder of their own (SQLite)."""

from __future__ import annotations

import json
import subprocess
import sys
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


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo data folder `a` and passphrase files."""
    work = tmp_path_factory.mktemp("export-cli")
    (work / "tmp").mkdir(mode=0o700)
    for name, text in {"pp": PASSPHRASE, "ep": WORDS, "op": OTHER}.items():
        (work / name).write_text(text + "\n", encoding="utf-8")
    made = _run(work, "demo", "--data-dir", "a", "--passphrase-file", "pp")
    assert made.returncode == 0, made.stderr
    return work


def _ids(work: Path) -> list[str]:
    listed = _run(work, "export", "--list", "--data-dir", "a", "--passphrase-file", "pp")
    assert listed.returncode == 0, listed.stderr
    return [line.split()[0] for line in listed.stdout.splitlines() if line.strip()]


def test_it_lists_the_ids_to_export(work: Path) -> None:
    ids = _ids(work)
    assert ids and all(len(i) >= 16 for i in ids)


def test_export_import_export_round_trips_encrypted_and_plain(work: Path) -> None:
    first = _ids(work)[0]
    common = ("--data-dir", "a", "--passphrase-file", "pp")
    done = _run(work, "export", "--intervention", first, "one.enc", *common,
                "--export-passphrase-file", "ep")  # fmt: skip
    assert done.returncode == 0, done.stderr
    data = (work / "one.enc").read_bytes()
    for text in [t for t in demo_content().texts() if len(t) >= 8]:
        assert text.encode() not in data
    done = _run(work, "export", "--intervention", first, "one.json", "--plain", "json", *common)
    assert done.returncode == 0, done.stderr
    assert "NOT encrypted" in done.stdout
    imported = _run(work, "import", "one.enc", *common, "--export-passphrase-file", "ep")
    assert imported.returncode == 0, imported.stderr
    new_id = imported.stdout.strip().rstrip(".").split()[-1]
    assert new_id in _ids(work) and new_id != first
    again = _run(work, "export", "--intervention", new_id, "two.json", "--plain", "json", *common)
    assert again.returncode == 0, again.stderr
    assert (work / "two.json").read_bytes() == (work / "one.json").read_bytes()
    # Plain JSON imports too, without an export passphrase.
    plain = _run(work, "import", "one.json", *common)
    assert plain.returncode == 0, plain.stderr
    assert json.loads((work / "one.json").read_text())["version"] == 1


def test_csv_is_written_as_a_zip_of_two_files(work: Path) -> None:
    import zipfile

    first = _ids(work)[0]
    done = _run(work, "export", "--intervention", first, "one.zip", "--plain", "csv",
                "--data-dir", "a", "--passphrase-file", "pp")  # fmt: skip
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(work / "one.zip") as z:
        assert sorted(z.namelist()) == ["people.csv", "positions.csv"]
        people = z.read("people.csv").decode("utf-8-sig")
    assert "first-member" not in people  # who will ask: a name, never an id
    before = _ids(work)
    refused = _run(work, "import", str(work / "one.zip"), "--data-dir", "a",
                   "--passphrase-file", "pp")  # fmt: skip
    assert refused.returncode == 1
    assert "a CSV export cannot be imported" in refused.stderr
    assert "encrypted or plain JSON" in refused.stderr
    assert _ids(work) == before


@pytest.mark.parametrize(
    ("what", "change", "passphrase", "says"),
    [
        ("tampered", lambda d: d[:-40] + bytes([d[-40] ^ 1]) + d[-39:], "ep", "was changed"),
        ("truncated", lambda d: d[: len(d) // 2], "ep", "cut short"),
        ("wrong passphrase", lambda d: d, "op", "does not open it"),
    ],
)
def test_a_bad_file_is_refused_and_nothing_changes(
    work: Path, what: str, change: object, passphrase: str, says: str
) -> None:
    first = _ids(work)[0]
    path = work / f"bad-{what.replace(' ', '-')}.enc"
    done = _run(work, "export", "--intervention", first, str(path), "--data-dir", "a",
                "--passphrase-file", "pp", "--export-passphrase-file", "ep", "--force")  # fmt: skip
    assert done.returncode == 0, done.stderr
    path.write_bytes(change(path.read_bytes()))  # type: ignore[operator]
    before = _ids(work)
    refused = _run(work, "import", str(path), "--data-dir", "a", "--passphrase-file", "pp",
                   "--export-passphrase-file", passphrase)  # fmt: skip
    assert refused.returncode == 1
    assert says in refused.stderr and "Nothing was changed." in refused.stderr
    assert "Traceback" not in refused.stderr
    assert _ids(work) == before


def test_an_unknown_id_is_refused_plainly(work: Path) -> None:
    done = _run(work, "export", "--intervention", "nope", "x.json", "--plain", "json",
                "--data-dir", "a", "--passphrase-file", "pp")  # fmt: skip
    assert done.returncode == 1
    assert "--list" in done.stderr and not (work / "x.json").exists()


def test_every_command_has_help(work: Path) -> None:
    for command in ("export", "import"):
        shown = _run(work, command, "--help")
        assert shown.returncode == 0 and "--data-dir" in shown.stdout


def test_it_prints_the_documented_schema(work: Path) -> None:
    shown = _run(work, "export", "--schema", "--data-dir", "a")
    assert shown.returncode == 0, shown.stderr
    documented = Path(__file__).parents[1] / "docs" / "export-format.schema.json"
    assert json.loads(shown.stdout) == json.loads(documented.read_text())
