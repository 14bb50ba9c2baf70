"""Standing people for the web tests: the owner and an outsider, each in an unlocked
browser, and an intervention of the owner's with one person on its map."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from allymap.services import accounts, interventions, people
from allymap.services.sessions import session_fill
from allymap.vault import session_key_to_text
from allymap.web.session import KEY_COOKIE
from tests.people import OWNER_PASSPHRASE, account_beside_the_owner, owner_create

PASSPHRASE = OWNER_PASSPHRASE

# Distinctive, so a test can look for them anywhere they must not be.
CODE_NAME = "Quillfeather Dawn"
DOING_HARM_ALIAS = "Zebulon Marchetti"
HARMED_ALIAS = "Ottoline Vasquez"
PERSON_ALIAS = "Auntie Wilhelmina"
RELATIONSHIP = "his mother's sister"


@dataclass(frozen=True)
class Started:
    """An intervention started through the services, with one person on its map."""

    intervention_id: str
    person_id: str


def unlocked_client(unlocked: accounts.Unlocked) -> Client:
    """A browser holding both halves of an unlocked session for `unlocked`'s account."""
    client = Client()
    session = client.session
    session_fill(session, unlocked)
    session.save()
    client.cookies[KEY_COOKIE] = session_key_to_text(unlocked.session_key)
    return client


@pytest.fixture
def owner(db: None) -> accounts.Unlocked:
    unlocked, _recovery = owner_create()
    return unlocked


@pytest.fixture
def owner_client(owner: accounts.Unlocked) -> Client:
    return unlocked_client(owner)


@pytest.fixture
def outsider(owner: accounts.Unlocked) -> accounts.Unlocked:
    """Another unlocked account on the same allymap, on no team of the owner's."""
    return account_beside_the_owner()


@pytest.fixture
def outsider_client(outsider: accounts.Unlocked) -> Client:
    return unlocked_client(outsider)


@pytest.fixture
def intervention(owner: accounts.Unlocked) -> Started:
    intervention_id = interventions.intervention_start(
        keyring=owner.keyring,
        code_name=CODE_NAME,
        doing_harm_alias=DOING_HARM_ALIAS,
        harmed_alias=HARMED_ALIAS,
    )
    person_id = people.person_add(
        keyring=owner.keyring,
        intervention_id=intervention_id,
        alias=PERSON_ALIAS,
        relationship=RELATIONSHIP,
    )
    return Started(intervention_id=intervention_id, person_id=person_id)
