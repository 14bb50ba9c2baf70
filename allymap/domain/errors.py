"""The errors the domain raises.

Every error the domain raises on purpose is a `DomainError`, except the two decoding
errors (`allymap.domain.events.EventDecodeError`, `allymap.domain.state.StateDecodeError`),
which are `ValueError`s about bytes rather than about an intervention.
"""

from __future__ import annotations

__all__ = ["DomainError", "FoldError", "InvalidInput", "UnknownPerson"]


class DomainError(Exception):
    """Base class of the domain's own errors."""


class UnknownPerson(DomainError):
    """A person id that is not on the map, or whose person has been removed from it.

    `person_id` is the id that was asked for. The message names only the id, never an
    alias, so it can be logged.
    """

    def __init__(self, person_id: str) -> None:
        super().__init__(f"no person {person_id!r} on this map")
        self.person_id = person_id


class FoldError(DomainError):
    """The event log cannot be folded into a state: it is out of order or inconsistent.

    Commands never produce such a log, so this means corruption or a bug: report it,
    never skip the event.
    """


class InvalidInput(DomainError):
    """Input a person typed that the domain cannot accept.

    `field` names the form field at fault (the command's keyword, or the row key for
    positions, or ``f"evidence-{row_key}"`` for a position's evidence); `message` is
    plain English, fit to show to the person as it is, and never blames them. `code` and
    `params` say the same thing for an interface that words it in its own language (the
    web's translated messages): codes are "not_text", "required", "control_character",
    "unsaveable_character", "too_long" (params limit, length), "not_a_choice",
    "not_on_chart", "duplicate" and "internal".
    """

    def __init__(
        self,
        field: str,
        message: str,
        *,
        code: str = "internal",
        params: dict[str, int] | None = None,
    ) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.code = code
        self.params = dict(params or {})
