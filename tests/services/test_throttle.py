"""Unlock throttling: guessing slows to a crawl, the owner always gets back in, a restart
forgets nothing, and guesses racing each other get no more than the allowance.

Time is simulated: the throttle's clock (`throttle.now`) is replaced, never slept on. KDF
runs are counted where the vault derives a key from a passphrase, so "a guess reached
Argon2id" is what is counted, whatever the code above it does.

The races run as tests/services/race.py's do: threads with their own connections, on
PostgreSQL in-process and on a SQLite *file* in a subprocess (`main` below).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError, connection
from pytest_django.fixtures import Settings

from allymap.services import accounts, throttle
from allymap.services.errors import AttemptNotRecorded, TooManyTries
from allymap.store.models import UnlockThrottle
from allymap.vault import WrongPassphrase, WrongRecoveryKey
from allymap.vault import keys as vault_keys
from tests.people import OWNER_PASSPHRASE, owner_create

REPOSITORY = Path(__file__).resolve().parents[2]
EPOCH = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
WRONG = "not the passphrase at all"
HOUR = 3600
DAY = 24 * HOUR


class Clock:
    """The throttle's clock, moved by hand."""

    def __init__(self, at: datetime = EPOCH) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += timedelta(seconds=seconds)

    def seconds(self) -> float:
        return (self.at - EPOCH).total_seconds()


class KdfRuns:
    """Counts Argon2id derivations from a passphrase (thread-safe)."""

    def __init__(self) -> None:
        self.count = 0
        self._lock = threading.Lock()
        self._real: Callable[..., bytes] = vault_keys.derive_key

    def counting(self, *args: Any, **kwargs: Any) -> bytes:
        with self._lock:
            self.count += 1
        return self._real(*args, **kwargs)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(throttle, "now", fake)
    return fake


@pytest.fixture
def kdf_runs(monkeypatch: pytest.MonkeyPatch) -> KdfRuns:
    runs = KdfRuns()
    monkeypatch.setattr(vault_keys, "derive_key", runs.counting)
    return runs


def attempt(passphrase: str = WRONG, *, address: str | None = None) -> str:
    """One unlock attempt through the service, as its outcome in a word."""
    try:
        accounts.account_unlock(passphrase=passphrase, address=address)
    except WrongPassphrase:
        return "wrong"
    except TooManyTries as refused:
        return f"wait {refused.wait_seconds}"
    except AttemptNotRecorded:
        return "not recorded"
    return "unlocked"


def guess_for(clock: Clock, seconds: float) -> list[float]:
    """Guess as fast as the throttle allows for `seconds` of simulated time, waiting out
    each refusal exactly; return when each guess that was tried started."""
    tried: list[float] = []
    end = clock.seconds() + seconds
    while clock.seconds() < end:
        outcome = attempt()
        if outcome == "wrong":
            tried.append(clock.seconds())
            assert len(tried) <= 200, "the guesser was never made to wait"
        else:
            assert outcome.startswith("wait "), outcome
            clock.advance(int(outcome.removeprefix("wait ")))
    return tried


# -- the schedule --------------------------------------------------------------------------


def test_it_doubles_the_wait_after_the_free_tries_up_to_the_cap() -> None:
    waits = [throttle.wait_after(failures=n).total_seconds() for n in range(1, 18)]
    assert waits == [0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900]
    assert throttle.wait_after(failures=10**6) == throttle.MAX_WAIT


def test_it_holds_a_guesser_to_the_documented_rate(
    owner: object, clock: Clock, kdf_runs: KdfRuns
) -> None:
    """The figures docs/threat-model.md gives: 5 at once, 15 in the first 18 minutes,
    17 in the first hour, 109 in the first day, 96 a day after that."""
    first_hour = guess_for(clock, HOUR)
    assert first_hour[:5] == [0, 0, 0, 0, 0]
    assert len([at for at in first_hour if at < 18 * 60]) == 15
    assert len(first_hour) == 17
    first_day = first_hour + guess_for(clock, DAY - HOUR)
    assert len(first_day) == 109
    second_day = guess_for(clock, DAY)
    assert len(second_day) == 96
    assert kdf_runs.count == len(first_day) + len(second_day)


