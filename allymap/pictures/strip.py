"""The row strip: one person on the ten rows, from ally to might get in the way.

Each row is a line of six columns: the five positions from the accountability-ally
column to the might-get-in-the-way column, then "don't know yet" set apart. Each team
member has a mark of their own shape (`member_swatch` draws it for the key), so who
said what never rests on colour. Where members' known answers on a row sit apart, a bar
joins them: a thin one for one step, a thick outlined one for more, so differences show
at a glance. Nothing is added up.

`small_multiple` draws the same strip small and without words, for one moment (a
check-in), marking the rows that changed since the moment before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from allymap.pictures.svg import FONT, SVG_NS, diamond, element, escape, fmt, text_width, wrap

__all__ = [
    "STEPS",
    "MemberMark",
    "StripRow",
    "StripWords",
    "member_swatch",
    "row_strip",
    "small_multiple",
]

STEPS = 6
"""Columns: ally (0), leans ally, some of both, leans in the way, might get in the way
(4), and don't know yet (5)."""
UNKNOWN_STEP = 5
WIDE_APART = 2
"""Answers this many steps apart or more get the thick bar (the chart's disagreement)."""

INK = "#1b3a44"
FILL = "#24505f"
BAR = "#e7dcc3"
BAR_EDGE = "#8a6d3b"
COLUMN_FILLS = ("#e6efec", "#eef3f1", "#f5f3ee", "#f4eee6", "#efe6da", "#ffffff")

_SHAPES = ("circle", "square", "up", "diamond", "down", "cross")


@dataclass(frozen=True)
class MemberMark:
    """A team member as the key names them (their name, or "you")."""

    label: str


@dataclass(frozen=True)
class StripRow:
    """One row: its number and topic, and each member's step (0–5; None when that
    member has not reflected on this person at all), in the members' order. `changed`
    marks a row that moved since the moment before (small multiples only)."""

    number: int
    topic: str
    steps: tuple[int | None, ...]
    changed: bool = False


@dataclass(frozen=True)
class StripWords:
    """The strip's title and description, and the six columns' headings."""

    title: str
    desc: str
    columns: tuple[str, str, str, str, str, str]


