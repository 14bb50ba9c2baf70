"""The roles page: the roles checklist with what each is, who holds each role (anyone on
the map or the team, several roles each), giving a role and taking it back, roles the
team names itself (once however often posted), the team's limit of roles per person, and
who supports each accountability ally (someone on the map, the team, or outside)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from allymap.domain import ROLE_LIMIT_MAX, ROLE_NAME_MAX, Role
from allymap.services import accounts, people, roles, team
from allymap.services.people import Details
from tests.web.conftest import CODE_NAME, PERSON_ALIAS, Started
from tests.web.pages import stored_log, text_of, title_of


def _url(started: Started) -> str:
    return f"/i/{started.intervention_id}/roles/"


def _ids(owner: accounts.Unlocked, started: Started) -> dict[str, object]:
    return {"keyring": owner.keyring, "intervention_id": started.intervention_id}


def _holders(owner: accounts.Unlocked, started: Started, role: str) -> list[str]:
    reading = roles.roles_reading(**_ids(owner, started))
    (line,) = [r for r in reading.roles if r.role == role]
    return [h.key for h in line.holders]


def _person(started: Started) -> str:
    return f"person:{started.person_id}"


def _you(owner: accounts.Unlocked) -> str:
    return f"member:{owner.keyring.account_id}"


def _once(page: str, auto_id: str) -> str:
    match = re.search(rf'name="once" value="([^"]+)" id="{re.escape(auto_id)}"', page)
    assert match, page
    return match.group(1)


def _section(page: str, element_id: str) -> str:
    """The HTML of the element with that id, up to the next of its kind's siblings."""
    start = page.index(f'id="{element_id}"')
    ends = [page.find(mark, start + 1) for mark in ('<li class="rl-role"', "<section", "<h2")]
    return page[start : min(e for e in ends if e > 0)]


def test_it_shows_the_checklist_with_what_each_role_is(
    owner_client: Client, intervention: Started
) -> None:
    response = owner_client.get(_url(intervention))
    assert response.status_code == 200
    assert title_of(response) == "Roles · allymap"
    page = text_of(response)
    assert CODE_NAME in page
    for label in (
        "Facilitator or anchor",
        "Coordinator",
        "Accountability ally",
        "Support for the person harmed",
        "Support for allies",
        "Logistics",
        "Safety watch",
        "Note keeper",
    ):
        assert f"<h3>{label}</h3>" in page
    for role in Role:
        assert f'id="role-{role.value}"' in page
    assert "one person may hold several" in page
    assert "Not every role must be filled" in page
    assert "Keeps notes of hui and decisions" in page
    # Each role opens its own "give this role" (everyone on the map, offered once); then
    # everyone on the team and the map can be chosen.
    closed = _section(page, "role-coordinator")
    assert "<select" not in page
    opening = f'href="{_url(intervention)}?give=coordinator#role-coordinator"'
    assert opening in closed and "Nobody yet." in closed
    opened = text_of(owner_client.get(f"{_url(intervention)}?give=coordinator"))
    give = _section(opened, "role-coordinator")
    assert f'value="{_person(intervention)}"' in give
    assert '<optgroup label="On the team">' in give and '<optgroup label="On the map">' in give
    assert opened.count("<select") == 1
    # Two roles' lists at once (what the gap "nobody keeps the team in touch" opens).
    both = text_of(owner_client.get(f"{_url(intervention)}?give=coordinator&give=facilitator"))
    assert both.count("<select") == 2
    assert "<select" in _section(both, "role-facilitator")
    overview = text_of(owner_client.get(f"/i/{intervention.intervention_id}/"))
    assert f'href="{_url(intervention)}"' in overview


