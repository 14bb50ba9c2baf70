"""The request every allymap view receives: Django's, plus what the keyring middleware found."""

from __future__ import annotations

from django.http import HttpRequest

from allymap.services.keyring import Keyring


class AllymapRequest(HttpRequest):
    """An `HttpRequest` after `allymap.web.middleware.keyring` has run.

    `keyring` is the unlocked account's keyring, or None when locked; `idle_locked` is
    true when the session has just locked itself after being idle too long. Every
    request that reaches a view has both (the middleware sets them first thing).
    """

    keyring: Keyring | None
    idle_locked: bool
