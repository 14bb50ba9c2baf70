"""Organise and follow through, in Chromium, with JavaScript on and then off (issue 7,
"Done when").

Set up, start an intervention, brainstorm people and add a team member. On the Roles
page give the facilitator's role to the team member and the accountability ally's to
someone on the map. The gaps panel on the overview then shows what the plan is missing;
each gap is resolved where its link leads, and goes from the panel: support for the
ally, their consent, the rows nobody knew. One gap set aside with a note moves to "set
aside", and comes back when what it stands on (the ally's consent) changes. Then a
check-in (after one refused for being empty), a note on the staircase of change, and the
timeline with them all: the check-in, the staircase note, the role changes, the consent
changes and the position changes. axe checks every page on the way at 1280 and 320 px
wide, and nothing typed reaches the server's files in plaintext.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page, expect

from allymap.chart import default_chart
from tests.browser.axe import axe_violations, described
from tests.browser.axe_journey import HEIGHT, AxeOnEveryPage
from tests.browser.pages import POSITION_WORDS, ReflectPage, SetupPage
from tests.browser.pages_organise import (
    Overview,
    RolesPage,
    Team,
    consent_from_the_gap,
)
from tests.browser.session import BrowserSession
from tests.browser.story import assert_nothing_typed_at_rest
from tests.server import RunningServer, running_server, server_database

pytestmark = pytest.mark.browser

PASSPHRASE = "kōwhai tūī harbour lantern"
ROWS = [row.key for row in default_chart().rows]
TOPIC = {row.key: row.topic for row in default_chart().rows}
# The ally's answers on the ten rows: every one known, none a difference to talk about.
ANSWERS: tuple[str, ...] = ("ally", "leans_ally", "ally", "mixed", "ally")
ANSWERS += ("leans_ally", "ally", "leans_ally", "ally", "mixed")

FACILITATOR = "Facilitator or anchor"
ALLY = "Accountability ally"
NO_ALLY = "Nobody has agreed to be an accountability ally yet."
IN_TOUCH = "Nobody is keeping the team in touch yet"
UNSUPPORTED = "is an accountability ally with nobody supporting them yet (row 6"
NOT_AGREED = "is down as an accountability ally, and asking them stands at:"
UNKNOWN = "Nobody on the team knows yet about these rows for"


@dataclass(frozen=True)
class Journey:
    code_name: str
    doing_harm_alias: str
    people: tuple[str, ...]
    member: str
    aside_note: str
    supporter: str
    evidence: str
    happened: str
    wins: str
    worries: str
    seen: str
    passphrase: str = PASSPHRASE

    @property
    def ally(self) -> str:
        return self.people[0]

    @property
    def typed(self) -> list[str]:
        """Everything the journey types but the passphrase."""
        return [
            self.code_name,
            self.doing_harm_alias,
            *self.people,
            self.member,
            self.aside_note,
            self.supporter,
            self.evidence,
            self.happened,
            self.wins,
            self.worries,
            self.seen,
        ]


JOURNEYS = {
    True: Journey(
        code_name="Pōhutukawa bloom",
        doing_harm_alias="Tame Horomona",
        people=("Aunty Wikitoria", "Coach Lesieli", "Cousin Anaru"),
        member="Ropata Kingi",
        aside_note="We know; asking Wikitoria after the tangi",
        supporter="Whaea Rangimarie",
        evidence="Wikitoria has always told Tame straight",
        happened="Tame came to the whānau hui and stayed to the end",
        wins="He rang his sister to say sorry without being asked",
        worries="Money is tight again and he goes quiet when it is",
        seen="No shouting at home for three weeks, his sister says",
    ),
    False: Journey(
        code_name="Harakeke weaving",
        doing_harm_alias="Nikau Paraone",
        people=("Kuia Hineāmaru", "Pastor Tevita", "Neighbour Joan"),
        member="Mihi Tawhiri",
        aside_note="Leaving this until after Matariki",
        supporter="Matua Hoani",
        evidence="Hineāmaru named the harm at the marae",
        happened="Nikau met with Hineāmaru twice this month",
        wins="He went to his first men's group session",
        worries="His brother still makes excuses for him",
        seen="He has stopped turning up at her work, the team has heard",
    ),
}


@pytest.fixture
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A server of its own for each journey: each starts from allymap's first run."""
    folder = tmp_path_factory.mktemp("server")
    with server_database() as env, running_server(folder / "data", env) as running:
        yield running


def _nothing_typed_in_the_title(page: Page, journey: Journey) -> None:
    title = page.title()
    assert not [typed for typed in journey.typed if typed in title], title


