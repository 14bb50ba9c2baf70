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
    ConsentChange,
    InterventionState,
    PositionChange,
    StateDecodeError,
    TalkedThrough,
    decode_state,
    encode_state,
)
from allymap.domain.values import Consent

from .helpers import ASSESSORS, Log


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


def test_it_lists_the_team_in_the_order_it_joined_and_finds_a_member_by_account() -> None:
    log = Log()
    log.run(commands.add_member, member_id="m-ben", name="Ben", account_id=ASSESSORS[1])
    log.run(commands.add_member, member_id="m-ana", name="Ana")
    log.run(commands.add_member, member_id="m-tama", name="Tama")
    log.run(commands.remove_member, member_id="m-ana")
    state = log.state
    assert [m.member_id for m in state.active_members()] == [ASSESSORS[0], "m-ben", "m-tama"]
    assert list(state.members) == [ASSESSORS[0], "m-ben", "m-ana", "m-tama"]
    assert state.member_of(ASSESSORS[1]) is state.members["m-ben"]
    assert state.member_of(ASSESSORS[0]) is state.members[ASSESSORS[0]]
    assert state.member_of(ASSESSORS[2]) is None


def test_it_says_what_a_form_showed_from_the_seq_it_showed() -> None:
    log = _three_people()
    log.run(commands.add_member, member_id="m-ben", name="Ben")
    (first,) = log.reflect("p1", {"respected": (Position.ALLY, "Listens.")})
    (second,) = log.reflect("p1", {"respected": (Position.MIXED, "")})
    (bens,) = log.reflect("p1", {"respected": (Position.IN_THE_WAY, "")}, member_id="m-ben")
    mere = log.state.person("p1")
    me = ASSESSORS[0]
    assert mere.shown_at(me, "respected", 0) == (Position.UNKNOWN, "")
    assert mere.shown_at(me, "gives_space", 0) == (Position.UNKNOWN, "")
    assert mere.shown_at(me, "respected", first.seq) == (Position.ALLY, "Listens.")
    assert mere.shown_at(me, "respected", second.seq) == (Position.MIXED, "")
    assert mere.shown_at("m-ben", "respected", bens.seq) == (Position.IN_THE_WAY, "")
    # Not this member's answer on this row: the form could not have shown it.
    assert mere.shown_at(me, "respected", bens.seq) is None
    assert mere.shown_at("m-ben", "respected", first.seq) is None
    assert mere.shown_at(me, "gives_space", first.seq) is None
    assert mere.shown_at(me, "respected", 999) is None


def test_it_decodes_a_snapshot_to_an_equal_state() -> None:
    log = _three_people()
    log.run(commands.add_member, member_id="m-ben", name="Ben", account_id=ASSESSORS[1])
    log.reflect(
        "p1",
        {"respected": (Position.ALLY, "Her koro listens to her.")},
        member_id="m-ben",
        author=ASSESSORS[1],
    )
    log.reflect("p1", {"respected": (Position.MIXED, "")})
    log.run(commands.talk_through, person_id="p1", row_key="respected", member_id="m-ben")
    log.run(commands.change_consent, person_id="p1", consent="to_ask", asker="m-ben")
    log.run(commands.add_note, note_id="n1", person_id="p1", text="Ask at the hui.")
    log.run(commands.archive_intervention, archived=True)
    data = encode_state(log.state)
    decoded = decode_state(data)
    assert decoded == log.state
    assert encode_state(decoded) == data
    mere = decoded.person("p1")
    entry = mere.positions["m-ben"]["respected"]
    assert entry.position is Position.ALLY
    assert entry.at.utcoffset() is not None
    # The history keeps each entry's kind through a snapshot.
    assert [type(h) for h in mere.history] == [
        PositionChange,
        PositionChange,
        TalkedThrough,
        ConsentChange,
    ]
    assert mere.talked_through["respected"] == mere.history[2]
    assert mere.consent is Consent.TO_ASK
    assert decoded.members["m-ben"].account_id == ASSESSORS[1]
    assert decoded.archived


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
    2: "31a5bab5e3aa8632687cbb1d6dbab8eb1800ff888baaabdac682eaf48846b7ca",
    3: "0f9eb4dac0a744dba337674c899cf192b0aee000852cd5e9fb72c3060eeb9cc8",
    4: "8116c08333337d5318cd77d9985d88ca50665e076f86db0a93c13e43e94cf669",
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
        f"STATE_FORMAT_VERSION is {STATE_FORMAT_VERSION}: add its digest to PINNED_SHAPES: "
        f"{STATE_FORMAT_VERSION}: {_shape_digest()!r}"
    )
    assert _shape_digest() == PINNED_SHAPES[STATE_FORMAT_VERSION], (
        "the state's shape changed: bump STATE_FORMAT_VERSION (allymap/domain/state.py) "
        f"and pin the new shape as {STATE_FORMAT_VERSION + 1}: {_shape_digest()!r}"
    )
