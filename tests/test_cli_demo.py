"""`allymap demo`: a made-up intervention to explore, through the same services as real work.

The command itself runs as `python -m allymap demo` in a subprocess, on a data folder of
its own and, in the PostgreSQL run, a fresh database (tests/server.py): a first run sets
allymap up and shows the recovery key once, a second adds a second demo, a wrong
passphrase exits 1 in one line. A throttled unlock is planted in the test database and
run through click's CliRunner. The service and its content are checked in the test
database too. tests/test_demo_crawl.py serves the demo and walks every page of it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from allymap import cli as cli_module
from allymap.chart import Position, Side
from allymap.cli import cli
from allymap.services import accounts, throttle
from allymap.services.demo import (
    DemoDataError,
    demo_code_name,
    demo_content,
    demo_intervention_add,
)
from allymap.services.interventions import (
    intervention_open,
    intervention_overview,
    interventions_list,
)
from allymap.services.people import person_reading
from allymap.store.models import Intervention, UnlockThrottle
from tests.server import server_database, server_environment

PASSPHRASE = "tui sings at dawn"
RECOVERY_KEY = re.compile(r"\b[A-Z2-7]{4}(?:-[A-Z2-7]{4}){5,}\b")


# --- the command, in a subprocess on a data folder of its own ---------------------------


@dataclass(frozen=True)
class Folder:
    """A data folder the first demo run set up, and how to run the command on it again."""

    data_dir: Path
    env: dict[str, str]
    first: subprocess.CompletedProcess[str]

    def demo(self, passphrase: str) -> subprocess.CompletedProcess[str]:
        secret = self.data_dir.parent / "passphrase.txt"
        secret.write_text(passphrase + "\n", encoding="utf-8")
        return run_demo(self.data_dir, self.env, "--passphrase-file", str(secret))


def run_demo(data_dir: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m allymap demo --data-dir DATA ARGS`, as a person would run it."""
    return subprocess.run(
        [sys.executable, "-m", "allymap", "demo", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=data_dir.parent,
        stdin=subprocess.DEVNULL,
        check=False,
    )


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Folder]:
    work = tmp_path_factory.mktemp("demo-cli")
    tmp_dir = work / "tmp"
    tmp_dir.mkdir(mode=0o700)
    with server_database() as database:
        env = server_environment(tmp_dir, database)
        data_dir = work / "data"
        secret = work / "passphrase.txt"
        secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
        first = run_demo(data_dir, env, "--passphrase-file", str(secret))
        yield Folder(data_dir=data_dir, env=env, first=first)


def test_a_fresh_folder_is_set_up_and_shows_its_recovery_key_once(folder: Folder) -> None:
    first = folder.first
    assert first.returncode == 0, first.stdout + first.stderr
    assert "Traceback" not in first.stderr
    assert len(RECOVERY_KEY.findall(first.stdout + first.stderr)) == 1, first.stdout
    assert "This is a demo" in first.stdout
    assert f"“{demo_content().code_name}”" in first.stdout
    assert "Nobody in it is real." in first.stdout
    assert "already had a demo" not in first.stdout
    last = first.stdout.strip().splitlines()[-1]
    assert last == (
        f"Run `allymap serve --data-dir {folder.data_dir}` and unlock with your passphrase."
    )
    assert (folder.data_dir / "secret_key").exists()


def test_a_second_run_adds_a_second_demo_and_says_so(folder: Folder) -> None:
    assert folder.first.returncode == 0, folder.first.stderr
    second = folder.demo(PASSPHRASE)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "already had a demo intervention, so this adds another" in second.stdout
    assert f"“{demo_code_name(2)}”" in second.stdout
    assert not RECOVERY_KEY.search(second.stdout + second.stderr), "the key is shown only once"
    assert "Traceback" not in second.stderr


def test_a_wrong_passphrase_exits_1_in_one_clear_line(folder: Folder) -> None:
    assert folder.first.returncode == 0, folder.first.stderr
    wrong = folder.demo("not the passphrase at all")
    assert wrong.returncode == 1, wrong.stdout + wrong.stderr
    lines = [line for line in wrong.stderr.splitlines() if line.strip()]
    assert lines == [
        "allymap demo: that passphrase did not unlock allymap in this data folder. "
        "Check it and try again."
    ]
    assert "Added" not in wrong.stdout


def test_a_weak_passphrase_on_a_fresh_folder_exits_1_in_one_line(tmp_path: Path) -> None:
    with server_database() as database:
        env = server_environment(tmp_path, database)
        weak = run_demo(tmp_path / "data", env, "--passphrase", "short")
    assert weak.returncode == 1, weak.stdout + weak.stderr
    lines = [line for line in weak.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, weak.stderr
    assert lines[0].startswith("allymap demo: that passphrase is too short: use at least 12")
    assert not RECOVERY_KEY.search(weak.stdout)


# --- the command, through CliRunner -----------------------------------------------------


def _run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="allymap")


def test_it_explains_demo() -> None:
    result = _run("demo", "--help")
    assert result.exit_code == 0, result.output
    assert "Usage: allymap demo" in result.output
    for option in ("--data-dir", "--passphrase-file", "--passphrase"):
        assert option in result.output, option
    assert "trying things out only" in result.output
    assert "process list" in result.output


def test_it_refuses_two_passphrases(tmp_path: Path) -> None:
    secret = tmp_path / "passphrase.txt"
    secret.write_text(PASSPHRASE, encoding="utf-8")
    result = _run("demo", "--passphrase", PASSPHRASE, "--passphrase-file", str(secret))
    assert result.exit_code == 2, result.output
    assert "not both" in result.output


