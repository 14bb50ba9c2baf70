"""The benchmark harness's pure pieces: statistics, timing order, the table, options, results.

Nothing here sets Django up, runs a benchmark or writes into the repository: results go
to pytest's temporary folder, and the one check that asks git about a path in the
repository only asks (the path is never created).
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


def _load_harness() -> ModuleType:
    # bench/ is a folder of scripts, not a package: load the module from its file, under
    # the name the scripts import it by, without putting bench/ on sys.path for every test.
    spec = importlib.util.spec_from_file_location("harness", ROOT / "bench" / "harness.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("harness", module)  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


harness = _load_harness()


# -- statistics --------------------------------------------------------------------------


def test_median_takes_the_middle_or_the_mean_of_the_middle_two() -> None:
    assert harness.median([3.0, 1.0, 2.0]) == 2.0
    assert harness.median([4.0, 1.0, 3.0, 2.0]) == 2.5


def test_p90_is_the_nearest_rank() -> None:
    fifteen = [float(n) for n in range(15, 0, -1)]
    assert harness.p90(fifteen) == 14.0  # the 14th fastest of 15
    assert harness.p90([5.0, 1.0, 4.0, 2.0, 3.0]) == 5.0  # of 5: the slowest
    assert harness.p90([float(n) for n in range(1, 11)]) == 9.0
    assert harness.p90([7.0]) == 7.0


@pytest.mark.parametrize("statistic", ["median", "p90"])
def test_statistics_refuse_no_values(statistic: str) -> None:
    with pytest.raises(ValueError, match="no values"):
        getattr(harness, statistic)([])


def test_samples_report_median_p90_and_fastest() -> None:
    samples = harness.Samples((5.0, 1.0, 3.0, 2.0, 4.0))
    assert (samples.median_ms, samples.p90_ms, samples.min_ms) == (3.0, 5.0, 1.0)


# -- timing ------------------------------------------------------------------------------


def test_cases_take_turns_and_warm_ups_are_not_counted() -> None:
    now = [0.0]
    calls: list[str] = []

    def case(name: str, seconds: float) -> Callable[[], None]:
        def run() -> None:
            calls.append(name)
            now[0] += seconds

        return run

    timed = harness.time_round_robin(
        [case("a", 0.001), case("b", 0.004)], runs=3, warmups=2, clock=lambda: now[0]
    )
    assert calls == ["a", "b"] * 5
    assert [len(samples.ms) for samples in timed] == [3, 3]
    assert timed[0].median_ms == pytest.approx(1.0)
    assert timed[1].median_ms == pytest.approx(4.0)


def test_timing_refuses_no_runs() -> None:
    with pytest.raises(ValueError):
        harness.time_round_robin([lambda: None], runs=0, warmups=1)


# -- the table ---------------------------------------------------------------------------


def test_table_lines_align_cells_under_a_rule_as_wide_as_the_header() -> None:
    columns = [harness.Column("case", 10, "<"), harness.Column("events", 7)]
    lines = harness.table_lines(columns, [["as built", "1,000"], ["x", ""]])
    assert lines == [
        "case        events",
        "-" * 18,
        "as built     1,000",
        "x                 ",
    ]


def test_table_refuses_a_row_of_the_wrong_length() -> None:
    with pytest.raises(ValueError, match="1 cells for 2 columns"):
        harness.table_lines([harness.Column("a", 3), harness.Column("b", 3)], [["only"]])


def test_print_table_prints_the_lines(capsys: pytest.CaptureFixture[str]) -> None:
    harness.print_table([harness.Column("n", 3)], [["1"], ["22"]])
    assert capsys.readouterr().out == "  n\n---\n  1\n 22\n"


# -- options and where results go -------------------------------------------------------


def test_options_default_to_the_full_run_recorded_outside_the_repository(
    tmp_path: Path,
) -> None:
    options = harness.parse_options(
        [], description="test", environ={harness.RESULTS_ENV: str(tmp_path)}
    )
    assert (options.quick, options.runs, options.warmups) == (False, 15, 2)
    assert options.record and options.database_url is None
    assert options.results_dir == tmp_path.resolve()


def test_quick_runs_fewer_times_and_runs_overrides_it(tmp_path: Path) -> None:
    environ = {harness.RESULTS_ENV: str(tmp_path)}
    quick = harness.parse_options(["--quick"], description="test", environ=environ)
    assert (quick.runs, quick.warmups) == (5, 1)
    seven = harness.parse_options(["--quick", "--runs", "7"], description="test", environ=environ)
    assert (seven.runs, seven.warmups) == (7, 1)


@pytest.mark.parametrize(
    "argv", [["--runs", "2"], ["--database-url", "sqlite:///db"], ["--unknown"]]
)
def test_bad_options_exit_with_a_usage_message(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        harness.parse_options(argv, description="test", environ={})
    assert exited.value.code == 2


def test_a_benchmark_adds_its_own_options(tmp_path: Path) -> None:
    options = harness.parse_options(
        ["--size", "3", "--database-url", "postgres://u@h:5432/db"],
        description="test",
        add_arguments=lambda parser: parser.add_argument("--size", type=int),
        environ={harness.RESULTS_ENV: str(tmp_path)},
    )
    assert options.args.size == 3
    assert options.database_url == "postgres://u@h:5432/db"


def test_results_dir_prefers_the_option_then_the_variable(tmp_path: Path) -> None:
    option, variable = tmp_path / "option", tmp_path / "variable"
    environ = {harness.RESULTS_ENV: str(variable)}
    assert harness.results_dir(option, environ) == option.resolve()
    assert harness.results_dir(None, environ) == variable.resolve()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG_STATE_HOME is Linux's")
def test_results_dir_defaults_to_the_state_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    default = harness.results_dir(None, {})
    assert default == (tmp_path / "allymap-bench").resolve()
    assert not default.is_relative_to(ROOT)
    assert not default.exists()  # created only when a line is recorded


# -- recording ---------------------------------------------------------------------------


def _options(tmp_path: Path, *argv: str) -> Any:
    return harness.parse_options(
        list(argv), description="test", environ={harness.RESULTS_ENV: str(tmp_path / "out")}
    )


def test_record_appends_one_json_line_per_run_and_says_where(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    options = _options(tmp_path, "--quick")
    database = harness.Database(vendor="sqlite", version="3.40.1")
    line = harness.result_line("example", options, database, {"figures": [{"ms": 1.5}]})
    assert line["benchmark"] == "example" and line["quick"] is True and line["runs"] == 5
    assert line["db_vendor"] == "sqlite" and line["figures"] == [{"ms": 1.5}]

    first = harness.record("example", line, options)
    second = harness.record("example", line | {"runs": 6}, options)
    assert first == second == tmp_path / "out" / "example.jsonl"
    written = [json.loads(text) for text in first.read_text("utf-8").splitlines()]
    assert [entry["runs"] for entry in written] == [5, 6]
    assert f"recorded in {first}" in capsys.readouterr().out


def test_no_record_writes_nothing(tmp_path: Path) -> None:
    options = _options(tmp_path, "--no-record")
    assert harness.record("example", {"benchmark": "example"}, options) is None
    assert not (tmp_path / "out").exists()


def test_result_fields_may_not_repeat_the_common_ones(tmp_path: Path) -> None:
    database = harness.Database(vendor="postgresql", version="PostgreSQL 15.2 on x86_64")
    assert database.short_version == "PostgreSQL 15.2"
    with pytest.raises(ValueError, match="runs"):
        harness.result_line("example", _options(tmp_path), database, {"runs": 1})


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_it_knows_which_results_paths_would_change_the_work_tree(tmp_path: Path) -> None:
    # Only asks git: none of these paths is created.
    assert not harness._changes_the_work_tree(tmp_path / "example.jsonl")
    assert not harness._changes_the_work_tree(ROOT / "bench" / "results" / "new.jsonl")
    assert harness._changes_the_work_tree(ROOT / "bench" / "new-results.jsonl")
