"""A team at the chart, in Chromium, with JavaScript on and then off (issue 6, "Done when").

Set up, start an intervention, brainstorm several people at once, add two team members,
reflect on one person in each member's view (by keyboard within the key budget when
JavaScript is on; with the plain form and its Save button when it is off), read their
differences side by side, mark one talked through, see four people side by side, change
someone's consent and find it in their history. axe checks every page on the way at 1280
and 320 px wide, and nothing typed reaches the server's files in plaintext.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page, expect

from allymap.chart import default_chart
from tests.browser.axe_journey import AxeOnEveryPage
from tests.browser.pages import (
    POSITION_WORDS,
    InterventionsPage,
    PersonSummaryPage,
    ReflectPage,
    SetupPage,
)
from tests.browser.session import BrowserSession
from tests.browser.story import assert_nothing_typed_at_rest
from tests.server import RunningServer, running_server, server_database

pytestmark = pytest.mark.browser

KEY_BUDGET = 25  # docs/DESIGN: ten rows of a reflection by keyboard, from page load
ROWS = [row.key for row in default_chart().rows]
TOPIC = {row.key: row.topic for row in default_chart().rows}
KEY_OF = {"ally": "1", "leans_ally": "2", "mixed": "3", "leans_in_the_way": "4"}
KEY_OF |= {"in_the_way": "5", "unknown": "6"}
PASSPHRASE = "kōwhai tūī harbour lantern"

# Each member's answers on the ten rows. On row 1 "mixed" is two steps from "ally", and
# on row 3 "might get in the way" four: both are differences for the team to talk about.
YOU: tuple[str, ...] = ("ally", "leans_ally", "ally", "leans_ally", "unknown")
YOU += ("unknown", "ally", "leans_ally", "unknown", "unknown")
FIRST = ("mixed", *YOU[1:])
SECOND = (*YOU[:2], "in_the_way", *YOU[3:])


@dataclass(frozen=True)
class Journey:
    code_name: str
    doing_harm_alias: str
    people: tuple[str, ...]
    members: tuple[str, str]
    evidence: tuple[str, str, str]
    note: str
    passphrase: str = PASSPHRASE

    @property
    def typed(self) -> list[str]:
        """Everything the journey types but the passphrase ("-": nothing typed)."""
        typed = [self.code_name, self.doing_harm_alias, *self.people, *self.members]
        return [*typed, *(text for text in self.evidence if text != "-"), self.note]


JOURNEYS = {
    True: Journey(
        code_name="Matariki rising",
        doing_harm_alias="Hemi Korowai",
        people=("Aunty Moana", "Coach Bryce", "Kuia Hinewai", "Tavita from work", "Nan Pearl"),
        members=("Wiremu Pakeke", "Ngaio Te Rangi"),
        evidence=("Bryce stayed calm at the club after the final", "-", "-"),
        note="Wiremu has seen her with him at the marae",
    ),
    False: Journey(
        code_name="Kūmara harvest",
        doing_harm_alias="Rangi Whetū",
        people=("Uncle Tipene", "Cousin Mereana", "Pastor Faleolo", "Neighbour Ruth", "Koro"),
        members=("Huhana Reti", "Sefo Tuilagi"),
        evidence=(
            "Tipene drove him to every court date",
            "Huhana saw Tipene shrug it off at the hui",
            "Sefo heard Tipene blame Mere again",
        ),
        note="Sefo and Huhana agreed to ask Tipene together",
    ),
}


class Counted:
    """A keyboard that counts every key press."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.presses = 0

    def press(self, key: str) -> None:
        self.presses += 1
        self.page.keyboard.press(key)


@pytest.fixture
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A server of its own for each journey: each starts from allymap's first run."""
    folder = tmp_path_factory.mktemp("server")
    with server_database() as env, running_server(folder / "data", env) as running:
        yield running


def _set_up_lock_and_unlock(session: BrowserSession, axe: AxeOnEveryPage) -> InterventionsPage:
    page, url = session.page, session.server_url
    page.goto(url)
    axe.check("setup")
    sheet = SetupPage(page, url).choose_passphrase(PASSPHRASE)
    axe.check("recovery sheet")
    interventions = sheet.keep_it_safe_and_continue()
    axe.check("my interventions, none yet")
    unlock = interventions.lock_now()
    axe.check("unlock")
    return unlock.unlock_to_my_interventions(PASSPHRASE)


