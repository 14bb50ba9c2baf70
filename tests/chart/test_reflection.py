"""Reflecting one person from every assessor's positions: shown, counted, never scored."""

from __future__ import annotations

from itertools import product

import pytest

from allymap.chart import (
    Assessment,
    Chart,
    ChartError,
    Position,
    Row,
    RowReflection,
    default_chart,
    reflect,
)

P = Position


def _row(key: str, number: int) -> Row:
    return Row(
        key,
        number,
        f"Topic {number}",
        f"Row {number}",
        "helps",
        "might not help",
        ("Does this person help?",),
    )


CHART = Chart(
    id="test-chart",
    version=3,
    title="A test chart",
    source="Written for the tests",
    intro="Four rows.",
    rows=(_row("first", 1), _row("second", 2), _row("third", 3), _row("fourth", 4)),
)


def _a(assessor: str, row_key: str, position: Position, evidence: str = "") -> Assessment:
    return Assessment(assessor=assessor, row_key=row_key, position=position, evidence=evidence)


def test_it_keeps_every_row_in_chart_order_with_the_chart_identity() -> None:
    reflection = reflect(CHART, [_a("Tui", "third", P.ALLY), _a("Aroha", "first", P.MIXED)])

    assert reflection.chart_id == "test-chart"
    assert reflection.chart_version == 3
    assert [rr.row.key for rr in reflection.rows] == ["first", "second", "third", "fourth"]
    assert reflection.row("third").positions == frozenset({P.ALLY})
    assert reflection.row("second").assessments == ()


def test_it_counts_assessments_in_each_of_the_six_columns() -> None:
    reflection = reflect(
        CHART,
        [
            _a("Aroha", "first", P.ALLY),
            _a("Tui", "first", P.ALLY),
            _a("Aroha", "second", P.LEANS_IN_THE_WAY),
            _a("Tui", "second", P.UNKNOWN),
            _a("Aroha", "third", P.UNKNOWN),
        ],
    )

    assert reflection.counts == {
        P.ALLY: 2,
        P.LEANS_ALLY: 0,
        P.MIXED: 0,
        P.LEANS_IN_THE_WAY: 1,
        P.IN_THE_WAY: 0,
        P.UNKNOWN: 2,
    }
    assert list(reflection.counts) == list(Position)
    assert reflection.row("first").counts[P.ALLY] == 2
    assert reflection.row("fourth").counts == dict.fromkeys(Position, 0)


def test_it_counts_nothing_when_nobody_has_assessed() -> None:
    reflection = reflect(default_chart(), [])

    assert reflection.counts == dict.fromkeys(Position, 0)
    assert reflection.unknown_rows == reflection.rows
    assert len(reflection.rows) == 10
    assert reflection.disagreements == ()
    assert reflection.assessors == ()


def test_it_marks_rows_nobody_knows_about_yet() -> None:
    reflection = reflect(
        CHART,
        [
            _a("Aroha", "first", P.UNKNOWN),
            _a("Tui", "first", P.UNKNOWN),
            _a("Aroha", "second", P.UNKNOWN),
            _a("Tui", "second", P.IN_THE_WAY),
            _a("Aroha", "third", P.LEANS_ALLY),
        ],
    )

    assert [rr.row.key for rr in reflection.unknown_rows] == ["first", "fourth"]
    assert reflection.row("first").unknown
    assert reflection.row("fourth").unknown
    assert not reflection.row("second").unknown
    assert not reflection.row("third").unknown


@pytest.mark.parametrize(("one", "other"), list(product(Position, repeat=2)))
def test_it_sees_disagreement_only_two_or_more_steps_apart(one: Position, other: Position) -> None:
    row = reflect(CHART, [_a("Aroha", "first", one), _a("Tui", "first", other)]).row("first")

    steps = [position.step for position in (one, other) if position.step is not None]
    expected = len(steps) == 2 and abs(steps[0] - steps[1]) >= 2
    assert row.disagreement is expected


