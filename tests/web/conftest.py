"""The standing fixtures of tests/conftest.py, each with an unlocked browser.

`owner`, `member` and `outsider` are `accounts.Unlocked` (tests/conftest.py);
`owner_client`, `member_client` and `outsider_client` are Django test clients holding
both halves of that account's unlocked session. Asking for a member turns hosted mode on.
The words of the standing intervention are exported here under the names the web tests
import.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from allymap.domain import InterventionState
from allymap.services import accounts, demo, engine
from tests.people import OWNER_PASSPHRASE, fresh
from tests.standing import NAMES, Started, unlocked_client
from tests.web.every_page import page_urls

__all__ = [
    "CODE_NAME",
    "DOING_HARM_ALIAS",
    "HARMED_ALIAS",
    "PASSPHRASE",
    "PERSON_ALIAS",
    "RELATIONSHIP",
    "DemoPages",
    "Started",
    "unlocked_client",
]

PASSPHRASE = OWNER_PASSPHRASE

CODE_NAME = NAMES.code_name
DOING_HARM_ALIAS = NAMES.doing_harm_alias
HARMED_ALIAS = NAMES.harmed_alias
PERSON_ALIAS = NAMES.person_alias
RELATIONSHIP = NAMES.relationship


@pytest.fixture
def owner_client(owner_unlocked: accounts.Unlocked) -> Client:
    return unlocked_client(owner_unlocked)


@pytest.fixture
def member_client(member_unlocked: accounts.Unlocked) -> Client:
    return unlocked_client(member_unlocked)


@pytest.fixture
def outsider_client(outsider_unlocked: accounts.Unlocked) -> Client:
    return unlocked_client(outsider_unlocked)


@dataclass(frozen=True)
class DemoPages:
    """The demo's intervention, added to the owner's work: its state when added, the
    person with the longest history, and every GET page filled with their ids
    (`page_urls`, by URL name)."""

    intervention_id: str
    state: InterventionState
    person_id: str
    urls: dict[str, str]


@pytest.fixture
def demo_pages(owner_unlocked: accounts.Unlocked) -> DemoPages:
    """For tests that walk every page of a full map."""
    keyring = owner_unlocked.keyring
    intervention_id = demo.demo_intervention_add(keyring=keyring)
    state = engine.open_log(fresh(keyring), intervention_id).state
    person_id = max(state.people, key=lambda pid: len(state.people[pid].history))
    urls = page_urls(intervention_id=intervention_id, person_id=person_id)
    return DemoPages(intervention_id, state, person_id, urls)
