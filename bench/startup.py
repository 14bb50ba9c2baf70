"""Benchmark: how long `allymap serve` takes to show its first page, and what an unlock costs.

Budget (issue 10, from the design): ``allymap serve`` shows its first page within 3 s,
and an unlock costs 0.2 to 1 s, on purpose (the key derivation is what makes guessing a
passphrase slow), with the real key profile.

What it does, from the repository root:

    .venv/bin/python bench/startup.py            # 5 runs of each (about half a minute)
    .venv/bin/python bench/startup.py --quick    # 3 runs of each

Everything runs as a person runs it: ``python -m allymap serve`` (waitress, personal mode,
SQLite) in a throwaway data folder, on a free port of 127.0.0.1, with the real
(default) key profile, driven over HTTP by a plain client (tests/canary/client.py).

1. *First start*: an empty data folder each time. The time from starting the process to
   the whole first page received (``/``, which leads to the set-up page): Python and
   Django starting, the secret key made, the database created and migrated, the first
   request. Each run gets a new folder.
2. *Start*: a folder that is set up (an account exists, as after the first day). The
   time from starting the process to the first page (``/`` leads to the unlock page).
3. *Unlock*: on that installation, each run locks (the lock form) and then unlocks (the
   unlock form): the time of the unlock's POST to the page it leads to. Nearly all of it
   is the key derivation (Argon2id, the interactive profile).

Runs take turns (first start, start, unlock, then again). Medians and p90 (nearest rank)
are printed with MET/OVER, and one JSON line is appended to ``startup.jsonl`` in the
results folder (see bench/README.md). The figures include the file cache being warm after
the first run: a start just after the computer boots is slower. It always exits 0.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

import harness
import serving

BENCHMARK = "startup"

#: The design's budgets: first page within 3 s; an unlock deliberately 0.2 to 1 s.
BUDGET_START_S = 3.0
UNLOCK_MIN_S, UNLOCK_MAX_S = 0.2, 1.0
RUNS, QUICK_RUNS = 5, 3
PASSPHRASE = "startup benchmark passphrase only"  # noqa: S105 (a throwaway account)


def first_page(server: serving.Server) -> tuple[float, str]:
    """Ask for ``/`` until it answers (following its redirect); the seconds from starting
    the process to the page received, and the path it ended at."""
    client = serving.form_client(server.url)
    page = client.get("/")
    if page.status != 200:
        raise RuntimeError(f"the first page answered {page.status} at {page.path}")
    return time.perf_counter() - server.started_at, page.path


def time_start(data_dir: Path, work_dir: Path, expect: str) -> float:
    """One start of the server on `data_dir`: seconds to its first page, which must be
    `expect` (the set-up or the unlock page)."""
    with serving.served(data_dir, work_dir, kdf_profile=None) as server:
        seconds, path = first_page(server)
    if path != expect:
        raise RuntimeError(f"the first page was {path}, expected {expect}")
    return seconds


def set_up(server: serving.Server) -> None:
    """Set the installation up through the set-up form, with the real key profile."""
    client = serving.form_client(server.url)
    page = client.post("/setup/", {"passphrase": PASSPHRASE, "confirm": PASSPHRASE})
    if page.status != 200 or "allymap_key" not in {cookie.name for cookie in client.cookies}:
        raise RuntimeError(f"setting up failed: {page.status} at {page.path}")


def time_unlock(server: serving.Server) -> float:
    """Unlock (through the form), then lock again; the seconds of the unlock's POST."""
    client = serving.form_client(server.url)
    form = client.get("/unlock/")
    started = time.perf_counter()
    page = client.post("/unlock/", {"passphrase": PASSPHRASE}, token_from=form)
    seconds = time.perf_counter() - started
    if page.status != 200 or "allymap_key" not in {cookie.name for cookie in client.cookies}:
        raise RuntimeError(f"unlocking failed: {page.status} at {page.path}")
    locked = client.post("/lock/", {}, token_from=page)
    if "allymap_key" in {cookie.name for cookie in client.cookies}:
        raise RuntimeError(f"locking failed: {locked.status} at {locked.path}")
    return seconds


