"""The roles page's one form: give a role, take it back, name a role of the team's own,
set the team's limit of roles per person, and say who supports an ally or stop.

The page has a small form for each of these; all post the same fields to the same URL,
and `action` says which it is (like the team page's `MemberForm`). The gaps panel's form
(`GapForm`) sets a gap aside with a note, or shows it again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from allymap.domain import CHECK_IN_MAX, ID_MAX, ROLE_LIMIT_MAX, ROLE_NAME_MAX
from allymap.web.forms.base import NO_AUTOFILL, AllymapForm, CompactSelect, once_field

ASSIGN, UNASSIGN, NAME, LIMIT, SUPPORT, UNSUPPORT = (
    "assign",
    "unassign",
    "name",
    "limit",
    "support",
    "unsupport",
)
OUTSIDE = "outside"
"""The supporter chosen when they are outside the map and the team (named in words)."""
SET_ASIDE, REOPEN = "set_aside", "reopen"

# A holder as a form posts it: "person:<id>" or "member:<id>".
_HOLDER_MAX = ID_MAX + 16
Choices = Iterable[tuple[str, Any]]


class RoleForm(AllymapForm):
    """One change on the roles page; `action` says which, and `clean` asks for what that
    action needs: `holder` to give a role, `name` to name one, `limit`, or for a support
    the `ally` and either a `supporter` from the lists or a `supporter_name` (someone
    outside). `once` makes a double post name one role or add one support.

    `holders` and `supporters` are the choices the page offers (``(key, label)`` pairs,
    or Django's ``(group, pairs)``); the services check what is posted against the map
    and the team as they are then, so a choice made stale meanwhile is refused there.
    """

    action = forms.ChoiceField(
        choices=[(a, a) for a in (ASSIGN, UNASSIGN, NAME, LIMIT, SUPPORT, UNSUPPORT)],
        widget=forms.HiddenInput,
    )
    role = forms.CharField(required=False, max_length=ID_MAX, widget=forms.HiddenInput)
    holder = forms.CharField(
        label=_("Give this role to"), required=False, max_length=_HOLDER_MAX, widget=CompactSelect
    )
    name = forms.CharField(
        label=_("Name a role of your own"),
        help_text=_(
            "For example: “Kai for hui”, “Drives to appointments”, “Links with the marae”."
        ),
        required=False,
        max_length=ROLE_NAME_MAX,
        widget=forms.TextInput(attrs=NO_AUTOFILL),
    )
    limit = forms.IntegerField(
        label=_("The most roles one person should carry"),
        help_text=_(
            "Someone who carries more shows as a gap on the overview, for the team to look "
            "at. It stops nobody taking a role on."
        ),
        required=False,
        min_value=1,
        max_value=ROLE_LIMIT_MAX,
    )
    ally = forms.CharField(required=False, max_length=_HOLDER_MAX, widget=forms.HiddenInput)
    supporter = forms.CharField(
        label=_("Who supports them"), required=False, max_length=_HOLDER_MAX, widget=CompactSelect
    )
    supporter_name = forms.CharField(
        label=_("Someone outside the map and the team: their name"),
        help_text=_("A first name, a nickname or initials, as the team knows them."),
        required=False,
        max_length=ROLE_NAME_MAX,
        widget=forms.TextInput(attrs=NO_AUTOFILL),
    )
    support = forms.CharField(required=False, max_length=ID_MAX, widget=forms.HiddenInput)
    once = once_field()

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        holders: Choices = (),
        supporters: Choices = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        for field in ("holder", "supporter"):
            # A length limit is the server's to keep: a list has no maxlength in HTML.
            self.fields[field].widget.attrs.pop("maxlength", None)
        self.offer(holders=holders, supporters=supporters)

    def offer(self, *, holders: Choices = (), supporters: Choices = ()) -> None:
        """Set the choices the page shows in the two lists (after a refused post, the
        ones of the place on the page it comes back to)."""
        self._offer("holder", [("", _("Choose someone…")), *holders])
        self._offer(
            "supporter",
            [
                ("", _("Choose someone…")),
                *supporters,
                (OUTSIDE, _("Someone outside (write their name)")),
            ],
        )

    def _offer(self, field: str, choices: list[tuple[str, Any]]) -> None:
        widget = self.fields[field].widget
        assert isinstance(widget, forms.Select)
        widget.choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        action = data.get("action")
        if action in (ASSIGN, UNASSIGN) and not data.get("role"):
            self.add_error(None, _("Choose which role this is about, from the list of roles."))
        if action == ASSIGN and not data.get("holder") and "holder" not in self.errors:
            self.add_error("holder", _("Choose who will take this role on."))
        if action == NAME and not data.get("name") and "name" not in self.errors:
            self.add_error("name", _("Please write a name for the role."))
        if action == LIMIT and data.get("limit") is None and "limit" not in self.errors:
            self.add_error(
                "limit", _("Please write a number from 1 to %(limit)s.") % {"limit": ROLE_LIMIT_MAX}
            )
        if action == SUPPORT:
            self._clean_support(data)
        if action == UNSUPPORT and not data.get("support"):
            self.add_error(None, _("Choose which support to take away."))
        return data

    def _clean_support(self, data: dict[str, Any]) -> None:
        if not data.get("ally"):
            self.add_error(None, _("Choose which ally this is about."))
        supporter, named = data.get("supporter", ""), data.get("supporter_name", "")
        if "supporter" in self.errors or "supporter_name" in self.errors:
            return
        if not supporter and not named:
            self.add_error(
                "supporter",
                _("Choose who supports them, or write the name of someone outside."),
            )
        elif supporter == OUTSIDE and not named:
            self.add_error("supporter_name", _("Please write their name, as the team knows them."))
        elif supporter not in ("", OUTSIDE) and named:
            self.add_error(
                "supporter_name",
                _(
                    "You chose someone from the list and wrote a name too: keep one. A name "
                    "is only for someone outside the map and the team."
                ),
            )


class GapForm(AllymapForm):
    """Set a gap aside with a short note (`action` "set_aside"), or show it again
    ("reopen"). `gap` is the gap's key, which the panel sets."""

    action = forms.ChoiceField(
        choices=[(SET_ASIDE, SET_ASIDE), (REOPEN, REOPEN)], widget=forms.HiddenInput
    )
    gap = forms.CharField(max_length=2000, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("A short note (optional)"),
        help_text=_("For example: “We know; leaving it for now.” It comes back if things change."),
        required=False,
        max_length=CHECK_IN_MAX,
        widget=forms.TextInput(attrs=NO_AUTOFILL),
    )
