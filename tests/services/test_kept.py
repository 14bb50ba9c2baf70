"""An opened intervention kept in memory between requests (`services.kept`, issue 10):
found only with the intervention key and only while every stored row it was made from
is unchanged; dropped when the reader's session ends, when a person is forgotten or the
intervention destroyed, and a short time after its last use."""

from __future__ import annotations

import threading
import time

import pytest
from django.contrib.sessions.backends.db import SessionStore
from pytest_django.fixtures import Settings

from allymap.domain import STATE_FORMAT_VERSION, encode_state
from allymap.services import engine, erasure, interventions, kept, people, sessions
from allymap.services.access import intervention_key_for
from allymap.services.errors import DamagedRecord, NotFound
from allymap.services.keyring import Keyring
from allymap.services.people import Details
from allymap.store import log
from allymap.store.models import Event
from tests.people import fresh
from tests.services.conftest import Started


def _read(keyring: Keyring, intervention_id: str) -> engine.Opened:
    """One request's reading, on a keyring rebuilt as each request rebuilds it."""
    return engine.open_log(fresh(keyring), intervention_id)


def test_a_later_request_finds_the_opening_an_earlier_one_kept(
    owner: Keyring, intervention: Started, opens: list[str]
) -> None:
    first = _read(owner, intervention.intervention_id)
    second = _read(owner, intervention.intervention_id)
    assert second is first
    assert opens == [intervention.intervention_id]


def test_nothing_is_kept_when_it_is_turned_off(
    owner: Keyring, intervention: Started, opens: list[str], settings: Settings
) -> None:
    settings.ALLYMAP_KEPT_SECONDS = 0
    _read(owner, intervention.intervention_id)
    _read(owner, intervention.intervention_id)
    assert opens == [intervention.intervention_id] * 2
    assert kept.kept_count() == 0


def test_an_outsider_is_refused_while_it_is_kept(
    owner: Keyring, outsider: Keyring, intervention: Started
) -> None:
    _read(owner, intervention.intervention_id)
    assert kept.kept_count() == 1
    with pytest.raises(NotFound):
        _read(outsider, intervention.intervention_id)


def test_it_cannot_be_found_without_the_intervention_key(
    owner: Keyring, intervention: Started
) -> None:
    opened = _read(owner, intervention.intervention_id)
    stored = log.stored_rows(intervention.intervention_id, STATE_FORMAT_VERSION)
    rows = kept.fingerprint(stored)
    key = intervention_key_for(fresh(owner), intervention.intervention_id)
    since = kept.ticket()
    found = kept.find(intervention.intervention_id, key, rows, reader="anyone", since=since)
    assert found is opened
    assert kept.find(intervention.intervention_id, bytes(32), rows, reader="a", since=since) is None
    fewer = kept.fingerprint(log.StoredRows(stored.snapshot, stored.events[:-1]))
    assert kept.find(intervention.intervention_id, key, fewer, reader="a", since=since) is None


