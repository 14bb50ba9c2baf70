"""The standing fixtures of tests/conftest.py as the services take them: keyrings.

`owner`, `member` and `outsider` are the shared accounts' keyrings; `intervention` is the
shared one (the owner's, with one person on its map), started with the words below, which
the service tests assert literally.
"""

from __future__ import annotations

import pytest

from allymap.services import accounts
from allymap.services.keyring import Keyring
from tests.standing import Names, Started

__all__ = ["Started"]  # the service tests import it from here

SERVICE_NAMES = Names(
    code_name="Spring tide",
    doing_harm_alias="R",
    harmed_alias="M",
    person_alias="Uncle T",
    relationship="mātua kēkē",
)


@pytest.fixture
def standing_names() -> Names:
    return SERVICE_NAMES


@pytest.fixture
def owner(owner_unlocked: accounts.Unlocked) -> Keyring:
    return owner_unlocked.keyring


@pytest.fixture
def member(member_unlocked: accounts.Unlocked) -> Keyring:
    """On the team of `intervention`; hosted mode is on."""
    return member_unlocked.keyring


@pytest.fixture
def outsider(outsider_unlocked: accounts.Unlocked) -> Keyring:
    return outsider_unlocked.keyring