def _by_keyboard(reflect: ReflectPage, positions: tuple[str, ...]) -> int:
    """All ten rows from page load, one key each; every row then says "Saved"."""
    page = reflect.page
    first = page.locator(f"input[name='position-{ROWS[0]}']:focus")
    expect(first).to_have_count(1)  # focus starts on the first row's answers
    keyboard = Counted(page)
    for position in positions:
        keyboard.press(KEY_OF[position])
    for row in ROWS:
        expect(reflect.status(row)).to_have_text("Saved")
    return keyboard.presses


def _nothing_typed_in_the_title(page: Page, journey: Journey) -> None:
    title = page.title()
    assert not [typed for typed in journey.typed if typed in title], title


def _plainly(reflect: ReflectPage, positions: tuple[str, ...], evidence: str) -> None:
    for row, position in zip(ROWS, positions, strict=True):
        reflect.place(row, position, evidence if row == ROWS[0] else "")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_team_maps_people_together(
    open_browser: Callable[..., BrowserSession],
    chromium: Browser,
    server: RunningServer,
    javascript: bool,
) -> None:
    journey = JOURNEYS[javascript]
    you, first, second = "You", *journey.members
    session = open_browser(java_script_enabled=javascript, viewport={"width": 1280, "height": 900})
    page = session.page
    axe = AxeOnEveryPage(page, javascript, chromium)
    axe.on_each_page(lambda: _nothing_typed_in_the_title(page, journey))
    interventions = _set_up_lock_and_unlock(session, axe)

    # Start an intervention, after the safety question.
    start = interventions.start_an_intervention()
    axe.check("start an intervention")
    start.answer_nobody_is_in_danger()
    start.name_it(journey.code_name, journey.doing_harm_alias)
    overview = start.start()
    axe.check("overview, nobody on the map yet")

    # Brainstorm: several people at once, one a line; nobody is sent to the ten rows.
    brainstorm = overview.brainstorm()
    axe.check("brainstorm")
    brainstorm = brainstorm.add_several(list(journey.people))
    for alias in journey.people:
        expect(brainstorm.added.get_by_role("link", name=alias, exact=True)).to_be_visible()
    axe.check("brainstorm, people added")
    overview = brainstorm.back_to_the_overview(journey.code_name)
    axe.check("overview with people")

    # The team: two more members beside "You".
    team = overview.team()
    axe.check("team, just you")
    team = team.add_member(first).add_member(second)
    expect(team.member(first)).to_be_visible()
    axe.check("team of three")
    overview = team.back_to_the_overview(journey.code_name)

    # One person, reflected on in each member's view.
    alias = journey.people[0]
    summary = overview.person(alias)
    expect(summary.heading).to_have_text(alias)
    expect(page.get_by_role("heading", name="Nobody on the team has reflected")).to_be_visible()
    axe.check("summary, nobody has reflected yet")
    reflect = summary.reflect()
    expect(reflect.whose_view).to_have_text("Whose view: You")
    axe.check("reflect, as the page loads")
    views = ((you, YOU), (first, FIRST), (second, SECOND))
    if javascript:
        counts = []
        for number, (member, positions) in enumerate(views):
            if number:
                reflect = reflect.record_the_view_of(member)
            counts.append(_by_keyboard(reflect, positions))
        print(f"\nkey presses from page load to ten rows answered, per member: {counts}")
        assert max(counts) <= KEY_BUDGET, counts
        axe.check("reflect, every row saved")
        # Focus is on the Save button: one more key to the summary.
        reflect.page.keyboard.press("Enter")
        summary = PersonSummaryPage(page, session.server_url)
    else:
        for number, (member, positions) in enumerate(views):
            if number:
                summary.reflect()
                reflect = ReflectPage(page, session.server_url).record_the_view_of(member)
            _plainly(reflect, positions, journey.evidence[number])
            summary = reflect.save_my_reflection()
    expect(summary.heading).to_have_text(alias)

    # The summary: each member's answer row by row, and the differences side by side.
    expect(summary.answer(TOPIC[ROWS[0]], you)).to_contain_text(POSITION_WORDS["ally"])
    expect(summary.answer(TOPIC[ROWS[0]], first)).to_contain_text(POSITION_WORDS["mixed"])
    expect(page.get_by_role("heading", name="Talk about this", exact=True)).to_be_visible()
    relationship, harm = TOPIC[ROWS[0]], TOPIC[ROWS[2]]
    side_by_side = summary.difference(relationship).get_by_role("listitem")
    expect(side_by_side).to_have_count(3)
    expect(side_by_side.filter(has_text=first)).to_contain_text(POSITION_WORDS["mixed"])
    expect(side_by_side.filter(has_text=you)).to_contain_text(POSITION_WORDS["ally"])
    expect(summary.difference(harm)).to_contain_text(POSITION_WORDS["in_the_way"])
    if not javascript:
        expect(summary.difference(relationship)).to_contain_text(journey.evidence[1])
    axe.check("summary with differences")

    # One difference talked through: who, when and the note; the other still to talk about.
    summary = summary.mark_talked_through(relationship, journey.note)
    expect(summary.difference(relationship)).to_have_count(0)
    expect(summary.difference(harm)).to_be_visible()
    talked = page.get_by_role("listitem").filter(has_text=journey.note)
    expect(talked.first).to_contain_text(f"{relationship}: talked through on")
    expect(summary.history.filter(has_text="marked as talked through").first).to_be_visible()
    axe.check("summary, one difference talked through")

    # A little on three others, the plain way: the side-by-side chart needs answers.
    overview = summary.back_to_the_overview(journey.code_name)
    for number, other in enumerate(journey.people[1:4]):
        reflect = overview.person(other).reflect()
        reflect.place(ROWS[0], ("leans_ally", "in_the_way", "ally")[number], journey.evidence[0])
        reflect.place(ROWS[1], "mixed")
        overview = reflect.save_my_reflection().back_to_the_overview(journey.code_name)

    # The side-by-side chart of four people, in the order the team chooses.
    compare = overview.compare_side_by_side()
    axe.check("side by side, nobody chosen")
    four = list(journey.people[:4])
    compare = compare.show(four)
    expect(compare.people).to_have_count(4)
    expect(compare.people).to_contain_text(four)
    cell = compare.cell(relationship, 0)
    expect(cell).to_contain_text(_yours(POSITION_WORDS["ally"], you))
    expect(cell).to_contain_text(f"{POSITION_WORDS['mixed']} ({first})")
    expect(compare.cell(relationship, 3)).to_contain_text(_yours(POSITION_WORDS["ally"], you))
    axe.check("side by side, four people")
    page.get_by_role("link", name=f"Move right → ({alias})").click()
    expect(compare.people).to_contain_text([four[1], four[0], *four[2:]])
    expect(compare.cell(relationship, 1)).to_contain_text(f"{POSITION_WORDS['mixed']} ({first})")

    # Their consent changes on their change page; their history shows it.
    compare.chart.get_by_role("link", name=alias, exact=True).click()
    change = PersonSummaryPage(page, session.server_url).change_details_or_consent()
    axe.check("change details or consent")
    change.consent("Asked, waiting to hear", asker=first)
    summary = change.save_the_change()
    consent = summary.history.filter(has_text="Asking them: from Just an idea")
    expect(consent).to_contain_text(f"to Asked, waiting to hear, who will ask: {first}")
    axe.check("summary with the consent in its history")

    session.assert_only_the_server_was_asked()
    session.assert_no_url_contains(*journey.typed)
    axe.assert_none()
    assert_nothing_typed_at_rest(server, journey)


def _yours(words: str, you: str) -> re.Pattern[str]:
    """An answer of "You" in a cell: the text also holds the print-only name, hidden on
    screen (on paper "You" would mean whoever holds it), before the closing bracket."""
    return re.compile(re.escape(f"{words} ({you}") + r"[^)]*\)")
