"""The chart: who could support a person doing harm to take responsibility and change.

Pure Python, no Django. A chart is a list of rows, each setting a quality of an
accountability ally against a quality of someone who might get in the way of
accountability and change (but who might still help in other ways). Charts are data,
shipped as TOML files and checked strictly on loading (:func:`load_chart`,
:func:`default_chart`, :func:`chart_by_id`).

Team members place a person on each row (a :class:`Position`, with evidence), and
:func:`reflect` lays those :class:`Assessment` values out row by row as a
:class:`Reflection`: counts per column, rows nobody knows about yet, and disagreements
to talk about. It never scores, ranks, averages or judges anyone.
"""

from __future__ import annotations

from allymap.chart.model import (
    CHARTS_DIR,
    DEFAULT_CHART_ID,
    Chart,
    ChartError,
    Row,
    chart_by_id,
    default_chart,
    load_chart,
)
from allymap.chart.positions import Position, Side
from allymap.chart.reflection import Assessment, Reflection, RowReflection, reflect

__all__ = [
    "CHARTS_DIR",
    "DEFAULT_CHART_ID",
    "Assessment",
    "Chart",
    "ChartError",
    "Position",
    "Reflection",
    "Row",
    "RowReflection",
    "Side",
    "chart_by_id",
    "default_chart",
    "load_chart",
    "reflect",
]
