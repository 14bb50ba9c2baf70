"""`{{ member|who }}`: how every page names a team member; `answers_cell`: a cell of the
side-by-side chart."""

from __future__ import annotations

from dataclasses import dataclass

from django.template import Context, Template

from allymap.chart import Position
from allymap.web.templatetags.allymap_words import answers_cell, who


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


@dataclass
class Answer:
    position: Position
    member: Member


# The loop the side-by-side chart's template had before `answers_cell` wrote it.
_LOOP = (
    '{% load allymap_words %}<ul class="cell">{% for answer in answers %}'
    '<li class="pos-{{ answer.position.value }}"><span class="mark" aria-hidden="true">'
    "{{ answer.position|position_mark }}</span> {{ answer.position|position_label }} "
    '<span class="who">({{ answer.member|who }})</span></li>{% endfor %}</ul>'
)


def test_a_cell_of_the_chart_is_written_as_its_template_loop_wrote_it() -> None:
    answers = [
        Answer(Position.ALLY, Member(name="Rosa <b>", is_you=True)),
        Answer(Position.LEANS_IN_THE_WAY, Member(name="Matiu", removed=True)),
        Answer(Position.UNKNOWN, Member()),
    ]
    assert answers_cell(answers) == Template(_LOOP).render(Context({"answers": answers}))
