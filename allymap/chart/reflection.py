"""A reflection on one person: what every team member recorded, row by row.

This module deliberately computes no score, rank, average or verdict. It lays the
recorded positions out in the chart's own terms, counts them where counting helps, and
points at what is worth talking about: rows nobody knows about yet, and rows where
team members see the person differently. People decide; the software only shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from allymap.chart.model import Chart, ChartError, Row
from allymap.chart.positions import Position

DISAGREEMENT_STEPS = 2
"""Two known positions this many steps apart (or more) are a disagreement to talk about."""


@dataclass(frozen=True)
class Assessment:
    """One team member's position for one person on one row, with what makes them think so.

    ``assessor`` identifies the team member (an alias or id, never shown to the mapped
    person); ``row_key`` is a :attr:`Row.key`; ``evidence`` may be empty.
    """

    assessor: str
    row_key: str
    position: Position
    evidence: str = ""


@dataclass(frozen=True)
class RowReflection:
    """Everything recorded for one row, one assessment per assessor, sorted by assessor.

    Construction sorts ``assessments`` by assessor. It raises :class:`ChartError` if an
    assessment belongs to another row and ``ValueError`` if one assessor appears twice
    (:func:`reflect` resolves repeats before building rows).
    """

    row: Row
    assessments: tuple[Assessment, ...] = ()

    def __post_init__(self) -> None:
        for assessment in self.assessments:
            if assessment.row_key != self.row.key:
                raise ChartError(
                    f"an assessment for row {assessment.row_key!r} "
                    f"was given to row {self.row.key!r}"
                )
        ordered = tuple(sorted(self.assessments, key=lambda assessment: assessment.assessor))
        if len({assessment.assessor for assessment in ordered}) != len(ordered):
            raise ValueError(f"row {self.row.key!r}: one assessor has more than one assessment")
        object.__setattr__(self, "assessments", ordered)

    @property
    def positions(self) -> frozenset[Position]:
        """The distinct positions chosen for this row, UNKNOWN included."""
        return frozenset(assessment.position for assessment in self.assessments)

    @property
    def counts(self) -> dict[Position, int]:
        """How many assessors chose each position; all six positions are keys, in enum order."""
        return _count(self.assessments)

    @property
    def unknown(self) -> bool:
        """True when nobody has recorded a known position: no assessments, or all UNKNOWN."""
        return not any(assessment.position.known for assessment in self.assessments)

    @property
    def disagreement(self) -> bool:
        """True when two known positions are two or more steps apart.

        UNKNOWN never takes part: "don't know yet" disagrees with nobody.
        """
        steps = [
            step
            for assessment in self.assessments
            if (step := assessment.position.step) is not None
        ]
        return bool(steps) and max(steps) - min(steps) >= DISAGREEMENT_STEPS


@dataclass(frozen=True)
class Reflection:
    """The reflection on one person against one chart version, rows in chart order."""

    chart_id: str
    chart_version: int
    rows: tuple[RowReflection, ...]

    @property
    def counts(self) -> dict[Position, int]:
        """How many assessments sit in each of the six columns; every position is a key.

        This counts assessments (one per assessor per row), not people or rows, and is
        not a score: it is only what the team recorded, added up column by column.
        """
        return _count(
            assessment for row_reflection in self.rows for assessment in row_reflection.assessments
        )

    @property
    def unknown_rows(self) -> tuple[RowReflection, ...]:
        """Rows nobody has a known position for yet, in chart order: questions to find out."""
        return tuple(row_reflection for row_reflection in self.rows if row_reflection.unknown)

    @property
    def disagreements(self) -> tuple[RowReflection, ...]:
        """Rows where team members' known positions are two or more steps apart."""
        return tuple(row_reflection for row_reflection in self.rows if row_reflection.disagreement)

    @property
    def assessors(self) -> tuple[str, ...]:
        """Everyone who recorded at least one assessment, sorted."""
        return tuple(
            sorted(
                {
                    assessment.assessor
                    for row_reflection in self.rows
                    for assessment in row_reflection.assessments
                }
            )
        )

    def by_column(self) -> dict[Position, tuple[RowReflection, ...]]:
        """For each of the six positions in enum order, the rows where someone chose it.

        A row team members disagree on appears under every position chosen for it. A row
        with no assessment at all appears under UNKNOWN. Within a column rows keep chart
        order; every position is a key, with an empty tuple if no row sits there.
        """
        columns: dict[Position, list[RowReflection]] = {position: [] for position in Position}
        for row_reflection in self.rows:
            chosen = row_reflection.positions or frozenset({Position.UNKNOWN})
            for position in Position:
                if position in chosen:
                    columns[position].append(row_reflection)
        return {position: tuple(rows) for position, rows in columns.items()}

    def row(self, key: str) -> RowReflection:
        """The reflection for the row with this key; raises ``KeyError`` if there is none."""
        for row_reflection in self.rows:
            if row_reflection.row.key == key:
                return row_reflection
        raise KeyError(key)


def reflect(chart: Chart, assessments: Iterable[Assessment]) -> Reflection:
    """Gather every assessor's positions on one person into a :class:`Reflection`.

    Every row of ``chart`` appears, in chart order, whether assessed or not. Nothing is
    dropped silently: an assessment whose ``row_key`` is not in the chart raises
    :class:`ChartError`. If one assessor has several assessments for the same row, the
    last one in ``assessments`` wins (callers pass them oldest first, so the latest
    position counts and earlier ones are history, not duplicates).
    """
    keys = set(chart.keys)
    latest: dict[tuple[str, str], Assessment] = {}
    for assessment in assessments:
        if assessment.row_key not in keys:
            raise ChartError(
                f"chart {chart.id!r} version {chart.version} has no row {assessment.row_key!r}"
            )
        latest[(assessment.row_key, assessment.assessor)] = assessment

    by_row: dict[str, list[Assessment]] = {key: [] for key in chart.keys}
    for (row_key, _assessor), assessment in latest.items():
        by_row[row_key].append(assessment)

    return Reflection(
        chart_id=chart.id,
        chart_version=chart.version,
        rows=tuple(
            RowReflection(row=row, assessments=tuple(by_row[row.key])) for row in chart.rows
        ),
    )


def _count(assessments: Iterable[Assessment]) -> dict[Position, int]:
    counts = dict.fromkeys(Position, 0)
    for assessment in assessments:
        counts[assessment.position] += 1
    return counts
