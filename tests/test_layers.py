"""The pure core stays pure: chart, domain and vault import no Django.

ruff's banned-api rule enforces it at lint time (each core package has a ruff.toml);
these tests make sure that rule stays in place and that it is obeyed at import time.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE = ["chart", "domain", "vault"]


@pytest.mark.parametrize("package", CORE)
def test_it_bans_django_in_the_lint_rules(package: str) -> None:
    config = tomllib.loads((ROOT / "allymap" / package / "ruff.toml").read_text("utf-8"))
    assert "django" in config["lint"]["flake8-tidy-imports"]["banned-api"]


@pytest.mark.parametrize("package", CORE)
def test_it_imports_the_core_without_django(package: str) -> None:
    code = (
        f"import sys, allymap.{package}; "
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')); "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
