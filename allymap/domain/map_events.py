"""The events of the map itself: the intervention, its team, its people, their positions
and the team's notes.

They are listed in the `Event` union of `allymap.domain.events`, which re-exports them;
see that module for how events are versioned.
"""

from __future__ import annotations

import msgspec

from allymap.chart.positions import Position
from allymap.domain.values import Closeness, Consent, Perspective, Reporting

__all__ = [
    "ConsentChanged",
    "DifferenceTalkedThrough",
    "InterventionArchived",
    "InterventionChanged",
    "InterventionStarted",
    "MemberAdded",
    "MemberChanged",
    "MemberRemoved",
    "NoteAdded",
    "PersonAdded",
    "PersonChanged",
    "PersonRemoved",
    "PositionRecorded",
]


class InterventionStarted(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    tag_field="type",
    tag="intervention_started/2",
    forbid_unknown_fields=True,
):
    """The first event of every intervention.

    `perspective` says whose map it is (a team's, or a person's own), which sets the
    pages' wording; the engine is the same.

    `chart_id` and `chart_version` name the chart the team reflects with, so positions
    keep their meaning when the chart changes later. Whoever starts it is the team's
    first member, with their account id as member id (no event of its own).
    """

    code_name: str
    doing_harm_alias: str
    harmed_alias: str = ""
    chart_id: str
    chart_version: int
    perspective: Perspective = Perspective.TEAM


class InterventionChanged(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    tag_field="type",
    tag="intervention_changed/1",
    forbid_unknown_fields=True,
):
    """The intervention's code name and aliases, as they now stand (all three given)."""

    code_name: str
    doing_harm_alias: str
    harmed_alias: str


class InterventionArchived(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    tag_field="type",
    tag="intervention_archived/1",
    forbid_unknown_fields=True,
):
    """The intervention was put away (`archived`), or brought back (not `archived`)."""

    archived: bool


class MemberAdded(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    tag_field="type",
    tag="member_added/1",
    forbid_unknown_fields=True,
):
    """Someone joined the team, by a name the team chose. `member_id` is random.

    `account_id` links the member to an account (hosted mode); empty for a member who
    has no account, whose views the facilitator records for them.
    """

    member_id: str
    name: str
    account_id: str = ""


class MemberChanged(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    tag_field="type",
    tag="member_changed/1",
    forbid_unknown_fields=True,
):
    """A team member's name, as it now stands."""

    member_id: str
    name: str


class MemberRemoved(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    tag_field="type",
    tag="member_removed/1",
    forbid_unknown_fields=True,
):
    """A team member left the team. What they recorded stays, under their name."""

    member_id: str


class PersonAdded(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    tag_field="type",
    tag="person_added/2",
    forbid_unknown_fields=True,
):
    """Someone was put on the map. `person_id` is random and never reused.

    `relationship` is to the person doing harm, `relationship_harmed` to the person
    harmed. `asker` is the member id of the team member who will ask them, or empty.
    """

    person_id: str
    alias: str
    relationship: str = ""
    relationship_harmed: str = ""
    closeness: Closeness = Closeness.UNKNOWN
    offers: str = ""
    other_ways: str = ""
    reporting: Reporting = Reporting.UNKNOWN
    consent: Consent = Consent.IDEA
    asker: str = ""


class PersonChanged(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    tag_field="type",
    tag="person_changed/2",
    forbid_unknown_fields=True,
):
    """The details of a person that changed (UNSET: unchanged). Consent has an event of
    its own (`ConsentChanged`), so that its history reads plainly."""

    person_id: str
    alias: str | msgspec.UnsetType = msgspec.UNSET
    relationship: str | msgspec.UnsetType = msgspec.UNSET
    relationship_harmed: str | msgspec.UnsetType = msgspec.UNSET
    closeness: Closeness | msgspec.UnsetType = msgspec.UNSET
    offers: str | msgspec.UnsetType = msgspec.UNSET
    other_ways: str | msgspec.UnsetType = msgspec.UNSET
    reporting: Reporting | msgspec.UnsetType = msgspec.UNSET


class ConsentChanged(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    tag_field="type",
    tag="consent_changed/1",
    forbid_unknown_fields=True,
):
    """Where asking a person stands now, and who will ask (a member id, or empty)."""

    person_id: str
    consent: Consent
    asker: str


class PersonRemoved(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    tag_field="type",
    tag="person_removed/1",
    forbid_unknown_fields=True,
):
    """A person was taken off the map. Their history stays in the log."""

    person_id: str


class PositionRecorded(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    tag_field="type",
    tag="position_recorded/2",
    forbid_unknown_fields=True,
):
    """Where one team member places a person on one row of the chart, and why.

    `member_id` is whose view it is (the facilitator may record it for them at a hui);
    the account that wrote it is the record's author.
    """

    person_id: str
    member_id: str
    row_key: str
    position: Position
    evidence: str = ""


class DifferenceTalkedThrough(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    tag_field="type",
    tag="difference_talked_through/1",
    forbid_unknown_fields=True,
):
    """The team talked through how its members see one row of a person differently.

    `member_id` is who marked it. A later position on the row makes it a difference to
    talk about again.
    """

    person_id: str
    row_key: str
    member_id: str
    note: str = ""


class NoteAdded(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    tag_field="type",
    tag="note_added/1",
    forbid_unknown_fields=True,
):
    """A note for the team, about one person when `person_id` is not empty."""

    note_id: str
    person_id: str = ""
    text: str
