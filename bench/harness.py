"""What every benchmark in bench/ shares: options, a scratch installation, timing, output.

A benchmark is a script in bench/ that builds its data through the real services and
times something. Everything around that lives here, so that all benchmarks take the same
options, measure the same way and record the same kind of line:

    import harness

    def main(argv: list[str] | None = None) -> int:
        harness.use_the_venv()
        options = harness.parse_options(argv, description="Time something.")
        with harness.scratch_installation(options) as database:
            ...  # import allymap here: Django is set up now
            samples = harness.time_round_robin(
                [case_a, case_b], runs=options.runs, warmups=options.warmups
            )
            harness.print_table(COLUMNS, rows)
            line = harness.result_line("something", options, database, {...})
            harness.record("something", line, options)
        return 0

Contracts:

- Importing this module imports only the standard library and starts nothing, so a
  script can import it before `use_the_venv()` has made sure Django is at hand, and the
  test suite can import it (tests/bench/) without touching Django or the environment.
- Options (`parse_options`): ``--quick``, ``--runs N`` (at least 3), ``--database-url URL``
  (PostgreSQL only), ``--no-record`` and ``--results-dir DIR``; a benchmark adds its own
  through ``add_arguments``.
- The installation (`scratch_installation`) is thrown away afterwards: a temporary data
  folder with SQLite in personal-mode settings, or a scratch PostgreSQL database next to
  ``--database-url``, dropped on the way out. It sets up Django once per process.
- Results (`record`) are appended outside the repository by default (`results_dir`), so
  running a benchmark never changes the work tree.

The scratch PostgreSQL database comes from the test suite's own helper,
`tests.server.fresh_postgres_database`: one implementation of "create a uniquely named
database on the server of this URL, drop it afterwards" for the tests' servers and for the
benchmarks. It stays with the tests because the tests are what must keep working and are
run on every change; they import nothing from bench/. The benchmarks reach it by putting
the repository root on sys.path, and only when ``--database-url`` is given, so a SQLite
run imports nothing from tests/.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parent.parent

#: Where results go when neither --results-dir nor this variable says otherwise: the
#: user's state folder (see `results_dir`).
RESULTS_ENV = "ALLYMAP_BENCH_RESULTS"

#: Timed runs and warm-ups per case: the defaults, and with --quick.
RUNS, QUICK_RUNS = 15, 5
WARMUPS, QUICK_WARMUPS = 2, 1
#: Fewer runs than this make the median and p90 meaningless.
MIN_RUNS = 3
#: What --database-url may start with (libpq's two spellings).
POSTGRES_SCHEMES = ("postgres", "postgresql")


# -- options -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    """The options every benchmark takes, resolved (defaults applied, checked).

    `args` is the whole parsed namespace, for the benchmark's own arguments.
    """

    quick: bool
    runs: int
    warmups: int
    database_url: str | None
    record: bool
    results_dir: Path
    args: argparse.Namespace


def parse_options(
    argv: Sequence[str] | None,
    *,
    description: str,
    add_arguments: Callable[[argparse.ArgumentParser], None] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Options:
    """Parse the command line (`argv`, or sys.argv when None) into `Options`.

    Exits with a usage message (status 2) on a bad option, like any argparse program.
    `environ` (default os.environ) is read for ALLYMAP_BENCH_RESULTS.
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"a smaller run: fewer cases and {QUICK_RUNS} runs after {QUICK_WARMUPS} warm-up",
    )
    parser.add_argument(
        "--runs",
        type=int,
        metavar="N",
        help=f"timed runs per case (default {RUNS}; with --quick {QUICK_RUNS})",
    )
    parser.add_argument(
        "--database-url",
        metavar="URL",
        help="a PostgreSQL server to run on (a scratch database is created there and "
        "dropped afterwards); default: a temporary SQLite database",
    )
    parser.add_argument(
        "--no-record", action="store_true", help="do not append the result line anywhere"
    )
    parser.add_argument(
        "--results-dir",
        metavar="DIR",
        type=Path,
        help=f"where result lines are appended (default: ${RESULTS_ENV}, or "
        "~/.local/state/allymap-bench on Linux)",
    )
    if add_arguments is not None:
        add_arguments(parser)
    args = parser.parse_args(argv)
    if args.runs is not None and args.runs < MIN_RUNS:
        parser.error(f"--runs must be at least {MIN_RUNS}")
    # Only PostgreSQL: personal mode's SQLite is what runs without the option.
    if args.database_url and urlsplit(args.database_url).scheme not in POSTGRES_SCHEMES:
        parser.error("--database-url must be a postgres:// or postgresql:// URL")
    return Options(
        quick=bool(args.quick),
        runs=args.runs or (QUICK_RUNS if args.quick else RUNS),
        warmups=QUICK_WARMUPS if args.quick else WARMUPS,
        database_url=args.database_url or None,
        record=not args.no_record,
        results_dir=results_dir(args.results_dir, os.environ if environ is None else environ),
        args=args,
    )


