"""The layers hold: imports point down only, and the pure core imports no Django.

import-linter's contracts (pyproject.toml, `[tool.importlinter]`, run by `make lint`) check
every import; ruff's banned-api rule (each core package has a ruff.toml) bans Django in the
core at lint time. These tests make sure both stay in place, that the contracts catch a
planted violation, and that the core loads no Django at import time.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE = ["chart", "domain", "pictures", "vault"]


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


# Top to bottom; "|" joins independent siblings that must not import each other.
LAYERS = [
    ["allymap.web", "allymap.cli"],
    ["allymap.services"],
    ["allymap.store"],
    ["allymap.domain", "allymap.vault", "allymap.pictures"],
    ["allymap.chart"],
]
CONFIG_MODULES = ["allymap.settings", "allymap.urls", "allymap.wsgi", "allymap.__main__"]


def _importlinter() -> dict[str, Any]:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    config: dict[str, Any] = pyproject["tool"]["importlinter"]
    return config


def _contract(contract_id: str) -> dict[str, Any]:
    contracts = {c["id"]: c for c in _importlinter()["contracts"]}
    return contracts[contract_id]


def _lint_imports(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run lint-imports with `cwd` first on the path, so it analyses the allymap found there."""
    command = Path(sys.executable).with_name("lint-imports")
    assert command.exists(), f"{command} is missing: run `make .venv/.installed`"
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run(
        [str(command), "--no-cache", "--no-logo", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_it_configures_import_linter_for_allymap_and_django() -> None:
    config = _importlinter()
    assert config["root_package"] == "allymap"
    assert config["include_external_packages"] is True


def test_it_lists_the_layers_top_to_bottom() -> None:
    contract = _contract("layers")
    assert contract["type"] == "layers"
    layers = [[name.strip() for name in layer.split("|")] for layer in contract["layers"]]
    assert layers == LAYERS
    for layer in contract["layers"]:
        assert ":" not in layer, "siblings in a layer are independent: join them with |"
    assert "containers" not in contract
    assert "ignore_imports" not in contract
    named = {name for layer in layers for name in layer}
    assert named.isdisjoint(CONFIG_MODULES)


def test_it_keeps_the_interfaces_off_the_store() -> None:
    contract = _contract("interfaces-skip-store")
    assert contract["type"] == "forbidden"
    assert sorted(contract["source_modules"]) == ["allymap.cli", "allymap.cli_data", "allymap.web"]
    assert contract["forbidden_modules"] == ["allymap.store"]
    assert "ignore_imports" not in contract


def test_it_keeps_django_and_the_upper_layers_out_of_the_core() -> None:
    contract = _contract("pure-core")
    assert contract["type"] == "forbidden"
    assert sorted(contract["source_modules"]) == [f"allymap.{p}" for p in CORE]
    assert {"django", "allymap.store", "allymap.services", "allymap.web"} <= set(
        contract["forbidden_modules"]
    )
    # Indirect imports count here: the core may not reach Django through anything.
    assert contract.get("allow_indirect_imports", False) is False
    assert "ignore_imports" not in contract


def test_make_lint_runs_the_contracts() -> None:
    makefile = (ROOT / "Makefile").read_text("utf-8")
    lint = makefile.split("\nlint:", 1)[1].split("\n\n", 1)[0]
    assert "$(BIN)/lint-imports" in lint


# (package the planted module goes in, its one line, the contract it breaks, the import
# reported at line 1, and the rest of the chain when the import is indirect)
PLANTS = [
    ("web", "import allymap.store.models", "interfaces-skip-store", "allymap.store.models", ""),
    ("web", "import allymap.cli", "layers", "allymap.cli", ""),
    ("services", "import allymap.web.views", "layers", "allymap.web.views", ""),
    ("chart", "import allymap.domain", "layers", "allymap.domain", ""),
    ("vault", "from allymap.domain import events", "layers", "allymap.domain.events", ""),
    ("domain", "import django.conf", "pure-core", "django", ""),
    ("pictures", "from django.utils.html import escape", "pure-core", "django", ""),
    ("pictures", "from allymap.domain import values", "layers", "allymap.domain.values", ""),
    ("vault", "import allymap.wsgi", "pure-core", "allymap.wsgi", "allymap.wsgi -> django"),
]


@pytest.mark.parametrize(("package", "source", "contract_id", "reported", "then"), PLANTS)
def test_the_contracts_catch_a_planted_import(
    tmp_path: Path, package: str, source: str, contract_id: str, reported: str, then: str
) -> None:
    shutil.copytree(
        ROOT / "allymap",
        tmp_path / "allymap",
        ignore=shutil.ignore_patterns("__pycache__", "static", "templates", "locale", "*.toml"),
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "allymap" / package / "_planted.py").write_text(source + "\n", "utf-8")

    result = _lint_imports(tmp_path, "pyproject.toml", "--contract", contract_id)

    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert f"{_contract(contract_id)['name']} BROKEN" in output
    first = re.escape(f"allymap.{package}._planted -> {reported} (l.1)")
    assert re.search(rf"^-\s+{first}$", output, re.MULTILINE), output
    assert then in output


def test_the_real_tree_keeps_every_contract() -> None:
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout
