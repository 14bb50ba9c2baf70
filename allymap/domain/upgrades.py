"""Earlier versions of events, and how each becomes the current one on load.

Stored events are never rewritten (see `allymap.domain.events`, "Versioning"): an event
stored by an earlier allymap is decoded with its old struct here and turned into the
current struct. Importing this module registers every upgrade in `UPGRADES`; the domain
package imports it, so nothing can decode without them.
"""

from __future__ import annotations

import msgspec

from allymap.chart.positions import Position
from allymap.domain.events import (
    UPGRADES,
    InterventionStarted,
    PersonAdded,
    PersonChanged,
    PositionRecorded,
    upgrader,
)

__all__ = [
    "InterventionStartedV1",
    "PersonAddedV1",
    "PersonChangedV1",
    "PositionRecordedV1",
]


class InterventionStartedV1(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    tag_field="type",
    tag="intervention_started/1",
    forbid_unknown_fields=True,
):
    """Before an intervention said whose map it is: always a team's."""

    code_name: str
    doing_harm_alias: str
    harmed_alias: str = ""
    chart_id: str
    chart_version: int


class PersonAddedV1(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    tag_field="type",
    tag="person_added/1",
    forbid_unknown_fields=True,
):
    """Before people had details beyond an alias and one relationship."""

    person_id: str
    alias: str
    relationship: str = ""


class PersonChangedV1(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    tag_field="type",
    tag="person_changed/1",
    forbid_unknown_fields=True,
):
    """Before changes named only what changed: alias and relationship, both given."""

    person_id: str
    alias: str
    relationship: str


class PositionRecordedV1(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    tag_field="type",
    tag="position_recorded/1",
    forbid_unknown_fields=True,
):
    """Before teams had members: the position was the author's own."""

    person_id: str
    row_key: str
    position: Position
    evidence: str = ""


UPGRADES["intervention_started/1"] = upgrader(
    InterventionStartedV1,
    lambda old: InterventionStarted(
        code_name=old.code_name,
        doing_harm_alias=old.doing_harm_alias,
        harmed_alias=old.harmed_alias,
        chart_id=old.chart_id,
        chart_version=old.chart_version,
    ),
)
UPGRADES["person_added/1"] = upgrader(
    PersonAddedV1,
    lambda old: PersonAdded(
        person_id=old.person_id, alias=old.alias, relationship=old.relationship
    ),
)
UPGRADES["person_changed/1"] = upgrader(
    PersonChangedV1,
    lambda old: PersonChanged(
        person_id=old.person_id, alias=old.alias, relationship=old.relationship
    ),
)
# An empty member id says "the author's own view": the fold gives it to the team member
# linked to the author's account, so every position recorded before teams keeps its place.
UPGRADES["position_recorded/1"] = upgrader(
    PositionRecordedV1,
    lambda old: PositionRecorded(
        person_id=old.person_id,
        member_id="",
        row_key=old.row_key,
        position=old.position,
        evidence=old.evidence,
    ),
)
