"""Benchmark: opening an intervention (unseal its key, decrypt, verify, fold) as it grows.

Budget (DESIGN.md, "Performance budgets"): opening an intervention with 10,000 events
takes at most 50 ms, and stays flat as history grows, because opening starts from the
latest encrypted snapshot instead of replaying the whole log.

What it does, from the repository root:

    .venv/bin/python bench/open_intervention.py            # 100, 1,000 and 10,000 events
    .venv/bin/python bench/open_intervention.py --quick    # 100 and 1,000, fewer runs
    .venv/bin/python bench/open_intervention.py --database-url postgres://user@127.0.0.1:5432/postgres

1. Makes a throwaway data folder and database (SQLite in that folder; or, with
   ``--database-url``, a scratch database created on that PostgreSQL server and dropped
   afterwards), with the cheap test profile for Argon2id, and runs the migrations.
2. Builds one intervention per size through the real services (``account_create``,
   ``intervention_start``, ``person_add``, ``positions_record``), so every event is a
   real encrypted, chained event and snapshots are written exactly as the services
   write them. A reflection on a person records several rows at once, as the web form
   does, which appends several events in one go.
3. Times ``interventions.intervention_open`` with a fresh keyring per run, rebuilt from
   the two session halves as every web request does, so unsealing the intervention key
   is included. Then removes the newest snapshot (a full snapshot interval of events to
   replay: the worst case in normal use) and finally every snapshot (full replay).
4. Prints a table and the verdict, and appends one JSON line to
   ``bench/results/open_intervention.jsonl``.

See bench/README.md for how to read the figures.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import math
import os
import platform
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

REPO_ROOT = Path(__file__).resolve().parent.parent
RESULTS_FILE = REPO_ROOT / "bench" / "results" / "open_intervention.jsonl"

#: DESIGN.md: open an intervention with 10,000 events in at most this long.
BUDGET_MS = 50.0
BUDGET_EVENTS = 10_000
#: DESIGN.md says "flat as history grows" without a number. Our reading: with the same
#: map (people, rows) and the same number of events after the latest snapshot, ten times
#: the history may cost at most this factor more.
FLAT_FACTOR = 1.5

FULL_SIZES = (100, 1_000, 10_000)
QUICK_SIZES = (100, 1_000)

# A map rarely holds more than a few dozen people; the history grows by reflecting on
# them again and again, not by adding people without end.
MAX_PEOPLE = 40

RELATIONSHIPS = (
    "older brother",
    "mother",
    "workmate at the depot",
    "coach of his league team",
    "cousin, grew up together",
    "pastor",
    "neighbour",
    "best friend since school",
    "aunty (mother's side)",
    "ex-partner's father",
)
EVIDENCE_PHRASES = (
    "He listens to them more than to anyone else in the whānau.",
    "Said at the last hui that it was all her fault; we need to talk about that.",
    "Stayed calm when he shouted and came back the next day to try again.",
    "Gets angry quickly and then stops answering the phone for a week.",
    "Has their own counsellor and a good group of friends around them.",
    "Told us plainly what they had seen, without making it smaller.",
    "Keeps saying he was just stressed from work, as if that explains it.",
    "Knows him as a father and as a mate, and knows those are different.",
    "Came to every check-in so far, even the hard one in March.",
    "Not sure yet: we have only met once, at the tangi.",
    "Pushes until he walks out; does not notice when he has had enough.",
    "Would stand by him and still say no when he blames her.",
)


@dataclass
class Built:
    """One intervention made for the benchmark."""

    events: int
    intervention_id: str
    people: int
    service_calls: int
    seconds: float
    snapshots: int


@dataclass
class Figure:
    """One timed case: how long opening took, over `runs` runs after the warm-ups."""

    label: str
    events: int
    snapshot_seq: int | None
    replayed: int
    runs: int
    median_ms: float
    p90_ms: float
    min_ms: float
    ratio_to_100: float | None = None


# -- set-up ------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Time opening an intervention of 100, 1,000 and 10,000 events.",
    )
    parser.add_argument(
        "--quick", action="store_true", help="sizes 100 and 1,000 only, and fewer runs"
    )
    parser.add_argument(
        "--database-url",
        metavar="URL",
        help="a PostgreSQL server to run on (a scratch database is created there and "
        "dropped afterwards); default: a temporary SQLite database",
    )
    parser.add_argument("--runs", type=int, help="timed runs per case (default 15; quick: 5)")
    parser.add_argument("--no-record", action="store_true", help="do not append to bench/results/")
    args = parser.parse_args(argv)
    if args.runs is not None and args.runs < 3:
        parser.error("--runs must be at least 3")
    if args.database_url and not urlsplit(args.database_url).scheme.startswith("postgres"):
        parser.error("--database-url must be a postgres:// or postgresql:// URL")
    return args


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


@contextmanager
def scratch_postgres(url: str) -> Iterator[str]:
    """A fresh, empty database on the server of `url`, dropped on the way out.

    allymap's personal mode allows one account per database, so the benchmark cannot
    share a database with anything else.
    """
    import psycopg
    from psycopg import sql

    name = f"allymap_bench_{secrets.token_hex(4)}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield _with_database(url, name)
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def start_django(data_dir: Path, database_url: str | None) -> None:
    """Point allymap at the throwaway folder and database, set Django up, migrate."""
    os.environ["ALLYMAP_KDF_PROFILE"] = "test"
    os.environ["ALLYMAP_DATA_DIR"] = str(data_dir)
    os.environ["ALLYMAP_DEBUG"] = "false"  # DEBUG would keep every query in memory
    os.environ["DJANGO_SETTINGS_MODULE"] = "allymap.settings"
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)


# -- building ----------------------------------------------------------------------------


def _evidence(rng: random.Random, counter: int) -> str:
    """Evidence as a person might type it; the counter makes every answer a change."""
    sentences = rng.sample(EVIDENCE_PHRASES, rng.randint(1, 3))
    return " ".join(sentences) + f" (noted at check-in {counter})"


def build(keyring: Any, events: int, rng: random.Random) -> Built:
    """An intervention of exactly `events` events, made through the services.

    People are added over the first 60 % of the history (up to MAX_PEOPLE); every other
    step is one reflection on a random person that changes 1 to 10 rows at once.
    """
    from allymap.chart import Position, default_chart
    from allymap.services import interventions
    from allymap.store.models import Snapshot

    rows = default_chart().keys
    people_target = min(MAX_PEOPLE, max(3, events // 25))
    spread = 0.6 * events
    started = time.perf_counter()
    intervention_id = interventions.intervention_start(
        keyring, code_name=f"Winter tide {events}", doing_harm_alias="R", harmed_alias="M"
    )
    seq, calls, counter = 1, 1, 0
    person_ids: list[str] = []
    while seq < events:
        due = math.ceil(people_target * min(1.0, seq / spread))
        if not person_ids or len(person_ids) < min(people_target, due):
            number = len(person_ids) + 1
            person_ids.append(
                interventions.person_add(
                    keyring,
                    intervention_id,
                    alias=f"Person {number}",
                    relationship=rng.choice(RELATIONSHIPS),
                )
            )
            seq += 1
        else:
            count = min(events - seq, rng.randint(1, len(rows)))
            counter += 1
            positions = {
                row: (rng.choice(list(Position)), _evidence(rng, counter))
                for row in rng.sample(rows, count)
            }
            state = interventions.positions_record(
                keyring, intervention_id, person_id=rng.choice(person_ids), positions=positions
            )
            if state.seq != seq + count:
                raise RuntimeError(f"expected event {seq + count}, the log is at {state.seq}")
            seq = state.seq
        calls += 1
    seconds = time.perf_counter() - started
    return Built(
        events=events,
        intervention_id=intervention_id,
        people=len(person_ids),
        service_calls=calls,
        seconds=seconds,
        snapshots=Snapshot.objects.filter(intervention_id=intervention_id).count(),
    )


# -- timing ------------------------------------------------------------------------------


def latest_snapshot_seq(intervention_id: str) -> int | None:
    from allymap.domain import STATE_FORMAT_VERSION
    from allymap.store.models import Snapshot

    return (
        Snapshot.objects.filter(
            intervention_id=intervention_id, format_version=STATE_FORMAT_VERSION
        )
        .order_by("-seq")
        .values_list("seq", flat=True)
        .first()
    )


def p90(values: list[float]) -> float:
    """The 90th percentile by nearest rank (with 15 runs: the 14th fastest)."""
    ordered = sorted(values)
    return ordered[math.ceil(0.9 * len(ordered)) - 1]


@dataclass
class Case:
    """Something to time: opening `built` with `open_once`, which returns the state's seq."""

    label: str
    built: Built
    open_once: Callable[[], int]


