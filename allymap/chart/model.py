"""The chart itself: rows of qualities, read from the TOML files shipped in ``charts/``.

A chart file is data, not code. It is read once, checked strictly, and turned into
frozen :class:`Chart` and :class:`Row` values. Anything wrong with a file is reported as
a :class:`ChartError` whose message names the file and the exact problem, so a mistake
in a chart stops the program at start-up instead of showing people a broken chart.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Final

CHARTS_DIR: Final[Path] = Path(__file__).resolve().parent / "charts"
"""Where the shipped charts live: every ``*.toml`` file here is one chart version."""

DEFAULT_CHART_ID: Final[str] = "mataora-working-with-the-person-doing-harm"
"""The chart a new map uses unless it asks for another."""

MIN_QUESTIONS: Final[int] = 1
MAX_QUESTIONS: Final[int] = 3

_ID_PATTERN: Final = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_KEY_PATTERN: Final = re.compile(r"[a-z][a-z0-9_]*")

_CHART_FIELDS: Final = ("id", "version", "title", "source", "row_count", "intro", "rows")
_ROW_FIELDS: Final = ("key", "topic", "label", "ally", "in_the_way", "questions")


class ChartError(ValueError):
    """A chart file, a chart id, or data recorded against a chart does not fit.

    The message always says what is wrong and, for a file, which file.
    """


@dataclass(frozen=True)
class Row:
    """One row of a chart: a quality of an accountability ally set against its opposite.

    ``key`` is the row's stable identifier (what records store); ``number`` is its
    1-based place in the chart. ``topic`` is a short, neutral heading for what the row
    is about (for a table's row header), naming neither column's quality; ``label``
    names the ally's quality. ``ally`` and ``in_the_way`` complete the phrase
    "This person…" for the two columns; ``in_the_way`` always means "might get in the
    way of accountability and change, but might help the intervention in other ways".
    ``questions`` are reflective prompts a team member can ask themselves.
    """

    key: str
    number: int
    topic: str
    label: str
    ally: str
    in_the_way: str
    questions: tuple[str, ...]


@dataclass(frozen=True)
class Chart:
    """One version of a chart. Charts loaded by :func:`load_chart` are fully checked.

    ``(id, version)`` identifies the chart; a changed wording or a changed set of rows is
    a new version, so records made against an old version still read correctly.
    ``rows`` are in chart order.
    """

    id: str
    version: int
    title: str
    source: str
    intro: str
    rows: tuple[Row, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        """The row keys, in chart order."""
        return tuple(row.key for row in self.rows)

    def row(self, key: str) -> Row:
        """The row with this key; raises ``KeyError`` if the chart has no such row."""
        for row in self.rows:
            if row.key == key:
                return row
        raise KeyError(key)


def load_chart(path: Path) -> Chart:
    """Read and check one chart file; raise :class:`ChartError` if anything is wrong.

    The file must be UTF-8 TOML with exactly these top-level fields: ``id`` (lower-case
    letters, digits and single hyphens), ``version`` (a positive whole number),
    ``title``, ``source`` and ``intro`` (text), ``row_count`` (a whole number equal to
    the number of rows) and ``rows``: a non-empty array of tables, each with exactly
    ``key`` (matching ``^[a-z][a-z0-9_]*$``, unique in the chart), ``topic``, ``label``,
    ``ally``, ``in_the_way`` (text) and ``questions`` (an array of 1 to 3 texts). No
    text may be empty or only whitespace. Unknown fields are errors too, so a misspelt
    field name cannot be silently ignored.

    Surrounding whitespace is trimmed from every text; nothing else is changed.
    """
    try:
        with path.open("rb") as file:
            data = tomllib.load(file)
    except OSError as error:
        raise ChartError(f"{path}: cannot be read: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise ChartError(f"{path}: is not UTF-8 text") from error
    except tomllib.TOMLDecodeError as error:
        raise ChartError(f"{path}: is not valid TOML: {error}") from error
    return _parse_chart(data, str(path))


def chart_by_id(id: str, version: int | None = None) -> Chart:
    """The shipped chart with this id and version, or its latest version if ``version`` is None.

    Charts are the ``*.toml`` files in :data:`CHARTS_DIR`, read once and cached. Raises
    :class:`ChartError` if no shipped chart has this id (or this version), if a shipped
    file is broken, or if two files claim the same id and version.
    """
    versions = _shipped_charts().get(id)
    if versions is None:
        known = ", ".join(repr(name) for name in sorted(_shipped_charts())) or "none"
        raise ChartError(f"no chart with id {id!r} (known charts: {known})")
    if version is None:
        return versions[max(versions)]
    try:
        return versions[version]
    except KeyError:
        known = ", ".join(str(number) for number in sorted(versions))
        raise ChartError(
            f"chart {id!r} has no version {version!r} (known versions: {known})"
        ) from None


@functools.cache
def default_chart() -> Chart:
    """The latest version of the Mataora chart, "Working with the person doing harm".

    Cached: every call returns the same object. Records made against it should store its
    ``id`` and ``version`` and read them back with :func:`chart_by_id`.
    """
    return chart_by_id(DEFAULT_CHART_ID)


@functools.cache
def _shipped_charts() -> dict[str, dict[int, Chart]]:
    """Every shipped chart, by id then version. Cached; callers must not mutate it."""
    charts: dict[str, dict[int, Chart]] = {}
    seen_in: dict[tuple[str, int], Path] = {}
    for path in sorted(CHARTS_DIR.glob("*.toml")):
        chart = load_chart(path)
        identity = (chart.id, chart.version)
        if identity in seen_in:
            raise ChartError(
                f"{path}: chart {chart.id!r} version {chart.version} "
                f"is already defined in {seen_in[identity]}"
            )
        seen_in[identity] = path
        charts.setdefault(chart.id, {})[chart.version] = chart
    return charts


# --- checking ------------------------------------------------------------------------


def _parse_chart(data: dict[str, object], where: str) -> Chart:
    _check_fields(data, _CHART_FIELDS, where)
    chart_id = _identifier(data, "id", _ID_PATTERN, "lower-case letters, digits and hyphens", where)
    version = _positive_int(data, "version", where)
    title = _text(data, "title", where)
    source = _text(data, "source", where)
    intro = _text(data, "intro", where)
    row_count = _positive_int(data, "row_count", where)

    raw_rows = data["rows"]
    if not isinstance(raw_rows, list):
        raise ChartError(f"{where}: 'rows' must be an array of tables, not {_kind(raw_rows)}")
    if not raw_rows:
        raise ChartError(f"{where}: 'rows' is empty")

    rows: list[Row] = []
    numbers: dict[str, int] = {}
    for number, raw_row in enumerate(raw_rows, start=1):
        row = _parse_row(raw_row, number, where)
        if row.key in numbers:
            raise ChartError(
                f"{where}: row {number} ({row.key}): key {row.key!r} "
                f"is already used by row {numbers[row.key]}"
            )
        numbers[row.key] = number
        rows.append(row)

    if row_count != len(rows):
        raise ChartError(f"{where}: 'row_count' is {row_count} but there are {len(rows)} rows")

    return Chart(
        id=chart_id,
        version=version,
        title=title,
        source=source,
        intro=intro,
        rows=tuple(rows),
    )


def _parse_row(raw: object, number: int, where: str) -> Row:
    if not isinstance(raw, dict):
        raise ChartError(f"{where}: row {number}: must be a table, not {_kind(raw)}")
    _check_fields(raw, _ROW_FIELDS, f"{where}: row {number}")
    key = _identifier(
        raw,
        "key",
        _KEY_PATTERN,
        "lower-case letters, digits and underscores, starting with a letter",
        f"{where}: row {number}",
    )
    here = f"{where}: row {number} ({key})"
    return Row(
        key=key,
        number=number,
        topic=_text(raw, "topic", here),
        label=_text(raw, "label", here),
        ally=_text(raw, "ally", here),
        in_the_way=_text(raw, "in_the_way", here),
        questions=_questions(raw, here),
    )


def _check_fields(table: dict[str, object], expected: tuple[str, ...], where: str) -> None:
    """Every expected field is present and nothing else is."""
    for field in expected:
        if field not in table:
            raise ChartError(f"{where}: {field!r} is missing")
    unknown = sorted(set(table) - set(expected))
    if unknown:
        names = ", ".join(repr(name) for name in unknown)
        raise ChartError(f"{where}: unknown field {names}")


def _text(table: dict[str, object], field: str, where: str) -> str:
    return _nonempty(table[field], repr(field), where)


def _nonempty(value: object, name: str, where: str) -> str:
    if not isinstance(value, str):
        raise ChartError(f"{where}: {name} must be text, not {_kind(value)}")
    text = value.strip()
    if not text:
        raise ChartError(f"{where}: {name} is empty")
    return text


def _identifier(
    table: dict[str, object], field: str, pattern: re.Pattern[str], rule: str, where: str
) -> str:
    value = _text(table, field, where)
    if value != table[field] or not pattern.fullmatch(value):
        raise ChartError(f"{where}: {field!r} {table[field]!r} must be {rule}")
    return value


def _positive_int(table: dict[str, object], field: str, where: str) -> int:
    value = table[field]
    # bool is an int in Python, but `version = true` is a mistake, not version 1.
    if not isinstance(value, int) or isinstance(value, bool):
        raise ChartError(f"{where}: {field!r} must be a whole number, not {_kind(value)}")
    if value < 1:
        raise ChartError(f"{where}: {field!r} must be 1 or more, not {value}")
    return value


def _questions(table: dict[str, object], where: str) -> tuple[str, ...]:
    value = table["questions"]
    if not isinstance(value, list):
        raise ChartError(f"{where}: 'questions' must be an array of text, not {_kind(value)}")
    if not MIN_QUESTIONS <= len(value) <= MAX_QUESTIONS:
        raise ChartError(
            f"{where}: 'questions' must hold {MIN_QUESTIONS} to {MAX_QUESTIONS} questions, "
            f"not {len(value)}"
        )
    return tuple(
        _nonempty(item, f"question {index}", where) for index, item in enumerate(value, start=1)
    )


def _kind(value: object) -> str:
    """How a TOML value's type reads in an error message."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        return "text"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return f"a {type(value).__name__}"
