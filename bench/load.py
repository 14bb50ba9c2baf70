"""Benchmark: a real `allymap serve` under 50 concurrent clients on 127.0.0.1.

Budget (issue 10): each page answers at least 20 % of the requests per second that
``/healthz`` answers in the same run, with a p95 of at most 150 ms and no error.

What it does, from the repository root:

    .venv/bin/python bench/load.py            # 10 s per page (about a minute and a half)
    .venv/bin/python bench/load.py --quick    # 3 s per page, a smaller history
    make bench-deps                           # installs wrk (Debian's), which it drives

1. Makes a throwaway installation with the harness (a temporary data folder, SQLite with
   personal mode's settings, the cheap key profile) and builds in it, through the real
   services, the intervention of bench/pages.py: 60 people, a team of 4, and a history
   of 1,999 events (999 with --quick), one short of the next snapshot, so that an open
   afresh replays the 199 events since the last one (the most a normal open replays),
   and every request checks them against the opening kept in memory (services/kept.py).
2. Starts ``python -m allymap serve`` on that data folder (waitress, personal mode, its
   default threads) on a free port of 127.0.0.1, and unlocks it through the unlock form
   like a person, with a plain HTTP client (tests/canary/client.py).
3. Checks that each URL answers 200 to that session, then drives it with wrk: 50
   connections (``--clients``) for 10 s (``--duration``; 3 with --quick), stopping early
   after ``--max-requests`` answers, each request waiting at most 5 s. In turn:
   ``/healthz`` (no session, no database: the server's own ceiling), the intervention's
   overview, a person's summary (the person with the longest history), the side-by-side
   chart with 8 people chosen, then ``/healthz`` again. Every request carries the
   session's cookies, as a browser's do.
4. Prints per URL: requests, requests per second, p50, p95 and p99 latency (wrk's own
   histogram), errors (failed connections, reads, writes, timeouts and any answer other
   than 200), and the ratio of its requests per second to ``/healthz``'s (the mean of
   its two runs), with MET/OVER against the budget; then appends one JSON line to
   ``load.jsonl`` in the results folder (see bench/README.md). It always exits 0.

Without wrk it says how to install it and records nothing.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import shutil
import subprocess
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import harness
import pages
import serving
from open_intervention import latest_snapshot_seq

BENCHMARK = "load"

#: Issue 10's budget per page, against /healthz measured in the same run.
BUDGET_RATIO = 0.20
BUDGET_P95_MS = 150.0

CLIENTS = 50
DURATION_S, QUICK_DURATION_S = 10, 3
MAX_REQUESTS = 200_000
TIMEOUT_S = 5
#: wrk's own threads: it shares the machine with the server, so few.
WRK_THREADS = 2
#: The history: one short of a multiple of the snapshot interval, so an open afresh
#: replays 199 events, and every request reads them to check the kept opening.
FULL_EVENTS, QUICK_EVENTS = 1_999, 999
#: A throwaway passphrase for a throwaway account (the cheap key profile).
PASSPHRASE = "load benchmark passphrase only"  # noqa: S105 (a throwaway account)
HEALTHZ = "/healthz"

#: wrk's script (Lua): stop a thread after its share of the answers, count the answers
#: that are not 200 (wrk itself counts only 4xx and 5xx), and print the figures as JSON.
WRK_SCRIPT = """
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  limit = tonumber(args[1]) or 0
  answers = 0
  unexpected = 0
end

function response(status, headers, body)
  answers = answers + 1
  if status ~= 200 then unexpected = unexpected + 1 end
  if limit > 0 and answers >= limit then wrk.thread:stop() end
end

function done(summary, latency, requests)
  local not200 = 0
  for _, thread in ipairs(threads) do not200 = not200 + (thread:get("unexpected") or 0) end
  local e = summary.errors
  io.write(string.format(
    'ALLYMAP-WRK {"requests": %d, "duration_us": %d, "connect": %d, "read": %d, ' ..
    '"write": %d, "timeout": %d, "status": %d, "not_200": %d, "p50_us": %d, ' ..
    '"p95_us": %d, "p99_us": %d, "max_us": %d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.timeout, e.status,
    not200, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max))