def results_dir(override: Path | None, environ: Mapping[str, str]) -> Path:
    """Where result lines go: `override` (--results-dir), else $ALLYMAP_BENCH_RESULTS, else
    the user's state folder for "allymap-bench" (on Linux $XDG_STATE_HOME/allymap-bench,
    by default ~/.local/state/allymap-bench).

    Never the repository by default: a benchmark run must leave the work tree as it was.
    The folder is not created here (only when a line is recorded). Relative paths are
    taken from the current folder; the result is absolute.
    """
    if override is not None:
        return override.expanduser().resolve()
    if configured := environ.get(RESULTS_ENV):
        return Path(configured).expanduser().resolve()
    # platformdirs (one of allymap's own dependencies) knows each system's state folder;
    # "allymap-bench", not "allymap", because on macOS and Windows the state folder is the
    # data folder, and a benchmark has nothing to put beside someone's real data.
    import platformdirs

    return Path(platformdirs.user_state_dir("allymap-bench", False)).resolve()


def use_the_venv() -> None:
    """Run under the project's .venv when started by a Python that lacks allymap's needs.

    Returns when Django can be imported; otherwise starts the same command again under
    .venv/bin/python (never returns), or exits saying how to create .venv.
    """
    if importlib.util.find_spec("django") is not None:
        return
    venv = REPO_ROOT / ".venv"
    venv_python = venv / "bin" / "python"
    if venv_python.exists() and Path(sys.prefix).resolve() != venv.resolve():
        # Our own interpreter with our own arguments: nothing from outside is run.
        os.execv(venv_python, [str(venv_python), *sys.argv])  # noqa: S606
    raise SystemExit("Django is not installed here: run `make run` once to create .venv.")


# -- the scratch installation ------------------------------------------------------------


@dataclass(frozen=True)
class Database:
    """The database a benchmark ran on, as recorded with its results."""

    vendor: str
    version: str

    @property
    def short_version(self) -> str:
        """The version without PostgreSQL's "on x86_64-pc-linux-gnu, compiled by …"."""
        return self.version.split(" on ")[0]


@contextmanager
def scratch_installation(options: Options) -> Iterator[Database]:
    """A throwaway allymap installation, with Django set up and migrated, for one run.

    A temporary data folder (ALLYMAP_DATA_DIR) holds the secret key and, without
    --database-url, the SQLite database with personal mode's settings (WAL,
    synchronous=FULL, secure_delete). With --database-url, a scratch database
    ``allymap_bench_<random>`` on that PostgreSQL server instead: personal mode allows one
    account per database, so a benchmark cannot share one. Both are removed on the way
    out, whatever happened. Call it once per process: Django is set up only once.
    """
    data_dir = Path(tempfile.mkdtemp(prefix="allymap-bench-"))
    try:
        with ExitStack() as stack:
            database_url = None
            if options.database_url:
                database_url = stack.enter_context(_scratch_postgres(options.database_url))
            start_django(data_dir, database_url)
            # Unwinds first: our connections are closed before the database is dropped, so
            # the drop does not have to end a session this process still holds.
            stack.callback(_close_connections)
            yield database_description()
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


