"""Interventions: start one, list them, and read one's overview.

Writes go through the log engine (`allymap.services.engine`); reads return readings,
frozen dataclasses shaped for display, so no view or template shapes data.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from allymap.chart import default_chart
from allymap.domain import (
    Event,
    InterventionState,
    InvalidInput,
    Refusal,
    archive_intervention,
    change_intervention,
    start_intervention,
)
from allymap.services import engine, marks
from allymap.services.access import intervention_ids_for, interventions_added_at
from allymap.services.errors import Damage, DamagedRecord, NotFound
from allymap.services.follow import StaircaseReading, staircase_of
from allymap.services.gaps import GapsReading, gaps_of
from allymap.services.heading import Heading, heading_of
from allymap.services.keyring import Keyring


@dataclass(frozen=True)
class InterventionLine:
    """One line of an account's interventions.

    `damage` is None for an intervention that opened; otherwise `code_name` is empty,
    `people_count` 0, and `problem` says what is wrong (ids and numbers only).
    """

    intervention_id: str
    code_name: str
    people_count: int
    damage: Damage | None = None
    problem: str = ""
    archived: bool = False
    added_at: datetime | None = None
    """Set only when another line has the same code name (an imported copy beside its
    original, say): when this one came to the account, to tell them apart."""


@dataclass(frozen=True)
class PersonLine:
    """A person on the map, as a list shows them: `closeness` and `consent` are the
    values of `Closeness` and `Consent`; `answers` counts the team's answers so far."""

    person_id: str
    alias: str
    relationship: str
    closeness: str = "unknown"
    consent: str = "idea"
    answers: int = 0


@dataclass(frozen=True)
class Overview:
    """An intervention's front page: who it is about, the people on its map, how many
    are on its team, the gaps panel, and where things stand on the staircase of change.
    `archived` when it has been put away."""

    heading: Heading
    doing_harm_alias: str
    harmed_alias: str
    people: tuple[PersonLine, ...]
    gaps: GapsReading
    staircase: StaircaseReading
    team_size: int = 1
    archived: bool = False


@dataclass(frozen=True)
class InterventionDetails:
    """What the page that renames or archives an intervention shows."""

    heading: Heading
    code_name: str
    doing_harm_alias: str
    harmed_alias: str
    archived: bool


def intervention_start(
    *,
    keyring: Keyring,
    code_name: str,
    doing_harm_alias: str,
    harmed_alias: str = "",
    perspective: str = "team",
    proposed_id: str | None = None,
) -> str:
    """Start an intervention with this account as its first team member; return its id.

    `perspective` (a `Perspective` value) says whose map it is: a team's (the default),
    or a person's own.

    Raises the domain's InvalidInput for text that does not fit, before anything is stored.
    `proposed_id` is the form's token (`engine.new_id`): the same form posted twice
    starts one intervention, and both posts get its id.
    """
    chart = default_chart()
    started = start_intervention(
        code_name=code_name,
        doing_harm_alias=doing_harm_alias,
        harmed_alias=harmed_alias,
        chart_id=chart.id,
        chart_version=chart.version,
        perspective=perspective,
    )
    intervention_id = engine.new_id(proposed_id, scope=f"intervention:{keyring.account_id}")
    try:
        return engine.start(keyring, started, intervention_id=intervention_id)
    except InvalidInput as refused:
        if refused.field == "intervention_id" and refused.code is Refusal.DUPLICATE:
            return intervention_id  # posted twice: the first post started it
        raise


def intervention_open(*, keyring: Keyring, intervention_id: str) -> InterventionState:
    """The intervention's current state, verified and decrypted.

    Raises NotFound when the account is not on its team, and DamagedRecord when its
    stored record cannot be read.
    """
    return engine.open_log(keyring, intervention_id).state


def intervention_heading(*, keyring: Keyring, intervention_id: str) -> Heading:
    """The heading of an intervention's pages. Raises NotFound or DamagedRecord."""
    return heading_of(intervention_open(keyring=keyring, intervention_id=intervention_id))


def intervention_overview(*, keyring: Keyring, intervention_id: str) -> Overview:
    """The intervention's front page, worked out once for its current state (the gaps
    are most of it: `engine.derived`). Raises NotFound or DamagedRecord."""
    account = keyring.account_id
    _state, overview = engine.derived(
        keyring, intervention_id, "overview", lambda state: _overview_of(state, account)
    )
    return overview


def _overview_of(state: InterventionState, account_id: str) -> Overview:
    return Overview(
        heading=heading_of(state),
        doing_harm_alias=state.doing_harm_alias,
        harmed_alias=state.harmed_alias,
        people=tuple(
            PersonLine(
                person_id=p.person_id,
                alias=p.alias,
                relationship=p.relationship,
                closeness=p.closeness.value,
                consent=p.consent.value,
                answers=sum(len(rows) for rows in p.positions.values()),
            )
            for p in state.active_people()
        ),
        team_size=len(state.active_members()),
        archived=state.archived,
        gaps=gaps_of(state, account_id),
        staircase=staircase_of(state),
    )


