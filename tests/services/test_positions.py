"""Positions: the reflection form's reading, and recording only what a form changed."""

from __future__ import annotations

from typing import Any

import pytest

from allymap.chart import Position, default_chart
from allymap.domain import InvalidInput, Refusal
from allymap.services import positions, team
from allymap.services.keyring import Keyring
from tests.services.conftest import Started


def _ids(owner: Keyring, started: Started) -> dict[str, Any]:
    return {
        "keyring": owner,
        "intervention_id": started.intervention_id,
        "person_id": started.person_id,
    }


def _shown(reading: positions.ReflectReading) -> dict[str, int]:
    return {key: answer.seq for key, answer in reading.answers.items()}


def test_the_reading_shows_every_row_of_the_own_view(owner: Keyring, intervention: Started) -> None:
    reading = positions.reflect_reading(**_ids(owner, intervention))
    assert list(reading.answers) == list(default_chart().keys)
    assert all(
        a == positions.ShownAnswer(Position.UNKNOWN, "", 0) for a in reading.answers.values()
    )
    assert reading.member.is_you
    assert reading.member.member_id == owner.account_id


def test_it_records_only_changed_rows_and_says_which(owner: Keyring, intervention: Started) -> None:
    ids = _ids(owner, intervention)
    reading = positions.reflect_reading(**ids)
    outcome = positions.positions_record(
        **ids,
        positions={
            "respected": (Position.ALLY, "  He listens  "),
            "communicates": (Position.UNKNOWN, ""),
        },
        shown=_shown(reading),
    )
    assert outcome.recorded == ("respected",)
    assert outcome.conflicts == ()
    now = outcome.answers["respected"]
    assert (now.position, now.evidence) == (Position.ALLY, "He listens")
    assert outcome.seqs["respected"] == now.seq > 0
    assert "communicates" not in outcome.answers
    again = positions.reflect_reading(**ids)
    assert again.answers["respected"] == now


def test_a_stale_form_neither_reverts_nor_overwrites(owner: Keyring, intervention: Started) -> None:
    ids = _ids(owner, intervention)
    stale = _shown(positions.reflect_reading(**ids))
    theirs = positions.positions_record(
        **ids,
        positions={"sees_the_person": (Position.LEANS_ALLY, "saw it")},
        shown=stale,
    )
    # Unchanged from what the stale form showed: nothing; changed: a conflict.
    outcome = positions.positions_record(
        **ids,
        positions={
            "sees_the_person": (Position.IN_THE_WAY, "mine"),
            "respected": (Position.ALLY, ""),
            "sees_the_harm": (Position.UNKNOWN, ""),
        },
        shown=stale,
    )
    assert outcome.recorded == ("respected",)
    (conflict,) = outcome.conflicts
    assert conflict.row_key == "sees_the_person"
    assert conflict.yours == (Position.IN_THE_WAY, "mine")
    assert conflict.now == (Position.LEANS_ALLY, "saw it")
    assert conflict.seq == theirs.answers["sees_the_person"].seq
    assert outcome.answers["sees_the_person"].position is Position.LEANS_ALLY
    # Choosing theirs' seq, "yours" is then a plain change.
    settled = positions.positions_record(
        **ids,
        positions={"sees_the_person": conflict.yours},
        shown={"sees_the_person": conflict.seq},
    )
    assert settled.recorded == ("sees_the_person",)
    assert settled.answers["sees_the_person"].evidence == "mine"


def test_each_member_has_a_view_of_their_own(owner: Keyring, intervention: Started) -> None:
    ids = _ids(owner, intervention)
    aroha = team.member_add(
        keyring=owner, intervention_id=intervention.intervention_id, name="Aroha"
    )
    reading = positions.reflect_reading(**ids, member_id=aroha)
    assert (reading.member.name, reading.member.is_you) == ("Aroha", False)
    outcome = positions.positions_record(
        **ids,
        positions={"respected": (Position.MIXED, "")},
        shown=_shown(reading),
        member_id=aroha,
    )
    assert outcome.member_id == aroha and outcome.recorded == ("respected",)
    own = positions.reflect_reading(**ids)
    assert own.answers["respected"].position is Position.UNKNOWN
    theirs = positions.reflect_reading(**ids, member_id=aroha)
    assert theirs.answers["respected"].position is Position.MIXED


def test_a_member_not_on_the_team_is_refused(owner: Keyring, intervention: Started) -> None:
    ids = _ids(owner, intervention)
    with pytest.raises(InvalidInput) as refused:
        positions.reflect_reading(**ids, member_id="nobody")
    assert (refused.value.field, refused.value.code) == ("member_id", Refusal.NOT_A_CHOICE)
    with pytest.raises(InvalidInput):
        positions.positions_record(
            **ids,
            positions={"respected": (Position.ALLY, "")},
            shown={},
            member_id="nobody",
        )
