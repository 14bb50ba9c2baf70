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
    """A URL matcher for a path on any local server, with an optional query string."""
    return re.compile(r"^http://[^/]+" + pattern + r"(\?.*)?$")


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
    path = r"/i/[^/]+/"

    def add_person(self, alias: str, relationship: str = "") -> ReflectPage:
        self.page.get_by_role("link", name="Add a person").click()
        expect(self.page).to_have_url(_path(r"/i/[^/]+/people/new/"))
        self.page.get_by_label("What you will call this person").fill(alias)
        self.page.get_by_label("How are they connected to the person doing harm?").fill(
            relationship
        )
        self.page.get_by_role("button", name="Add to the map").click()
        # Adding leads to the person's page, which offers the ten rows as the next step.
        expect(self.page).to_have_url(_path(r"/i/[^/]+/people/[^/]+/"))
        self.page.get_by_role("link", name="Reflect on the ten rows").first.click()
        return ReflectPage(self.page, self.base_url)


class ReflectPage(AllymapPage):
    path = r"/i/[^/]+/people/[^/]+/reflect/"

    def row(self, row_key: str) -> Locator:
        return self.page.locator(f"fieldset#row-{row_key}")

    def place(self, row_key: str, position: str, evidence: str = "") -> None:
        """Choose where this person sits on one row, and say what makes you think so."""
        row = self.row(row_key)
        row.get_by_role("radio", name=POSITION_WORDS[position], exact=True).check()
        row.get_by_label("What makes you think so? (optional)").fill(evidence)

    def save_my_reflection(self) -> ReflectionPage:
        self.page.get_by_role("button", name="Save my reflection").click()
        return ReflectionPage(self.page, self.base_url)


class ReflectionPage(AllymapPage):
    path = r"/i/[^/]+/people/[^/]+/"

    def evidence(self, text: str) -> Locator:
        return self.page.locator("ul.entries li").filter(has_text=text)

    @property
    def questions_to_find_out(self) -> Locator:
        return self.page.get_by_role("heading", name="Questions to find out")


class AwayPage:
    """The neutral page quick exit leaves to."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        expect(page).to_have_url(_path(r"/away/"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Cheese scones")
