"""Support for allies on the roles page (row 6 of the chart: allies get rejected and
targeted too): for each accountability ally, who supports them (someone on the map, on
the team, or outside both, named in words), added once however often posted, and
taken away again."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from allymap.domain import ROLE_NAME_MAX
from allymap.services import accounts, roles
from tests.web.conftest import PERSON_ALIAS, Started
from tests.web.pages import stored_log, text_of
from tests.web.test_roles import _ids, _once, _person, _section, _url, _you


def _ally(owner: accounts.Unlocked, started: Started) -> str:
    """The standing person made an accountability ally; their key."""
    roles.role_assign(**_ids(owner, started), role="accountability_ally", holder=_person(started))
    return _person(started)


def _supports(owner: accounts.Unlocked, started: Started) -> list[tuple[str, str | None, str]]:
    reading = roles.roles_reading(**_ids(owner, started))
    return [
        (s.ally.key, s.supporter.key if s.supporter else None, s.supporter_name)
        for s in reading.supports
    ]


def test_it_says_so_when_nobody_is_an_ally_yet(owner_client: Client, intervention: Started) -> None:
    page = text_of(owner_client.get(_url(intervention)))
    support = page[page.index('id="support"') :]
    assert "Allies get rejected and targeted too (row 6 of the chart)" in support
    assert "Nobody holds the accountability ally role yet." in support
    give = f'href="{_url(intervention)}?give=accountability_ally#role-accountability_ally"'
    assert give in support


def test_it_adds_support_for_an_ally_from_the_team_or_outside_and_removes_it(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    ally = _ally(owner, intervention)
    anchor = ally.replace(":", "-")
    page = text_of(owner_client.get(_url(intervention)))
    section = _section(page, f"ally-{anchor}")
    assert f"Nobody supports {PERSON_ALIAS} yet." in section
    assert f'<label for="id_supporter_{anchor}">Who supports {PERSON_ALIAS}</label>' in section
    # The ally is not offered as their own support.
    assert f'<option value="{ally}"' not in section
    before = stored_log(intervention.intervention_id)
    form = {"action": "support", "ally": ally, "supporter": _you(owner), "supporter_name": ""}
    form["once"] = _once(page, f"id_once_{anchor}")
    first = owner_client.post(_url(intervention), form)
    second = owner_client.post(_url(intervention), form)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == f"{_url(intervention)}#ally-{anchor}"
    assert len(stored_log(intervention.intervention_id)) == len(before) + 1
    response = owner_client.post(
        _url(intervention),
        {"action": "support", "ally": ally, "supporter": "outside", "supporter_name": "Whaea Rose"},
    )
    assert response.status_code == 302
    assert _supports(owner, intervention) == [
        (ally, _you(owner), ""),
        (ally, None, "Whaea Rose"),
    ]
    section = _section(text_of(owner_client.get(_url(intervention))), f"ally-{anchor}")
    assert f"Who supports {PERSON_ALIAS}:" in section
    assert 'You <span class="hint">(on the team)</span>' in section
    assert 'Whaea Rose <span class="hint">(outside the map and the team)</span>' in section
    # A name typed with the list left empty is someone outside too.
    owner_client.post(
        _url(intervention),
        {"action": "support", "ally": ally, "supporter": "", "supporter_name": "Matua Ben"},
    )
    assert _supports(owner, intervention)[-1] == (ally, None, "Matua Ben")

    reading = roles.roles_reading(**_ids(owner, intervention))
    rose = next(s.support_id for s in reading.supports if s.supporter_name == "Whaea Rose")
    response = owner_client.post(_url(intervention), {"action": "unsupport", "support": rose})
    assert response.status_code == 302
    assert response.headers["Location"] == f"{_url(intervention)}#support"
    assert [name for _a, _s, name in _supports(owner, intervention)] == ["", "Matua Ben"]


@pytest.mark.parametrize(
    ("supporter", "name", "field", "words"),
    [
        ("", "", "supporter", "Choose who supports them, or write the name of someone outside."),
        ("outside", "", "supporter_name", "Please write their name, as the team knows them."),
        (
            "MEMBER",
            "Whaea Rose",
            "supporter_name",
            "You chose someone from the list and wrote a name too",
        ),
        ("ALLY", "", "supporter", "not the ally"),
        ("person:nobody-like-this", "", "supporter", "someone on the map or the team now"),
        ("outside", "x" * (ROLE_NAME_MAX + 1), "supporter_name", f"room for up to {ROLE_NAME_MAX}"),
    ],
    ids=["nobody", "outside unnamed", "both", "themselves", "not on the map", "too long"],
)
def test_it_refuses_a_support_it_cannot_keep_beside_that_allys_fields(
    owner_client: Client,
    owner: accounts.Unlocked,
    intervention: Started,
    supporter: str,
    name: str,
    field: str,
    words: str,
) -> None:
    ally = _ally(owner, intervention)
    anchor = ally.replace(":", "-")
    supporter = {"MEMBER": _you(owner), "ALLY": ally}.get(supporter, supporter)
    before = stored_log(intervention.intervention_id)
    response = owner_client.post(
        _url(intervention),
        {"action": "support", "ally": ally, "supporter": supporter, "supporter_name": name},
    )
    assert response.status_code == 200
    section = _section(text_of(response), f"ally-{anchor}")
    assert re.search(
        rf'<p class="error" id="id_{field}_{re.escape(anchor)}-error"><span>[^<]*'
        + re.escape(words),
        section,
    ), section
    # What was typed comes back.
    if name:
        assert f'value="{name}"' in section
    assert stored_log(intervention.intervention_id) == before


def test_it_refuses_support_for_someone_not_on_the_map_at_the_top(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    before = stored_log(intervention.intervention_id)
    response = owner_client.post(
        _url(intervention),
        {"action": "support", "ally": "person:gone", "supporter": _you(owner)},
    )
    assert response.status_code == 200
    assert "That ally is not on the map or the team now." in text_of(response)
    assert stored_log(intervention.intervention_id) == before


def test_support_outlives_the_ally_role_and_can_still_be_removed(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    ally = _ally(owner, intervention)
    support_id = roles.support_add(
        **_ids(owner, intervention), ally=ally, supporter="", supporter_name="Rangi, her sister"
    )
    roles.role_unassign(**_ids(owner, intervention), role="accountability_ally", holder=ally)
    page = text_of(owner_client.get(_url(intervention)))
    former = page[page.index('id="support-former"') :]
    assert f"For {PERSON_ALIAS}:" in former
    assert "Rangi, her sister" in former
    assert f'name="support" value="{support_id}"' in former
    response = owner_client.post(_url(intervention), {"action": "unsupport", "support": support_id})
    assert response.status_code == 302
    assert _supports(owner, intervention) == []
    assert 'id="support-former"' not in text_of(owner_client.get(_url(intervention)))