def _start(session: BrowserSession, journey: Journey) -> Overview:
    page, url = session.page, session.server_url
    page.goto(url)
    interventions = SetupPage(page, url).choose_passphrase(PASSPHRASE).keep_it_safe_and_continue()
    start = interventions.start_an_intervention()
    start.answer_nobody_is_in_danger()
    start.name_it(journey.code_name, journey.doing_harm_alias)
    start.start()
    return Overview(page, url)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_team_organises_and_follows_through(
    open_browser: Callable[..., BrowserSession],
    chromium: Browser,
    server: RunningServer,
    javascript: bool,
) -> None:
    journey = JOURNEYS[javascript]
    ally, member, code_name = journey.ally, journey.member, journey.code_name
    session = open_browser(java_script_enabled=javascript, viewport={"width": 1280, "height": 900})
    page, url = session.page, session.server_url
    axe = AxeOnEveryPage(page, javascript, chromium)
    axe.on_each_page(lambda: _nothing_typed_in_the_title(page, journey))
    overview = _start(session, journey)

    # Before anything is organised: no ally, and nobody keeping the team in touch.
    gaps = overview.gaps
    expect(gaps.gap(NO_ALLY)).to_be_visible()
    expect(gaps.gap(IN_TOUCH)).to_be_visible()
    expect(gaps.shown).to_have_count(2)
    axe.check("overview, the gaps panel of a new intervention")

    # People on the map, and a team member beside "You"; the self-check is theirs alone.
    overview.brainstorm().add_several(list(journey.people)).back_to_the_overview(code_name)
    overview = Overview(page, url)
    overview.team().add_member(member)
    self_check = Team(page, url).self_check()
    expect(self_check.heading).to_have_text("A self-check for you alone")
    axe.check("self-check")
    overview = self_check.back(code_name)

    # The facilitator keeps the team in touch: that gap goes, the other stays.
    overview.gaps.follow("Choose who keeps the team in touch")
    roles = RolesPage(page, url)
    axe.check("roles, nobody holds one")
    roles = roles.give(FACILITATOR, to=member)
    overview = roles.back(code_name)
    expect(overview.gaps.gap(IN_TOUCH)).to_have_count(0)
    expect(overview.gaps.gap(NO_ALLY)).to_be_visible()

    # Someone on the map as the accountability ally: new gaps about them.
    overview.gaps.follow("Choose an accountability ally")
    roles = RolesPage(page, url).give(ALLY, to=ally)
    expect(roles.ally(ally)).to_contain_text(f"Nobody supports {ally} yet.")
    axe.check("roles, a facilitator and an ally")
    overview = roles.back(code_name)
    gaps = overview.gaps
    expect(gaps.gap(NO_ALLY)).to_be_visible()  # they have not agreed yet
    expect(gaps.gap(f"{ally} {UNSUPPORTED}")).to_be_visible()
    expect(gaps.gap(f"{ally} {NOT_AGREED} Just an idea.")).to_be_visible()
    expect(gaps.gap(f"{UNKNOWN} {ally}")).to_be_visible()
    expect(gaps.shown).to_have_count(4)
    axe.check("overview with four gaps")

    # One set aside with a note: it moves under "set aside", with the note.
    overview = gaps.set_aside(f"{ally} {NOT_AGREED}", journey.aside_note)
    gaps = overview.gaps
    expect(gaps.gap(NOT_AGREED)).to_have_count(0)
    expect(gaps.shown).to_have_count(3)
    expect(gaps.set_aside_summary).to_have_text("1 gap set aside")
    aside = gaps.open_set_aside()
    expect(aside).to_have_count(1)
    expect(aside).to_contain_text(f"{ally} {NOT_AGREED} Just an idea.")
    expect(aside).to_contain_text(f"“{journey.aside_note}”")
    axe.check("overview, one gap set aside")

    # What it stands on changes (they have been asked): it comes back.
    overview.person(ally).change_details_or_consent()
    overview = consent_from_the_gap(overview, "Asked, waiting to hear", code_name)
    gaps = overview.gaps
    expect(gaps.gap(f"{ally} {NOT_AGREED} Asked, waiting to hear.")).to_be_visible()
    expect(gaps.set_aside_summary).to_have_count(0)
    expect(gaps.shown).to_have_count(4)

    # Support for the ally, from someone outside the map and the team: that gap goes.
    gaps.follow("Say who supports them", about=ally)
    roles = RolesPage(page, url).support_from_outside(ally, journey.supporter)
    axe.check("roles, the ally supported")
    overview = roles.back(code_name)
    gaps = overview.gaps
    expect(gaps.gap(UNSUPPORTED)).to_have_count(0)
    expect(gaps.shown).to_have_count(3)

    # They agreed: no gap says there is no agreed ally, or that this one has not agreed.
    gaps.follow("Update where asking them stands", about=ally)
    axe.check("change details or consent, from a gap")
    overview = consent_from_the_gap(overview, "Agreed to help", code_name)
    gaps = overview.gaps
    expect(gaps.gap(NOT_AGREED)).to_have_count(0)
    expect(gaps.gap(NO_ALLY)).to_have_count(0)
    expect(gaps.shown).to_have_count(1)

    # The rows nobody knew, answered: the panel is empty.
    gaps.follow("Reflect on the ten rows", about=ally)
    reflect = ReflectPage(page, url)
    for row, position in zip(ROWS, ANSWERS, strict=True):
        reflect.place(row, position, journey.evidence if row == ROWS[0] else "")
    reflect.save_my_reflection().back_to_the_overview(code_name)
    overview = Overview(page, url)
    expect(overview.gaps.shown).to_have_count(0)
    expect(overview.gaps.nothing_to_look_at).to_be_visible()
    axe.check("overview, no gaps left")

    # A check-in: an empty one is refused and says why; then one with words in it.
    check_ins = overview.check_ins()
    axe.check("check-ins, none yet")
    if javascript:
        page.set_viewport_size({"width": 320, "height": HEIGHT})
    check_ins = check_ins.save()
    expect(check_ins.error_summary).to_contain_text("Write something in at least one")
    if javascript:
        # Our script starts at the summary; scrolled there, the header's links must not
        # lie half under the quick exit band (axe's target-size), so axe runs as it landed.
        expect(check_ins.error_summary).to_be_focused()
        expect(check_ins.error_summary).to_be_in_viewport()
        where = described(axe_violations(page))
        assert not where, f"the refused check-in at 320 px, as it landed:\n{where}"
        page.set_viewport_size({"width": 1280, "height": HEIGHT})
    axe.check("check-ins, an empty one refused")
    check_ins.fill(
        happened=journey.happened, wins=journey.wins, worries=journey.worries, revisit=ally
    )
    check_ins = check_ins.save()
    expect(check_ins.earlier).to_have_count(1)
    for said in (journey.happened, journey.wins, journey.worries, ally):
        expect(check_ins.earlier).to_contain_text(said)
    axe.check("check-ins, one saved")

    # A note on the staircase of change.
    overview = check_ins.back(code_name)
    staircase = overview.staircase()
    axe.check("staircase, nothing noted yet")
    step = "Stop the immediate violence"
    staircase = staircase.note(step, journey.seen)
    expect(staircase.where_things_stand).to_contain_text(f"Step 1: {step}")
    expect(staircase.notes).to_contain_text([journey.seen])
    axe.check("staircase, one note")
    overview = staircase.back(code_name)
    expect(page.get_by_role("region", name="Following through")).to_contain_text(journey.seen)
    axe.check("overview with the staircase")

    # The timeline has them all.
    timeline = overview.timeline()
    expect(timeline.line("Check-in", journey.happened, journey.wins)).to_have_count(1)
    expect(timeline.line("Staircase of change", f"Step 1: {step}", journey.seen)).to_have_count(1)
    expect(timeline.line("Role", f"{member} took on the role: {FACILITATOR}.")).to_have_count(1)
    expect(timeline.line("Role", f"{ally} took on the role: {ALLY}.")).to_have_count(1)
    asked = "from Just an idea to Asked, waiting to hear"
    expect(timeline.line("Asking them", ally, asked)).to_have_count(1)
    agreed = "from Asked, waiting to hear to Agreed to help"
    expect(timeline.line("Asking them", ally, agreed)).to_have_count(1)
    # Each of the ten rows moved from "Don't know yet" (with JavaScript, row 1 saved once
    # as it was chosen and again with its evidence: that second line has the words).
    moved = timeline.line("View on the chart", ally, "as you see it", "from Don’t know yet to")
    expect(moved).to_have_count(len(ROWS))
    first = moved.filter(has_text=f"“{TOPIC[ROWS[0]]}”")
    expect(first).to_contain_text(f"to {POSITION_WORDS[ANSWERS[0]]}")
    expect(timeline.line("View on the chart", journey.evidence)).to_have_count(1)
    axe.check("timeline")

    session.assert_only_the_server_was_asked()
    session.assert_no_url_contains(*journey.typed)
    axe.assert_none()
    assert_nothing_typed_at_rest(server, journey)
