"""Page objects: what a person sees and does in allymap, one class per page.

Each method reads like a step of the person's story and returns the page they land on.
Elements are found the way a person (or a screen reader) finds them: by role, label and
visible words, never by CSS class, so the tests also hold the pages to their labels.
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

# The words a person reads for each stored position (allymap/web/words.py).
POSITION_WORDS = {
    "ally": "Accountability ally",
    "leans_ally": "Leans towards ally",
    "mixed": "Some of both",
    "leans_in_the_way": "Leans towards getting in the way (may help in other ways)",
    "in_the_way": "Might get in the way (may help in other ways)",
    "unknown": "Don’t know yet",
}

NO_DANGER = "No, nobody is in immediate danger right now"


def _path(pattern: str) -> re.Pattern[str]:
    """A URL matcher for a path on any local server, with an optional query and fragment."""
    return re.compile(r"^http://[^/]+" + pattern + r"(\?[^#]*)?(#.*)?$")


class AllymapPage:
    """What every page has: the heading, the session bar and the quick exit."""

    path = r"/.*"

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        expect(page).to_have_url(_path(self.path))

    @property
    def heading(self) -> Locator:
        return self.page.get_by_role("heading", level=1)

    def lock_now(self) -> UnlockPage:
        self.page.get_by_role("button", name="Lock now").click()
        return UnlockPage(self.page, self.base_url)

    def press_escape_three_times(self) -> AwayPage:
        for _ in range(3):
            self.page.keyboard.press("Escape")
        return AwayPage(self.page, self.base_url)

    def quick_exit(self) -> AwayPage:
        self.page.get_by_role("link", name="Quick exit").click()
        return AwayPage(self.page, self.base_url)


class SetupPage(AllymapPage):
    path = r"/setup/"

    @classmethod
    def open(cls, page: Page, base_url: str) -> SetupPage:
        page.goto(base_url)
        return cls(page, base_url)

    def choose_passphrase(self, passphrase: str) -> RecoverySheetPage:
        self.page.get_by_label("Choose a passphrase", exact=True).fill(passphrase)
        self.page.get_by_label("Type it again", exact=True).fill(passphrase)
        self.page.get_by_role("button", name="Set up allymap").click()
        return RecoverySheetPage(self.page, self.base_url)


class RecoverySheetPage(AllymapPage):
    path = r"/setup/"

    def __init__(self, page: Page, base_url: str) -> None:
        super().__init__(page, base_url)
        expect(self.heading).to_have_text("Your recovery key")

    @property
    def recovery_key(self) -> Locator:
        return self.page.locator("#recovery-key")

    @property
    def print_button(self) -> Locator:
        # By attribute, not role: a hidden button has no role to find it by.
        return self.page.locator("button[data-print]")

    def keep_it_safe_and_continue(self) -> InterventionsPage:
        self.page.get_by_role("link", name="I have kept it safe: continue").click()
        return InterventionsPage(self.page, self.base_url)


class UnlockPage(AllymapPage):
    path = r"/unlock/"

    def unlock(self, passphrase: str) -> None:
        """Unlock; the caller says where allymap should land next (it follows `next`)."""
        self.page.get_by_label("Passphrase", exact=True).fill(passphrase)
        self.page.get_by_role("button", name="Unlock", exact=True).click()

    def unlock_to_my_interventions(self, passphrase: str) -> InterventionsPage:
        self.unlock(passphrase)
        return InterventionsPage(self.page, self.base_url)


class InterventionsPage(AllymapPage):
    path = r"/interventions/"

    def start_an_intervention(self) -> StartPage:
        self.page.get_by_role("link", name="Start an intervention").click()
        return StartPage(self.page, self.base_url)


class StartPage(AllymapPage):
    path = r"/interventions/new/"

    def answer_nobody_is_in_danger(self) -> None:
        self.page.get_by_role("radio", name=NO_DANGER).check()

    def name_it(self, code_name: str, doing_harm_alias: str, harmed_alias: str = "") -> None:
        self.page.get_by_label("A code name for this intervention").fill(code_name)
        self.page.get_by_label("What the team will call the person doing harm").fill(
            doing_harm_alias
        )
        self.page.get_by_label("What the team will call the person harmed").fill(harmed_alias)

    def start(self) -> InterventionPage:
        self.page.get_by_role("button", name="Start", exact=True).click()
        return InterventionPage(self.page, self.base_url)


class InterventionPage(AllymapPage):
    """An intervention's overview: its tools, and the people around the person doing harm."""

    path = r"/i/[^/]+/"

    def add_person(self, alias: str, relationship: str = "") -> ReflectPage:
        self.page.get_by_role("link", name="Add a person").click()
        expect(self.page).to_have_url(_path(r"/i/[^/]+/people/new/"))
        self.page.get_by_label("What you will call this person").fill(alias)
        self.page.get_by_label("How are they connected to the person doing harm?").fill(
            relationship
        )
        self.page.get_by_role("button", name="Add to the map").click()
        # Adding leads to the person's summary, which offers the ten rows as the next step.
        return PersonSummaryPage(self.page, self.base_url).reflect()

    def brainstorm(self) -> BrainstormPage:
        self.page.get_by_role("link", name="Brainstorm: who could help?").click()
        return BrainstormPage(self.page, self.base_url)

    def team(self) -> TeamPage:
        tools = self.page.get_by_role("navigation", name="This intervention")
        tools.get_by_role("link", name="Team", exact=True).click()
        return TeamPage(self.page, self.base_url)

    def compare_side_by_side(self) -> ComparePage:
        self.page.get_by_role("link", name="Compare side by side").click()
        return ComparePage(self.page, self.base_url)

    def person(self, alias: str) -> PersonSummaryPage:
        self.page.get_by_role("main").get_by_role("link", name=alias, exact=True).click()
        return PersonSummaryPage(self.page, self.base_url)


