"""Reading the demo's data file strictly: the checks `demo_data` and `demo_organise` share.

Each check refuses what does not fit with `DemoDataError` naming the place in the file
("person 3, view 2: ..."); `demo_data.demo_content` adds the file's path to the message.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, NoReturn

__all__ = ["DAYS_MAX", "YOU", "DemoDataError", "choice", "day", "fail", "keys", "tables", "text"]

YOU: Final = "You"
"""How demo.toml names the account's own team member."""

DAYS_MAX: Final = 70
"""The latest `day` demo.toml may use: ten weeks after the intervention started."""


class DemoDataError(ValueError):
    """The demo's data file does not fit; the message names the file and the problem."""


def fail(problem: str) -> NoReturn:
    raise DemoDataError(problem)


def keys(table: Mapping[str, Any], where: str, *, known: set[str], required: set[str]) -> None:
    """Refuse keys outside `known` and missing `required` ones (a typo must not pass)."""
    if unknown := set(table) - known:
        fail(f"{where} has keys allymap does not know: {sorted(unknown)}")
    if missing := required - set(table):
        fail(f"{where} lacks {sorted(missing)}")


def tables(raw: Mapping[str, Any], key: str, where: str = "the file") -> list[Mapping[str, Any]]:
    """The list of tables under `key` (none when it is absent)."""
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        fail(f"{where}: {key} must be a list of tables")
    return list(value)


def text(table: Mapping[str, Any], key: str, where: str) -> str:
    """A text (empty when absent)."""
    value = table.get(key, "")
    if not isinstance(value, str):
        fail(f"{where}: {key} must be text, not {value!r}")
    return str(value)


def choice(table: Mapping[str, Any], key: str, where: str, allowed: set[str], default: str) -> str:
    """One of `allowed` (`default` when absent; refused unless it is allowed too)."""
    value = table.get(key, default)
    if value not in allowed:
        fail(f"{where}: {key} is {value!r}, not one of {sorted(allowed)}")
    return str(value)


def day(table: Mapping[str, Any], where: str, *, after: int = 0, key: str = "day") -> int:
    """A day from `after` to `DAYS_MAX`."""
    value = table[key]
    if type(value) is not int or not after <= value <= DAYS_MAX:
        fail(f"{where}: {key} must be a whole number from {after} to {DAYS_MAX}, not {value!r}")
    return value
