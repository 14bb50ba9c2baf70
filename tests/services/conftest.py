"""Standing people for the service tests: the owner's and an outsider's keyrings, and an
intervention of the owner's with one person on its map."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from allymap.services import interventions, people
from allymap.services.keyring import Keyring
from tests.people import account_beside_the_owner, owner_create


@dataclass(frozen=True)
class Started:
    intervention_id: str
    person_id: str


@pytest.fixture
def owner(db: None) -> Keyring:
    unlocked, _recovery = owner_create()
    return unlocked.keyring


@pytest.fixture
def outsider(owner: Keyring) -> Keyring:
    return account_beside_the_owner().keyring


@pytest.fixture
def intervention(owner: Keyring) -> Started:
    intervention_id = interventions.intervention_start(
        keyring=owner, code_name="Spring tide", doing_harm_alias="R", harmed_alias="M"
    )
    person_id = people.person_add(
        keyring=owner, intervention_id=intervention_id, alias="Uncle T", relationship="mātua kēkē"
    )
    return Started(intervention_id=intervention_id, person_id=person_id)
