"""Reflecting on a person, row by row: whose view, stale forms, one row at a time."""

from __future__ import annotations

import html
import re
from typing import Any

from django.test import Client

from allymap.chart import Position, default_chart
from allymap.domain import EVIDENCE_MAX
from allymap.services import accounts, interventions, team
from tests.web.conftest import PERSON_ALIAS, Started
from tests.web.pages import event_count, reflect_form, text_of

EVIDENCE = "She rang him every day after court & stayed calm"
THEIRS = "Aroha saw him walk out of the hui"
MINE = "He told me himself, twice"


def _url(started: Started) -> str:
    return f"/i/{started.intervention_id}/people/{started.person_id}/reflect/"


def _answers() -> dict[str, str]:
    return reflect_form(
        **{
            "position-respected": "ally",
            "evidence-respected": EVIDENCE,
            "position-gives_space": "leans_in_the_way",
        }
    )


def _shown(page: str) -> dict[str, str]:
    """The hidden fields a loaded form carries: the seq shown on each row, and whose
    view it is: what a browser posts back with the answers."""
    fields = dict(re.findall(r'<input type="hidden" name="(shown-[a-z_]+)" value="(\d+)"', page))
    member = re.search(r'<input type="hidden" name="member" value="([^"]*)"', page)
    assert len(fields) == 10 and member, page[:3000]
    return fields | {"member": member.group(1)}


def _load(client: Client, started: Started, query: str = "") -> dict[str, str]:
    """Open the form, as a browser does, and return what posting it unchanged sends."""
    response = client.get(_url(started) + query)
    assert response.status_code == 200
    return _shown(text_of(response))


def _mine(
    owner: accounts.Unlocked, started: Started, member_id: str | None = None
) -> dict[str, Any]:
    """A member's answers as stored now (the account's own by default), by row key."""
    state = interventions.intervention_open(
        keyring=owner.keyring, intervention_id=started.intervention_id
    )
    return state.person(started.person_id).positions.get(member_id or owner.keyring.account_id, {})


def _save_row(
    client: Client, started: Started, loaded: dict[str, str], row: str, **values: str
) -> Any:
    """What the page's script posts when one row is answered."""
    body = {
        "only": row,
        "member": loaded["member"],
        f"shown-{row}": loaded[f"shown-{row}"],
        f"position-{row}": values.get("position", "unknown"),
        f"evidence-{row}": values.get("evidence", ""),
    }
    return client.post(_url(started), body, HTTP_ACCEPT="application/json")


# --- the page -----------------------------------------------------------------------------


def test_it_shows_the_ten_rows_by_topic_with_both_columns(
    owner_client: Client, intervention: Started
) -> None:
    response = owner_client.get(_url(intervention))
    assert response.status_code == 200
    page = text_of(response)
    assert PERSON_ALIAS in page
    assert len(re.findall(r'<fieldset class="row', page)) == 10
    for row in default_chart().rows:
        assert re.search(rf'id="row-{row.key}".*?{re.escape(html.escape(row.topic))}', page, re.S)
        assert html.escape(row.ally) in page and html.escape(row.in_the_way) in page
    # Both halves of the second column, and what "some of both" means.
    assert "might get in the way of accountability and change, but might help the" in page
    assert "Parts of each column fit them" in page
    assert "Leans towards might" not in page
    # The script is this page's own, and says which keys answer.
    assert "allymap/reflect.js" in page
    assert "press 1 to 6" in page


