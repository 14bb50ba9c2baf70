"""One request decrypts an intervention once: `engine.open_log` keeps what it opened on
the request's keyring and reuses it while the log's newest event is unchanged (issue 10).
"""

from __future__ import annotations

import pytest
from pytest_django.fixtures import Settings

from allymap.services import engine, people
from allymap.services.keyring import Keyring
from allymap.services.people import Details
from tests.people import fresh
from tests.services.conftest import Started


@pytest.fixture(autouse=True)
def nothing_kept(settings: Settings) -> None:
    """What one request does by itself: nothing kept between requests (`services.kept`,
    tested in test_kept.py). `opens` (tests/conftest.py) counts the decrypting."""
    settings.ALLYMAP_KEPT_SECONDS = 0


def test_a_log_opened_twice_in_one_request_is_decrypted_once(
    owner: Keyring, intervention: Started, opens: list[str]
) -> None:
    request = fresh(owner)
    first = engine.open_log(request, intervention.intervention_id)
    second = engine.open_log(request, intervention.intervention_id)
    assert second is first
    assert opens == [intervention.intervention_id]
    # Another request (another keyring) decrypts it for itself: nothing is shared.
    engine.open_log(fresh(owner), intervention.intervention_id)
    assert opens == [intervention.intervention_id] * 2


def test_it_is_opened_again_once_the_log_has_grown(
    owner: Keyring, intervention: Started, opens: list[str]
) -> None:
    request = fresh(owner)
    before = engine.open_log(request, intervention.intervention_id).state
    # Written by another request meanwhile (its own keyring), then by this one.
    people.person_add(
        keyring=fresh(owner),
        intervention_id=intervention.intervention_id,
        details=Details(alias="Hēmi"),
    )
    grown = engine.open_log(request, intervention.intervention_id).state
    assert grown.seq == before.seq + 1
    assert "Hēmi" in [person.alias for person in grown.active_people()]
    people.person_add(
        keyring=request,
        intervention_id=intervention.intervention_id,
        details=Details(alias="Ana"),
    )
    again = engine.open_log(request, intervention.intervention_id).state
    assert again.seq == before.seq + 2
    assert "Ana" in [person.alias for person in again.active_people()]
    assert opens.count(intervention.intervention_id) == 3 + 2  # 3 opens, 2 writes' reads
