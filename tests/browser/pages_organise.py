"""Page objects for organising and following through (issue 7): roles and support for
allies, the gaps panel on the overview, check-ins, the staircase of change, the timeline
and the self-check.

Like `tests.browser.pages` (kept apart so neither module grows past 400 lines), each
method reads as a step of the person's story, and elements are found by role, label and
visible words.
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, expect

from tests.browser.pages import InterventionPage, PersonChangePage, TeamPage, WithinAnIntervention


class Overview(InterventionPage):
    """The overview, with its gaps panel and the links to follow through."""

    @property
    def gaps(self) -> GapsPanel:
        return GapsPanel(self)

    def roles(self) -> RolesPage:
        tools = self.page.get_by_role("navigation", name="This intervention")
        tools.get_by_role("link", name="Roles and support for allies").click()
        return RolesPage(self.page, self.base_url)

    def _following_through(self, name: str) -> None:
        panel = self.page.get_by_role("region", name="Following through")
        panel.get_by_role("link", name=name, exact=True).click()

    def check_ins(self) -> CheckInsPage:
        self._following_through("Check-ins")
        return CheckInsPage(self.page, self.base_url)

    def staircase(self) -> StaircasePage:
        self._following_through("The staircase of change")
        return StaircasePage(self.page, self.base_url)

    def timeline(self) -> TimelinePage:
        self._following_through("Timeline")
        return TimelinePage(self.page, self.base_url)


class GapsPanel:
    """The panel "Gaps to look at": the gaps shown, each with its link to where it can be
    resolved, and (folded away) those the team set aside."""

    def __init__(self, overview: Overview) -> None:
        self.overview = overview
        self.page = overview.page
        self.panel = self.page.get_by_role("region", name="Gaps to look at")

    @property
    def shown(self) -> Locator:
        """The gaps shown (the set-aside ones are folded away, so not visible, not here)."""
        return self.panel.get_by_role("listitem").filter(has=self.page.get_by_role("link"))

    def gap(self, words: str) -> Locator:
        """A gap shown, by (part of) what it says."""
        return self.shown.filter(has_text=words)

    @property
    def nothing_to_look_at(self) -> Locator:
        return self.panel.get_by_text("No gaps the team has not seen.")

    def follow(self, link_words: str, about: str = "") -> None:
        """Follow a gap's link to where it can be resolved ("Say who supports them")."""
        name = f"{link_words} ({about})" if about else link_words
        self.panel.get_by_role("link", name=name, exact=True).click()

    def set_aside(self, words: str, note: str) -> Overview:
        gap = self.gap(words)
        gap.get_by_text("Set this aside…").click()
        gap.get_by_label("A short note (optional)").fill(note)
        gap.get_by_role("button", name="Set it aside").click()
        return Overview(self.page, self.overview.base_url)

    @property
    def set_aside_summary(self) -> Locator:
        return self.panel.get_by_text(re.compile(r"^\d+ gaps? set aside$"))

    def open_set_aside(self) -> Locator:
        """Unfold the gaps set aside; their items."""
        self.set_aside_summary.click()
        return self.panel.get_by_role("listitem").filter(
            has=self.page.get_by_role("button", name=re.compile("^Show it again"))
        )


class OrganisePage(WithinAnIntervention):
    def back(self, code_name: str) -> Overview:
        self.back_to_the_overview(code_name)
        return Overview(self.page, self.base_url)


