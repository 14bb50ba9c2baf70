"""The check-ins page: a dated check-in (what happened, small wins, worries, whose position
to revisit) added once however often its form is posted, refused in allymap's own words
when it cannot be kept, and the earlier ones listed newest first, each person to revisit
linked to their page and to reflecting on them again."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from allymap.domain import CHECK_IN_MAX
from allymap.services import accounts, follow, people
from tests.web.conftest import CODE_NAME, PERSON_ALIAS, Started
from tests.web.pages import stored_log, text_of, title_of


def _url(started: Started) -> str:
    return f"/i/{started.intervention_id}/check-ins/"


def _once(page: str) -> str:
    match = re.search(r'name="once" value="([^"]+)"', page)
    assert match, page
    return match.group(1)


def _check_ins(owner: accounts.Unlocked, started: Started) -> list[follow.CheckInLine]:
    reading = follow.check_ins_reading(
        keyring=owner.keyring, intervention_id=started.intervention_id
    )
    return list(reading.check_ins)


def test_it_asks_for_a_dated_check_in_and_offers_the_people_on_the_map(
    owner_client: Client, intervention: Started
) -> None:
    response = owner_client.get(_url(intervention))
    assert response.status_code == 200
    assert title_of(response) == "Check-ins · allymap"
    page = text_of(response)
    assert CODE_NAME in page
    assert "Small wins to celebrate" in page and "Worries" in page
    today = timezone.localdate().isoformat()
    assert f'<input type="date" name="on" value="{today}"' in page
    assert "like 2025-03-14" in page
    assert (
        f'<input type="checkbox" name="revisit" value="{intervention.person_id}" '
        f'id="id_revisit_0"> {PERSON_ALIAS}</label>'
    ) in page
    assert "No check-ins yet" in page
    assert f'href="/i/{intervention.intervention_id}/timeline/"' in page


def test_it_adds_a_check_in_once_however_often_the_form_is_posted(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    form = {
        "on": "2025-03-14",
        "happened": "We met at the marae; he listened.",
        "wins": "He came on time.",
        "worries": "His brother is angry with Aroha.",
        "revisit": [intervention.person_id],
        "once": _once(text_of(owner_client.get(_url(intervention)))),
    }
    before = stored_log(intervention.intervention_id)
    first = owner_client.post(_url(intervention), form)
    second = owner_client.post(_url(intervention), form)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert len(stored_log(intervention.intervention_id)) == len(before) + 1
    (added,) = _check_ins(owner, intervention)
    assert first.headers["Location"] == f"{_url(intervention)}#check-in-{added.check_in_id}"
    assert (added.on, added.happened, added.wins, added.worries) == (
        date(2025, 3, 14),
        "We met at the marae; he listened.",
        "He came on time.",
        "His brother is angry with Aroha.",
    )
    assert [p.person_id for p in added.revisit] == [intervention.person_id]

    page = text_of(owner_client.get(_url(intervention)))
    assert '<time datetime="2025-03-14">Friday 14 March 2025</time>' in page
    for words in ("We met at the marae; he listened.", "He came on time.", "angry with Aroha"):
        assert words in page
    person = f"/i/{intervention.intervention_id}/people/{intervention.person_id}/"
    assert f'<a href="{person}">{PERSON_ALIAS}</a>' in page
    assert f'href="{person}reflect/">reflect on {PERSON_ALIAS} again</a>' in page
    assert "No check-ins yet" not in page


def test_someone_to_revisit_alone_is_enough(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    response = owner_client.post(
        _url(intervention), {"on": "2025-03-14", "revisit": [intervention.person_id]}
    )
    assert response.status_code == 302, text_of(response)
    (added,) = _check_ins(owner, intervention)
    assert (added.happened, added.wins, added.worries) == ("", "", "")


def test_it_lists_earlier_check_ins_newest_first_by_their_day(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    ids = {"keyring": owner.keyring, "intervention_id": intervention.intervention_id}
    follow.check_in_add(**ids, on=date(2025, 3, 7), happened="the second week")
    follow.check_in_add(**ids, on=date(2025, 3, 21), happened="the fourth week")
    # Written up later, about an earlier day: it goes by its day, not by when it was typed.
    follow.check_in_add(**ids, on=date(2025, 2, 28), happened="the first week")
    page = text_of(owner_client.get(_url(intervention)))
    found = [page.index(f"the {n} week") for n in ("fourth", "second", "first")]
    assert found == sorted(found)


def test_someone_taken_off_the_map_since_is_named_without_a_link(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    ids = {"keyring": owner.keyring, "intervention_id": intervention.intervention_id}
    follow.check_in_add(**ids, on=date(2025, 3, 7), revisit=[intervention.person_id])
    people.person_remove(**ids, person_id=intervention.person_id)
    page = text_of(owner_client.get(_url(intervention)))
    assert f'{PERSON_ALIAS} <span class="hint">(no longer on the map)</span>' in page
    assert f'people/{intervention.person_id}/"' not in page
    # Nobody left to choose: no empty group of tick boxes.
    assert 'type="checkbox"' not in page
    assert "Once there are people on the map" in page


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        (
            {"on": "2025-03-14"},
            "happened",
            "Write something in at least one of these boxes (what happened, a win or a worry), "
            "or choose someone whose position to revisit.",
        ),
        (
            {"on": "14/03/2025", "happened": "x"},
            "on",
            "allymap could not read this as a day. Please write it as year, month and day "
            "with dashes between, like 2025-03-14.",
        ),
        ({"on": "", "happened": "x"}, "on", "Please give the day, like 2025-03-14."),
        (
            {"on": (timezone.localdate() + timedelta(days=9)).isoformat(), "happened": "x"},
            "on",
            "That day is still to come. Please choose today or a day before it.",
        ),
        (
            {"on": "1066-10-14", "happened": "x"},
            "on",
            "This is outside what allymap can keep here. Please check the number or the date.",
        ),
        (
            {"on": "2025-03-14", "wins": "x" * (CHECK_IN_MAX + 1)},
            "wins",
            f"There is room for up to {CHECK_IN_MAX} characters here",
        ),
        (
            {"on": "2025-03-14", "worries": "his\u202ebrother"},
            "worries",
            "invisible or direction-changing character",
        ),
        (
            {"on": "2025-03-14", "revisit": ["not-someone-on-the-map"]},
            "revisit",
            "Please choose one of the answers offered.",
        ),
    ],
    ids=[
        "nothing",
        "not a day",
        "no day",
        "still to come",
        "too long ago",
        "too long",
        "disguising",
        "not on the map",
    ],
)
def test_it_refuses_what_it_cannot_keep_beside_the_field_in_its_own_words(
    owner_client: Client, intervention: Started, fields: dict[str, str], field: str, words: str
) -> None:
    before = stored_log(intervention.intervention_id)
    response = owner_client.post(_url(intervention), fields)
    assert response.status_code == 200
    page = text_of(response)
    assert re.search(
        rf'<p class="error" id="id_{field}-error"><span>[^<]*{re.escape(words)}', page
    ), page
    assert "Something here needs another look" in page
    assert "This field is required" not in page and "Enter a valid date" not in page
    assert stored_log(intervention.intervention_id) == before


def test_what_was_typed_comes_back_with_a_refusal(
    owner_client: Client, intervention: Started
) -> None:
    response = owner_client.post(
        _url(intervention), {"on": "not a day", "happened": "kept while I fix the day"}
    )
    assert ">\nkept while I fix the day</textarea>" in text_of(response)


def test_it_refuses_an_outsider_and_adds_nothing(
    outsider_client: Client, intervention: Started
) -> None:
    before = stored_log(intervention.intervention_id)
    assert outsider_client.get(_url(intervention)).status_code == 404
    response = outsider_client.post(_url(intervention), {"on": "2025-03-14", "happened": "x"})
    assert response.status_code == 404
    assert CODE_NAME not in text_of(response)
    assert stored_log(intervention.intervention_id) == before
