"""Roles and support for allies through the services: the checklist first and the team's
own roles after it, anyone on the map or the team holding several, a role named once
however often asked, the limit of roles per person, and who supports each ally."""

from __future__ import annotations

import pytest

from allymap.domain import ROLE_LIMIT_MAX, InvalidInput, Refusal, Role
from allymap.services import interventions, people, roles, team
from allymap.services.errors import NotFound
from allymap.services.keyring import Keyring
from allymap.services.people import Details
from allymap.store.models import Event
from tests.people import fresh
from tests.services.conftest import SERVICE_NAMES, Started


def _events(intervention_id: str) -> int:
    return Event.objects.filter(intervention_id=intervention_id).count()


def _ids(owner: Keyring, started: Started) -> dict[str, object]:
    return {"keyring": owner, "intervention_id": started.intervention_id}


def _read(owner: Keyring, started: Started) -> roles.RolesReading:
    return roles.roles_reading(keyring=fresh(owner), intervention_id=started.intervention_id)


def _holders(reading: roles.RolesReading, role: str) -> list[str]:
    (line,) = [r for r in reading.roles if r.role == role]
    return [h.key for h in line.holders]


def test_it_reads_the_checklist_and_everyone_who_could_hold_a_role(
    owner: Keyring, intervention: Started
) -> None:
    hemi = team.member_add(**_ids(owner, intervention), name="Hemi")
    reading = _read(owner, intervention)
    assert reading.heading.code_name == SERVICE_NAMES.code_name
    assert [r.role for r in reading.roles] == [role.value for role in Role]
    assert all(r.name == "" and r.holders == () for r in reading.roles)
    # The team first (you before Hemi), then the map.
    assert [(c.kind, c.name, c.is_you) for c in reading.candidates] == [
        ("member", "", True),
        ("member", "Hemi", False),
        ("person", SERVICE_NAMES.person_alias, False),
    ]
    assert [c.key for c in reading.candidates][1:] == [
        f"member:{hemi}",
        f"person:{intervention.person_id}",
    ]
    assert reading.allies == () and reading.supports == ()
    assert reading.role_limit == 3


def test_one_person_may_hold_several_roles_and_give_them_back(
    owner: Keyring, intervention: Started
) -> None:
    ids = _ids(owner, intervention)
    person = f"person:{intervention.person_id}"
    before = _events(intervention.intervention_id)
    for role in ("coordinator", "logistics", "coordinator"):
        roles.role_assign(**ids, role=role, holder=person)
    assert _events(intervention.intervention_id) == before + 2  # the same role twice: once
    reading = _read(owner, intervention)
    assert _holders(reading, "coordinator") == [person]
    assert _holders(reading, "logistics") == [person]
    roles.role_unassign(**ids, role="coordinator", holder=person)
    roles.role_unassign(**ids, role="coordinator", holder=person)
    assert _events(intervention.intervention_id) == before + 3
    assert _holders(_read(owner, intervention), "coordinator") == []


@pytest.mark.parametrize(
    ("role", "holder", "field"),
    [
        ("chief", "MEMBER", "role"),
        ("coordinator", "person:nobody", "holder"),
        ("coordinator", "nobody", "holder"),
        ("coordinator", "outside:", "holder"),
    ],
    ids=["unknown role", "not on the map", "malformed", "outside"],
)
def test_it_refuses_a_role_or_holder_that_is_not_there(
    owner: Keyring, intervention: Started, role: str, holder: str, field: str
) -> None:
    holder = holder.replace("MEMBER", f"member:{owner.account_id}")
    before = _events(intervention.intervention_id)
    with pytest.raises(InvalidInput) as refused:
        roles.role_assign(**_ids(owner, intervention), role=role, holder=holder)
    assert (refused.value.field, refused.value.code) == (field, Refusal.NOT_A_CHOICE)
    assert _events(intervention.intervention_id) == before


def test_it_names_a_role_once_and_lists_it_after_the_checklist(
    owner: Keyring, intervention: Started
) -> None:
    ids = _ids(owner, intervention)
    before = _events(intervention.intervention_id)
    first = roles.role_name(**ids, name=" Kai for hui ", proposed_id="a-token-from-the-form")
    again = roles.role_name(**ids, name=" Kai for hui ", proposed_id="a-token-from-the-form")
    assert first == again
    assert _events(intervention.intervention_id) == before + 1
    last = _read(owner, intervention).roles[-1]
    assert (last.role, last.name) == (first, "Kai for hui")
    with pytest.raises(InvalidInput) as refused:
        roles.role_name(**ids, name="KAI FOR HUI")
    assert (refused.value.field, refused.value.code) == ("name", Refusal.DUPLICATE)
    with pytest.raises(InvalidInput) as refused:
        roles.role_name(**ids, name="   ")
    assert (refused.value.field, refused.value.code) == ("name", Refusal.REQUIRED)


