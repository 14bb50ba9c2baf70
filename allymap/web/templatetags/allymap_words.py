"""Template filters that word the core's codes (see `allymap.web.words`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from allymap.chart import Position, Row
from allymap.domain.values import Closeness, Consent, Perspective, Reporting, Role, Step
from allymap.pictures import Lean
from allymap.services.errors import Damage
from allymap.services.heading import Heading
from allymap.web.forms.renderer import escaped
from allymap.web.own_words import (
    RowWords,
    ally_copy_words,
    role_label_for,
    row_words_for,
    step_hint_for,
)
from allymap.web.words import (
    CLOSENESS_LABELS,
    CONSENT_LABELS,
    DAMAGE_WORDS,
    LEAN_LABELS,
    PERSPECTIVE_WORDS,
    POSITION_LABELS,
    POSITION_MARKS,
    REPORTING_LABELS,
    STEP_LABELS,
)

register = template.Library()


@register.filter
def position_label(position: Position) -> str:
    """``{{ position|position_label }}``: the position's words."""
    return str(POSITION_LABELS[position])


@register.filter
def position_mark(position: Position) -> str:
    """``{{ position|position_mark }}``: the short mark shown beside its words."""
    return POSITION_MARKS[position]


@register.filter
def damage_words(damage: Damage) -> str:
    """``{{ damage|damage_words }}``: what is wrong with a stored record, in words."""
    return str(DAMAGE_WORDS[damage])


@register.filter
def closeness_label(value: str) -> str:
    """``{{ person.closeness|closeness_label }}``: a `Closeness` value in words."""
    return str(CLOSENESS_LABELS[Closeness(value)])


@register.filter
def consent_label(value: str) -> str:
    """``{{ person.consent|consent_label }}``: a `Consent` value in words."""
    return str(CONSENT_LABELS[Consent(value)])


@register.filter
def reporting_label(value: str) -> str:
    """``{{ person.reporting|reporting_label }}``: a `Reporting` value in words."""
    return str(REPORTING_LABELS[Reporting(value)])


def perspective_of(reading: object) -> Perspective:
    """Whose map a page is about, from its `Heading` or a reading that has one. Anything
    else (a template that forgot to pass it) is a TypeError, never the team's words."""
    heading = reading if isinstance(reading, Heading) else getattr(reading, "heading", None)
    if not isinstance(heading, Heading):
        raise TypeError(f"whose map it is needs a Heading or a reading with one, not {reading!r}")
    return Perspective(heading.perspective)


@register.filter
def says(reading: object, key: str) -> str:
    """``{{ reading.heading|says:"question" }}``: what a page says that changes with whose
    map it is (`PERSPECTIVE_WORDS`). Given an overview (``{{ overview|says:"about" }}``),
    the words that name the person doing harm (``%(doing_harm)s``) or the person harmed
    (``%(harmed)s``) name them by alias."""
    words = str(PERSPECTIVE_WORDS[perspective_of(reading)][key])
    if "%(" not in words:
        return words
    return words % {
        "doing_harm": getattr(reading, "doing_harm_alias", ""),
        "harmed": getattr(reading, "harmed_alias", ""),
    }


@register.filter
def row_words(row: Row, reading: object) -> RowWords:
    """``{% with w=v.row|row_words:reading %}``: a chart row's two sides and questions as
    this map words them (`own_words.OWN_ROWS`): ``{{ w.ally }}``, ``{{ w.questions }}``."""
    return row_words_for(row, perspective_of(reading))


@register.filter
def ally_copy(row: Row) -> str:
    """``{{ row|ally_copy }}``: a row's ally column as an ally's own copy words it, about
    "the person they are standing by" on every map (`own_words.ALLY_COPY_ROWS`)."""
    return ally_copy_words(row)


@register.filter
def side_words(words: RowWords, position: Position) -> str:
    """``{{ w|side_words:answer.position }}``: the words of the side a position is on."""
    return words.for_side(position)


@register.filter
def step_label(value: str) -> str:
    """``{{ note.step|step_label }}``: a staircase `Step` value in words."""
    return str(STEP_LABELS[Step(value)])


@register.filter
def step_hint(value: str, reading: object) -> str:
    """``{{ step|step_hint:heading }}``: what a staircase step can mean, in a line, as this
    map words it."""
    return step_hint_for(Step(value), perspective_of(reading))


