"""A database replaced by an older copy, or whose rows vanished, is reported, not shown as
if it were current (personal mode keeps each log's head outside the database)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest
from pytest_django.fixtures import Settings

from allymap.services import interventions, marks, people
from allymap.services.errors import Damage, DamagedRecord, NotFound
from allymap.services.keyring import Keyring
from allymap.services.people import Details
from allymap.store.models import Event, Intervention, Membership
from tests.people import fresh

Capture = Callable[..., AbstractContextManager[Any]]


@pytest.fixture
def written(owner: Keyring, django_capture_on_commit_callbacks: Capture) -> Iterator[str]:
    """An intervention of three events, its head noted as a committed write notes it."""
    with django_capture_on_commit_callbacks(execute=True):
        intervention_id = interventions.intervention_start(
            keyring=owner, code_name="Tides", doing_harm_alias="R"
        )
    for alias in ("Aroha", "Ben"):
        with django_capture_on_commit_callbacks(execute=True):
            people.person_add(
                keyring=owner, intervention_id=intervention_id, details=Details(alias=alias)
            )
    yield intervention_id


def _open(owner: Keyring, intervention_id: str) -> None:
    interventions.intervention_open(keyring=fresh(owner), intervention_id=intervention_id)


def test_it_notes_the_head_of_each_log(owner: Keyring, written: str) -> None:
    mark = marks.marks_of(owner.account_id)[written]
    assert mark.seq == 3
    _open(owner, written)


def test_it_reports_a_log_whose_newest_events_were_cut_off(owner: Keyring, written: str) -> None:
    Event.objects.filter(intervention_id=written, seq=3).delete()
    with pytest.raises(DamagedRecord) as caught:
        _open(owner, written)
    assert caught.value.damage is Damage.ROLLED_BACK
    assert "ends at event 2" in caught.value.problem


def test_it_reports_a_deleted_intervention_row(owner: Keyring, written: str) -> None:
    Intervention.objects.filter(pk=written).delete()
    with pytest.raises(DamagedRecord) as caught:
        _open(owner, written)
    assert caught.value.damage is Damage.MISSING
    listed = interventions.interventions_list(keyring=fresh(owner))
    assert [(line.intervention_id, line.damage) for line in listed] == [(written, Damage.MISSING)]


def test_it_reports_a_vanished_membership(owner: Keyring, written: str) -> None:
    Membership.objects.filter(intervention_id=written).delete()
    with pytest.raises(DamagedRecord) as caught:
        _open(owner, written)
    assert caught.value.damage is Damage.MISSING


def test_an_outsider_still_gets_not_found(owner: Keyring, outsider: Keyring, written: str) -> None:
    """The marks are per account: nobody else learns that the intervention exists."""
    with pytest.raises(NotFound):
        _open(outsider, written)


def test_it_keeps_no_marks_in_hosted_mode(owner: Keyring, written: str, settings: Settings) -> None:
    settings.HOSTED = True
    assert marks.marks_of(owner.account_id) == {}


def test_a_restored_older_copy_can_be_accepted_as_it_is(owner: Keyring, written: str) -> None:
    Event.objects.filter(intervention_id=written, seq=3).delete()
    with pytest.raises(DamagedRecord):
        _open(owner, written)
    interventions.intervention_accept_as_is(keyring=fresh(owner), intervention_id=written)
    _open(owner, written)
    assert marks.marks_of(owner.account_id)[written].seq == 2


def test_a_vanished_intervention_can_be_unlisted_and_nothing_else(
    owner: Keyring, written: str
) -> None:
    interventions.intervention_unlist(keyring=fresh(owner), intervention_id=written)
    assert written in marks.marks_of(owner.account_id), "a present one stays listed"
    Intervention.objects.filter(pk=written).delete()
    interventions.intervention_unlist(keyring=fresh(owner), intervention_id=written)
    assert interventions.interventions_list(keyring=fresh(owner)) == ()


def test_an_unreadable_marks_file_is_kept_aside_not_written_over(
    owner: Keyring, written: str
) -> None:
    from pathlib import Path

    from django.conf import settings

    path = Path(settings.DATA_DIR) / marks.FILE_NAME
    path.write_text("{ not json", encoding="utf-8")
    assert marks.marks_of(owner.account_id) == {}
    aside = list(path.parent.glob(f"{marks.FILE_NAME}.unreadable-*"))
    assert aside and aside[0].read_text(encoding="utf-8") == "{ not json"
    for stale in aside:
        stale.unlink()
