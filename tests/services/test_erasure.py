"""Forgetting a person and destroying an intervention erase for good; old snapshots go.

Forgetting rewrites the log without the person under a new key: what the team recorded
about everyone else reads back the same, the old key opens nothing that is left, and the
new log verifies from its first event. Destroying leaves no row of the intervention.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from pytest_django.fixtures import Settings

from allymap.chart import Position
from allymap.domain import (
    STATE_FORMAT_VERSION,
    InterventionState,
    PersonState,
    UnknownPerson,
    decode_event,
    decode_state,
    encode_state,
)
from allymap.services import (
    engine,
    erasure,
    gaps,
    interventions,
    marks,
    notes,
    people,
    positions,
    roles,
)
from allymap.services.access import intervention_key_for
from allymap.services.errors import Damage, DamagedRecord, NotFound
from allymap.services.keyring import Keyring
from allymap.services.people import Details
from allymap.store import log
from allymap.store.models import Event, Intervention, Membership, Snapshot
from allymap.vault import TamperedEvent, decrypt_log, decrypt_snapshot
from tests.people import fresh
from tests.services.conftest import Started


@dataclass(frozen=True)
class Mapped:
    """The standing intervention with two people, each with answers and a note."""

    intervention_id: str
    forgotten: str
    kept: str


def _ids(keyring: Keyring, intervention_id: str) -> dict[str, object]:
    return {"keyring": keyring, "intervention_id": intervention_id}


def _open(keyring: Keyring, intervention_id: str) -> InterventionState:
    return interventions.intervention_open(keyring=fresh(keyring), intervention_id=intervention_id)


def _rows(intervention_id: str) -> list[tuple[int, str, object, bytes, bytes, bytes]]:
    return [
        (e.seq, e.author_id, e.created_at, bytes(e.nonce), bytes(e.ciphertext), bytes(e.chain))
        for e in Event.objects.filter(intervention_id=intervention_id).order_by("seq")
    ]


def _sealed_keys(intervention_id: str) -> dict[str, tuple[bytes, str]]:
    return {
        m.account_id: (bytes(m.sealed_key), m.sealed_by_id)
        for m in Membership.objects.filter(intervention_id=intervention_id)
    }


@pytest.fixture
def mapped(owner: Keyring, intervention: Started) -> Mapped:
    ids = {"keyring": owner, "intervention_id": intervention.intervention_id}
    forgotten = intervention.person_id
    kept = people.person_add(
        **ids,
        details=Details(alias="Aunty Mere", relationship="his aunt"),
    )
    for person, evidence in ((forgotten, "shouts at the hui"), (kept, "calm and clear")):
        positions.positions_record(
            **ids,
            person_id=person,
            positions={
                "respected": (Position.ALLY, evidence),
                "communicates": (Position.LEANS_IN_THE_WAY, f"{evidence}, sometimes"),
            },
        )
    people.person_change(
        **ids, person_id=forgotten, details=Details(alias="Uncle Tama", relationship="koro")
    )
    notes.note_add(**ids, text="About Tama: away until March", person_id=forgotten)
    notes.note_add(**ids, text="Mere will ask at the club", person_id=kept)
    notes.note_add(**ids, text="Hui on Sunday")
    return Mapped(intervention.intervention_id, forgotten=forgotten, kept=kept)


# --- forgetting ---------------------------------------------------------------------------


def test_it_forgets_everything_about_the_person_and_keeps_the_others(
    owner: Keyring, mapped: Mapped
) -> None:
    before = _open(owner, mapped.intervention_id)
    erasure.person_forget(
        keyring=owner, intervention_id=mapped.intervention_id, person_id=mapped.forgotten
    )
    after = _open(owner, mapped.intervention_id)

    assert mapped.forgotten not in after.people
    assert [n.text for n in after.notes] == ["Mere will ask at the club", "Hui on Sunday"]
    assert _as_recorded(after.people[mapped.kept]) == _as_recorded(before.people[mapped.kept])
    assert (after.code_name, after.doing_harm_alias, after.started_by, after.started_at) == (
        before.code_name,
        before.doing_harm_alias,
        before.started_by,
        before.started_at,
    )
    # Nothing of them is left in any event, decrypted with the new key.
    key = intervention_key_for(fresh(owner), mapped.intervention_id)
    for _sealed, plaintext in decrypt_log(
        key, intervention_id=mapped.intervention_id, events=log_events(mapped.intervention_id)
    ):
        event = decode_event(plaintext)
        assert getattr(event, "person_id", "") != mapped.forgotten, event
        for text in (b"Uncle T", b"Tama", b"shouts", b"koro", "mātua".encode()):
            assert text not in plaintext


def _as_recorded(person: PersonState) -> tuple[object, ...]:
    """What the team recorded about a person, without the seqs (which the rewrite renumbers)."""
    return (
        person.alias,
        person.relationship,
        person.added_by,
        person.added_at,
        {
            assessor: {row: (e.position, e.evidence, e.at) for row, e in rows.items()}
            for assessor, rows in person.positions.items()
        },
    )


def log_events(intervention_id: str) -> list[log.SealedEvent]:
    return [sealed for sealed, _ in log.events_after(intervention_id, 0)]


def test_it_rewrites_the_log_with_new_seqs_a_new_chain_and_the_same_authors_and_times(
    owner: Keyring, mapped: Mapped
) -> None:
    old = _rows(mapped.intervention_id)
    about = {
        seq
        for seq, _sealed_plain in _decrypted(owner, mapped.intervention_id)
        if getattr(_sealed_plain, "person_id", "") == mapped.forgotten
    }
    assert len(about) == 5  # added, two answers (an event each), changed, a note
    erasure.person_forget(
        keyring=owner, intervention_id=mapped.intervention_id, person_id=mapped.forgotten
    )
    new = _rows(mapped.intervention_id)
    assert [row[0] for row in new] == list(range(1, len(old) - len(about) + 1))
    assert [(row[1], row[2]) for row in new] == [
        (row[1], row[2]) for row in old if row[0] not in about
    ]
    old_bytes = {row[3] for row in old} | {row[4] for row in old} | {row[5] for row in old}
    assert not old_bytes & ({row[3] for row in new} | {row[4] for row in new})
    assert not old_bytes & {row[5] for row in new}
    # The new chain verifies from the first event (decrypt_log checks every link).
    assert len(_decrypted(owner, mapped.intervention_id)) == len(new)


def _decrypted(keyring: Keyring, intervention_id: str) -> list[tuple[int, object]]:
    key = intervention_key_for(fresh(keyring), intervention_id)
    return [
        (sealed.seq, decode_event(plaintext))
        for sealed, plaintext in decrypt_log(
            key, intervention_id=intervention_id, events=log_events(intervention_id)
        )
    ]


def test_it_seals_a_new_key_for_every_member_and_the_old_key_opens_nothing_left(
    owner: Keyring, member: Keyring, mapped: Mapped
) -> None:
    old_key = intervention_key_for(fresh(owner), mapped.intervention_id)
    old_sealed = _sealed_keys(mapped.intervention_id)
    assert set(old_sealed) == {owner.account_id, member.account_id}

    erasure.person_forget(
        keyring=member, intervention_id=mapped.intervention_id, person_id=mapped.forgotten
    )

    new_key = intervention_key_for(fresh(owner), mapped.intervention_id)
    assert new_key != old_key
    assert intervention_key_for(fresh(member), mapped.intervention_id) == new_key
    assert member.intervention_keys[mapped.intervention_id] == new_key
    new_sealed = _sealed_keys(mapped.intervention_id)
    assert set(new_sealed) == set(old_sealed)
    for account_id, (sealed_key, sealed_by) in new_sealed.items():
        assert sealed_key != old_sealed[account_id][0]
        assert sealed_by == member.account_id  # the member who acted
    with pytest.raises(TamperedEvent):
        list(
            decrypt_log(
                old_key,
                intervention_id=mapped.intervention_id,
                events=log_events(mapped.intervention_id),
            )
        )
    # Both members still read what is left.
    for keyring in (owner, member):
        assert set(_open(keyring, mapped.intervention_id).people) == {mapped.kept}


def test_it_forgets_a_person_already_removed_from_the_map(owner: Keyring, mapped: Mapped) -> None:
    ids = {"keyring": owner, "intervention_id": mapped.intervention_id}
    people.person_remove(**ids, person_id=mapped.forgotten)
    reading = erasure.forget_reading(**ids, person_id=mapped.forgotten)
    assert (reading.alias, reading.removed, reading.answers, reading.notes) == (
        "Uncle Tama",
        True,
        2,
        1,
    )
    erasure.person_forget(**ids, person_id=mapped.forgotten)
    assert set(_open(owner, mapped.intervention_id).people) == {mapped.kept}


def test_it_refuses_to_forget_someone_never_on_the_map_and_changes_nothing(
    owner: Keyring, mapped: Mapped
) -> None:
    before = (_rows(mapped.intervention_id), _sealed_keys(mapped.intervention_id))
    with pytest.raises(UnknownPerson):
        erasure.person_forget(
            keyring=owner, intervention_id=mapped.intervention_id, person_id="nobody"
        )
    assert (_rows(mapped.intervention_id), _sealed_keys(mapped.intervention_id)) == before


def test_it_refuses_an_outsider_and_changes_nothing(
    owner: Keyring, outsider: Keyring, mapped: Mapped
) -> None:
    before = (_rows(mapped.intervention_id), _sealed_keys(mapped.intervention_id))
    with pytest.raises(NotFound):
        erasure.forget_reading(
            keyring=outsider, intervention_id=mapped.intervention_id, person_id=mapped.forgotten
        )
    with pytest.raises(NotFound):
        erasure.person_forget(
            keyring=outsider, intervention_id=mapped.intervention_id, person_id=mapped.forgotten
        )
    with pytest.raises(NotFound):
        erasure.destroy_reading(keyring=outsider, intervention_id=mapped.intervention_id)
    with pytest.raises(NotFound):
        erasure.intervention_destroy(keyring=outsider, intervention_id=mapped.intervention_id)
    assert (_rows(mapped.intervention_id), _sealed_keys(mapped.intervention_id)) == before


def test_it_rebuilds_the_snapshot_under_the_new_key(
    owner: Keyring, intervention: Started, settings: Settings
) -> None:
    settings.ALLYMAP_SNAPSHOT_EVERY = 10
    ids = {"keyring": owner, "intervention_id": intervention.intervention_id}
    for number in range(22):
        people.person_add(**ids, details=Details(alias=f"Person {number}"))
    old_snapshots = list(
        Snapshot.objects.filter(intervention_id=intervention.intervention_id).values_list(
            "ciphertext", flat=True
        )
    )
    assert old_snapshots
    erasure.person_forget(**ids, person_id=intervention.person_id)
    (snapshot,) = Snapshot.objects.filter(intervention_id=intervention.intervention_id)
    assert snapshot.seq == 23  # 24 events, one of them about the forgotten person
    assert bytes(snapshot.ciphertext) not in {bytes(c) for c in old_snapshots}
    key = intervention_key_for(fresh(owner), intervention.intervention_id)
    state = decode_state(
        decrypt_snapshot(
            key,
            intervention_id=intervention.intervention_id,
            chain=log.chain_at(intervention.intervention_id, 23) or b"",
            format_version=STATE_FORMAT_VERSION,
            sealed=log.SealedSnapshot(
                seq=23, nonce=bytes(snapshot.nonce), ciphertext=bytes(snapshot.ciphertext)
            ),
        )
    )
    assert encode_state(state) == encode_state(_open(owner, intervention.intervention_id))
    Snapshot.objects.all().delete()
    assert encode_state(state) == encode_state(_open(owner, intervention.intervention_id))


# --- destroying ---------------------------------------------------------------------------


def test_it_destroys_an_intervention_and_leaves_no_row_of_it(
    owner: Keyring, member: Keyring, mapped: Mapped, settings: Settings
) -> None:
    settings.ALLYMAP_SNAPSHOT_EVERY = 10
    other = interventions.intervention_start(keyring=owner, code_name="Other", doing_harm_alias="S")
    for number in range(10):
        people.person_add(
            keyring=owner,
            intervention_id=mapped.intervention_id,
            details=Details(alias=f"P{number}"),
        )
    assert Snapshot.objects.filter(intervention_id=mapped.intervention_id).exists()
    reading = erasure.destroy_reading(keyring=owner, intervention_id=mapped.intervention_id)
    assert (reading.heading.code_name, reading.people, reading.notes, reading.members) == (
        "Spring tide",
        12,
        3,
        2,
    )

    erasure.intervention_destroy(keyring=member, intervention_id=mapped.intervention_id)

    gone = mapped.intervention_id
    assert not Intervention.objects.filter(pk=gone).exists()
    for model in (Event, Snapshot, Membership):
        assert not model.objects.filter(intervention_id=gone).exists(), model
    assert gone not in member.intervention_keys
    with pytest.raises(NotFound):
        interventions.intervention_open(keyring=fresh(owner), intervention_id=gone)
    with pytest.raises(NotFound):
        erasure.intervention_destroy(keyring=owner, intervention_id=gone)
    assert [line.intervention_id for line in interventions.interventions_list(keyring=owner)] == [
        other
    ]
    assert _open(owner, other).code_name == "Other"


@pytest.mark.django_db(transaction=True)
def test_it_reclaims_the_freed_space_once_the_erasure_is_committed(
    owner: Keyring, mapped: Mapped, monkeypatch: pytest.MonkeyPatch
) -> None:
    reclaimed: list[log.Reclaimed] = []
    real = log.space_reclaim

    def space_reclaim() -> log.Reclaimed:
        reclaimed.append(real())
        return reclaimed[-1]

    monkeypatch.setattr(log, "space_reclaim", space_reclaim)
    before = marks.marks_of(owner.account_id)[mapped.intervention_id]
    erasure.person_forget(
        keyring=owner, intervention_id=mapped.intervention_id, person_id=mapped.forgotten
    )
    assert len(reclaimed) == 1 and reclaimed[0].complete, reclaimed
    assert "vacuum" in reclaimed[0].done
    # The rollback tripwire (services/marks.py) knows the log was made shorter on purpose.
    after = marks.marks_of(owner.account_id)[mapped.intervention_id]
    assert after.seq == before.seq - 5
    assert _open(owner, mapped.intervention_id).seq == after.seq

    erasure.intervention_destroy(keyring=owner, intervention_id=mapped.intervention_id)
    assert len(reclaimed) == 2 and reclaimed[1].complete, reclaimed
    # Gone on purpose: a plain "not found", not "missing", and its id is not kept.
    assert mapped.intervention_id not in marks.marks_of(owner.account_id)
    with pytest.raises(NotFound):
        _open(owner, mapped.intervention_id)


def test_it_does_not_reclaim_inside_a_transaction(db: None) -> None:
    with pytest.raises(RuntimeError):
        log.space_reclaim()


# --- old snapshots ------------------------------------------------------------------------


def test_it_keeps_only_the_newest_snapshot(
    owner: Keyring, intervention: Started, settings: Settings
) -> None:
    settings.ALLYMAP_SNAPSHOT_EVERY = 10
    ids = {"keyring": owner, "intervention_id": intervention.intervention_id}
    seen = set()
    for number in range(40):
        people.person_add(**ids, details=Details(alias=f"Person {number}"))
        seen |= set(
            Snapshot.objects.filter(intervention_id=intervention.intervention_id).values_list(
                "seq", flat=True
            )
        )
        assert Snapshot.objects.filter(intervention_id=intervention.intervention_id).count() <= 1
    assert seen == {10, 20, 30, 40}
    assert _open(owner, intervention.intervention_id).seq == 42


def test_it_deletes_an_older_format_once_a_current_snapshot_is_written(
    owner: Keyring, intervention: Started, settings: Settings
) -> None:
    settings.ALLYMAP_SNAPSHOT_EVERY = 10
    ids = {"keyring": owner, "intervention_id": intervention.intervention_id}
    older = {"nonce": b"\x00" * 24, "ciphertext": b"written by older code"}
    Snapshot.objects.create(
        intervention_id=intervention.intervention_id,
        seq=2,
        format_version=STATE_FORMAT_VERSION - 1,
        **older,
    )
    newer = Snapshot.objects.create(
        intervention_id=intervention.intervention_id,
        seq=1,
        format_version=STATE_FORMAT_VERSION + 1,
        **older,
    )
    for number in range(7):  # events 3 to 9: no snapshot yet
        people.person_add(**ids, details=Details(alias=f"Person {number}"))
    assert Snapshot.objects.filter(format_version=STATE_FORMAT_VERSION - 1).exists()
    people.person_add(**ids, details=Details(alias="The tenth event"))
    assert sorted(
        Snapshot.objects.filter(intervention_id=intervention.intervention_id).values_list(
            "seq", "format_version"
        )
    ) == [(1, STATE_FORMAT_VERSION + 1), (10, STATE_FORMAT_VERSION)]
    assert Snapshot.objects.filter(pk=newer.pk).exists()  # not this version's to judge


def test_a_snapshot_rebuilt_by_a_reader_is_not_kept_once_the_log_was_rewritten(
    owner: Keyring, intervention: Started, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reader who replayed the old log and writes its snapshot after a forget (a race)
    must not store the old state, under the old key, beside the new log."""
    settings.ALLYMAP_SNAPSHOT_EVERY = 10
    ids = {"keyring": owner, "intervention_id": intervention.intervention_id}
    for number in range(12):
        people.person_add(**ids, details=Details(alias=f"Person {number}"))
    Snapshot.objects.all().delete()  # so the next open replays everything and rebuilds one
    real = engine.encrypt_snapshot

    def forget_first(*args: Any, **kwargs: Any) -> Any:
        monkeypatch.setattr(engine, "encrypt_snapshot", real)
        erasure.person_forget(
            keyring=fresh(owner),
            intervention_id=intervention.intervention_id,
            person_id=intervention.person_id,
        )
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "encrypt_snapshot", forget_first)
    stale = _open(owner, intervention.intervention_id)
    assert intervention.person_id in stale.people  # read before the forget
    (snapshot,) = Snapshot.objects.filter(intervention_id=intervention.intervention_id)
    assert snapshot.seq == 13  # the forget's own snapshot: the reader's was not kept
    assert intervention.person_id not in _open(owner, intervention.intervention_id).people