end
"""


@dataclass
class Figures:
    """One URL under load."""

    name: str
    requests: int = 0
    seconds: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    errors: int = 0
    #: Requests per second over /healthz's in the same run (None for /healthz itself).
    ratio: float | None = None
    #: The run stopped at --max-requests before its time was up. wrk still reports the
    #: whole duration, so its requests per second are then understated.
    bounded: bool = False

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def ratio_met(self) -> bool | None:
        return None if self.ratio is None else self.ratio >= BUDGET_RATIO

    @property
    def p95_met(self) -> bool:
        return self.p95_ms <= BUDGET_P95_MS

    @property
    def errors_met(self) -> bool:
        return self.errors == 0


def figures_from_wrk(name: str, output: str) -> Figures:
    """The figures of one wrk run, from the line the script prints. Raises ValueError
    when there is none (wrk failed before it finished)."""
    for line in output.splitlines():
        if line.startswith("ALLYMAP-WRK "):
            data = json.loads(line.removeprefix("ALLYMAP-WRK "))
            break
    else:
        raise ValueError(f"wrk printed no figures:\n{output}")
    errors = sum(data[key] for key in ("connect", "read", "write", "timeout"))
    # wrk's `status` (4xx/5xx) is part of the script's `not_200`.
    errors += max(data["not_200"], data["status"])
    return Figures(
        name=name,
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1000,
        p95_ms=data["p95_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        max_ms=data["max_us"] / 1000,
        errors=errors,
    )


def with_ratios(runs: list[Figures]) -> tuple[list[Figures], float]:
    """Each page with its ratio to /healthz: the mean requests per second of the
    /healthz runs (before and after the pages, so a machine that got busier or quieter
    during the run falls on both sides). Returns (pages, that mean)."""
    health = [run.per_second for run in runs if run.name == HEALTHZ]
    if not health:
        raise ValueError("no /healthz run to compare with")
    reference = sum(health) / len(health)
    measured = [run for run in runs if run.name != HEALTHZ]
    for run in measured:
        run.ratio = run.per_second / reference if reference else 0.0
    return measured, reference


def _verdict(met: bool | None) -> str:
    return "-" if met is None else ("MET" if met else "OVER")


COLUMNS = (
    harness.Column("url", 22, "<"),
    harness.Column("requests", 8),
    harness.Column("req/s", 8),
    harness.Column("p50 ms", 7),
    harness.Column("p95 ms", 7),
    harness.Column("p99 ms", 7),
    harness.Column("errors", 6),
    harness.Column("× healthz", 9),
    harness.Column("ratio", 5),
    harness.Column("p95", 4),
    harness.Column("no error", 8),
)


def table_row(run: Figures) -> list[str]:
    return [
        run.name,
        f"{run.requests:,}",
        f"{run.per_second:,.0f}" + ("*" if run.bounded else ""),
        f"{run.p50_ms:.1f}",
        f"{run.p95_ms:.1f}",
        f"{run.p99_ms:.1f}",
        f"{run.errors:,}",
        "-" if run.ratio is None else f"{run.ratio:.1%}",
        _verdict(run.ratio_met),
        "-" if run.name == HEALTHZ else _verdict(run.p95_met),
        "-" if run.name == HEALTHZ else _verdict(run.errors_met),
    ]


def budget(measured: list[Figures], runs: list[Figures]) -> dict[str, Any]:
    return {
        "min_ratio": BUDGET_RATIO,
        "max_p95_ms": BUDGET_P95_MS,
        "ratio_under": [run.name for run in measured if not run.ratio_met],
        "p95_over": [run.name for run in measured if not run.p95_met],
        "errors": [run.name for run in runs if not run.errors_met],
        "met": all(run.ratio_met and run.p95_met for run in measured)
        and all(run.errors_met for run in runs),
    }


# -- running -----------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--clients", type=int, default=CLIENTS, help=f"connections at once (default {CLIENTS})"
    )
    parser.add_argument(
        "--duration",
        type=int,
        metavar="SECONDS",
        help=f"seconds per URL (default {DURATION_S}; with --quick {QUICK_DURATION_S})",
    )
    parser.add_argument(
        "--max-requests",
        type=int,
        default=MAX_REQUESTS,
        metavar="N",
        help=f"stop a URL's run after about N answers (default {MAX_REQUESTS:,})",
    )


def drain(client: Any) -> float:
    """Wait until the server has answered what the last run left queued: one request to
    /healthz waits behind all of it (waitress serves its queue in order). Returns the
    seconds it took, so that no run starts with the last one's backlog."""
    started = time.perf_counter()
    page = client.get(HEALTHZ)
    if page.status != 200:
        raise RuntimeError(f"/healthz answered {page.status}")
    return time.perf_counter() - started


