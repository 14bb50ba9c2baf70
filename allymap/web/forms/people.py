"""The forms about a person on the map: add them, change their details.

Every field but the alias is optional. The choices (closeness, consent, reporting) are
the domain's values worded in `allymap.web.words`; who will ask someone is chosen among
the team as it is now, or nobody yet.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from allymap.domain import ALIAS_MAX, DETAILS_MAX, RELATIONSHIP_MAX
from allymap.domain.values import Closeness, Consent, Perspective, Reporting
from allymap.services.people import Details
from allymap.services.team import MemberLine
from allymap.web.forms.base import NO_AUTOFILL, AllymapForm, once_field
from allymap.web.words import (
    CLOSENESS_LABELS,
    CONSENT_LABELS,
    PERSPECTIVE_WORDS,
    REPORTING_LABELS,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

NOBODY_YET = ""
"""The asker's value for "nobody yet"."""


def member_label(member: MemberLine) -> str:
    """How a team member is named in a choice: "You" for the reader's own member (with
    the name the team chose, if any), the chosen name otherwise."""
    if member.is_you:
        return str(_("You (%(name)s)") % {"name": member.name}) if member.name else str(_("You"))
    return member.name


def _choices(labels: Mapping[Any, Promise]) -> list[tuple[str, Promise]]:
    return [(value.value, words) for value, words in labels.items()]


def _details_field(label: StrOrPromise, help_text: StrOrPromise) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=DETAILS_MAX,
        widget=forms.Textarea(attrs={"rows": 3, **NO_AUTOFILL}),
    )


class PersonForm(AllymapForm):
    """Everything a team records about someone beside the chart; only the alias is needed.

    `members` (the team now) are the choices for who will ask them; `asker` is kept as a
    choice even when that member has since left the team, so saving other changes never
    trips over it.
    """

    alias = forms.CharField(
        label=_("What you will call this person"),
        help_text=_("An alias, initials or a nickname is enough."),
        max_length=ALIAS_MAX,
        widget=forms.TextInput(attrs=NO_AUTOFILL),
    )
    relationship = forms.CharField(
        label=_("How are they connected to the person doing harm? (optional)"),
        help_text=_(
            "In your own words: whānau, a friend from school, a kaumātua, a workmate, "
            "a coach, a neighbour…"
        ),
        required=False,
        max_length=RELATIONSHIP_MAX,
        widget=forms.TextInput(attrs=NO_AUTOFILL),
    )
    relationship_harmed = forms.CharField(
        label=_("How are they connected to the person harmed? (optional)"),
        help_text=_(
            "Someone close to the person harmed may be better placed to support them than "
            "to be an ally for the person doing harm. Worth knowing, not a reason to leave "
            "them out."
        ),
        required=False,
        max_length=RELATIONSHIP_MAX,
        widget=forms.TextInput(attrs=NO_AUTOFILL),
    )
    closeness = forms.ChoiceField(
        label=_("How close are they to the person doing harm?"),
        choices=_choices(CLOSENESS_LABELS),
        initial=Closeness.UNKNOWN.value,
        required=False,
        widget=forms.RadioSelect,
    )
    offers = _details_field(
        _("What might they offer? (optional)"),
        _("Time, a listening ear, a place to stay, the respect of the person doing harm…"),
    )
    other_ways = _details_field(
        _("Other ways they could help (optional)"),
        _(
            "Even someone who might get in the way of accountability may help the "
            "intervention in other ways: support for the person harmed, practical help, "
            "keeping the team going."
        ),
    )
    consent = forms.ChoiceField(
        label=_("Have they been asked to help?"),
        help_text=_(
            "Nobody on the map has agreed to anything until they are asked. allymap never "
            "contacts anyone."
        ),
        choices=_choices(CONSENT_LABELS),
        initial=Consent.IDEA.value,
        required=False,
        widget=forms.RadioSelect,
    )
    asker = forms.ChoiceField(
        label=_("Who in the team will ask them?"),
        required=False,
        initial=NOBODY_YET,
        choices=[(NOBODY_YET, _("Nobody yet"))],
    )
    reporting = forms.ChoiceField(
        label=_("Might they have to report to authorities, for example through their work?"),
        help_text=_(
            "Some people, such as teachers, nurses or social workers, may have to report "
            "what they hear. Many teams work without police: this is here so the team "
            "knows, not to judge anyone."
        ),
        choices=_choices(REPORTING_LABELS),
        initial=Reporting.UNKNOWN.value,
        required=False,
        widget=forms.RadioSelect,
    )
    once = once_field()

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        members: Iterable[MemberLine] = (),
        initial: Mapping[str, Any] | None = None,
        perspective: str = Perspective.TEAM.value,
    ) -> None:
        super().__init__(data, initial=initial)
        # Whose map it is words the questions about whom they are connected to.
        words = PERSPECTIVE_WORDS[Perspective(perspective)]
        self.fields["relationship"].label = str(words["connected_doing_harm"])
        self.fields["relationship_harmed"].label = str(words["connected_harmed"])
        self.fields["closeness"].label = str(words["close_to"])
        self.fields["relationship_harmed"].help_text = str(words["connected_harmed_help"])
        self.fields["offers"].help_text = str(words["offers_help"])
        self.fields["other_ways"].help_text = str(words["other_ways_help"])
        choices: list[tuple[str, Any]] = [(NOBODY_YET, _("Nobody yet"))]
        choices += [(member.member_id, member_label(member)) for member in members]
        current = (initial or {}).get("asker", NOBODY_YET)
        if current and current not in dict(choices):
            choices.append((current, _("Someone who has left the team")))
        self.fields["asker"].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # A choice left out of the post (no radio ticked) stays as it was, or as new.
        for name in _KEPT_WHEN_MISSING:
            if name not in self.data:
                data[name] = self.initial.get(name, self.fields[name].initial)
        return data

    def details(self) -> Details:
        """The cleaned fields, as the people service takes them."""
        return Details(**{name: self.cleaned_data[name] for name in Details.__dataclass_fields__})


_KEPT_WHEN_MISSING = ("closeness", "consent", "reporting", "asker")


class PersonChangeForm(PersonForm):
    """Changing a person's details: `PersonForm`'s fields without its `once` token
    (nothing new is made), filled in with what they are now through `initial`."""

    once = None  # type: ignore[assignment]

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        members: Iterable[MemberLine] = (),
        initial: Mapping[str, Any] | None = None,
        perspective: str = Perspective.TEAM.value,
    ) -> None:
        super().__init__(data, members=members, initial=initial, perspective=perspective)
        # Emptied on purpose, perhaps to hide them: say what to do instead.
        self.fields["alias"].error_messages["required"] = _(
            "Everyone on the map needs a name the team knows them by. To take someone off "
            "the map instead, use “Take off the map…” on their page."
        )


class BrainstormForm(AllymapForm):
    """Several people at once, one alias per line (blank lines are skipped): the people
    service checks each line and says which one it cannot keep."""

    aliases = forms.CharField(
        label=_("Who comes to mind? One person a line"),
        help_text=_(
            "An alias, initials or a nickname for each is enough. Blank lines are skipped."
        ),
        widget=forms.Textarea(attrs={"rows": 8, **NO_AUTOFILL}),
    )
    once = once_field()