class RolesPage(OrganisePage):
    path = r"/i/[^/]+/roles/"

    def role(self, label: str) -> Locator:
        """One role of the checklist, by the words of its heading."""
        heading = self.page.get_by_role("heading", level=3, name=label, exact=True)
        return self.page.get_by_role("main").get_by_role("listitem").filter(has=heading)

    def holders(self, label: str) -> Locator:
        return self.role(label).get_by_role("list", name=f"Who holds {label}")

    def give(self, label: str, to: str) -> RolesPage:
        """Give a role: open its "give this role" (unless a link here opened it), choose."""
        opening = self.role(label).get_by_role("link", name=f"Give this role to someone… ({label})")
        if opening.count():
            opening.click()
        role = RolesPage(self.page, self.base_url).role(label)
        role.get_by_label(f"Give this role to ({label})").select_option(label=to)
        role.get_by_role("button", name="Give this role").click()
        page = RolesPage(self.page, self.base_url)
        expect(page.holders(label).get_by_role("listitem").filter(has_text=to)).to_be_visible()
        return page

    def ally(self, name: str) -> Locator:
        """An accountability ally's section under "Support for allies"."""
        return self.page.get_by_role("region", name=name, exact=True)

    def support_from_outside(self, ally: str, supporter_name: str) -> RolesPage:
        """Someone outside the map and the team supports this ally."""
        section = self.ally(ally)
        section.get_by_label(f"Who supports {ally}").select_option(
            label="Someone outside (write their name)"
        )
        section.get_by_label("Someone outside the map and the team: their name").fill(
            supporter_name
        )
        section.get_by_role("button", name="Add this support").click()
        page = RolesPage(self.page, self.base_url)
        expect(page.ally(ally)).to_contain_text(f"Who supports {ally}:")
        expect(page.ally(ally).get_by_role("listitem")).to_contain_text(supporter_name)
        return page


def consent_from_the_gap(overview: Overview, consent: str, code_name: str) -> Overview:
    """On the change page a gap led to: say where asking them stands, save, and go back."""
    change = PersonChangePage(overview.page, overview.base_url)
    change.consent(consent)
    summary = change.save_the_change()
    summary.back_to_the_overview(code_name)
    return Overview(summary.page, summary.base_url)


class CheckInsPage(OrganisePage):
    path = r"/i/[^/]+/check-ins/"

    def fill(
        self, *, happened: str = "", wins: str = "", worries: str = "", revisit: str = ""
    ) -> None:
        self.page.get_by_label("What happened", exact=True).fill(happened)
        self.page.get_by_label("Small wins to celebrate", exact=True).fill(wins)
        self.page.get_by_label("Worries", exact=True).fill(worries)
        if revisit:
            group = self.page.get_by_role("group", name="Whose position to revisit")
            group.get_by_role("checkbox", name=revisit, exact=True).check()

    def save(self) -> CheckInsPage:
        self.page.get_by_role("button", name="Save the check-in").click()
        return CheckInsPage(self.page, self.base_url)

    @property
    def error_summary(self) -> Locator:
        return self.page.get_by_role("alert")

    @property
    def earlier(self) -> Locator:
        """The check-ins, each under the heading of its day."""
        entries = self.page.get_by_role("list", name="Earlier check-ins").get_by_role("listitem")
        return entries.filter(has=self.page.get_by_role("heading", level=3))


class StaircasePage(OrganisePage):
    path = r"/i/[^/]+/staircase/"

    def note(self, step: str, seen: str) -> StaircasePage:
        group = self.page.get_by_role("group", name="Where do things stand now?")
        group.get_by_role("radio", name=step, exact=True).check()
        self.page.get_by_label("What has the team seen?").fill(seen)
        self.page.get_by_role("button", name="Save the note").click()
        return StaircasePage(self.page, self.base_url)

    @property
    def notes(self) -> Locator:
        return self.page.get_by_role("list", name="Notes, newest first").get_by_role("listitem")

    @property
    def where_things_stand(self) -> Locator:
        return self.page.get_by_role("region", name="Where things stand")


class TimelinePage(OrganisePage):
    path = r"/i/[^/]+/timeline/"

    def line(self, tag: str, *words: str) -> Locator:
        """The timeline's lines tagged so ("Check-in", "Role", "Asking them", "View on
        the chart", "Staircase of change") that say all these words."""
        lines = (
            self.page.get_by_role("main")
            .get_by_role("listitem")
            .filter(has=self.page.get_by_text(tag, exact=True))
        )
        for said in words:
            lines = lines.filter(has_text=said)
        return lines


class Team(TeamPage):
    def self_check(self) -> SelfCheckPage:
        self.page.get_by_role(
            "link", name="Before you take a role: a self-check for you alone"
        ).click()
        return SelfCheckPage(self.page, self.base_url)


class SelfCheckPage(OrganisePage):
    path = r"/i/[^/]+/self-check/"
