"""People on the map: add them (one at a time, or several from a brainstorm), change
their details and consent, and take them off the map.

Writes go through the log engine (`allymap.services.engine`); `person_details` shapes
what the pages that change or remove someone show. A person's summary is
`allymap.services.summary`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from allymap.domain import (
    Closeness,
    Consent,
    Event,
    InterventionState,
    InvalidInput,
    Refusal,
    Reporting,
    add_person,
    change_consent,
    change_person,
    remove_person,
)
from allymap.services import engine
from allymap.services.heading import Heading, heading_of
from allymap.services.keyring import Keyring
from allymap.services.team import MemberLine, members_of


@dataclass(frozen=True)
class Details:
    """What a team records about a person beside the chart: all optional but the alias.

    `closeness`, `reporting`, `consent` are the values of `Closeness`, `Reporting` and
    `Consent`; `asker` is the member id of whoever will ask them, or empty.
    """

    alias: str
    relationship: str = ""
    relationship_harmed: str = ""
    closeness: str = Closeness.UNKNOWN.value
    offers: str = ""
    other_ways: str = ""
    reporting: str = Reporting.UNKNOWN.value
    consent: str = Consent.IDEA.value
    asker: str = ""


@dataclass(frozen=True)
class PersonDetails:
    """A person's details as they stand now, for the pages that change them or take them
    off the map, with the team to choose who will ask them."""

    heading: Heading
    person_id: str
    details: Details
    members: tuple[MemberLine, ...]


BRAINSTORM_MAX_LINES = 60
"""The most people one brainstorm adds at once."""


def person_add(
    *,
    keyring: Keyring,
    intervention_id: str,
    details: Details,
    proposed_id: str | None = None,
) -> str:
    """Add a person to the map; return their new id.

    Raises InvalidInput. `proposed_id` is the form's token (`engine.new_id`): the same
    form posted twice adds the person once, and both posts get their id.
    """
    person_id = engine.new_id(proposed_id, scope=f"person:{keyring.account_id}:{intervention_id}")

    def decide(state: InterventionState) -> list[Event]:
        if person_id in state.people:
            return []  # posted twice: the first post added them
        return [add_person(state, person_id=person_id, **asdict(details))]

    engine.run(keyring, intervention_id, decide)
    return person_id


def people_add_many(
    *, keyring: Keyring, intervention_id: str, aliases: str, proposed_id: str | None = None
) -> list[str]:
    """Add several people at once, one alias per line (blank lines skipped); their ids.

    All or nothing: a line that cannot be an alias raises InvalidInput on field
    ``"aliases"`` with its code, and ``params["line"]``, the line's number; none at all,
    or more than `BRAINSTORM_MAX_LINES`, raise `REQUIRED` or `TOO_MANY_LINES`.
    Posted twice, the people are added once (ids come from `proposed_id`).
    """
    lines = [(n, line) for n, line in enumerate(aliases.splitlines(), 1) if line.strip()]
    if not lines:
        raise InvalidInput("aliases", Refusal.REQUIRED)
    if len(lines) > BRAINSTORM_MAX_LINES:
        raise InvalidInput(
            "aliases", Refusal.TOO_MANY_LINES, params={"limit": BRAINSTORM_MAX_LINES}
        )
    scope = f"person:{keyring.account_id}:{intervention_id}"
    ids = [
        engine.new_id(f"{proposed_id}-{n}" if proposed_id else None, scope=scope)
        for n, _line in lines
    ]

    def decide(state: InterventionState) -> list[Event]:
        made: list[Event] = []
        for person_id, (n, line) in zip(ids, lines, strict=True):
            if person_id in state.people:
                continue  # posted twice: the first post added them
            try:
                made.append(add_person(state, person_id=person_id, alias=line))
            except InvalidInput as refused:
                raise InvalidInput(
                    "aliases", refused.code, params={**refused.params, "line": n}
                ) from None
        return made

    engine.run(keyring, intervention_id, decide)
    return ids


def person_change(
    *, keyring: Keyring, intervention_id: str, person_id: str, details: Details
) -> None:
    """Change a person's details and consent (nothing is stored for what did not change).

    Raises InvalidInput or UnknownPerson; nothing is stored when any field is refused.
    """

    def decide(state: InterventionState) -> list[Event]:
        fields = asdict(details)
        consent, asker = fields.pop("consent"), fields.pop("asker")
        made: list[Event] = []
        changed = change_person(state, person_id=person_id, **fields)
        if changed is not None:
            made.append(changed)
        consented = change_consent(state, person_id=person_id, consent=consent, asker=asker)
        if consented is not None:
            made.append(consented)
        return made

    engine.run(keyring, intervention_id, decide)


def person_remove(*, keyring: Keyring, intervention_id: str, person_id: str) -> None:
    """Take a person off the map; their history stays in the log. Raises UnknownPerson."""

    def decide(state: InterventionState) -> list[Event]:
        found = state.people.get(person_id)
        if found is not None and found.removed:
            return []  # posted twice: the first post took them off
        return [remove_person(state, person_id=person_id)]

    engine.run(keyring, intervention_id, decide)


def person_details(*, keyring: Keyring, intervention_id: str, person_id: str) -> PersonDetails:
    """A person on the map now. Raises NotFound, UnknownPerson (a removed person too) or
    DamagedRecord."""
    state = engine.open_log(keyring, intervention_id).state
    person = state.person(person_id)
    return PersonDetails(
        heading=heading_of(state),
        person_id=person.person_id,
        details=Details(
            alias=person.alias,
            relationship=person.relationship,
            relationship_harmed=person.relationship_harmed,
            closeness=person.closeness.value,
            offers=person.offers,
            other_ways=person.other_ways,
            reporting=person.reporting.value,
            consent=person.consent.value,
            asker=person.asker,
        ),
        members=members_of(state, keyring.account_id),
    )
