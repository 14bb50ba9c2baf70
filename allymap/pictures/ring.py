"""The ring map: everyone on the map around the person doing harm, in rings by closeness.

Each person is a marker whose shape and fill pattern (never colour alone) show which way
the team's answers about them lean (`Lean`, a category read off the answers, never a
score), with a badge for where asking them stands (`Badge`) and a bar beneath when they
hold a role. Labels are placed so that no two overlap and none covers a marker:

1. People are spread evenly around their ring, in the order given. A crowded ring gets
   more tracks (circles a little further out), its people taking turns between them, so
   markers keep `MIN_ARC` apart along a track; a marker that would still meet one placed
   before it moves out along its ray until it is clear.
2. Labels are cut to `LABEL_MAX` characters (`LABEL_MAX_CROWDED` with more than
   `CROWDED` people). Each label's box is measured by an upper estimate of its text's
   width (`svg.text_width`), and the inner rings' labels choose first. A box is tried
   beside its marker (outward, then inward), above and below it; then nearby, nearest
   first and outward first, with a thin leader line; then ever further out along the
   marker's ray. The first place that meets no marker, ring name or label already placed
   wins. Far enough out nothing is in the way, so every label finds a place.
3. The picture's view box grows to hold everything.

The same input always gives the same picture. `RingPicture.labels` are the boxes drawn,
so a test can check that none overlap.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from allymap.pictures.svg import FONT, SVG_NS, Box, diamond, element, escape, fmt, text_width, wrap

__all__ = [
    "Badge",
    "Lean",
    "RingPerson",
    "RingPicture",
    "RingWords",
    "badge_swatch",
    "lean_of",
    "lean_swatch",
    "ring_map",
    "role_swatch",
]

RINGS = 4
"""Close, in between, further out, and not sure (outermost, drawn dashed)."""

LABEL_SIZE = 13.0
LABEL_HEIGHT = 18.0
LABEL_PAD = 3.0
LABEL_MAX = 22
"""Longer labels are cut with "…" (the table beside the picture has them whole)."""
LABEL_MAX_CROWDED = 15
CROWDED = 30
"""With more people than this, labels are cut at `LABEL_MAX_CROWDED`."""
MARKER_R = 9.0
CENTRE_R = 42.0
FIRST_R = 104.0
TRACK_GAP = 34.0
RING_GAP = 84.0
MIN_ARC = 56.0
MARGIN = 12.0
_NEARBY = (24, 36, 50, 66)
"""How far from its marker a label set apart is first looked for (then further out)."""
_TURNS = tuple(
    sign * k * math.pi / 8 for k in range(0, 4) for sign in ((1,) if k == 0 else (1, -1))
)
"""Directions tried from the marker's own ray, outward first, up to 67.5 degrees."""

INK = "#1b3a44"
DARK = "#24505f"
HATCH = "#6b4a2b"
PAPER = "#fbfaf6"
BANDS = ("#eef3f1", "#f6f3ea", "#eef3f1", "#ffffff")


class Lean(StrEnum):
    """Where the team's answers about a person lean, as a category (never a score)."""

    ALLY = "ally"
    """More answers on the accountability-ally side than on either other."""
    MIXED = "mixed"
    """No side has more answers than both others."""
    IN_THE_WAY = "in_the_way"
    """More answers on the might-get-in-the-way side than on either other."""
    MOSTLY_UNKNOWN = "mostly_unknown"
    """On more than half the rows nobody on the team knows yet: too little known to lean
    either way."""
    NOT_YET = "not_yet"
    """No known answers yet: nobody has reflected, or every answer is "don't know yet"."""


def lean_of(*, ally: int, between: int, in_the_way: int, rows_not_known: int, rows: int) -> Lean:
    """The lean of a person's known answers, counted by side of the chart: a side leads
    only when it has more answers than each of the other two; otherwise "mixed". When on
    more than half of the chart's `rows` nobody knows yet (`rows_not_known`: rows with
    no known answer from anyone), nothing leads: "mostly not known yet".

    Counted by rows, not answers: a team member who wrote about two rows has left the
    other eight, and that must not outweigh what the rest of the team knows."""
    known = ally + between + in_the_way
    if known == 0:
        return Lean.NOT_YET
    if rows_not_known * 2 > rows:
        return Lean.MOSTLY_UNKNOWN
    if ally > between and ally > in_the_way:
        return Lean.ALLY
    if in_the_way > between and in_the_way > ally:
        return Lean.IN_THE_WAY
    return Lean.MIXED


