"""People on the map through the services: add one with every detail, add several from a
brainstorm, change details and consent, take someone off the map, and read their details
for the pages that change them."""

from __future__ import annotations

import pytest

from allymap.domain import (
    ALIAS_MAX,
    Closeness,
    Consent,
    InvalidInput,
    Refusal,
    Reporting,
    UnknownPerson,
)
from allymap.domain.state import ConsentChange
from allymap.services import interventions, people, team
from allymap.services.keyring import Keyring
from allymap.services.people import BRAINSTORM_MAX_LINES, Details
from allymap.store.models import Event
from tests.people import fresh
from tests.services.conftest import SERVICE_NAMES, Started


def _events(intervention_id: str) -> int:
    return Event.objects.filter(intervention_id=intervention_id).count()


def _ids(owner: Keyring, started: Started) -> dict[str, object]:
    return {"keyring": owner, "intervention_id": started.intervention_id}


def test_it_adds_a_person_with_every_detail_once(owner: Keyring, intervention: Started) -> None:
    ids = _ids(owner, intervention)
    asker = team.member_add(keyring=owner, intervention_id=intervention.intervention_id, name="Ana")
    details = Details(
        alias="Coach P",
        relationship="his coach",
        relationship_harmed="her netball coach",
        closeness="further",
        offers="Time",
        other_ways="Lifts",
        reporting="may_have_to",
        consent="to_ask",
        asker=asker,
    )
    before = _events(intervention.intervention_id)
    first = people.person_add(**ids, details=details, proposed_id="a-token-from-the-form")
    again = people.person_add(**ids, details=details, proposed_id="a-token-from-the-form")
    assert first == again
    assert _events(intervention.intervention_id) == before + 1
    found = people.person_details(keyring=fresh(owner), **_target(intervention, first))
    assert found.details == details
    assert [m.name for m in found.members] == ["", "Ana"]


def _target(started: Started, person_id: str) -> dict[str, str]:
    return {"intervention_id": started.intervention_id, "person_id": person_id}


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("closeness", "nearby", Refusal.NOT_A_CHOICE),
        ("consent", "maybe", Refusal.NOT_A_CHOICE),
        ("reporting", "sometimes", Refusal.NOT_A_CHOICE),
        ("asker", "not-a-member", Refusal.NOT_A_CHOICE),
        ("offers", "x" * 1001, Refusal.TOO_LONG),
    ],
)
def test_it_refuses_a_detail_it_cannot_keep(
    owner: Keyring, intervention: Started, field: str, value: str, code: Refusal
) -> None:
    before = _events(intervention.intervention_id)
    details = Details(alias="Coach P", **{field: value})  # type: ignore[arg-type]
    with pytest.raises(InvalidInput) as refused:
        people.person_add(**_ids(owner, intervention), details=details)
    assert (refused.value.field, refused.value.code) == (field, code)
    assert _events(intervention.intervention_id) == before


def test_it_adds_several_from_a_brainstorm_once(owner: Keyring, intervention: Started) -> None:
    ids = _ids(owner, intervention)
    before = _events(intervention.intervention_id)
    typed = {"aliases": "Nan\n\n  Koro \nAunty", "proposed_id": "a-token-from-the-brainstorm"}
    added = people.people_add_many(**ids, **typed)
    again = people.people_add_many(**ids, **typed)
    assert added == again and len(set(added)) == 3
    assert _events(intervention.intervention_id) == before + 3
    overview = interventions.intervention_overview(**ids)
    assert [p.alias for p in overview.people] == [
        SERVICE_NAMES.person_alias,
        "Nan",
        "Koro",
        "Aunty",
    ]
    assert all(
        p.consent == Consent.IDEA and p.closeness == Closeness.UNKNOWN for p in overview.people
    )


