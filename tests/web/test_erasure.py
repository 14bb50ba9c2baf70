"""Forgetting a person and destroying an intervention: each asks first, in plain words,
and acts only on a POST that carries the confirmation. Anything else changes nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from allymap.services import accounts, interventions, people
from allymap.services.people import Details
from allymap.store.models import Event, Intervention, Membership, Snapshot
from allymap.web.forms import DestroyForm
from tests.people import fresh
from tests.web.conftest import CODE_NAME, PERSON_ALIAS, RELATIONSHIP, Started
from tests.web.pages import locked_out, text_of, title_of


def _stored(intervention_id: str) -> tuple[object, ...]:
    """Every stored byte of the intervention: changed by any erasure, kept by a refusal."""
    return (
        Intervention.objects.filter(pk=intervention_id).exists(),
        [
            (e.seq, bytes(e.ciphertext))
            for e in Event.objects.filter(intervention_id=intervention_id).order_by("seq")
        ],
        [bytes(s.ciphertext) for s in Snapshot.objects.filter(intervention_id=intervention_id)],
        sorted(
            bytes(m.sealed_key) for m in Membership.objects.filter(intervention_id=intervention_id)
        ),
    )


def _forget_url(started: Started) -> str:
    return f"/i/{started.intervention_id}/people/{started.person_id}/forget/"


def _destroy_url(started: Started) -> str:
    return f"/i/{started.intervention_id}/destroy/"


@pytest.fixture
def second(owner: accounts.Unlocked, intervention: Started) -> str:
    """Someone else on the map, who must stay when the standing person is forgotten."""
    return people.person_add(
        keyring=owner.keyring,
        intervention_id=intervention.intervention_id,
        details=Details(alias="Cousin Rangi", relationship="his cousin"),
    )


# --- forgetting ---------------------------------------------------------------------------


def test_the_person_page_links_to_forgetting(owner_client: Client, intervention: Started) -> None:
    page = text_of(
        owner_client.get(f"/i/{intervention.intervention_id}/people/{intervention.person_id}/")
    )
    assert f'href="{_forget_url(intervention)}"' in page
    assert "Forget this person…" in page


def test_it_asks_before_forgetting_and_says_what_it_means(
    owner_client: Client, intervention: Started
) -> None:
    before = _stored(intervention.intervention_id)
    response = owner_client.get(_forget_url(intervention))
    page = text_of(response)
    assert response.status_code == 200
    assert title_of(response) == "Forget a person · allymap"
    assert f"Forget {PERSON_ALIAS}?" in page.replace("&#x27;", "'")
    assert "This cannot be undone." in page
    assert "Forgetting is not the same as removing" in page
    assert "keeps their history" in page
    assert 'type="checkbox" name="understood"' in page
    assert f'href="/i/{intervention.intervention_id}/people/{intervention.person_id}/"' in page
    assert _stored(intervention.intervention_id) == before


@pytest.mark.parametrize("body", [{}, {"understood": ""}, {"understood_": "on"}])
def test_it_forgets_nobody_without_the_tick(
    owner_client: Client, intervention: Started, body: dict[str, str]
) -> None:
    before = _stored(intervention.intervention_id)
    response = owner_client.post(_forget_url(intervention), body)
    assert response.status_code == 200
    page = text_of(response)
    assert 'class="error-summary" role="alert"' in page
    assert "Tick the box to say you understand, or go back. Nothing has been erased." in page
    assert _stored(intervention.intervention_id) == before


def test_it_forgets_the_person_and_keeps_everyone_else(
    owner_client: Client, intervention: Started, second: str
) -> None:
    before = _stored(intervention.intervention_id)
    response = owner_client.post(_forget_url(intervention), {"understood": "on"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/i/{intervention.intervention_id}/"
    assert _stored(intervention.intervention_id) != before
    overview = text_of(owner_client.get(response.headers["Location"]))
    assert CODE_NAME in overview and "Cousin Rangi" in overview
    assert PERSON_ALIAS not in overview and RELATIONSHIP not in overview
    gone = owner_client.get(f"/i/{intervention.intervention_id}/people/{intervention.person_id}/")
    assert gone.status_code == 404
    assert owner_client.get(_forget_url(intervention)).status_code == 404


def test_it_forgets_someone_already_removed_from_the_map(
    owner: accounts.Unlocked, owner_client: Client, intervention: Started
) -> None:
    people.person_remove(
        keyring=owner.keyring,
        intervention_id=intervention.intervention_id,
        person_id=intervention.person_id,
    )
    page = text_of(owner_client.get(_forget_url(intervention)))
    assert "was taken off the map earlier" in page
    response = owner_client.post(_forget_url(intervention), {"understood": "on"})
    assert response.status_code == 302
    state = interventions.intervention_open(
        keyring=fresh(owner.keyring), intervention_id=intervention.intervention_id
    )
    assert state.people == {}


# --- destroying ---------------------------------------------------------------------------


def test_the_intervention_page_links_to_destroying(
    owner_client: Client, intervention: Started
) -> None:
    page = text_of(owner_client.get(f"/i/{intervention.intervention_id}/"))
    assert f'href="{_destroy_url(intervention)}"' in page
    assert "Destroy this intervention…" in page


def test_it_asks_before_destroying_and_says_there_is_no_copy(
    owner_client: Client, intervention: Started
) -> None:
    before = _stored(intervention.intervention_id)
    response = owner_client.get(_destroy_url(intervention))
    page = text_of(response)
    assert response.status_code == 200
    assert title_of(response) == "Destroy an intervention · allymap"
    assert f'type its code name:<br><strong class="confirm-text">{CODE_NAME}</strong>' in page
    assert "This cannot be undone, and there is no copy." in page
    assert "use Quick exit" in page
    assert 'name="code_name"' in page and 'autocomplete="off"' in page
    assert _stored(intervention.intervention_id) == before


@pytest.mark.parametrize(
    "typed", ["", "Quillfeather", "Quillfeather Dusk", "Quillfeather Dawn!", "destroy"]
)
def test_it_destroys_nothing_without_the_code_name(
    owner_client: Client, intervention: Started, typed: str
) -> None:
    before = _stored(intervention.intervention_id)
    response = owner_client.post(_destroy_url(intervention), {"code_name": typed})
    assert response.status_code == 200
    page = text_of(response)
    assert 'class="error-summary" role="alert"' in page
    assert _stored(intervention.intervention_id) == before
    assert owner_client.get(f"/i/{intervention.intervention_id}/").status_code == 200


def test_it_destroys_the_intervention_for_good(
    owner: accounts.Unlocked, owner_client: Client, intervention: Started
) -> None:
    other = interventions.intervention_start(
        keyring=owner.keyring, code_name="Another one", doing_harm_alias="S"
    )
    response = owner_client.post(_destroy_url(intervention), {"code_name": " quillfeather  DAWN "})
    assert response.status_code == 302
    assert response.headers["Location"] == "/interventions/"
    listing = text_of(owner_client.get("/interventions/"))
    assert CODE_NAME not in listing and "Another one" in listing
    assert _stored(intervention.intervention_id) == (False, [], [], [])
    for url in (f"/i/{intervention.intervention_id}/", _destroy_url(intervention)):
        assert owner_client.get(url).status_code == 404
    assert owner_client.get(f"/i/{other}/").status_code == 200


@pytest.mark.parametrize(
    ("typed", "code_name", "same"),
    [
        ("Kowhai", "Kōwhai", True),
        ("KŌWHAI", "kōwhai", True),
        ("tui  ki te\trangi", "Tūī ki te rangi", True),
        ("Kowhai", "Kōwhai tree", False),
        ("Tama", "Tama\u200b", True),  # an invisible character nobody could type
    ],
)
def test_the_code_name_is_compared_without_case_spaces_or_macrons(
    typed: str, code_name: str, same: bool
) -> None:
    assert DestroyForm({"code_name": typed}, code_name=code_name).is_valid() is same


# --- who may ------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["forget", "destroy"])
def test_it_refuses_an_outsider_and_changes_nothing(
    outsider_client: Client, intervention: Started, which: str
) -> None:
    url, body = {
        "forget": (_forget_url(intervention), {"understood": "on"}),
        "destroy": (_destroy_url(intervention), {"code_name": CODE_NAME}),
    }[which]
    before = _stored(intervention.intervention_id)
    for response in (outsider_client.get(url), outsider_client.post(url, body)):
        assert response.status_code == 404
        assert CODE_NAME not in text_of(response) and PERSON_ALIAS not in text_of(response)
    assert _stored(intervention.intervention_id) == before


@pytest.mark.parametrize("which", ["forget", "destroy"])
def test_it_sends_a_locked_visitor_to_unlock_and_changes_nothing(
    owner: accounts.Unlocked, intervention: Started, which: str
) -> None:
    url, body = {
        "forget": (_forget_url(intervention), {"understood": "on"}),
        "destroy": (_destroy_url(intervention), {"code_name": CODE_NAME}),
    }[which]
    before = _stored(intervention.intervention_id)
    locked = Client()
    for response in (locked.get(url), locked.post(url, body)):
        assert locked_out(response)
    assert _stored(intervention.intervention_id) == before


def test_a_team_member_can_forget_and_the_owner_still_reads_the_rest(
    owner: accounts.Unlocked, member_client: Client, intervention: Started, second: str
) -> None:
    response = member_client.post(_forget_url(intervention), {"understood": "on"})
    assert response.status_code == 302
    state = interventions.intervention_open(
        keyring=fresh(owner.keyring), intervention_id=intervention.intervention_id
    )
    assert list(state.people) == [second]
