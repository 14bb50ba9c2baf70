"""The shipped chart, and the loader's promise to name every problem in a chart file."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pytest

from allymap.chart import (
    CHARTS_DIR,
    DEFAULT_CHART_ID,
    Chart,
    ChartError,
    Row,
    chart_by_id,
    default_chart,
    load_chart,
)

EXPECTED_KEYS = (
    "respected",
    "sees_the_person",
    "sees_the_harm",
    "communicates",
    "gives_space",
    "own_support",
    "care_without_excuses",
    "supports_change",
    "different_with_others",
    "team_communication",
)

# Phrases from the source chart: the product says the same things in its own words.
# Each is written in two halves so that this guard is not itself a copy of the seed.
_SEED_PHRASE_HALVES = (
    ("Get distracted from what", "they need to say"),
    ("push their", "point and don"),
    ("keep that separate", "from that person"),
    ("Can only", "‘say my piece’"),
    ("say", "my piece"),
    ("Often the only people who want", "to support the person doing harm"),
    ("Go for", "the throat"),
    ("who deserves", "respect and care"),
    ("aren’t always", "easy to understand"),
    ("Can’t separate their experience of the", "person doing harm from other people’s"),
    ("Avoid conflict", "by withdrawing"),
    ("Have a sense of", "when to back off"),
)
SEED_PHRASES = tuple(" ".join(halves).strip() for halves in _SEED_PHRASE_HALVES)

SHIPPED_FILE = CHARTS_DIR / f"{DEFAULT_CHART_ID}.toml"


def _all_text(chart: Chart) -> list[str]:
    texts = [chart.id, chart.title, chart.source, chart.intro]
    for row in chart.rows:
        texts += [row.key, row.label, row.ally, row.in_the_way, *row.questions]
    return texts


def _plain(text: str) -> str:
    """Lower case, straight quotes, single spaces: so a copied phrase can't hide."""
    text = text.replace("‘", "'").replace("’", "'")
    return " ".join(text.lower().split())


# --- the shipped chart -----------------------------------------------------------------


def test_it_ships_the_mataora_chart_as_the_default() -> None:
    chart = default_chart()

    assert chart.id == "mataora-working-with-the-person-doing-harm"
    assert chart.version == 1
    assert chart is default_chart()
    assert chart_by_id(DEFAULT_CHART_ID) is chart
    assert chart_by_id(DEFAULT_CHART_ID, 1) is chart


def test_it_has_the_ten_rows_in_order() -> None:
    chart = default_chart()

    assert chart.keys == EXPECTED_KEYS
    assert [row.number for row in chart.rows] == list(range(1, 11))
    assert chart.row("own_support").number == 6


def test_it_raises_key_error_for_a_row_the_chart_does_not_have() -> None:
    with pytest.raises(KeyError):
        default_chart().row("no_such_row")


def test_it_has_text_in_every_field() -> None:
    chart = default_chart()

    for text in _all_text(chart):
        assert text.strip() == text
        assert text
    for row in chart.rows:
        assert 1 <= len(row.questions) <= 2
        assert 2 <= len(row.label.split()) <= 5, row.label
        assert all(question.endswith("?") for question in row.questions)


def test_it_credits_the_source() -> None:
    source = default_chart().source

    for credit in ("Mataora", "Te Wānanga o Raukawa", "Creative Interventions", "2012", "4C"):
        assert credit in source


def test_it_asks_people_to_think_creatively() -> None:
    intro = default_chart().intro

    assert "Think creatively" in intro
    assert "not the first ones who come to mind" in intro
    assert 2 <= intro.count(". ") + 1 <= 3


def test_it_says_things_in_its_own_words() -> None:
    everything = _plain(" ".join(_all_text(default_chart())))

    for phrase in SEED_PHRASES:
        assert _plain(phrase) not in everything, phrase


def test_it_never_uses_words_that_label_people() -> None:
    raw = SHIPPED_FILE.read_text(encoding="utf-8")

    assert not re.search(r"abuser|perpetrator|victim", raw, re.IGNORECASE)


def test_it_writes_te_reo_maori_with_macrons() -> None:
    raw = SHIPPED_FILE.read_text(encoding="utf-8")

    assert "whakapapa" in raw
    assert "Te Wānanga" in raw
    assert not re.search(r"\bwhanau\b|\bWananga\b|\bmaori\b", raw, re.IGNORECASE)


def test_it_rejects_an_unknown_chart_id() -> None:
    with pytest.raises(ChartError, match=r"no chart with id 'no-such-chart'") as caught:
        chart_by_id("no-such-chart")

    assert DEFAULT_CHART_ID in str(caught.value)


def test_it_rejects_an_unknown_version() -> None:
    with pytest.raises(ChartError, match=r"has no version 99 \(known versions: 1\)"):
        chart_by_id(DEFAULT_CHART_ID, 99)


# --- the loader ------------------------------------------------------------------------

VALID = '''\
id = "tiny"
version = 2
title = "A tiny chart"
source = "Written for the tests"
row_count = 2
intro = """
Two rows.
"""

[[rows]]
key = "first"
label = "The first row"
ally = "helps"
in_the_way = "might not help"
questions = ["Does this person help?"]

[[rows]]
key = "second"
label = "The second row"
ally = "listens"
in_the_way = "might not listen"
questions = ["Does this person listen?", "How do you know?"]
'''


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "tiny.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _broken(old: str, new: str) -> str:
    assert old in VALID, old
    return VALID.replace(old, new, 1)