class Badge(StrEnum):
    """Where asking someone stands, as a small badge ("only an idea" has none)."""

    NONE = "none"
    TO_ASK = "to_ask"
    ASKED = "asked"
    AGREED = "agreed"
    NOT_NOW = "not_now"
    """Declined, or stepped back."""


@dataclass(frozen=True)
class RingPerson:
    """One person on the map as the picture shows them.

    `ring` is 0 (close) to 3 (not sure); `label` is what is written beside the marker
    (an alias, a number or initials); `title` is the marker's tooltip (never more than
    the page around it shows)."""

    label: str
    title: str
    ring: int
    lean: Lean
    badge: Badge = Badge.NONE
    role: bool = False


@dataclass(frozen=True)
class RingWords:
    """The words the picture needs, already translated: its title and description, who
    is at the centre, and the four rings' names, closest first."""

    title: str
    desc: str
    centre: str
    rings: tuple[str, str, str, str]


@dataclass(frozen=True)
class RingPicture:
    """The SVG text, and where its labels and markers were drawn (one box each, in the
    order of the people given), in the view box's units."""

    svg: str
    labels: tuple[Box, ...]
    markers: tuple[Box, ...]
    view: Box


@dataclass(frozen=True)
class _Placed:
    x: float
    y: float
    angle: float


class _Grid:
    """Boxes bucketed by a coarse grid, so asking what a box meets looks only nearby.

    Boxes are kept as (left, top, right, bottom) tuples: this is the layout's hot path."""

    CELL = 64.0
    SHIFT = 1e6
    """Added before dividing, so int() floors (coordinates stay far above -SHIFT)."""

    def __init__(self, boxes: Sequence[Box] = ()) -> None:
        self.boxes: list[Box] = []
        self._rects: list[tuple[float, float, float, float]] = []
        self._cells: dict[tuple[int, int], list[int]] = {}
        for box in boxes:
            self.add(box)

    def add(self, box: Box) -> None:
        self.boxes.append(box)
        self._rects.append((box.left, box.top, box.right, box.bottom))
        c, z = self.CELL, self.SHIFT
        for i in range(int((box.left + z) / c), int((box.right + z) / c) + 1):
            for j in range(int((box.top + z) / c), int((box.bottom + z) / c) + 1):
                self._cells.setdefault((i, j), []).append(len(self._rects) - 1)

    def meets(self, left: float, top: float, width: float, height: float, gap: float) -> bool:
        """True when the box comes within `gap` of a box in the grid."""
        right, bottom = left + width, top + height
        c, z = self.CELL, self.SHIFT
        cells = self._cells
        rects = self._rects
        for i in range(int((left - gap + z) / c), int((right + gap + z) / c) + 1):
            for j in range(int((top - gap + z) / c), int((bottom + gap + z) / c) + 1):
                for index in cells.get((i, j), ()):
                    l2, t2, r2, b2 = rects[index]
                    if (
                        left < r2 + gap
                        and l2 < right + gap
                        and top < b2 + gap
                        and t2 < bottom + gap
                    ):
                        return True
        return False

    def meets_box(self, box: Box, gap: float) -> bool:
        return self.meets(box.left, box.top, box.width, box.height, gap)


