"""Keeping a gap set aside when its log is written again with other numbers.

A gap set aside stores the cause it stood on, and a cause names the events that last
changed it by sequence number (`domain/gaps.py`). A log written again with events left
out (forgetting a person) or some events changed and others added (an export) numbers
its events differently, so a stored cause would no longer match and a gap the team had
set aside would come back for no reason. `causes_renumbered` gives each such gap the
cause the same gap has in the new log, if its cause was current when it was set aside.
Pure: both logs are folded in memory.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from allymap.domain.events import GapSetAside, Recorded
from allymap.domain.fold import fold
from allymap.domain.gaps import gaps
from allymap.domain.state import InterventionState

__all__ = ["causes_renumbered"]

_SCRATCH = "renumbering"
"""The intervention id both folds use: scratch work, the id only has to agree with itself."""


def causes_renumbered(
    original: Sequence[Recorded],
    rewritten: Sequence[Recorded],
    origins: Sequence[int | None],
    row_keys: Sequence[str],
) -> list[Recorded]:
    """`rewritten` with the causes of its gaps set aside brought up to date.

    `rewritten` is a log made from `original` (seqs from 1 without gaps); `origins[i]` is
    the index in `original` of the event `rewritten[i]` came from, or None for an event
    that was added. A `GapSetAside` of `rewritten` whose original was set aside on the
    cause current at that point of `original` gets the cause the same gap (by the
    rewritten event's key) has at that point of `rewritten`. One set aside on a cause
    already stale stays as it was (so it stays stale), and so does one whose gap no longer
    exists at that point. Every other event is returned unchanged.
    """
    if len(origins) != len(rewritten):
        raise ValueError("one origin per rewritten event")
    result = list(rewritten)
    before: InterventionState | None = None
    before_done = 0
    after: InterventionState | None = None
    after_done = 0
    for place, record in enumerate(rewritten):
        origin = origins[place]
        if not isinstance(record.event, GapSetAside) or origin is None:
            continue
        source = original[origin].event
        if not isinstance(source, GapSetAside):
            raise ValueError(f"rewritten event {place} did not come from a gap set aside")
        before = fold(before, original[before_done:origin], intervention_id=_SCRATCH)
        before_done = origin
        # Folded from `result`, so a cause brought up to date earlier is what this one sees.
        after = fold(after, result[after_done:place], intervention_id=_SCRATCH)
        after_done = place
        current = {gap.key: gap.cause for gap in gaps(before, row_keys)}
        if current.get(source.gap_key) != source.cause:
            continue
        now = {gap.key: gap.cause for gap in gaps(after, row_keys)}
        cause = now.get(record.event.gap_key)
        if cause is not None and cause != record.event.cause:
            event = msgspec.structs.replace(record.event, cause=cause)
            result[place] = Recorded(record.seq, record.author, record.at, event)
    return result
