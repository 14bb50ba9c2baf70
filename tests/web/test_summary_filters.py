"""The person page's filters (`templatetags/allymap_summary.py`) write, byte for byte,
what the template loops they replaced wrote: on every person of the demo, every page of
their history, and with awkward words and members."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

import pytest
from django.template import Context, Template

from allymap.chart import Position, default_chart
from allymap.domain.values import Perspective
from allymap.services import accounts, summary
from allymap.services.heading import Heading
from allymap.services.team import MemberLine
from allymap.web.forms import TalkedThroughForm
from allymap.web.own_words import RowWords, row_words_for
from allymap.web.templatetags.allymap_summary import (
    history_line,
    summary_answers,
    talk_answers,
    talked_form,
)
from tests.web.conftest import DemoPages

# The loops `person.html` had before the filters wrote them.
_ROW_LOOP = (
    "{% load i18n allymap_words %}{% with w=item.row|row_words:reading %}"
    '{% if item.answers %}<ul class="answers">\n'
    '{% for answer in item.answers %}<li class="answer pos-{{ answer.position.value }}">'
    '<span class="who">{{ answer.member|who }}:</span> <span class="mark" aria-hidden="true">'
    "{{ answer.position|position_mark }}</span> <strong>{{ answer.position|position_label }}"
    "</strong>{% with said=w|side_words:answer.position %}{% if said %} "
    '<span class="words">“{% blocktranslate with words=said %}This person {{ words }}'
    "{% endblocktranslate %}”</span>{% endif %}{% endwith %}{% if answer.evidence %}<br>"
    '<span class="evidence">{% if answer.member.is_you %}'
    '{% translate "What makes you think so:" %}{% else %}'
    '{% translate "What makes them think so:" %}{% endif %} “{{ answer.evidence }}”</span>'
    "{% endif %}</li>\n{% endfor %}</ul>{% endif %}{% endwith %}"
)
_TALK_LOOP = (
    '{% load allymap_words %}<ul class="side-by-side">\n'
    '{% for answer in item.answers %}<li class="pos-{{ answer.position.value }}">'
    '<span class="who">{{ answer.member|who }}</span><br><span class="mark" '
    'aria-hidden="true">{{ answer.position|position_mark }}</span> '
    "{{ answer.position|position_label }}{% if answer.evidence %}<br>"
    '<span class="evidence">“{{ answer.evidence }}”</span>{% endif %}</li>\n{% endfor %}</ul>'
)
_HISTORY_LOOP = (
    "{% load i18n allymap_words %}"
    '<li><time datetime="{{ line.at|date:\'c\' }}">{{ line.at|date:"j F Y, g:i a" }}</time>\n'
    '{% if line.kind == "position" %}<span class="who">{{ line.member|who }}</span>'
    '{% if line.row %} {% translate "on" %} “{{ line.row.topic }}”{% endif %}: '
    "{% if line.before == line.after %}{% blocktranslate with now=line.after|position_label %}"
    "still {{ now }}, with new words on what makes them think so{% endblocktranslate %}"
    "{% else %}{% blocktranslate with before=line.before|position_label "
    "after=line.after|position_label %}from {{ before }} to {{ after }}{% endblocktranslate %}"
    '{% endif %}{% if line.text %}. “{{ line.text }}”{% endif %}\n{% elif line.kind == "consent" %}'
    "{% blocktranslate with before=line.before|consent_label after=line.after|consent_label %}"
    "Asking them: from {{ before }} to {{ after }}{% endblocktranslate %}{% if line.member %}, "
    '{% translate "who will ask:" %} {{ line.member|who }}{% endif %}\n{% else %}'
    '<span class="who">{{ line.member|who }}</span> {% translate "marked as talked through" %}'
    "{% if line.row %}: {{ line.row.topic }}{% endif %}{% if line.text %}. “{{ line.text }}”"
    "{% endif %}{% endif %}</li>"
)


def _looped(loop: str, **context: Any) -> str:
    return Template(loop).render(Context(context))


def _same(reading: summary.PersonSummary) -> int:
    """Compare every row, talk row and history line of `reading`; how many were."""
    compared = 0
    perspective = Perspective(reading.heading.perspective)
    words = {row.row.key: row_words_for(row.row, perspective) for row in reading.rows}
    for item in reading.rows:
        if item.answers:
            ours = summary_answers(item.answers, words[item.row.key])
            assert ours == _looped(_ROW_LOOP, item=item, reading=reading)
            assert talk_answers(item.answers) == _looped(_TALK_LOOP, item=item)
            compared += 1
    for line in reading.history:
        assert history_line(line) == _looped(_HISTORY_LOOP, line=line)
        compared += 1
    return compared


def test_every_person_of_the_demo_is_written_as_the_loops_wrote_them(
    owner_unlocked: accounts.Unlocked, demo_pages: DemoPages
) -> None:
    compared = 0
    for person_id in demo_pages.state.people:
        page, pages = 1, 1
        while page <= pages:
            reading = summary.person_summary(
                keyring=owner_unlocked.keyring,
                intervention_id=demo_pages.intervention_id,
                person_id=person_id,
                history_page=page,
            )
            compared += _same(reading)
            pages = reading.history_paging.count
            page += 1
    assert compared > 100


AWKWARD = "Aunty <Mere> & \"Hine\" 'Tama'"


@dataclass(frozen=True)
class Member:
    member_id: str = "m1"
    name: str = ""
    is_you: bool = False
    removed: bool = False


@dataclass(frozen=True)
class Answer:
    member: Member
    position: Position
    evidence: str = ""


@dataclass(frozen=True)
class Line:
    kind: str
    at: dt.datetime
    member: Member | None = None
    row: Any = None
    before: str = ""
    after: str = ""
    text: str = ""


def test_awkward_words_and_members_are_written_as_the_loops_wrote_them() -> None:
    row = default_chart().rows[0]
    members = [
        Member(name=AWKWARD, is_you=True),
        Member(name="Matiu", removed=True),
        Member(),
    ]
    answers = [
        Answer(member, position, evidence)
        for member in members
        for position in Position
        for evidence in ("", AWKWARD)
    ]

    @dataclass(frozen=True)
    class Item:
        row: Any
        answers: list[Answer]

    item = Item(row, answers)
    for perspective in Perspective:
        words = row_words_for(row, perspective)
        assert summary_answers(answers, words) == _looped(
            _ROW_LOOP, item=item, reading=Heading("i1", "Kōwhai", perspective.value)
        )
    # Words of the chart that carry markup characters are escaped too.
    odd_words = RowWords(ally=AWKWARD, in_the_way=AWKWARD, questions=())
    assert summary_answers(answers, odd_words) == _looped(
        _ROW_LOOP.replace("{% with w=item.row|row_words:reading %}", "{% with w=words %}"),
        item=item,
        words=odd_words,
    )
    assert talk_answers(answers) == _looped(_TALK_LOOP, item=item)
    row = replace(row, topic=AWKWARD)

    at = dt.datetime(2026, 3, 14, 21, 5, tzinfo=dt.UTC)  # the next day in Aotearoa
    lines = [
        Line("position", at, members[0], row, "unknown", "ally", AWKWARD),
        Line("position", at, members[1], None, "ally", "ally", ""),
        Line("position", at, None, row, "leans_ally", "in_the_way", ""),
        Line("consent", at, None, None, "idea", "asked", ""),
        Line("consent", at, members[2], None, "asked", "to_ask", ""),
        Line("talked", at, members[0], row, text=AWKWARD),
        Line("talked", at, None),
    ]
    for line in lines:
        assert history_line(line) == _looped(_HISTORY_LOOP, line=line)
        assert history_line(replace(line, at=at.replace(hour=3))) == _looped(
            _HISTORY_LOOP, line=replace(line, at=at.replace(hour=3))
        )


# The form each row to talk about had in `person.html` before `talked_form` wrote it.
_FORM_BLOCK = (
    "{% load i18n allymap_forms allymap_links %}"
    '<form method="post" action="{% link \'talked_through\' iid pid %}" class="talked-form" '
    "novalidate>{% csrf_token %}\n"
    '{% if form.errors %}{% include "allymap/_error_summary.html" %}{% endif %}\n'
    "{{ form.row }}\n"
    '<div class="talked-fields">\n'
    '<div class="field{% if form.member.errors %} has-error{% endif %}"><label for="'
    '{{ form.member.id_for_label }}">{{ form.member.label }}</label>\n'
    "{{ form.member|field_errors }}\n"
    "{{ form.member|described }}</div>\n"
    '<div class="field{% if form.note.errors %} has-error{% endif %}"><label for="'
    '{{ form.note.id_for_label }}">{{ form.note.label }}</label>\n'
    "{{ form.note|field_errors }}\n"
    "{{ form.note|described }}</div>\n"
    "</div>\n"
    '<button type="submit" class="secondary">{% translate "Mark as talked through" %}</button>\n'
    "</form>"
)


@pytest.mark.parametrize("token", ["t0ken<&>", "NOTPROVIDED", ""])
def test_the_talk_form_is_written_as_its_template_wrote_it(token: str) -> None:
    members = [
        MemberLine(member_id="m1", name=AWKWARD, is_you=True, can_leave=False, removed=False),
        MemberLine(member_id="m2", name="Hine", is_you=False, can_leave=True, removed=False),
    ]
    forms = [
        TalkedThroughForm(members=members, row="respected"),
        TalkedThroughForm({"row": "respected", "member": "m2", "note": "ok"}, members=members),
        TalkedThroughForm(
            {"row": "x<y", "member": "nobody", "note": "n" * 5000}, members=members, row="x<y"
        ),
    ]
    for form in forms:
        form.is_valid()
        context = {"form": form, "iid": "i1", "pid": "p1", "csrf_token": token}
        ours = talked_form(Context(context), form, "i1", "p1")
        assert ours == Template(_FORM_BLOCK).render(Context(context))
    assert "has-error" in ours and "error-summary" in ours
