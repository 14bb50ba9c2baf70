"""The few SVG pieces the pictures share: escaping, elements, boxes and text widths.

Every string that reaches the SVG goes through `escape` (text) or `attr` (attribute
values): an alias is user text, and `</svg><script>` must come out as inert characters.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "FONT",
    "SVG_NS",
    "Box",
    "attr",
    "diamond",
    "element",
    "escape",
    "fmt",
    "text_width",
    "wrap",
]

SVG_NS = "http://www.w3.org/2000/svg"

FONT = "DejaVu Sans, Verdana, Segoe UI, Arial, sans-serif"
"""Wide fonts first: label widths are estimated for them, so narrower ones only leave
more room (see `text_width`)."""

# Characters XML 1.0 cannot carry at all; the domain refuses them on input, and this
# keeps a picture well-formed even if one slipped through an older record.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def escape(text: str) -> str:
    """`text` as SVG/XML character data (also safe inside an attribute value)."""
    text = _NOT_XML.sub("\ufffd", text)
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


def fmt(number: float) -> str:
    """A coordinate, short: one decimal at most, no trailing zero."""
    text = f"{number:.1f}".rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def attr(name: str, value: str | float) -> str:
    """One attribute, its value escaped (numbers formatted with `fmt`)."""
    shown = fmt(value) if isinstance(value, int | float) else escape(value)
    return f' {name}="{shown}"'


def element(tag: str, content: str = "", /, **attributes: str | float) -> str:
    """An element; attribute names use ``_`` for ``-`` (``stroke_width``), and a trailing
    ``_`` is dropped (``class_``). `content` is markup already built (escape text before
    passing it)."""
    attrs = "".join(
        attr(name.rstrip("_").replace("_", "-"), value) for name, value in attributes.items()
    )
    return f"<{tag}{attrs}>{content}</{tag}>" if content else f"<{tag}{attrs}/>"


def diamond(x: float, y: float, d: float) -> str:
    """The points of a diamond centred on (x, y), `d` from centre to each corner."""
    return (
        f"{fmt(x)},{fmt(y - d)} {fmt(x + d)},{fmt(y)} {fmt(x)},{fmt(y + d)} {fmt(x - d)},{fmt(y)}"
    )


@dataclass(frozen=True)
class Box:
    """An axis-aligned box in the picture's own units."""

    left: float
    top: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height

    def overlaps(self, other: Box, gap: float = 0.0) -> bool:
        """True when the two boxes share any area (or come closer than `gap`)."""
        return (
            self.left < other.right + gap
            and other.left < self.right + gap
            and self.top < other.bottom + gap
            and other.top < self.bottom + gap
        )


# Advance widths, in ems, at or above DejaVu Sans's (the widest common sans-serif), so
# that an estimate is never narrower than the text as drawn.
_NARROW = set("il.,:;|!'`ĳı")
_SMALL = set("fjrt()[]{}-/\\ ")
_WIDE_LOWER = set("mw")
_WIDE_UPPER = set("MW@%&")


def text_width(text: str, size: float) -> float:
    """An upper estimate of how wide `text` is when drawn at font size `size`."""
    ems = 0.0
    for char in text:
        if char in _NARROW:
            ems += 0.34
        elif char in _SMALL:
            ems += 0.46
        elif char in _WIDE_LOWER:
            ems += 1.0
        elif char in _WIDE_UPPER:
            ems += 1.05
        elif unicodedata.combining(char):
            continue
        elif unicodedata.east_asian_width(char) in {"W", "F"}:
            ems += 1.1
        elif char.isupper():
            ems += 0.82
        elif ord(char) > 0x2000 and not char.isalnum():
            ems += 1.3  # symbols and emoji, drawn from whatever font has them
        else:
            ems += 0.64
    return ems * size


def wrap(text: str, size: float, width: float) -> list[str]:
    """`text` broken at spaces into lines that fit `width` (a longer word keeps a line of
    its own)."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", size) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]
