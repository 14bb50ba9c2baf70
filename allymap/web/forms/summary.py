"""The person's page form: mark a difference on a row as talked through."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from allymap.domain import NOTE_MAX
from allymap.services.team import MemberLine
from allymap.web.forms.base import NO_AUTOFILL, AllymapForm
from allymap.web.forms.people import member_label


class TalkedThroughForm(AllymapForm):
    """Which row was talked through, who marks it (empty: the reader's own member) and an
    optional note of what the team took from it.

    `members` are the team now, to choose who marks it; the reader's own member is
    chosen to begin with.
    """

    row = forms.CharField(max_length=64, widget=forms.HiddenInput)
    member = forms.ChoiceField(label=_("Who is marking it"), required=False, choices=())
    note = forms.CharField(
        label=_("What did you take from it? (optional)"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.TextInput(attrs=NO_AUTOFILL),
    )

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        members: Sequence[MemberLine] = (),
        row: str = "",
    ) -> None:
        you = next((member.member_id for member in members if member.is_you), "")
        # One form per row on the page: the ids say which row, the names stay plain.
        super().__init__(
            data, initial={"row": row, "member": you}, auto_id=f"talk-{row or 'row'}-%s"
        )
        member_field = self.fields["member"]
        assert isinstance(member_field, forms.ChoiceField)
        # Left empty (a post without the list), it is the reader's own member.
        member_field.choices = [(m.member_id, member_label(m)) for m in members]
