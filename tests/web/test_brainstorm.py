"""The brainstorm page: prompts across the person's whole life, always reachable from the
overview, and several people added at once, one a line, all or nothing, without being
sent into the ten rows."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from allymap.domain import ALIAS_MAX
from allymap.services import accounts, interventions
from allymap.services.people import BRAINSTORM_MAX_LINES
from tests.web.conftest import CODE_NAME, DOING_HARM_ALIAS, PERSON_ALIAS, Started
from tests.web.pages import stored_log, text_of, title_of


def _url(started: Started) -> str:
    return f"/i/{started.intervention_id}/brainstorm/"


def _aliases(owner: accounts.Unlocked, started: Started) -> list[str]:
    overview = interventions.intervention_overview(
        keyring=owner.keyring, intervention_id=started.intervention_id
    )
    return [p.alias for p in overview.people]


def test_it_prompts_across_the_whole_life(owner_client: Client, intervention: Started) -> None:
    response = owner_client.get(_url(intervention))
    assert response.status_code == 200
    assert title_of(response) == "Brainstorm · allymap"
    page = text_of(response)
    for words in (
        CODE_NAME,
        DOING_HARM_ALIAS,
        "Whānau near and far",
        "Kaumātua and kuia",
        "Old friends",
        "Workmates",
        "Sport and clubs",
        "Faith and marae",
        "Neighbours",
        "Online communities",
        "Helpful professionals",
        "Who do they respect, or care about?",
        "Who has seen them at their best?",
        "Who have they listened to before",
        "Who could become an ally with a little help, and who could give that help?",
        "could help the intervention in other ways",
        "not the first ones who come to mind",
    ):
        assert words in page, words
    assert '<textarea name="aliases"' in page
    assert "Already on the map" in page and PERSON_ALIAS in page


def test_the_overview_always_links_to_it(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    assert f'href="{_url(intervention)}"' in text_of(
        owner_client.get(f"/i/{intervention.intervention_id}/")
    )
    empty = interventions.intervention_start(
        keyring=owner.keyring, code_name="Empty one", doing_harm_alias="K"
    )
    page = text_of(owner_client.get(f"/i/{empty}/"))
    assert f'href="/i/{empty}/brainstorm/"' in page
    assert "faith and marae" in page and "church" not in page


def test_it_adds_several_people_once_and_shows_who_was_added(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    page = text_of(owner_client.get(_url(intervention)))
    once = re.search(r'name="once" value="([^"]+)"', page)
    assert once, page
    form = {"aliases": "Coach P\n\n  Aunty Mere  \r\nNan", "once": once.group(1)}
    before = stored_log(intervention.intervention_id)
    first = owner_client.post(_url(intervention), form)
    second = owner_client.post(_url(intervention), form)
    assert first.status_code == second.status_code == 302, text_of(first)
    assert first.headers["Location"] == second.headers["Location"]
    assert first.headers["Location"].startswith(f"{_url(intervention)}?added=")
    assert len(stored_log(intervention.intervention_id)) == len(before) + 3
    assert _aliases(owner, intervention) == [PERSON_ALIAS, "Coach P", "Aunty Mere", "Nan"]

    shown = text_of(owner_client.get(first.headers["Location"]))
    assert "3 people added to the map" in shown
    added = shown.split("people added to the map", 1)[1].split("</section>", 1)[0]
    for alias in ("Coach P", "Aunty Mere", "Nan"):
        assert alias in added
    assert PERSON_ALIAS not in added  # listed with those already on the map instead
    assert added.count("Reflect on the ten rows") == 3
    assert "Nobody has been asked or told anything" in added


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("Coach P\nNan\x07\nMere", "Line 2: This contains an invisible control character"),
        (f"Coach P\n\n{'x' * (ALIAS_MAX + 1)}", "Line 3: There is room for up to 80 characters"),
        ("Coach P\nMa\u200bry", "Line 2: This contains an invisible or direction-changing"),
    ],
    ids=["control character", "too long", "disguising"],
)
def test_a_line_it_cannot_keep_is_named_and_nobody_is_added(
    owner_client: Client, intervention: Started, typed: str, words: str
) -> None:
    before = stored_log(intervention.intervention_id)
    response = owner_client.post(_url(intervention), {"aliases": typed})
    assert response.status_code == 200
    page = text_of(response)
    assert words in page
    assert "Nobody has been added yet" in page
    assert "Coach P" in page  # what was typed is kept
    assert stored_log(intervention.intervention_id) == before


def test_too_many_lines_are_refused_in_words(owner_client: Client, intervention: Started) -> None:
    before = stored_log(intervention.intervention_id)
    typed = "\n".join(f"Person {n}" for n in range(BRAINSTORM_MAX_LINES + 1))
    response = owner_client.post(_url(intervention), {"aliases": typed})
    assert response.status_code == 200
    assert f"There is room for up to {BRAINSTORM_MAX_LINES} people at once" in text_of(response)
    assert stored_log(intervention.intervention_id) == before


@pytest.mark.parametrize("typed", ["", "  \n\n \t"], ids=["empty", "blank lines"])
def test_an_empty_box_is_refused_in_allymaps_words(
    owner_client: Client, intervention: Started, typed: str
) -> None:
    before = stored_log(intervention.intervention_id)
    response = owner_client.post(_url(intervention), {"aliases": typed})
    assert response.status_code == 200
    page = text_of(response)
    assert "Please fill this in." in page
    assert "This field is required" not in page
    assert stored_log(intervention.intervention_id) == before


def test_an_added_list_names_nobody_who_is_not_on_the_map(
    owner_client: Client, intervention: Started
) -> None:
    page = text_of(owner_client.get(f"{_url(intervention)}?added=made-up.{intervention.person_id}"))
    added = page.split("person added to the map", 1)[1].split("</section>", 1)[0]
    assert PERSON_ALIAS in added and "made-up" not in page
