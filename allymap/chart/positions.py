"""Where a team member places a person on one row of the chart."""

from __future__ import annotations

from enum import StrEnum


class Side(StrEnum):
    """Which side of the chart a position is on: the question a template asks of it."""

    ALLY = "ally"
    """The accountability-ally column (ally, or leaning that way)."""
    BETWEEN = "between"
    """Mixed: some of each column."""
    IN_THE_WAY = "in_the_way"
    """The might-get-in-the-way (may help in other ways) column, or leaning that way."""
    UNKNOWN = "unknown"
    """Don't know yet."""


class Position(StrEnum):
    """The six answers to one row, from the accountability-ally column to the other.

    The values are stable identifiers stored (encrypted) in the event log: never rename
    one. Words for people live in the web layer, where they are marked for translation.
    """

    ALLY = "ally"
    LEANS_ALLY = "leans_ally"
    MIXED = "mixed"
    LEANS_IN_THE_WAY = "leans_in_the_way"
    IN_THE_WAY = "in_the_way"
    UNKNOWN = "unknown"

    @property
    def step(self) -> int | None:
        """The place on the line from ally (0) to might get in the way (4); None when unknown."""
        return _STEPS.get(self)

    @property
    def side(self) -> Side:
        """The side of the chart this position is on."""
        return _SIDES[self]

    @property
    def known(self) -> bool:
        """False only for "don't know yet"."""
        return self is not Position.UNKNOWN


_STEPS: dict[Position, int] = {
    Position.ALLY: 0,
    Position.LEANS_ALLY: 1,
    Position.MIXED: 2,
    Position.LEANS_IN_THE_WAY: 3,
    Position.IN_THE_WAY: 4,
}

_SIDES: dict[Position, Side] = {
    Position.ALLY: Side.ALLY,
    Position.LEANS_ALLY: Side.ALLY,
    Position.MIXED: Side.BETWEEN,
    Position.LEANS_IN_THE_WAY: Side.IN_THE_WAY,
    Position.IN_THE_WAY: Side.IN_THE_WAY,
    Position.UNKNOWN: Side.UNKNOWN,
}
