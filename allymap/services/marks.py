"""High-water marks of each log, kept outside the database: a tripwire for rollbacks.

The chain proves that what is in the database is whole and in order, but not that it is
the newest: a database replaced by an older copy (a restored backup, a copied file), or
whose newest events were cut off, is a whole, valid log too. So after every write, the
head of each log (its last seq and chain value) is noted in a small file in the data
folder, per account, and every open compares the database with it. It also remembers
which interventions an account has, so one whose rows vanished is reported, not
forgotten.

Personal mode only, where the data folder sits beside the database: hosted mode's
database is shared by many processes and hosts, and keeps its own backups. The file is
plaintext metadata (random ids and event counts, already plaintext in the database). It
is a tripwire, not a lock: whoever can replace both the database and this file can
roll both back (docs/threat-model.md). Writing it is best effort: a full disk must not
stop allymap from saving or leaving; a mark that could not be written is logged. A file
that cannot be read is never written over: it is renamed aside, kept as evidence.
`_LOCK` orders this process's threads; two processes writing at once (a command beside
the server) can lose one's update, which shows as a stale mark at worst.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

FILE_NAME = "log_marks.json"
_FORMAT = 1
_LOCK = threading.Lock()

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Mark:
    """The head of one log as last written: its last seq and the chain value there."""

    seq: int
    chain: bytes


def enabled() -> bool:
    return not settings.HOSTED


def _path() -> Path:
    return Path(settings.DATA_DIR) / FILE_NAME


def _read() -> dict[str, dict[str, list[object]]]:
    try:
        data = json.loads(_path().read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except OSError as problem:
        log.warning("the log marks could not be read: %s", problem)
        return {}
    except ValueError:
        data = None
    if not isinstance(data, dict) or data.get("format") != _FORMAT:
        # Never write over a file that cannot be read: keep it aside, as evidence.
        aside = _path().with_name(f"{FILE_NAME}.unreadable-{int(time.time())}")
        log.warning("the log marks could not be read; kept aside as %s", aside.name)
        with contextlib.suppress(OSError):
            os.replace(_path(), aside)
        return {}
    accounts = data.get("accounts")
    return accounts if isinstance(accounts, dict) else {}


def _write(accounts: dict[str, dict[str, list[object]]]) -> None:
    folder = _path().parent
    fd, temporary = tempfile.mkstemp(prefix=".log_marks-", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump({"format": _FORMAT, "accounts": accounts}, out, sort_keys=True)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, _path())
        _sync_folder(folder)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (where the system allows opening a folder)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def marks_of(account_id: str) -> dict[str, Mark]:
    """Every intervention this account has written to here, with the head last written."""
    if not enabled():
        return {}
    marks = {}
    for intervention_id, entry in _read().get(account_id, {}).items():
        try:
            seq, chain = entry
            marks[intervention_id] = Mark(int(str(seq)), bytes.fromhex(str(chain)))
        except (TypeError, ValueError):
            continue
    return marks


def note(account_id: str, intervention_id: str, mark: Mark) -> None:
    """Remember the head of a log just written (never moving a mark backwards, unless
    `replace` says the log was rewritten on purpose)."""
    _update(account_id, intervention_id, mark, only_forward=True)


def replace(account_id: str, intervention_id: str, mark: Mark) -> None:
    """Remember the head of a log that was rewritten on purpose (a person forgotten)."""
    _update(account_id, intervention_id, mark, only_forward=False)


def forget(intervention_id: str) -> None:
    """Stop remembering an intervention that was destroyed on purpose, for every account."""
    if not enabled():
        return
    with _LOCK:
        try:
            accounts = _read()
            for marks in accounts.values():
                marks.pop(intervention_id, None)
            _write(accounts)
        except OSError as problem:
            log.warning("the log marks could not be written: %s", problem)


def forget_for(account_id: str, intervention_id: str) -> None:
    """Stop remembering an intervention for one account (its rows are gone for good)."""
    if not enabled():
        return
    with _LOCK:
        try:
            accounts = _read()
            accounts.get(account_id, {}).pop(intervention_id, None)
            _write(accounts)
        except OSError as problem:
            log.warning("the log marks could not be written: %s", problem)


def _update(account_id: str, intervention_id: str, mark: Mark, *, only_forward: bool) -> None:
    if not enabled():
        return
    with _LOCK:
        try:
            accounts = _read()
            marks = accounts.setdefault(account_id, {})
            current = marks.get(intervention_id)
            if only_forward and current is not None and int(str(current[0])) > mark.seq:
                return
            marks[intervention_id] = [mark.seq, mark.chain.hex()]
            _write(accounts)
        except OSError as problem:
            log.warning("the log marks could not be written: %s", problem)