def test_an_opening_is_not_kept_under_rows_that_changed_while_it_was_opened(
    owner: Keyring, intervention: Started, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write between reading the rows and opening the log: the opening ends past the
    rows it would be kept under, so it is not kept (the next request opens afresh)."""
    real = engine._open
    writes: list[str] = []

    def written_meanwhile(key: bytes, intervention_id: str) -> engine.Opened:
        if not writes:  # the write opens the log too, through this
            writes.append(intervention_id)
            people.person_add(
                keyring=fresh(owner), intervention_id=intervention_id, details=Details(alias="Ana")
            )
        return real(key, intervention_id)

    monkeypatch.setattr(engine, "_open", written_meanwhile)
    opened = _read(owner, intervention.intervention_id)
    assert "Ana" in [person.alias for person in opened.state.active_people()]
    assert kept.kept_count() == 0


def test_a_new_event_is_read_afresh(
    owner: Keyring, intervention: Started, opens: list[str]
) -> None:
    before = _read(owner, intervention.intervention_id)
    people.person_add(
        keyring=fresh(owner),
        intervention_id=intervention.intervention_id,
        details=Details(alias="Hēmi"),
    )
    after = _read(owner, intervention.intervention_id)
    assert after.state.seq == before.state.seq + 1
    assert "Hēmi" in [person.alias for person in after.state.active_people()]


def test_a_changed_time_on_the_newest_event_is_read_afresh_and_refused(
    owner: Keyring, intervention: Started
) -> None:
    """Every column of each row after the snapshot is in the fingerprint, not only the
    chain value: a changed time (bound by the seal, not by the chain) is found at once."""
    _read(owner, intervention.intervention_id)
    newest = Event.objects.filter(intervention_id=intervention.intervention_id).latest("seq")
    Event.objects.filter(pk=newest.pk).update(created_at=newest.created_at.replace(year=2001))
    with pytest.raises(DamagedRecord):
        _read(owner, intervention.intervention_id)


def test_ending_a_session_drops_what_its_account_read(
    owner: Keyring, intervention: Started
) -> None:
    _read(owner, intervention.intervention_id)
    assert kept.kept_count() == 1
    session = SessionStore()
    session["account"] = owner.account_id
    sessions.session_end(session, None)
    assert kept.kept_count() == 0


def test_a_request_that_began_before_a_lock_keeps_and_finds_nothing(
    owner: Keyring, intervention: Started
) -> None:
    """The request's ticket is taken when its session is joined, before the check that
    the session has not ended: a lock after that point reaches it."""
    _read(owner, intervention.intervention_id)
    under_way = Keyring(owner.account_id, owner.private_key, kept_since=kept.ticket())
    kept.forget_all()  # the lock, while the request was under way
    engine.open_log(under_way, intervention.intervention_id)
    assert kept.kept_count() == 0
    # Nor does it find what another request kept after the lock.
    _read(owner, intervention.intervention_id)
    later = Keyring(owner.account_id, owner.private_key, kept_since=under_way.kept_since)
    assert (
        engine.open_log(later, intervention.intervention_id)
        is not kept._ENTRIES[intervention.intervention_id].opened
    )


def test_a_request_under_way_when_a_person_is_forgotten_keeps_nothing_of_them(
    owner: Keyring, intervention: Started, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = engine._open
    forgotten: list[str] = []

    def erased_meanwhile(key: bytes, intervention_id: str) -> engine.Opened:
        opened = real(key, intervention_id)  # the old rows, read before the erasure
        if not forgotten:
            forgotten.append(intervention.person_id)
            erasure.person_forget(
                keyring=fresh(owner),
                intervention_id=intervention_id,
                person_id=intervention.person_id,
            )
        return opened

    monkeypatch.setattr(engine, "_open", erased_meanwhile)
    _read(owner, intervention.intervention_id)
    assert forgotten
    assert all(
        intervention.person_id not in entry.opened.state.people for entry in kept._ENTRIES.values()
    )


def test_an_opening_in_use_is_still_dropped_once_it_is_as_old_as_the_idle_lock(
    owner: Keyring, intervention: Started, opens: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _read(owner, intervention.intervention_id)
    made = kept._ENTRIES[intervention.intervention_id].made
    later = made + kept.seconds_at_most() + 1
    kept._ENTRIES[intervention.intervention_id].last_used = later  # used just now
    monkeypatch.setattr(kept.time, "monotonic", lambda: later)
    _read(owner, intervention.intervention_id)
    assert opens == [intervention.intervention_id] * 2


def test_forgetting_a_person_drops_the_opening_that_named_them(
    owner: Keyring, intervention: Started
) -> None:
    before = _read(owner, intervention.intervention_id)
    assert intervention.person_id in before.state.people
    erasure.person_forget(
        keyring=fresh(owner),
        intervention_id=intervention.intervention_id,
        person_id=intervention.person_id,
    )
    assert all(
        intervention.person_id not in entry.opened.state.people for entry in kept._ENTRIES.values()
    )
    assert intervention.person_id not in _read(owner, intervention.intervention_id).state.people


def test_destroying_drops_the_opening(owner: Keyring, intervention: Started) -> None:
    _read(owner, intervention.intervention_id)
    erasure.intervention_destroy(keyring=fresh(owner), intervention_id=intervention.intervention_id)
    assert kept.kept_count() == 0


def test_it_is_kept_no_longer_than_the_idle_lock(settings: Settings) -> None:
    settings.ALLYMAP_KEPT_SECONDS = 600
    settings.ALLYMAP_IDLE_LOCK_SECONDS = 300
    # Less the step by which a session's last activity may lag behind.
    assert kept.seconds() == 300 - 30
    settings.ALLYMAP_KEPT_SECONDS = 60
    assert kept.seconds() == 60


def test_an_unused_opening_is_dropped_without_waiting_for_a_request(
    owner: Keyring, intervention: Started, settings: Settings
) -> None:
    settings.ALLYMAP_KEPT_SECONDS = 0.2
    _read(owner, intervention.intervention_id)
    assert kept.kept_count() == 1
    # The sweeper thread drops it: no request comes. (A bound, not a timing: it may take
    # as long as the machine needs.)
    deadline = time.monotonic() + 30
    while kept.kept_count() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert kept.kept_count() == 0
    assert not any(thread.name == "allymap-kept" for thread in threading.enumerate())


def test_an_expired_opening_is_not_used_even_before_the_sweep(
    owner: Keyring, intervention: Started, opens: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _read(owner, intervention.intervention_id)
    later = time.monotonic() + kept.seconds() + 1
    monkeypatch.setattr(kept.time, "monotonic", lambda: later)
    _read(owner, intervention.intervention_id)
    assert opens == [intervention.intervention_id] * 2


def test_at_most_the_set_number_of_interventions_are_kept(
    owner: Keyring, intervention: Started, settings: Settings
) -> None:
    settings.ALLYMAP_KEPT_INTERVENTIONS = 1
    other = interventions.intervention_start(keyring=owner, code_name="Other", doing_harm_alias="R")
    _read(owner, intervention.intervention_id)
    _read(owner, other)
    assert kept.kept_count() == 1
    assert set(kept._ENTRIES) == {other}


def test_the_kept_state_is_the_state_a_fresh_open_gives(
    owner: Keyring, intervention: Started, settings: Settings
) -> None:
    from_memory = _read(owner, intervention.intervention_id)
    assert _read(owner, intervention.intervention_id) is from_memory
    settings.ALLYMAP_KEPT_SECONDS = 0
    afresh = _read(owner, intervention.intervention_id)
    assert afresh is not from_memory
    assert encode_state(afresh.state) == encode_state(from_memory.state)


def test_what_is_derived_from_a_state_is_worked_out_once_while_it_is_kept(
    owner: Keyring, intervention: Started
) -> None:
    worked: list[int] = []

    def work(state: object) -> int:
        worked.append(1)
        return len(worked)

    def ask(keyring: Keyring) -> int:
        _state, value = engine.derived(fresh(keyring), intervention.intervention_id, "k", work)
        return value

    assert ask(owner) == 1
    assert ask(owner) == 1  # another request, the same kept state
    people.person_add(
        keyring=fresh(owner),
        intervention_id=intervention.intervention_id,
        details=Details(alias="Hēmi"),
    )
    assert ask(owner) == 2  # a new state: worked out again
    assert ask(owner) == 2
    kept.forget_all()
    assert ask(owner) == 3  # gone with the opening


def test_what_is_derived_is_worked_out_from_the_state_it_is_kept_with(
    owner: Keyring, intervention: Started
) -> None:
    state, seq = engine.derived(
        fresh(owner), intervention.intervention_id, "seq", lambda state: state.seq
    )
    assert seq == state.seq
    opened = _read(owner, intervention.intervention_id)
    assert opened.derived[(owner.account_id, "seq")] == opened.state.seq