def summary(seconds: list[float]) -> dict[str, float]:
    return {
        "median_s": round(harness.median(seconds), 3),
        "p90_s": round(harness.p90(seconds), 3),
        "min_s": round(min(seconds), 3),
    }


def run(options: harness.Options) -> None:
    runs = options.args.runs or (QUICK_RUNS if options.quick else RUNS)
    database = harness.Database("sqlite", sqlite3.sqlite_version)
    print(
        f"{BENCHMARK}: sqlite {database.version}, allymap serve (waitress, personal mode), "
        f"the real key profile, {runs} runs of each"
    )
    work_dir = Path(tempfile.mkdtemp(prefix="allymap-startup-"))
    first: list[float] = []
    later: list[float] = []
    unlocks: list[float] = []
    try:
        installed = work_dir / "installed"
        with serving.served(installed, work_dir, kdf_profile=None) as server:
            set_up(server)
        for attempt in range(runs):
            fresh = work_dir / f"fresh-{attempt}"
            first.append(time_start(fresh, work_dir, "/setup/"))
            shutil.rmtree(fresh, ignore_errors=True)
            later.append(time_start(installed, work_dir, "/unlock/"))
            with serving.served(installed, work_dir, kdf_profile=None) as server:
                unlocks.append(time_unlock(server))
            print(
                f"  run {attempt + 1}: first start {first[-1]:.2f} s, start {later[-1]:.2f} s, "
                f"unlock {unlocks[-1]:.2f} s"
            )
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)

    cases: list[tuple[str, list[float], bool]] = [
        ("first start to first page", first, harness.median(first) <= BUDGET_START_S),
        ("start to first page", later, harness.median(later) <= BUDGET_START_S),
        (
            "unlock (real key profile)",
            unlocks,
            UNLOCK_MIN_S <= harness.median(unlocks) <= UNLOCK_MAX_S,
        ),
    ]
    columns = (
        harness.Column("case", 27, "<"),
        harness.Column("median s", 8),
        harness.Column("p90 s", 6),
        harness.Column("min s", 6),
        harness.Column("budget", 10),
        harness.Column("", 4),
    )
    limits = (f"≤ {BUDGET_START_S:.0f} s", f"≤ {BUDGET_START_S:.0f} s", "0.2–1 s")
    print()
    harness.print_table(
        columns,
        [
            [
                label,
                f"{harness.median(values):.2f}",
                f"{harness.p90(values):.2f}",
                f"{min(values):.2f}",
                limit,
                "MET" if met else "OVER",
            ]
            for (label, values, met), limit in zip(cases, limits, strict=True)
        ],
    )
    print(
        "first start: an empty data folder (secret key made, database created and "
        "migrated); start: a set-up one. Both from starting the process to the first page "
        "received. unlock: the unlock form's POST to the page it leads to."
    )
    fields: dict[str, Any] = {
        "server": "allymap serve (waitress, personal mode)",
        "unlock_kdf_profile": "interactive (default)",
        "first_start": summary(first),
        "start": summary(later),
        "unlock": summary(unlocks),
        "budget": {
            "start_limit_s": BUDGET_START_S,
            "unlock_range_s": [UNLOCK_MIN_S, UNLOCK_MAX_S],
            "met": {label: met for label, _values, met in cases},
        },
    }
    line = harness.result_line(BENCHMARK, options, database, fields)
    line["kdf_profile"] = "interactive (default)"
    harness.record(BENCHMARK, line, options)


def main(argv: list[str] | None = None) -> int:
    harness.use_the_venv()
    options = harness.parse_options(
        argv,
        description="Time allymap serve from start to its first page, and an unlock with "
        "the real key profile.",
    )
    if options.database_url:
        raise SystemExit("bench/startup.py serves personal mode: SQLite only, no --database-url")
    run(options)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