def test_it_refuses_to_forget_in_a_log_older_than_the_one_written_here(
    owner: Keyring, mapped: Mapped
) -> None:
    """Rewriting a rolled-back log would make it the new truth and hide the rollback."""
    head = _open(owner, mapped.intervention_id)
    marks.note(owner.account_id, mapped.intervention_id, marks.Mark(head.seq + 3, b"\x01" * 32))
    try:
        before = (_rows(mapped.intervention_id), _sealed_keys(mapped.intervention_id))
        for attempt in (erasure.forget_reading, erasure.person_forget):
            with pytest.raises(DamagedRecord) as caught:
                attempt(
                    keyring=fresh(owner),
                    intervention_id=mapped.intervention_id,
                    person_id=mapped.forgotten,
                )
            assert caught.value.damage is Damage.ROLLED_BACK
        assert (_rows(mapped.intervention_id), _sealed_keys(mapped.intervention_id)) == before
    finally:
        marks.forget(mapped.intervention_id)


def test_it_refuses_to_hand_the_new_key_to_a_planted_member(owner: Keyring, mapped: Mapped) -> None:
    """Personal mode keeps one account: a membership row it did not make gets nothing."""
    from allymap.services.errors import Damage, DamagedRecord
    from tests.people import account_beside_the_owner

    planted = account_beside_the_owner().keyring
    Membership.objects.create(
        intervention_id=mapped.intervention_id,
        account_id=planted.account_id,
        sealed_key=b"garbage",
        sealed_by_id=planted.account_id,
    )
    before = _sealed_keys(mapped.intervention_id)
    with pytest.raises(DamagedRecord) as caught:
        erasure.person_forget(
            keyring=fresh(owner), intervention_id=mapped.intervention_id, person_id=mapped.forgotten
        )
    assert caught.value.damage is Damage.CHANGED
    assert _sealed_keys(mapped.intervention_id) == before


