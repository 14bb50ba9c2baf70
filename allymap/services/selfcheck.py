"""An ally's self-check: a team member reflects on themselves against the ten rows,
in the first person, before taking the role.

It is theirs alone. Kept, it is sealed to the account's own public key
(`allymap.vault.seal_private_note`) before it enters the shared log, so the other team
members, who hold the intervention key, cannot read it; or it is not stored at all (the
page only shows it back). It is never shown to anyone else, exported or printed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import msgspec

from allymap.chart import Chart, Position, chart_by_id
from allymap.domain import EVIDENCE_MAX, Event, InterventionState, keep_self_check
from allymap.domain.text import choice, text
from allymap.services import engine
from allymap.services.heading import Heading, heading_of
from allymap.services.keyring import Keyring
from allymap.vault import open_private_note, seal_private_note

__all__ = ["SelfCheckReading", "self_check_discard", "self_check_keep", "self_check_reading"]


class _Sealed(msgspec.Struct, forbid_unknown_fields=True):
    """What is sealed: row key → [position, what I notice]."""

    answers: dict[str, tuple[Position, str]]


@dataclass(frozen=True)
class SelfCheckReading:
    """The self-check page: the chart, and this account's kept self-check, if any
    (`answers`: row key → (position, words); empty when nothing is kept)."""

    heading: Heading
    chart: Chart
    kept: bool
    answers: Mapping[str, tuple[Position, str]]


def self_check_reading(*, keyring: Keyring, intervention_id: str) -> SelfCheckReading:
    """This account's own self-check, opened with its own key. Raises NotFound or
    DamagedRecord."""
    state = engine.open_log(keyring, intervention_id).state
    sealed = state.self_checks.get(keyring.account_id, b"")
    answers: dict[str, tuple[Position, str]] = {}
    if sealed:
        opened = msgspec.json.decode(open_private_note(sealed, keyring.private_key), type=_Sealed)
        answers = dict(opened.answers)
    return SelfCheckReading(
        heading=heading_of(state),
        chart=chart_by_id(state.chart_id, state.chart_version),
        kept=bool(sealed),
        answers=answers,
    )


def self_check_tidy(
    chart: Chart, answers: Mapping[str, tuple[Position | str, str]]
) -> dict[str, tuple[Position, str]]:
    """The answers checked like a reflection's: rows of the chart, positions, and words
    of at most `EVIDENCE_MAX` characters. Raises InvalidInput."""
    tidied: dict[str, tuple[Position, str]] = {}
    for key in chart.keys:
        if key in answers:
            position, words = answers[key]
            tidied[key] = (
                choice(position, Position, key),
                text(words, f"evidence-{key}", EVIDENCE_MAX),
            )
    return tidied


def self_check_keep(
    *,
    keyring: Keyring,
    intervention_id: str,
    answers: Mapping[str, tuple[Position | str, str]],
) -> None:
    """Keep this account's self-check, sealed to its own key (replacing an earlier one).
    Raises InvalidInput."""

    def decide(state: InterventionState) -> list[Event]:
        chart = chart_by_id(state.chart_id, state.chart_version)
        plain = msgspec.json.encode(_Sealed(answers=self_check_tidy(chart, answers)))
        return [keep_self_check(state, sealed=seal_private_note(plain, keyring.public_key))]

    engine.run(keyring, intervention_id, decide)


def self_check_discard(*, keyring: Keyring, intervention_id: str) -> None:
    """Take this account's kept self-check away (nothing when none is kept)."""

    def decide(state: InterventionState) -> list[Event]:
        if keyring.account_id not in state.self_checks:
            return []
        return [keep_self_check(state, sealed=b"")]

    engine.run(keyring, intervention_id, decide)
