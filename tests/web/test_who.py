"""`{{ member|who }}`: how every page names a team member."""

from __future__ import annotations

from dataclasses import dataclass

from allymap.web.templatetags.allymap_words import who


@dataclass
class Member:
    name: str = ""
    is_you: bool = False
    removed: bool = False


def test_a_member_by_name_escaped() -> None:
    assert who(Member(name="Hine <b>")) == "Hine &lt;b&gt;"


def test_you_on_screen_and_the_name_on_paper() -> None:
    assert who(Member(name="Rosa", is_you=True)) == (
        '<span class="screen-only">You</span><span class="print-only print-name">Rosa</span>'
    )


def test_a_member_without_a_name_and_one_who_left() -> None:
    assert who(Member()) == "A team member"
    assert who(Member(name="Matiu", removed=True)) == "Matiu (has left the team)"
    assert who({"name": "Ana", "is_you": False}) == "Ana"
    assert who(None) == "A team member"
