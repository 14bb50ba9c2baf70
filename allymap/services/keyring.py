"""The keys one unlocked person holds for the length of a request."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from allymap.vault import PrivateKey

if TYPE_CHECKING:
    from allymap.services.engine import Opened


@dataclass
class Keyring:
    """An account id and its private key, rebuilt on each request from the split session.

    Never stored: it lives in memory for one request (or one command) and is dropped.
    Intervention keys unsealed during the request are cached here, and so are the logs
    opened during it (`engine.open_log`, checked against the newest stored event before
    each reuse), so a page that reads one intervention twice decrypts it once.
    """

    account_id: str
    private_key: PrivateKey
    intervention_keys: dict[str, bytes] = field(default_factory=dict, repr=False)
    opened: dict[str, Opened] = field(default_factory=dict, repr=False)
    # The `kept.ticket` taken when the request began (None outside a session: a command
    # takes one when it opens a log).
    kept_since: int | None = field(default=None, repr=False)

    @property
    def public_key(self) -> bytes:
        return bytes(self.private_key.public_key)
