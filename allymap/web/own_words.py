"""The words of a person's own map for what the core codes: the chart's rows, the roles,
the gaps and the staircase's hints.

An intervention's perspective (`Perspective`) says whose map it is. A team's map speaks of
"the person doing harm" and "the person harmed"; the person doing harm's own map speaks to
them as "you" ("the person you harmed"), and the person harmed's own map speaks to them as
"you" ("the person who harmed you"). The page sentences that change are in
`words.PERSPECTIVE_WORDS`; here are the words keyed by the core's codes, as changes to the
team's words (`words.ROLE_LABELS`, `ROLE_HINTS`, `GAP_WORDS`, `GAP_WORDS_YOU`,
`STEP_HINTS`) and the chart's: a code or row missing here reads as the team's, because
its words name neither person.

The chart's rows are the source's words, kept in `allymap/chart/charts/*.toml`, one file
per version, never edited in place. Their words for a person's own map live here, keyed
by row (the keys are the same in every version), rather than in the chart files: a new
chart version for them would reach only interventions started after it. They follow the
newest version's wording (faithful to the source: rows 3, 6 and 8 keep "won't" and "can
only"); a row of a chart not listed here shows the chart's own words.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from allymap.chart import Position, Row, Side
from allymap.domain import GapKind, Perspective
from allymap.domain.values import Role, Step
from allymap.web.words import GAP_WORDS, GAP_WORDS_YOU, ROLE_HINTS, ROLE_LABELS, STEP_HINTS

__all__ = [
    "ALLY_COPY_ROWS",
    "OWN_ROWS",
    "OwnRow",
    "RowWords",
    "ally_copy_role_hint",
    "ally_copy_role_label",
    "ally_copy_words",
    "gap_words_for",
    "role_hint_for",
    "role_label_for",
    "row_words_for",
    "step_hint_for",
]


@dataclass(frozen=True)
class OwnRow:
    """A chart row's words on a person's own map; None keeps the chart's own."""

    ally: Promise
    in_the_way: Promise
    questions: tuple[Promise, ...] | None = None


@dataclass(frozen=True)
class RowWords:
    """A chart row as a page shows it on one map: its two sides (completing "This
    person…") and its questions."""

    ally: str
    in_the_way: str
    questions: tuple[str, ...]

    def for_side(self, position: Position) -> str:
        """The words of the side a position is on; none between the columns or unknown."""
        if position.side is Side.ALLY:
            return self.ally
        if position.side is Side.IN_THE_WAY:
            return self.in_the_way
        return ""