@pytest.mark.parametrize(
    ("aliases", "code", "line"),
    [
        ("", Refusal.REQUIRED, None),
        ("\n  \n", Refusal.REQUIRED, None),
        ("Nan\n\nKo\x07ro", Refusal.CONTROL_CHARACTER, 3),
        (f"Nan\n{'x' * (ALIAS_MAX + 1)}", Refusal.TOO_LONG, 2),
        ("\n".join(["Nan"] * (BRAINSTORM_MAX_LINES + 1)), Refusal.TOO_MANY_LINES, None),
    ],
    ids=["empty", "blank", "control character", "too long", "too many"],
)
def test_a_brainstorm_is_all_or_nothing_and_names_the_line(
    owner: Keyring, intervention: Started, aliases: str, code: Refusal, line: int | None
) -> None:
    before = _events(intervention.intervention_id)
    with pytest.raises(InvalidInput) as refused:
        people.people_add_many(**_ids(owner, intervention), aliases=aliases)
    assert (refused.value.field, refused.value.code) == ("aliases", code)
    assert refused.value.params.get("line") == line
    assert _events(intervention.intervention_id) == before


def test_it_changes_details_and_consent_and_stores_nothing_when_nothing_changed(
    owner: Keyring, intervention: Started
) -> None:
    ids = _ids(owner, intervention)
    asker = team.member_add(keyring=owner, intervention_id=intervention.intervention_id, name="Ana")
    person = {"person_id": intervention.person_id}
    changed = Details(alias="Uncle Tama", closeness="close", consent="asked", asker=asker)
    before = _events(intervention.intervention_id)
    people.person_change(**ids, **person, details=changed)
    assert _events(intervention.intervention_id) == before + 2  # details, then consent
    state = interventions.intervention_open(**ids)
    found = state.person(intervention.person_id)
    assert (found.alias, found.relationship, found.closeness) == ("Uncle Tama", "", Closeness.CLOSE)
    (consent,) = [e for e in found.history if isinstance(e, ConsentChange)]
    assert (consent.before, consent.after, consent.asker) == (Consent.IDEA, Consent.ASKED, asker)

    before = _events(intervention.intervention_id)
    people.person_change(
        **ids, **person, details=Details(**{**changed.__dict__, "alias": " Uncle Tama "})
    )
    assert _events(intervention.intervention_id) == before

    people.person_change(
        **ids, **person, details=Details(**{**changed.__dict__, "reporting": "no"})
    )
    assert _events(intervention.intervention_id) == before + 1
    assert interventions.intervention_open(**ids).person(intervention.person_id).reporting == (
        Reporting.NO
    )


def test_it_refuses_a_change_it_cannot_keep(owner: Keyring, intervention: Started) -> None:
    before = _events(intervention.intervention_id)
    with pytest.raises(InvalidInput) as refused:
        people.person_change(
            **_ids(owner, intervention),
            person_id=intervention.person_id,
            details=Details(alias="", consent="agreed"),
        )
    assert (refused.value.field, refused.value.code) == ("alias", Refusal.REQUIRED)
    assert _events(intervention.intervention_id) == before  # nor the consent


def test_it_removes_a_person_from_the_map_but_keeps_the_history(
    owner: Keyring, intervention: Started
) -> None:
    ids = _ids(owner, intervention)
    people.person_remove(**ids, person_id=intervention.person_id)
    before = _events(intervention.intervention_id)
    people.person_remove(**ids, person_id=intervention.person_id)  # posted twice
    assert _events(intervention.intervention_id) == before
    assert interventions.intervention_overview(**ids).people == ()
    state = interventions.intervention_open(**ids)
    assert state.people[intervention.person_id].removed
    assert state.people[intervention.person_id].alias == SERVICE_NAMES.person_alias
    with pytest.raises(UnknownPerson):
        people.person_details(**ids, person_id=intervention.person_id)
    with pytest.raises(UnknownPerson):
        people.person_change(
            **ids, person_id=intervention.person_id, details=Details(alias="Back again")
        )