def intervention_details(*, keyring: Keyring, intervention_id: str) -> InterventionDetails:
    """The rename-and-archive page. Raises NotFound or DamagedRecord."""
    state = intervention_open(keyring=keyring, intervention_id=intervention_id)
    return InterventionDetails(
        heading=heading_of(state),
        code_name=state.code_name,
        doing_harm_alias=state.doing_harm_alias,
        harmed_alias=state.harmed_alias,
        archived=state.archived,
    )


def intervention_change(
    *,
    keyring: Keyring,
    intervention_id: str,
    code_name: str,
    doing_harm_alias: str,
    harmed_alias: str,
) -> None:
    """Rename the intervention, or change its aliases. Raises InvalidInput."""

    def decide(state: InterventionState) -> list[Event]:
        changed = change_intervention(
            state,
            code_name=code_name,
            doing_harm_alias=doing_harm_alias,
            harmed_alias=harmed_alias,
        )
        return [] if changed is None else [changed]

    engine.run(keyring, intervention_id, decide)


def intervention_archive(*, keyring: Keyring, intervention_id: str, archived: bool) -> None:
    """Put the intervention away (listed apart, nothing deleted), or bring it back."""

    def decide(state: InterventionState) -> list[Event]:
        changed = archive_intervention(state, archived=archived)
        return [] if changed is None else [changed]

    engine.run(keyring, intervention_id, decide)


def interventions_list(*, keyring: Keyring) -> tuple[InterventionLine, ...]:
    """Every intervention this account is on the team of, oldest first.

    One whose stored record cannot be read is listed with its damage and problem instead,
    so a damaged intervention neither hides the others nor is silently skipped; so is one
    written to here whose rows are gone (`marks`), after the others.
    """
    lines = []
    ids = intervention_ids_for(keyring)
    for intervention_id in ids:
        try:
            state = intervention_open(keyring=keyring, intervention_id=intervention_id)
        except NotFound:
            continue  # destroyed (in another tab, say) since the ids were listed
        except DamagedRecord as damaged:
            lines.append(
                InterventionLine(
                    intervention_id=intervention_id,
                    code_name="",
                    people_count=0,
                    damage=damaged.damage,
                    problem=damaged.problem,
                )
            )
        else:
            lines.append(
                InterventionLine(
                    intervention_id=intervention_id,
                    code_name=state.code_name,
                    people_count=len(state.active_people()),
                    archived=state.archived,
                )
            )
    # Written to here, but no longer in the database at all: say so, never skip it.
    for intervention_id in marks.marks_of(keyring.account_id).keys() - set(ids):
        lines.append(
            InterventionLine(
                intervention_id=intervention_id,
                code_name="",
                people_count=0,
                damage=Damage.MISSING,
                problem="its rows or this account's place on its team are gone",
            )
        )
    return tuple(_told_apart(keyring, lines))


def _told_apart(keyring: Keyring, lines: list[InterventionLine]) -> list[InterventionLine]:
    """`lines` with `added_at` on each whose code name another line also has (letter case
    aside): an import keeps its original's code name, and the list must not show two
    alike (renaming the copy would make its export differ from the file it came from)."""
    names = [line.code_name.casefold() for line in lines if line.code_name]
    alike = {name for name in names if names.count(name) > 1}
    if not alike:
        return lines
    added = interventions_added_at(keyring)
    return [
        replace(line, added_at=added.get(line.intervention_id))
        if line.code_name and line.code_name.casefold() in alike
        else line
        for line in lines
    ]


def intervention_accept_as_is(*, keyring: Keyring, intervention_id: str) -> None:
    """Accept an intervention's stored record as it now is, though older than the one last
    written here: a backup restored on purpose, or a mark allymap could not update.

    The record must still pass every other check (its seals, its chain); only the
    comparison with the last head written here is set aside, and the current head
    becomes the new mark. Raises NotFound or DamagedRecord (for any other damage).
    """
    opened = engine.open_log(keyring, intervention_id, check_mark=False)
    marks.replace(
        keyring.account_id,
        intervention_id,
        marks.Mark(seq=opened.state.seq, chain=opened.chain),
    )


def intervention_unlist(*, keyring: Keyring, intervention_id: str) -> None:
    """Stop listing an intervention whose rows are gone (`Damage.MISSING`) for this
    account. An intervention still in the database is left as it is."""
    if intervention_id in intervention_ids_for(keyring):
        return
    marks.forget_for(keyring.account_id, intervention_id)