class WithinAnIntervention(AllymapPage):
    """A page inside an intervention: it leads back to the overview by the code name."""

    def back_to_the_overview(self, code_name: str) -> InterventionPage:
        name = re.compile(r"^(← )?" + re.escape(code_name) + "$")
        self.page.get_by_role("main").get_by_role("link", name=name).first.click()
        return InterventionPage(self.page, self.base_url)


class BrainstormPage(WithinAnIntervention):
    path = r"/i/[^/]+/brainstorm/"

    def add_several(self, aliases: list[str]) -> BrainstormPage:
        """Several people at once, one a line: the page says who was added."""
        self.page.get_by_label("Who comes to mind? One person a line").fill("\n".join(aliases))
        self.page.get_by_role("button", name="Add them to the map").click()
        page = BrainstormPage(self.page, self.base_url)
        expect(page.added).to_contain_text(f"{len(aliases)} people added to the map")
        return page

    @property
    def added(self) -> Locator:
        return self.page.get_by_role("status")


class TeamPage(WithinAnIntervention):
    path = r"/i/[^/]+/team/"

    def add_member(self, name: str) -> TeamPage:
        self.page.get_by_label("Their name", exact=True).fill(name)
        self.page.get_by_role("button", name="Add to the team").click()
        page = TeamPage(self.page, self.base_url)
        expect(page.member(name)).to_be_visible()
        return page

    def member(self, name: str) -> Locator:
        """A member's line under "On the team now", found by the name shown in bold."""
        return self.page.get_by_role("listitem").filter(has=self.page.get_by_text(name, exact=True))


class ReflectPage(WithinAnIntervention):
    path = r"/i/[^/]+/people/[^/]+/reflect/"

    @property
    def whose_view(self) -> Locator:
        return self.page.get_by_role("heading", name=re.compile(r"^Whose view:"))

    def record_the_view_of(self, member: str) -> ReflectPage:
        """Switch to another team member's view ("You" for the reader's own)."""
        others = self.page.get_by_role("list", name="Record another team member’s view instead:")
        others.get_by_role("link", name=member, exact=True).click()
        page = ReflectPage(self.page, self.base_url)
        expect(page.whose_view).to_have_text(f"Whose view: {member}")
        return page

    def row(self, row_key: str) -> Locator:
        return self.page.locator(f"fieldset#row-{row_key}")

    def status(self, row_key: str) -> Locator:
        """What the page says about saving a row ("Saved" once the server said so)."""
        return self.row(row_key).get_by_role("status")

    def place(self, row_key: str, position: str, evidence: str = "") -> None:
        """Choose where this person sits on one row, and say what makes you think so."""
        row = self.row(row_key)
        row.get_by_role("radio", name=POSITION_WORDS[position], exact=True).check()
        row.get_by_label("What makes you think so? (optional)").fill(evidence)

    def save_my_reflection(self) -> PersonSummaryPage:
        self.page.get_by_role("button", name="Save my reflection").click()
        return PersonSummaryPage(self.page, self.base_url)


