"""The team page's one form: add a member, rename one, or take one off the team.

The page has a small form for each of these; all post the same fields to the same URL,
and `action` says which it is. Taking a member off needs `confirm`, which only the
confirmation step's button sends.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from allymap.domain import ID_MAX, MEMBER_NAME_MAX
from allymap.web.forms.base import NO_AUTOFILL, AllymapForm, once_field

ADD, RENAME, REMOVE = "add", "rename", "remove"


class MemberForm(AllymapForm):
    """One change to the team. `name` is needed to add or rename; `member` names who is
    renamed or taken off; `once` makes a double post add one member; `confirmed()` only
    when the confirmation step's button sent ``confirm=yes``."""

    action = forms.ChoiceField(
        choices=[(ADD, ADD), (RENAME, RENAME), (REMOVE, REMOVE)], widget=forms.HiddenInput
    )
    member = forms.CharField(required=False, max_length=ID_MAX, widget=forms.HiddenInput)
    name = forms.CharField(
        label=_("Name"),
        help_text=_("A name the team will know them by: a first name, a nickname or initials."),
        required=False,
        max_length=MEMBER_NAME_MAX,
        widget=forms.TextInput(attrs=NO_AUTOFILL),
    )
    confirm = forms.CharField(required=False, max_length=8, widget=forms.HiddenInput)
    once = once_field()

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        action = data.get("action")
        if action in (ADD, RENAME) and not data.get("name") and "name" not in self.errors:
            self.add_error("name", _("Please write a name the team will know them by."))
        if action in (RENAME, REMOVE) and not data.get("member"):
            self.add_error(None, _("Choose who this is about, from the list of the team."))
        return data

    def confirmed(self) -> bool:
        return self.cleaned_data.get("confirm") == CONFIRM


CONFIRM = "yes"