def test_it_says_whose_view_and_offers_the_others(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    aroha = team.member_add(
        keyring=owner.keyring, intervention_id=intervention.intervention_id, name="Aroha"
    )
    page = text_of(owner_client.get(_url(intervention)))
    assert re.search(r"Whose view:\s*<strong>You</strong>", page)
    assert f'href="{_url(intervention)}?member={aroha}"' in page
    page = text_of(owner_client.get(f"{_url(intervention)}?member={aroha}"))
    assert re.search(r"Whose view:\s*<strong>Aroha</strong>", page)
    assert f'name="member" value="{aroha}"' in page


def test_it_records_the_view_of_the_member_chosen(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    aroha = team.member_add(
        keyring=owner.keyring, intervention_id=intervention.intervention_id, name="Aroha"
    )
    loaded = _load(owner_client, intervention, f"?member={aroha}")
    response = owner_client.post(_url(intervention), _answers() | loaded)
    assert response.status_code == 302
    assert _mine(owner, intervention, aroha)["respected"].position is Position.ALLY
    assert "respected" not in _mine(owner, intervention)


def test_it_says_so_when_the_member_asked_for_is_not_on_the_team(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    response = owner_client.get(f"{_url(intervention)}?member=nobody-like-that")
    assert response.status_code == 200
    page = text_of(response)
    assert "That team member is not on the team now" in page
    assert re.search(r"Whose view:\s*<strong>You</strong>", page)

    aroha = team.member_add(
        keyring=owner.keyring, intervention_id=intervention.intervention_id, name="Aroha"
    )
    loaded = _load(owner_client, intervention, f"?member={aroha}")
    team.member_remove(
        keyring=owner.keyring, intervention_id=intervention.intervention_id, member_id=aroha
    )
    before = event_count(intervention.intervention_id)
    response = owner_client.post(_url(intervention), _answers() | loaded)
    assert response.status_code == 200
    page = text_of(response)
    assert "Whose view are these answers?" in page and "nothing was saved" in page
    assert html.escape(EVIDENCE) in page  # what was typed is still there
    assert "Saved" not in page
    assert event_count(intervention.intervention_id) == before


# --- the plain form -------------------------------------------------------------------------


def test_it_records_the_answers(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    before = event_count(intervention.intervention_id)
    response = owner_client.post(_url(intervention), _answers() | _load(owner_client, intervention))
    assert response.status_code == 302
    assert response.headers["Location"] == (
        f"/i/{intervention.intervention_id}/people/{intervention.person_id}/"
    )
    # Only the two rows answered become events; "don't know yet" rows are not recorded.
    assert event_count(intervention.intervention_id) == before + 2
    mine = _mine(owner, intervention)
    assert mine["respected"].position is Position.ALLY
    assert mine["respected"].evidence == EVIDENCE
    assert mine["gives_space"].position is Position.LEANS_IN_THE_WAY


def test_it_refuses_an_invalid_position_in_its_own_words_and_stores_nothing(
    owner_client: Client, intervention: Started
) -> None:
    before = event_count(intervention.intervention_id)
    answers = _answers() | {"position-sees_the_harm": "best_friend"}
    response = owner_client.post(_url(intervention), answers)
    assert response.status_code == 200
    page = text_of(response)
    assert "error-summary" in page
    assert re.search(r'id="row-sees_the_harm"[^>]*>.*?class="error"', page, re.DOTALL)
    assert 'href="#id_position-sees_the_harm_0"' in page
    assert "Please choose one of the answers offered." in page
    assert "Select a valid choice" not in page
    # What was typed elsewhere is still there to save again.
    assert html.escape(EVIDENCE) in page
    assert event_count(intervention.intervention_id) == before


def test_it_refuses_a_missing_position_and_stores_nothing(
    owner_client: Client, intervention: Started
) -> None:
    before = event_count(intervention.intervention_id)
    answers = _answers()
    del answers["position-communicates"]
    response = owner_client.post(_url(intervention), answers)
    assert response.status_code == 200
    page = text_of(response)
    assert "error-summary" in page
    assert "This field is required" not in page
    assert event_count(intervention.intervention_id) == before


def test_it_refuses_too_long_evidence_and_stores_nothing(
    owner_client: Client, intervention: Started
) -> None:
    before = event_count(intervention.intervention_id)
    answers = _answers() | {"evidence-communicates": "w" * (EVIDENCE_MAX + 1)}
    response = owner_client.post(_url(intervention), answers)
    assert response.status_code == 200
    assert re.search(r'id="row-communicates"[^>]*>.*?class="error"', text_of(response), re.DOTALL)
    assert event_count(intervention.intervention_id) == before


def test_it_appends_nothing_when_nothing_changed(
    owner_client: Client, intervention: Started
) -> None:
    response = owner_client.post(_url(intervention), _answers() | _load(owner_client, intervention))
    assert response.status_code == 302
    after_first = event_count(intervention.intervention_id)
    response = owner_client.post(_url(intervention), _answers() | _load(owner_client, intervention))
    assert response.status_code == 302
    assert event_count(intervention.intervention_id) == after_first


def test_it_appends_only_the_row_that_changed(owner_client: Client, intervention: Started) -> None:
    owner_client.post(_url(intervention), _answers() | _load(owner_client, intervention))
    after_first = event_count(intervention.intervention_id)
    changed = _answers() | {"position-respected": "leans_ally"}
    owner_client.post(_url(intervention), changed | _load(owner_client, intervention))
    assert event_count(intervention.intervention_id) == after_first + 1


def test_it_fills_in_the_earlier_answers(owner_client: Client, intervention: Started) -> None:
    owner_client.post(_url(intervention), _answers() | _load(owner_client, intervention))
    page = text_of(owner_client.get(_url(intervention)))
    assert re.search(r'<input[^>]*name="position-respected"[^>]*value="ally"[^>]*checked', page)
    assert re.search(
        r'<input[^>]*name="position-gives_space"[^>]*value="leans_in_the_way"[^>]*checked', page
    )
    assert re.search(
        r'<input[^>]*name="position-communicates"[^>]*value="unknown"[^>]*checked', page
    )
    assert not re.search(
        r'<input[^>]*name="position-respected"[^>]*value="unknown"[^>]*checked', page
    )
    assert re.search(
        r'<textarea[^>]*name="evidence-respected"[^>]*>\s*' + re.escape(html.escape(EVIDENCE)), page
    )
    assert int(_shown(page)["shown-respected"]) > 0
    assert _shown(page)["shown-communicates"] == "0"


def test_it_gives_404_for_a_person_not_on_the_map(
    owner_client: Client, intervention: Started
) -> None:
    url = f"/i/{intervention.intervention_id}/people/no-such-person/reflect/"
    before = event_count(intervention.intervention_id)
    assert owner_client.get(url).status_code == 404
    assert owner_client.post(url, _answers()).status_code == 404
    assert owner_client.post(url, {"only": "respected"}).status_code == 404
    assert event_count(intervention.intervention_id) == before


# --- a form left open never reverts what others saved ------------------------------------------


def test_a_stale_form_does_not_put_back_a_row_saved_since(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    first_tab = _load(owner_client, intervention)
    second_tab = _load(owner_client, intervention)
    # The second tab saves row 2.
    saved = reflect_form(
        **{"position-sees_the_person": "leans_ally", "evidence-sees_the_person": THEIRS}
    )
    assert owner_client.post(_url(intervention), saved | second_tab).status_code == 302
    # The first tab, still showing "don't know yet" on row 2, saves row 1 only.
    response = owner_client.post(
        _url(intervention), reflect_form(**{"position-respected": "ally"}) | first_tab
    )
    assert response.status_code == 302
    mine = _mine(owner, intervention)
    assert mine["sees_the_person"].position is Position.LEANS_ALLY
    assert mine["sees_the_person"].evidence == THEIRS
    assert mine["respected"].position is Position.ALLY


def test_a_stale_form_that_changed_the_same_row_shows_a_difference_to_settle(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    first_tab = _load(owner_client, intervention)
    second_tab = _load(owner_client, intervention)
    theirs = {"position-sees_the_person": "leans_ally", "evidence-sees_the_person": THEIRS}
    assert (
        owner_client.post(_url(intervention), reflect_form(**theirs) | second_tab).status_code
        == 302
    )
    before = event_count(intervention.intervention_id)
    mine = {
        "position-sees_the_person": "in_the_way",
        "evidence-sees_the_person": MINE,
        "position-respected": "ally",
    }
    response = owner_client.post(_url(intervention), reflect_form(**mine) | first_tab)
    assert response.status_code == 200
    page = text_of(response)
    # Row 1 was saved and is said to be; row 2 was not overwritten, and is shown to settle.
    assert event_count(intervention.intervention_id) == before + 1
    stored = _mine(owner, intervention)
    assert stored["sees_the_person"].position is Position.LEANS_ALLY
    assert stored["respected"].position is Position.ALLY
    assert re.search(r"Saved: your answers on\s*1\. Relationship\.", page)
    difference = re.search(r'id="row-sees_the_person".*?</fieldset>', page, re.S)
    assert difference, page[:3000]
    row = difference.group(0)
    assert "Someone changed this while you had the page open" in row
    assert html.escape(THEIRS) in row and html.escape(MINE) in row
    # The row now shows their answer, at its seq: posting again unchanged keeps it, and
    # choosing mine again records mine.
    assert re.search(r'name="position-sees_the_person" value="leans_ally"[^>]*checked', row)
    again = _shown(page)
    assert int(again["shown-sees_the_person"]) == stored["sees_the_person"].seq
    kept = reflect_form(**theirs, **{"position-respected": "ally"}) | again
    assert owner_client.post(_url(intervention), kept).status_code == 302
    assert event_count(intervention.intervention_id) == before + 1
    mine_again = reflect_form(**mine) | again
    assert owner_client.post(_url(intervention), mine_again).status_code == 302
    assert _mine(owner, intervention)["sees_the_person"].evidence == MINE


def test_a_form_that_says_nothing_of_what_it_showed_never_overwrites(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    """A form posted without its shown seqs (an old page) counts as having shown no
    answers: a changed row with an answer is a difference, never an overwrite."""
    owner_client.post(_url(intervention), _answers() | _load(owner_client, intervention))
    response = owner_client.post(_url(intervention), _answers() | {"position-respected": "mixed"})
    assert response.status_code == 200
    assert "Someone changed this while you had the page open" in text_of(response)
    assert _mine(owner, intervention)["respected"].position is Position.ALLY


def test_nothing_says_saved_when_nothing_was_saved(
    owner_client: Client, intervention: Started
) -> None:
    first_tab = _load(owner_client, intervention)
    theirs = reflect_form(**{"position-respected": "leans_ally"})
    owner_client.post(_url(intervention), theirs | _load(owner_client, intervention))
    response = owner_client.post(
        _url(intervention), reflect_form(**{"position-respected": "ally"}) | first_tab
    )
    assert response.status_code == 200
    page = text_of(response)
    assert "Someone else changed a row while you had this page open" in page
    assert "Saved" not in page
    assert "None of your changes needed saving apart from these." in page


# --- one row at a time (the page's script) -------------------------------------------------------


def test_it_saves_one_row_and_answers_in_json(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    loaded = _load(owner_client, intervention)
    before = event_count(intervention.intervention_id)
    response = _save_row(
        owner_client, intervention, loaded, "communicates", position="mixed", evidence=MINE
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    answer = response.json()
    stored = _mine(owner, intervention)["communicates"]
    assert answer["saved"] is True and answer["conflict"] is False
    assert answer["seq"] == stored.seq
    assert answer["message"] == "Saved"
    assert stored.position is Position.MIXED and stored.evidence == MINE
    # One row posted, one event: the other rows of the form were not touched.
    assert event_count(intervention.intervention_id) == before + 1
    # Its evidence, saved again with the seq the first save returned, is a plain change.
    loaded["shown-communicates"] = str(answer["seq"])
    answer = _save_row(
        owner_client, intervention, loaded, "communicates", position="mixed", evidence=THEIRS
    ).json()
    assert answer["saved"] is True
    assert _mine(owner, intervention)["communicates"].evidence == THEIRS


def test_a_row_saved_from_a_stale_page_comes_back_as_a_difference(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    stale = _load(owner_client, intervention)
    fresh = _load(owner_client, intervention)
    _save_row(
        owner_client, intervention, fresh, "respected", position="leans_ally", evidence=THEIRS
    )
    theirs = _mine(owner, intervention)["respected"]
    before = event_count(intervention.intervention_id)

    answer = _save_row(owner_client, intervention, stale, "respected", position="ally").json()
    assert answer["saved"] is False and answer["conflict"] is True
    assert answer["seq"] == theirs.seq
    assert answer["position"] == "leans_ally" and answer["evidence"] == THEIRS
    assert "Someone changed this while you had the page open" in answer["message"]
    assert "Saved" not in answer["message"]
    assert event_count(intervention.intervention_id) == before

    # A stale page that did not change the row is told what it is now, and saves nothing.
    answer = _save_row(owner_client, intervention, stale, "respected", position="unknown").json()
    assert answer["saved"] is False and answer["conflict"] is False
    assert answer["position"] == "leans_ally"
    assert event_count(intervention.intervention_id) == before


def test_one_row_is_refused_in_json_and_saves_nothing(
    owner_client: Client, intervention: Started
) -> None:
    loaded = _load(owner_client, intervention)
    before = event_count(intervention.intervention_id)
    too_long = _save_row(
        owner_client, intervention, loaded, "respected", position="ally", evidence="w" * 5000
    )
    assert too_long.status_code == 400
    assert too_long.json()["saved"] is False
    assert "characters" in too_long.json()["message"]
    not_a_row = owner_client.post(_url(intervention), {"only": "favourite_colour"})
    assert not_a_row.status_code == 400 and not_a_row.json()["saved"] is False
    gone = _save_row(
        owner_client, intervention, loaded | {"member": "nobody"}, "respected", position="ally"
    )
    assert gone.status_code == 400 and "not on the team" in gone.json()["message"]
    assert event_count(intervention.intervention_id) == before
