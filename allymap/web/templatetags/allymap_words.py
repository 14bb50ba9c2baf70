"""Template filters that word the core's codes (see `allymap.web.words`)."""

from __future__ import annotations

from django import template

from allymap.chart import Position
from allymap.domain.values import Closeness, Consent, Reporting
from allymap.services.errors import Damage
from allymap.web.words import (
    CLOSENESS_LABELS,
    CONSENT_LABELS,
    DAMAGE_WORDS,
    POSITION_LABELS,
    POSITION_MARKS,
    REPORTING_LABELS,
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