@pytest.mark.parametrize("limit", [0, ROLE_LIMIT_MAX + 1, -3])
def test_it_keeps_the_limit_between_one_and_its_most(
    owner: Keyring, intervention: Started, limit: int
) -> None:
    ids = _ids(owner, intervention)
    roles.role_limit_set(**ids, limit=ROLE_LIMIT_MAX)
    assert _read(owner, intervention).role_limit == ROLE_LIMIT_MAX
    with pytest.raises(InvalidInput) as refused:
        roles.role_limit_set(**ids, limit=limit)
    assert (refused.value.field, refused.value.code) == ("limit", Refusal.OUT_OF_RANGE)
    assert refused.value.params == {"limit": ROLE_LIMIT_MAX}


def test_each_ally_can_be_supported_from_the_map_the_team_or_outside(
    owner: Keyring, intervention: Started
) -> None:
    ids = _ids(owner, intervention)
    ally = f"person:{intervention.person_id}"
    you = f"member:{owner.account_id}"
    other = people.person_add(**ids, details=Details(alias="Aunty Huia"))
    roles.role_assign(**ids, role="accountability_ally", holder=ally)
    first = roles.support_add(
        **ids, ally=ally, supporter=you, proposed_id="a-token-from-the-support-form"
    )
    assert (
        roles.support_add(
            **ids, ally=ally, supporter=you, proposed_id="a-token-from-the-support-form"
        )
        == first
    )
    roles.support_add(**ids, ally=ally, supporter=f"person:{other}")
    outside = roles.support_add(**ids, ally=ally, supporter="outside", supporter_name="Whaea Rose")
    roles.support_add(**ids, ally=ally, supporter="", supporter_name="Matua Ben")
    reading = _read(owner, intervention)
    assert [a.key for a in reading.allies] == [ally]
    assert [
        (s.ally.key, s.supporter.key if s.supporter else None, s.supporter_name)
        for s in reading.supports
    ] == [
        (ally, you, ""),
        (ally, f"person:{other}", ""),
        (ally, None, "Whaea Rose"),
        (ally, None, "Matua Ben"),
    ]
    assert reading.supports[0].supporter is not None and reading.supports[0].supporter.is_you
    roles.support_remove(**ids, support_id=outside)
    roles.support_remove(**ids, support_id=outside)
    assert "Whaea Rose" not in [s.supporter_name for s in _read(owner, intervention).supports]


@pytest.mark.parametrize(
    ("supporter", "name", "field", "code"),
    [
        ("ALLY", "", "supporter", Refusal.NOT_A_CHOICE),
        ("person:nobody", "", "supporter", Refusal.NOT_A_CHOICE),
        ("outside", "", "supporter_name", Refusal.REQUIRED),
        ("outside", "x" * 61, "supporter_name", Refusal.TOO_LONG),
    ],
    ids=["themselves", "not on the map", "outside unnamed", "too long"],
)
def test_it_refuses_a_support_it_cannot_keep(
    owner: Keyring,
    intervention: Started,
    supporter: str,
    name: str,
    field: str,
    code: Refusal,
) -> None:
    ids = _ids(owner, intervention)
    ally = f"person:{intervention.person_id}"
    roles.role_assign(**ids, role="accountability_ally", holder=ally)
    before = _events(intervention.intervention_id)
    with pytest.raises(InvalidInput) as refused:
        roles.support_add(
            **ids, ally=ally, supporter=supporter.replace("ALLY", ally), supporter_name=name
        )
    assert (refused.value.field, refused.value.code) == (field, code)
    assert _events(intervention.intervention_id) == before


def test_an_outsider_reads_and_changes_nothing(
    owner: Keyring, outsider: Keyring, intervention: Started
) -> None:
    ids = {"keyring": outsider, "intervention_id": intervention.intervention_id}
    before = _events(intervention.intervention_id)
    with pytest.raises(NotFound):
        roles.roles_reading(**ids)
    with pytest.raises(NotFound):
        roles.role_assign(**ids, role="coordinator", holder=f"member:{owner.account_id}")
    with pytest.raises(NotFound):
        roles.role_name(**ids, name="Planted")
    assert _events(intervention.intervention_id) == before


def test_the_person_doing_harms_own_map_offers_no_support_for_the_person_harmed(
    owner: Keyring,
) -> None:
    own = interventions.intervention_start(
        keyring=owner,
        code_name="My own map",
        doing_harm_alias="Me",
        perspective="own_accountability",
    )
    ids = {"keyring": owner, "intervention_id": own}
    reading = roles.roles_reading(keyring=fresh(owner), intervention_id=own)
    offered = [line.role for line in reading.roles]
    assert Role.SUPPORT_HARMED.value not in offered
    assert Role.ACCOUNTABILITY_ALLY.value in offered
    huia = people.person_add(**ids, details=Details(alias="Huia"))
    before = _events(own)
    with pytest.raises(InvalidInput) as refused:
        roles.role_assign(**ids, role=Role.SUPPORT_HARMED.value, holder=f"person:{huia}")
    assert (refused.value.field, refused.value.code) == ("role", Refusal.NOT_A_CHOICE)
    assert _events(own) == before
    # A team's map offers it as ever.
    team_map = interventions.intervention_start(
        keyring=owner, code_name="A team's map", doing_harm_alias="R"
    )
    offered = [
        line.role for line in roles.roles_reading(keyring=owner, intervention_id=team_map).roles
    ]
    assert Role.SUPPORT_HARMED.value in offered