@register.filter
def step_number(value: str) -> int:
    """``{{ note.step|step_number }}``: the step's place on the staircase, from 1."""
    return list(Step).index(Step(value)) + 1


@register.filter
def timeline_role(line: object, reading: object) -> str:
    """``{{ line|timeline_role:reading }}``: the role a timeline line is about, in words:
    the team's own name for a role it named, else the checklist's, as this map words it."""
    name = str(getattr(line, "role_name", ""))
    role = str(getattr(line, "role", ""))
    if name or role not in {r.value for r in Role}:
        return name or gettext("a role the team named")
    return role_label_for(Role(role), perspective_of(reading))


@register.filter
def lean_label(value: str) -> str:
    """``{{ person.lean|lean_label }}``: where the team's answers lean (a `Lean`), in words."""
    return str(LEAN_LABELS[Lean(value)])


@register.filter
def lean_counts(person: object) -> str:
    """``{{ map_person|lean_counts }}``: the team's answers about someone counted by side
    of the chart (answers, not a score), after how they add up: "20 answers (2 team
    members × 10 rows): …", then on how many rows nobody knows yet."""
    ally, between = getattr(person, "ally", 0), getattr(person, "between", 0)
    in_the_way, unknown = getattr(person, "in_the_way", 0), getattr(person, "unknown", 0)
    total = ally + between + in_the_way + unknown
    rows = getattr(person, "rows", 0) or total
    # Answers, not people: each team member who answered has one on every row.
    members = total // rows if rows else 0
    head = ngettext(
        "%(total)s answers (%(members)s team member × %(rows)s rows): ",
        "%(total)s answers (%(members)s team members × %(rows)s rows): ",
        members,
    ) % {"total": total, "members": members, "rows": rows}
    counted = gettext(
        "%(ally)s on the ally side, %(between)s some of both, %(in_the_way)s on the "
        "might-get-in-the-way side, %(unknown)s don’t know yet"
    ) % {"ally": ally, "between": between, "in_the_way": in_the_way, "unknown": unknown}
    # What "mostly not known yet" is judged on (the rows, not the answers), so the table
    # says why a marker is what it is.
    not_known = getattr(person, "rows_not_known", 0)
    if not not_known or not total:
        return head + counted
    return (
        head
        + counted
        + gettext("; nobody knows yet on %(not_known)s of %(rows)s rows")
        % {"not_known": not_known, "rows": rows}
    )


def _said(thing: object, name: str) -> object:
    """What `{{ thing.name }}` gives a template: a key, else an attribute, else nothing."""
    if isinstance(thing, Mapping):
        return thing.get(name, "")
    return getattr(thing, name, "")


@register.filter
def who(member: object) -> SafeString:
    """``{{ member|who }}``: a team member as the pages name them. "You" on the screen,
    and on paper the name (printed, "You" would mean whoever holds the sheet); a member
    without a name is "A team member"; one who left says so.

    A filter, not an included template: a person's page names members a hundred times,
    and each include cost more than the rest of its line (`bench/pages.py --profile`).
    """
    name = _said(member, "name")
    named = escape(name) if name else escape(gettext("A team member"))
    if _said(member, "is_you"):
        shown = format_html(
            '<span class="screen-only">{}</span><span class="print-only print-name">{}</span>',
            gettext("You"),
            named,
        )
    else:
        shown = named
    if _said(member, "removed"):
        return format_html("{} {}", shown, gettext("(has left the team)"))
    return shown


@register.filter
def answers_cell(answers: Iterable[Any]) -> SafeString:
    """``{{ cell.answers|answers_cell }}``: a cell of the side-by-side chart, each team
    member's answer with its mark, its words and whose it is.

    Written here, not by a loop in the template: the chart with eight people chosen has
    hundreds of answers, and the loop was most of the page's time."""
    items = "".join(
        f'<li class="pos-{escaped(answer.position.value)}"><span class="mark" '
        f'aria-hidden="true">{escaped(position_mark(answer.position))}</span> '
        f"{escaped(position_label(answer.position))} "
        f'<span class="who">({who(answer.member)})</span></li>'
        for answer in answers
    )
    return mark_safe(f'<ul class="cell">{items}</ul>')  # noqa: S308 - escaped above
