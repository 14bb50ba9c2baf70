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
