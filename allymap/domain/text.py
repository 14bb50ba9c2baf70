"""How the domain tidies and checks what people type, and the ids the program makes.

The rules, the same for every field a person types: line breaks are made ``\\n``, text
is put in Unicode NFC form (so "ā" typed either way is the same letter) and stripped of
surrounding white space; required text must not be empty after that; control characters
other than newline and tab are refused, and so are characters that change the direction
of the text around them (bidirectional overrides and isolates); each field has a length
limit in characters (the ``*_MAX`` constants in `allymap.domain.commands`).

Names (the code name, aliases, a relationship, a team member's name) are single lines,
and refuse invisible characters too (zero-width spaces and joiners, soft hyphens, blank
fillers), so that two names cannot be made to look alike on screen while being
different, or the same while one hides something.

Ids (person, note, member, chart) come from the program, not from a person; they must
be non-empty, at most `ID_MAX` characters, without spaces or control characters.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum
from typing import TypeVar

from allymap.domain.errors import InvalidInput, Refusal

__all__ = ["ID_MAX", "choice", "id_", "name", "text"]

ID_MAX = 64

_E = TypeVar("_E", bound=StrEnum)


# Control characters (Unicode category Cc) except tab and newline; and lone surrogates,
# which cannot be encoded at all.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Characters that reorder the text around them on screen (Unicode bidi controls).
# (The marks LRM, RLM and ALM stay allowed in longer text, where Arabic and Hebrew need
# them; names refuse them with every other format character.)
_DIRECTION = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
# Characters with no visible shape of their own, beyond the format characters (Cf):
# blank fillers and the braille blank, which also render as nothing.
_BLANK = frozenset(
    "\u115f\u1160\u3164\uffa0\u2800\u180e\u034f"
    + "".join(map(chr, range(0xFE00, 0xFE10)))  # variation selectors
    + "".join(map(chr, range(0xE0100, 0xE01F0)))
)


def text(value: str, field: str, limit: int, *, required: bool = False) -> str:
    """Tidy text a person typed (see the module doc) or raise `InvalidInput` for `field`."""
    if not isinstance(value, str):
        raise InvalidInput(field, Refusal.NOT_TEXT)
    tidied = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if required and not tidied:
        raise InvalidInput(field, Refusal.REQUIRED)
    if _CONTROL.search(tidied):
        raise InvalidInput(field, Refusal.CONTROL_CHARACTER)
    if _SURROGATE.search(tidied):
        raise InvalidInput(field, Refusal.UNSAVEABLE_CHARACTER)
    if _DIRECTION.search(tidied):
        raise InvalidInput(field, Refusal.DISGUISING_CHARACTER)
    if len(tidied) > limit:
        raise InvalidInput(field, Refusal.TOO_LONG, params={"limit": limit, "length": len(tidied)})
    return tidied


def name(value: str, field: str, limit: int, *, required: bool = False) -> str:
    """Tidy a name (see the module doc): text on one line without invisible characters."""
    tidied = text(value, field, limit, required=required)
    if "\n" in tidied or "\t" in tidied:
        raise InvalidInput(field, Refusal.CONTROL_CHARACTER)
    if any(char in _BLANK or unicodedata.category(char) in ("Cf", "Zl", "Zp") for char in tidied):
        raise InvalidInput(field, Refusal.DISGUISING_CHARACTER)
    return tidied


def id_(value: str, field: str) -> str:
    """Check an id made by the program (not typed by a person)."""
    if (
        not isinstance(value, str)
        or not value
        or len(value) > ID_MAX
        or any(char.isspace() or not char.isprintable() for char in value)
    ):
        raise InvalidInput(field, Refusal.INTERNAL)
    return value


def choice(value: object, kind: type[_E], field: str) -> _E:
    """One of an enumeration's values, or `InvalidInput` (`NOT_A_CHOICE`) for `field`."""
    if not isinstance(value, str):
        raise InvalidInput(field, Refusal.NOT_A_CHOICE)
    try:
        return kind(value)
    except ValueError:
        raise InvalidInput(field, Refusal.NOT_A_CHOICE) from None
