"""The load and start-up benchmarks' pure pieces: wrk's figures read back, the ratios to
/healthz, the verdicts and the table.

Nothing here starts a server or wrk (that is what running bench/load.py does).
"""

from __future__ import annotations

import json

from tests.bench.test_pages import _load

_load("serving")
load = _load("load")
startup = _load("startup")


def _wrk_output(**figures: int) -> str:
    data = {
        "requests": 1000,
        "duration_us": 10_000_000,
        "connect": 0,
        "read": 0,
        "write": 0,
        "timeout": 0,
        "status": 0,
        "not_200": 0,
        "p50_us": 20_000,
        "p95_us": 90_000,
        "p99_us": 140_000,
        "max_us": 200_000,
    } | figures
    return f"Running 10s test\n  2 threads and 50 connections\nALLYMAP-WRK {json.dumps(data)}\n"


def test_it_reads_the_figures_the_script_prints() -> None:
    run = load.figures_from_wrk("overview", _wrk_output())
    assert run.requests == 1000 and run.seconds == 10.0 and run.per_second == 100.0
    assert (run.p50_ms, run.p95_ms, run.p99_ms, run.max_ms) == (20.0, 90.0, 140.0, 200.0)
    assert run.errors == 0


def test_every_kind_of_failure_is_an_error_and_a_4xx_is_not_counted_twice() -> None:
    run = load.figures_from_wrk(
        "person", _wrk_output(connect=1, read=2, write=3, timeout=4, status=5, not_200=7)
    )
    # wrk's `status` (4xx and 5xx) is part of the script's `not_200` (anything but 200).
    assert run.errors == 1 + 2 + 3 + 4 + 7
    assert load.figures_from_wrk("person", _wrk_output(status=5)).errors == 5


def test_a_run_without_figures_is_a_failure_not_a_zero() -> None:
    try:
        load.figures_from_wrk("overview", "unable to connect to 127.0.0.1:1 Connection refused")
    except ValueError as error:
        assert "no figures" in str(error)
    else:
        raise AssertionError("expected ValueError")


def test_each_page_is_compared_with_the_mean_of_the_healthz_runs() -> None:
    runs = [
        load.figures_from_wrk(load.HEALTHZ, _wrk_output(requests=30_000)),
        load.figures_from_wrk("overview", _wrk_output(requests=5_000)),
        load.figures_from_wrk("person", _wrk_output(requests=6_000, p95_us=150_001)),
        load.figures_from_wrk(load.HEALTHZ, _wrk_output(requests=20_000)),
    ]
    measured, reference = load.with_ratios(runs)
    assert reference == 2_500.0
    assert [run.name for run in measured] == ["overview", "person"]
    assert [run.ratio for run in measured] == [0.2, 0.24]
    judged = load.budget(measured, runs)
    assert judged["ratio_under"] == [] and judged["p95_over"] == ["person"]
    assert judged["met"] is False


def test_an_error_anywhere_fails_the_budget() -> None:
    runs = [
        load.figures_from_wrk(load.HEALTHZ, _wrk_output(requests=10_000, timeout=1)),
        load.figures_from_wrk("overview", _wrk_output(requests=5_000)),
    ]
    measured, _reference = load.with_ratios(runs)
    judged = load.budget(measured, runs)
    assert judged["errors"] == [load.HEALTHZ] and judged["met"] is False


def test_every_row_fills_every_column() -> None:
    for name in (load.HEALTHZ, "overview"):
        run = load.figures_from_wrk(name, _wrk_output())
        run.ratio = None if name == load.HEALTHZ else 0.5
        assert len(load.table_row(run)) == len(load.COLUMNS)


def test_the_start_up_summary_is_median_p90_and_min() -> None:
    assert startup.summary([1.0, 3.0, 2.0]) == {"median_s": 2.0, "p90_s": 3.0, "min_s": 1.0}


def test_the_request_bound_is_shared_among_wrks_threads() -> None:
    harness = _load("harness")
    options = harness.parse_options(
        ["--max-requests", "101", "--results-dir", "/nonexistent"],
        description="load",
        add_arguments=load.add_arguments,
    )
    # 2 threads of 50 answers each: a run stopped there is flagged, its rate understated.
    assert load.per_run_bound(options) == 100
    run = load.figures_from_wrk("overview", _wrk_output(requests=100))
    run.bounded = run.requests >= load.per_run_bound(options)
    assert load.table_row(run)[2].endswith("*")
