"""The unlock page slows a scripted guesser to the documented rate, says plainly how long
to wait, and still lets the owner in once the wait is over.

The throttle's clock is simulated (tests/services/test_throttle.py), never slept on; key
derivations are counted where the vault runs Argon2id.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from allymap.services import accounts, throttle
from allymap.web.session import KEY_COOKIE
from tests.services.test_throttle import (
    DAY,
    HOUR,
    Clock,
    KdfRuns,
    clock,
    kdf_runs,
    unwritable,
)
from tests.web.conftest import PASSPHRASE
from tests.web.pages import text_of

__all__ = ["clock", "kdf_runs", "unwritable"]  # fixtures, shared with the services' tests

WAIT_WORDS = re.compile(
    r"Too many tries\. Wait (\d+) (second|seconds|minutes) before trying again\."
)


def _guess(client: Client, number: int = 0) -> tuple[int, int]:
    """Post one wrong passphrase; (status, Retry-After or 0)."""
    response = client.post("/unlock/", {"passphrase": f"guess number {number} of many"})
    if response.status_code == 200:
        assert "That passphrase did not unlock allymap" in text_of(response)
    return response.status_code, int(response.headers.get("Retry-After", 0))


def _guess_for(client: Client, clock: Clock, seconds: int) -> int:
    """A scripted guesser: post as fast as allowed for `seconds` of simulated time, waiting
    out each refusal for exactly its Retry-After. Returns the guesses that were tried."""
    tried = 0
    end = clock.seconds() + seconds
    while clock.seconds() < end:
        status, retry_after = _guess(client, tried)
        if status == 200:
            tried += 1
            assert tried <= 200, "the guesser was never made to wait"
        else:
            assert status == 429
            assert retry_after > 0
            clock.advance(retry_after)
    return tried


def test_a_scripted_guesser_gets_the_documented_rate_and_the_owner_still_gets_in(
    owner: accounts.Unlocked, clock: Clock, kdf_runs: KdfRuns
) -> None:
    guesser = Client()
    first_hour = _guess_for(guesser, clock, HOUR)
    assert first_hour == 17
    first_day = first_hour + _guess_for(guesser, clock, DAY - HOUR)
    assert first_day == 109
    assert kdf_runs.count == first_day  # every refused post ran no key derivation
    assert _guess(guesser) == (200, throttle.MAX_WAIT.seconds)  # the guesser's latest
    # The owner arrives: told to wait, at most MAX_WAIT; then the passphrase works.
    owner_browser = Client()
    response = owner_browser.post("/unlock/", {"passphrase": PASSPHRASE})
    assert response.status_code == 429
    assert "Too many tries. Wait 15 minutes before trying again." in text_of(response)
    clock.advance(int(response.headers["Retry-After"]))
    response = owner_browser.post("/unlock/", {"passphrase": PASSPHRASE})
    assert response.status_code == 302
    assert owner_browser.get("/interventions/").status_code == 200


def test_it_refuses_a_burst_without_running_the_key_derivation(
    owner: accounts.Unlocked, clock: Clock, kdf_runs: KdfRuns
) -> None:
    statuses = [_guess(Client(), number)[0] for number in range(40)]
    assert statuses == [200] * throttle.FREE_TRIES + [429] * (40 - throttle.FREE_TRIES)
    assert kdf_runs.count == throttle.FREE_TRIES


def test_it_says_how_long_to_wait_without_blame(owner: accounts.Unlocked, clock: Clock) -> None:
    client = Client()
    for number in range(throttle.FREE_TRIES):
        status, _retry = _guess(client, number)
    # The try that started the wait already says so.
    assert status == 200
    response = client.post("/unlock/", {"passphrase": "one more guess at it"})
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "1"
    page = text_of(response)
    assert "Too many tries. Wait 1 second before trying again." in page
    assert "did not unlock" not in page  # nothing was tried, so nothing is said about it
    assert 'role="alert"' in page
    # Coming back to the page while waiting shows the wait too.
    clock.advance(1)
    _guess(client)
    response = Client().get("/unlock/")
    assert response.status_code == 200
    assert "Too many tries. Wait 2 seconds before trying again." in text_of(response)
    assert response.headers["Retry-After"] == "2"
    clock.advance(2)
    assert not WAIT_WORDS.search(text_of(Client().get("/unlock/")))


def test_the_recovery_form_waits_too(owner: accounts.Unlocked, clock: Clock) -> None:
    for number in range(throttle.FREE_TRIES):
        _guess(Client(), number)
    response = Client().post(
        "/recover/",
        {
            "recovery_key": "A" * 52,
            "passphrase": "a new passphrase here",
            "confirm": "a new passphrase here",
        },
    )
    assert response.status_code == 429
    assert WAIT_WORDS.search(text_of(response))
    assert WAIT_WORDS.search(text_of(Client().get("/recover/")))


@pytest.mark.parametrize("passphrase", [PASSPHRASE, "a wrong guess entirely"])
def test_it_shows_a_clear_page_and_tries_nothing_when_it_cannot_count(
    owner: accounts.Unlocked, kdf_runs: KdfRuns, unwritable: None, passphrase: str
) -> None:
    client = Client()
    response = client.post("/unlock/", {"passphrase": passphrase})
    assert response.status_code == 503
    page = text_of(response)
    assert "allymap cannot save anything at the moment, so it did not check" in page
    assert 'name="passphrase"' in page
    assert kdf_runs.count == 0
    assert KEY_COOKIE not in response.cookies