class PersonSummaryPage(WithinAnIntervention):
    """A person's summary: the rows with each member's answer, the differences to talk
    about, consent and the history."""

    path = r"/i/[^/]+/people/[^/]+/"

    def reflect(self) -> ReflectPage:
        self.page.get_by_role("link", name="Reflect on the ten rows").first.click()
        return ReflectPage(self.page, self.base_url)

    def row(self, topic: str) -> Locator:
        """One row of "Row by row", found by its topic."""
        heading = self.page.get_by_role("heading", level=3, name=re.compile(_topic(topic)))
        return (
            self.page.get_by_role("list", name="Row by row")
            .get_by_role("listitem")
            .filter(has=heading)
        )

    def answer(self, topic: str, member: str) -> Locator:
        """A member's answer on a row ("You: Accountability ally …"). For "You" the
        text holds the print-only name too (hidden on screen; on paper "You" would mean
        whoever holds it), between "You" and the colon."""
        return (
            self.row(topic)
            .get_by_role("listitem")
            .filter(has_text=re.compile("^" + re.escape(member) + "[^:]*:"))
        )

    def evidence(self, text: str) -> Locator:
        """An answer on the rows that gives this as what makes them think so."""
        rows = self.page.get_by_role("list", name="Row by row")
        return rows.get_by_role("listitem").filter(
            has_text=re.compile(r"What makes (you|them) think so: “" + re.escape(text) + "”"),
            has_not=self.page.get_by_role("heading"),
        )

    def difference(self, topic: str) -> Locator:
        """A row the team sees differently, under "Talk about this"."""
        return self.page.get_by_role("region", name=re.compile(_topic(topic)))

    def mark_talked_through(self, topic: str, note: str = "") -> PersonSummaryPage:
        difference = self.difference(topic)
        difference.get_by_label("What did you take from it? (optional)").fill(note)
        difference.get_by_role("button", name="Mark as talked through").click()
        page = PersonSummaryPage(self.page, self.base_url)
        expect(page.page.get_by_role("status")).to_have_text(f"Marked as talked through: {topic}.")
        return page

    @property
    def history(self) -> Locator:
        return self.page.get_by_role("list", name="History").get_by_role("listitem")

    def change_details_or_consent(self) -> PersonChangePage:
        self.page.get_by_role("link", name="Change their details or consent").click()
        return PersonChangePage(self.page, self.base_url)


def _topic(topic: str) -> str:
    """A row's heading by its topic, numbered "1 Relationship" or "1. Relationship"."""
    return r"^\d+\.? " + re.escape(topic) + "$"


class PersonChangePage(WithinAnIntervention):
    path = r"/i/[^/]+/people/[^/]+/change/"

    def consent(self, consent: str, asker: str = "") -> None:
        """Where asking them has got to, and (if given) who in the team will ask."""
        group = self.page.get_by_role("group", name="Have they been asked to help?")
        group.get_by_role("radio", name=consent, exact=True).check()
        if asker:
            self.page.get_by_label("Who in the team will ask them?").select_option(label=asker)

    def save_the_change(self) -> PersonSummaryPage:
        self.page.get_by_role("button", name="Save the change").click()
        return PersonSummaryPage(self.page, self.base_url)


class ComparePage(WithinAnIntervention):
    path = r"/i/[^/]+/compare/"

    def show(self, aliases: list[str]) -> ComparePage:
        """Choose who to show, in this order, and show them side by side."""
        group = self.page.get_by_role("group", name="Who to show")
        for alias in aliases:
            group.get_by_role("checkbox", name=alias, exact=True).check()
        self.page.get_by_role("button", name="Show side by side").click()
        return ComparePage(self.page, self.base_url)

    @property
    def chart(self) -> Locator:
        return self.page.get_by_role("table")

    @property
    def people(self) -> Locator:
        """The chart's column headers after "Row": one for each person shown."""
        return self.chart.get_by_role("columnheader").filter(has=self.page.get_by_role("link"))

    def cell(self, topic: str, column: int) -> Locator:
        """The cell of the row with this topic, in the column-th person's column (from 0)."""
        row = self.chart.get_by_role("row").filter(
            has=self.page.get_by_role("rowheader", name=re.compile(_topic(topic)))
        )
        return row.get_by_role("cell").nth(column)


class AwayPage:
    """The neutral page quick exit leaves to."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        expect(page).to_have_url(_path(r"/away/"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Cheese scones")
