"""Paper: what the print views show, shaped so a print cannot say more than it should.

Four prints: the blank chart for a hui (`blank_chart_reading`), an ally's own copy
(`ally_copy_reading`), and, printed from their screen pages, the side-by-side chart
(`services.compare`) and a person's summary (`services.summary`). `prints_reading` is the
page that leads to them all.

The blank chart carries the chart alone: no alias, no code name, nothing anyone typed.
An ally's copy carries, by construction, only what is about that one ally: their name,
their roles, where asking them stands, the names of whoever supports them, and, for an
accountability ally only, the chart's ally column (with the heading, for the screen around
the sheet). It holds no state and no other person's
record, so its template cannot show one. Private self-checks are never read here.
"""

from __future__ import annotations

from dataclasses import dataclass

from allymap.chart import Row, chart_by_id
from allymap.domain import Holder, HolderKind, InterventionState, Role, UnknownPerson
from allymap.domain.values import Consent
from allymap.services import engine
from allymap.services.errors import NotFound
from allymap.services.heading import Heading, heading_of
from allymap.services.keyring import Keyring
from allymap.services.roles import HolderLine, RoleLine, holder_line

__all__ = [
    "SHEETS_MAX",
    "AllyCopy",
    "BlankChart",
    "PrintsReading",
    "ally_copy_reading",
    "blank_chart_reading",
    "prints_reading",
]

SHEETS_MAX = 12
"""The most sheets for people (one each) a blank chart prints at once."""


@dataclass(frozen=True)
class BlankChart:
    """The blank chart: the intervention's chart (its rows, both columns and questions),
    whose map it is (for the words that change with it), and how many sheets for people.
    `heading` is for links and wording; the print shows nothing of it by name."""

    heading: Heading
    title: str
    rows: tuple[Row, ...]
    sheets: int


@dataclass(frozen=True)
class AllyCopy:
    """One ally's own copy: who it is for (`name`, empty for a team member not named yet,
    or a copy for nobody in particular), their roles (checklist roles and the team's own,
    without their other holders), the names of whoever supports them (on the map, on the
    team or outside), and the chart's rows for the ally column. `heading` is for the
    screen around the sheet (its links, whose map it is); the sheet itself shows nothing
    of it. Nothing else about the intervention or anyone in it.

    `is_ally` is true when they hold the accountability ally role (or the copy is for
    nobody in particular): only then does the sheet carry the ally column. `agreed` is
    true for a team member and for someone on the map who has agreed to help; for anyone
    else `consent` says where asking them stands (a `Consent` value), and the screen
    around the sheet cautions before it is handed over."""

    heading: Heading
    name: str
    roles: tuple[RoleLine, ...]
    supporters: tuple[str, ...]
    rows: tuple[Row, ...]
    is_ally: bool = True
    agreed: bool = True
    consent: str = ""


@dataclass(frozen=True)
class PrintsReading:
    """The page that leads to every print: the people on the map (for their summaries
    and copies), the team (for theirs, the reader's own marked) and which of them are
    accountability allies, listed first."""

    heading: Heading
    people: tuple[HolderLine, ...]
    members: tuple[HolderLine, ...]
    allies: tuple[HolderLine, ...]
    sheets_max: int = SHEETS_MAX
    asking: tuple[tuple[HolderLine, str], ...] = ()
    """Everyone on the map with where asking them stands (a `Consent` value), map order."""
    allies_asking: tuple[tuple[HolderLine, str], ...] = ()
    """The accountability allies with where asking them stands (empty for a member)."""


def blank_chart_reading(*, keyring: Keyring, intervention_id: str, sheets: int = 1) -> BlankChart:
    """The blank chart of an intervention's chart, with `sheets` sheets for people
    (clamped to 1…`SHEETS_MAX`). Raises NotFound or DamagedRecord."""
    state = engine.open_log(keyring, intervention_id).state
    chart = chart_by_id(state.chart_id, state.chart_version)
    return BlankChart(
        heading=heading_of(state),
        title=chart.title,
        rows=tuple(chart.rows),
        sheets=min(max(sheets, 1), SHEETS_MAX),
    )