def test_a_gap_set_aside_stays_aside_when_someone_else_is_forgotten(
    owner: Keyring, intervention: Started
) -> None:
    """A cause names events by number; forgetting renumbers them, so the stored cause
    is renumbered with them (else the gap would come back for no reason)."""
    ids = _ids(owner, intervention.intervention_id)
    ally = people.person_add(**ids, details=Details(alias="Aunty Mere", relationship="his aunt"))
    roles.role_assign(**ids, role="accountability_ally", holder=f"person:{ally}")
    key = f"ally_without_support:person:{ally}"
    gaps.gap_set_aside(**ids, gap_key=key, note="We know; leaving it for now.")
    assert key in [line.key for line in gaps.gaps_reading(**ids).set_aside]  # type: ignore[arg-type]

    erasure.person_forget(**ids, person_id=intervention.person_id)  # type: ignore[arg-type]

    reading = gaps.gaps_reading(keyring=fresh(owner), intervention_id=intervention.intervention_id)
    assert key in [line.key for line in reading.set_aside]
    assert key not in [line.key for line in reading.shown]


def test_the_page_that_asks_to_confirm_reads_no_more_than_any_page(
    owner: Keyring, mapped: Mapped, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Showing what forgetting would erase opens the state every page opens; only the
    forgetting itself reads the whole log from its first event (issue 10: it replayed
    10,000 events to show the page)."""

    def whole_log(*args: object) -> None:
        raise AssertionError("the confirmation page read the whole log")

    monkeypatch.setattr(erasure, "_whole_log", whole_log)
    reading = erasure.forget_reading(
        keyring=owner, intervention_id=mapped.intervention_id, person_id=mapped.forgotten
    )
    assert (reading.alias, reading.answers, reading.notes) == ("Uncle Tama", 2, 1)