def ring_map(
    people: Sequence[RingPerson],
    words: RingWords,
    *,
    ident: str,
    label_size: float = LABEL_SIZE,
) -> RingPicture:
    """Draw the ring map. `ident` starts every id in the SVG (unique on its page);
    `label_size` is the labels' font size (larger for a shared screen)."""
    radii, reach, places = _spread(people)
    markers = [_marker_box(p) for p in places]
    obstacles = _Grid([*markers, Box(-CENTRE_R, -CENTRE_R, 2 * CENTRE_R, 2 * CENTRE_R)])
    ring_names = _ring_names(words.rings, reach, obstacles)
    for box, _name in ring_names:
        obstacles.add(box)
    most = LABEL_MAX if len(people) <= CROWDED else LABEL_MAX_CROWDED
    labels_shown = [_cut(person.label, most) for person in people]
    # The inner rings have the least room, so their labels choose first.
    order = sorted(range(len(people)), key=lambda i: (people[i].ring, places[i].angle))
    chosen: dict[int, tuple[Box, tuple[float, float, float, float] | None]] = {}
    for index in order:
        box, leader = _place_label(labels_shown[index], places[index], obstacles, label_size)
        obstacles.add(box)
        chosen[index] = (box, leader)
    labels = [chosen[i][0] for i in range(len(people))]
    leaders = [chosen[i][1] for i in range(len(people))]

    outer = reach[-1] + 26
    extent = [Box(-outer, -outer, 2 * outer, 2 * outer), *obstacles.boxes]
    left = min(b.left for b in extent) - MARGIN
    top = min(b.top for b in extent) - MARGIN
    view = Box(
        left,
        top,
        max(b.right for b in extent) + MARGIN - left,
        max(b.bottom for b in extent) + MARGIN - top,
    )

    parts = [
        element("title", escape(words.title), id=f"{ident}-title"),
        element("desc", escape(words.desc), id=f"{ident}-desc"),
        _defs(ident),
        element(
            "rect",
            x=view.left,
            y=view.top,
            width=view.width,
            height=view.height,
            fill=PAPER,
        ),
        _bands(radii, reach),
        _centre(words.centre),
    ]
    parts += [
        element(
            "text",
            escape(name),
            x=box.left + box.width / 2,
            y=box.top + 13,
            class_="ring-name",
            text_anchor="middle",
            font_size=12,
            font_style="italic",
            fill="#4a5a5e",
        )
        for box, name in ring_names
    ]
    # One path for all leader lines, one group for the labels: a map of 60 stays light.
    strokes = " ".join(
        f"M{fmt(x1)} {fmt(y1)}L{fmt(x2)} {fmt(y2)}"
        for leader in leaders
        if leader is not None
        for x1, y1, x2, y2 in [leader]
    )
    if strokes:
        parts.append(
            element(
                "path", d=strokes, fill="none", stroke="#6f7f83", stroke_width=0.8, class_="leaders"
            )
        )
    parts += [_person(person, place, ident) for person, place in zip(people, places, strict=True)]
    parts.append(
        element(
            "g",
            "".join(
                _label(shown, box, label_size)
                for shown, box in zip(labels_shown, labels, strict=True)
            ),
            class_="labels",
            font_size=label_size,
            fill=INK,
        )
    )
    svg = (
        f'<svg xmlns="{SVG_NS}" class="ring-map" role="img"'
        f' aria-labelledby="{ident}-title {ident}-desc"'
        f' viewBox="{fmt(view.left)} {fmt(view.top)} {fmt(view.width)} {fmt(view.height)}"'
        f' width="{fmt(view.width)}" height="{fmt(view.height)}"'
        f' font-family="{escape(FONT)}">' + "".join(parts) + "</svg>"
    )
    return RingPicture(svg=svg, labels=tuple(labels), markers=tuple(markers), view=view)


def _cut(label: str, most: int = LABEL_MAX) -> str:
    label = " ".join(label.split())
    return label if len(label) <= most else label[: most - 1].rstrip() + "…"


