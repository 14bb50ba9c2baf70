"""A person's page: the rows first, each member's answer in the chart's words, counts that
agree with the rows, differences to talk about and mark talked through, and the history."""

from __future__ import annotations

import html
import re

import pytest
from django.http import HttpResponse
from django.test import Client

from allymap.chart import Position, default_chart
from allymap.domain import NOTE_MAX
from allymap.services import accounts, interventions, people, positions, summary, team
from allymap.services.people import Details
from allymap.web.words import POSITION_LABELS, POSITION_MARKS
from tests.web.conftest import PERSON_ALIAS, RELATIONSHIP, Started
from tests.web.pages import event_count, text_of

ROWS = default_chart().rows


def _said(position: Position) -> str:
    """A position as the page words it: its mark, then its label."""
    return f"{POSITION_MARKS[position]} {POSITION_LABELS[position]}"


def _label(position: Position) -> str:
    return str(POSITION_LABELS[position])


def _url(started: Started) -> str:
    return f"/i/{started.intervention_id}/people/{started.person_id}/"


def _talked(started: Started) -> str:
    return f"/i/{started.intervention_id}/people/{started.person_id}/talked/"


def _page(client: Client, started: Started) -> str:
    """The page's text, tags dropped and spaces squeezed, as a reader meets it."""
    response = client.get(_url(started))
    assert response.status_code == 200
    return _words(text_of(response))


def _words(page: str) -> str:
    body = page.split('<main id="main">', 1)[1].split("</main>", 1)[0]
    # What the screen shows: a print-only name (for "You" on paper) is not on it.
    body = re.sub(r'<span class="print-only[^"]*">[^<]*</span>', "", body)
    body = re.sub(r'<span class="screen-only">([^<]*)</span>', r"\1", body)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def _two_views(owner: accounts.Unlocked, started: Started) -> str:
    """Aroha joins the team; she and the owner see row 1 far apart. Her member id."""
    ids = {"keyring": owner.keyring, "intervention_id": started.intervention_id}
    aroha = team.member_add(**ids, name="Aroha")
    positions.positions_record(
        **ids,
        person_id=started.person_id,
        positions={"respected": (Position.ALLY, "He listens to her")},
    )
    positions.positions_record(
        **ids,
        person_id=started.person_id,
        positions={"respected": (Position.IN_THE_WAY, "She excuses him")},
        member_id=aroha,
    )
    return aroha


def test_nobody_has_answered_yet(owner_client: Client, intervention: Started) -> None:
    page = _page(owner_client, intervention)
    assert PERSON_ALIAS in page and RELATIONSHIP in page
    assert "Nobody on the team has reflected on them yet" in page
    assert f'href="{_url(intervention)}reflect/"' in text_of(owner_client.get(_url(intervention)))
    # Every row, under its neutral topic, asks its questions; no counts of nothing.
    for row in ROWS:
        assert row.topic in page and row.questions[0] in page
    assert page.count("Questions to find out") == len(ROWS)
    assert "Counting the answers" not in page and " 0 " not in page
    assert "Nothing has changed yet." in page


