"""What a well-formed allymap SVG is: XML in the SVG namespace, made only of the SVG
elements and attributes the pictures use (and nothing that runs or loads anything).

Used by the pictures' own tests and by the page tests, on every SVG a page carries.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

SVG_NS = "http://www.w3.org/2000/svg"

ELEMENTS = frozenset(
    {
        "svg",
        "title",
        "desc",
        "defs",
        "pattern",
        "g",
        "rect",
        "circle",
        "path",
        "polygon",
        "line",
        "text",
    }
)
"""SVG 1.1 / 2 elements the pictures draw with: no script, foreignObject, image, use, a,
animate or style."""

ATTRIBUTES = frozenset(
    {
        "viewBox",
        "width",
        "height",
        "x",
        "y",
        "x1",
        "y1",
        "x2",
        "y2",
        "cx",
        "cy",
        "r",
        "rx",
        "d",
        "points",
        "fill",
        "fill-opacity",
        "stroke",
        "stroke-width",
        "stroke-dasharray",
        "stroke-linecap",
        "font-size",
        "font-style",
        "font-family",
        "text-anchor",
        "patternUnits",
        "id",
        "class",
        "role",
        "aria-labelledby",
        "aria-hidden",
        "focusable",
    }
)
"""Presentation and geometry attributes of SVG, and the ARIA ones: no `on*` handler, no
`href`, no `style`."""

_SVG_BLOCK = re.compile(r"<svg\b.*?</svg>", re.DOTALL)


def parse_svg(text: str) -> ET.Element:
    """Parse one SVG and check it; return its root. Fails the test that calls it."""
    # Our own output, parsed to check it: nothing from outside reaches this parser.
    root = ET.fromstring(text)  # noqa: S314
    assert root.tag == f"{{{SVG_NS}}}svg", root.tag
    for node in root.iter():
        namespace, _, name = node.tag.partition("}")
        assert namespace == "{" + SVG_NS, node.tag
        assert name in ELEMENTS, name
        for attribute in node.attrib:
            assert attribute in ATTRIBUTES, (name, attribute)
        if name == "svg" and node is root:
            assert root.get("viewBox"), "an SVG needs a view box to scale"
    return root


def svgs_in(html: str) -> list[str]:
    """Every inline SVG of an HTML page, as text (the pictures never nest one SVG in
    another)."""
    return _SVG_BLOCK.findall(html)


def texts_of(root: ET.Element) -> list[str]:
    """The text of every <text> element, in order."""
    return ["".join(node.itertext()) for node in root.iter(f"{{{SVG_NS}}}text")]
