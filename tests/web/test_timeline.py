"""The timeline: one list, newest first and grouped by day, of check-ins, staircase notes,
roles taken on and put down, changes in asking someone, and views on the chart as they
changed (whose view, which row, from what to what, and why)."""

from __future__ import annotations

import dataclasses
import html
import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from allymap.chart import Position
from allymap.domain import Role, Step
from allymap.services import accounts, follow, people, positions, roles
from tests.web.conftest import CODE_NAME, PERSON_ALIAS, Started
from tests.web.pages import text_of, title_of


def _url(started: Started) -> str:
    return f"/i/{started.intervention_id}/timeline/"


def _lines(page: str) -> list[str]:
    """The timeline's entries in page order, as text without tags."""
    found = re.findall(r'<li class="fw-line fw-kind-(\w+)">(.*?)</li>\n', page, re.DOTALL)
    return [f"{kind}: {' '.join(re.sub(r'<[^>]+>', '', body).split())}" for kind, body in found]


def _days(page: str) -> list[str]:
    return re.findall(r'<h2 id="day-\d+"><time datetime="([\d-]+)">', page)


def test_it_says_when_nothing_is_recorded_yet(owner_client: Client, intervention: Started) -> None:
    response = owner_client.get(_url(intervention))
    assert response.status_code == 200
    assert title_of(response) == "Timeline · allymap"
    page = text_of(response)
    assert CODE_NAME in page
    assert "Nothing recorded yet." in page
    assert f'href="/i/{intervention.intervention_id}/check-ins/"' in page


