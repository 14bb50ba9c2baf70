"""Template filters that word the core's codes (see `allymap.web.words`)."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext

from allymap.chart import Position
from allymap.domain.values import Closeness, Consent, Perspective, Reporting, Role, Step
from allymap.services.errors import Damage
from allymap.services.heading import Heading
from allymap.web.words import (
    CLOSENESS_LABELS,
    CONSENT_LABELS,
    DAMAGE_WORDS,
    PERSPECTIVE_WORDS,
    POSITION_LABELS,
    POSITION_MARKS,
    REPORTING_LABELS,
    ROLE_LABELS,
    STEP_HINTS,
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


@register.filter
def says(reading: object, key: str) -> str:
    """``{{ reading.heading|says:"question" }}``: what a page says that changes with whose
    map it is (`PERSPECTIVE_WORDS`). Given an overview (``{{ overview|says:"about" }}``),
    the words that name the person doing harm (``%(doing_harm)s``) name them by alias."""
    heading = reading if isinstance(reading, Heading) else getattr(reading, "heading", None)
    if not isinstance(heading, Heading):
        raise TypeError(f"says needs a Heading or a reading with one, not {reading!r}")
    words = str(PERSPECTIVE_WORDS[Perspective(heading.perspective)][key])
    if "%(" not in words:
        return words
    return words % {"doing_harm": getattr(reading, "doing_harm_alias", "")}


@register.filter
def step_label(value: str) -> str:
    """``{{ note.step|step_label }}``: a staircase `Step` value in words."""
    return str(STEP_LABELS[Step(value)])


@register.filter
def step_hint(value: str) -> str:
    """``{{ step|step_hint }}``: what a staircase step can mean, in a line."""
    return str(STEP_HINTS[Step(value)])


@register.filter
def step_number(value: str) -> int:
    """``{{ note.step|step_number }}``: the step's place on the staircase, from 1."""
    return list(Step).index(Step(value)) + 1


@register.filter
def timeline_role(line: object) -> str:
    """``{{ line|timeline_role }}``: the role a timeline line is about, in words: the
    team's own name for a role it named, else the checklist's."""
    name = str(getattr(line, "role_name", ""))
    role = str(getattr(line, "role", ""))
    if name or role not in {r.value for r in Role}:
        return name or gettext("a role the team named")
    return str(ROLE_LABELS[Role(role)])
