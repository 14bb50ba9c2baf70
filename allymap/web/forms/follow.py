"""Following through: a check-in, and a note of where things stand on the staircase.

Both are dated. The day is a date box (``YYYY-MM-DD``, what a browser's date picker
sends, and what a person typing it without one is asked for), today to begin with; a day
still to come is refused, with a day's leeway for a browser in another time zone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from allymap.domain import CHECK_IN_MAX, Perspective
from allymap.domain.values import Step
from allymap.services.follow import PersonRef
from allymap.web.forms.base import NO_AUTOFILL, AllymapForm, once_field
from allymap.web.words import PERSPECTIVE_WORDS, STEP_LABELS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DAY_FORMAT = "%Y-%m-%d"

NOTHING_WRITTEN = _(
    "Write something in at least one of these boxes (what happened, a win or a worry), or "
    "choose someone whose position to revisit."
)
"""The words for a check-in with nothing in it (the domain's REQUIRED on "happened")."""


class DayInput(forms.DateInput):
    """A browser's date picker where there is one; a text box asking for YYYY-MM-DD where
    there is not."""

    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format=DAY_FORMAT, attrs={"autocomplete": "off"})


def day_field(label: StrOrPromise) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=[DAY_FORMAT],
        widget=DayInput(),
        help_text=_(
            "Today, unless you change it. Typing it? Year, month and day, like 2025-03-14."
        ),
        error_messages={
            "required": _("Please give the day, like 2025-03-14."),
            "invalid": _(
                "allymap could not read this as a day. Please write it as year, month and "
                "day with dashes between, like 2025-03-14."
            ),
        },
    )


def _text(label: StrOrPromise, help_text: StrOrPromise = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=CHECK_IN_MAX,
        widget=forms.Textarea(attrs={**NO_AUTOFILL, "rows": 3}),
    )


def _no_later_than_tomorrow(form: forms.Form, on: object) -> None:
    if isinstance(on, date) and on > timezone.localdate() + timedelta(days=1):
        form.add_error(
            "on",
            _("That day is still to come. Please choose today or a day before it."),
        )


class CheckInForm(AllymapForm):
    """A check-in: its day, what happened, small wins, worries, and whose position to
    revisit (chosen among `people`, those on the map now). At least one text or one
    person is needed. `once` makes a double post add it once."""

    on = day_field(_("The day of this check-in"))
    happened = _text(_("What happened"), _("What changed since the last check-in?"))
    wins = _text(_("Small wins to celebrate"))
    worries = _text(_("Worries"))
    revisit = forms.MultipleChoiceField(
        label=_("Whose position to revisit"),
        help_text=_(
            "People’s positions change: someone may have been targeted, stepped back, or "
            "come closer. The team can reflect on them again."
        ),
        required=False,
        choices=(),
        widget=forms.CheckboxSelectMultiple,
    )
    once = once_field()

    def __init__(
        self, data: Mapping[str, Any] | None = None, *, people: Sequence[PersonRef] = ()
    ) -> None:
        super().__init__(data, initial={"on": timezone.localdate()})
        revisit = self.fields["revisit"]
        assert isinstance(revisit, forms.MultipleChoiceField)
        revisit.choices = [(p.person_id, p.alias) for p in people]
        if not people:
            # Nobody to choose: no empty group of tick boxes on the page.
            revisit.widget = forms.MultipleHiddenInput()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _no_later_than_tomorrow(self, data.get("on"))
        written = any(str(data.get(name, "")).strip() for name in ("happened", "wins", "worries"))
        if not written and not data.get("revisit") and "happened" not in self.errors:
            self.add_error("happened", NOTHING_WRITTEN)
        return data


class StaircaseForm(AllymapForm):
    """Where things stand: a step of the staircase, the day, and what the team has seen."""

    step = forms.ChoiceField(
        label=_("Where do things stand now?"),
        choices=[(step.value, STEP_LABELS[step]) for step in Step],
        widget=forms.RadioSelect,
    )
    on = day_field(_("The day"))
    text = _text(
        _("What has the team seen? (optional)"),
        _(
            "In your own words: what was said or done that shows it. What you saw, not a "
            "judgement of anyone."
        ),
    )
    once = once_field()

    def __init__(self, data: Mapping[str, Any] | None = None) -> None:
        super().__init__(data, initial={"on": timezone.localdate()})

    def worded_for(self, perspective: str) -> StaircaseForm:
        """The form as a map of this perspective words it (a `Perspective` value): on a
        person's own map, what they have done or seen, not what a team has seen."""
        words = PERSPECTIVE_WORDS[Perspective(perspective)]
        self.fields["text"].label = str(words["stairs_seen"])
        self.fields["text"].help_text = str(words["stairs_seen_help"])
        return self

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _no_later_than_tomorrow(self, data.get("on"))
        return data