def test_it_gives_roles_to_anyone_on_the_map_or_the_team_several_each(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    before = stored_log(intervention.intervention_id)
    for role, holder in [
        ("coordinator", _person(intervention)),
        ("logistics", _person(intervention)),
        ("coordinator", _you(owner)),
    ]:
        response = owner_client.post(
            _url(intervention), {"action": "assign", "role": role, "holder": holder}
        )
        assert response.status_code == 302, text_of(response)
        location = f"{_url(intervention)}?given={role}#role-{role}"
        assert response.headers["Location"] == location
        # The page it comes back to says so, beside that role alone.
        back = text_of(owner_client.get(location))
        said = '<p class="notice" role="status">Done: the role is given.</p>'
        assert said in _section(back, f"role-{role}") and back.count(said) == 1
    assert len(stored_log(intervention.intervention_id)) == len(before) + 3
    assert _holders(owner, intervention, "coordinator") == [_person(intervention), _you(owner)]
    assert _holders(owner, intervention, "logistics") == [_person(intervention)]
    page = text_of(owner_client.get(_url(intervention)))
    coordinator = _section(page, "role-coordinator")
    person_link = f'href="/i/{intervention.intervention_id}/people/{intervention.person_id}/"'
    assert f"{person_link}>{PERSON_ALIAS}</a>" in coordinator
    assert "You <span" in coordinator
    assert "Nobody yet." not in coordinator
    # Whoever holds it already is not offered it again.
    offered = text_of(owner_client.get(f"{_url(intervention)}?give=coordinator"))
    assert f'<option value="{_person(intervention)}"' not in _section(offered, "role-coordinator")
    offered = text_of(owner_client.get(f"{_url(intervention)}?give=safety_watch"))
    assert f'<option value="{_person(intervention)}"' in _section(offered, "role-safety_watch")
    # The same role given again changes nothing.
    again = owner_client.post(
        _url(intervention),
        {"action": "assign", "role": "logistics", "holder": _person(intervention)},
    )
    assert again.status_code == 302
    assert len(stored_log(intervention.intervention_id)) == len(before) + 3


def test_it_takes_a_role_back(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    roles.role_assign(**_ids(owner, intervention), role="safety_watch", holder=_you(owner))
    page = text_of(owner_client.get(_url(intervention)))
    assert 'Take it back<span class="visually-hidden">: Safety watch from You</span>' in page
    response = owner_client.post(
        _url(intervention), {"action": "unassign", "role": "safety_watch", "holder": _you(owner)}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("?taken=safety_watch#role-safety_watch")
    back = text_of(owner_client.get(response.headers["Location"]))
    assert "Done: the role is taken back." in _section(back, "role-safety_watch")
    assert _holders(owner, intervention, "safety_watch") == []
    assert "Nobody yet." in _section(
        text_of(owner_client.get(_url(intervention))), "role-safety_watch"
    )


@pytest.mark.parametrize(
    ("holder", "words"),
    [
        ("", "Choose who will take this role on."),
        ("person:nobody-like-this", "They are not on the map or the team now."),
        ("someone", "Please choose someone else"),
    ],
    ids=["none chosen", "not on the map", "malformed"],
)
def test_it_refuses_a_holder_beside_that_roles_list(
    owner_client: Client, intervention: Started, holder: str, words: str
) -> None:
    before = stored_log(intervention.intervention_id)
    response = owner_client.post(
        _url(intervention), {"action": "assign", "role": "note_keeper", "holder": holder}
    )
    assert response.status_code == 200
    page = text_of(response)
    section = _section(page, "role-note_keeper")
    assert re.search(
        r'<p class="error" id="id_holder_note_keeper-error"><span>[^<]*' + re.escape(words), section
    ), section
    assert 'aria-describedby="id_holder_note_keeper-error"' in section
    summary = page[: page.index('id="checklist"')]
    assert re.search(r'<a href="#id_holder_note_keeper">[^<]*' + re.escape(words), summary)
    assert "This field is required" not in page
    assert stored_log(intervention.intervention_id) == before


def test_it_refuses_a_role_that_is_not_there_at_the_top(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    before = stored_log(intervention.intervention_id)
    response = owner_client.post(
        _url(intervention), {"action": "assign", "role": "chief", "holder": _you(owner)}
    )
    assert response.status_code == 200
    page = text_of(response)
    summary = page[page.index('<div class="error-summary"') : page.index('id="checklist"')]
    assert "<li>That role is not on this page now.</li>" in summary
    assert stored_log(intervention.intervention_id) == before


def test_it_names_a_role_once_however_often_the_form_is_posted(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    page = text_of(owner_client.get(_url(intervention)))
    form = {"action": "name", "name": "Kai for hui", "once": _once(page, "id_new_once")}
    before = stored_log(intervention.intervention_id)
    first = owner_client.post(_url(intervention), form)
    second = owner_client.post(_url(intervention), form)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    role = re.search(r"#role-(.+)$", first.headers["Location"])
    assert role
    assert len(stored_log(intervention.intervention_id)) == len(before) + 1
    page = text_of(owner_client.get(_url(intervention)))
    section = _section(page, f"role-{role.group(1)}")
    assert "<h3>Kai for hui</h3>" in section
    assert "A role your team named." in section
    # It can be given like any other.
    response = owner_client.post(
        _url(intervention),
        {"action": "assign", "role": role.group(1), "holder": _person(intervention)},
    )
    assert response.status_code == 302
    assert _holders(owner, intervention, role.group(1)) == [_person(intervention)]


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("", "Please write a name for the role."),
        ("x" * (ROLE_NAME_MAX + 1), f"There is room for up to {ROLE_NAME_MAX} characters"),
        ("Kai\u202efor hui", "invisible or direction-changing character"),
        ("kai FOR hui", "The team already has a role with this name."),
    ],
    ids=["empty", "too long", "disguising", "duplicate"],
)
def test_it_refuses_a_role_name_it_cannot_keep_beside_the_field(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started, name: str, words: str
) -> None:
    roles.role_name(**_ids(owner, intervention), name="Kai for hui")
    before = stored_log(intervention.intervention_id)
    response = owner_client.post(_url(intervention), {"action": "name", "name": name})
    assert response.status_code == 200
    page = text_of(response)
    assert re.search(
        r'<p class="error" id="id_new_name-error"><span>[^<]*' + re.escape(words), page
    ), page
    assert 'aria-describedby="id_new_name_helptext id_new_name-error"' in page
    assert stored_log(intervention.intervention_id) == before


def test_it_sets_the_teams_limit_of_roles_per_person(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    page = text_of(owner_client.get(_url(intervention)))
    assert re.search(r'<input type="number" name="limit" value="3" [^>]*min="1" max="12"', page)
    response = owner_client.post(_url(intervention), {"action": "limit", "limit": "5"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"{_url(intervention)}#limit"
    reading = roles.roles_reading(**_ids(owner, intervention))
    assert reading.role_limit == 5
    assert 'name="limit" value="5"' in text_of(owner_client.get(_url(intervention)))


@pytest.mark.parametrize(
    ("limit", "words"),
    [
        ("0", "Please use a number no smaller than 1."),
        (str(ROLE_LIMIT_MAX + 1), f"Please use a number no bigger than {ROLE_LIMIT_MAX}."),
        ("three", "allymap could not read this."),
        ("", f"Please write a number from 1 to {ROLE_LIMIT_MAX}."),
    ],
    ids=["zero", "too many", "words", "empty"],
)
def test_it_refuses_a_limit_out_of_range_in_its_own_words(
    owner_client: Client, intervention: Started, limit: str, words: str
) -> None:
    before = stored_log(intervention.intervention_id)
    response = owner_client.post(_url(intervention), {"action": "limit", "limit": limit})
    assert response.status_code == 200
    page = text_of(response)
    assert re.search(r'<p class="error" id="id_limit-error"><span>' + re.escape(words), page), page
    assert "Ensure this value" not in page and "Enter a whole number" not in page
    assert stored_log(intervention.intervention_id) == before


def test_a_member_of_the_team_uses_the_page_too(
    member_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    response = member_client.post(
        _url(intervention),
        {"action": "assign", "role": "facilitator", "holder": _person(intervention)},
    )
    assert response.status_code == 302
    assert _holders(owner, intervention, "facilitator") == [_person(intervention)]


def test_the_once_token_is_fresh_for_each_form(owner_client: Client, intervention: Started) -> None:
    page = text_of(owner_client.get(_url(intervention)))
    tokens = re.findall(r'name="once" value="([^"]+)"', page)
    assert tokens and len(set(tokens)) == len(tokens)


def test_people_and_members_added_later_are_offered(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    ids = _ids(owner, intervention)
    hemi = team.member_add(**ids, name="Hemi")
    aunty = people.person_add(**ids, details=Details(alias="Aunty Huia"))
    page = text_of(owner_client.get(f"{_url(intervention)}?give=logistics"))
    section = _section(page, "role-logistics")
    assert f'<option value="member:{hemi}">Hemi</option>' in section
    assert f'<option value="person:{aunty}">Aunty Huia</option>' in section
