"""Who may see what: membership decides, and absent looks the same as forbidden."""

from __future__ import annotations

import pytest

from allymap.services import interventions
from allymap.services.access import intervention_ids_for, intervention_key_for
from allymap.services.errors import NotFound
from allymap.services.keyring import Keyring
from allymap.store.models import Event, Membership
from allymap.vault import new_intervention_key, seal_intervention_key
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
        sealed_key=seal_intervention_key(new_intervention_key(), owner.public_key),
    )
    with pytest.raises(NotFound):
        intervention_key_for(outsider, intervention.intervention_id)


def test_it_refuses_an_outsider_every_service(outsider: Keyring, intervention: Started) -> None:
    iid = intervention.intervention_id
    with pytest.raises(NotFound):
        interventions.intervention_open(outsider, iid)
    with pytest.raises(NotFound):
        interventions.person_add(outsider, iid, alias="Planted", relationship="")
    assert Event.objects.filter(intervention_id=iid).count() == 2
    assert interventions.interventions_list(outsider) == []
    assert intervention_ids_for(outsider) == []


def test_it_lets_a_new_member_in(owner: Keyring, outsider: Keyring, intervention: Started) -> None:
    join_team(owner, intervention.intervention_id, outsider)
    state = interventions.intervention_open(outsider, intervention.intervention_id)
    assert state.person(intervention.person_id).alias == "Uncle T"
    assert intervention_ids_for(outsider) == [intervention.intervention_id]