def time_cases(cases: list[Case], *, runs: int, warmups: int) -> list[Figure]:
    """Time every case `runs` times after `warmups`, taking turns round by round.

    Taking turns spreads any background load over all cases alike, so the ratios between
    them hold even on a busy machine.
    """
    snapshot_seqs = [latest_snapshot_seq(case.built.intervention_id) for case in cases]
    samples: list[list[float]] = [[] for _ in cases]
    for attempt in range(warmups + runs):
        for case, case_samples in zip(cases, samples, strict=True):
            gc.collect()
            started = time.perf_counter()
            seq = case.open_once()
            elapsed = (time.perf_counter() - started) * 1000
            if seq != case.built.events:
                raise RuntimeError(f"opened at event {seq}, expected {case.built.events}")
            if attempt >= warmups:
                case_samples.append(elapsed)
    return [
        Figure(
            label=case.label,
            events=case.built.events,
            snapshot_seq=snapshot_seq,
            replayed=case.built.events - (snapshot_seq or 0),
            runs=runs,
            median_ms=statistics.median(case_samples),
            p90_ms=p90(case_samples),
            min_ms=min(case_samples),
        )
        for case, snapshot_seq, case_samples in zip(cases, snapshot_seqs, samples, strict=True)
    ]


def opener(unlocked: Any, intervention_id: str) -> Callable[[], int]:
    """What one request does to show an intervention: a fresh keyring from the two session
    halves (so the intervention key is unsealed again), then open."""
    from allymap.services import interventions
    from allymap.services.keyring import Keyring
    from allymap.vault import open_session

    account_id = unlocked.keyring.account_id

    def open_once() -> int:
        keyring = Keyring(account_id, open_session(unlocked.session_key, unlocked.session_blob))
        return interventions.intervention_open(keyring, intervention_id).seq

    return open_once


