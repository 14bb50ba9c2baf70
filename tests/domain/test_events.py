"""Events: tags, strict encoding and decoding, and upgrading older versions."""

from __future__ import annotations

import re
import types
import typing
from datetime import date

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allymap.chart.positions import Position
from allymap.domain.events import (
    EVENT_TYPES,
    UPGRADES,
    CheckInAdded,
    ConsentChanged,
    Event,
    EventDecodeError,
    InterventionStarted,
    PersonAdded,
    PersonChanged,
    PersonRemoved,
    PositionRecorded,
    SelfCheckKept,
    StaircaseNoted,
    decode_event,
    encode_event,
    upgrader,
)
from allymap.domain.values import Closeness, Consent, HolderKind, Perspective, Reporting, Step

from .helpers import any_text

ids = st.text(min_size=1, max_size=40)

# What each field's type is filled with. A new field of another type fails `_field` below,
# so this table grows with the events, never silently behind them.
_BY_TYPE: dict[object, st.SearchStrategy[object]] = {
    str: any_text,
    int: st.integers(min_value=-(2**63), max_value=2**64 - 1),
    bool: st.booleans(),
    Position: st.sampled_from(Position),
    Closeness: st.sampled_from(Closeness),
    Consent: st.sampled_from(Consent),
    Reporting: st.sampled_from(Reporting),
    Perspective: st.sampled_from(Perspective),
    HolderKind: st.sampled_from(HolderKind),
    Step: st.sampled_from(Step),
    date: st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)),
    bytes: st.binary(max_size=64),
    tuple[str, ...]: st.lists(any_text, max_size=4).map(tuple),
}


def _field(event_type: type[Event], field: msgspec.structs.FieldInfo) -> st.SearchStrategy[object]:
    is_union = typing.get_origin(field.type) in (typing.Union, types.UnionType)
    kinds = [kind for kind in typing.get_args(field.type) if kind is not msgspec.UnsetType]
    if is_union:  # ``X | UnsetType``: a field a change may leave out
        assert len(kinds) == 1, f"{event_type.__name__}.{field.name}: one type and UNSET only"
        strategy = _BY_TYPE.get(kinds[0])
    else:
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


def test_it_tags_the_start_with_its_second_version_and_keeps_the_perspective() -> None:
    event = InterventionStarted(
        code_name="Kererū",
        doing_harm_alias="R.",
        chart_id="c",
        chart_version=1,
        perspective=Perspective.OWN_SUPPORT,
    )
    data = encode_event(event)
    assert msgspec.msgpack.decode(data)["type"] == "intervention_started/2"
    decoded = decode_event(data)
    assert isinstance(decoded, InterventionStarted)
    assert decoded.perspective is Perspective.OWN_SUPPORT


def test_it_keeps_days_bytes_and_tuples_as_they_were() -> None:
    check_in = decode_event(
        encode_event(CheckInAdded(check_in_id="c1", on=date(2024, 3, 8), revisit=("p1", "p2")))
    )
    assert isinstance(check_in, CheckInAdded)
    assert check_in.on == date(2024, 3, 8)
    assert check_in.revisit == ("p1", "p2")
    kept = decode_event(encode_event(SelfCheckKept(sealed=b"\x00\xffsealed")))
    assert isinstance(kept, SelfCheckKept)
    assert kept.sealed == b"\x00\xffsealed"
    noted = decode_event(
        encode_event(StaircaseNoted(note_id="n1", step=Step.MAKE_REPAIR, on=date(2100, 12, 31)))
    )
    assert isinstance(noted, StaircaseNoted)
    assert noted.step is Step.MAKE_REPAIR


def test_it_keeps_the_position_as_a_position() -> None:
    event = decode_event(
        encode_event(
            PositionRecorded(
                person_id="p1", member_id="m1", row_key="respected", position=Position.MIXED
            )
        )
    )
    assert isinstance(event, PositionRecorded)
    assert event.position is Position.MIXED
    assert (event.member_id, event.evidence) == ("m1", "")


def test_it_stores_only_the_details_a_change_carries() -> None:
    event = PersonChanged(person_id="p1", closeness=Closeness.CLOSE, offers="")
    data = encode_event(event)
    assert msgspec.msgpack.decode(data) == {
        "type": "person_changed/2",
        "person_id": "p1",
        "closeness": "close",
        "offers": "",
    }
    decoded = decode_event(data)
    assert decoded == event
    assert isinstance(decoded, PersonChanged)
    assert decoded.alias is msgspec.UNSET
    assert decoded.closeness is Closeness.CLOSE


def test_it_keeps_consent_and_the_other_choices_as_their_enums() -> None:
    added = decode_event(
        encode_event(
            PersonAdded(
                person_id="p1",
                alias="Mere",
                closeness=Closeness.FURTHER,
                reporting=Reporting.MAY_HAVE_TO,
                consent=Consent.STEPPED_BACK,
            )
        )
    )
    assert isinstance(added, PersonAdded)
    assert added.closeness is Closeness.FURTHER
    assert added.reporting is Reporting.MAY_HAVE_TO
    assert added.consent is Consent.STEPPED_BACK
    changed = decode_event(
        encode_event(ConsentChanged(person_id="p1", consent=Consent.AGREED, asker="m1"))
    )
    assert isinstance(changed, ConsentChanged)
    assert changed.consent is Consent.AGREED


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
            "old event of type 'position_recorded/1'",
        ),
        (
            msgspec.msgpack.encode(
                {
                    "type": "position_recorded/2",
                    "person_id": "p",
                    "row_key": "r",
                    "position": "ally",
                }
            ),
            "'position_recorded/2' is not valid",
        ),
        (
            msgspec.msgpack.encode(
                {"type": "person_changed/2", "person_id": "p", "consent": "agreed"}
            ),
            "'person_changed/2' is not valid",
        ),
        (
            msgspec.msgpack.encode(
                {"type": "consent_changed/1", "person_id": "p", "consent": "maybe", "asker": ""}
            ),
            "consent_changed/1",
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


def test_every_registered_upgrade_is_of_an_older_version_of_a_current_event() -> None:
    current = dict(str(t.__struct_config__.tag).split("/") for t in EVENT_TYPES)
    assert {
        "intervention_started/1",
        "person_added/1",
        "person_changed/1",
        "position_recorded/1",
    } <= set(UPGRADES)
    for tag in UPGRADES:
        name, version = tag.split("/")
        assert name in current, f"{tag} upgrades to no current event"
        assert int(version) < int(current[name]), f"{tag} is not older than the current one"
