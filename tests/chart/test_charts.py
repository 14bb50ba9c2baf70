"""The shipped chart, and the loader's promise to name every problem in a chart file."""

from __future__ import annotations

import hashlib
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

SHIPPED_FILES = sorted(CHARTS_DIR.glob("*.toml"))
SHIPPED_CHARTS = [load_chart(path) for path in SHIPPED_FILES]
MATAORA_VERSIONS = sorted(c.version for c in SHIPPED_CHARTS if c.id == DEFAULT_CHART_ID)

MAX_TOPIC_LENGTH = 32
"""A topic is a table's row header on a 320 px phone: it must stay short."""

# Version 1's wording, fingerprinted: a published version is never edited in place
# (topics, being display headings, are left out of the fingerprint).
V1_WORDING_SHA256 = "5f1447f92f0d4adb5926c8604cc2e36ae9e8f4c199f7312870c0dcfbded44c9f"

each_shipped_file = pytest.mark.parametrize("path", SHIPPED_FILES, ids=lambda path: path.name)
each_shipped_chart = pytest.mark.parametrize(
    "chart", SHIPPED_CHARTS, ids=lambda chart: f"{chart.id}-v{chart.version}"
)


def _all_text(chart: Chart) -> list[str]:
    texts = [chart.id, chart.title, chart.source, chart.intro]
    for row in chart.rows:
        texts += [row.key, row.topic, row.label, row.ally, row.in_the_way, *row.questions]
    return texts


def _wording_fingerprint(chart: Chart) -> str:
    words = [chart.id, str(chart.version), chart.title, chart.source, chart.intro]
    for row in chart.rows:
        words += [row.key, row.label, row.ally, row.in_the_way, *row.questions]
    return hashlib.sha256("\n".join(words).encode("utf-8")).hexdigest()


def _plain(text: str) -> str:
    """Lower case, straight quotes, single spaces: so a copied phrase can't hide."""
    text = text.replace("‘", "'").replace("’", "'")
    return " ".join(text.lower().split())


# --- the shipped chart -----------------------------------------------------------------


def test_it_ships_the_newest_mataora_chart_as_the_default() -> None:
    chart = default_chart()

    assert chart.id == "mataora-working-with-the-person-doing-harm"
    assert chart.version == 2
    assert MATAORA_VERSIONS == [1, 2]
    assert chart is default_chart()
    assert chart_by_id(DEFAULT_CHART_ID) is chart
    assert chart_by_id(DEFAULT_CHART_ID, 2) is chart


def test_it_still_reads_version_1_for_interventions_started_with_it() -> None:
    old = chart_by_id(DEFAULT_CHART_ID, 1)

    assert (old.id, old.version) == (DEFAULT_CHART_ID, 1)
    assert old is not default_chart()
    assert old.keys == default_chart().keys


def test_it_never_edits_version_1_in_place() -> None:
    old = chart_by_id(DEFAULT_CHART_ID, 1)

    assert _wording_fingerprint(old) == V1_WORDING_SHA256
    assert "looks up to" in old.row("respected").ally
    assert "may lash out" in old.row("own_support").in_the_way


@each_shipped_chart
def test_it_has_the_ten_rows_in_order(chart: Chart) -> None:
    assert chart.keys == EXPECTED_KEYS
    assert [row.number for row in chart.rows] == list(range(1, 11))
    assert chart.row("own_support").number == 6


def test_every_version_of_a_chart_has_the_same_keys_in_the_same_order() -> None:
    by_id: dict[str, set[tuple[str, ...]]] = {}
    for chart in SHIPPED_CHARTS:
        by_id.setdefault(chart.id, set()).add(chart.keys)

    for chart_id, key_orders in by_id.items():
        assert len(key_orders) == 1, chart_id


@each_shipped_chart
def test_every_row_has_a_short_topic(chart: Chart) -> None:
    topics = [row.topic for row in chart.rows]

    assert len(set(topics)) == len(topics), topics
    for row in chart.rows:
        assert row.topic, row.key
        assert len(row.topic) <= MAX_TOPIC_LENGTH, row.topic
        assert row.topic[0].isupper(), row.topic
        assert not row.topic.endswith((".", "?", ":")), row.topic
        assert row.topic != row.label, row.topic


def test_versions_of_a_chart_share_their_topics() -> None:
    """A topic is a heading for the row's subject, so it does not change with wording."""
    old, new = chart_by_id(DEFAULT_CHART_ID, 1), chart_by_id(DEFAULT_CHART_ID, 2)

    assert [row.topic for row in old.rows] == [row.topic for row in new.rows]


# --- version 2 keeps faith with the source where version 1 had gone softer ------------


def test_v2_row_1_is_someone_they_care_about_or_respect() -> None:
    row = chart_by_id(DEFAULT_CHART_ID, 2).row("respected")

    assert "cares about or respects" in row.ally
    assert "looks up to" not in row.ally
    assert "no relationship" in row.in_the_way
    assert "bad" in row.in_the_way
    assert "real" not in row.in_the_way