def test_it_lets_the_owner_in_after_the_wait_and_then_forgets_the_guesses(
    owner: object, clock: Clock, kdf_runs: KdfRuns
) -> None:
    guess_for(clock, HOUR)
    assert attempt() == "wrong"  # the guesser's latest, just now
    outcome = attempt(OWNER_PASSPHRASE)
    wait = int(outcome.removeprefix("wait "))
    assert wait == throttle.MAX_WAIT.total_seconds()
    runs = kdf_runs.count
    clock.advance(wait)
    assert attempt(OWNER_PASSPHRASE) == "unlocked"
    assert kdf_runs.count == runs + 1
    # A success clears the count: the owner's next slip is free again.
    assert [attempt() for _ in range(throttle.FREE_TRIES)] == ["wrong"] * throttle.FREE_TRIES


def test_it_refuses_without_deriving_a_key_while_a_wait_is_pending(
    owner: object, clock: Clock, kdf_runs: KdfRuns
) -> None:
    outcomes = [attempt() for _ in range(50)]
    assert outcomes == ["wrong"] * 5 + ["wait 1"] * 45
    assert kdf_runs.count == 5
    # Even the right passphrase waits: the throttle cannot know it is right.
    assert attempt(OWNER_PASSPHRASE) == "wait 1"
    assert kdf_runs.count == 5


def test_it_forgets_old_failures_after_a_quiet_day(owner: object, clock: Clock) -> None:
    guess_for(clock, 10 * 60)
    assert attempt() == "wrong"
    assert attempt().startswith("wait ")
    clock.advance(throttle.FORGET_AFTER.total_seconds())
    assert [attempt() for _ in range(6)] == ["wrong"] * 5 + ["wait 1"]


def test_it_counts_recovery_keys_with_passphrases(clock: Clock, db: None) -> None:
    """One allowance for both ways in: switching forms gains a guesser nothing."""
    _unlocked, recovery_key = owner_create()
    wrong_key = ("B" if recovery_key[0] == "A" else "A") + recovery_key[1:]
    for _ in range(3):
        with pytest.raises(WrongRecoveryKey):
            accounts.account_recover(recovery_key=wrong_key, new_passphrase="a new passphrase!")
    assert [attempt() for _ in range(3)] == ["wrong", "wrong", "wait 1"]
    with pytest.raises(TooManyTries):
        accounts.account_recover(recovery_key=recovery_key, new_passphrase="a new passphrase!")
    # A key not even in the printed format is not a guess: refused, not counted.
    clock.advance(1)
    with pytest.raises(WrongRecoveryKey):
        accounts.account_recover(recovery_key="ABCD", new_passphrase="a new passphrase!")
    assert UnlockThrottle.objects.get().failures == 5
    accounts.account_recover(recovery_key=recovery_key, new_passphrase="a new passphrase!")
    assert not UnlockThrottle.objects.exists()


def test_a_success_drops_counts_left_alone_for_a_day(
    settings: Settings, clock: Clock, db: None
) -> None:
    """Hosted mode would otherwise keep a row for every address that ever tried."""
    settings.HOSTED = True
    throttle.attempt_begin(scopes=throttle.scopes_for(account_id="a1", address="192.0.2.1"))
    clock.advance(throttle.FORGET_AFTER.total_seconds() - 1)
    throttle.attempt_begin(scopes=throttle.scopes_for(account_id="a2", address="192.0.2.2"))
    clock.advance(1)
    assert UnlockThrottle.objects.count() == 4
    mine = throttle.scopes_for(account_id="a3", address="192.0.2.3")
    throttle.attempt_begin(scopes=mine)
    throttle.attempt_succeeded(scopes=mine)
    left = set(UnlockThrottle.objects.values_list("scope", flat=True))
    assert left == set(throttle.scopes_for(account_id="a2", address="192.0.2.2"))


