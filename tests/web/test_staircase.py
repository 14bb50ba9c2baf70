"""The staircase of change: six steps drawn so they read without colour, where things stand
marked in words, what the toolkit says about the climb, notes added once however often
the form is posted and listed newest first, and the overview showing the current step and
the latest note."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client

from allymap.domain import CHECK_IN_MAX, Step
from allymap.services import accounts, follow
from tests.web.conftest import CODE_NAME, Started
from tests.web.pages import stored_log, text_of, title_of

STEPS = [
    "Stop the immediate violence",
    "Recognise the violence",
    "Recognise its consequences, without excuses",
    "Make repair for the harm",
    "Change attitudes and behaviour",
    "Help build a healthier community",
]


def _url(started: Started) -> str:
    return f"/i/{started.intervention_id}/staircase/"


def _once(page: str) -> str:
    match = re.search(r'name="once" value="([^"]+)"', page)
    assert match, page
    return match.group(1)


def _stairs(page: str) -> str:
    match = re.search(r'<ol class="fw-stairs">(.*?)</ol>', page, re.DOTALL)
    assert match, page
    return match.group(1)


def test_it_draws_the_six_steps_in_words_and_says_what_the_climb_is(
    owner_client: Client, intervention: Started
) -> None:
    response = owner_client.get(_url(intervention))
    assert response.status_code == 200
    assert title_of(response) == "The staircase of change · allymap"
    page = text_of(response)
    assert CODE_NAME in page
    stairs = _stairs(page)
    found = [stairs.index(f"<strong>{step}</strong>") for step in STEPS]
    assert found == sorted(found), "the steps, from the first up, in the page's order"
    for n in range(1, 7):
        assert f'<span class="fw-num">Step {n}</span>' in stairs
    assert "aria-current" not in stairs and "Where things stand now" not in stairs
    assert "Nothing noted yet" in page
    for words in (
        "Change may come one step at a time, and each step matters.",
        "Allies support the climb",
        "with care and without excuses",
        "Change is rarely a straight line.",
        "slip back to a step below and be climbed again",
        "stopping the immediate violence is the whole goal",
        "not a judgement of anyone",
    ):
        assert words in page, words
    # The form: a radio for each step, a day, and the team's words.
    assert page.count('type="radio" name="step"') == 6
    assert '<input type="date" name="on"' in page
    assert '<textarea name="text"' in page


def test_it_adds_a_note_once_and_marks_where_things_stand(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    form = {
        "step": "recognise_consequences",
        "on": "2025-04-02",
        "text": "He said, unprompted, that the tamariki were frightened.",
        "once": _once(text_of(owner_client.get(_url(intervention)))),
    }
    before = stored_log(intervention.intervention_id)
    first = owner_client.post(_url(intervention), form)
    second = owner_client.post(_url(intervention), form)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == f"{_url(intervention)}#notes"
    assert len(stored_log(intervention.intervention_id)) == len(before) + 1
    reading = follow.staircase_reading(
        keyring=owner.keyring, intervention_id=intervention.intervention_id
    )
    assert reading.staircase.current == "recognise_consequences"
    assert len(reading.staircase.notes) == 1

    page = text_of(owner_client.get(_url(intervention)))
    stairs = _stairs(page)
    (now,) = re.findall(r'<li class="[^"]*fw-now"[^>]*>(.*?)</li>', stairs, re.DOTALL)
    assert "<strong>Recognise its consequences, without excuses</strong>" in now
    assert "Where things stand now" in now
    assert stairs.count("aria-current") == 1
    assert "Step 3: Recognise its consequences, without excuses (noted for 2 April 2025)." in page
    assert '<time datetime="2025-04-02">Wednesday 2 April 2025</time>' in page
    assert "He said, unprompted, that the tamariki were frightened." in page


def test_notes_are_newest_first_and_the_latest_day_says_where_things_stand(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    ids = {"keyring": owner.keyring, "intervention_id": intervention.intervention_id}
    follow.staircase_note(**ids, step=Step.MAKE_REPAIR, on=date(2025, 5, 1), text="repair began")
    # Noted afterwards, about an earlier day: things stood lower then.
    follow.staircase_note(**ids, step=Step.STOP_VIOLENCE, on=date(2025, 4, 1), text="it stopped")
    # And then back down a step: the staircase is not a straight line.
    follow.staircase_note(
        **ids, step=Step.RECOGNISE_VIOLENCE, on=date(2025, 6, 1), text="he slipped back"
    )
    page = text_of(owner_client.get(_url(intervention)))
    found = [page.index(words) for words in ("he slipped back", "repair began", "it stopped")]
    assert found == sorted(found)
    assert "Step 2: Recognise the violence (noted for 1 June 2025)." in page


def test_the_overview_shows_the_current_step_and_the_latest_note(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    overview_url = f"/i/{intervention.intervention_id}/"
    page = text_of(owner_client.get(overview_url))
    assert "Nothing noted on the staircase of change yet." in page
    for name in ("staircase", "check-ins", "timeline"):
        assert f'href="/i/{intervention.intervention_id}/{name}/"' in page
    ids = {"keyring": owner.keyring, "intervention_id": intervention.intervention_id}
    follow.staircase_note(**ids, step=Step.STOP_VIOLENCE, on=date(2025, 4, 1), text="older")
    follow.staircase_note(
        **ids, step=Step.CHANGE_BEHAVIOUR, on=date(2025, 4, 9), text="He walked away, calmly."
    )
    page = text_of(owner_client.get(overview_url))
    assert (
        "On the staircase of change, things stand at step 5: Change attitudes and behaviour."
        in page
    )
    assert "Latest note, for 9 April 2025:" in page
    assert "He walked away, calmly." in page and "older" not in page
    assert _stairs(page).count('aria-current="step"') == 1


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"on": "2025-04-02", "text": "x"}, "step", "Please choose one of the answers."),
        (
            {"step": "top_of_the_stairs", "on": "2025-04-02"},
            "step",
            "Please choose one of the answers offered.",
        ),
        (
            {"step": "make_repair", "on": "2 April"},
            "on",
            "allymap could not read this as a day.",
        ),
        (
            {"step": "make_repair", "on": "2025-04-02", "text": "x" * (CHECK_IN_MAX + 1)},
            "text",
            f"There is room for up to {CHECK_IN_MAX} characters here",
        ),
        (
            {"step": "make_repair", "on": "2025-04-02", "text": "a\x07bell"},
            "text",
            "invisible control character",
        ),
    ],
    ids=["no step", "not a step", "not a day", "too long", "control character"],
)
def test_it_refuses_what_it_cannot_keep_in_its_own_words(
    owner_client: Client, intervention: Started, fields: dict[str, str], field: str, words: str
) -> None:
    before = stored_log(intervention.intervention_id)
    response = owner_client.post(_url(intervention), fields)
    assert response.status_code == 200
    page = text_of(response)
    assert re.search(
        rf'<p class="error" id="id_{field}-error"><span>[^<]*{re.escape(words)}', page
    ), page
    assert "This field is required" not in page
    assert stored_log(intervention.intervention_id) == before


def test_it_refuses_an_outsider_and_notes_nothing(
    outsider_client: Client, intervention: Started
) -> None:
    before = stored_log(intervention.intervention_id)
    assert outsider_client.get(_url(intervention)).status_code == 404
    response = outsider_client.post(_url(intervention), {"step": "make_repair", "on": "2025-04-02"})
    assert response.status_code == 404
    assert CODE_NAME not in text_of(response)
    assert stored_log(intervention.intervention_id) == before