def _spread(
    people: Sequence[RingPerson],
) -> tuple[list[list[float]], list[float], list[_Placed]]:
    """Each ring's track radii, how far out its markers reach, and where each person's
    marker goes. A marker whose box (badge and role bar included) would meet one placed
    before it moves out along its ray until it is clear."""
    by_ring: list[list[int]] = [[] for _ in range(RINGS)]
    for index, person in enumerate(people):
        by_ring[min(max(person.ring, 0), RINGS - 1)].append(index)
    radii: list[list[float]] = []
    reach: list[float] = []
    places: dict[int, _Placed] = {}
    boxes = _Grid()
    start = FIRST_R
    for ring, members in enumerate(by_ring):
        count = len(members)
        tracks = max(1, math.ceil(count * MIN_ARC / (2 * math.pi * start)))
        track_radii = [start + t * TRACK_GAP for t in range(tracks)]
        radii.append(track_radii)
        offset = -math.pi / 2 + 0.41 * ring + (math.pi / count if count else 0)
        furthest = track_radii[-1]
        for n, index in enumerate(members):
            angle = offset + 2 * math.pi * n / count
            radius = track_radii[n % tracks]
            place = _Placed(radius * math.cos(angle), radius * math.sin(angle), angle)
            while boxes.meets_box(_marker_box(place), 1):
                radius += 4
                place = _Placed(radius * math.cos(angle), radius * math.sin(angle), angle)
            boxes.add(_marker_box(place))
            places[index] = place
            furthest = max(furthest, radius)
        reach.append(furthest)
        start = furthest + RING_GAP + (TRACK_GAP if tracks > 1 else 0)
    return radii, reach, [places[i] for i in range(len(people))]


def _marker_box(place: _Placed) -> Box:
    # The marker, its badge (up and right) and its role bar (below).
    return Box(place.x - MARKER_R - 1, place.y - MARKER_R - 6, 2 * MARKER_R + 8, 2 * MARKER_R + 12)


def _ring_names(
    names: Sequence[str], reach: list[float], obstacles: _Grid
) -> list[tuple[Box, str]]:
    """Each ring's name just outside its outer track, near the top, clear of markers."""
    placed: list[tuple[Box, str]] = []
    for name, furthest in zip(names, reach, strict=True):
        width = text_width(name, 12) + 2 * LABEL_PAD
        radius = furthest + 20
        for step in range(0, 72):
            turn = (step + 1) // 2 * (1 if step % 2 else -1) * (math.pi / 72)
            angle = -math.pi / 2 + turn
            x, y = radius * math.cos(angle), radius * math.sin(angle)
            box = Box(x - width / 2, y - 9, width, 17)
            if not obstacles.meets_box(box, 2) and not any(box.overlaps(b, 2) for b, _ in placed):
                placed.append((box, name))
                break
        else:
            y = -(radius + RING_GAP / 2)
            placed.append((Box(-width / 2, y - 9, width, 17), name))
    return placed


def _place_label(
    label: str, place: _Placed, obstacles: _Grid, size: float
) -> tuple[Box, tuple[float, float, float, float] | None]:
    """The first free place for a label, and its leader line when it is set apart:
    beside, above or below its marker; else nearby, nearest first and outward first;
    else ever further out along the marker's ray."""
    width = text_width(label, size) + 2 * LABEL_PAD
    h = size * LABEL_HEIGHT / LABEL_SIZE
    x, y = place.x, place.y
    right = math.cos(place.angle) >= -1e-9
    near = MARKER_R + 5
    out, back = (x + near, x - near - width) if right else (x - near - width, x + near)
    lift = h / 2 + 2
    up = y - MARKER_R - 7 - h
    down = y + MARKER_R + 6
    toward = x - 4 if right else x + 4 - width
    middle = y - h / 2
    # (left, top) of each place tried beside, above or below the marker.
    candidates = (
        (out, middle),
        (out, middle - lift),
        (out, middle + lift),
        (back, middle),
        (x - width / 2, up),
        (x - width / 2, down),
        (toward, up),
        (toward, down),
        (back, middle - lift),
        (back, middle + lift),
    )
    for left, top in candidates:
        if not obstacles.meets(left, top, width, h, 1):
            return Box(left, top, width, h), None
    for distance in _NEARBY:
        for cos, sin in _directions(place.angle):
            ax, ay = x + distance * cos, y + distance * sin
            left = ax if cos >= 0 else ax - width
            if not obstacles.meets(left, ay - h / 2, width, h, 1):
                return Box(left, ay - h / 2, width, h), (
                    x + cos * MARKER_R,
                    y + sin * MARKER_R,
                    ax,
                    ay,
                )
    ux, uy = math.cos(place.angle), math.sin(place.angle)
    step = 1
    while True:
        reach = near + 8 + step * 9
        px, py = x + ux * reach, y + uy * reach
        for dy in (0.0, -h / 2 - 1, h / 2 + 1):
            left = px + 2 if right else px - 2 - width
            top = py - h / 2 + dy
            if not obstacles.meets(left, top, width, h, 1):
                end_x = left if right else left + width
                end_y = min(max(py, top + 2), top + h - 2)
                return Box(left, top, width, h), (
                    x + ux * MARKER_R,
                    y + uy * MARKER_R,
                    end_x,
                    end_y,
                )
        step += 1