def drop_snapshots(intervention_id: str) -> None:
    from allymap.store.models import Snapshot

    Snapshot.objects.filter(intervention_id=intervention_id).delete()


def drop_newest_snapshot(intervention_id: str) -> None:
    from allymap.store.models import Snapshot

    newest = latest_snapshot_seq(intervention_id)
    if newest is not None:
        Snapshot.objects.filter(intervention_id=intervention_id, seq=newest).delete()


# -- reporting ---------------------------------------------------------------------------


def git_commit() -> tuple[str | None, bool | None]:
    """The checked-out commit and whether the tree has changes, if git is at hand."""
    git = shutil.which("git")
    if git is None:
        return None, None
    try:
        # Fixed arguments, no input from anyone: nothing to inject.
        commit = subprocess.run(  # noqa: S603
            [git, "rev-parse", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        status = subprocess.run(  # noqa: S603
            [git, "status", "--porcelain", "--untracked-files=no"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None, None
    return commit, bool(status.strip())


def database_description() -> tuple[str, str]:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
        else:
            cursor.execute("select version()")
        version = str(cursor.fetchone()[0])
    return connection.vendor, version


def print_table(figures: list[Figure]) -> None:
    header = (
        f"{'case':<44} {'events':>7} {'snapshot':>9} {'replayed':>9} "
        f"{'median ms':>10} {'p90 ms':>8} {'× 100':>7}"
    )
    print(header)
    print("-" * len(header))
    for figure in figures:
        snapshot = "-" if figure.snapshot_seq is None else f"{figure.snapshot_seq:,}"
        ratio = "" if figure.ratio_to_100 is None else f"{figure.ratio_to_100:.2f}"
        print(
            f"{figure.label:<44} {figure.events:>7,} {snapshot:>9} {figure.replayed:>9,} "
            f"{figure.median_ms:>10.2f} {figure.p90_ms:>8.2f} {ratio:>7}"
        )


def verdict(figures: list[Figure]) -> dict[str, Any]:
    """Judge the budget: the worst normal case (a full snapshot interval to replay) at
    10,000 events against 50 ms, and 10,000 against 1,000 events for flatness."""
    worst = {f.events: f for f in figures if f.label.startswith("newest snapshot removed")}
    result: dict[str, Any] = {"limit_ms": BUDGET_MS, "flat_factor": FLAT_FACTOR}
    if BUDGET_EVENTS not in worst or 1_000 not in worst:
        result["judged"] = False
        return result
    at_budget = worst[BUDGET_EVENTS]
    result.update(
        judged=True,
        measured_median_ms=round(at_budget.median_ms, 3),
        measured_p90_ms=round(at_budget.p90_ms, 3),
        met=at_budget.median_ms <= BUDGET_MS,
        flat_ratio=round(at_budget.median_ms / worst[1_000].median_ms, 3),
    )
    result["flat"] = result["flat_ratio"] <= FLAT_FACTOR
    return result


# -- main --------------------------------------------------------------------------------


def run(args: argparse.Namespace, database_url: str | None, data_dir: Path) -> int:
    start_django(data_dir, database_url)

    from django.conf import settings

    from allymap.services import accounts

    sizes = QUICK_SIZES if args.quick else FULL_SIZES
    runs = args.runs or (5 if args.quick else 15)
    warmups = 1 if args.quick else 2
    every: int = settings.ALLYMAP_SNAPSHOT_EVERY
    vendor, db_version = database_description()
    print(
        f"open_intervention: {vendor} {db_version.split(' on ')[0]}, Python "
        f"{platform.python_version()}, snapshot every {every} events, "
        f"{runs} runs after {warmups} warm-up(s)"
    )

    # A throwaway account in a throwaway database: its passphrase is never needed again.
    unlocked, _recovery = accounts.account_create(passphrase=secrets.token_urlsafe(24))
    rng = random.Random(20261124)  # the same histories on every run
    built: list[Built] = []
    for events in sizes:
        print(f"building {events:,} events…", end=" ", flush=True)
        made = build(unlocked.keyring, events, rng)
        built.append(made)
        print(
            f"{made.seconds:.1f} s ({made.service_calls:,} service calls, "
            f"{made.people} people, {made.snapshots} snapshots)"
        )

    figures = time_cases(
        [
            Case(
                "as built (snapshot at the newest event)"
                if latest_snapshot_seq(made.intervention_id) == made.events
                else "as built",
                made,
                opener(unlocked, made.intervention_id),
            )
            for made in built
        ],
        runs=runs,
        warmups=warmups,
    )
    # Without its newest snapshot a log has a whole interval of events after the previous
    # one: the most a normal open replays, since the next append past the interval writes
    # a new snapshot.
    worst_cases = []
    for made in built:
        if made.events >= 2 * every:
            drop_newest_snapshot(made.intervention_id)
            worst_cases.append(
                Case(
                    "newest snapshot removed (worst normal case)",
                    made,
                    opener(unlocked, made.intervention_id),
                )
            )
    figures += time_cases(worst_cases, runs=runs, warmups=warmups)
    largest = built[-1]
    drop_snapshots(largest.intervention_id)
    # Opening rebuilds a missing snapshot once it has replayed ALLYMAP_SNAPSHOT_EVERY
    # events; keep it from doing so here, or only the first run would be a full replay.
    from django.test.utils import override_settings

    with override_settings(ALLYMAP_SNAPSHOT_EVERY=largest.events + 1):
        figures += time_cases(
            [
                Case(
                    "no snapshots (full replay)",
                    largest,
                    opener(unlocked, largest.intervention_id),
                )
            ],
            runs=runs,
            warmups=warmups,
        )

    base = next(f for f in figures if f.events == sizes[0])
    for figure in figures:
        figure.ratio_to_100 = figure.median_ms / base.median_ms

    print()
    print_table(figures)
    print()
    judged = verdict(figures)
    with_snapshots = [f for f in figures if f.events == largest.events][:-1]
    full = figures[-1]
    best = min(with_snapshots, key=lambda f: f.median_ms)
    print(
        f"Snapshots: full replay of {largest.events:,} events takes "
        f"{full.median_ms / best.median_ms:.0f}× as long as opening from a snapshot "
        f"at the newest event ({full.median_ms:.1f} ms against {best.median_ms:.1f} ms)."
    )
    print(
        f"Budget (DESIGN.md): open an intervention of {BUDGET_EVENTS:,} events in "
        f"≤ {BUDGET_MS:.0f} ms, flat as history grows."
    )
    if judged["judged"]:
        print(
            f"  {BUDGET_EVENTS:,} events, worst normal case: median "
            f"{judged['measured_median_ms']:.1f} ms, p90 {judged['measured_p90_ms']:.1f} ms "
            f"→ {'MET' if judged['met'] else 'NOT MET'}"
        )
        print(
            f"  flat: {BUDGET_EVENTS:,} against 1,000 events, same map and same replay "
            f"after the snapshot: × {judged['flat_ratio']:.2f} (at most × {FLAT_FACTOR}) "
            f"→ {'MET' if judged['flat'] else 'NOT MET'}"
        )
    else:
        print("  not judged: a --quick run has no 10,000-event case.")

    commit, dirty = git_commit()
    record = {
        "benchmark": "open_intervention",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "git_commit": commit,
        "git_dirty": dirty,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "db_vendor": vendor,
        "db_version": db_version,
        "kdf_profile": "test",
        "snapshot_every": every,
        "quick": bool(args.quick),
        "runs": runs,
        "warmups": warmups,
        "build": [
            {key: value for key, value in asdict(made).items() if key != "intervention_id"}
            | {"seconds": round(made.seconds, 2)}
            for made in built
        ],
        "figures": [
            asdict(figure)
            | {
                key: round(value, 3)
                for key, value in asdict(figure).items()
                if isinstance(value, float)
            }
            for figure in figures
        ],
        "budget": judged,
    }
    if not args.no_record:
        RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
        with RESULTS_FILE.open("a", encoding="utf-8") as out:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        print(f"\nrecorded in {RESULTS_FILE.relative_to(REPO_ROOT)}")
    # A benchmark, not a timed test: the verdict is printed and recorded, never an error.
    return 0


def use_the_venv() -> None:
    """Run under the project's .venv when started by a Python that lacks allymap's needs."""
    if importlib.util.find_spec("django") is not None:
        return
    venv = REPO_ROOT / ".venv"
    venv_python = venv / "bin" / "python"
    if venv_python.exists() and Path(sys.prefix).resolve() != venv.resolve():
        # Our own interpreter with our own arguments: nothing from outside is run.
        os.execv(venv_python, [str(venv_python), *sys.argv])  # noqa: S606
    raise SystemExit("Django is not installed here: run `make run` once to create .venv.")


def main(argv: list[str] | None = None) -> int:
    use_the_venv()
    args = parse_args(argv)
    data_dir = Path(tempfile.mkdtemp(prefix="allymap-bench-"))
    try:
        if args.database_url:
            with scratch_postgres(args.database_url) as url:
                return run(args, url, data_dir)
        return run(args, None, data_dir)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
