"""The self-check's words: the ten rows in the first person, and the answers worded for
oneself.

Each row of the chart (keyed as in `allymap/chart/charts/*.toml`, the same keys in every
version) is written here as a team member would ask it of themselves: a question, and
its two sides, faithful to the chart's wording (rows 3, 6 and 8 keep the source's
"won't" and "can only"). A chart with rows not listed here shows its own wording.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from allymap.chart import Position
from allymap.domain import Perspective

__all__ = ["SELF_POSITION_LABELS", "SELF_ROWS", "SELF_ROWS_STANDING_BY", "SelfRow", "self_rows_for"]


@dataclass(frozen=True)
class SelfRow:
    """One row of the chart in the first person."""

    question: Promise
    ally: Promise
    """The accountability ally's side."""
    in_the_way: Promise
    """The side that might get in the way of accountability and change (but might help
    the intervention in other ways)."""


SELF_ROWS: dict[str, SelfRow] = {
    "respected": SelfRow(
        _("Does the person doing harm care what I think?"),
        _("The person doing harm cares about me or respects me."),
        _("I have no relationship with the person doing harm, or a bad one."),
    ),
    "sees_the_person": SelfRow(
        _("How do I speak about the person doing harm when they are not around?"),
        _("I still see the person doing harm as a person, with whakapapa, owed respect and care."),
        _("I feel raw anger, disgust, rage or contempt toward the person doing harm."),
    ),
    "sees_the_harm": SelfRow(
        _("When the person doing harm is having a hard time, do I still keep the harm in view?"),
        _(
            "I understand the harm violence does, and keep hold of that even when the person "
            "doing harm is sad, angry, defensive or not coping."
        ),
        _(
            "I won’t see the harm the violence has done, or I play it down, most of all when "
            "the person doing harm is sad, angry, defensive or not coping."
        ),
    ),
    "communicates": SelfRow(
        _("When I have something hard to say, do others come away understanding it?"),
        _("I can say what needs saying, clearly and well."),
        _(
            "I get sidetracked from what I mean to say, I am not always easy to follow, or I "
            "can be vague and unclear."
        ),
    ),
    "gives_space": SelfRow(
        _("Do I notice when someone has heard as much as they can for now?"),
        _("I can tell when to ease off and leave room for what has been said to sink in."),
        _(
            "I go in hard and keep pressing my point, without noticing when the other person "
            "can take in no more, or when my way of talking is not helping."
        ),
    ),
    "own_support": SelfRow(
        _("Who would support me if the person doing harm turned on me?"),
        _("I can get support for myself if the person doing harm rejects me or makes me a target."),
        _(
            "If the person doing harm rejects me or makes me a target, I react with anger "
            "that makes things worse, I won’t get support and may become too stressed, or I "
            "give up at any intimidation, criticism or threat of violence."
        ),
    ),
    "care_without_excuses": SelfRow(
        _("When I talk about what happened, where do I place the responsibility?"),
        _(
            "I can care about and understand the person doing harm while holding that care "
            "apart from their responsibility for the violence."
        ),
        _(
            "I care about and understand the person doing harm in a way that leads me to "
            "excuse the violence or blame the person who was hurt."
        ),
    ),
    "supports_change": SelfRow(
        _("Could I stay alongside the person doing harm through the long work of changing?"),
        _(
            "I can help the person doing harm cope with others knowing about the violence, "
            "not push people away, and change."
        ),
        _(
            "I can only say my piece or ‘tell the truth’, then leave the person doing harm to "
            "work out alone how to change."
        ),
    ),
    "different_with_others": SelfRow(
        _(
            "If others describe the person doing harm differently from how I know them, how "
            "might I respond?"
        ),
        _(
            "I understand that the person doing harm may act differently with other people, "
            "even if they have always been good to me."
        ),
        _(
            "I cannot hold my own experience of the person doing harm apart from what others "
            "have lived through."
        ),
    ),
    "team_communication": SelfRow(
        _("When I disagree with a group, do I say so, or step away?"),
        _(
            "I keep talking with the rest of the team, clearly and often, even through "
            "disagreement or conflict."
        ),
        _("I withdraw to avoid conflict, or even turn against the intervention."),
    ),
}