# -- scopes --------------------------------------------------------------------------------


def test_it_counts_the_whole_installation_in_personal_mode(owner: object, clock: Clock) -> None:
    for address in ("127.0.0.1", "::1", "10.0.0.1", "10.0.0.2", None):
        attempt(address=address)
    assert attempt(address="192.0.2.99") == "wait 1"
    assert list(UnlockThrottle.objects.values_list("scope", flat=True)) == ["installation"]


def test_it_counts_each_account_and_each_address_in_hosted_mode(
    settings: Settings, clock: Clock, db: None
) -> None:
    settings.HOSTED = True
    here = throttle.scopes_for(account_id="a1", address="192.0.2.7")
    for _ in range(throttle.FREE_TRIES):
        throttle.attempt_begin(scopes=here)
    with pytest.raises(TooManyTries):  # the same account from elsewhere
        throttle.attempt_begin(scopes=throttle.scopes_for(account_id="a1", address="192.0.2.8"))
    with pytest.raises(TooManyTries):  # another account from the same address
        throttle.attempt_begin(scopes=throttle.scopes_for(account_id="a2", address="192.0.2.7"))
    throttle.attempt_begin(scopes=throttle.scopes_for(account_id="a2", address="192.0.2.8"))


def test_it_keeps_no_address_in_the_database(settings: Settings) -> None:
    settings.HOSTED = True
    scopes = throttle.scopes_for(account_id="a1", address="2001:db8:1:2:3:4:5:6")
    assert scopes[0] == "account:a1"
    assert "2001" not in scopes[1] and "db8" not in scopes[1]
    # An IPv6 address counts by its /64; an IPv4-mapped one as the IPv4 address.
    same_64 = throttle.scopes_for(account_id="a1", address="2001:db8:1:2:ffff::1")
    assert same_64 == scopes
    other_64 = throttle.scopes_for(account_id="a1", address="2001:db8:1:3::1")
    assert other_64 != scopes
    mapped = throttle.scopes_for(account_id="a1", address="::ffff:192.0.2.7")
    assert mapped == throttle.scopes_for(account_id="a1", address="192.0.2.7")


# -- failing closed ------------------------------------------------------------------------


