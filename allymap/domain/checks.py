"""The rules typing applies, checked on an event that did not come from a command.

A command tidies and checks what someone typed before it makes an event (see
`allymap.domain.text`); an event read from an imported file was made elsewhere, so
`check_event` holds it to the same rules: every text already tidy (a value that tidying
would change, or that it would refuse, is refused), every name on one line without
invisible characters, every length within its ``*_MAX`` limit, every id an id. Choices
(closeness, consent, position…) and dates are checked by decoding already; references
between events (a person who exists, a row of the chart) by the fold and the importer.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Final

import msgspec

from allymap.domain.commands import (
    ALIAS_MAX,
    CHECK_IN_MAX,
    CODE_NAME_MAX,
    DETAILS_MAX,
    EVIDENCE_MAX,
    MEMBER_NAME_MAX,
    NOTE_MAX,
    RELATIONSHIP_MAX,
    ROLE_NAME_MAX,
)
from allymap.domain.errors import InvalidInput, Refusal
from allymap.domain.events import Event
from allymap.domain.map_events import (
    DifferenceTalkedThrough,
    MemberAdded,
    MemberChanged,
    NoteAdded,
)
from allymap.domain.organise_events import GapSetAside, RoleNamed, StaircaseNoted
from allymap.domain.text import id_, name, text

__all__ = ["KEY_MAX", "check_event"]

KEY_MAX: Final = 2000
"""A gap's key or cause (made by `allymap.domain.gaps`), as `set_aside_gap` allows."""

_Check = Callable[[str, str], object]


def _name(limit: int, *, required: bool = False) -> _Check:
    return lambda value, field: name(value, field, limit, required=required)


def _text(limit: int, *, required: bool = False) -> _Check:
    return lambda value, field: text(value, field, limit, required=required)


def _id(value: str, field: str) -> object:
    return id_(value, field)


def _id_or_empty(value: str, field: str) -> object:
    return value if value == "" else id_(value, field)


def _key(value: str, field: str) -> object:
    if len(value) > KEY_MAX or not value.isprintable():
        raise InvalidInput(field, Refusal.INTERNAL)
    return value


# Each text field of every event, by name, with the rule its command applies. A field
# that means something else in one event type is listed for that type in `_BY_TYPE`.
_BY_FIELD: Final[dict[str, _Check]] = {
    "code_name": _name(CODE_NAME_MAX, required=True),
    "doing_harm_alias": _name(ALIAS_MAX, required=True),
    "harmed_alias": _name(ALIAS_MAX),
    "alias": _name(ALIAS_MAX, required=True),
    "relationship": _name(RELATIONSHIP_MAX),
    "relationship_harmed": _name(RELATIONSHIP_MAX),
    "supporter_name": _name(ROLE_NAME_MAX),
    "offers": _text(DETAILS_MAX),
    "other_ways": _text(DETAILS_MAX),
    "evidence": _text(EVIDENCE_MAX),
    "happened": _text(CHECK_IN_MAX),
    "wins": _text(CHECK_IN_MAX),
    "worries": _text(CHECK_IN_MAX),
    "chart_id": _id,
    "role": _id,
    "row_key": _id,
    "asker": _id_or_empty,
    "account_id": _id_or_empty,
    "supporter_id": _id_or_empty,
    "gap_key": _key,
    "cause": _key,
}
_BY_TYPE: Final[dict[tuple[type[object], str], _Check]] = {
    (MemberAdded, "name"): _name(MEMBER_NAME_MAX),  # empty: a member who joined unnamed
    (MemberChanged, "name"): _name(MEMBER_NAME_MAX, required=True),
    (RoleNamed, "name"): _name(ROLE_NAME_MAX, required=True),
    (DifferenceTalkedThrough, "note"): _text(NOTE_MAX),
    (GapSetAside, "note"): _text(CHECK_IN_MAX),
    (NoteAdded, "text"): _text(NOTE_MAX, required=True),
    (NoteAdded, "person_id"): _id_or_empty,  # empty: a note on the intervention itself
    (StaircaseNoted, "text"): _text(CHECK_IN_MAX),
}


def check_event(event: Event) -> None:
    """Raise `InvalidInput` naming the first field of `event` that typing would not have
    written as it is (see the module doc); return None when every field passes.

    Ids (a field ending ``_id``, and the people a check-in revisits) must be ids; every
    other text field must be known here, so a new event's field cannot slip through
    unchecked (`INTERNAL` for one that is not)."""
    for field in event.__struct_fields__:
        value = getattr(event, field)
        if value is msgspec.UNSET:
            continue
        if field == "revisit":
            for index, person_id in enumerate(value):
                id_(person_id, f"revisit[{index}]")
            continue
        if not isinstance(value, str) or isinstance(value, Enum):
            continue  # a choice: checked when it was decoded
        check = _BY_TYPE.get((type(event), field)) or _BY_FIELD.get(field)
        if check is None and field.endswith("_id"):
            check = _id
        if check is None:
            raise InvalidInput(field, Refusal.INTERNAL)
        if check(value, field) != value:
            # Tidying would change it: typing never writes it so.
            raise InvalidInput(field, Refusal.INTERNAL)