OWN_ROWS: dict[Perspective, dict[str, OwnRow]] = {
    Perspective.OWN_ACCOUNTABILITY: {
        "respected": OwnRow(
            _("is someone you care about or respect"),
            _("has no relationship with you, or a bad one"),
            (
                _("Do you care what this person thinks of you?"),
                _("How do the two of you get on at the moment?"),
            ),
        ),
        "sees_the_person": OwnRow(
            _("still sees you as a person, with whakapapa, owed respect and care"),
            _("feels raw anger, disgust, rage or contempt toward you"),
            (_("How does this person speak about you when you are not around?"),),
        ),
        "sees_the_harm": OwnRow(
            _(
                "understands the harm violence does, and keeps hold of that even when you are "
                "sad, angry, defensive or not coping"
            ),
            _(
                "won’t see the harm the violence has done, or plays it down, most of all when "
                "you are sad, angry, defensive or not coping"
            ),
            (_("When you are having a hard time, does this person still keep the harm in view?"),),
        ),
        "own_support": OwnRow(
            _("can get support for themselves if you reject them or make them a target"),
            _(
                "if rejected or targeted by you, will react with anger that makes things "
                "worse, won’t get support and may become too stressed, or will give up at any "
                "intimidation, criticism or threat of violence"
            ),
            (
                _("Who would support this person if you turned on them?"),
                _("How has this person coped with pressure, criticism or threats in the past?"),
            ),
        ),
        "care_without_excuses": OwnRow(
            _(
                "can care about and understand you while holding that care apart from your "
                "responsibility for the violence"
            ),
            _(
                "cares about and understands you in a way that leads to excusing the violence "
                "or blaming the person you hurt"
            ),
        ),
        "supports_change": OwnRow(
            _(
                "can help you cope with others knowing about the violence, not push people "
                "away, and change"
            ),
            _(
                "can only say their piece or ‘tell the truth’, then leave you to work out alone "
                "how to change"
            ),
            (_("Could this person stay alongside you through the long work of changing?"),),
        ),
        "different_with_others": OwnRow(
            _(
                "understands that you may act differently with other people, even if you have "
                "always been good to them"
            ),
            _("cannot hold their own experience of you apart from what others have lived through"),
            (
                _(
                    "If others describe you differently from how this person knows you, how "
                    "might they respond?"
                ),
            ),
        ),
    },
    Perspective.OWN_SUPPORT: {
        "respected": OwnRow(
            _("is someone the person who harmed you cares about or respects"),
            _("has no relationship with the person who harmed you, or a bad one"),
            (
                _("Does the person who harmed you care what this person thinks of them?"),
                _("How do the two of them get on at the moment?"),
            ),
        ),
        "sees_the_person": OwnRow(
            _(
                "still sees the person who harmed you as a person, with whakapapa, owed "
                "respect and care"
            ),
            _("feels raw anger, disgust, rage or contempt toward the person who harmed you"),
            (
                _(
                    "How does this person speak about the person who harmed you when they are "
                    "not around?"
                ),
            ),
        ),
        "sees_the_harm": OwnRow(
            _(
                "understands the harm violence does, and keeps hold of that even when the "
                "person who harmed you is sad, angry, defensive or not coping"
            ),
            _(
                "won’t see the harm the violence has done, or plays it down, most of all when "
                "the person who harmed you is sad, angry, defensive or not coping"
            ),
            (
                _(
                    "When the person who harmed you is having a hard time, does this person "
                    "still keep the harm in view?"
                ),
            ),
        ),
        "own_support": OwnRow(
            _(
                "can get support for themselves if the person who harmed you rejects them or "
                "makes them a target"
            ),
            _(
                "if rejected or targeted by the person who harmed you, will react with anger "
                "that makes things worse, won’t get support and may become too stressed, or "
                "will give up at any intimidation, criticism or threat of violence"
            ),
            (
                _("Who would support this person if the person who harmed you turned on them?"),
                _("How has this person coped with pressure, criticism or threats in the past?"),
            ),
        ),
        "care_without_excuses": OwnRow(
            _(
                "can care about and understand the person who harmed you while holding that "
                "care apart from their responsibility for the violence"
            ),
            _(
                "cares about and understands the person who harmed you in a way that leads to "
                "excusing the violence or blaming you"
            ),
        ),
        "supports_change": OwnRow(
            _(
                "can help the person who harmed you cope with others knowing about the "
                "violence, not push people away, and change"
            ),
            _(
                "can only say their piece or ‘tell the truth’, then leave the person who "
                "harmed you to work out alone how to change"
            ),
            (
                _(
                    "Could this person stay alongside the person who harmed you through the "
                    "long work of changing?"
                ),
            ),
        ),
        "different_with_others": OwnRow(
            _(
                "understands that the person who harmed you may act differently with other "
                "people, even if they have always been good to this person"
            ),
            _(
                "cannot hold their own experience of the person who harmed you apart from "
                "what others have lived through"
            ),
            (
                _(
                    "If others describe the person who harmed you differently from how this "
                    "person knows them, how might they respond?"
                ),
            ),
        ),
    },
}
"""The chart's rows on a person's own map, by row key; a row not listed names neither
person and reads as the chart has it."""


def row_words_for(row: Row, perspective: Perspective) -> RowWords:
    """A chart row's words on a map of this perspective."""
    own = OWN_ROWS.get(perspective, {}).get(row.key)
    if own is None:
        return RowWords(row.ally, row.in_the_way, row.questions)
    questions = row.questions if own.questions is None else tuple(map(str, own.questions))
    return RowWords(str(own.ally), str(own.in_the_way), questions)


# --- an ally's own copy ---------------------------------------------------------------

