"""Opened interventions kept in this process's memory between requests, briefly.

Opening a large intervention is mostly reading, decrypting and decoding its snapshot
(`bench/pages.py --profile`), and a member reading page after page opens the same
unchanged log every time. So the newest opening of each intervention is kept here, for
the next request of a member, under the rules docs/threat-model.md states ("What the
server keeps in memory between requests"):

- **Reachable only with the intervention key.** An entry is found by a tag, a BLAKE2b
  keyed with the intervention key, over a fingerprint of every stored row the opening
  was made from (the snapshot's seq, nonce, length, the chain value at it and the count
  of events behind it; each later event whole). A request that could not unseal the key
  cannot name the entry; one whose rows differ in any of those (a new event, a
  forgotten person, a dropped or changed event after the snapshot) does not find it,
  and opens the log afresh with every check.
- **Dropped** when a session of an account that used it ends (lock, quick exit, an idle
  lock, a new passphrase ending other sessions: `forget_reader`), when the intervention
  is forgotten from or destroyed (`forget_intervention`), and `ALLYMAP_KEPT_SECONDS`
  after its last use (60 by default, never longer than the idle lock; a sweeper thread
  drops it without waiting for a request). `ALLYMAP_KEPT_SECONDS=0` keeps nothing.
- **Bounded**: at most `ALLYMAP_KEPT_INTERVENTIONS` entries, the least recently used
  dropped first.

What it cannot do, and the threat model says: a change to the snapshot row's ciphertext
that keeps its length and nonce is not seen while an entry made before the change is
kept (its bytes are not read again; the next fresh open finds it). What is shown is the
state as it was verified. An opening is shared by every request that finds it, across
threads: callers only read it, as they already did within one request
(`tests/services/test_kept.py` walks every page and checks nothing changed it).
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import msgspec
from django.conf import settings

if TYPE_CHECKING:
    from allymap.services.engine import Opened
    from allymap.store.log import StoredRows


def seconds() -> float:
    """How long an entry is kept after its last use (0: nothing is kept)."""
    wanted = float(settings.ALLYMAP_KEPT_SECONDS)
    return max(0.0, min(wanted, float(settings.ALLYMAP_IDLE_LOCK_SECONDS)))


def enabled() -> bool:
    return seconds() > 0 and settings.ALLYMAP_KEPT_INTERVENTIONS > 0


def fingerprint(rows: StoredRows) -> bytes:
    """A digest of the stored rows an opening is made from (`log.stored_rows`): the
    snapshot's facts, or none, and every column of every event after it."""
    snapshot = rows.snapshot
    facts = (
        None
        if snapshot is None
        else (
            snapshot.seq,
            snapshot.nonce,
            snapshot.length,
            snapshot.chain,
            snapshot.events_through,
        )
    )
    encoded = msgspec.msgpack.encode([facts, rows.events])
    return hashlib.blake2b(encoded, digest_size=32, person=b"allymap-rows").digest()


def _tag(key: bytes, intervention_id: str, rows: bytes) -> bytes:
    """The entry's tag: only the intervention key makes it."""
    return hashlib.blake2b(
        intervention_id.encode() + b"\x00" + rows,
        key=key,
        digest_size=32,
        person=b"allymap-kept",
    ).digest()


@dataclass
class _Entry:
    tag: bytes
    opened: Opened
    readers: set[str] = field(default_factory=set)
    last_used: float = 0.0


_LOCK = threading.Lock()
_ENTRIES: dict[str, _Entry] = {}  # by intervention id; oldest use first
# Bumped for an account whenever one of its sessions ends, so an opening begun before
# the end is not kept after it (`ticket`, `keep`).
_ENDS: dict[str, int] = {}
_sweeper: threading.Thread | None = None


def ticket(reader: str) -> int:
    """Take before opening; `keep` refuses if a session of `reader` ended since."""
    with _LOCK:
        return _ENDS.get(reader, 0)


def find(intervention_id: str, key: bytes, rows: bytes, *, reader: str) -> Opened | None:
    """The kept opening made from exactly these stored `rows` with this `key`, or None."""
    if not enabled():
        return None
    tag = _tag(key, intervention_id, rows)
    now = time.monotonic()
    with _LOCK:
        entry = _ENTRIES.get(intervention_id)
        if entry is None or not hmac.compare_digest(entry.tag, tag):
            return None
        if now - entry.last_used > seconds():
            del _ENTRIES[intervention_id]
            return None
        entry.readers.add(reader)
        entry.last_used = now
        _ENTRIES[intervention_id] = _ENTRIES.pop(intervention_id)  # most recent last
        return entry.opened


def keep(
    intervention_id: str, key: bytes, rows: bytes, opened: Opened, *, reader: str, since: int
) -> None:
    """Keep `opened`, made from `rows` with `key`, replacing any older entry; not if a
    session of `reader` ended after `since` (its `ticket`)."""
    if not enabled():
        return
    entry = _Entry(tag=_tag(key, intervention_id, rows), opened=opened, readers={reader})
    with _LOCK:
        if _ENDS.get(reader, 0) != since:
            return
        entry.last_used = time.monotonic()
        _ENTRIES.pop(intervention_id, None)
        _ENTRIES[intervention_id] = entry
        while len(_ENTRIES) > settings.ALLYMAP_KEPT_INTERVENTIONS:
            del _ENTRIES[next(iter(_ENTRIES))]
        _start_sweeper()


def forget_intervention(intervention_id: str) -> None:
    """Drop what is kept of one intervention (a person forgotten, or it destroyed)."""
    with _LOCK:
        _ENTRIES.pop(intervention_id, None)


def forget_reader(reader: str | None) -> None:
    """A session of `reader` ended: drop every entry it used, and keep none it is still
    opening. Memory only: it holds when the database does not answer."""
    if not reader:
        return
    with _LOCK:
        _ENDS[reader] = _ENDS.get(reader, 0) + 1
        for intervention_id in [i for i, e in _ENTRIES.items() if reader in e.readers]:
            del _ENTRIES[intervention_id]


def forget_all() -> None:
    with _LOCK:
        _ENTRIES.clear()


def kept_count() -> int:
    """How many interventions are kept now (for tests and the threat model's claims)."""
    with _LOCK:
        return len(_ENTRIES)


def sweep() -> float | None:
    """Drop entries unused for longer than `seconds()`; return how long until the next
    one is due, or None when nothing is kept."""
    limit = seconds()
    now = time.monotonic()
    with _LOCK:
        for intervention_id in [i for i, e in _ENTRIES.items() if now - e.last_used >= limit]:
            del _ENTRIES[intervention_id]
        if not _ENTRIES:
            return None
        return max(0.0, min(e.last_used for e in _ENTRIES.values()) + limit - now)


def _sweep_until_empty() -> None:
    global _sweeper
    while True:
        due = sweep()
        if due is None:
            with _LOCK:
                if not _ENTRIES:
                    _sweeper = None
                    return
            continue
        time.sleep(min(due + 0.05, 5.0))


def _start_sweeper() -> None:
    """Called holding `_LOCK`: one daemon thread while anything is kept."""
    global _sweeper
    if _sweeper is None or not _sweeper.is_alive():
        _sweeper = threading.Thread(target=_sweep_until_empty, name="allymap-kept", daemon=True)
        _sweeper.start()
