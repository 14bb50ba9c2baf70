"""Standing people for the web tests: the owner (unlocked) and, where needed, an outsider."""

from __future__ import annotations

import pytest
from django.test import Client

from allymap.services import accounts
from allymap.web.middleware import KEY_COOKIE
from allymap.vault import session_key_to_text

PASSPHRASE = "correct horse battery staple"


def unlocked_client(unlocked: accounts.Unlocked) -> Client:
    """A browser holding both halves of an unlocked session for `unlocked`'s account."""
    client = Client()
    session = client.session
    import base64
    import time

    session["account"] = unlocked.keyring.account_id
    session["vault"] = base64.b64encode(unlocked.session_blob).decode("ascii")
    session["last_seen"] = time.time()
    session.save()
    client.cookies[KEY_COOKIE] = session_key_to_text(unlocked.session_key)
    return client


@pytest.fixture
def owner(db: None) -> accounts.Unlocked:
    unlocked, _recovery = accounts.account_create(passphrase=PASSPHRASE)
    return unlocked


@pytest.fixture
def owner_client(owner: accounts.Unlocked) -> Client:
    return unlocked_client(owner)
