"""The timeline: one list, newest first and grouped by day, of check-ins, staircase notes,
roles taken on and put down, changes in asking someone, and views on the chart as they
changed (whose view, which row, from what to what, and why)."""

from __future__ import annotations

import dataclasses
import re
from datetime import date

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
    (line,) = _lines(text_of(owner_client.get(_url(intervention))))
    assert line.endswith(f"{PERSON_ALIAS} took on the role: Kai and transport.")


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
