"""The demo's service and content (`allymap.services.demo`, `demo_data`, `demo.toml`).

`demo_intervention_add` writes the made-up intervention through the services real work
uses, in the test database; these tests read it back the way the pages do (team, people,
summaries, history) and check it shows what a newcomer should be able to explore: a team
of three, a dozen people with their details and consent at every stage, differences to
talk about and one talked through, and a history spread over weeks, dated in the past;
and organised: roles, support for one ally and not yet another, gaps open and one set
aside, check-ins over weeks and the staircase of change (read back as the roles page,
the gaps panel and the timeline read them).
The command itself is tests/test_cli_demo.py; serving and crawling it,
tests/test_demo_crawl.py.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from allymap.chart import Position, Side
from allymap.domain import Closeness, Consent, GapKind, Reporting, Role, Step
from allymap.services import demo_data, engine
from allymap.services.demo import (
    ENDS_DAYS_AGO,
    DemoDataError,
    demo_code_name,
    demo_content,
    demo_intervention_add,
)
from allymap.services.demo_data import YOU, DemoPerson
from allymap.services.errors import DamagedRecord
from allymap.services.follow import timeline_reading
from allymap.services.gaps import gaps_reading
from allymap.services.interventions import intervention_open, interventions_list
from allymap.services.keyring import Keyring
from allymap.services.people import Details, person_details
from allymap.services.roles import HolderLine, roles_reading
from allymap.services.summary import PersonSummary, person_summary
from allymap.services.team import team_reading
from allymap.store.models import Event

# --- the demo as the pages read it ---------------------------------------------------------


@pytest.fixture
def demo_id(owner: Keyring) -> str:
    return demo_intervention_add(keyring=owner)


def _summaries(keyring: Keyring, intervention_id: str) -> dict[str, PersonSummary]:
    state = intervention_open(keyring=keyring, intervention_id=intervention_id)
    return {
        person.alias: person_summary(
            keyring=keyring, intervention_id=intervention_id, person_id=person_id
        )
        for person_id, person in state.people.items()
    }


def _member_ids(keyring: Keyring, intervention_id: str) -> dict[str, str]:
    """demo.toml's names for the team (YOU for the account's own member) → member ids."""
    team = team_reading(keyring=keyring, intervention_id=intervention_id)
    return {YOU if line.is_you else line.name: line.member_id for line in team.members}


def test_the_team_is_you_and_two_members_by_name(owner: Keyring, demo_id: str) -> None:
    team = team_reading(keyring=owner, intervention_id=demo_id).members
    assert len(team) == 3
    assert [line.is_you for line in team] == [True, False, False]
    assert team[0].member_id == owner.account_id
    assert [line.name for line in team[1:]] == [m.name for m in demo_content().members]


def test_everyone_is_on_the_map_with_their_details_and_consent(
    owner: Keyring, demo_id: str
) -> None:
    demo = demo_content()
    members = _member_ids(owner, demo_id)
    state = intervention_open(keyring=owner, intervention_id=demo_id)
    assert state.code_name == demo.code_name
    ids = {person.alias: person_id for person_id, person in state.people.items()}
    assert sorted(ids) == sorted(p.alias for p in demo.people)
    assert len(ids) >= 12
    for person in demo.people:
        person_id = ids[person.alias]
        last = person.consents[-1] if person.consents else None
        expected = Details(
            **{
                **vars(person.details),
                "consent": last.consent.value if last else Consent.IDEA.value,
                "asker": members[last.asker] if last else "",
            }
        )
        found = person_details(keyring=owner, intervention_id=demo_id, person_id=person_id)
        assert found.details == expected, person.alias


def _latest(person: DemoPerson) -> dict[tuple[str, str], tuple[Position, str]]:
    """Each (member name, row) → the answer the file leaves standing (its last view)."""
    return {
        (view.by, answer.row_key): (answer.position, answer.evidence)
        for view in person.views
        for answer in view.answers
    }


def test_each_members_answers_stand_as_the_file_leaves_them(owner: Keyring, demo_id: str) -> None:
    summaries = _summaries(owner, demo_id)
    for person in demo_content().people:
        summary = summaries[person.alias]
        shown = {
            (YOU if answer.member.is_you else answer.member.name, row.row.key): (
                answer.position,
                answer.evidence,
            )
            for row in summary.rows
            for answer in row.answers
            if (answer.position, answer.evidence) != (Position.UNKNOWN, "")  # not answered
        }
        assert shown == _latest(person), person.alias
        assert summary.answered is bool(person.views)


def test_members_see_some_rows_differently_and_talked_one_through(
    owner: Keyring, demo_id: str
) -> None:
    summaries = _summaries(owner, demo_id)
    to_talk = [(alias, r.row.key) for alias, s in summaries.items() for r in s.to_talk_about]
    assert len(to_talk) >= 2, to_talk
    for alias, row_key in to_talk:
        row = next(r for r in summaries[alias].rows if r.row.key == row_key)
        assert len({answer.member.member_id for answer in row.answers}) >= 2, (alias, row_key)
    talked = [
        (alias, row) for alias, s in summaries.items() for row in s.rows if row.talked is not None
    ]
    assert talked, "one difference is already talked through"
    for alias, row in talked:
        assert row.differs and not row.to_talk_about, (alias, row.row.key)
        assert row.talked is not None and row.talked.note and row.talked.member.name == "Mere"


def test_the_history_spreads_over_weeks_in_the_past(owner: Keyring, demo_id: str) -> None:
    now = datetime.now(UTC)
    summaries = _summaries(owner, demo_id)
    times = [line.at for s in summaries.values() for line in s.history]
    assert max(times) - min(times) >= timedelta(weeks=4)
    assert max(times) < now - timedelta(days=ENDS_DAYS_AGO - 1)
    state = intervention_open(keyring=owner, intervention_id=demo_id)
    assert state.started_at <= min(times)
    assert now - state.started_at >= timedelta(weeks=6)

    def changes(alias: str, kind: str) -> list[tuple[str, str]]:
        return [(h.before, h.after) for h in summaries[alias].history if h.kind == kind]

    # Someone moved to "mixed" after a hui; an ally stepped back and their support faltered.
    assert ("leans_ally", "mixed") in changes("Danny", "position")
    assert ("agreed", "stepped_back") in changes("Coach Lou", "consent")
    assert ("ally", "leans_in_the_way") in changes("Coach Lou", "position")
    # Newest first, each change once; the history of positions is by more than one member.
    for summary in summaries.values():
        assert [h.at for h in summary.history] == sorted(
            (h.at for h in summary.history), reverse=True
        )
    by = {h.member.name for s in summaries.values() for h in s.history if h.member}
    assert by == {"", "Mere", "Sione"}


def test_its_times_are_sealed_with_each_event_as_it_is_written(
    owner: Keyring, demo_id: str
) -> None:
    """`engine.writing_at` only changes the time taken: it is stored with the event and
    bound into its seal, so a stored time moved afterwards makes the log unreadable."""
    stored = Event.objects.filter(intervention_id=demo_id).order_by("seq")
    times = list(stored.values_list("created_at", flat=True))
    assert times == sorted(times) and times[-1] - times[0] >= timedelta(weeks=6)
    stored.filter(seq=2).update(created_at=times[1] + timedelta(days=1))
    with pytest.raises(DamagedRecord):
        intervention_open(keyring=owner, intervention_id=demo_id)
    with pytest.raises(ValueError, match="timezone-aware"), engine.writing_at(datetime(2020, 1, 1)):
        pass


def test_a_second_demo_is_told_apart_from_the_first(owner: Keyring, demo_id: str) -> None:
    second = demo_intervention_add(keyring=owner)
    assert second != demo_id
    lines = interventions_list(keyring=owner)
    assert [line.code_name for line in lines] == [demo_code_name(1), demo_code_name(2)]
    assert demo_code_name(2) == "Demo: Harbour lights (2)"


# --- organised, and followed through over weeks ----------------------------------------------


def _named(line: HolderLine) -> str:
    return YOU if line.is_you else line.name


def test_roles_are_held_and_one_ally_is_supported(owner: Keyring, demo_id: str) -> None:
    state = intervention_open(keyring=owner, intervention_id=demo_id)
    consent = {person.alias: person.consent for person in state.people.values()}
    reading = roles_reading(keyring=owner, intervention_id=demo_id)
    held = {line.name or line.role: [_named(h) for h in line.holders] for line in reading.roles}
    assert held[Role.FACILITATOR] == ["Mere"] and held[Role.COORDINATOR] == ["Sione"]
    assert held[Role.SUPPORT_HARMED] == ["Ana"]
    assert held["Driver to hui"] == ["Sione"], "a role the team named itself"
    allies = [_named(h) for h in reading.allies]
    assert allies == held[Role.ACCOUNTABILITY_ALLY] == ["Cousin Jade", "Aunty Huia"]
    assert all(h.kind == "person" for h in reading.allies) and consent["Aunty Huia"] == "agreed"
    assert reading.role_limit == 2
    supported = {
        (_named(s.ally), _named(s.supporter) if s.supporter else s.supporter_name)
        for s in reading.supports
    }
    assert {("Aunty Huia", "Mere"), ("Aunty Huia", "Rangi, her sister")} <= supported
    assert not any(ally == "Cousin Jade" for ally, _ in supported), "an ally with none yet"


def test_the_gaps_panel_shows_a_few_and_one_is_set_aside(owner: Keyring, demo_id: str) -> None:
    panel = gaps_reading(keyring=owner, intervention_id=demo_id)
    shown = {(gap.kind, _named(gap.about) if gap.about else "") for gap in panel.shown}
    assert (GapKind.ALLY_WITHOUT_SUPPORT, "Cousin Jade") in shown
    assert (GapKind.MOVED_AWAY, "Coach Lou") in shown, "he stepped back after the check-in"
    assert (GapKind.DIFFERENCES, "Noeline") in shown
    assert GapKind.NO_ALLY not in {kind for kind, _ in shown}
    assert GapKind.NOBODY_IN_TOUCH not in {kind for kind, _ in shown}
    assert 3 <= len(panel.shown) <= 12, shown
    aside = [(gap.kind, gap.about and _named(gap.about), gap.note) for gap in panel.set_aside]
    expected = [(a.kind, a.about, a.note) for a in demo_content().organise.set_aside]
    assert aside == expected and aside[0][:2] == (GapKind.TOO_MANY_ROLES, "Sione")
    assert panel.set_aside[0].cause == "3/2", "Sione's three roles, the team's limit two"


def test_check_ins_and_the_staircase_span_weeks_dated_in_the_past(
    owner: Keyring, demo_id: str
) -> None:
    # The whole of the demo's timeline on one page.
    timeline = timeline_reading(keyring=owner, intervention_id=demo_id, size=1_000)
    assert not timeline.paging.several
    check_ins = [line for line in timeline.lines if line.kind == "check_in"]
    stairs = [line for line in timeline.lines if line.kind == "staircase"]
    assert len(check_ins) >= 3 and len(stairs) >= 2
    days = sorted(line.on for line in check_ins if line.on)
    assert days[-1] - days[0] >= timedelta(weeks=3)
    today = datetime.now(UTC).date()
    for line in check_ins + stairs:
        assert line.on is not None and line.on <= line.at.date() < today, line
        assert line.at.date() - line.on <= timedelta(days=1), "written on its day"
    texts = set(demo_content().texts())
    for line in check_ins:
        assert line.check_in is not None
        check_in = line.check_in
        assert {check_in.happened, check_in.wins, check_in.worries} <= texts
        assert check_in.revisit and all(ref.on_map and ref.alias for ref in check_in.revisit)
    assert {line.stair.text for line in stairs if line.stair} <= texts
    # The climb in the order it happened: stopping the violence, then recognising it.
    climbed = [line.stair.step for line in reversed(stairs) if line.stair]
    assert climbed[0] == Step.STOP_VIOLENCE and climbed[-1] == Step.RECOGNISE_VIOLENCE
    assert timeline.staircase.current == Step.RECOGNISE_VIOLENCE
    # Roles taken on and one put down, consent and positions: all on one timeline.
    roles = {
        (line.holder and line.holder.name, line.role, line.assigned) for line in timeline.lines
    }
    assert ("Coach Lou", Role.ACCOUNTABILITY_ALLY, False) in roles
    assert {"check_in", "staircase", "role", "consent", "position"} == {
        line.kind for line in timeline.lines
    }
    # Newest first by the day each line is about: a check-in's or a step's own day, else
    # the local day it was written (not its UTC time: near midnight those differ).
    days_about = [line.on or timezone.localdate(line.at) for line in timeline.lines]
    assert days_about == sorted(days_about, reverse=True)


# --- the content ------------------------------------------------------------------------------


_NOT_TYPED = {
    *("closeness", "reporting", "consent", "asker", "by", "position", "row", "about"),
    *("holder", "ally", "role", "gap", "step", "revisit"),
}
"""demo.toml's keys whose values are choices or name someone named elsewhere in it."""


