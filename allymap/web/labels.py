"""Words people read for the chart's positions, marked for translation."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from allymap.chart import Position

POSITION_LABELS: dict[Position, Promise] = {
    Position.ALLY: _("Accountability ally"),
    Position.LEANS_ALLY: _("Leans towards ally"),
    Position.MIXED: _("Mixed"),
    Position.LEANS_IN_THE_WAY: _("Leans towards might get in the way (may help in other ways)"),
    Position.IN_THE_WAY: _("Might get in the way (may help in other ways)"),
    Position.UNKNOWN: _("Don’t know yet"),
}

# A short mark beside each label, so position never rests on colour alone.
POSITION_MARKS: dict[Position, str] = {
    Position.ALLY: "●●",
    Position.LEANS_ALLY: "●○",
    Position.MIXED: "◐",
    Position.LEANS_IN_THE_WAY: "○◆",
    Position.IN_THE_WAY: "◆◆",
    Position.UNKNOWN: "?",
}

# The domain's refusals (allymap.domain.InvalidInput.code), worded for people. The form
# shows each beside the field it is about, so the message need not name the field.
INVALID_INPUT_MESSAGES: dict[str, Promise] = {
    "not_text": _("Please write this as text."),
    "required": _("Please fill this in."),
    "control_character": _(
        "This contains an invisible control character (often pasted in by accident). "
        "Please retype it without that character."
    ),
    "unsaveable_character": _("This contains a character that cannot be saved. Please retype it."),
    "too_long": _(
        "There is room for up to %(limit)s characters here; this has %(length)s. "
        "Could it be shorter?"
    ),
    "not_a_choice": _("Please choose one of the answers offered."),
    "not_on_chart": _("This question is not on the chart in use."),
    "duplicate": _("This has already been saved."),
    "internal": _("Something went wrong on our side. Please try again."),
}


def invalid_input_message(code: str, params: dict[str, int]) -> str:
    """The translated words for a domain refusal; the generic one for an unknown code."""
    template = INVALID_INPUT_MESSAGES.get(code, INVALID_INPUT_MESSAGES["internal"])
    return str(template) % params if params else str(template)


WEAK_PASSPHRASE_MESSAGES: dict[str, Promise] = {
    "too_short": _("Use at least 12 characters. Four or more unrelated words work well."),
    "too_long": _("Use at most 1,024 characters."),
    "repetitive": _("Use more different characters: a repeated pattern is easy to guess."),
}
