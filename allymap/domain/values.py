"""The choices a team makes about a person beside the chart: closeness, consent, reporting.

The values are stable identifiers stored (encrypted) in the event log: never rename one.
Words for people live in the web layer.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Closeness", "Consent", "Reporting"]


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
