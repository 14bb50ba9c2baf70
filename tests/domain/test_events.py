"""Events: tags, strict encoding and decoding, and upgrading older versions."""

from __future__ import annotations

import re
import typing

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allymap.chart.positions import Position
from allymap.domain.events import (
    EVENT_TYPES,
    UPGRADES,
    Event,
    EventDecodeError,
    PersonAdded,
    PersonRemoved,
    PositionRecorded,
    decode_event,
    encode_event,
    upgrader,
)

from .helpers import any_text

ids = st.text(min_size=1, max_size=40)

# What each field's type is filled with. A new field of another type fails `_field` below,
# so this table grows with the events, never silently behind them.
_BY_TYPE: dict[object, st.SearchStrategy[object]] = {
    str: any_text,
    int: st.integers(min_value=-(2**63), max_value=2**64 - 1),
    Position: st.sampled_from(Position),
}


def _field(event_type: type[Event], field: msgspec.structs.FieldInfo) -> st.SearchStrategy[object]:
    strategy = _BY_TYPE.get(field.type)
    assert strategy is not None, f"teach _BY_TYPE to fill {event_type.__name__}.{field.name}"
    if field.required:
        return strategy
    # An optional field is sometimes left out, so its default is encoded and decoded too.
    return st.one_of(st.just(field.default), strategy)


def _event_of(event_type: type[Event]) -> st.SearchStrategy[Event]:
    """Any event of one type, every field filled from `_BY_TYPE`."""
    return st.builds(
        event_type,
        **{f.name: _field(event_type, f) for f in msgspec.structs.fields(event_type)},
    )


# Every current event type, taken from the `Event` union itself: a new type is covered
# by the property tests the moment it joins the union.
any_event: st.SearchStrategy[Event] = st.one_of(*(_event_of(t) for t in typing.get_args(Event)))


@settings(max_examples=100, deadline=None)
@given(any_event)
def test_it_decodes_what_it_encodes_for_every_event_type(event: Event) -> None:
    decoded = decode_event(encode_event(event))
    assert type(decoded) is type(event)
    assert decoded == event


def test_it_lists_every_event_type_once_with_a_versioned_tag() -> None:
    assert typing.get_args(Event) == EVENT_TYPES
    tags = [t.__struct_config__.tag for t in EVENT_TYPES]
    assert len(set(tags)) == len(tags)
    for tag in tags:
        assert isinstance(tag, str)
        assert re.fullmatch(r"[a-z_]+/[1-9][0-9]*", tag)


def test_it_stores_the_tag_in_the_type_field() -> None:
    data = encode_event(PersonRemoved(person_id="p1"))
    assert msgspec.msgpack.decode(data) == {"type": "person_removed/1", "person_id": "p1"}


def test_it_keeps_the_position_as_a_position() -> None:
    event = decode_event(
        encode_event(PositionRecorded(person_id="p1", row_key="respected", position=Position.MIXED))
    )
    assert isinstance(event, PositionRecorded)
    assert event.position is Position.MIXED
    assert event.evidence == ""


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "not valid MessagePack"),
        (b"\xc1", "not valid MessagePack"),
        (b"\x82\xa4type\xb0person_removed/1", "not valid MessagePack"),
        (msgspec.msgpack.encode(42), "no type tag"),
        (msgspec.msgpack.encode({"person_id": "p1"}), "no type tag"),
        (msgspec.msgpack.encode({"type": "person_eaten/1", "person_id": "p1"}), "unknown"),
        (msgspec.msgpack.encode({"type": "person_removed/1"}), "person_removed/1"),
        (
            msgspec.msgpack.encode({"type": "person_removed/1", "person_id": "p1", "x": 1}),
            "unknown field",
        ),
        (msgspec.msgpack.encode({"type": "person_removed/1", "person_id": 7}), "person_removed/1"),
        (
            msgspec.msgpack.encode(
                {"type": "position_recorded/1", "person_id": "p", "row_key": "r", "position": "ok"}
            ),
            "position_recorded/1",
        ),
    ],
)
def test_it_refuses_garbage_with_a_clear_error(data: bytes, words: str) -> None:
    with pytest.raises(EventDecodeError, match=words):
        decode_event(data)


def test_it_raises_a_value_error_so_callers_can_catch_either() -> None:
    assert issubclass(EventDecodeError, ValueError)


class PersonAddedV0(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    tag_field="type",
    tag="person_added/0",
    forbid_unknown_fields=True,
):
    """A made-up first version of PersonAdded, before it had a relationship."""

    person_id: str
    alias: str


def _upgrade_v0(old: PersonAddedV0) -> PersonAdded:
    return PersonAdded(person_id=old.person_id, alias=old.alias, relationship="")


def test_it_upgrades_an_older_version_on_load(monkeypatch: pytest.MonkeyPatch) -> None:
    old_bytes = msgspec.msgpack.encode(PersonAddedV0(person_id="p1", alias="Mere"))
    with pytest.raises(EventDecodeError, match="unknown event type 'person_added/0'"):
        decode_event(old_bytes)

    monkeypatch.setitem(UPGRADES, "person_added/0", upgrader(PersonAddedV0, _upgrade_v0))

    assert decode_event(old_bytes) == PersonAdded(person_id="p1", alias="Mere", relationship="")
    current = PersonAdded(person_id="p2", alias="Ana", relationship="aunt")
    assert decode_event(encode_event(current)) == current


def test_it_refuses_an_older_version_that_is_itself_malformed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(UPGRADES, "person_added/0", upgrader(PersonAddedV0, _upgrade_v0))
    bad = msgspec.msgpack.encode({"type": "person_added/0", "person_id": "p1"})
    with pytest.raises(EventDecodeError, match="old event of type 'person_added/0'"):
        decode_event(bad)


@pytest.mark.parametrize("event_type", EVENT_TYPES, ids=lambda t: t.__name__)
def test_every_event_type_is_strict_immutable_and_tagged(event_type: type[Event]) -> None:
    """What `decode_event` relies on: a new event type declared like the others."""
    config = event_type.__struct_config__
    assert config.frozen
    assert config.forbid_unknown_fields
    assert config.tag_field == "type"
