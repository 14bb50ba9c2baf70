"""Errors the services raise for the interfaces to turn into pages and messages."""

from __future__ import annotations

from enum import StrEnum

from allymap.domain import Refusal


class ServiceError(Exception):
    """Base of the errors below."""


class NotFound(ServiceError):
    """No such thing for this account: absent and forbidden look the same on purpose."""


class AlreadySetUp(ServiceError):
    """Personal mode has one account, and it exists."""


class NotSetUp(ServiceError):
    """There is no account yet: first run."""


class WeakPassphrase(ServiceError):
    """The passphrase is too weak to protect what allymap keeps.

    `code` says why (one of the domain's ``PASSPHRASE_*`` refusals) and `params` holds
    the limit its words need; the interfaces word it.
    """

    def __init__(self, code: Refusal, *, params: dict[str, int]) -> None:
        super().__init__(code.value)
        self.code = code
        self.params = dict(params)


class BusyTryAgain(ServiceError):
    """Others kept writing to the same intervention; nothing was lost, try again."""


class Damage(StrEnum):
    """What is wrong with a stored record that cannot be read."""

    CHANGED = "changed"
    """It fails its cryptographic checks: changed, moved, dropped or planted outside allymap."""
    UNREADABLE = "unreadable"
    """It is authentic but this version cannot decode it: written by a newer allymap, say."""
    INCONSISTENT = "inconsistent"
    """It decodes but does not add up (events out of order, about nobody): a bug or damage."""
    ROLLED_BACK = "rolled_back"
    """It is whole but older than what was last written here: the database was replaced by
    an older copy, or its newest events were cut off."""
    MISSING = "missing"
    """It was written here, but its rows (or this account's place on its team) are gone."""


class DamagedRecord(ServiceError):
    """An intervention's stored record cannot be read; `damage` says how, `problem` in
    detail (ids and sequence numbers only, never anything a person typed).

    Every failure to read a record is this one error, whichever layer found it (the vault,
    event or snapshot decoding, the fold), so an interface handles it in one place.
    """

    def __init__(self, intervention_id: str, damage: Damage, problem: str) -> None:
        super().__init__(f"intervention {intervention_id}: {damage.value}: {problem}")
        self.intervention_id = intervention_id
        self.damage = damage
        self.problem = problem


class TooManyTries(ServiceError):
    """Too many wrong unlock attempts lately: the next may start in `wait_seconds`.

    Raised before any key derivation runs, so a guess refused here costs the guesser a
    request and nothing else (services/throttle.py).
    """

    def __init__(self, wait_seconds: int) -> None:
        super().__init__(f"too many tries: wait {wait_seconds} s")
        self.wait_seconds = wait_seconds


class AttemptNotRecorded(ServiceError):
    """An unlock attempt could not be recorded (the database cannot be written: a full
    disk, or another process holding its write lock), so it was not tried: an attempt
    that cannot be counted is never let through."""


class AccountDamage(StrEnum):
    """What is wrong with the stored record of an account's keys."""

    SECOND_ACCOUNT = "second_account"
    """Personal mode keeps one account, and there is more than one: one was planted."""
    MALFORMED = "malformed"
    """A field has a size or value allymap never writes (truncated, or made up)."""
    MISMATCHED = "mismatched"
    """The keys open, but do not belong together (a public key or a wrapping swapped)."""


class AccountDamaged(ServiceError):
    """The stored record of the account's keys cannot be trusted; `damage` says how,
    `problem` in detail (field names, sizes and counts only, never a secret).

    Shown as an integrity page for the account, never as a wrong passphrase.
    """

    def __init__(self, damage: AccountDamage, problem: str) -> None:
        super().__init__(f"account: {damage.value}: {problem}")
        self.damage = damage
        self.problem = problem
