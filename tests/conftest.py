"""The standing fixtures every database test shares (tests/web, tests/services, ...).

* `owner`: the personal-mode account, unlocked (`accounts.Unlocked`).
* `intervention`: the owner's intervention with one person on its map (`Started`).
* `member`: another unlocked account on the team of `intervention`, joined the way
  tests/people.py's `join_team` does. Asking for it turns hosted mode on
  (`settings.HOSTED = True`): only hosted mode accepts a key sealed by another account.
* `outsider`: another unlocked account, on no team of the owner's.

tests/services/conftest.py gives the same three as their keyrings (the services take a
keyring), and tests/web/conftest.py adds a logged-in browser for each
(`owner_client`, `member_client`, `outsider_client`).

The fixtures here depend on each other only through the `*_unlocked` names, never through
`owner`, `member` or `outsider`: pytest resolves a fixture's own dependencies from the
test's directory, so a shared fixture that asked for `owner` would get the services'
keyring there. The words typed into the intervention come from `standing_names`, which a
directory may override (tests/services asserts its own words literally).

The plain functions behind them are in tests/standing.py, for scripts outside pytest.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_django.fixtures import Settings

from allymap.services import accounts, engine, kept
from tests.people import account_beside_the_owner, owner_create
from tests.standing import NAMES, Names, Started, intervention_start_standing, member_join


@pytest.fixture(autouse=True)
def nothing_kept_between_tests() -> Iterator[None]:
    """Each test starts and ends with no opened intervention kept in memory
    (`services.kept` is per process; a test's database is rolled back under it)."""
    kept.forget_all()
    yield
    kept.forget_all()


@pytest.fixture
def opens(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the logs decrypted afresh from now on (`engine._open`), in order."""
    decrypted: list[str] = []
    real = engine._open

    def counting(key: bytes, intervention_id: str) -> engine.Opened:
        decrypted.append(intervention_id)
        return real(key, intervention_id)

    monkeypatch.setattr(engine, "_open", counting)
    return decrypted


@pytest.fixture
def standing_names() -> Names:
    """The words the owner typed into the standing intervention."""
    return NAMES


@pytest.fixture
def owner_unlocked(db: None) -> accounts.Unlocked:
    unlocked, _recovery = owner_create()
    return unlocked


@pytest.fixture
def outsider_unlocked(owner_unlocked: accounts.Unlocked) -> accounts.Unlocked:
    """Made after the owner: personal mode unlocks the oldest account."""
    return account_beside_the_owner()


@pytest.fixture
def intervention(owner_unlocked: accounts.Unlocked, standing_names: Names) -> Started:
    return intervention_start_standing(owner_unlocked.keyring, standing_names)


@pytest.fixture
def member_unlocked(
    owner_unlocked: accounts.Unlocked, intervention: Started, settings: Settings
) -> accounts.Unlocked:
    settings.HOSTED = True  # teams of several accounts are hosted mode's
    return member_join(owner_unlocked, intervention)


@pytest.fixture
def owner(owner_unlocked: accounts.Unlocked) -> accounts.Unlocked:
    return owner_unlocked


@pytest.fixture
def member(member_unlocked: accounts.Unlocked) -> accounts.Unlocked:
    return member_unlocked


@pytest.fixture
def outsider(outsider_unlocked: accounts.Unlocked) -> accounts.Unlocked:
    return outsider_unlocked