ALLY_COPY_ROWS: dict[str, Promise] = {
    "respected": _("is someone the person they are standing by cares about or respects"),
    "sees_the_person": _(
        "still sees the person they are standing by as a whole person, with whakapapa, owed "
        "respect and care"
    ),
    "sees_the_harm": _(
        "understands what violence does to people, and keeps hold of that even when the "
        "person they are standing by is upset, angry, defensive or struggling"
    ),
    "communicates": _("can say what needs saying, clearly and well"),
    "gives_space": _("can tell when to ease off and leave room for what has been said to sink in"),
    "own_support": _(
        "can find support for themselves if the person they are standing by shuts them out "
        "or turns on them"
    ),
    "care_without_excuses": _(
        "can care about and understand the person they are standing by while holding that "
        "care apart from that person’s responsibility for the violence"
    ),
    "supports_change": _(
        "can help the person they are standing by cope with others knowing about the "
        "violence, stay connected rather than push people away, and change"
    ),
    "different_with_others": _(
        "understands that the person they are standing by may act differently with other "
        "people, even if they have always been good to the ally"
    ),
    "team_communication": _(
        "keeps talking with the rest of the team, clearly and often, even through "
        "disagreement or conflict"
    ),
}
"""The ally column on an ally's own copy, on every map: the ally reads it, so it speaks
of "the person they are standing by", never "you" (on the person doing harm's own map,
"you" is the person doing harm, and handed to the ally it would read as accusing them).
A row missing here shows the chart's own words."""


ALLY_COPY_ROLE_LABELS: dict[Role, Promise] = {
    Role.SUPPORT_HARMED: _("Support for someone who was harmed"),
}
ALLY_COPY_ROLE_HINTS: dict[Role, Promise] = {
    Role.ACCOUNTABILITY_ALLY: _(
        "Standing by someone while they take responsibility for harm they did, face it and change."
    ),
    Role.SUPPORT_HARMED: _(
        "Standing by someone who was harmed: listening, and helping with what they need and want."
    ),
    Role.SUPPORT_ALLIES: _(
        "Being there for the allies, who can be rejected or targeted, so nobody carries it alone."
    ),
}
"""The roles as an ally's own copy words them, on every map, for the same reason as its
rows: the ally reads it. A role missing here reads as the team's (its words name nobody)."""


def ally_copy_role_label(role: Role) -> str:
    """A checklist role's name on an ally's own copy."""
    return str(ALLY_COPY_ROLE_LABELS.get(role, ROLE_LABELS[role]))


def ally_copy_role_hint(role: Role) -> str:
    """What a checklist role is, in a line, on an ally's own copy."""
    return str(ALLY_COPY_ROLE_HINTS.get(role, ROLE_HINTS[role]))


def ally_copy_words(row: Row) -> str:
    """A row's ally column as an ally's own copy says it (`ALLY_COPY_ROWS`)."""
    own = ALLY_COPY_ROWS.get(row.key)
    return row.ally if own is None else str(own)


# --- roles ----------------------------------------------------------------------------

OWN_ROLE_LABELS: dict[Perspective, dict[Role, Promise]] = {
    Perspective.OWN_ACCOUNTABILITY: {
        Role.SUPPORT_HARMED: _("Support for the person you harmed"),
    },
    Perspective.OWN_SUPPORT: {
        Role.SUPPORT_HARMED: _("Support for you"),
    },
}

OWN_ROLE_HINTS: dict[Perspective, dict[Role, Promise]] = {
    Perspective.OWN_ACCOUNTABILITY: {
        Role.ACCOUNTABILITY_ALLY: _(
            "Stands by you while you take responsibility, face what you did and change."
        ),
        Role.SUPPORT_HARMED: _(
            "Stands by the person you harmed: listens, and helps with what they need and want."
        ),
        Role.SUPPORT_ALLIES: _(
            "Is there for the people who stand by you, who can be rejected or targeted too, "
            "so nobody carries it alone."
        ),
    },
    Perspective.OWN_SUPPORT: {
        Role.ACCOUNTABILITY_ALLY: _(
            "Supports the person who harmed you to take responsibility, face what they did and "
            "change."
        ),
        Role.SUPPORT_HARMED: _("Stands by you: listens, and helps with what you need and want."),
    },
}


def role_label_for(role: Role, perspective: Perspective) -> str:
    """A checklist role's name on a map of this perspective."""
    return str(OWN_ROLE_LABELS.get(perspective, {}).get(role, ROLE_LABELS[role]))


def role_hint_for(role: Role, perspective: Perspective) -> str:
    """What a checklist role is, in a line, on a map of this perspective."""
    return str(OWN_ROLE_HINTS.get(perspective, {}).get(role, ROLE_HINTS[role]))


# --- the gaps panel -------------------------------------------------------------------

