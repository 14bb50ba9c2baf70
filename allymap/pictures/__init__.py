"""Pictures of an intervention, drawn on the server as SVG text: pure Python, no Django.

The ring map (`ring`) shows everyone on the map around the person doing harm, in rings
by closeness; the row strip (`strip`) shows one person on the ten rows, one mark per team
member, and small multiples of how those answers moved across check-ins. Both take plain
frozen dataclasses (built by `allymap.services.pictures` from an intervention's state)
and words (translated by the web), and return SVG text in which every piece of text is
escaped. Nothing here scores or ranks anyone: a marker shows which way the team's
answers lean, as a category, and the rows show each answer as it was given.
"""

from __future__ import annotations

from allymap.pictures.ring import (
    Badge,
    Lean,
    RingPerson,
    RingPicture,
    RingWords,
    badge_swatch,
    lean_of,
    lean_swatch,
    ring_map,
    role_swatch,
)
from allymap.pictures.strip import (
    STEPS,
    MemberMark,
    StripRow,
    StripWords,
    member_swatch,
    row_strip,
    small_multiple,
)
from allymap.pictures.svg import SVG_NS, Box, text_width

__all__ = [
    "STEPS",
    "SVG_NS",
    "Badge",
    "Box",
    "Lean",
    "MemberMark",
    "RingPerson",
    "RingPicture",
    "RingWords",
    "StripRow",
    "StripWords",
    "badge_swatch",
    "lean_of",
    "lean_swatch",
    "member_swatch",
    "ring_map",
    "role_swatch",
    "row_strip",
    "small_multiple",
    "text_width",
]
