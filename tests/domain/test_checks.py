"""`check_event`: an event that did not come from a command is held to the rules typing
follows, and every text field of every event type has its rule."""

from __future__ import annotations

import typing
from enum import Enum

import msgspec
import pytest

from allymap.domain import EVENT_TYPES, SelfCheckKept
from allymap.domain.checks import _BY_FIELD, _BY_TYPE, check_event
from allymap.domain.errors import InvalidInput
from allymap.domain.map_events import NoteAdded, PersonAdded


def _text_fields(kind: type[object]) -> list[str]:
    hints = typing.get_type_hints(kind)
    fields = []
    for field in kind.__struct_fields__:  # type: ignore[attr-defined]
        hint = hints[field]
        parts = typing.get_args(hint) or (hint,)
        if str in parts and not any(isinstance(p, type) and issubclass(p, Enum) for p in parts):
            fields.append(field)
    return fields


@pytest.mark.parametrize("kind", [k for k in EVENT_TYPES if k is not SelfCheckKept])
def test_every_text_field_has_its_rule(kind: type[object]) -> None:
    """A field added to an event without a rule here is refused on import (`INTERNAL`):
    this names it first."""
    for field in _text_fields(kind):
        known = (kind, field) in _BY_TYPE or field in _BY_FIELD
        assert known or field.endswith("_id") or field == "revisit", (
            f"{kind.__name__}.{field} has no rule in allymap/domain/checks.py"
        )


def _person(**changes: str) -> PersonAdded:
    return msgspec.structs.replace(PersonAdded(person_id="p1", alias="Whaea Tūī 🌿"), **changes)


def test_what_typing_writes_passes() -> None:
    check_event(_person(offers="Kōrero over kai\nevery Sunday", asker=""))
    check_event(NoteAdded(note_id="n1", person_id="", text="A note on the intervention"))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"alias": "Uncle \u202eT"}, "alias"),
        ({"alias": "Uncle\u200bT"}, "alias"),
        ({"alias": "two\nlines"}, "alias"),
        ({"alias": "x" * 81}, "alias"),
        ({"alias": ""}, "alias"),
        ({"alias": "Tu\u0304i\u0304"}, "alias"),  # not NFC: typing would have composed it
        ({"offers": "a\x00b"}, "offers"),
        ({"person_id": "a/b c"}, "person_id"),
        ({"person_id": "x" * 65}, "person_id"),
        ({"asker": "a b"}, "asker"),
    ],
)
def test_what_typing_refuses_is_refused(changes: dict[str, str], field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_event(_person(**changes))
    assert refused.value.field == field