# Words both own maps share: there may be no team beyond the person whose map it is.
_OWN_GAPS: dict[GapKind, Promise] = {
    GapKind.TOO_MANY_ROLES: _(
        "%(name)s holds %(held)s roles, more than the %(limit)s set for one person."
    ),
    GapKind.UNKNOWN_ROWS: _(
        "Nobody knows yet about these rows for %(name)s: questions to find out."
    ),
    GapKind.DIFFERENCES: _(
        "The answers about %(name)s differ on these rows, not talked through yet."
    ),
    GapKind.NOBODY_IN_TOUCH: _(
        "Nobody is keeping everyone in touch yet: no facilitator or coordinator (row 10: "
        "keep communicating clearly and regularly, even through disagreement)."
    ),
    GapKind.MOVED_AWAY: _(
        "Since the last check-in, the answers about %(name)s moved towards “might get in the "
        "way” (they might still help in other ways), or they stepped back. Worth talking "
        "about."
    ),
}

OWN_GAP_WORDS: dict[Perspective, dict[GapKind, Promise]] = {
    Perspective.OWN_ACCOUNTABILITY: _OWN_GAPS
    | {
        GapKind.NO_ALLY: _("Nobody has agreed yet to stand by you as an accountability ally."),
        GapKind.ALLY_WITHOUT_SUPPORT: _(
            "%(name)s is down as an accountability ally for you, with nobody supporting them "
            "yet (row 6: allies get rejected and targeted too)."
        ),
        # Not offered on this map (services/roles.py `_offered`), so it cannot arise; worded
        # for a role given before that was so.
        GapKind.ROLES_MIXED: _(
            "%(name)s is both supporting the person you harmed and an accountability ally for "
            "you. Mataora advises keeping these roles apart."
        ),
    },
    Perspective.OWN_SUPPORT: _OWN_GAPS
    | {
        # Still a gap here: the map asks who could help the person who harmed them change,
        # too. Worded so that finding an ally is not the person harmed's burden.
        GapKind.NO_ALLY: _(
            "Nobody has agreed yet to be an accountability ally for the person who harmed "
            "you. Finding one is not yours alone to carry."
        ),
        GapKind.ALLY_WITHOUT_SUPPORT: _(
            "%(name)s is an accountability ally for the person who harmed you, with nobody "
            "supporting them yet (row 6: allies get rejected and targeted too)."
        ),
        GapKind.ROLES_MIXED: _(
            "%(name)s is both supporting you and an accountability ally for the person who "
            "harmed you. Mataora advises keeping these roles apart where you can; it is your "
            "call."
        ),
    },
}

OWN_GAP_WORDS_YOU: dict[Perspective, dict[GapKind, Promise]] = {
    own: {
        GapKind.TOO_MANY_ROLES: _(
            "You hold %(held)s roles, more than the %(limit)s set for one person."
        ),
    }
    for own in (Perspective.OWN_ACCOUNTABILITY, Perspective.OWN_SUPPORT)
}


def gap_words_for(kind: GapKind, perspective: Perspective, *, about_you: bool) -> str:
    """What a gap says (placeholders unfilled) on a map of this perspective; `about_you`
    when it is about the reader's own team member."""
    if about_you and kind in GAP_WORDS_YOU:
        return str(OWN_GAP_WORDS_YOU.get(perspective, {}).get(kind, GAP_WORDS_YOU[kind]))
    return str(OWN_GAP_WORDS.get(perspective, {}).get(kind, GAP_WORDS[kind]))


# --- the staircase of change ----------------------------------------------------------

OWN_STEP_HINTS: dict[Perspective, dict[Step, Promise]] = {
    Perspective.OWN_ACCOUNTABILITY: {
        Step.STOP_VIOLENCE: _(
            "Stopping it now, or enough to take the next step. For a while, this can be the "
            "whole goal."
        ),
        Step.RECOGNISE_CONSEQUENCES: _(
            "Seeing what it did to the person you harmed and to others, without excuses or blame."
        ),
        Step.MAKE_REPAIR: _(
            "Doing what can be done to make up for the harm, as those you harmed need."
        ),
    },
    Perspective.OWN_SUPPORT: {
        Step.RECOGNISE_CONSEQUENCES: _(
            "Seeing what it did to you and to others, without excuses or blame."
        ),
        Step.MAKE_REPAIR: _(
            "Doing what can be done to make up for the harm, as you and others harmed need."
        ),
    },
}


def step_hint_for(step: Step, perspective: Perspective) -> str:
    """What a staircase step can mean, in a line, on a map of this perspective."""
    return str(OWN_STEP_HINTS.get(perspective, {}).get(step, STEP_HINTS[step]))
