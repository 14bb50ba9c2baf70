"""The errors the domain raises, and the codes of its refusals.

Every error the domain raises on purpose is a `DomainError`, except the two decoding
errors (`allymap.domain.events.EventDecodeError`, `allymap.domain.state.StateDecodeError`),
which are `ValueError`s about bytes rather than about an intervention.

A refusal of input (`InvalidInput`) carries a `Refusal` code and its numbers, never
English: the interfaces word each code once, in their own language (the web in
`allymap/web/words.py`, with a test that every code is worded).
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["DomainError", "FoldError", "InvalidInput", "Refusal", "UnknownPerson"]


class Refusal(StrEnum):
    """Why something a person typed or chose could not be accepted.

    The values are stable identifiers; the words for them live in the interfaces.
    Codes that carry numbers say so: the interface finds them in `InvalidInput.params`.
    """

    NOT_TEXT = "not_text"
    REQUIRED = "required"
    CONTROL_CHARACTER = "control_character"
    UNSAVEABLE_CHARACTER = "unsaveable_character"
    DISGUISING_CHARACTER = "disguising_character"
    """An invisible or direction-changing character: two names could then look the same."""
    TOO_LONG = "too_long"
    """params: ``limit`` and ``length``, in characters."""
    TOO_MANY_LINES = "too_many_lines"
    """params: ``limit``, the most lines allowed."""
    NO_DIFFERENCE = "no_difference"
    """A row to talk through on which nobody has answered, so there is nothing to settle."""
    OUT_OF_RANGE = "out_of_range"
    """A number or a date outside what allymap keeps; params may give ``limit``."""
    NOT_A_CHOICE = "not_a_choice"
    NOT_ON_CHART = "not_on_chart"
    DUPLICATE = "duplicate"
    PASSPHRASE_TOO_SHORT = "passphrase_too_short"  # noqa: S105 (a refusal's name, not a password)
    """params: ``limit``, the fewest characters allowed."""
    PASSPHRASE_TOO_LONG = "passphrase_too_long"  # noqa: S105 (a refusal's name, not a password)
    """params: ``limit``, the most characters allowed."""
    PASSPHRASE_REPETITIVE = "passphrase_repetitive"  # noqa: S105 (a refusal's name, not a password)
    """params: ``limit``, the fewest different characters allowed."""
    INTERNAL = "internal"
    """Something the program itself got wrong (an id it made, say): not the person's doing."""


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
    """Input that the domain cannot accept, with the field at fault and why.

    `field` names the form field at fault (the command's keyword, or the row key for
    positions, or ``f"evidence-{row_key}"`` for a position's evidence); `code` says why
    and `params` gives the numbers its words need (see `Refusal`). The message (`str`)
    is for logs and names only the field and the code, never what was typed.
    """

    def __init__(self, field: str, code: Refusal, *, params: dict[str, int] | None = None) -> None:
        super().__init__(f"{field}: {code.value}")
        self.field = field
        self.code = code
        self.params = dict(params or {})