def _directions(angle: float) -> list[tuple[float, float]]:
    return [(math.cos(angle + turn), math.sin(angle + turn)) for turn in _TURNS]


def _defs(ident: str) -> str:
    hatch = element(
        "pattern",
        element("rect", width=5, height=5, fill="#ffffff")
        + element("path", d="M0 5 L5 0 M-1 1 L1 -1 M4 6 L6 4", stroke=HATCH, stroke_width=1.4),
        id=f"{ident}-hatch",
        patternUnits="userSpaceOnUse",
        width=5,
        height=5,
    )
    return element("defs", hatch)


def _bands(radii: list[list[float]], reach: list[float]) -> str:
    parts: list[str] = []
    outlines: list[str] = []
    for ring in reversed(range(RINGS)):
        tracks = radii[ring]
        outer = reach[ring] + RING_GAP / 2
        parts.append(element("circle", cx=0, cy=0, r=outer, fill=BANDS[ring]))
        for radius in tracks:
            outlines.append(
                element(
                    "circle",
                    cx=0,
                    cy=0,
                    r=radius,
                    fill="none",
                    stroke="#b9c4c2",
                    stroke_width=1,
                    stroke_dasharray="4 4" if ring == RINGS - 1 else "none",
                )
            )
    inner = radii[0][0] - RING_GAP / 2
    parts.append(element("circle", cx=0, cy=0, r=max(inner, CENTRE_R + 4), fill=PAPER))
    return element("g", "".join(parts + outlines), class_="rings")


def _centre(words: str) -> str:
    lines = wrap(words, 11, CENTRE_R * 1.7)
    shown = lines[:3]
    if len(lines) > 3:
        shown[-1] = shown[-1] + "…"
    texts = "".join(
        element(
            "text",
            escape(_cut(line)),
            x=0,
            y=(n - (len(shown) - 1) / 2) * 13 + 4,
            text_anchor="middle",
            font_size=11,
            fill="#ffffff",
        )
        for n, line in enumerate(shown)
    )
    disc = element("circle", cx=0, cy=0, r=CENTRE_R, fill=INK)
    return element("g", disc + texts, class_="centre")


def _shape(lean: Lean, x: float, y: float, ident: str, r: float = MARKER_R) -> str:
    if lean is Lean.ALLY:
        return element("circle", cx=x, cy=y, r=r, fill=DARK, stroke=INK, stroke_width=1.2)
    if lean is Lean.MIXED:
        side = r * 1.7
        return element(
            "rect",
            x=x - side / 2,
            y=y - side / 2,
            width=side,
            height=side,
            fill="#ffffff",
            stroke=INK,
            stroke_width=1.2,
        ) + element(
            "path",
            d=f"M{fmt(x - side / 2)} {fmt(y - side / 2)} h{fmt(side / 2)} v{fmt(side)} "
            f"h{fmt(-side / 2)} z",
            fill=DARK,
        )
    if lean is Lean.MOSTLY_UNKNOWN:
        # A dashed triangle with a dot inside: dashed like "not yet" (most is not known),
        # a shape of its own, the dot for the little that is.
        h = r * 1.1
        points = " ".join(
            f"{fmt(px)},{fmt(py)}"
            for px, py in ((x, y - h), (x + h * 0.95, y + h * 0.7), (x - h * 0.95, y + h * 0.7))
        )
        return element(
            "polygon",
            points=points,
            fill="#ffffff",
            stroke=INK,
            stroke_width=1.3,
            stroke_dasharray="2.5 2",
        ) + element("circle", cx=x, cy=y + h * 0.15, r=r * 0.28, fill=INK)
    if lean is Lean.IN_THE_WAY:
        d = r * 1.25
        return element(
            "polygon",
            points=diamond(x, y, d),
            fill=f"url(#{ident}-hatch)",
            stroke=HATCH,
            stroke_width=1.4,
        )
    return element(
        "circle",
        cx=x,
        cy=y,
        r=r * 0.8,
        fill="#ffffff",
        stroke=INK,
        stroke_width=1.3,
        stroke_dasharray="2.5 2",
    )


