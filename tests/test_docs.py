"""The docs keep up with the code: every setting and command-line option is documented."""

from __future__ import annotations

import re
from pathlib import Path

import click

from allymap import cli

ROOT = Path(__file__).resolve().parent.parent
CONFIGURATION = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")


def _settings_read_from_environment() -> set[str]:
    source = (ROOT / "allymap" / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r"""(?:environ\.get|env_\w+)\(\s*["']([A-Z_]+)["']""", source))
    names |= set(re.findall(r"""environ\[["']([A-Z_]+)["']\]""", source))
    return names


def test_it_finds_the_settings_it_checks() -> None:
    # Guards the regular expression: if it stopped matching, the next test would pass empty.
    assert {"ALLYMAP_DATA_DIR", "DATABASE_URL", "ALLYMAP_IDLE_LOCK_MINUTES"} <= (
        _settings_read_from_environment()
    )


def test_it_documents_every_setting() -> None:
    missing = sorted(n for n in _settings_read_from_environment() if f"`{n}`" not in CONFIGURATION)
    assert not missing, f"docs/configuration.md does not mention {missing}"


def test_it_documents_every_command_line_option() -> None:
    group = cli.cli
    assert isinstance(group, click.Group)
    missing = []
    for name, command in group.commands.items():
        assert f"allymap {name}" in CONFIGURATION, f"command {name} is not documented"
        for param in command.params:
            for option in getattr(param, "opts", []):
                if option.startswith("--") and f"`{option}" not in CONFIGURATION:
                    missing.append(f"{name} {option}")
    assert not missing, f"docs/configuration.md does not mention {missing}"


def test_it_keeps_the_readme_commands_first() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"^make (\w+)", readme, flags=re.MULTILINE)
    assert commands[:2] == ["run", "test"]
