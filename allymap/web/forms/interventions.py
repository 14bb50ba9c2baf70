"""The forms of an intervention as a whole: start, rename and destroy it; forget a person."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from allymap.domain import ALIAS_MAX, CODE_NAME_MAX, Perspective
from allymap.web.forms.base import NO_AUTOFILL, AllymapForm, once_field
from allymap.web.words import PERSPECTIVE_LABELS, PERSPECTIVE_WORDS

DANGER_CHOICES = [
    ("no", _("No, nobody is in immediate danger right now")),
    ("yes", _("Yes, or I’m not sure")),
]


PERSPECTIVE_CHOICES = [
    (perspective.value, PERSPECTIVE_LABELS[perspective]) for perspective in Perspective
]


class StartForm(AllymapForm):
    danger = forms.ChoiceField(
        label=_("Is anyone in immediate danger right now?"),
        choices=DANGER_CHOICES,
        widget=forms.RadioSelect,
    )
    perspective = forms.ChoiceField(
        label=_("Whose map is this?"),
        help_text=_(
            "The chart and the tools are the same; the pages speak to whoever the map is for."
        ),
        choices=PERSPECTIVE_CHOICES,
        initial=Perspective.TEAM.value,
        required=False,
        widget=forms.RadioSelect,
    )
    code_name = forms.CharField(
        label=_("A code name for this intervention"),
        help_text=_("Something only your team will recognise. Avoid real names."),
        max_length=CODE_NAME_MAX,
        widget=forms.TextInput(attrs=NO_AUTOFILL),
    )
    doing_harm_alias = forms.CharField(
        label=_("What the team will call the person doing harm"),
        help_text=_(
            "An alias, initials or a nickname. Avoid a full real name. On your own map: "
            "if you have done harm, this is you; if you have been harmed, this is the "
            "person who harmed you."
        ),
        max_length=ALIAS_MAX,
        widget=forms.TextInput(attrs=NO_AUTOFILL),
    )
    harmed_alias = forms.CharField(
        label=_("What the team will call the person harmed (optional)"),
        help_text=_("If you have been harmed and this is your own map, this is you."),
        required=False,
        max_length=ALIAS_MAX,
        widget=forms.TextInput(attrs=NO_AUTOFILL),
    )
    once = once_field()


class InterventionChangeForm(AllymapForm):
    """Renaming an intervention or changing its aliases: `StartForm`'s text fields,
    filled in with what they are now through `initial`."""

    code_name = StartForm.base_fields["code_name"]
    doing_harm_alias = StartForm.base_fields["doing_harm_alias"]
    harmed_alias = StartForm.base_fields["harmed_alias"]

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        initial: Mapping[str, Any] | None = None,
        perspective: str = Perspective.TEAM.value,
    ) -> None:
        super().__init__(data, initial=initial)
        # Whose map it is words whom each alias is for.
        words = PERSPECTIVE_WORDS[Perspective(perspective)]
        self.fields["doing_harm_alias"].label = str(words["name_doing_harm"])
        self.fields["harmed_alias"].label = str(words["name_harmed"])
        # The labels say whose alias is whose now; the start form's hints about own maps
        # would only muddle them.
        self.fields["doing_harm_alias"].help_text = _(
            "An alias, initials or a nickname. Avoid a full real name."
        )
        self.fields["harmed_alias"].help_text = ""


class ForgetForm(AllymapForm):
    """Forgetting a person: one tick that says, in words, what goes and that it is for good.

    A tick is enough here: it erases one person, and the page around it says exactly what.
    """

    understood = forms.BooleanField(
        error_messages={
            "required": _(
                "Tick the box to say you understand, or go back. Nothing has been erased."
            )
        },
    )

    def __init__(self, data: Mapping[str, Any] | None = None, *, alias: str) -> None:
        super().__init__(data)
        self.fields["understood"].label = _(
            "I understand that everything recorded about %(alias)s will be erased for good, "
            "and that it cannot be brought back."
        ) % {"alias": alias}


class DestroyForm(AllymapForm):
    """Destroying an intervention: type its code name, shown above the box.

    Typing is hard to do by accident, and the name says which intervention goes. Capitals,
    spaces and accents (macrons) do not count, so a keyboard without macrons is no bar.
    """

    code_name = forms.CharField(
        label=_("Type the code name to confirm"),
        help_text=_("Capitals, spaces and macrons do not matter."),
        max_length=CODE_NAME_MAX * 2,
        widget=forms.TextInput(attrs=NO_AUTOFILL),
    )

    def __init__(self, data: Mapping[str, Any] | None = None, *, code_name: str) -> None:
        super().__init__(data)
        self.expected = code_name

    def clean_code_name(self) -> str:
        typed: str = self.cleaned_data["code_name"]
        if _plain(typed) != _plain(self.expected):
            raise forms.ValidationError(
                _(
                    "That is not this intervention’s code name, so nothing has been destroyed. "
                    "Type it as it is shown above."
                )
            )
        return typed


def _plain(text: str) -> str:
    """`text` without accents, case, runs of white space or invisible characters (which
    nobody could type): what a confirmation compares."""
    decomposed = unicodedata.normalize("NFKD", text)
    letters = "".join(
        c for c in decomposed if not unicodedata.combining(c) and unicodedata.category(c) != "Cf"
    )
    return " ".join(letters.casefold().split())