def test_it_shows_each_members_answer_in_the_charts_words_and_where_they_differ(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    _two_views(owner, intervention)
    page = _page(owner_client, intervention)
    first = ROWS[0]
    assert (
        f"You: {_said(Position.ALLY)} “This person {first.ally}” "
        "What makes you think so: “He listens to her”"
    ) in page
    assert (
        f"Aroha: {_said(Position.IN_THE_WAY)} “This person {first.in_the_way}” "
        "What makes them think so: “She excuses him”"
    ) in page
    # The rows come first, then the counts: one answer each, 18 "don't know yet".
    assert page.index(first.topic) < page.index("Counting the answers")
    assert f"{_said(Position.ALLY)} 1 answer " in page
    assert f"{_said(Position.IN_THE_WAY)} 1 answer " in page
    assert f"{_said(Position.UNKNOWN)} 18 answers" in page
    assert f"{_said(Position.MIXED)} 0 answers" in page
    assert "Nobody knows yet about 9 rows: they are questions to find out." in page
    assert "On 1 row, team members see this person differently." in page
    assert "Talk about this" in page and "Mark as talked through" in page
    assert "Nobody is only one column" in page
    assert "might still help the intervention in other ways" in page


def test_the_counts_speak_of_one_row_in_the_singular_and_leave_out_none(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    positions.positions_record(
        keyring=owner.keyring,
        intervention_id=intervention.intervention_id,
        person_id=intervention.person_id,
        positions={row.key: (Position.LEANS_ALLY, "") for row in ROWS[:-1]},
    )
    page = _page(owner_client, intervention)
    assert "Nobody knows yet about 1 row: it is a question to find out." in page
    assert f"{_said(Position.LEANS_ALLY)} 9 answers" in page
    assert f"{_said(Position.UNKNOWN)} 1 answer " in page
    assert "see this person differently" not in page and "On 0" not in page
    assert "Nobody is only one column" not in page
    assert "Talk about this" not in page


def test_marking_a_difference_talked_through(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    aroha = _two_views(owner, intervention)
    page = text_of(owner_client.get(_url(intervention)))
    assert f'action="{_talked(intervention)}"' in page
    assert '<option value="' in page and "selected>You</option>" in page
    body = {"row": "respected", "member": aroha, "note": "We heard each other"}
    response = owner_client.post(_talked(intervention), body)
    assert response.status_code == 302
    assert response.headers["Location"] == f"{_url(intervention)}?talked=respected#talked-respected"
    events = event_count(intervention.intervention_id)
    assert owner_client.post(_talked(intervention), body).status_code == 302
    assert event_count(intervention.intervention_id) == events  # posted twice: marked once

    page = _words(text_of(owner_client.get(response.headers["Location"])))
    assert f"Marked as talked through: {ROWS[0].topic}." in page
    assert "Mark as talked through" not in page
    assert "Already talked through" in page
    assert re.search(r"talked through on \d+ \w+ 20\d\d, [\d:]+ [ap]\.m\., marked by Aroha", page)
    assert "“We heard each other”" in page
    assert f"Aroha marked as talked through: {ROWS[0].topic}. “We heard each other”" in page
    # The message is said only when the row really is marked.
    other = f"{_url(intervention)}?talked=sees_the_person"
    assert "Marked as talked through" not in _words(text_of(owner_client.get(other)))


def test_a_note_too_long_is_shown_again_beside_its_form(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    _two_views(owner, intervention)
    events = event_count(intervention.intervention_id)
    response = owner_client.post(
        _talked(intervention), {"row": "respected", "note": "x" * (NOTE_MAX + 1)}
    )
    assert response.status_code == 200
    page = text_of(response)
    assert "There is room for up to" in page and "x" * (NOTE_MAX + 1) in page
    assert 'id="talk-respected-note-error"' in page
    assert event_count(intervention.intervention_id) == events


def test_a_row_nobody_answered_is_refused_in_allymaps_words(
    owner_client: Client, intervention: Started
) -> None:
    response = owner_client.post(_talked(intervention), {"row": "respected"})
    assert response.status_code == 200
    assert "There is no difference to talk through on this row now." in text_of(response)
    assert owner_client.get(_talked(intervention)).status_code == 405


def test_the_history_shows_positions_and_consent_newest_first(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    aroha = _two_views(owner, intervention)
    people.person_change(
        keyring=owner.keyring,
        intervention_id=intervention.intervention_id,
        person_id=intervention.person_id,
        details=Details(
            alias=PERSON_ALIAS,
            relationship=RELATIONSHIP,
            consent="to_ask",
            asker=aroha,
            offers="Drives him to work",
            reporting="may_have_to",
        ),
    )
    page = _page(owner_client, intervention)
    history = page.split("History", 1)[1]
    consent = history.index("Asking them: from Just an idea to To ask, who will ask: Aroha")
    hers = history.index(
        f"Aroha on “{ROWS[0].topic}”: from {_label(Position.UNKNOWN)} to "
        f"{_label(Position.IN_THE_WAY)}. “She excuses him”"
    )
    mine = history.index(
        f"You on “{ROWS[0].topic}”: from {_label(Position.UNKNOWN)} to {_label(Position.ALLY)}"
    )
    assert consent < hers < mine
    assert "Asking them To ask · who will ask: Aroha" in page
    assert "May have to report" in page and "What they might offer: Drives him to work" in page


def test_it_gives_404_for_a_person_not_on_the_map(
    owner_client: Client, intervention: Started
) -> None:
    url = f"/i/{intervention.intervention_id}/people/no-such-person/"
    assert owner_client.get(url).status_code == 404
    assert owner_client.post(f"{url}talked/", {"row": "respected"}).status_code == 404


def test_it_gives_404_for_a_person_of_another_intervention(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    other = interventions.intervention_start(
        keyring=owner.keyring, code_name="Other", doing_harm_alias="Q"
    )
    assert owner_client.get(f"/i/{other}/people/{intervention.person_id}/").status_code == 404


def _history_said(response: HttpResponse) -> list[str]:
    """The words of each change on the page's history, in page order (the ones recorded
    by `_many_changes`)."""
    page = text_of(response)
    found = re.search(r'<ol class="history" start="(\d+)"[^>]*>(.*?)</ol>', page, re.S)
    assert found, page
    return re.findall(r"“(Change number \d+\.)”", found.group(2))


def _link(response: HttpResponse, rel: str) -> str | None:
    found = re.findall(rf'<a href="([^"]+)" rel="{rel}">', text_of(response))
    assert len(found) <= 1, found
    return html.unescape(found[0]) if found else None


def _many_changes(owner: accounts.Unlocked, started: Started, count: int) -> list[str]:
    """`count` changes of the owner's words on row 1; their words, newest first."""
    said = []
    for n in range(count):
        said.append(f"Change number {n}.")
        positions.positions_record(
            keyring=owner.keyring,
            intervention_id=started.intervention_id,
            person_id=started.person_id,
            positions={"respected": (Position.ALLY, said[-1])},
        )
    return said[::-1]


def test_a_long_history_is_shown_a_page_at_a_time_every_change_once(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    size = summary.HISTORY_PAGE
    newest_first = _many_changes(owner, intervention, 2 * size + 1)
    first = owner_client.get(_url(intervention))
    assert _history_said(first) == newest_first[:size]
    assert _link(first, "prev") is None
    assert _link(first, "next") == f"{_url(intervention)}?history=2#history"
    total = 2 * size + 1
    # Numbered from the newest, as the line under it counts ("entries 1 to 10 of 21").
    assert '<ol class="history" start="1"' in text_of(first)
    # Walking the Older links reaches every change once, in order; every page is still
    # the whole person's page, only the history moves on.
    seen: list[str] = []
    url: str | None = _url(intervention)
    pages = 0
    while url is not None:
        response = owner_client.get(url)
        assert response.status_code == 200, url
        seen.extend(_history_said(response))
        words = _words(text_of(response))
        assert "Row by row" in words and "Asking them" in words and PERSON_ALIAS in words
        pages += 1
        url = _link(response, "next")
    assert pages == 3
    assert seen == newest_first
    assert _history_said(response) == newest_first[-1:]
    assert f'<ol class="history" start="{total}"' in text_of(response)
    assert _link(response, "prev") == f"{_url(intervention)}?history=2#history"
    assert f"Page 3 of 3: entries {total} to {total} of {total}, newest first." in _words(
        text_of(response)
    )


@pytest.mark.parametrize("asked", ["", "older", "-2", "1.5"])
def test_a_history_page_that_is_not_a_number_is_the_first(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started, asked: str
) -> None:
    newest_first = _many_changes(owner, intervention, summary.HISTORY_PAGE + 1)
    response = owner_client.get(_url(intervention), {"history": asked})
    assert response.status_code == 200
    assert _history_said(response) == newest_first[: summary.HISTORY_PAGE]


@pytest.mark.parametrize("asked", ["0", "3", "123456789", "9" * 5000])
def test_a_history_page_past_the_last_is_not_found(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started, asked: str
) -> None:
    _many_changes(owner, intervention, summary.HISTORY_PAGE + 1)
    assert owner_client.get(_url(intervention), {"history": "2"}).status_code == 200
    assert owner_client.get(_url(intervention), {"history": asked}).status_code == 404


def test_a_short_history_has_no_links_to_other_pages(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    _many_changes(owner, intervention, 2)
    response = owner_client.get(_url(intervention))
    assert _history_said(response) == ["Change number 1.", "Change number 0."]
    assert _link(response, "next") is None and _link(response, "prev") is None
    assert "Pages of the history" not in text_of(response)
