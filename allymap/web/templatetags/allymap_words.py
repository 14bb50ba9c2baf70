"""Template filters that word the core's codes (see `allymap.web.words`)."""

from __future__ import annotations

from django import template

from allymap.chart import Position
from allymap.services.errors import Damage
from allymap.web.words import DAMAGE_WORDS, POSITION_LABELS, POSITION_MARKS

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
