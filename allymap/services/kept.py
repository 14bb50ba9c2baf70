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
- **Dropped** at every lock and quick exit (all of them: the lock does not read the
  session to learn whose it was, which could wait on the database), when an idle lock is
  found or a new passphrase ends other sessions (those its account used:
  `forget_reader`), when a person is forgotten or the intervention destroyed
  (`forget_intervention`), `ALLYMAP_KEPT_SECONDS` after its last use (60 by default,
  never as long as the idle lock) and the idle lock's time after it was made however
  often it is used; a sweeper thread drops those without waiting for a request.
  `ALLYMAP_KEPT_SECONDS=0` keeps nothing. Each drop also stops a request under way from
  keeping or finding anything (`ticket`, taken before the request reads its session).
  Drops are per process: another process's entries go by time alone.
- **Bounded**: at most `ALLYMAP_KEPT_INTERVENTIONS` entries, the least recently used
  dropped first.

What it cannot do, and the threat model says: a change to the snapshot row's ciphertext
that keeps its length and nonce is not seen while an entry made before the change is
kept (its bytes are not read again; the next fresh open finds it). What is shown is the
state as it was verified. An opening is shared by every request that finds it, across
threads: callers only read it, as they already did within one request
(`tests/web/test_kept_unchanged.py` walks every page and checks nothing changed it).
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import msgspec
from django.conf import settings

if TYPE_CHECKING:
    from allymap.services.engine import Opened
    from allymap.store.log import StoredRows


def seconds() -> float:
    """How long an entry is kept after its last use (0: nothing is kept): never as long
    as the idle lock, less the step by which a session's activity may lag
    (`sessions.activity_step_seconds`), so it is gone before an idle lock could be."""
    from allymap.services.sessions import activity_step_seconds

    wanted = float(settings.ALLYMAP_KEPT_SECONDS)
    idle = float(settings.ALLYMAP_IDLE_LOCK_SECONDS) - activity_step_seconds()
    return max(0.0, min(wanted, idle))


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
    made: float = 0.0
    last_used: float = 0.0


_LOCK = threading.Lock()
_ENTRIES: dict[str, _Entry] = {}  # by intervention id; oldest use first
# Bumped by every drop that must hold against requests under way (a session ending, an
# erasure): an opening made by a request that took its `ticket` before the bump is not
# kept, nor is anything found for it (`find`, `keep`).
_generation = 0
_sweeper: threading.Thread | None = None


def ticket() -> int:
    """Take before the request may read anything (`sessions.session_open` does, before it
    checks the session has not ended); `find` and `keep` then refuse if anything was
    dropped since."""
    with _LOCK:
        return _generation


def seconds_at_most() -> float:
    """How long an entry is kept after it was made, however often it is used: the idle
    lock (so a change to a stored snapshot that keeps its length and nonce is noticed by a
    fresh open within that time at the latest)."""
    return float(settings.ALLYMAP_IDLE_LOCK_SECONDS)


def find(
    intervention_id: str, key: bytes, rows: bytes, *, reader: str, since: int
) -> Opened | None:
    """The kept opening made from exactly these stored `rows` with this `key`, or None
    (also when anything was dropped after `since`, the request's `ticket`)."""
    if not enabled():
        return None
    tag = _tag(key, intervention_id, rows)
    now = time.monotonic()
    gone: _Entry | None = None
    with _LOCK:
        entry = _ENTRIES.get(intervention_id)
        if entry is None or not hmac.compare_digest(entry.tag, tag) or _generation != since:
            return None
        if now - entry.last_used > seconds() or now - entry.made > seconds_at_most():
            gone = _ENTRIES.pop(intervention_id)
        else:
            entry.readers.add(reader)
            entry.last_used = now
            _ENTRIES[intervention_id] = _ENTRIES.pop(intervention_id)  # most recent last
            return entry.opened
    del gone  # a large state is let go outside the lock
    return None


def keep(
    intervention_id: str, key: bytes, rows: bytes, opened: Opened, *, reader: str, since: int
) -> None:
    """Keep `opened`, made from `rows` with `key`, replacing any older entry; not if
    anything was dropped after `since` (the request's `ticket`)."""
    if not enabled():
        return
    now = time.monotonic()
    entry = _Entry(
        tag=_tag(key, intervention_id, rows),
        opened=opened,
        readers={reader},
        made=now,
        last_used=now,
    )
    gone: list[_Entry] = []
    with _LOCK:
        if _generation != since:
            return
        if intervention_id in _ENTRIES:
            gone.append(_ENTRIES.pop(intervention_id))
        _ENTRIES[intervention_id] = entry
        while len(_ENTRIES) > settings.ALLYMAP_KEPT_INTERVENTIONS:
            gone.append(_ENTRIES.pop(next(iter(_ENTRIES))))
        _start_sweeper()
    del gone


def _drop(which: Callable[[str, _Entry], bool]) -> None:
    """Drop the entries `which` picks, and every opening under way: memory only, the
    large states let go after the lock."""
    global _generation
    with _LOCK:
        _generation += 1
        gone = [_ENTRIES.pop(i) for i, e in list(_ENTRIES.items()) if which(i, e)]
    del gone


def forget_intervention(intervention_id: str) -> None:
    """Drop what is kept of one intervention (a person forgotten, or it destroyed), and
    keep nothing a request opened before."""
    _drop(lambda i, _e: i == intervention_id)


def forget_reader(reader: str) -> None:
    """A session of `reader` ended (an idle lock found, a new passphrase ending other
    sessions): drop every entry it used, and keep nothing a request opened before."""
    _drop(lambda _i, e: reader in e.readers)


def forget_all() -> None:
    """Drop everything kept, and keep nothing a request opened before: a lock or quick
    exit, which does not read the session to learn whose it was (that would wait on the
    database)."""
    _drop(lambda _i, _e: True)


def kept_count() -> int:
    """How many interventions are kept now (for tests and the threat model's claims)."""
    with _LOCK:
        return len(_ENTRIES)


def sweep() -> float | None:
    """Drop entries unused for longer than `seconds()`, or older than
    `seconds_at_most()`; return how long until the next one is due, or None when nothing
    is kept."""
    limit, most = seconds(), seconds_at_most()
    now = time.monotonic()
    with _LOCK:
        due = [i for i, e in _ENTRIES.items() if now - e.last_used >= limit or now - e.made >= most]
        gone = [_ENTRIES.pop(i) for i in due]
        if not _ENTRIES:
            wait = None
        else:
            wait = max(
                0.0,
                min(min(e.last_used + limit, e.made + most) for e in _ENTRIES.values()) - now,
            )
    del gone
    return wait


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