@pytest.fixture
def unwritable(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The database refuses writes (a full disk, a read-only folder, a held write lock)."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        raw = connection.connection  # past Django, so it works whatever state the test left
        raw.execute("PRAGMA query_only = ON")
        try:
            yield
        finally:
            raw.execute("PRAGMA query_only = OFF")
        return

    def refuse(*args: object, **kwargs: object) -> None:
        raise OperationalError("could not extend file: No space left on device")

    monkeypatch.setattr(UnlockThrottle, "save", refuse)
    monkeypatch.setattr(type(UnlockThrottle.objects.all()), "bulk_create", refuse)
    yield


def test_it_does_not_try_an_attempt_it_cannot_count(
    owner: object, clock: Clock, kdf_runs: KdfRuns, unwritable: None
) -> None:
    assert attempt(OWNER_PASSPHRASE) == "not recorded"
    assert attempt() == "not recorded"
    assert kdf_runs.count == 0


# -- restarts and races, on a SQLite file in fresh processes --------------------------------


def _run(data_dir: Path, *args: str) -> dict[str, Any]:
    """`main` in a fresh process on the SQLite file in `data_dir`: a restart each time."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "ALLYMAP_SECRET_KEY", "ALLYMAP_SECRET_KEY_FILE")
    }
    environment |= {
        "ALLYMAP_DATA_DIR": str(data_dir),
        "ALLYMAP_KDF_PROFILE": "test",
        "DJANGO_SETTINGS_MODULE": "allymap.settings",
    }
    finished = subprocess.run(
        [sys.executable, "-c", COMMAND, *args],
        cwd=REPOSITORY,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    result: dict[str, Any] = json.loads(finished.stdout.splitlines()[-1])
    return result


def test_it_remembers_the_count_across_a_restart(tmp_path: Path) -> None:
    first = _run(tmp_path, "guess", "6", "0")
    assert first == {"outcomes": ["wrong"] * 5 + ["wait 1"], "kdf_runs": 5}
    # A new process at the same moment: the count came back from the database.
    assert _run(tmp_path, "guess", "1", "0") == {"outcomes": ["wait 1"], "kdf_runs": 0}
    assert _run(tmp_path, "unlock", "1") == {"outcomes": ["unlocked"], "kdf_runs": 1}


RACERS = 12


def _check_race(result: dict[str, Any]) -> None:
    outcomes = sorted(result["outcomes"])
    assert outcomes == ["wait 1"] * (RACERS - throttle.FREE_TRIES) + ["wrong"] * throttle.FREE_TRIES
    assert result["kdf_runs"] == throttle.FREE_TRIES


def test_racing_guesses_get_no_more_than_the_allowance_on_a_sqlite_file(tmp_path: Path) -> None:
    _check_race(_run(tmp_path, "race", str(RACERS), "0"))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("hosted", [False, True])
def test_racing_guesses_get_no_more_than_the_allowance(
    settings: Settings, clock: Clock, kdf_runs: KdfRuns, hosted: bool
) -> None:
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip(
            "the SQLite test database is in memory, which threads cannot write at once; "
            "the SQLite race runs in a subprocess on a file instead"
        )
    settings.HOSTED = hosted
    owner_create()
    before = kdf_runs.count
    _check_race({"outcomes": race(RACERS), "kdf_runs": kdf_runs.count - before})


def race(racers: int) -> list[str]:
    """`racers` threads, each with its own connection, guess at the same moment.

    Counting an attempt is made slow (as on a busy disk), so that a throttle that read
    the count without holding it would let several guesses read the same count.
    """
    import time

    from django.db import connections

    start = threading.Barrier(racers)
    outcomes: list[str] = []
    lock = threading.Lock()
    count = throttle._count

    def slow_count(row: UnlockThrottle, at: datetime) -> None:
        time.sleep(0.02)
        count(row, at)

    throttle._count = slow_count  # type: ignore[assignment]

    def guess() -> None:
        try:
            connections["default"].ensure_connection()
            start.wait()
            outcome = attempt(address="192.0.2.7")
        except Exception as failure:  # reported to the test, which fails on any
            outcome = repr(failure)
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=guess) for _ in range(racers)]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            thread.join(timeout=120)
    finally:
        throttle._count = count  # type: ignore[assignment]
    assert not any(thread.is_alive() for thread in threads), "a guess did not finish in 120 s"
    return outcomes


# Django must be set up before this module is imported, hence the `-c`.
COMMAND = "import django; django.setup(); from tests.services.test_throttle import main; main()"


def main() -> None:
    """Migrate the SQLite file in ALLYMAP_DATA_DIR (making the owner the first time), then
    at simulated second AT print JSON {"outcomes", "kdf_runs"} for one of:
    `guess N AT` (N wrong passphrases in turn), `race N AT` (N at once, in threads),
    `unlock AT` (the owner's passphrase)."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if not accounts.account_is_set_up():
        owner_create()
    mode, *numbers = sys.argv[1:]
    clock = Clock()
    clock.advance(float(numbers[-1]))
    throttle.now = clock  # type: ignore[assignment]
    runs = KdfRuns()
    vault_keys.derive_key = runs.counting  # type: ignore[assignment]
    if mode == "guess":
        outcomes = [attempt() for _ in range(int(numbers[0]))]
    elif mode == "race":
        outcomes = race(int(numbers[0]))
    else:
        outcomes = [attempt(OWNER_PASSPHRASE)]
    print(json.dumps({"outcomes": outcomes, "kdf_runs": runs.count}))
