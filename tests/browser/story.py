"""The story the browser tests tell: from the first run to reading a reflection."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import unquote

from playwright.sync_api import expect

from tests.browser.pages import InterventionsPage, PersonSummaryPage, SetupPage, UnlockPage
from tests.browser.session import BrowserSession
from tests.canary.scan import Canary, files_under, scan_files, scan_named
from tests.server import RunningServer, pg_dump


@dataclass(frozen=True)
class Story:
    passphrase: str = "kōwhai tūī harbour lantern"
    code_name: str = "Spring tide"
    doing_harm_alias: str = "Rāwiri"
    harmed_alias: str = "Mere"
    person_alias: str = "Uncle Tama"
    relationship: str = "mātua kēkē, plays touch with him on Thursdays"
    placements: tuple[tuple[str, str, str], ...] = (
        ("respected", "ally", "Rāwiri listens to Tama more than anyone"),
        ("sees_the_harm", "leans_ally", "Tama stood by Mere at the hui"),
        ("communicates", "mixed", ""),
        ("gives_space", "leans_in_the_way", "Tama can talk over people when he is worried"),
    )

    @property
    def evidence(self) -> list[str]:
        return [evidence for _, _, evidence in self.placements if evidence]

    @property
    def typed(self) -> list[str]:
        """Everything the person types: none of it may appear in a URL or a title."""
        names = [self.passphrase, self.code_name, self.doing_harm_alias, self.harmed_alias]
        return [*names, self.person_alias, self.relationship, *self.evidence]


def sign_in(session: BrowserSession, story: Story) -> InterventionsPage:
    """Set allymap up on its first run; unlock it on any later one."""
    page = session.page
    page.goto(session.server_url)
    if re.search(r"/setup/", page.url):
        sheet = SetupPage(page, session.server_url).choose_passphrase(story.passphrase)
        return sheet.keep_it_safe_and_continue()
    return UnlockPage(page, session.server_url).unlock_to_my_interventions(story.passphrase)


def assert_nothing_typed_in_title_or_url(session: BrowserSession, story: Story) -> None:
    title, url = session.page.title(), unquote(session.page.url)
    for typed in story.typed:
        assert typed not in title, f"{typed!r} is in the title {title!r}"
        assert typed not in url, f"{typed!r} is in the URL {url!r}"


def walk_from_first_run_to_a_reflection(
    session: BrowserSession, story: Story, *, javascript: bool
) -> PersonSummaryPage:
    page, url = session.page, session.server_url

    # First run: choose a passphrase; the recovery key is shown, once.
    sheet = SetupPage.open(page, url).choose_passphrase(story.passphrase)
    expect(sheet.recovery_key).to_have_text(re.compile(r"^\s*[A-Z2-7]{4}(-[A-Z2-7]{1,4}){12}\s*$"))
    # Our script unhides the print button: proof that JavaScript is on, or off.
    if javascript:
        expect(sheet.print_button).to_be_visible()
    else:
        expect(sheet.print_button).to_have_attribute("hidden", "")
    interventions = sheet.keep_it_safe_and_continue()

    # Lock, and unlock again with the passphrase.
    unlock = interventions.lock_now()
    expect(page.get_by_role("status")).to_have_text("allymap is locked.")
    interventions = unlock.unlock_to_my_interventions(story.passphrase)

    # Start an intervention, after the safety question.
    start = interventions.start_an_intervention()
    start.answer_nobody_is_in_danger()
    start.name_it(story.code_name, story.doing_harm_alias, story.harmed_alias)
    intervention = start.start()
    expect(intervention.heading).to_have_text(story.code_name)
    assert_nothing_typed_in_title_or_url(session, story)

    # Add a person and reflect on them, row by row.
    reflect = intervention.add_person(story.person_alias, story.relationship)
    expect(reflect.heading).to_have_text(f"Reflect on {story.person_alias}")
    assert_nothing_typed_in_title_or_url(session, story)
    for row_key, position, evidence in story.placements:
        reflect.place(row_key, position, evidence)
    reflection = reflect.save_my_reflection()

    # Read the summary: the answers with their evidence, and what nobody knows yet.
    expect(reflection.heading).to_have_text(story.person_alias)
    expect(reflection.answer("Relationship", "You")).to_contain_text("Accountability ally")
    for evidence in story.evidence:
        expect(reflection.evidence(evidence)).to_be_visible()
    expect(reflection.row("Communication")).to_contain_text("Some of both")
    expect(reflection.row("How they see the person")).to_contain_text("Questions to find out")
    assert_nothing_typed_in_title_or_url(session, story)
    session.assert_no_url_contains(*story.typed)
    return reflection


class Typed(Protocol):
    """A story, or a journey: everything it typed."""

    @property
    def typed(self) -> Sequence[str]: ...


def assert_nothing_typed_at_rest(server: RunningServer, story: Typed) -> None:
    """What the story typed is nowhere in what the server keeps: files, log, database.

    Only the longer strings are looked for (a short alias such as "Mere" could turn up
    by chance in random bytes); tests/canary covers every field with unique canaries.
    """
    canaries = [
        Canary(f"typed-{number}", text, text)
        for number, text in enumerate(story.typed)
        if len(text) >= 8
    ]
    assert len(canaries) >= 5
    findings = scan_files(files_under(server.work_dir), canaries)
    if server.database_url:
        findings += scan_named({"pg_dump": pg_dump(server.database_url)}, canaries)
    assert not findings, "typed text stored in plaintext:\n" + "\n".join(map(str, findings))