@contextmanager
def _scratch_postgres(base_url: str) -> Iterator[str]:
    """The tests' scratch-database helper (see the module docstring), named for bench."""
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    from tests.server import fresh_postgres_database

    with fresh_postgres_database(base_url, prefix="allymap_bench") as url:
        yield url


def start_django(data_dir: Path, database_url: str | None) -> None:
    """Point allymap at `data_dir` and `database_url` (None: SQLite in `data_dir`), with
    the cheap Argon2id profile; set Django up and run the migrations.

    Changes os.environ for the rest of the process; Django reads it once, here.
    """
    os.environ["ALLYMAP_KDF_PROFILE"] = "test"  # unlocking is not what is measured
    os.environ["ALLYMAP_DATA_DIR"] = str(data_dir)
    os.environ["ALLYMAP_DEBUG"] = "false"  # DEBUG would keep every query in memory
    os.environ["DJANGO_SETTINGS_MODULE"] = "allymap.settings"
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    # The checkout's allymap, even if another one is installed.
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)


def _close_connections() -> None:
    from django.db import connections

    connections.close_all()


def database_description() -> Database:
    """The vendor and version of the database Django is connected to."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
        else:
            cursor.execute("select version()")
        row = cursor.fetchone()
    return Database(vendor=connection.vendor, version=str(row[0]) if row else "")


def newest_seq(intervention_id: str) -> int:
    """The seq of an intervention's newest stored event, 0 for none (the write services
    return nothing, so a benchmark that must know how long a log is asks the store)."""
    from allymap.store.models import Event

    newest = (
        Event.objects.filter(intervention_id=intervention_id)
        .order_by("-seq")
        .values_list("seq", flat=True)
        .first()
    )
    return newest or 0


def print_banner(benchmark: str, options: Options, database: Database, *details: str) -> None:
    """The first line of a run: what it runs on, `details`, and how it times."""
    parts = [
        f"{database.vendor} {database.short_version}",
        f"Python {platform.python_version()}",
        *details,
        f"{options.runs} runs after {options.warmups} warm-up(s)",
    ]
    print(f"{benchmark}: {', '.join(parts)}")


# -- timing ------------------------------------------------------------------------------


def median(values: Sequence[float]) -> float:
    """The median (the mean of the middle two for an even count). Raises on no values."""
    if not values:
        raise ValueError("no values")
    return statistics.median(values)


def p90(values: Sequence[float]) -> float:
    """The 90th percentile by nearest rank: with 15 runs the 14th fastest, with 5 the
    slowest. Always one of `values`. Raises on no values."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    return ordered[math.ceil(0.9 * len(ordered)) - 1]


@dataclass(frozen=True)
class Samples:
    """The timed runs of one case, in milliseconds, in the order they were taken."""

    ms: tuple[float, ...]

    @property
    def median_ms(self) -> float:
        return median(self.ms)

    @property
    def p90_ms(self) -> float:
        return p90(self.ms)

    @property
    def min_ms(self) -> float:
        return min(self.ms)


def time_round_robin(
    cases: Sequence[Callable[[], object]],
    *,
    runs: int,
    warmups: int,
    clock: Callable[[], float] = time.perf_counter,
) -> list[Samples]:
    """Call every case `warmups` times untimed, then `runs` times timed; one `Samples` per
    case, in the order of `cases`.

    The cases take turns, round by round (a, b, c, a, b, c, …), so background load falls
    on all of them alike and the ratios between them hold even on a busy machine. Garbage
    is collected before each call, so one case's garbage is not collected in another's
    time. A case checks its own result and raises if it is wrong; nothing is caught.
    """
    if runs < 1 or warmups < 0:
        raise ValueError(f"runs must be at least 1 and warmups at least 0, not {runs}, {warmups}")
    samples: list[list[float]] = [[] for _ in cases]
    for attempt in range(warmups + runs):
        for case, case_samples in zip(cases, samples, strict=True):
            gc.collect()
            started = clock()
            case()
            elapsed_ms = (clock() - started) * 1000
            if attempt >= warmups:
                case_samples.append(elapsed_ms)
    return [Samples(tuple(case_samples)) for case_samples in samples]


