"""The choices a team makes about a person beside the chart: closeness, consent, reporting.

The values are stable identifiers stored (encrypted) in the event log: never rename one.
Words for people live in the web layer.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Closeness", "Consent", "HolderKind", "Perspective", "Reporting", "Role", "Step"]


class Closeness(StrEnum):
    """How close someone is to the person doing harm, as the team sees it (the map's rings)."""

    CLOSE = "close"
    BETWEEN = "between"
    FURTHER = "further"
    UNKNOWN = "unknown"


class Consent(StrEnum):
    """Where asking someone to help stands. Nobody on the map has agreed to anything until
    they are asked; the app never contacts anyone."""

    IDEA = "idea"
    """Only an idea so far."""
    TO_ASK = "to_ask"
    """The team means to ask them."""
    ASKED = "asked"
    AGREED = "agreed"
    DECLINED = "declined"
    STEPPED_BACK = "stepped_back"
    """They agreed once and have stepped back since."""


class Reporting(StrEnum):
    """Whether someone may have to report to authorities (through their work, say).

    Information for a team that may be working without police: never a verdict.
    """

    UNKNOWN = "unknown"
    MAY_HAVE_TO = "may_have_to"
    NO = "no"


class Perspective(StrEnum):
    """Whose map an intervention is: the same engine, worded for who is using it."""

    TEAM = "team"
    """A team supporting a person doing harm to take responsibility (the default)."""
    OWN_ACCOUNTABILITY = "own_accountability"
    """The person doing harm's own map: "who can help me take responsibility?"."""
    OWN_SUPPORT = "own_support"
    """The person harmed's own map: "who can support me?"."""


class Role(StrEnum):
    """The roles checklist of the toolkit (Creative Interventions 4G). One person may hold
    several; not every role must be filled. Teams can name roles of their own too."""

    FACILITATOR = "facilitator"
    COORDINATOR = "coordinator"
    ACCOUNTABILITY_ALLY = "accountability_ally"
    SUPPORT_HARMED = "support_harmed"
    SUPPORT_ALLIES = "support_allies"
    LOGISTICS = "logistics"
    SAFETY_WATCH = "safety_watch"
    NOTE_KEEPER = "note_keeper"


class HolderKind(StrEnum):
    """Who holds a role or gives support: someone on the map, a team member, or (for
    support only) someone outside both, named in words."""

    PERSON = "person"
    MEMBER = "member"
    OUTSIDE = "outside"


class Step(StrEnum):
    """The staircase of change (Creative Interventions 4F), from the first step up."""

    STOP_VIOLENCE = "stop_violence"
    RECOGNISE_VIOLENCE = "recognise_violence"
    RECOGNISE_CONSEQUENCES = "recognise_consequences"
    MAKE_REPAIR = "make_repair"
    CHANGE_BEHAVIOUR = "change_behaviour"
    HEALTHIER_COMMUNITY = "healthier_community"
