"""A log written again with other numbers keeps each gap the team set aside, aside."""

from __future__ import annotations

from hypothesis import given

from allymap.domain.events import GapSetAside, InterventionChanged, InterventionStarted, Recorded
from allymap.domain.fold import fold
from allymap.domain.gaps import open_gaps
from allymap.domain.renumbering import causes_renumbered
from allymap.domain.state import InterventionState

from .helpers import INTERVENTION_ID, ROW_KEYS
from .test_gaps import HYPOTHESIS, gap_histories


def _aside(records: list[Recorded]) -> list[str]:
    state: InterventionState = fold(None, records, intervention_id=INTERVENTION_ID)
    return sorted(gap.key for gap in open_gaps(state, ROW_KEYS)[1])


def _shifted(records: list[Recorded]) -> tuple[list[Recorded], list[int | None]]:
    """The log with an event that changes no gap written second: every later seq moves."""
    started = records[0].event
    assert isinstance(started, InterventionStarted)
    extra = InterventionChanged(
        code_name=started.code_name,
        doing_harm_alias=started.doing_harm_alias,
        harmed_alias=started.harmed_alias,
    )
    events = [records[0], Recorded(0, records[0].author, records[0].at, extra), *records[1:]]
    rewritten = [Recorded(seq, r.author, r.at, r.event) for seq, r in enumerate(events, start=1)]
    return rewritten, [0, None, *range(1, len(records))]


@HYPOTHESIS
@given(gap_histories)
def test_every_gap_set_aside_stays_aside_at_every_point(records: list[Recorded]) -> None:
    rewritten, origins = _shifted(records)
    renumbered = causes_renumbered(records, rewritten, origins, ROW_KEYS)
    for n in range(1, len(records) + 1):
        # Point n of the original is point n + 1 of the rewritten log (one event more).
        assert _aside(renumbered[: n + 1]) == _aside(records[:n])


@HYPOTHESIS
@given(gap_histories)
def test_only_the_causes_of_gaps_set_aside_change(records: list[Recorded]) -> None:
    rewritten, origins = _shifted(records)
    renumbered = causes_renumbered(records, rewritten, origins, ROW_KEYS)
    assert len(renumbered) == len(rewritten)
    for before, after in zip(rewritten, renumbered, strict=True):
        assert (before.seq, before.author, before.at) == (after.seq, after.author, after.at)
        if before.event != after.event:
            assert isinstance(before.event, GapSetAside) and isinstance(after.event, GapSetAside)
            assert (before.event.gap_key, before.event.note) == (
                after.event.gap_key,
                after.event.note,
            )


def test_a_log_renumbered_as_it_was_is_unchanged() -> None:
    from .helpers import Log

    log = Log()
    assert causes_renumbered(log.records, log.records, [0], ROW_KEYS) == log.records
