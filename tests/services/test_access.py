"""Who may see what: membership decides, and absent looks the same as forbidden."""

from __future__ import annotations

import pytest
from pytest_django.fixtures import Settings

from allymap.services import interventions, people
from allymap.services.access import intervention_ids_for, intervention_key_for
from allymap.services.errors import NotFound
from allymap.services.keyring import Keyring
from allymap.services.people import Details
from allymap.store.models import Event, Membership
from allymap.vault import KeyNotTrusted, new_intervention_key, seal_intervention_key
from tests.people import fresh, join_team
from tests.services.conftest import Started


def test_it_gives_a_member_the_key(owner: Keyring, intervention: Started) -> None:
    key = intervention_key_for(fresh(owner), intervention.intervention_id)
    assert len(key) == 32
    assert key == owner.intervention_keys[intervention.intervention_id]


def test_it_refuses_an_outsider(outsider: Keyring, intervention: Started) -> None:
    with pytest.raises(NotFound):
        intervention_key_for(outsider, intervention.intervention_id)
    assert intervention.intervention_id not in outsider.intervention_keys


@pytest.mark.parametrize("missing", ["AAAAAAAAAAAAAAAAAAAAAA", "", "../../etc", "x" * 500])
def test_it_refuses_a_missing_id(owner: Keyring, intervention: Started, missing: str) -> None:
    with pytest.raises(NotFound):
        intervention_key_for(owner, missing)


def test_it_refuses_a_membership_whose_key_is_sealed_to_someone_else(
    owner: Keyring, outsider: Keyring, intervention: Started
) -> None:
    """A row planted in the database does not make a member: the sealed key must open."""
    Membership.objects.create(
        intervention_id=intervention.intervention_id,
        account_id=outsider.account_id,
        sealed_key=seal_intervention_key(
            new_intervention_key(),
            owner.public_key,
            intervention_id=intervention.intervention_id,
            sender=owner.private_key,
        ),
        sealed_by_id=owner.account_id,
    )
    with pytest.raises(KeyNotTrusted):
        intervention_key_for(outsider, intervention.intervention_id)


def test_it_refuses_a_key_planted_by_another_account(
    owner: Keyring, outsider: Keyring, intervention: Started
) -> None:
    """Someone who can write to the database makes an account, seals a key of their own to
    the owner and would write a forged log under it: the owner's allymap refuses the key."""
    Membership.objects.filter(
        intervention_id=intervention.intervention_id, account_id=owner.account_id
    ).update(
        sealed_key=seal_intervention_key(
            new_intervention_key(),
            owner.public_key,
            intervention_id=intervention.intervention_id,
            sender=outsider.private_key,
        ),
        sealed_by_id=outsider.account_id,
    )
    with pytest.raises(KeyNotTrusted):
        intervention_key_for(fresh(owner), intervention.intervention_id)


def test_it_refuses_a_key_that_claims_the_owner_sealed_it(
    owner: Keyring, outsider: Keyring, intervention: Started
) -> None:
    Membership.objects.filter(
        intervention_id=intervention.intervention_id, account_id=owner.account_id
    ).update(
        sealed_key=seal_intervention_key(
            new_intervention_key(),
            owner.public_key,
            intervention_id=intervention.intervention_id,
            sender=outsider.private_key,
        ),
    )
    with pytest.raises(KeyNotTrusted):
        intervention_key_for(fresh(owner), intervention.intervention_id)


def test_it_refuses_an_outsider_every_service(outsider: Keyring, intervention: Started) -> None:
    iid = intervention.intervention_id
    with pytest.raises(NotFound):
        interventions.intervention_open(keyring=outsider, intervention_id=iid)
    with pytest.raises(NotFound):
        people.person_add(
            keyring=outsider,
            intervention_id=iid,
            details=Details(alias="Planted"),
        )
    assert Event.objects.filter(intervention_id=iid).count() == 2
    assert interventions.interventions_list(keyring=outsider) == ()
    assert intervention_ids_for(outsider) == []


def test_it_lets_a_new_member_in(
    owner: Keyring, outsider: Keyring, intervention: Started, settings: Settings
) -> None:
    settings.HOSTED = True
    join_team(owner, intervention.intervention_id, outsider)
    state = interventions.intervention_open(
        keyring=outsider, intervention_id=intervention.intervention_id
    )
    assert state.person(intervention.person_id).alias == "Uncle T"
    assert intervention_ids_for(outsider) == [intervention.intervention_id]
