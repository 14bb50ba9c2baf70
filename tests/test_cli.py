"""The `allymap` command line, through click's CliRunner.

No test here starts a server: `serve`'s callback is replaced by a recorder, so a test that
would otherwise serve (or a bad option that click wrongly accepted) cannot block the
suite. tests/server.py runs real servers for the tests that need one.
"""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from allymap import cli as cli_module
from allymap.cli import cli


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """What `serve` would have been called with, instead of serving."""
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(cli_module.serve, "callback", lambda **options: calls.append(options))
    return calls


def _run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="allymap")


def test_it_explains_itself(served: list[dict[str, Any]]) -> None:
    result = _run("--help")
    assert result.exit_code == 0, result.output
    assert "Usage: allymap" in result.output
    assert "encrypted" in result.output
    assert "serve" in result.output
    assert "--version" in result.output
    assert served == []


def test_it_explains_serve(served: list[dict[str, Any]]) -> None:
    result = _run("serve", "--help")
    assert result.exit_code == 0, result.output
    assert "Usage: allymap serve" in result.output
    for option in ("--host", "--port", "--data-dir", "--no-browser", "--threads"):
        assert option in result.output, option
    assert "0 picks a free one" in result.output
    assert "127.0.0.1" in result.output
    assert "8470" in result.output
    assert served == []


def test_it_says_its_version(served: list[dict[str, Any]]) -> None:
    result = _run("--version")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"allymap, version {version('allymap')}"
    assert served == []


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["serve", "--port", "-1"], ["'--port'", "-1 is not in the range 0<=x<=65535"]),
        (["serve", "--port", "65536"], ["'--port'", "65536 is not in the range"]),
        (["serve", "--port", "http"], ["'--port'", "'http' is not a valid integer"]),
        (["serve", "--threads", "0"], ["'--threads'", "0 is not in the range 1<=x<=64"]),
        (["serve", "--no-such-option"], ["No such option", "--no-such-option"]),
        (["no-such-command"], ["No such command", "no-such-command"]),
    ],
    ids=" ".join,
)
def test_it_refuses_a_bad_option(
    served: list[dict[str, Any]], args: list[str], words: list[str]
) -> None:
    result = _run(*args)
    assert result.exit_code == 2, result.output
    assert "Error:" in result.output
    for word in words:
        assert word in result.output, (word, result.output)
    assert "Usage: allymap" in result.output
    assert served == [], "it served despite a bad option"


def test_it_serves_when_given_no_command(served: list[dict[str, Any]]) -> None:
    """`allymap` alone is `allymap serve`, with serve's defaults."""
    result = _run()
    assert result.exit_code == 0, result.output
    assert len(served) == 1
    assert served[0] | {"data_dir": None} == {
        "host": "127.0.0.1",
        "port": 8470,
        "data_dir": None,
        "no_browser": False,
        "threads": 4,
    }


def test_it_passes_the_options_to_serve(served: list[dict[str, Any]], tmp_path: Path) -> None:
    result = _run(
        "serve",
        "--host",
        "::1",
        "--port",
        "0",
        "--data-dir",
        str(tmp_path),
        "--no-browser",
        "--threads",
        "2",
    )
    assert result.exit_code == 0, result.output
    assert served == [
        {"host": "::1", "port": 0, "data_dir": tmp_path, "no_browser": True, "threads": 2}
    ]


# -- the test key profile's warning ---------------------------------------------------------


class _Server:
    """Stands in for waitress's server: it knows its address and returns from run()."""

    effective_host = "127.0.0.1"
    effective_port = 8471

    def run(self) -> None:
        pass


def _serve_without_serving(monkeypatch: pytest.MonkeyPatch) -> Result:
    """Run the real `serve` with what would block, migrate or change the process
    replaced: Django is already set up by pytest-django."""
    import os

    import django.core.management
    import waitress

    from allymap.services import sessions

    monkeypatch.setattr(cli_module, "_django", lambda data_dir: None)
    monkeypatch.setattr(os, "umask", lambda mask: 0o022)
    monkeypatch.setattr(django.core.management, "call_command", lambda *a, **k: None)
    monkeypatch.setattr(sessions, "sessions_clear_at_start", lambda: None)
    monkeypatch.setattr(waitress, "create_server", lambda *a, **k: _Server())
    return CliRunner().invoke(cli, ["serve", "--no-browser"], prog_name="allymap")


def test_serving_with_the_test_profile_warns_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLYMAP_KDF_PROFILE", "test")
    result = _serve_without_serving(monkeypatch)
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if "ALLYMAP_KDF_PROFILE=test" in line]
    assert warnings == [cli_module.TEST_PROFILE_WARNING]
    assert warnings[0].startswith("WARNING:")
    assert "tests only" in warnings[0]
    # The address is still the first line of standard output.
    assert result.stdout.splitlines()[0].startswith("allymap is serving at http://127.0.0.1:8471/")


@pytest.mark.parametrize("profile", [None, "", "interactive", "TEST"])
def test_serving_with_the_real_profile_does_not_warn(
    monkeypatch: pytest.MonkeyPatch, profile: str | None
) -> None:
    if profile is None:
        monkeypatch.delenv("ALLYMAP_KDF_PROFILE", raising=False)
    else:
        monkeypatch.setenv("ALLYMAP_KDF_PROFILE", profile)
    assert cli_module.kdf_profile_warning() is None
    result = _serve_without_serving(monkeypatch)
    assert result.exit_code == 0, result.output
    assert "ALLYMAP_KDF_PROFILE" not in result.stderr
