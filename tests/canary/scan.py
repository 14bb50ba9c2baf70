"""Look for canary strings in bytes at rest: files, database dumps, logs.

A canary is a distinctive string a test typed into allymap. `scan()` looks for each one
in many shapes, because a leak rarely keeps the exact bytes that were typed:

* as typed, lowercased, uppercased and case-folded, composed (NFC) and decomposed (NFD);
* encoded as UTF-8, UTF-16-LE and UTF-16-BE;
* percent-encoded (a logged form body or URL), and JSON-escaped (\\u0101 for ā);
* its random token alone (every canary carries one), which survives truncation and any
  encoding that keeps ASCII;
* inside base64 or base64url runs (Django's signed session data, optionally zlib-compressed)
  and hex runs (PostgreSQL's bytea in a dump): those are decoded and searched again.

Extra raw byte strings (for example a recovery key's decoded bytes) can be added per canary.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import unicodedata
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, quote_plus

__all__ = ["Canary", "Finding", "files_under", "needles", "scan", "scan_files"]

_BASE64_RUN = re.compile(rb"[A-Za-z0-9+/_-]{16,}={0,2}")
_HEX_RUN = re.compile(rb"[0-9A-Fa-f]{24,}")
_CONTEXT = 24


@dataclass(frozen=True)
class Canary:
    """A string typed into the app, with the random token that makes it unique."""

    name: str
    text: str
    token: str
    extra: tuple[bytes, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.token not in self.text:
            raise ValueError(f"canary {self.name!r}: its token must be part of its text")
        if len(self.token) < 8:
            raise ValueError(f"canary {self.name!r}: a token under 8 characters is not unique")


@dataclass(frozen=True)
class Finding:
    canary: str
    where: str
    form: str
    offset: int
    context: bytes

    def __str__(self) -> str:
        return (
            f"{self.canary!r} found in {self.where} at byte {self.offset} ({self.form}): "
            f"…{self.context!r}…"
        )


def _text_forms(text: str) -> dict[str, str]:
    cased = {
        "as typed": text,
        "lowercased": text.lower(),
        "uppercased": text.upper(),
        "case-folded": text.casefold(),
    }
    forms: dict[str, str] = {}
    for case, value in cased.items():
        forms[case] = value
        forms[f"{case}, NFC"] = unicodedata.normalize("NFC", value)
        forms[f"{case}, NFD"] = unicodedata.normalize("NFD", value)
    return forms


def needles(canary: Canary) -> list[tuple[str, bytes]]:
    """Every byte string that would betray `canary`, each with a description."""
    found: dict[bytes, str] = {}

    def add(form: str, needle: bytes) -> None:
        found.setdefault(needle, form)

    for case, value in _text_forms(canary.text).items():
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            add(f"{encoding}, {case}", value.encode(encoding))
        add(f"percent-encoded, {case}", quote_plus(value).encode("ascii"))
        add(f"percent-encoded path, {case}", quote(value).encode("ascii"))
        add(f"JSON-escaped, {case}", json.dumps(value)[1:-1].encode("ascii"))
    for case, token in (("token", canary.token), ("token, uppercased", canary.token.upper())):
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            add(f"{encoding}, {case}", token.encode(encoding))
    for number, raw in enumerate(canary.extra, start=1):
        add(f"raw bytes #{number}", raw)
    return [(form, needle) for needle, form in found.items()]


def _layers(data: bytes) -> Iterator[tuple[str, int, bytes]]:
    """`data` itself, then whatever its base64 and hex runs decode to (and zlib inside)."""
    yield "", 0, data
    for match in _BASE64_RUN.finditer(data):
        run = match.group().rstrip(b"=").replace(b"-", b"+").replace(b"_", b"/")
        for shift in range(4):
            part = run[shift:]
            part = part[: len(part) - len(part) % 4] if len(part) % 4 == 1 else part
            try:
                decoded = base64.b64decode(part + b"=" * (-len(part) % 4), validate=True)
            except (binascii.Error, ValueError):
                continue
            yield "inside base64, ", match.start(), decoded
            try:
                inflated = zlib.decompress(decoded)
            except zlib.error:
                continue
            yield "inside zlib in base64, ", match.start(), inflated
    for match in _HEX_RUN.finditer(data):
        run = match.group()
        for shift in (0, 1):
            part = run[shift:]
            part = part[: len(part) - len(part) % 2]
            yield "inside hex, ", match.start(), bytes.fromhex(part.decode("ascii"))


def scan(where: str, data: bytes, canaries: Iterable[Canary]) -> list[Finding]:
    """Every place in `data` (a file's bytes, a dump) where a canary shows in any shape."""
    prepared = [(canary.name, needles(canary)) for canary in canaries]
    findings: list[Finding] = []
    for layer, layer_offset, haystack in _layers(data):
        for name, its_needles in prepared:
            for form, needle in its_needles:
                at = haystack.find(needle)
                if at < 0:
                    continue
                offset = at if not layer else layer_offset
                context = haystack[max(0, at - _CONTEXT) : at + len(needle) + _CONTEXT]
                findings.append(Finding(name, where, layer + form, offset, context))
                break  # one shape per canary and layer is enough to report
    return findings


def files_under(*folders: Path) -> list[Path]:
    """Every regular file below the folders (following nothing outside them)."""
    paths: list[Path] = []
    for folder in folders:
        if folder.is_file():
            paths.append(folder)
            continue
        paths.extend(p for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink())
    return paths


def scan_files(paths: Iterable[Path], canaries: Iterable[Canary]) -> list[Finding]:
    canaries = list(canaries)
    findings: list[Finding] = []
    for path in paths:
        findings.extend(scan(str(path), path.read_bytes(), canaries))
    return findings


def scan_named(blobs: Mapping[str, bytes], canaries: Iterable[Canary]) -> list[Finding]:
    canaries = list(canaries)
    return [f for where, data in blobs.items() for f in scan(where, data, canaries)]
