"""Unlock throttling: guessing a passphrase slows to a crawl; the owner is never locked out
for good.

Threat: someone who can reach the unlock page (at the same computer in personal mode, or
anywhere on the internet in hosted mode) tries passphrase after passphrase. Argon2id makes
each try cost the server about half a second, not the guesser; without a limit a script
makes hundreds of tries a minute, and thousands with a cheap key profile.

The rule, per scope (the installation in personal mode; the account and the client
address in hosted mode, each counted on its own):

* the first FREE_TRIES attempts since the last success are free;
* every attempt after that starts a wait before the next one may start: FIRST_WAIT, then
  double each time, never more than MAX_WAIT (15 minutes);
* a success clears the count; so does a day (FORGET_AFTER) without a failure.

With the defaults a guesser gets 5 tries at once, 15 in the first 18 minutes, 17 in the
first hour, 109 in the first day and 96 a day after that (about 35,000 a year), whatever
the number of clients, connections or processes it uses. The owner, after their own
typing slips, waits seconds; after an attack, at most MAX_WAIT from its last try.

How it holds under concurrency: an attempt is counted as failed *before* its passphrase is
checked, in a transaction that holds the scope's rows (PostgreSQL: `select_for_update`;
SQLite: allymap's transactions are IMMEDIATE, so they take the write lock at the start),
and cleared after a success. Many requests at once therefore see each other's counts: no
more than the allowance ever reaches the key derivation. The counts live in the database
(`UnlockThrottle`), so a restart does not forget them. An attempt that cannot be counted
(the database cannot be written) is refused (AttemptNotRecorded), never let through.

What it does not do: it cannot slow someone who has a copy of the database (they guess
offline, against Argon2id alone), and in hosted mode a guesser can keep one account
waiting (the price of counting per account). Every function here is keyword-only.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import math
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Q

from allymap.services.errors import AttemptNotRecorded, TooManyTries
from allymap.store.models import UnlockThrottle

FREE_TRIES = 5
"""Attempts since the last success that start without a wait."""
FIRST_WAIT = timedelta(seconds=1)
"""The wait after the first attempt beyond the free ones; it doubles with each further one."""
MAX_WAIT = timedelta(minutes=15)
"""The longest wait between two attempts: what the owner waits at most after an attack."""
FORGET_AFTER = timedelta(days=1)
"""A count with no failure for this long starts again from zero."""

INSTALLATION = "installation"
"""Personal mode's one scope: the data folder (its database) is the installation."""

log = logging.getLogger(__name__)


def now() -> datetime:
    """The throttle's clock (tests replace it to simulate time passing)."""
    return datetime.now(UTC)


def wait_after(*, failures: int) -> timedelta:
    """How long after the start of attempt number `failures` the next one may start."""
    if failures < FREE_TRIES:
        return timedelta(0)
    doublings = min(failures - FREE_TRIES, 40)  # 2**40 s is far beyond MAX_WAIT
    return min(FIRST_WAIT * (1 << doublings), MAX_WAIT)


def scopes_for(*, account_id: str, address: str | None) -> tuple[str, ...]:
    """The scopes an unlock of `account_id` from `address` is counted in.

    Personal mode has one account and one place it is used from: the installation.
    Hosted mode counts the account (so many addresses cannot share out the guessing) and
    the client address (so one address cannot spread its guesses over many accounts).
    """
    if not settings.HOSTED:
        return (INSTALLATION,)
    scopes = [f"account:{account_id}"]
    if address:
        scopes.append(f"address:{_address_digest(address)}")
    return tuple(scopes)


def wait_seconds(*, scopes: Sequence[str]) -> int:
    """Whole seconds before the next attempt in `scopes` may start; 0 if it may now."""
    rows = UnlockThrottle.objects.filter(scope__in=scopes)
    return _seconds(max((_wait(row, now()) for row in rows), default=timedelta(0)))


def attempt_begin(*, scopes: Sequence[str]) -> None:
    """Count an attempt in `scopes` before its passphrase is checked.

    Raises TooManyTries (nothing counted) while any scope must still wait, and
    AttemptNotRecorded if the count cannot be written: then the attempt must not run.
    Call attempt_succeeded after a success; a failure needs nothing more.
    """
    # A plain read first: under attack most attempts are refused here, without taking
    # the database's write lock that the owner's own saves need.
    if waiting := wait_seconds(scopes=scopes):
        raise TooManyTries(waiting)
    at = now()
    try:
        with transaction.atomic():
            UnlockThrottle.objects.bulk_create(
                [UnlockThrottle(scope=scope) for scope in scopes], ignore_conflicts=True
            )
            rows = list(
                UnlockThrottle.objects.select_for_update()
                .filter(scope__in=scopes)
                .order_by("scope")
            )
            wait = max((_wait(row, at) for row in rows), default=timedelta(0))
            if not wait:
                for row in rows:
                    _count(row, at)
    except DatabaseError as error:
        log.warning("unlock attempt not recorded, so not tried: %s", type(error).__name__)
        raise AttemptNotRecorded from error
    if wait:
        # Another attempt was counted between the read and the lock.
        raise TooManyTries(_seconds(wait))


def attempt_succeeded(*, scopes: Sequence[str]) -> None:
    """Clear the count in `scopes`: the passphrase (or recovery key) was right.

    Also drops every count left alone for FORGET_AFTER (it would start from zero anyway),
    so hosted mode's table does not keep every address that ever tried. A database that
    cannot be written here leaves the counts as they were (the owner may wait longer next
    time); the unlock itself stands.
    """
    stale = now() - FORGET_AFTER
    try:
        with transaction.atomic():
            UnlockThrottle.objects.filter(
                Q(scope__in=scopes) | Q(last_failure_at__lte=stale) | Q(last_failure_at=None)
            ).delete()
    except DatabaseError as error:
        log.warning("unlock count not cleared after a success: %s", type(error).__name__)


def _wait(row: UnlockThrottle, at: datetime) -> timedelta:
    if row.blocked_until is None or row.blocked_until <= at:
        return timedelta(0)
    return row.blocked_until - at


def _count(row: UnlockThrottle, at: datetime) -> None:
    if row.last_failure_at is not None and at - row.last_failure_at >= FORGET_AFTER:
        row.failures = 0
    row.failures += 1
    row.last_failure_at = at
    wait = wait_after(failures=row.failures)
    row.blocked_until = at + wait if wait else None
    row.save(update_fields=["failures", "last_failure_at", "blocked_until"])


def _seconds(wait: timedelta) -> int:
    return math.ceil(wait.total_seconds())


def _address_digest(address: str) -> str:
    """A keyed digest of the client's address, so the database never holds the address.

    An IPv6 address counts by its /64 (what one household or server is usually given),
    so a guesser cannot take a fresh address for every try.
    """
    network = address.strip()
    try:
        parsed = ipaddress.ip_address(network)
    except ValueError:
        pass
    else:
        if isinstance(parsed, ipaddress.IPv6Address):
            if parsed.ipv4_mapped is not None:
                network = str(parsed.ipv4_mapped)
            else:
                network = str(ipaddress.IPv6Network((parsed, 64), strict=False))
    key = hashlib.blake2b(settings.SECRET_KEY.encode(), digest_size=32).digest()
    return hashlib.blake2b(network.encode(), key=key, digest_size=16).hexdigest()