# -- the table ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column of a printed table: its title, width and alignment ("<" left, ">" right)."""

    title: str
    width: int
    align: Literal["<", ">"] = ">"


def table_lines(columns: Sequence[Column], rows: Iterable[Sequence[str]]) -> list[str]:
    """A header, a rule as wide as the header, then one line per row.

    Cells are already formatted strings (the caller chooses digits and separators), one
    per column; a cell wider than its column pushes the rest of its line to the right.
    """
    rows = list(rows)
    for row in rows:
        if len(row) != len(columns):
            raise ValueError(f"a row has {len(row)} cells for {len(columns)} columns: {row!r}")

    def line(cells: Sequence[str]) -> str:
        return " ".join(
            f"{cell:{column.align}{column.width}}"
            for column, cell in zip(columns, cells, strict=True)
        )

    header = line([column.title for column in columns])
    return [header, "-" * len(header), *(line(row) for row in rows)]


def print_table(columns: Sequence[Column], rows: Iterable[Sequence[str]]) -> None:
    """Print `table_lines(columns, rows)`."""
    for text in table_lines(columns, rows):
        print(text)


# -- recording ---------------------------------------------------------------------------


def git_commit() -> tuple[str | None, bool | None]:
    """The checked-out commit and whether tracked files have changes, if git is at hand."""
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


def result_line(
    benchmark: str, options: Options, database: Database, fields: Mapping[str, Any]
) -> dict[str, Any]:
    """One result line: what every benchmark records about the run, then `fields`.

    Common keys: benchmark, date (UTC), git_commit, git_dirty, python, platform, cpus,
    db_vendor, db_version, kdf_profile, quick, runs, warmups. `fields` may not repeat them.
    """
    commit, dirty = git_commit()
    common: dict[str, Any] = {
        "benchmark": benchmark,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "git_commit": commit,
        "git_dirty": dirty,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "db_vendor": database.vendor,
        "db_version": database.version,
        "kdf_profile": "test",
        "quick": options.quick,
        "runs": options.runs,
        "warmups": options.warmups,
    }
    if clash := sorted(common.keys() & fields.keys()):
        raise ValueError(f"fields repeat common keys: {clash}")
    return common | dict(fields)


def results_file(benchmark: str, options: Options) -> Path:
    """The file `benchmark`'s lines are appended to: ``<results dir>/<benchmark>.jsonl``."""
    return options.results_dir / f"{benchmark}.jsonl"


def append_line(path: Path, line: Mapping[str, Any]) -> None:
    """Append `line` to `path` as one JSON object on one line, creating folders as needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        out.write(json.dumps(line, ensure_ascii=False) + "\n")


def record(benchmark: str, line: Mapping[str, Any], options: Options) -> Path | None:
    """Append `line` to the benchmark's results file and say where; None with --no-record.

    Warns when the file is in the repository and git does not ignore it: that run has
    changed the work tree (only possible with an explicit --results-dir or
    ALLYMAP_BENCH_RESULTS pointing there).
    """
    if not options.record:
        return None
    path = results_file(benchmark, options)
    append_line(path, line)
    print(f"\nrecorded in {path}")
    if _changes_the_work_tree(path):
        print(f"note: {path} is in the repository and not ignored by git")
    return path


def _changes_the_work_tree(path: Path) -> bool:
    if not path.resolve().is_relative_to(REPO_ROOT):
        return False
    git = shutil.which("git")
    if git is None:
        return False
    # Exit status 0: ignored; 1: not ignored (tracked files count as not ignored).
    done = subprocess.run(  # noqa: S603
        [git, "check-ignore", "--quiet", str(path)], cwd=REPO_ROOT, check=False
    )
    return done.returncode == 1