def _typed(raw: Any, key: str = "") -> Iterator[str]:
    """Every text of the file that is typed in (not a choice, not a reference)."""
    if isinstance(raw, dict):
        for inner, value in raw.items():
            yield from _typed(value, inner)
    elif isinstance(raw, list):
        for item in raw:
            yield from _typed(item, key)
    elif isinstance(raw, str) and key not in _NOT_TYPED:
        yield raw


def test_every_text_of_the_file_is_among_the_texts_scanned_for() -> None:
    """What `texts()` lists is what the at-rest, URL, title and log scans look for: a text
    of the file left out of it would go unchecked."""
    raw = tomllib.loads(demo_data.DEMO_FILE.read_text(encoding="utf-8"))
    typed = set(_typed(raw))
    assert len(typed) >= 120
    assert not typed - set(demo_content().texts())
    organise = demo_content().organise
    assert {"Driver to hui", "Rangi, her sister"} <= set(demo_content().texts())
    assert "Rangi, her sister" in demo_content().names()
    assert len(organise.texts()) >= 3 * 3 + 2 + 1


def test_the_content_is_clearly_made_up_and_shows_the_whole_chart() -> None:
    demo = demo_content()
    assert demo.code_name.startswith("Demo")
    assert demo.notes[0].day == 0 and not demo.notes[0].about
    assert "made up" in demo.notes[0].text and "None of these people are real" in demo.notes[0].text
    assert 12 <= len(demo.people) <= 15
    used = Counter(a.position for p in demo.people for a in p.answers)
    assert set(used) == set(Position), "every position, from ally to don't know yet"
    both_sides = [
        p.alias
        for p in demo.people
        if {Side.ALLY, Side.IN_THE_WAY} <= {a.position.side for a in p.answers}
    ]
    assert both_sides, "nobody is only one column: someone has rows on both sides"
    assert any(not p.views for p in demo.people), "someone nobody has reflected on yet"
    words = " ".join(demo.texts()).lower()
    for word in ("abuser", "perpetrator", "victim"):
        assert word not in words
    for bare, macron in (("whanau", "whānau"), ("kaumatua", "kaumātua")):
        assert bare not in words
        assert macron in words


