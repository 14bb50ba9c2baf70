"""Starting, opening and listing interventions through the services."""

from __future__ import annotations

import pytest

from allymap.chart import Position, default_chart
from allymap.domain import InvalidInput, UnknownPerson
from allymap.services import interventions, positions
from allymap.services.keyring import Keyring
from allymap.store.models import Event, Intervention, Membership
from tests.people import fresh
from tests.services.conftest import Started


def test_it_starts_and_opens_an_intervention(owner: Keyring) -> None:
    intervention_id = interventions.intervention_start(
        keyring=owner, code_name="Spring tide", doing_harm_alias="R", harmed_alias="M"
    )
    state = interventions.intervention_open(keyring=fresh(owner), intervention_id=intervention_id)
    assert state.intervention_id == intervention_id
    assert (state.code_name, state.doing_harm_alias, state.harmed_alias) == (
        "Spring tide",
        "R",
        "M",
    )
    assert state.started_by == owner.account_id
    assert (state.chart_id, state.chart_version) == (default_chart().id, default_chart().version)
    assert state.seq == 1
    assert state.active_people() == []
    assert Membership.objects.filter(
        intervention_id=intervention_id, account_id=owner.account_id
    ).exists()


def test_it_stores_nothing_typed_in_the_clear(owner: Keyring) -> None:
    intervention_id = interventions.intervention_start(
        keyring=owner, code_name="Kererū ridge", doing_harm_alias="Wiremu Stanislaus"
    )
    event = Event.objects.get(intervention_id=intervention_id)
    for secret in ("Kererū ridge", "Wiremu Stanislaus"):
        assert secret.encode() not in bytes(event.ciphertext)


def test_it_refuses_invalid_text_before_storing_anything(owner: Keyring) -> None:
    with pytest.raises(InvalidInput) as refused:
        interventions.intervention_start(keyring=owner, code_name="", doing_harm_alias="R")
    assert refused.value.field == "code_name"
    assert not Intervention.objects.exists()
    assert not Event.objects.exists()


def test_it_round_trips_people_and_positions(owner: Keyring, intervention: Started) -> None:
    positions.positions_record(
        keyring=owner,
        intervention_id=intervention.intervention_id,
        person_id=intervention.person_id,
        positions={
            "respected": (Position.ALLY, "He listens"),
            "communicates": (Position.MIXED, ""),
        },
    )
    opened = interventions.intervention_open(
        keyring=fresh(owner), intervention_id=intervention.intervention_id
    )
    person = opened.person(intervention.person_id)
    assert (person.alias, person.relationship) == ("Uncle T", "mātua kēkē")
    mine = person.positions[owner.account_id]
    assert mine["respected"].position is Position.ALLY
    assert mine["respected"].evidence == "He listens"
    assert mine["communicates"].position is Position.MIXED
    assert opened.seq == 4


def test_it_refuses_positions_for_a_person_not_on_the_map(
    owner: Keyring, intervention: Started
) -> None:
    with pytest.raises(UnknownPerson):
        positions.positions_record(
            keyring=owner,
            intervention_id=intervention.intervention_id,
            person_id="nobody",
            positions={"respected": (Position.ALLY, "")},
        )
    assert Event.objects.filter(intervention_id=intervention.intervention_id).count() == 2


def test_it_records_nothing_when_nothing_changed(owner: Keyring, intervention: Started) -> None:
    answers = {"respected": (Position.ALLY, "He listens")}
    kwargs = {"person_id": intervention.person_id, "positions": answers}
    positions.positions_record(
        keyring=owner, intervention_id=intervention.intervention_id, **kwargs
    )
    first = Event.objects.filter(intervention_id=intervention.intervention_id).count()
    positions.positions_record(
        keyring=owner, intervention_id=intervention.intervention_id, **kwargs
    )
    assert Event.objects.filter(intervention_id=intervention.intervention_id).count() == first


def test_it_lists_only_the_accounts_own_interventions(owner: Keyring, outsider: Keyring) -> None:
    first = interventions.intervention_start(keyring=owner, code_name="First", doing_harm_alias="A")
    theirs = interventions.intervention_start(
        keyring=outsider, code_name="Theirs", doing_harm_alias="B"
    )
    second = interventions.intervention_start(
        keyring=owner, code_name="Second", doing_harm_alias="C"
    )
    listed = interventions.interventions_list(keyring=fresh(owner))
    assert [item.intervention_id for item in listed] == [first, second]
    assert [item.code_name for item in listed] == ["First", "Second"]
    assert all(item.damage is None for item in listed)
    assert [
        s.intervention_id for s in interventions.interventions_list(keyring=fresh(outsider))
    ] == [theirs]


def test_it_lists_nothing_for_a_new_account(owner: Keyring, outsider: Keyring) -> None:
    interventions.intervention_start(keyring=owner, code_name="First", doing_harm_alias="A")
    assert interventions.interventions_list(keyring=outsider) == ()


def test_it_makes_random_ids(owner: Keyring) -> None:
    ids = {
        interventions.intervention_start(keyring=owner, code_name=f"n{i}", doing_harm_alias="A")
        for i in range(5)
    }
    assert len(ids) == 5
    assert all(len(i) >= 16 and not i.isdigit() for i in ids)


def test_a_forms_token_makes_one_intervention_and_never_becomes_the_id(
    owner: Keyring, outsider: Keyring
) -> None:
    token = "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"  # low entropy, as a client may send
    first = interventions.intervention_start(
        keyring=owner, code_name="Once", doing_harm_alias="R", proposed_id=token
    )
    again = interventions.intervention_start(
        keyring=owner, code_name="Once", doing_harm_alias="R", proposed_id=token
    )
    assert first == again
    assert Intervention.objects.count() == 1
    assert token not in first and len(first) == 22
    # Another account's same token makes its own intervention: ids are scoped, so nobody
    # can aim a token at someone else's id (nor learn that it exists).
    theirs = interventions.intervention_start(
        keyring=outsider, code_name="Theirs", doing_harm_alias="Q", proposed_id=token
    )
    assert theirs != first
    assert Intervention.objects.count() == 2