def per_run_bound(options: harness.Options) -> int:
    """The answers after which a run stops: --max-requests, shared among wrk's threads."""
    threads = min(WRK_THREADS, options.args.clients)
    return max(1, options.args.max_requests // threads) * threads


def drive(wrk: str, script: Path, url: str, cookie: str, options: harness.Options) -> str:
    """One wrk run against `url`; its output (stdout and stderr)."""
    args = options.args
    duration = args.duration or (QUICK_DURATION_S if options.quick else DURATION_S)
    threads = min(WRK_THREADS, args.clients)
    per_thread = per_run_bound(options) // threads
    command = [
        wrk,
        "--threads", str(threads),
        "--connections", str(args.clients),
        "--duration", f"{duration}s",
        "--timeout", f"{TIMEOUT_S}s",
        "--latency",
        "--script", str(script),
        "--header", f"Cookie: {cookie}",
        url,
        "--", str(per_thread),
    ]  # fmt: skip
    # wrk from PATH with fixed arguments and a URL of our own server.
    done = subprocess.run(  # noqa: S603
        command, capture_output=True, text=True, timeout=duration + 60, check=False
    )
    return done.stdout + done.stderr


def run(options: harness.Options, database: harness.Database, wrk: str) -> None:
    from django.conf import settings
    from django.db import connections
    from django.urls import reverse

    from allymap.services import accounts

    every: int = settings.ALLYMAP_SNAPSHOT_EVERY
    size = QUICK_EVENTS + 1 if options.quick else FULL_EVENTS + 1
    events = max(every, size // every * every) - 1
    args = options.args
    duration = args.duration or (QUICK_DURATION_S if options.quick else DURATION_S)
    # Not harness.print_banner: runs and warm-ups mean nothing here.
    print(
        f"{BENCHMARK}: {database.vendor} {database.short_version}, Python "
        f"{platform.python_version()}, {events:,} events, {pages.PEOPLE} people, a team of "
        f"{pages.TEAM_MEMBERS}, {args.clients} clients for {duration} s per URL (wrk)"
    )
    unlocked, _recovery = accounts.account_create(passphrase=PASSPHRASE)
    rng = random.Random(20261126)
    print(f"building {events:,} events…", end=" ", flush=True)
    built = pages.build(unlocked.keyring, events, rng)
    print(f"{built.seconds:.1f} s ({built.mix.describe()})")
    ids = {"intervention_id": built.intervention_id}
    chosen = urlencode([("p", person_id) for person_id in built.chosen])
    paths = {
        HEALTHZ: HEALTHZ,
        "overview": reverse("intervention", kwargs=ids),
        "person": reverse("person", kwargs=ids | {"person_id": built.person_id}),
        f"compare ({len(built.chosen)} chosen)": f"{reverse('compare', kwargs=ids)}?{chosen}",
    }
    replayed = built.events - (latest_snapshot_seq(built.intervention_id) or 0)
    # The server opens the database itself: ours lets go of it first.
    connections.close_all()

    data_dir = Path(settings.DATA_DIR)
    work_dir = Path(tempfile.mkdtemp(prefix="allymap-load-"))
    try:
        script = work_dir / "allymap.lua"
        script.write_text(WRK_SCRIPT, encoding="utf-8")
        with serving.served(data_dir, work_dir, kdf_profile="test") as server:
            client = serving.form_client(server.url)
            serving.unlock(client, PASSPHRASE)
            cookie = serving.session_cookie_header(client)
            for name, path in paths.items():
                page = client.get(path)
                if page.status != 200 or page.path != path.split("?")[0]:
                    raise RuntimeError(f"{name} answered {page.status} at {page.path}")
            order = [*paths, HEALTHZ]
            runs: list[Figures] = []
            for name in order:
                print(f"  {name}…", end=" ", flush=True)
                output = drive(wrk, script, server.url.rstrip("/") + paths[name], cookie, options)
                runs.append(figures_from_wrk(name, output))
                runs[-1].bounded = runs[-1].requests >= per_run_bound(options)
                # Requests still queued when wrk stopped are answered to nobody: wait for
                # them, so they do not slow the next URL's run.
                waited = drain(client)
                print(f"{runs[-1].per_second:,.0f} req/s (then {waited:.1f} s to drain)")
            tracebacks = server.tracebacks()
            log_tail = server.log()[-3000:] if tracebacks else ""
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)

    measured, reference = with_ratios(runs)
    print()
    print(
        f"{args.clients} connections at once on 127.0.0.1, {duration} s per URL, each "
        f"request waiting at most {TIMEOUT_S} s; every page opens the {events:,}-event "
        f"intervention, kept in memory from the request before (services/kept.py) and "
        f"checked against the {replayed} events after its snapshot. × healthz: requests "
        f"per second over /healthz's ({reference:,.0f}, the mean of its two runs)."
    )
    harness.print_table(COLUMNS, [table_row(run) for run in runs])
    if any(run.bounded for run in runs):
        print(
            f"* stopped at --max-requests ({per_run_bound(options):,}) before its time was "
            "up: wrk counts the whole duration, so its requests per second are understated. "
            "Raise --max-requests or shorten --duration."
        )
    judged = budget(measured, runs)
    print()
    print(
        f"Budget (issue 10): each page ≥ {BUDGET_RATIO:.0%} of /healthz's requests per "
        f"second, p95 ≤ {BUDGET_P95_MS:.0f} ms, no error: "
        + ("MET" if judged["met"] else "NOT MET")
    )
    for key, what in (
        ("ratio_under", "under the ratio"),
        ("p95_over", "p95 over"),
        ("errors", "with errors"),
    ):
        if judged[key]:
            print(f"  {what}: {', '.join(judged[key])}")
    if tracebacks:
        print(f"the server logged {tracebacks} traceback(s); the end of its log:\n{log_tail}")

    line = harness.result_line(
        BENCHMARK,
        options,
        database,
        {
            "server": "allymap serve (waitress, personal mode)",
            "clients": args.clients,
            "duration_s": duration,
            "wrk_threads": min(WRK_THREADS, args.clients),
            "build": {
                "events": built.events,
                "people": built.people,
                "team_members": pages.TEAM_MEMBERS,
                "seconds": round(built.seconds, 2),
                "mix": asdict(built.mix),
            },
            "replayed": replayed,
            "healthz_per_second": round(reference, 1),
            "figures": [
                {
                    key: round(value, 3) if isinstance(value, float) else value
                    for key, value in asdict(run).items()
                }
                | {"per_second": round(run.per_second, 1)}
                for run in runs
            ],
            "server_tracebacks": tracebacks,
            "budget": judged,
        },
    )
    harness.record(BENCHMARK, line, options)


def main(argv: list[str] | None = None) -> int:
    harness.use_the_venv()
    options = harness.parse_options(
        argv,
        description="Drive a real allymap serve with 50 concurrent clients: requests per "
        "second and latency of /healthz and three pages.",
        add_arguments=add_arguments,
    )
    if options.database_url:
        raise SystemExit("bench/load.py serves personal mode: SQLite only, no --database-url")
    wrk = shutil.which("wrk")
    if wrk is None:
        print(
            "load: wrk is not installed, so nothing was measured. Install it with "
            "`make bench-deps` (Debian's wrk: sudo apt-get install -y wrk)."
        )
        return 0
    with harness.scratch_installation(options) as database:
        run(options, database, wrk)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