def test_it_shows_each_kind_newest_first_grouped_by_day(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    ids = {"keyring": owner.keyring, "intervention_id": intervention.intervention_id}
    you = f"member:{owner.keyring.account_id}"
    # Today: a role taken on, asking someone, a view on a row, the role put down.
    roles.role_assign(**ids, role=Role.COORDINATOR.value, holder=you)
    details = people.person_details(**ids, person_id=intervention.person_id).details
    people.person_change(
        **ids,
        person_id=intervention.person_id,
        details=dataclasses.replace(details, consent="asked"),
    )
    positions.positions_record(
        **ids,
        person_id=intervention.person_id,
        positions={"respected": (Position.ALLY, "he listens to her at every hui")},
    )
    roles.role_assign(**ids, role=Role.NOTE_KEEPER.value, holder=you)
    roles.role_unassign(**ids, role=Role.NOTE_KEEPER.value, holder=you)
    # Check-ins and staircase notes go by the day they are about.
    follow.check_in_add(
        **ids,
        on=date(2025, 3, 7),
        happened="We met at the marae.",
        wins="He came.",
        worries="The brother.",
        revisit=[intervention.person_id],
    )
    follow.staircase_note(
        **ids, step=Step.RECOGNISE_VIOLENCE, on=date(2025, 3, 14), text="He named it."
    )
    follow.check_in_add(**ids, on=date(2025, 3, 14), happened="A quiet week.")

    page = text_of(owner_client.get(_url(intervention)))
    today = timezone.localdate().isoformat()
    assert _days(page) == [today, "2025-03-14", "2025-03-07"]
    lines = _lines(page)
    assert [line.split(":")[0] for line in lines] == [
        "role",
        "role",
        "position",
        "consent",
        "role",
        "check_in",
        "staircase",
        "check_in",
    ]
    assert lines[0].endswith("You put down the role: Note keeper.")
    assert lines[1].endswith("You took on the role: Note keeper.")
    assert re.fullmatch(
        rf"position: View on the chart [\d:]+ [ap]\.?m\.? {PERSON_ALIAS}, “Relationship”, "
        r"as you see it: "
        r"from Don’t know yet to Accountability ally\. “he listens to her at every hui”",
        lines[2],
    ), lines[2]
    assert re.fullmatch(
        rf"consent: Asking them [\d:]+ [ap]\.?m\.? {PERSON_ALIAS}: "
        r"from Just an idea to Asked, waiting to hear",
        lines[3],
    ), lines[3]
    assert lines[4].endswith("You took on the role: Coordinator.")
    assert "A quiet week." in lines[5]
    assert lines[6] == "staircase: Staircase of change Step 2: Recognise the violence He named it."
    for words in ("We met at the marae.", "He came.", "The brother.", PERSON_ALIAS):
        assert words in lines[7], words
    assert "Where things stand on the staircase: step 2, Recognise the violence." in page
    # Someone on the map is a link to their page, wherever they are named.
    person = f'<a href="/i/{intervention.intervention_id}/people/{intervention.person_id}/">'
    assert page.count(person) == 3


def test_a_role_the_team_named_shows_by_its_name(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    ids = {"keyring": owner.keyring, "intervention_id": intervention.intervention_id}
    role = roles.role_name(**ids, name="Kai and transport")
    roles.role_assign(**ids, role=role, holder=f"person:{intervention.person_id}")
    page = text_of(owner_client.get(_url(intervention)))
    (line,) = _lines(page)
    assert line.endswith(f"{PERSON_ALIAS} took on the role: Kai and transport.")
    # Someone on the map who holds a role is a link to their page, until they leave it.
    person = f'<a href="/i/{intervention.intervention_id}/people/{intervention.person_id}/">'
    assert f"{person}{html.escape(PERSON_ALIAS)}</a> took on the role" in page
    people.person_remove(**ids, person_id=intervention.person_id)
    page = text_of(owner_client.get(_url(intervention)))
    assert person not in page
    said = f"{PERSON_ALIAS} (no longer on the map) took on the role: Kai and transport."
    assert any(line.endswith(html.escape(said)) for line in _lines(page)), _lines(page)


def test_it_shows_one_kind_alone_through_a_link(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    ids = {"keyring": owner.keyring, "intervention_id": intervention.intervention_id}
    roles.role_assign(
        **ids, role=Role.COORDINATOR.value, holder=f"member:{owner.keyring.account_id}"
    )
    follow.check_in_add(**ids, on=date(2025, 3, 7), happened="We met at the marae.")
    page = text_of(owner_client.get(f"{_url(intervention)}?show=check_in"))
    assert [line.split(":")[0] for line in _lines(page)] == ["check_in"]
    assert f'<a href="{_url(intervention)}?show=check_in" aria-current="page">Check-ins</a>' in page
    page = text_of(owner_client.get(f"{_url(intervention)}?show=staircase"))
    assert _lines(page) == []
    assert "Nothing of this kind recorded yet." in page
    # Anything else shows everything.
    page = text_of(owner_client.get(f"{_url(intervention)}?show=nonsense"))
    assert [line.split(":")[0] for line in _lines(page)] == ["role", "check_in"]
    assert f'<a href="{_url(intervention)}" aria-current="page">Everything</a>' in page


def test_new_words_for_the_same_answer_read_as_such(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    ids = {"keyring": owner.keyring, "intervention_id": intervention.intervention_id}
    person = {"person_id": intervention.person_id}
    positions.positions_record(**ids, **person, positions={"respected": (Position.ALLY, "")})
    positions.positions_record(
        **ids, **person, positions={"respected": (Position.ALLY, "He rings her on Sundays.")}
    )
    lines = _lines(text_of(owner_client.get(_url(intervention))))
    newest = lines[0]
    assert "still Accountability ally, with new words on what makes them think so" in newest
    assert "He rings her on Sundays." in newest
    assert "from Accountability ally to Accountability ally" not in " ".join(lines)
    summary = text_of(
        owner_client.get(f"/i/{intervention.intervention_id}/people/{intervention.person_id}/")
    )
    assert "still Accountability ally, with new words" in summary


def _older(page: str) -> str | None:
    """Where the page's "Older" link leads, or None when it has none."""
    found = re.findall(r'<a href="([^"]+)" rel="next">', page)
    assert len(found) <= 1, found
    return html.unescape(found[0]) if found else None


def _newer(page: str) -> str | None:
    found = re.findall(r'<a href="([^"]+)" rel="prev">', page)
    assert len(found) <= 1, found
    return html.unescape(found[0]) if found else None


def _check_ins(started: Started, owner: accounts.Unlocked, count: int) -> list[str]:
    """`count` check-ins, one a day from 1 March 2025; their words, newest first."""
    ids = {"keyring": owner.keyring, "intervention_id": started.intervention_id}
    said = []
    for n in range(count):
        said.append(f"Check-in number {n}.")
        follow.check_in_add(**ids, on=date(2025, 3, 1) + timedelta(days=n), happened=said[-1])
    return said[::-1]


def test_a_long_timeline_is_shown_a_page_at_a_time_every_line_once(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    page_size = follow.TIMELINE_PAGE
    newest_first = _check_ins(intervention, owner, 2 * page_size + 3)
    response = owner_client.get(_url(intervention))
    page = text_of(response)
    # The first page: the newest page of lines, a way to the older ones, none to newer.
    lines = _lines(page)
    assert len(lines) == page_size
    assert newest_first[0] in lines[0] and newest_first[page_size - 1] in lines[-1]
    assert newest_first[page_size] not in page
    assert _newer(page) is None
    assert _older(page) == f"{_url(intervention)}?page=2"
    assert title_of(response) == "Timeline · allymap"
    assert f"Page 1 of 3: entries 1 to {page_size} of {len(newest_first)}, newest first." in page
    # Walking the Older links reaches every line exactly once, in order, and each page
    # leads back to the one before it.
    seen: list[str] = []
    url: str | None = _url(intervention)
    visited = []
    while url is not None:
        response = owner_client.get(url)
        assert response.status_code == 200, url
        page = text_of(response)
        if visited:
            assert _newer(page) == (visited[-1] if len(visited) > 1 else _url(intervention))
        visited.append(url)
        seen.extend(line for line in _lines(page))
        url = _older(page)
    assert visited == [
        _url(intervention),
        f"{_url(intervention)}?page=2",
        f"{_url(intervention)}?page=3",
    ]
    assert len(seen) == len(newest_first)
    for line, said in zip(seen, newest_first, strict=True):
        assert said in line, (said, line)
    assert title_of(response) == "Timeline, page 3 of 3 · allymap"
    assert len(_lines(page)) == 3
    assert 'href="/i/' in page and "Back to the newest" in page


def test_paging_keeps_to_the_kind_shown(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    ids = {"keyring": owner.keyring, "intervention_id": intervention.intervention_id}
    newest_first = _check_ins(intervention, owner, follow.TIMELINE_PAGE + 1)
    # Newer than every check-in: the timeline's first line, and never a check-in's.
    roles.role_assign(
        **ids, role=Role.COORDINATOR.value, holder=f"member:{owner.keyring.account_id}"
    )
    first = text_of(owner_client.get(f"{_url(intervention)}?show=check_in"))
    assert {line.split(":")[0] for line in _lines(first)} == {"check_in"}
    older = _older(first)
    assert older == f"{_url(intervention)}?show=check_in&page=2"
    second = text_of(owner_client.get(older))
    (last,) = _lines(second)
    assert newest_first[-1] in last
    assert _newer(second) == f"{_url(intervention)}?show=check_in"
    # The kind shown stays marked on its later pages, and "Everything" starts again.
    assert f'<a href="{_url(intervention)}?show=check_in" aria-current="page">' in second
    # Everything: the role first, so the oldest check-in is pushed to page 2 as well.
    everything = text_of(owner_client.get(f"{_url(intervention)}?page=2"))
    assert [line.split(":")[0] for line in _lines(everything)] == ["check_in", "check_in"]


@pytest.mark.parametrize("asked", ["", "first", "-1", "2.0", "1e3", "%20", "²"])
def test_a_page_that_is_not_a_number_is_the_first(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started, asked: str
) -> None:
    newest_first = _check_ins(intervention, owner, follow.TIMELINE_PAGE + 1)
    response = owner_client.get(_url(intervention), {"page": asked})
    assert response.status_code == 200
    lines = _lines(text_of(response))
    assert len(lines) == follow.TIMELINE_PAGE and newest_first[0] in lines[0]


@pytest.mark.parametrize("asked", ["0", "3", "00", "999999999", "9" * 5000])
def test_a_page_past_the_last_is_not_found(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started, asked: str
) -> None:
    _check_ins(intervention, owner, follow.TIMELINE_PAGE + 1)
    assert owner_client.get(_url(intervention), {"page": "2"}).status_code == 200
    assert owner_client.get(_url(intervention), {"page": asked}).status_code == 404


def test_an_empty_timeline_has_one_page_and_no_links_to_others(
    owner_client: Client, intervention: Started
) -> None:
    page = text_of(owner_client.get(_url(intervention)))
    assert _older(page) is None and _newer(page) is None
    assert "Pages of the timeline" not in page
    assert owner_client.get(_url(intervention), {"page": "2"}).status_code == 404