def test_it_loads_a_valid_file_exactly(tmp_path: Path) -> None:
    chart = load_chart(_write(tmp_path, VALID))

    assert chart == Chart(
        id="tiny",
        version=2,
        title="A tiny chart",
        source="Written for the tests",
        intro="Two rows.",
        rows=(
            Row(
                "first", 1, "The first row", "helps", "might not help", ("Does this person help?",)
            ),
            Row(
                "second",
                2,
                "The second row",
                "listens",
                "might not listen",
                ("Does this person listen?", "How do you know?"),
            ),
        ),
    )
    assert [field.name for field in fields(Row)] == [
        "key",
        "number",
        "label",
        "ally",
        "in_the_way",
        "questions",
    ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        pytest.param(
            _broken('key = "second"', 'key = "first"'),
            "row 2 (first): key 'first' is already used by row 1",
            id="duplicate key",
        ),
        pytest.param(
            _broken('ally = "listens"', 'ally = ""'),
            "row 2 (second): 'ally' is empty",
            id="empty text",
        ),
        pytest.param(
            _broken('in_the_way = "might not help"', 'in_the_way = "  \\n\\t "'),
            "row 1 (first): 'in_the_way' is empty",
            id="whitespace-only text",
        ),
        pytest.param(
            _broken('title = "A tiny chart"', 'title = " "'),
            "'title' is empty",
            id="empty title",
        ),
        pytest.param(
            _broken('"How do you know?"', '""'),
            "row 2 (second): question 2 is empty",
            id="empty question",
        ),
        pytest.param(
            _broken("row_count = 2", "row_count = 3"),
            "'row_count' is 3 but there are 2 rows",
            id="wrong row_count",
        ),
        pytest.param(
            _broken('source = "Written for the tests"\n', ""),
            "'source' is missing",
            id="missing field",
        ),
        pytest.param(
            _broken('label = "The second row"\n', ""),
            "row 2: 'label' is missing",
            id="missing row field",
        ),
        pytest.param(
            _broken("version = 2", 'version = "2"'),
            "'version' must be a whole number, not text",
            id="version of the wrong type",
        ),
        pytest.param(
            _broken("version = 2", "version = 0"),
            "'version' must be 1 or more, not 0",
            id="version not positive",
        ),
        pytest.param(
            _broken("version = 2", "version = true"),
            "'version' must be a whole number, not true/false",
            id="version a boolean",
        ),
        pytest.param(
            _broken('id = "tiny"', 'id = ""'),
            "'id' is empty",
            id="empty id",
        ),
        pytest.param(
            _broken('id = "tiny"', 'id = "Tiny Chart"'),
            "'id' 'Tiny Chart' must be lower-case letters, digits and hyphens",
            id="bad id",
        ),
        pytest.param(
            _broken('key = "second"', 'key = "2nd-row"'),
            "row 2: 'key' '2nd-row' must be lower-case letters, digits and underscores",
            id="bad key",
        ),
        pytest.param(
            _broken('label = "The first row"', "label = 7"),
            "row 1 (first): 'label' must be text, not a whole number",
            id="label of the wrong type",
        ),
        pytest.param(
            _broken('["Does this person help?"]', "[]"),
            "row 1 (first): 'questions' must hold 1 to 3 questions, not 0",
            id="no questions",
        ),
        pytest.param(
            _broken('["Does this person help?"]', '["A?", "B?", "C?", "D?"]'),
            "row 1 (first): 'questions' must hold 1 to 3 questions, not 4",
            id="too many questions",
        ),
        pytest.param(
            _broken('questions = ["Does this person help?"]', 'questions = "Help?"'),
            "row 1 (first): 'questions' must be an array of text, not text",
            id="questions not a list",
        ),
        pytest.param(
            _broken('label = "The first row"', 'label = "The first row"\nlabl = "typo"'),
            "row 1: unknown field 'labl'",
            id="unknown row field",
        ),
        pytest.param(
            _broken("row_count = 2", "row_count = 2\nrows_count = 2"),
            "unknown field 'rows_count'",
            id="unknown top-level field",
        ),
        pytest.param(
            _broken('title = "A tiny chart"', 'title = "A tiny chart'),
            "is not valid TOML",
            id="bad TOML",
        ),
    ],
)
def test_it_names_the_file_and_the_problem(tmp_path: Path, text: str, problem: str) -> None:
    path = _write(tmp_path, text)

    with pytest.raises(ChartError) as caught:
        load_chart(path)

    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert problem in message


def test_it_rejects_a_chart_with_no_rows(tmp_path: Path) -> None:
    text = VALID.split("[[rows]]")[0].replace("row_count = 2", "row_count = 1") + "rows = []\n"

    with pytest.raises(ChartError, match=r"'rows' is empty"):
        load_chart(_write(tmp_path, text))


def test_it_names_a_file_that_cannot_be_read(tmp_path: Path) -> None:
    missing = tmp_path / "missing.toml"

    with pytest.raises(ChartError, match=r"missing\.toml: cannot be read"):
        load_chart(missing)


def test_it_names_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(VALID.replace("Two rows.", "Caf\u00e9").encode("latin-1"))

    with pytest.raises(ChartError, match=r"latin1\.toml: is not UTF-8 text"):
        load_chart(path)


def test_it_loads_every_shipped_chart() -> None:
    paths = sorted(CHARTS_DIR.glob("*.toml"))

    assert paths
    for path in paths:
        chart = load_chart(path)
        assert chart_by_id(chart.id, chart.version) == chart