def test_it_never_counts_unknown_as_disagreeing() -> None:
    row = RowReflection(
        row=CHART.rows[0],
        assessments=(
            _a("Aroha", "first", P.ALLY),
            _a("Hemi", "first", P.UNKNOWN),
            _a("Tui", "first", P.LEANS_ALLY),
        ),
    )

    assert not row.disagreement
    assert not RowReflection(row=CHART.rows[0]).disagreement


def test_it_sees_disagreement_among_several_assessors() -> None:
    reflection = reflect(
        CHART,
        [
            _a("Aroha", "second", P.LEANS_ALLY),
            _a("Hemi", "second", P.MIXED),
            _a("Tui", "second", P.LEANS_IN_THE_WAY),
            _a("Aroha", "third", P.MIXED),
            _a("Tui", "third", P.LEANS_IN_THE_WAY),
        ],
    )

    assert [rr.row.key for rr in reflection.disagreements] == ["second"]


def test_it_places_a_disputed_row_in_every_column_chosen_for_it() -> None:
    reflection = reflect(
        CHART,
        [
            _a("Aroha", "first", P.ALLY),
            _a("Tui", "first", P.IN_THE_WAY),
            _a("Aroha", "third", P.ALLY),
            _a("Tui", "third", P.UNKNOWN),
        ],
    )
    first, second, third, fourth = reflection.rows

    columns = reflection.by_column()

    assert list(columns) == list(Position)
    assert columns[P.ALLY] == (first, third)
    assert columns[P.IN_THE_WAY] == (first,)
    assert columns[P.UNKNOWN] == (second, third, fourth)
    assert columns[P.LEANS_ALLY] == ()
    assert columns[P.MIXED] == ()
    assert columns[P.LEANS_IN_THE_WAY] == ()


def test_it_lets_an_assessors_last_assessment_win() -> None:
    reflection = reflect(
        CHART,
        [
            _a("Aroha", "first", P.IN_THE_WAY, "angry at the hui"),
            _a("Tui", "first", P.LEANS_ALLY),
            _a("Aroha", "first", P.ALLY, "calmer now, checks in every week"),
        ],
    )
    row = reflection.row("first")

    assert [(a.assessor, a.position) for a in row.assessments] == [
        ("Aroha", P.ALLY),
        ("Tui", P.LEANS_ALLY),
    ]
    assert row.assessments[0].evidence == "calmer now, checks in every week"
    assert reflection.counts[P.IN_THE_WAY] == 0
    assert sum(reflection.counts.values()) == 2


def test_it_sorts_assessments_and_lists_assessors() -> None:
    reflection = reflect(
        CHART,
        [
            _a("Tui", "first", P.MIXED),
            _a("Hemi", "second", P.ALLY),
            _a("Aroha", "first", P.ALLY),
        ],
    )

    assert [a.assessor for a in reflection.row("first").assessments] == ["Aroha", "Tui"]
    assert reflection.assessors == ("Aroha", "Hemi", "Tui")


def test_it_refuses_an_assessment_for_a_row_not_in_the_chart() -> None:
    with pytest.raises(ChartError, match=r"chart 'test-chart' version 3 has no row 'fifth'"):
        reflect(CHART, [_a("Aroha", "first", P.ALLY), _a("Aroha", "fifth", P.ALLY)])


def test_it_refuses_a_row_reflection_built_from_another_rows_assessment() -> None:
    with pytest.raises(ChartError, match=r"row 'second' was given to row 'first'"):
        RowReflection(row=CHART.rows[0], assessments=(_a("Aroha", "second", P.ALLY),))


def test_it_refuses_a_row_reflection_with_one_assessor_twice() -> None:
    with pytest.raises(ValueError, match=r"one assessor has more than one assessment"):
        RowReflection(
            row=CHART.rows[0],
            assessments=(_a("Aroha", "first", P.ALLY), _a("Aroha", "first", P.MIXED)),
        )


def test_it_reads_assessments_from_any_iterable_once() -> None:
    assessments = (_a(name, "first", P.LEANS_ALLY) for name in ("Aroha", "Tui"))

    reflection = reflect(CHART, assessments)

    assert reflection.counts[P.LEANS_ALLY] == 2
