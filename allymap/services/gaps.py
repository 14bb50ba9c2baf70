"""The gaps panel: what the team's plan is still missing, for the overview.

The gaps themselves are computed by the pure `allymap.domain.gaps`; this module shapes
them for display and records a gap set aside (with the cause it stood on, so it comes
back when that changes) or shown again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from allymap.chart import Row, chart_by_id
from allymap.domain import (
    Event,
    Gap,
    InterventionState,
    InvalidInput,
    Refusal,
    gaps,
    open_gaps,
    reopen_gap,
    set_aside_gap,
)
from allymap.services import engine
from allymap.services.keyring import Keyring
from allymap.services.roles import HolderLine, holder_line

__all__ = ["GapLine", "GapsReading", "gap_reopen", "gap_set_aside", "gaps_reading"]


@dataclass(frozen=True)
class GapLine:
    """One gap as the panel shows it.

    `kind` is a `GapKind` value (the web words it and links it to where it is resolved);
    `about` whom it concerns, if anyone; `rows` the chart rows it concerns; `cause` what
    it stands on, as the page words it (for "too many roles", ``"<held>/<limit>"``; for
    an ally not agreed, their `Consent` value). `note` and `set_aside_at` are set for a
    gap set aside.
    """

    key: str
    kind: str
    about: HolderLine | None
    rows: tuple[Row, ...]
    cause: str
    note: str = ""
    set_aside_at: datetime | None = None


@dataclass(frozen=True)
class GapsReading:
    """The gaps to show, and those set aside (while their cause is unchanged)."""

    shown: tuple[GapLine, ...]
    set_aside: tuple[GapLine, ...]


def gaps_of(state: InterventionState, account_id: str) -> GapsReading:
    """The panel for a state already open (the overview opens it once)."""
    chart = chart_by_id(state.chart_id, state.chart_version)
    shown, aside = open_gaps(state, chart.keys)

    def line(gap: Gap) -> GapLine:
        kept = state.set_aside.get(gap.key)
        is_aside = kept is not None and kept.cause == gap.cause
        return GapLine(
            key=gap.key,
            kind=gap.kind.value,
            about=holder_line(state, gap.about, account_id) if gap.about else None,
            rows=tuple(chart.row(key) for key in gap.rows),
            # For the page: what it stands on, without the event that last changed it.
            cause=gap.cause.partition("@")[0],
            note=kept.note if kept is not None and is_aside else "",
            set_aside_at=kept.at if kept is not None and is_aside else None,
        )

    return GapsReading(shown=tuple(map(line, shown)), set_aside=tuple(map(line, aside)))


def gaps_reading(*, keyring: Keyring, intervention_id: str) -> GapsReading:
    """The gaps panel, worked out once for the current state (`engine.derived`). Raises
    NotFound or DamagedRecord."""
    account = keyring.account_id
    _state, reading = engine.derived(
        keyring, intervention_id, "gaps", lambda state: gaps_of(state, account)
    )
    return reading


def gap_set_aside(*, keyring: Keyring, intervention_id: str, gap_key: str, note: str = "") -> None:
    """Set a gap aside with a note, on the cause it stands on now. A gap that is no longer
    there (resolved meanwhile) is refused with `NOT_A_CHOICE` on ``"gap"``."""

    def decide(state: InterventionState) -> list[Event]:
        chart = chart_by_id(state.chart_id, state.chart_version)
        for gap in gaps(state, chart.keys):
            if gap.key == gap_key:
                return [set_aside_gap(state, gap_key=gap.key, cause=gap.cause, note=note)]
        raise InvalidInput("gap", Refusal.NOT_A_CHOICE)

    engine.run(keyring, intervention_id, decide)


def gap_reopen(*, keyring: Keyring, intervention_id: str, gap_key: str) -> None:
    """Show a gap set aside again (nothing when it was not set aside)."""

    def decide(state: InterventionState) -> list[Event]:
        made = reopen_gap(state, gap_key=gap_key)
        return [] if made is None else [made]

    engine.run(keyring, intervention_id, decide)
