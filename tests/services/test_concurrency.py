"""Concurrent writers to one intervention lose nothing: a clash reloads and re-runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
from django.db import connection

from allymap.services import engine, interventions, people
from allymap.services.errors import BusyTryAgain
from allymap.services.keyring import Keyring
from allymap.services.people import Details
from allymap.store import log
from allymap.store.models import Event
from allymap.vault import SealedEvent
from tests.people import fresh, owner_create
from tests.services.conftest import Started
from tests.services.race import COMMAND as race_command
from tests.services.race import Outcome, race

REPOSITORY = Path(__file__).resolve().parents[2]
WRITERS = 4
PEOPLE_EACH = 5


def _seqs(intervention_id: str) -> list[int]:
    return list(
        Event.objects.filter(intervention_id=intervention_id)
        .order_by("seq")
        .values_list("seq", flat=True)
    )


def test_it_reruns_the_command_after_a_clash(
    owner: Keyring, intervention: Started, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A real clash needs a second connection: the threaded and subprocess races below
    # make those. Here the first append is refused as a clash would refuse it, and the
    # command must be re-run from a fresh open, with nothing half-written left behind.
    real_append = log.append
    attempts: list[int] = []

    def clash_once(intervention_id: str, sealed: Sequence[SealedEvent]) -> None:
        attempts.append(sealed[0].seq)
        if len(attempts) == 1:
            raise log.SeqClash("someone else was first")
        real_append(intervention_id, sealed)

    monkeypatch.setattr(log, "append", clash_once)
    mine = people.person_add(
        keyring=owner,
        intervention_id=intervention.intervention_id,
        details=Details(alias="Mine"),
    )

    assert attempts == [3, 3]
    state = interventions.intervention_open(
        keyring=fresh(owner), intervention_id=intervention.intervention_id
    )
    assert {person.alias for person in state.active_people()} == {"Uncle T", "Mine"}
    assert state.person(mine).added_by == owner.account_id
    assert _seqs(intervention.intervention_id) == [1, 2, 3]


def test_it_gives_up_after_max_attempts(
    owner: Keyring, intervention: Started, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []

    def always_clash(intervention_id: str, sealed: Sequence[SealedEvent]) -> None:
        calls.append(sealed[0].seq)
        raise log.SeqClash("someone else was first")

    monkeypatch.setattr(log, "append", always_clash)
    with pytest.raises(BusyTryAgain):
        people.person_add(
            keyring=owner,
            intervention_id=intervention.intervention_id,
            details=Details(alias="Mine"),
        )
    assert len(calls) == engine.MAX_ATTEMPTS
    assert _seqs(intervention.intervention_id) == [1, 2]


def _check_nothing_lost(outcome: Outcome) -> None:
    assert not outcome.errors, outcome.errors
    # Every acknowledged write is there, nothing else is, and the log has no gap.
    assert sorted(outcome.in_state) == sorted(outcome.acknowledged)
    assert len(outcome.acknowledged) + outcome.refused == WRITERS * PEOPLE_EACH
    assert outcome.seqs == list(range(1, 2 + len(outcome.acknowledged)))


def _in_process_race() -> Outcome:
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip(
            "the SQLite test database is in memory (shared cache), which threads cannot "
            "write at once ('database table is locked'); the SQLite race runs in a "
            "subprocess on a file instead"
        )
    return race(owner_create()[0].keyring, writers=WRITERS, people_each=PEOPLE_EACH)


@pytest.mark.django_db(transaction=True)
def test_it_loses_nothing_when_writers_race() -> None:
    """Threads, each with its own database connection, add people to one intervention at
    the same moment."""
    _check_nothing_lost(_in_process_race())


@pytest.mark.django_db(transaction=True)
def test_it_lets_every_writer_through_when_a_few_race() -> None:
    outcome = _in_process_race()
    _check_nothing_lost(outcome)
    assert outcome.refused == 0


def test_it_loses_nothing_when_writers_race_on_a_sqlite_file(tmp_path: Path) -> None:
    """Personal mode's real setting: a SQLite file in WAL mode, IMMEDIATE transactions
    and a busy timeout, written by several threads (as waitress serves them)."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "ALLYMAP_SECRET_KEY", "ALLYMAP_SECRET_KEY_FILE")
    }
    environment |= {
        "ALLYMAP_DATA_DIR": str(tmp_path),
        "ALLYMAP_KDF_PROFILE": "test",
        "DJANGO_SETTINGS_MODULE": "allymap.settings",
    }
    finished = subprocess.run(
        [sys.executable, "-c", race_command, str(WRITERS), str(PEOPLE_EACH)],
        cwd=REPOSITORY,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    assert (tmp_path / "allymap.sqlite3").exists()
    _check_nothing_lost(Outcome(**json.loads(finished.stdout.splitlines()[-1])))