SELF_ROWS_STANDING_BY: dict[str, SelfRow] = SELF_ROWS | {
    "respected": SelfRow(
        _("Does the person I would stand by care what I think?"),
        _("The person I would stand by cares about me or respects me."),
        _("I have no relationship with the person I would stand by, or a bad one."),
    ),
    "sees_the_person": SelfRow(
        _("How do I speak about the person I would stand by when they are not around?"),
        _(
            "I still see the person I would stand by as a person, with whakapapa, owed "
            "respect and care."
        ),
        _("I feel raw anger, disgust, rage or contempt toward the person I would stand by."),
    ),
    "sees_the_harm": SelfRow(
        _(
            "When the person I would stand by is having a hard time, do I still keep the harm "
            "in view?"
        ),
        _(
            "I understand the harm violence does, and keep hold of that even when the person "
            "I would stand by is sad, angry, defensive or not coping."
        ),
        _(
            "I won’t see the harm the violence has done, or I play it down, most of all when "
            "the person I would stand by is sad, angry, defensive or not coping."
        ),
    ),
    "own_support": SelfRow(
        _("Who would support me if the person I would stand by turned on me?"),
        _(
            "I can get support for myself if the person I would stand by rejects me or makes "
            "me a target."
        ),
        _(
            "If the person I would stand by rejects me or makes me a target, I react with "
            "anger that makes things worse, I won’t get support and may become too stressed, "
            "or I give up at any intimidation, criticism or threat of violence."
        ),
    ),
    "care_without_excuses": SelfRow(
        _("When I talk about what happened, where do I place the responsibility?"),
        _(
            "I can care about and understand the person I would stand by while holding that "
            "care apart from their responsibility for the violence."
        ),
        _(
            "I care about and understand the person I would stand by in a way that leads me "
            "to excuse the violence or blame the person who was hurt."
        ),
    ),
    "supports_change": SelfRow(
        _("Could I stay alongside the person I would stand by through the long work of changing?"),
        _(
            "I can help the person I would stand by cope with others knowing about the "
            "violence, not push people away, and change."
        ),
        _(
            "I can only say my piece or ‘tell the truth’, then leave the person I would stand "
            "by to work out alone how to change."
        ),
    ),
    "different_with_others": SelfRow(
        _(
            "If others describe the person I would stand by differently from how I know them, "
            "how might I respond?"
        ),
        _(
            "I understand that the person I would stand by may act differently with other "
            "people, even if they have always been good to me."
        ),
        _(
            "I cannot hold my own experience of the person I would stand by apart from what "
            "others have lived through."
        ),
    ),
}
"""The same rows for a person's own map, where whoever goes through them is thinking of
standing by someone the page does not call "the person doing harm": the person whose map
it is, or the person who harmed them (the page says which)."""

SELF_POSITION_LABELS: dict[Position, Promise] = {
    Position.ALLY: _("The ally side fits me"),
    Position.LEANS_ALLY: _("Mostly the ally side"),
    Position.MIXED: _("Some of both"),
    Position.LEANS_IN_THE_WAY: _("Mostly the other side: something to get support with"),
    Position.IN_THE_WAY: _("The other side fits me: something to get support with"),
    Position.UNKNOWN: _("I don’t know yet"),
}
"""The six answers, worded for oneself. "The other side" is named in full on the page:
what might get in the way of accountability and change, but might help the intervention
in other ways."""


def self_rows_for(perspective: str) -> dict[str, SelfRow]:
    """The rows in the first person for a map of this perspective (a `Perspective` value)."""
    return SELF_ROWS if Perspective(perspective) is Perspective.TEAM else SELF_ROWS_STANDING_BY
