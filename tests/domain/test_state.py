"""The folded state: its helpers and its snapshot encoding."""

from __future__ import annotations

import hashlib
import json

import msgspec
import pytest

from allymap.chart.positions import Position
from allymap.domain import commands
from allymap.domain.errors import DomainError, UnknownPerson
from allymap.domain.state import (
    STATE_FORMAT_VERSION,
    InterventionState,
    StateDecodeError,
    decode_state,
    encode_state,
)

from .helpers import ASSESSORS, ROW_KEYS, Log


def _three_people() -> Log:
    log = Log()
    for n, alias in enumerate(["Mere", "Āperahama", "Ben"], start=1):
        log.run(commands.add_person, person_id=f"p{n}", alias=alias, relationship="cousin")
    return log


def test_it_lists_active_people_in_the_order_they_were_added() -> None:
    log = _three_people()
    log.run(commands.remove_person, person_id="p2")
    log.run(commands.add_person, person_id="p4", alias="Ana")
    assert [p.person_id for p in log.state.active_people()] == ["p1", "p3", "p4"]


def test_it_finds_a_person_and_refuses_a_removed_or_absent_one() -> None:
    log = _three_people()
    log.run(commands.remove_person, person_id="p2")
    assert log.state.person("p1").alias == "Mere"
    for missing in ("p2", "nobody"):
        with pytest.raises(UnknownPerson) as caught:
            log.state.person(missing)
        assert caught.value.person_id == missing
    assert issubclass(UnknownPerson, DomainError)


def test_it_decodes_a_snapshot_to_an_equal_state() -> None:
    log = _three_people()
    log.run(
        commands.record_positions,
        author=ASSESSORS[1],
        person_id="p1",
        assessor=ASSESSORS[1],
        positions={"respected": (Position.ALLY, "Her koro listens to her.")},
        row_keys=ROW_KEYS,
    )
    log.run(commands.add_note, note_id="n1", person_id="p1", text="Ask at the hui.")
    data = encode_state(log.state)
    decoded = decode_state(data)
    assert decoded == log.state
    assert encode_state(decoded) == data
    entry = decoded.person("p1").positions[ASSESSORS[1]]["respected"]
    assert entry.position is Position.ALLY
    assert entry.at.utcoffset() is not None


def test_it_refuses_a_snapshot_of_another_format_version() -> None:
    state = Log().state
    older = msgspec.msgpack.encode((STATE_FORMAT_VERSION - 1, state))
    with pytest.raises(StateDecodeError, match="format"):
        decode_state(older)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\xc1",
        msgspec.msgpack.encode({"seq": 1}),
        msgspec.msgpack.encode((STATE_FORMAT_VERSION, {"seq": 1})),
        msgspec.msgpack.encode(("1", {})),
    ],
)
def test_it_refuses_a_malformed_snapshot(data: bytes) -> None:
    with pytest.raises(StateDecodeError):
        decode_state(data)


def test_it_refuses_a_snapshot_with_an_unknown_field() -> None:
    raw = msgspec.to_builtins(Log().state)
    raw["surprise"] = 1
    data = msgspec.msgpack.encode((STATE_FORMAT_VERSION, raw))
    with pytest.raises(StateDecodeError, match="surprise"):
        decode_state(data)


# --- the snapshot format is pinned to its version ----------------------------------------

# The shape of every STATE_FORMAT_VERSION, as a digest of its JSON schema (docstrings left
# out). Changing the state's structs without bumping STATE_FORMAT_VERSION fails below:
# an old snapshot would then be decoded against a shape it was not written in. When you
# change the shape, bump the version and add its digest here (keep the old ones).
PINNED_SHAPES = {
    1: "65529d06a3cd160bf5c449db31affd324a834006c4b557236801e729ca289b2b",
}


def _shape_digest() -> str:
    def bare(node: object) -> object:
        if isinstance(node, dict):
            return {k: bare(v) for k, v in node.items() if k not in ("description", "title")}
        if isinstance(node, list):
            return [bare(v) for v in node]
        return node

    schema = bare(msgspec.json.schema(InterventionState))
    return hashlib.sha256(json.dumps(schema, sort_keys=True).encode()).hexdigest()


def test_the_state_shape_matches_its_format_version() -> None:
    assert STATE_FORMAT_VERSION in PINNED_SHAPES, (
        f"STATE_FORMAT_VERSION is {STATE_FORMAT_VERSION}: add its digest to PINNED_SHAPES"
    )
    assert _shape_digest() == PINNED_SHAPES[STATE_FORMAT_VERSION], (
        "the state's shape changed: bump STATE_FORMAT_VERSION (allymap/domain/state.py) "
        f"and pin the new shape as {STATE_FORMAT_VERSION + 1}: {_shape_digest()!r}"
    )