def _badge(badge: Badge, x: float, y: float) -> str:
    if badge is Badge.NONE:
        return ""
    ring = element("circle", cx=x, cy=y, r=4.6, fill="#ffffff", stroke=INK, stroke_width=1)
    if badge is Badge.AGREED:
        glyph = element(
            "path",
            d=f"M{fmt(x - 2.4)} {fmt(y)} l1.7 1.8 l3.2 -3.6",
            fill="none",
            stroke=INK,
            stroke_width=1.5,
        )
    elif badge is Badge.ASKED:
        # A clock's hands: waiting to hear.
        glyph = element(
            "path",
            d=f"M{fmt(x)} {fmt(y - 2.8)} V{fmt(y)} h2.2",
            fill="none",
            stroke=INK,
            stroke_width=1.2,
        )
    elif badge is Badge.TO_ASK:
        glyph = element(
            "path",
            d=f"M{fmt(x - 2.5)} {fmt(y)} h4.5 M{fmt(x + 0.3)} {fmt(y - 2)} l2 2 l-2 2",
            fill="none",
            stroke=INK,
            stroke_width=1.2,
        )
    else:
        glyph = element(
            "path", d=f"M{fmt(x - 2.5)} {fmt(y)} h5", fill="none", stroke=INK, stroke_width=1.6
        )
    return ring + glyph


def _role(x: float, y: float) -> str:
    return element(
        "path",
        d=f"M{fmt(x - MARKER_R)} {fmt(y + MARKER_R + 3.5)} h{fmt(2 * MARKER_R)}",
        stroke=INK,
        stroke_width=2.6,
        stroke_linecap="round",
    )


def _person(person: RingPerson, place: _Placed, ident: str) -> str:
    x, y = place.x, place.y
    content = element("title", escape(person.title))
    content += _shape(person.lean, x, y, ident)
    content += _badge(person.badge, x + MARKER_R * 0.8, y - MARKER_R * 0.8)
    if person.role:
        content += _role(x, y)
    return element("g", content, class_=f"person lean-{person.lean.value}")


def _label(label: str, box: Box, size: float) -> str:
    """A label's white backing, then its text (drawn in the labels' group's font size and
    ink): each text right after the box it was measured for."""
    backing = element(
        "rect",
        x=box.left,
        y=box.top + 1,
        width=box.width,
        height=box.height - 2,
        fill="#fff",
        fill_opacity=0.88,
    )
    text = element(
        "text",
        escape(label),
        x=box.left + LABEL_PAD,
        y=box.top + box.height / 2 + size * 0.36,
        class_="label",
    )
    return backing + text


def _swatch(content: str, size: float = 24, shown: float = 24) -> str:
    return (
        f'<svg xmlns="{SVG_NS}" class="swatch" aria-hidden="true" focusable="false"'
        f' viewBox="{fmt(-size / 2)} {fmt(-size / 2)} {fmt(size)} {fmt(size)}"'
        f' width="{fmt(shown)}" height="{fmt(shown)}">{content}</svg>'
    )


def lean_swatch(lean: Lean, *, ident: str) -> str:
    """A small SVG of a lean's marker, for the legend (decorative: the words say it). Only
    the hatched marker carries the hatch's pattern with it."""
    defs = _defs(ident) if lean is Lean.IN_THE_WAY else ""
    return _swatch(defs + _shape(lean, 0, 0, ident))


def badge_swatch(badge: Badge) -> str:
    """A small SVG of a consent badge, for the legend."""
    return _swatch(_badge(badge, 0, 0), 12, 22)


def role_swatch() -> str:
    """A small SVG of the role bar under a faint marker, for the legend."""
    faint = element("circle", cx=0, cy=-3, r=MARKER_R * 0.7, fill="none", stroke="#9aa8ab")
    return _swatch(faint + _role(0, -3 - MARKER_R * 0.3))