def test_the_people_have_varied_details_and_every_stage_of_consent() -> None:
    people = demo_content().people
    assert all(p.details.relationship and p.details.relationship_harmed for p in people)
    assert {p.details.closeness for p in people} == {c.value for c in Closeness} - {"unknown"}
    assert sum(bool(p.details.offers) for p in people) >= 6
    assert sum(bool(p.details.other_ways) for p in people) >= 6
    assert Reporting.MAY_HAVE_TO.value in {p.details.reporting for p in people}
    reached = {Consent.IDEA} | {step.consent for p in people for step in p.consents}
    assert reached == set(Consent)
    assert any(not p.consents for p in people), "someone who is still only an idea"
    views_by = {view.by for p in people for view in p.views}
    assert views_by == {YOU, *(m.name for m in demo_content().members)}
    for person in people:
        days = [c.day for c in person.consents]
        assert days == sorted(days), f"{person.alias}: consent moves on in order"


# --- the file is read strictly -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("answers.sees_the_harm =", "answers.sees_harm =", "'sees_harm' is not a row of the chart"),
        ('closeness = "close"', 'closenes = "close"', "keys allymap does not know: ['closenes']"),
        ('by = "Mere"', 'by = "Hemi"', "by is 'Hemi', not one of"),
        ('consent = "to_ask"', 'consent = "maybe"', "consent is 'maybe', not one of"),
        ("day = 41", "day = 99", "day must be a whole number from 0 to 70"),
        ('position = "ally"', 'position = "friend"', "position is 'friend', not one of"),
        ('role = "facilitator"', 'role = "captain"', "role is 'captain', not one of"),
        ('holder = "Mere"', 'holder = "Hemi"', "holder is 'Hemi', not one of"),
        ('step = "stop_violence"', 'step = "stop"', "step is 'stop', not one of"),
        ('gap = "too_many_roles"', 'gap = "busy"', "gap is 'busy', not one of"),
        ("until = 42", "until = 14", "until must be a whole number from 15 to 70"),
        ('revisit = ["Coach Lou"]', 'revisit = ["Sione"]', "revisit is 'Sione', not one of"),
        ('holder = "Ana"', 'holders = "Ana"', "keys allymap does not know: ['holders']"),
        ('day = 3\nrole = "support', 'day = 1\nrole = "support', "'Ana' is not there yet on day 1"),
    ],
)
def test_it_refuses_a_broken_data_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str, problem: str
) -> None:
    broken = tmp_path / "demo.toml"
    text = demo_data.DEMO_FILE.read_text(encoding="utf-8")
    assert old in text
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    monkeypatch.setattr(demo_data, "DEMO_FILE", broken)
    demo_content.cache_clear()
    try:
        with pytest.raises(DemoDataError, match=problem.replace("[", r"\[").replace("]", r"\]")):
            demo_content()
    finally:
        demo_content.cache_clear()
