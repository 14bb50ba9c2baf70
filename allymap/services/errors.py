"""Errors the services raise for the interfaces to turn into pages and messages."""

from __future__ import annotations


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

    `code` says why: "too_short", "too_long" or "repetitive"; the message says it in English.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class BusyTryAgain(ServiceError):
    """Others kept writing to the same intervention; nothing was lost, try again."""
