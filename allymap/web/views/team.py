"""The team of an intervention: who is on it, adding, renaming and taking members off.

One URL. Every change is a POST of `forms.MemberForm`, whose `action` says which:
add (a name; its `once` token makes a double post add one member), rename (a member
and a name; the account's own member too), or remove (a member without an account).
Removing is asked about first: a post without `confirm` shows the question and changes
nothing, so a stray post never takes anyone off the team.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from allymap.domain import InvalidInput, Refusal
from allymap.services import team as team_service
from allymap.services.keyring import Keyring
from allymap.services.team import MemberLine
from allymap.web import forms
from allymap.web.forms.team import ADD, REMOVE, RENAME
from allymap.web.requests import AllymapRequest
from allymap.web.views.guard import FORM, show_refusal, unlocked_required


@require_http_methods(FORM)
@unlocked_required
def team(request: AllymapRequest, keyring: Keyring, intervention_id: str) -> HttpResponse:
    reading = team_service.team_reading(keyring=keyring, intervention_id=intervention_id)
    posted = forms.MemberForm(request.POST) if request.method == "POST" else None
    if posted is not None and posted.is_valid():
        action, member_id = posted.cleaned_data["action"], posted.cleaned_data["member"]
        leaving = _member(reading.members, member_id)
        if action == REMOVE and leaving and leaving.can_leave and not posted.confirmed():
            return render(
                request, "allymap/team.html", {"reading": reading, "confirm_remove": leaving}
            )
        try:
            done = _apply(keyring, intervention_id, posted)
        except InvalidInput as refusal:
            _show(posted, refusal)
        else:
            url = reverse("team", kwargs={"intervention_id": intervention_id})
            return redirect(f"{url}#member-{done}" if action != REMOVE else url)
    return render(request, "allymap/team.html", _context(reading, posted))


_YOUR_NAME = gettext_lazy(
    "So that others can tell your view from theirs when the team looks at the chart together."
)


def _apply(keyring: Keyring, intervention_id: str, form: forms.MemberForm) -> str:
    """Carry out the form's action; the id of the member it was about."""
    data = form.cleaned_data
    if data["action"] == ADD:
        return team_service.member_add(
            keyring=keyring,
            intervention_id=intervention_id,
            name=data["name"],
            proposed_id=data["once"],
        )
    if data["action"] == RENAME:
        team_service.member_rename(
            keyring=keyring,
            intervention_id=intervention_id,
            member_id=data["member"],
            name=data["name"],
        )
    else:
        team_service.member_remove(
            keyring=keyring, intervention_id=intervention_id, member_id=data["member"]
        )
    return str(data["member"])


def _show(form: forms.MemberForm, refusal: InvalidInput) -> None:
    if refusal.field == "name" and refusal.code is Refusal.DUPLICATE:
        form.add_error(
            "name",
            _(
                "Someone on the team already has this name. Choose another, so that each "
                "view is clearly someone’s: add an initial, say."
            ),
        )
    elif refusal.field == "member_id":
        form.add_error(None, _("That is not someone who can be changed on the team now."))
    else:
        show_refusal(form, refusal)


def _member(members: tuple[MemberLine, ...], member_id: str) -> MemberLine | None:
    return next((m for m in members if m.member_id == member_id), None)


def _context(
    reading: team_service.TeamReading, posted: forms.MemberForm | None
) -> dict[str, object]:
    """The page with a fresh add form and a rename form for each member, except where a
    post was refused: that form comes back with what was typed and why. A refusal that
    belongs to no field shown (a member who left meanwhile, say) goes at the top."""
    action = posted.data.get("action") if posted is not None else None
    about = posted.data.get("member") if posted is not None else None
    add = forms.MemberForm(initial={"action": ADD}, auto_id="id_add_%s")
    if posted is not None and action == ADD:
        add = posted
        add.auto_id = "id_add_%s"
    renames = []
    for member in reading.members:
        form = forms.MemberForm(
            initial={"action": RENAME, "member": member.member_id, "name": member.name},
            auto_id=f"id_%s_{member.member_id}",
        )
        if posted is not None and action == RENAME and about == member.member_id:
            form = posted
            form.auto_id = f"id_%s_{member.member_id}"
        # The add form says what a name is for; renaming oneself says why it helps.
        # (on the bound field: a posted form has already made it, with the old words)
        form["name"].help_text = _YOUR_NAME if member.is_you else ""
        renames.append((member, form))
    top: list[str] = []
    if posted is not None:
        # Errors no form on the page shows: the hidden fields', and a name's when the
        # post was neither adding nor renaming.
        shown_apart = ["__all__", "action", "member", "confirm", "once"]
        if action not in (ADD, RENAME):
            shown_apart.append("name")
        for name in shown_apart:
            top += [str(error) for error in posted.errors.get(name, [])]
    return {"reading": reading, "add_form": add, "renames": renames, "top_errors": top}
