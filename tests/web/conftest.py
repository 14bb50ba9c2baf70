"""The standing fixtures of tests/conftest.py, each with an unlocked browser.

`owner`, `member` and `outsider` are `accounts.Unlocked` (tests/conftest.py);
`owner_client`, `member_client` and `outsider_client` are Django test clients holding
both halves of that account's unlocked session. Asking for a member turns hosted mode on.
The words of the standing intervention are exported here under the names the web tests
import.
"""

from __future__ import annotations

import pytest
from django.test import Client

from allymap.services import accounts
from tests.people import OWNER_PASSPHRASE
from tests.standing import NAMES, Started, unlocked_client

__all__ = [
    "CODE_NAME",
    "DOING_HARM_ALIAS",
    "HARMED_ALIAS",
    "PASSPHRASE",
    "PERSON_ALIAS",
    "RELATIONSHIP",
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
