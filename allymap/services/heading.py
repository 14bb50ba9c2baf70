"""What every page of an intervention shows at its top (`Heading`), shaped once."""

from __future__ import annotations

from dataclasses import dataclass

from allymap.domain import InterventionState

__all__ = ["Heading", "heading_of"]


@dataclass(frozen=True)
class Heading:
    """What every page of an intervention shows at its top: its id and code name, and
    whose map it is (a `Perspective` value), which sets the pages' wording."""

    intervention_id: str
    code_name: str
    perspective: str = "team"


def heading_of(state: InterventionState) -> Heading:
    """The heading of a state's pages."""
    return Heading(
        intervention_id=state.intervention_id,
        code_name=state.code_name,
        perspective=state.perspective.value,
    )
