"""Renaming an intervention or changing its aliases, and archiving it or bringing it back:
archived ones are listed apart on My interventions, still openable, and the overview says
so with a button to bring it back."""

from __future__ import annotations

import html

import pytest
from django.test import Client

from allymap.domain import CODE_NAME_MAX
from allymap.services import accounts, interventions
from tests.web.conftest import CODE_NAME, DOING_HARM_ALIAS, HARMED_ALIAS, Started
from tests.web.pages import stored_log, text_of, title_of


def _url(started: Started) -> str:
    return f"/i/{started.intervention_id}/change/"


def _overview(started: Started) -> str:
    return f"/i/{started.intervention_id}/"


def test_the_form_shows_the_names_as_they_are(owner_client: Client, intervention: Started) -> None:
    before = stored_log(intervention.intervention_id)
    response = owner_client.get(_url(intervention))
    assert response.status_code == 200
    assert title_of(response) == "Rename or archive · allymap"
    page = text_of(response)
    for name, value in (
        ("code_name", CODE_NAME),
        ("doing_harm_alias", DOING_HARM_ALIAS),
        ("harmed_alias", HARMED_ALIAS),
    ):
        assert f'name="{name}" value="{html.escape(value)}"' in page
    assert 'name="archive" value="yes"' in page
    assert 'name="once"' not in page
    assert f'href="{_url(intervention)}">Rename or archive</a>' in text_of(
        owner_client.get(_overview(intervention))
    )
    assert stored_log(intervention.intervention_id) == before


def test_a_rename_is_saved_and_shown(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    body = {"code_name": "Low tide", "doing_harm_alias": "Z", "harmed_alias": ""}
    response = owner_client.post(_url(intervention), body)
    assert response.status_code == 302, text_of(response)
    assert response.headers["Location"] == _overview(intervention)
    state = interventions.intervention_open(
        keyring=owner.keyring, intervention_id=intervention.intervention_id
    )
    assert (state.code_name, state.doing_harm_alias, state.harmed_alias) == ("Low tide", "Z", "")
    page = text_of(owner_client.get(_overview(intervention)))
    assert "Low tide" in page and CODE_NAME not in page and HARMED_ALIAS not in page
    assert "Low tide" in text_of(owner_client.get("/interventions/"))


def test_nothing_is_stored_when_nothing_changed(
    owner_client: Client, intervention: Started
) -> None:
    before = stored_log(intervention.intervention_id)
    body = {
        "code_name": f" {CODE_NAME} ",
        "doing_harm_alias": DOING_HARM_ALIAS,
        "harmed_alias": HARMED_ALIAS,
    }
    assert owner_client.post(_url(intervention), body).status_code == 302
    assert stored_log(intervention.intervention_id) == before


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"code_name": "", "doing_harm_alias": "Z"}, "code_name", "Please fill this in."),
        ({"code_name": "Low tide", "doing_harm_alias": ""}, "doing_harm_alias", "Please fill"),
        (
            {"code_name": "x" * (CODE_NAME_MAX + 1), "doing_harm_alias": "Z"},
            "code_name",
            f"There is room for up to {CODE_NAME_MAX} characters",
        ),
        (
            {"code_name": "Low\u202etide", "doing_harm_alias": "Z"},
            "code_name",
            "invisible or direction-changing character",
        ),
    ],
    ids=["no code name", "no alias", "too long", "disguising"],
)
def test_a_name_it_cannot_keep_is_refused_beside_its_field(
    owner_client: Client, intervention: Started, body: dict[str, str], field: str, words: str
) -> None:
    before = stored_log(intervention.intervention_id)
    response = owner_client.post(_url(intervention), body)
    assert response.status_code == 200
    page = text_of(response)
    assert f'id="id_{field}' in page and words in page
    assert "This field is required" not in page
    assert stored_log(intervention.intervention_id) == before


def test_archive_lists_it_apart_and_bring_back_returns_it(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    other = interventions.intervention_start(
        keyring=owner.keyring, code_name="Still going", doing_harm_alias="K"
    )
    response = owner_client.post(_url(intervention), {"archive": "yes"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/interventions/"
    listed = text_of(owner_client.get("/interventions/"))
    current, archived = listed.split('<h2 id="archived-heading">Archived</h2>')
    assert "Still going" in current and CODE_NAME not in current
    assert CODE_NAME in archived and f'href="{_overview(intervention)}"' in archived
    assert other not in archived

    # Still openable: the overview says it is archived, with a button to bring it back.
    page = text_of(owner_client.get(_overview(intervention)))
    assert "This intervention is archived" in page
    assert f'action="{_url(intervention)}"' in page and 'name="archive" value="no"' in page
    change = text_of(owner_client.get(_url(intervention)))
    assert 'name="archive" value="no"' in change and 'name="archive" value="yes"' not in change

    response = owner_client.post(_url(intervention), {"archive": "no"})
    assert response.status_code == 302
    assert response.headers["Location"] == _overview(intervention)
    assert "Archived" not in text_of(owner_client.get("/interventions/"))
    assert "This intervention is archived" not in text_of(owner_client.get(_overview(intervention)))


def test_archiving_twice_stores_it_once(owner_client: Client, intervention: Started) -> None:
    owner_client.post(_url(intervention), {"archive": "yes"})
    before = stored_log(intervention.intervention_id)
    owner_client.post(_url(intervention), {"archive": "yes"})
    assert stored_log(intervention.intervention_id) == before


def test_everything_archived_still_shows_a_way_to_start(
    owner_client: Client, intervention: Started
) -> None:
    owner_client.post(_url(intervention), {"archive": "yes"})
    page = text_of(owner_client.get("/interventions/"))
    assert "Every intervention you are working on is archived." in page
    assert 'href="/interventions/new/"' in page
