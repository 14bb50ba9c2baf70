"""The keys one unlocked person holds for the length of a request."""

from __future__ import annotations

from dataclasses import dataclass, field

from allymap.vault import PrivateKey


@dataclass
class Keyring:
    """An account id and its private key, rebuilt on each request from the split session.

    Never stored: it lives in memory for one request (or one command) and is dropped.
    Intervention keys unsealed during the request are cached here.
    """

    account_id: str
    private_key: PrivateKey
    intervention_keys: dict[str, bytes] = field(default_factory=dict, repr=False)

    @property
    def public_key(self) -> bytes:
        return bytes(self.private_key.public_key)
