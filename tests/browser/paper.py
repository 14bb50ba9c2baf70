"""Printed pages as a test reads them: Chromium's own PDF (the browser's print), each
sheet's text and size, and whether anything reaches the edge of the paper.

PDFium (pypdfium2) reads the PDF: its text, page by page, and each page drawn in grey
levels. A sheet is A4 in PDF points (1/72 inch). `write_png` keeps a drawn page for a
person to look at when a test fails.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from playwright.sync_api import Page

A4_POINTS = (595.3, 841.9)
"""The size of an A4 sheet in PDF points."""
MM = 72 / 25.4
"""PDF points in a millimetre."""
EDGE_MM = 6.0
"""The band along every edge of a sheet that must stay blank: the page margins are wider
(14 mm and more), so only something cut off at the edge, or drawn past the margin,
reaches it."""
BLANK = 245
"""The grey level (of 255) at and above which a pixel counts as blank paper."""
SCALE = 1.0
"""Pixels per PDF point when a sheet is drawn for the edge check (72 dpi)."""


@dataclass(frozen=True)
class Sheet:
    """One printed page: its size in points, its text, and its picture in grey levels."""

    width: float
    height: float
    text: str
    pixels: bytes
    pixel_width: int
    pixel_height: int

    @property
    def squeezed(self) -> str:
        """The text with every space and line break taken out: PDF text comes back split
        where the layout placed its pieces, so words are compared without them."""
        return squeeze(self.text)

    def edges_touched(self, band_mm: float = EDGE_MM) -> list[str]:
        """Which edges ("top", "bottom", "left", "right") have anything drawn within
        `band_mm` of them; empty when the sheet's edges are blank paper."""
        band = max(1, round(band_mm * MM * SCALE))
        w, h, px = self.pixel_width, self.pixel_height, self.pixels

        def dark(x0: int, x1: int, y0: int, y1: int) -> bool:
            return any(min(px[y * w + x0 : y * w + x1]) < BLANK for y in range(y0, y1))

        touched = {
            "top": dark(0, w, 0, band),
            "bottom": dark(0, w, h - band, h),
            "left": dark(0, band, 0, h),
            "right": dark(w - band, w, 0, h),
        }
        return [edge for edge, is_dark in touched.items() if is_dark]

    def write_png(self, path: Path) -> None:
        """Keep the sheet's picture as a greyscale PNG."""
        w, h = self.pixel_width, self.pixel_height
        raw = b"".join(b"\x00" + self.pixels[y * w : (y + 1) * w] for y in range(h))

        def chunk(kind: bytes, data: bytes) -> bytes:
            crc = zlib.crc32(kind + data) & 0xFFFFFFFF
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

        header = struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)
        path.write_bytes(
            b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw, 6))
            + chunk(b"IEND", b"")
        )


def squeeze(text: str) -> str:
    """Text without whitespace (see `Sheet.squeezed`)."""
    return "".join(text.split())


def print_to_sheets(page: Page) -> list[Sheet]:
    """Print the page as Chromium does (A4, the page's own margins) and read each sheet."""
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    document = pdfium.PdfDocument(pdf)
    sheets = []
    try:
        for number in range(len(document)):
            sheet = document[number]
            width, height = sheet.get_size()
            text = sheet.get_textpage().get_text_range()
            bitmap = sheet.render(scale=SCALE, grayscale=True)
            stride, w, h = bitmap.stride, bitmap.width, bitmap.height
            buffer = bytes(bitmap.buffer)
            pixels = b"".join(buffer[y * stride : y * stride + w] for y in range(h))
            sheets.append(Sheet(width, height, text, pixels, w, h))
    finally:
        document.close()
    return sheets


def overflowing(page: Page, width_mm: float) -> list[str]:
    """Laid out for print at the printable width of a sheet (`width_mm`), the elements
    whose box reaches past its right edge (empty when none): what a printer would cut."""
    width_px = round(width_mm / 25.4 * 96)
    page.emulate_media(media="print")
    before = page.viewport_size
    page.set_viewport_size({"width": width_px, "height": 1000})
    try:
        found: list[str] = page.evaluate(
            """(limit) => {
                const out = [];
                if (document.documentElement.scrollWidth > limit + 1)
                    out.push("the page scrolls sideways: " + document.documentElement.scrollWidth);
                for (const el of document.querySelectorAll("main *")) {
                    const box = el.getBoundingClientRect();
                    if (box.width > 0 && box.right > limit + 1)
                        out.push(`${el.tagName}.${el.className} ends at ${box.right}`);
                }
                return out.slice(0, 10);
            }""",
            width_px,
        )
    finally:
        page.emulate_media(media="null")
        if before is not None:
            page.set_viewport_size(before)
    return found


LARGE = 1.2
"""Type this many times the body's size, or more, is large (a heading, a title)."""


def large_app_names(page: Page) -> list[str]:
    """In print, the elements that show the word "allymap" in large type (`LARGE`)."""
    page.emulate_media(media="print")
    try:
        found: list[str] = page.evaluate(
            """(large) => {
                const body = parseFloat(getComputedStyle(document.body).fontSize) * large;
                const out = [];
                const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
                for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                    if (!/allymap/i.test(node.data)) continue;
                    const el = node.parentElement;
                    if (!el.getClientRects().length) continue;
                    if (parseFloat(getComputedStyle(el).fontSize) >= body)
                        out.push(el.tagName + ": " + node.data.trim());
                }
                return out;
            }""",
            LARGE,
        )
    finally:
        page.emulate_media(media="null")
    return found
