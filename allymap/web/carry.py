"""A form posted after the lock, carried through unlocking in the browser alone.

When a locked visitor posts a form (the idle lock ran out while they typed), what they
posted is not thrown away and not stored either: the unlock page carries it as hidden
fields, and after a successful unlock a small page posts it, with a fresh CSRF token, to
where it was going. The server keeps nothing of it: no session, no database, no log.

What is carried:
- only fields a form of allymap's posts, never a passphrase (or anything named like one)
  nor the old CSRF token; at most `MAX_FIELDS` fields and `MAX_BYTES` bytes, so the
  unlock form that carries them stays within Django's limits on one request;
- with a seal: an HMAC (Django's signing, salted, timed) over a digest of the target
  and the fields, made only when the server has seen the post come from allymap's own
  pages (its CSRF token passed, or its Origin is this site when the token was lost).
  A carry without a good seal is never offered for saving, so unlocking cannot be used
  to smuggle in a form some other site made up.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, QueryDict
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme

# The unlock form's own fields are `passphrase` and `next`; carried ones are prefixed.
PREFIX = "carried-"
TO = "carried_to"
SEAL = "carried_seal"

# Never carried: the old CSRF token (the saving page has a fresh one) and secrets.
_NEVER = {"csrfmiddlewaretoken", "passphrase", "confirm", "recovery_key", "password"}
_SECRET_WORDS = ("passphrase", "password", "recovery", "confirm")

# Room left for the unlock form's own fields (passphrase, next, token, the seal).
MAX_FIELDS = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS - 10
MAX_BYTES = settings.DATA_UPLOAD_MAX_MEMORY_SIZE - 8 * 1024
# A carry older than this is not offered for saving (the form it came from is stale).
MAX_AGE_SECONDS = 24 * 60 * 60

_SALT = "allymap.web.carry"


@dataclass(frozen=True)
class Carried:
    """A posted form on its way through unlocking: where it goes and what it holds.

    `fields` keeps every value of a repeated name, in order. `sealed` is true when the
    seal matched (only then may it be saved); `too_big` when the post was too large to
    carry, and `private` when its page is never carried (a self-check is its author's
    alone, and must not sit in a page anyone at the locked screen can read): in both
    cases `fields` is empty and nothing of it is kept.
    """

    to: str
    fields: tuple[tuple[str, str], ...] = ()
    seal: str = ""
    sealed: bool = False
    too_big: bool = False
    private: bool = False

    @property
    def held(self) -> bool:
        """The page holds the fields, ready to save after unlocking."""
        return not (self.too_big or self.private)

    def prefixed(self) -> list[tuple[str, str]]:
        """The fields as the unlock page's hidden inputs name them."""
        return [(PREFIX + name, value) for name, value in self.fields]


def _carries(name: str) -> bool:
    lowered = name.lower()
    return name not in _NEVER and not any(word in lowered for word in _SECRET_WORDS)


def _digest(to: str, fields: tuple[tuple[str, str], ...]) -> str:
    # A browser sends line breaks as CRLF, whatever the page held: compare them as one.
    plain = [(name, value.replace("\r\n", "\n").replace("\r", "\n")) for name, value in fields]
    text = json.dumps([to, plain], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _seal(to: str, fields: tuple[tuple[str, str], ...]) -> str:
    return signing.TimestampSigner(salt=_SALT).sign(_digest(to, fields))


def _seal_matches(to: str, fields: tuple[tuple[str, str], ...], seal: str) -> bool:
    try:
        signed = signing.TimestampSigner(salt=_SALT).unsign(seal, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return False
    return constant_time_compare(signed, _digest(to, fields))


def _same_site(request: HttpRequest, to: str) -> bool:
    return to.startswith("/") and url_has_allowed_host_and_scheme(
        to, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def carry_post(request: HttpRequest) -> Carried:
    """Carry what a locked visitor just posted to `request`'s own page.

    Call it only for a post the server trusts came from allymap's pages (see the module
    doc): its result is sealed.
    """
    to = request.get_full_path()
    fields = tuple(
        (name, value) for name, values in request.POST.lists() if _carries(name) for value in values
    )
    if len(fields) > MAX_FIELDS or len(urlencode(fields).encode("ascii")) > MAX_BYTES:
        return Carried(to=to, too_big=True)
    return Carried(to=to, fields=fields, seal=_seal(to, fields), sealed=True)


def carried_in(request: HttpRequest) -> Carried | None:
    """The carry the unlock form brought back, if any, with its seal checked."""
    post: QueryDict = request.POST
    to = post.get(TO, "")
    if not to or not _same_site(request, to):
        return None
    fields = tuple(
        (name.removeprefix(PREFIX), value)
        for name, values in post.lists()
        if name.startswith(PREFIX) and _carries(name.removeprefix(PREFIX))
        for value in values
    )
    seal = post.get(SEAL, "")
    return Carried(to=to, fields=fields, seal=seal, sealed=_seal_matches(to, fields, seal))