def test_v2_row_3_is_an_unwillingness_to_see_the_harm() -> None:
    row = chart_by_id(DEFAULT_CHART_ID, 2).row("sees_the_harm")

    assert "won't see the harm" in row.in_the_way
    assert "plays it down" in row.in_the_way
    assert "does not see" not in row.in_the_way


def test_v2_row_6_keeps_the_refusal_the_anger_and_the_threat_of_violence() -> None:
    row = chart_by_id(DEFAULT_CHART_ID, 2).row("own_support")

    assert "anger that makes things worse" in row.in_the_way
    assert "won't get support" in row.in_the_way
    assert "give up" in row.in_the_way
    for pressure in ("intimidation", "criticism", "threat of violence"):
        assert pressure in row.in_the_way
    assert "lash out" not in row.in_the_way


def test_v2_row_8_is_an_inability_to_do_more_than_say_their_piece() -> None:
    row = chart_by_id(DEFAULT_CHART_ID, 2).row("supports_change")

    assert row.in_the_way.startswith("can only ")
    assert "say their piece" in row.in_the_way
    assert "tell the truth" in row.in_the_way
    assert "alone" in row.in_the_way
    assert "may want" not in row.in_the_way


def test_v2_rows_9_and_10_are_as_firm_as_the_source() -> None:
    chart = chart_by_id(DEFAULT_CHART_ID, 2)

    assert chart.row("different_with_others").in_the_way.startswith("cannot ")
    assert "even turns against the intervention" in chart.row("team_communication").in_the_way


def test_v2_says_both_halves_of_might_get_in_the_way() -> None:
    intro = chart_by_id(DEFAULT_CHART_ID, 2).intro

    assert "might get in the way" in intro
    assert "might help the intervention in other ways" in intro


def test_it_raises_key_error_for_a_row_the_chart_does_not_have() -> None:
    with pytest.raises(KeyError):
        default_chart().row("no_such_row")


@each_shipped_chart
def test_it_has_text_in_every_field(chart: Chart) -> None:
    for text in _all_text(chart):
        assert text.strip() == text
        assert text
    for row in chart.rows:
        assert 1 <= len(row.questions) <= 2
        assert 2 <= len(row.label.split()) <= 5, row.label
        assert all(question.endswith("?") for question in row.questions)


@each_shipped_chart
def test_it_credits_the_source(chart: Chart) -> None:
    source = chart.source

    for credit in ("Mataora", "Te Wānanga o Raukawa", "Creative Interventions", "2012", "4C"):
        assert credit in source


@each_shipped_chart
def test_it_asks_people_to_think_creatively(chart: Chart) -> None:
    intro = chart.intro

    assert "Think creatively" in intro
    assert "not the first ones who come to mind" in intro
    assert 2 <= intro.count(". ") + 1 <= 3


@each_shipped_chart
def test_it_says_things_in_its_own_words(chart: Chart) -> None:
    everything = _plain(" ".join(_all_text(chart)))

    for phrase in SEED_PHRASES:
        assert _plain(phrase) not in everything, phrase


@each_shipped_file
def test_it_never_uses_words_that_label_people(path: Path) -> None:
    raw = path.read_text(encoding="utf-8")

    assert not re.search(r"abuser|perpetrator|victim", raw, re.IGNORECASE)


@each_shipped_file
def test_it_writes_te_reo_maori_with_macrons(path: Path) -> None:
    raw = path.read_text(encoding="utf-8")

    assert "whakapapa" in raw
    assert "Te Wānanga" in raw
    assert not re.search(r"\bwhanau\b|\bWananga\b|\bmaori\b", raw, re.IGNORECASE)


def test_it_rejects_an_unknown_chart_id() -> None:
    with pytest.raises(ChartError, match=r"no chart with id 'no-such-chart'") as caught:
        chart_by_id("no-such-chart")

    assert DEFAULT_CHART_ID in str(caught.value)


def test_it_rejects_an_unknown_version() -> None:
    with pytest.raises(ChartError, match=r"has no version 99 \(known versions: 1, 2\)"):
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
topic = "First topic"
label = "The first row"
ally = "helps"
in_the_way = "might not help"
questions = ["Does this person help?"]

[[rows]]
key = "second"
topic = "Second topic"
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
                "first",
                1,
                "First topic",
                "The first row",
                "helps",
                "might not help",
                ("Does this person help?",),
            ),
            Row(
                "second",
                2,
                "Second topic",
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
        "topic",
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
            _broken('topic = "Second topic"\n', ""),
            "row 2: 'topic' is missing",
            id="missing topic",
        ),
        pytest.param(
            _broken('topic = "First topic"', 'topic = " "'),
            "row 1 (first): 'topic' is empty",
            id="empty topic",
        ),
        pytest.param(
            _broken('topic = "First topic"', 'topic = ["First"]'),
            "row 1 (first): 'topic' must be text, not an array",
            id="topic of the wrong type",
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