def _mark(index: int, x: float, y: float, r: float) -> str:
    """Member `index`'s mark: six shapes, solid for the first six members, hollow for
    the next six, and so on."""
    shape = _SHAPES[index % len(_SHAPES)]
    solid = (index // len(_SHAPES)) % 2 == 0
    paint: dict[str, str | float] = {
        "fill": FILL if solid else "#ffffff",
        "stroke": INK,
        "stroke_width": max(r / 4.5, 0.8),
    }
    if shape == "circle":
        return element("circle", cx=x, cy=y, r=r, **paint)
    if shape == "square":
        s = r * 1.65
        return element("rect", x=x - s / 2, y=y - s / 2, width=s, height=s, **paint)
    if shape == "diamond":
        d = r * 1.3
        return element("polygon", points=diamond(x, y, d), **paint)
    if shape in {"up", "down"}:
        h = r * 1.2 * (1 if shape == "up" else -1)
        w = r * 1.25
        points = (
            f"{fmt(x)},{fmt(y - h)} {fmt(x + w)},{fmt(y + h * 0.8)} {fmt(x - w)},{fmt(y + h * 0.8)}"
        )
        return element("polygon", points=points, **paint)
    a, b = r * 1.1, r * 0.42
    cross = (
        f"M{fmt(x - b)} {fmt(y - a)} h{fmt(2 * b)} v{fmt(a - b)} h{fmt(a - b)} v{fmt(2 * b)} "
        f"h{fmt(b - a)} v{fmt(a - b)} h{fmt(-2 * b)} v{fmt(b - a)} h{fmt(b - a)} v{fmt(-2 * b)} "
        f"h{fmt(a - b)} z"
    )
    return element("path", d=cross, **paint)


def member_swatch(index: int) -> str:
    """A small SVG of member `index`'s mark, for the key (decorative: the name says it)."""
    return (
        f'<svg xmlns="{SVG_NS}" class="swatch" aria-hidden="true" focusable="false"'
        f' viewBox="-8 -8 16 16" width="16" height="16">{_mark(index, 0, 0, 5.5)}</svg>'
    )


def _spots(count: int, per_line: int, spacing: float) -> list[tuple[float, float]]:
    """Offsets for `count` marks in a cell, in lines of at most `per_line`."""
    spots: list[tuple[float, float]] = []
    lines = max(1, -(-count // per_line))
    for k in range(count):
        line, place = divmod(k, per_line)
        in_line = min(per_line, count - line * per_line)
        spots.append(((place - (in_line - 1) / 2) * spacing, (line - (lines - 1) / 2) * spacing))
    return spots


def _bars(row: StripRow, centre: Sequence[float], y: float, thin: float, thick: float) -> str:
    known = [step for step in row.steps if step is not None and step != UNKNOWN_STEP]
    if len(known) < 2 or max(known) == min(known):
        return ""
    left, right = centre[min(known)], centre[max(known)]
    wide = max(known) - min(known) >= WIDE_APART
    h = thick if wide else thin
    return element(
        "rect",
        x=left,
        y=y - h / 2,
        width=right - left,
        height=h,
        rx=h / 2,
        fill=BAR,
        stroke=BAR_EDGE if wide else "none",
        stroke_width=1,
        class_="apart-wide" if wide else "apart",
    )


def _cells(row: StripRow, centre: Sequence[float], y: float, r: float, spacing: float) -> str:
    parts: list[str] = []
    for step in range(STEPS):
        who = [m for m, s in enumerate(row.steps) if s == step]
        for member, (dx, dy) in zip(who, _spots(len(who), 4, spacing), strict=True):
            parts.append(_mark(member, centre[step] + dx, y + dy, r))
    return "".join(parts)


def row_strip(
    rows: Sequence[StripRow], members: Sequence[MemberMark], words: StripWords, *, ident: str
) -> str:
    """The strip for one person, every member's answer on every row."""
    size, head_size = 13.0, 11.0
    col_w, gap = 78.0, 10.0
    lines_needed = max(1, -(-max(1, len(members)) // 4))
    row_h = max(30.0, lines_needed * 15.0 + 10)
    topics = [f"{row.number}  {row.topic}" for row in rows]
    topic_w = min(max((text_width(t, size) for t in topics), default=80) + 14, 240)
    heads = [wrap(c, head_size, col_w - 6) for c in words.columns]
    head_h = max(len(h) for h in heads) * 13 + 10
    centre = [topic_w + col_w * (k + 0.5) + (gap if k == UNKNOWN_STEP else 0) for k in range(STEPS)]
    width = topic_w + col_w * STEPS + gap + 6
    height = head_h + row_h * len(rows) + 6
    parts = [
        element("title", escape(words.title), id=f"{ident}-title"),
        element("desc", escape(words.desc), id=f"{ident}-desc"),
        element("rect", x=0, y=0, width=width, height=height, fill="#ffffff"),
    ]
    for k in range(STEPS):
        parts.append(
            element(
                "rect",
                x=centre[k] - col_w / 2,
                y=0,
                width=col_w,
                height=height,
                fill=COLUMN_FILLS[k],
                stroke="#c9d2d0" if k == UNKNOWN_STEP else "none",
                stroke_dasharray="3 3",
            )
        )
        for n, line in enumerate(heads[k]):
            parts.append(
                element(
                    "text",
                    escape(line),
                    x=centre[k],
                    y=14 + n * 13,
                    font_size=head_size,
                    text_anchor="middle",
                    fill=INK,
                )
            )
    for n, (row, topic) in enumerate(zip(rows, topics, strict=True)):
        top = head_h + n * row_h
        y = top + row_h / 2
        parts.append(
            element(
                "line",
                x1=4,
                y1=top,
                x2=width - 4,
                y2=top,
                stroke="#d5dcda",
                stroke_width=1,
            )
        )
        shown = (
            topic if text_width(topic, size) + 14 <= topic_w else _fit(topic, size, topic_w - 14)
        )
        parts.append(element("text", escape(shown), x=6, y=y + 4.5, font_size=size, fill=INK))
        parts.append(_bars(row, centre, y, 3, 11))
        parts.append(_cells(row, centre, y, 5.5, 15))
    return (
        f'<svg xmlns="{SVG_NS}" class="row-strip" role="img"'
        f' aria-labelledby="{ident}-title {ident}-desc"'
        f' viewBox="0 0 {fmt(width)} {fmt(height)}" width="{fmt(width)}" height="{fmt(height)}"'
        f' font-family="{escape(FONT)}">' + "".join(parts) + "</svg>"
    )


def _fit(text: str, size: float, width: float) -> str:
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def small_multiple(rows: Sequence[StripRow], *, title: str, desc: str, ident: str) -> str:
    """One moment's strip, small and wordless but for row numbers; a dot beside a row
    number marks a row that changed since the moment before."""
    cell_w, row_h, left = 13.0, 10.0, 22.0
    width = left + cell_w * STEPS + 4 + 2
    height = row_h * len(rows) + 4
    centre = [left + cell_w * (k + 0.5) + (4 if k == UNKNOWN_STEP else 0) for k in range(STEPS)]
    parts = [
        element("title", escape(title), id=f"{ident}-title"),
        element("desc", escape(desc), id=f"{ident}-desc"),
        element("rect", x=0, y=0, width=width, height=height, fill="#ffffff"),
    ]
    for k in range(STEPS):
        parts.append(
            element(
                "rect",
                x=centre[k] - cell_w / 2,
                y=0,
                width=cell_w,
                height=height,
                fill=COLUMN_FILLS[k],
            )
        )
    for n, row in enumerate(rows):
        y = 2 + n * row_h + row_h / 2
        parts.append(
            element(
                "text",
                escape(str(row.number)),
                x=left - 8,
                y=y + 2.6,
                font_size=7,
                text_anchor="end",
                fill=INK,
            )
        )
        if row.changed:
            parts.append(element("circle", cx=left - 4, cy=y, r=1.8, fill=BAR_EDGE))
        parts.append(_bars(row, centre, y, 1.5, 5))
        parts.append(_cells(row, centre, y, 2.3, 5))
    return (
        f'<svg xmlns="{SVG_NS}" class="small-multiple" role="img"'
        f' aria-labelledby="{ident}-title {ident}-desc"'
        f' viewBox="0 0 {fmt(width)} {fmt(height)}" width="{fmt(width * 2)}"'
        f' height="{fmt(height * 2)}" font-family="{escape(FONT)}">' + "".join(parts) + "</svg>"
    )