@pytest.fixture
def in_process(monkeypatch: pytest.MonkeyPatch, db: None) -> None:
    """Run `demo` in this process, on the test database: Django is already set up, so
    what would set it up again, migrate or change the process's umask is left out."""
    import django.core.management

    from allymap.services import sessions

    monkeypatch.setattr(cli_module, "_django", lambda data_dir: None)
    monkeypatch.setattr(os, "umask", lambda mask: 0o022)
    monkeypatch.setattr(django.core.management, "call_command", lambda *a, **k: None)
    monkeypatch.setattr(sessions, "sessions_clear_expired", lambda: None)


def test_a_throttled_unlock_exits_1_saying_how_long_to_wait(in_process: None) -> None:
    accounts.account_create(passphrase=PASSPHRASE)
    now = throttle.now()
    UnlockThrottle.objects.create(
        scope=throttle.INSTALLATION,
        failures=12,
        last_failure_at=now,
        blocked_until=now + timedelta(minutes=9, seconds=30),
    )
    result = _run("demo", "--passphrase", PASSPHRASE)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "allymap demo: too many wrong passphrases lately. Wait 10 minutes before trying again."
    ]
    assert not Intervention.objects.exists(), "nothing is added when the unlock is refused"


def test_it_asks_for_the_passphrase_when_not_given(in_process: None) -> None:
    accounts.account_create(passphrase=PASSPHRASE)
    result = CliRunner().invoke(cli, ["demo"], input=PASSPHRASE + "\n", prog_name="allymap")
    assert result.exit_code == 0, result.output
    assert PASSPHRASE not in result.output, "the prompt must not echo the passphrase"
    assert f"“{demo_code_name(1)}”" in result.stdout


def test_a_fresh_folder_asks_twice(in_process: None) -> None:
    result = CliRunner().invoke(
        cli, ["demo"], input=f"{PASSPHRASE}\n{PASSPHRASE}\n", prog_name="allymap"
    )
    assert result.exit_code == 0, result.output
    assert "Type it again" in result.output
    assert len(RECOVERY_KEY.findall(result.stdout)) == 1


# --- the service and its content -------------------------------------------------------


def test_the_demo_is_written_through_the_services(owner_unlocked: accounts.Unlocked) -> None:
    keyring = owner_unlocked.keyring
    demo = demo_content()
    intervention_id = demo_intervention_add(keyring=keyring)

    overview = intervention_overview(keyring=keyring, intervention_id=intervention_id)
    assert overview.heading.code_name == demo.code_name
    assert (overview.doing_harm_alias, overview.harmed_alias) == (
        demo.doing_harm_alias,
        demo.harmed_alias,
    )
    assert [(p.alias, p.relationship) for p in overview.people] == [
        (p.alias, p.relationship) for p in demo.people
    ]
    for line, person in zip(overview.people, demo.people, strict=True):
        reading = person_reading(
            keyring=keyring, intervention_id=intervention_id, person_id=line.person_id
        )
        shown = {
            (item.row.key, column.position, answer.evidence)
            for column in reading.columns
            for item in column.rows
            for answer in item.answers
        }
        known = {(a.row_key, a.position, a.evidence) for a in person.answers if a.position.known}
        assert shown == known, person.alias
    state = intervention_open(keyring=keyring, intervention_id=intervention_id)
    assert [note.text for note in state.notes] == [note.text for note in demo.notes]
    about = {line.alias: line.person_id for line in overview.people}
    assert [note.person_id for note in state.notes] == [
        about[note.about] if note.about else "" for note in demo.notes
    ]


def test_a_second_demo_is_told_apart_from_the_first(owner_unlocked: accounts.Unlocked) -> None:
    keyring = owner_unlocked.keyring
    first = demo_intervention_add(keyring=keyring)
    second = demo_intervention_add(keyring=keyring)
    assert first != second
    lines = interventions_list(keyring=keyring)
    assert [line.code_name for line in lines] == [demo_code_name(1), demo_code_name(2)]
    assert demo_code_name(2) == "Demo: Harbour lights (2)"


def test_the_content_is_clearly_made_up_and_shows_the_whole_chart() -> None:
    demo = demo_content()
    assert demo.code_name.startswith("Demo")
    assert "made up" in demo.notes[0].text and not demo.notes[0].about
    assert 8 <= len(demo.people) <= 12
    used = Counter(a.position for p in demo.people for a in p.answers)
    assert set(used) == set(Position), "every position, from ally to don't know yet"
    both_sides = [
        p.alias
        for p in demo.people
        if {Side.ALLY, Side.IN_THE_WAY} <= {a.position.side for a in p.answers}
    ]
    assert both_sides, "nobody is only one column: someone has rows on both sides"
    assert any(not p.answers for p in demo.people), "someone nobody has reflected on yet"
    words = " ".join(demo.texts()).lower()
    for word in ("abuser", "perpetrator", "victim"):
        assert word not in words
    for bare, macron in (("whanau", "whānau"), ("kaumatua", "kaumātua")):
        assert bare not in words
        assert macron in words


def test_it_refuses_a_broken_data_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import allymap.services.demo as demo_module

    broken = tmp_path / "demo.toml"
    text = demo_module.DEMO_FILE.read_text(encoding="utf-8")
    broken.write_text(text.replace("sees_the_harm =", "sees_harm =", 1), encoding="utf-8")
    monkeypatch.setattr(demo_module, "DEMO_FILE", broken)
    demo_content.cache_clear()
    try:
        with pytest.raises(DemoDataError, match="'sees_harm' is not a row of the chart"):
            demo_content()
    finally:
        demo_content.cache_clear()
