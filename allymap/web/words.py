"""Words people read for the core's codes, marked for translation: each code worded once.

The chart's positions, the domain's refusals (`allymap.domain.Refusal`) and the kinds of
damage a stored record can have (`allymap.services.errors.Damage`, `AccountDamage`) are
codes in the core;
here, and only here, they become words. `tests/web/test_words.py` proves every code has
its words. Numbers in messages (limits, lengths) come from the refusal's params, which
the core fills from its own constants, never from a number repeated here.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from allymap.chart import Position
from allymap.domain import Refusal
from allymap.domain.values import Closeness, Consent, Reporting
from allymap.services.errors import AccountDamage, Damage

POSITION_LABELS: dict[Position, Promise] = {
    Position.ALLY: _("Accountability ally"),
    Position.LEANS_ALLY: _("Leans towards ally"),
    # Parts of each column fit them (the reflect page's legend says so in full).
    Position.MIXED: _("Some of both"),
    Position.LEANS_IN_THE_WAY: _("Leans towards getting in the way (may help in other ways)"),
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

CLOSENESS_LABELS: dict[Closeness, Promise] = {
    Closeness.CLOSE: _("Close"),
    Closeness.BETWEEN: _("In between"),
    Closeness.FURTHER: _("Further out"),
    Closeness.UNKNOWN: _("Not sure"),
}

CONSENT_LABELS: dict[Consent, Promise] = {
    Consent.IDEA: _("Just an idea"),
    Consent.TO_ASK: _("To ask"),
    Consent.ASKED: _("Asked, waiting to hear"),
    Consent.AGREED: _("Agreed to help"),
    Consent.DECLINED: _("Declined"),
    Consent.STEPPED_BACK: _("Stepped back"),
}

REPORTING_LABELS: dict[Reporting, Promise] = {
    Reporting.UNKNOWN: _("Not known"),
    Reporting.MAY_HAVE_TO: _("May have to report"),
    Reporting.NO: _("No"),
}

# The form shows each refusal beside the field it is about, so the words need not name
# the field. %(name)s placeholders are filled from the refusal's params.
REFUSAL_WORDS: dict[Refusal, Promise] = {
    Refusal.NOT_TEXT: _("Please write this as text."),
    Refusal.REQUIRED: _("Please fill this in."),
    Refusal.CONTROL_CHARACTER: _(
        "This contains an invisible control character (often pasted in by accident). "
        "Please retype it without that character."
    ),
    Refusal.UNSAVEABLE_CHARACTER: _(
        "This contains a character that cannot be saved. Please retype it."
    ),
    Refusal.DISGUISING_CHARACTER: _(
        "This contains an invisible or direction-changing character, which could make two "
        "names look alike. Please write it without that character."
    ),
    Refusal.TOO_LONG: _(
        "There is room for up to %(limit)s characters here; this has %(length)s. "
        "Could it be shorter?"
    ),
    Refusal.NOT_A_CHOICE: _("Please choose one of the answers offered."),
    Refusal.NOT_ON_CHART: _("This question is not on the chart in use."),
    Refusal.DUPLICATE: _("This has already been saved."),
    Refusal.PASSPHRASE_TOO_SHORT: _(
        "Use at least %(limit)s characters. Four or more unrelated words work well."
    ),
    Refusal.PASSPHRASE_TOO_LONG: _("Use at most %(limit)s characters."),
    Refusal.PASSPHRASE_REPETITIVE: _(
        "Use more different characters (at least %(limit)s): a repeated pattern is easy to guess."
    ),
    Refusal.INTERNAL: _("Something went wrong on our side. Please try again."),
    Refusal.TOO_MANY_LINES: _(
        "There is room for up to %(limit)s people at once. Please add the rest in a second go."
    ),
}


# Django's own refusals of a form field, worded like the domain's (Django fills in
# %(limit_value)s and %(show_value)s itself).
FORM_WORDS: dict[str, Promise] = {
    "required": REFUSAL_WORDS[Refusal.REQUIRED],
    "invalid_choice": REFUSAL_WORDS[Refusal.NOT_A_CHOICE],
    "max_length": _(
        "There is room for up to %(limit_value)s characters here; this has %(show_value)s. "
        "Could it be shorter?"
    ),
    "min_length": _("Use at least %(limit_value)s characters."),
    "required_choice": _("Please choose one of the answers."),
    "invalid_list": REFUSAL_WORDS[Refusal.NOT_A_CHOICE],
    "null_characters_not_allowed": REFUSAL_WORDS[Refusal.CONTROL_CHARACTER],
    "invalid": _("allymap could not read this. Please check it and try again."),
    "max_value": _("Please use a number no bigger than %(limit_value)s."),
    "min_value": _("Please use a number no smaller than %(limit_value)s."),
}


def refusal_message(code: Refusal, params: Mapping[str, int]) -> str:
    """The translated words for a refusal, its numbers filled in (grouped by thousands)."""
    template = str(REFUSAL_WORDS[code])
    return template % {name: f"{value:,}" for name, value in params.items()} if params else template


DAMAGE_WORDS: dict[Damage, Promise] = {
    Damage.CHANGED: _(
        "Part of its stored record has been changed, moved or removed outside allymap, "
        "so allymap will not show it: what it showed might not be what your team wrote."
    ),
    Damage.UNREADABLE: _(
        "Part of its stored record was written in a form this version of allymap cannot "
        "read, perhaps by a newer version of allymap. Nothing has been changed or lost: "
        "open it with the version of allymap that wrote it."
    ),
    Damage.ROLLED_BACK: _(
        "Its stored record is older than what was last saved on this computer: the data "
        "may have been replaced by an older copy, or its newest entries removed. allymap "
        "will not show it as if it were up to date."
    ),
    Damage.MISSING: _(
        "It was saved on this computer, but its stored record is no longer there: it may "
        "have been removed, or the data replaced by an older copy."
    ),
    Damage.INCONSISTENT: _(
        "Its stored record does not add up (for example, events out of order), so "
        "allymap will not show it rather than show something wrong."
    ),
}

ACCOUNT_DAMAGE_WORDS: dict[AccountDamage, Promise] = {
    AccountDamage.SECOND_ACCOUNT: _(
        "This allymap keeps one account, but its data folder now holds more than one. "
        "allymap did not make the extra one, so it will not guess which one is yours."
    ),
    AccountDamage.MALFORMED: _(
        "The record that holds your account’s keys has been cut short or changed: part of "
        "it is not the size or kind that allymap writes. allymap has not tried your "
        "passphrase on it."
    ),
    AccountDamage.MISMATCHED: _(
        "The record that holds your account’s keys opened, but the keys in it do not "
        "belong together: part of it has been swapped for something else."
    ),
}
