"""An ally's self-check is its author's alone: sealed to their own key inside the shared
log, so the intervention key (which every member holds) opens none of its words, and
another member's reading of the same intervention shows nothing of it."""

from __future__ import annotations

import pytest
from pytest_django.fixtures import Settings

from allymap.chart import Position
from allymap.domain import (
    EVIDENCE_MAX,
    STATE_FORMAT_VERSION,
    InvalidInput,
    Refusal,
    SelfCheckKept,
    decode_event,
)
from allymap.services import selfcheck
from allymap.services.access import intervention_key_for
from allymap.services.keyring import Keyring
from allymap.store import log
from allymap.store.models import Event
from allymap.vault import decrypt_log, decrypt_snapshot
from tests.people import fresh
from tests.services.conftest import Started

WORDS = "Qorvath-noticing: I go quiet when my uncle raises his voice"


def decrypted_log(keyring: Keyring, intervention_id: str) -> list[bytes]:
    """Every event and the latest snapshot of the log, decrypted with the intervention
    key: all that any member of the team can read."""
    key = intervention_key_for(fresh(keyring), intervention_id)
    events = [sealed for sealed, _at in log.events_after(intervention_id, 0)]
    plain = [
        text for _sealed, text in decrypt_log(key, intervention_id=intervention_id, events=events)
    ]
    snapshot = log.latest_snapshot(intervention_id, STATE_FORMAT_VERSION)
    if snapshot is not None:
        plain.append(
            decrypt_snapshot(
                key,
                intervention_id=intervention_id,
                chain=log.chain_at(intervention_id, snapshot.seq) or b"",
                format_version=STATE_FORMAT_VERSION,
                sealed=snapshot,
            )
        )
    return plain


def _keep(keyring: Keyring, started: Started, words: str = WORDS) -> None:
    selfcheck.self_check_keep(
        keyring=keyring,
        intervention_id=started.intervention_id,
        answers={"own_support": (Position.LEANS_IN_THE_WAY, words), "respected": ("ally", "")},
    )


def _reading(keyring: Keyring, started: Started) -> selfcheck.SelfCheckReading:
    return selfcheck.self_check_reading(
        keyring=fresh(keyring), intervention_id=started.intervention_id
    )


def test_kept_it_opens_for_its_author_with_their_own_key(
    owner: Keyring, intervention: Started
) -> None:
    assert not _reading(owner, intervention).kept
    _keep(owner, intervention)
    reading = _reading(owner, intervention)
    assert reading.kept
    assert reading.answers == {
        "respected": (Position.ALLY, ""),
        "own_support": (Position.LEANS_IN_THE_WAY, WORDS),
    }


def test_no_words_of_it_are_in_the_log_or_a_snapshot_the_team_can_decrypt(
    owner: Keyring, intervention: Started, settings: Settings
) -> None:
    # The keep is the event that writes a snapshot: the state with it is checked too.
    keep_seq = Event.objects.filter(intervention_id=intervention.intervention_id).count() + 1
    settings.ALLYMAP_SNAPSHOT_EVERY = keep_seq
    _keep(owner, intervention)
    snapshot = log.latest_snapshot(intervention.intervention_id, STATE_FORMAT_VERSION)
    assert snapshot is not None and snapshot.seq == keep_seq
    plain = decrypted_log(owner, intervention.intervention_id)
    kept = [decode_event(text) for text in plain[:-1] if b"self_check_kept" in text]
    assert len(kept) == 1 and isinstance(kept[0], SelfCheckKept) and kept[0].sealed
    for text in plain:
        for needle in (WORDS, "Qorvath", "uncle raises", "leans_in_the_way"):
            assert needle.encode() not in text
            assert needle.encode("utf-16-le") not in text
    stored = b"".join(bytes(e.ciphertext) for e in Event.objects.all())
    assert b"Qorvath" not in stored


def test_another_member_reads_nothing_of_it(
    owner: Keyring, member: Keyring, intervention: Started
) -> None:
    _keep(owner, intervention)
    theirs = _reading(member, intervention)
    assert not theirs.kept and theirs.answers == {}
    # Their own is theirs; the owner's stays the owner's.
    _keep(member, intervention, words="Velmora-words: I need a mate to talk to after")
    assert _reading(member, intervention).answers["own_support"][1].startswith("Velmora")
    assert _reading(owner, intervention).answers["own_support"][1] == WORDS


def test_taking_it_away_leaves_nothing_to_read(owner: Keyring, intervention: Started) -> None:
    _keep(owner, intervention)
    selfcheck.self_check_discard(keyring=owner, intervention_id=intervention.intervention_id)
    reading = _reading(owner, intervention)
    assert not reading.kept and reading.answers == {}
    # Nothing kept: taking away again writes nothing.
    before = Event.objects.filter(intervention_id=intervention.intervention_id).count()
    selfcheck.self_check_discard(keyring=owner, intervention_id=intervention.intervention_id)
    assert Event.objects.filter(intervention_id=intervention.intervention_id).count() == before


@pytest.mark.parametrize(
    ("answers", "field", "code"),
    [
        ({"respected": ("a verdict", "")}, "respected", Refusal.NOT_A_CHOICE),
        ({"respected": ("ally", "x" * (EVIDENCE_MAX + 1))}, "evidence-respected", Refusal.TOO_LONG),
    ],
)
def test_it_refuses_what_a_reflection_would_and_stores_nothing(
    owner: Keyring,
    intervention: Started,
    answers: dict[str, tuple[str, str]],
    field: str,
    code: Refusal,
) -> None:
    before = Event.objects.filter(intervention_id=intervention.intervention_id).count()
    with pytest.raises(InvalidInput) as refused:
        selfcheck.self_check_keep(
            keyring=owner, intervention_id=intervention.intervention_id, answers=answers
        )
    assert (refused.value.field, refused.value.code) == (field, code)
    assert Event.objects.filter(intervention_id=intervention.intervention_id).count() == before