def ally_copy_reading(
    *,
    keyring: Keyring,
    intervention_id: str,
    person_id: str | None = None,
    member_id: str | None = None,
) -> AllyCopy:
    """The copy for one person on the map (`person_id`) or team member (`member_id`;
    neither: the reader's own member, or, when the reader has none on the team, a copy
    for nobody in particular: the guidance alone). Raises NotFound (a member not on the
    team), UnknownPerson or DamagedRecord."""
    state = engine.open_log(keyring, intervention_id).state
    holder = _holder(state, keyring.account_id, person_id=person_id, member_id=member_id)
    chart = chart_by_id(state.chart_id, state.chart_version)
    if holder is None:
        return AllyCopy(heading_of(state), name="", roles=(), supporters=(), rows=tuple(chart.rows))
    roles = tuple(
        RoleLine(role=key, name=state.custom_roles.get(key, ""), holders=())
        for key, holders in _in_order(state)
        if holder in holders
    )
    supporters = tuple(
        _supporter_name(state, support.supporter, support.supporter_name)
        for support in state.supports.values()
        if support.ally == holder
    )
    name = (
        state.people[holder.id].alias
        if holder.kind is HolderKind.PERSON
        else state.members[holder.id].name
    )
    consent = state.people[holder.id].consent.value if holder.kind is HolderKind.PERSON else ""
    return AllyCopy(
        heading=heading_of(state),
        name=name,
        roles=roles,
        supporters=supporters,
        rows=tuple(chart.rows),
        is_ally=any(role.role == Role.ACCOUNTABILITY_ALLY.value for role in roles),
        agreed=consent in ("", Consent.AGREED.value),
        consent=consent,
    )


def prints_reading(*, keyring: Keyring, intervention_id: str) -> PrintsReading:
    """The page of prints. Raises NotFound or DamagedRecord."""
    state = engine.open_log(keyring, intervention_id).state
    account = keyring.account_id
    allies = state.roles.get(Role.ACCOUNTABILITY_ALLY.value, [])
    people = tuple(
        (holder_line(state, Holder(kind=HolderKind.PERSON, id=p.person_id), account), p)
        for p in state.active_people()
    )
    return PrintsReading(
        heading=heading_of(state),
        people=tuple(line for line, _ in people),
        asking=tuple((line, person.consent.value) for line, person in people),
        members=tuple(
            holder_line(state, Holder(kind=HolderKind.MEMBER, id=m.member_id), account)
            for m in state.active_members()
        ),
        allies=tuple(holder_line(state, ally, account) for ally in allies if _present(state, ally)),
        allies_asking=tuple(
            (
                holder_line(state, ally, account),
                state.people[ally.id].consent.value if ally.kind is HolderKind.PERSON else "",
            )
            for ally in allies
            if _present(state, ally)
        ),
    )


def _holder(
    state: InterventionState, account_id: str, *, person_id: str | None, member_id: str | None
) -> Holder | None:
    """Whose copy: a person on the map now, a member on the team now, or (no id given and
    the reader not on the team) nobody in particular."""
    if person_id is not None:
        person = state.people.get(person_id)
        if person is None or person.removed:
            raise UnknownPerson(person_id)
        return Holder(kind=HolderKind.PERSON, id=person_id)
    if member_id is None:
        member_id = next(
            (m.member_id for m in state.active_members() if m.account_id == account_id), ""
        )
        if not member_id:
            return None
    member = state.members.get(member_id)
    if member is None or member.removed:
        raise NotFound(state.intervention_id)
    return Holder(kind=HolderKind.MEMBER, id=member_id)


def _in_order(state: InterventionState) -> list[tuple[str, list[Holder]]]:
    """Every role with its holders: the checklist's in its order, then the team's own."""
    keys = [role.value for role in Role] + list(state.custom_roles)
    return [(key, state.roles.get(key, [])) for key in keys]


def _present(state: InterventionState, holder: Holder) -> bool:
    """On the map or the team now (roles stay with someone removed since)."""
    if holder.kind is HolderKind.PERSON:
        person = state.people.get(holder.id)
        return person is not None and not person.removed
    member = state.members.get(holder.id)
    return member is not None and not member.removed


def _supporter_name(state: InterventionState, supporter: Holder | None, outside: str) -> str:
    """A supporter's name as the ally knows them: their alias, member name or the name
    given for someone outside (empty for a team member not named yet)."""
    if supporter is None or supporter.kind is HolderKind.OUTSIDE:
        return outside
    if supporter.kind is HolderKind.PERSON:
        return state.people[supporter.id].alias
    return state.members[supporter.id].name
