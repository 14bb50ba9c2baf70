"""The roles page: the roles checklist and the team's own roles, who holds each, the
team's limit of roles per person, and who supports each accountability ally.

One URL. Every change is a POST of `forms.RoleForm`, whose `action` says which: assign,
unassign, name (a role of the team's own; its `once` token makes a double post name one
role), limit, support (its `once` token makes a double post add one support) or
unsupport. A change done goes back to the page at the section it changed; a refused one
comes back with the form as it was posted and why, beside the field it is about.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.forms import BoundField
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from allymap.domain import InvalidInput, Refusal
from allymap.services import roles as roles_service
from allymap.services.keyring import Keyring
from allymap.services.roles import HolderLine, RoleLine, RolesReading
from allymap.web import forms
from allymap.web.forms.roles import ASSIGN, LIMIT, NAME, SUPPORT, UNASSIGN
from allymap.web.requests import AllymapRequest
from allymap.web.templatetags.allymap_roles import holder_name
from allymap.web.views.guard import FORM, show_refusal, unlocked_required

Choices = list[tuple[str, object]]
"""What a select offers: ``(key, label)`` pairs, or ``(group, pairs)``."""


@require_http_methods(FORM)
@unlocked_required
def roles(request: AllymapRequest, keyring: Keyring, intervention_id: str) -> HttpResponse:
    reading = roles_service.roles_reading(keyring=keyring, intervention_id=intervention_id)
    posted = forms.RoleForm(request.POST) if request.method == "POST" else None
    if posted is not None and posted.is_valid():
        try:
            anchor = _apply(keyring, intervention_id, posted)
        except InvalidInput as refusal:
            _show(posted, refusal)
        else:
            url = reverse("roles", kwargs={"intervention_id": intervention_id})
            action = posted.cleaned_data["action"]
            if action in (ASSIGN, UNASSIGN):
                # Said on the page it comes back to, beside the role (a status line).
                done = "given" if action == ASSIGN else "taken"
                return redirect(f"{url}?{done}={posted.cleaned_data['role']}#{anchor}")
            return redirect(f"{url}#{anchor}")
    # One role's list, or several (the gap "nobody keeps the team in touch" opens both
    # roles that can).
    give = frozenset(request.GET.getlist("give"))
    context = _context(reading, posted, give)
    context["done"] = _done(reading, request.GET)
    return render(request, "allymap/roles.html", context)


def _done(reading: RolesReading, query: Mapping[str, str]) -> tuple[str, RoleLine] | None:
    """What the page says it just did (`?given=<role>` or `?taken=<role>`), for a role
    still on the page; None otherwise."""
    for done in ("given", "taken"):
        role = next((r for r in reading.roles if r.role == query.get(done)), None)
        if role is not None:
            return done, role
    return None


def _apply(keyring: Keyring, intervention_id: str, form: forms.RoleForm) -> str:
    """Carry out the form's action; the id of the page's section it changed."""
    data = form.cleaned_data
    action = data["action"]
    if action == ASSIGN:
        roles_service.role_assign(
            keyring=keyring,
            intervention_id=intervention_id,
            role=data["role"],
            holder=data["holder"],
        )
        return f"role-{data['role']}"
    if action == UNASSIGN:
        roles_service.role_unassign(
            keyring=keyring,
            intervention_id=intervention_id,
            role=data["role"],
            holder=data["holder"],
        )
        return f"role-{data['role']}"
    if action == NAME:
        role = roles_service.role_name(
            keyring=keyring,
            intervention_id=intervention_id,
            name=data["name"],
            proposed_id=data["once"],
        )
        return f"role-{role}"
    if action == LIMIT:
        roles_service.role_limit_set(
            keyring=keyring, intervention_id=intervention_id, limit=data["limit"]
        )
        return "limit"
    if action == SUPPORT:
        roles_service.support_add(
            keyring=keyring,
            intervention_id=intervention_id,
            ally=data["ally"],
            supporter=data["supporter"],
            supporter_name=data["supporter_name"],
            proposed_id=data["once"],
        )
        return f"ally-{_anchor(data['ally'])}"
    roles_service.support_remove(
        keyring=keyring, intervention_id=intervention_id, support_id=data["support"]
    )
    return "support"


def _show(form: forms.RoleForm, refusal: InvalidInput) -> None:
    """A refusal of the services beside its field, in words that say what to do."""
    if refusal.field == "name" and refusal.code is Refusal.DUPLICATE:
        form.add_error("name", _("The team already has a role with this name."))
    elif refusal.field == "holder" and refusal.code is Refusal.NOT_A_CHOICE:
        form.add_error(
            "holder", _("They are not on the map or the team now. Please choose someone else.")
        )
    elif refusal.field == "supporter" and refusal.code is Refusal.NOT_A_CHOICE:
        form.add_error(
            "supporter",
            _("Please choose someone else: someone on the map or the team now, not the ally."),
        )
    elif refusal.field == "ally":
        form.add_error(None, _("That ally is not on the map or the team now."))
    elif refusal.field == "role":
        form.add_error(None, _("That role is not on this page now."))
    else:
        show_refusal(form, refusal)


def _anchor(holder_key: str) -> str:
    """A holder's key ("kind:id") as an id the page can carry (no colon)."""
    return holder_key.replace(":", "-")


def _choices(candidates: Iterable[HolderLine]) -> Choices:
    """The candidates as a select offers them: the team first, then the map."""
    candidates = list(candidates)
    team = [(c.key, holder_name(c)) for c in candidates if c.kind == "member"]
    mapped = [(c.key, holder_name(c)) for c in candidates if c.kind == "person"]
    groups: Choices = []
    if team:
        groups.append((_("On the team"), team))
    if mapped:
        groups.append((_("On the map"), mapped))
    return groups


# The fields each kind of form on the page shows (and so shows the errors of).
_SHOWN: dict[str, tuple[str, ...]] = {
    ASSIGN: ("holder",),
    NAME: ("name",),
    LIMIT: ("limit",),
    SUPPORT: ("supporter", "supporter_name"),
}


def _context(
    reading: RolesReading, posted: forms.RoleForm | None, give: frozenset[str] = frozenset()
) -> dict[str, object]:
    """The page with fresh forms (each ally's "who supports them", naming a role, the
    limit, and "give this role" for the roles the visitor chose to give, `give`: each
    role has a link that opens its own, so the page does not offer everyone on the map a
    dozen times over), except where a post was refused: that form comes back in its
    place with what was posted and why, and a summary at the top links to each field at
    fault. Errors no form on the page shows (a hidden field's, or a form whose place has
    gone meanwhile) are said in the summary alone."""
    action = posted.data.get("action") if posted is not None else None
    about_role = posted.data.get("role") if posted is not None else None
    about_ally = posted.data.get("ally") if posted is not None else None
    placed = False

    def in_place(auto_id: str, holders: Choices, supporters: Choices) -> forms.RoleForm:
        """The refused post, put where its form shows on the page."""
        nonlocal placed
        assert posted is not None
        placed = True
        posted.auto_id = auto_id
        posted.offer(holders=holders, supporters=supporters)
        return posted

    assign: list[tuple[RoleLine, forms.RoleForm | None]] = []
    for role in reading.roles:
        refused_here = action == ASSIGN and about_role == role.role
        if role.role not in give and not refused_here:
            assign.append((role, None))
            continue
        offered = _choices(c for c in reading.candidates if c not in role.holders)
        auto_id = f"id_%s_{role.role}"
        form = forms.RoleForm(
            initial={"action": ASSIGN, "role": role.role}, holders=offered, auto_id=auto_id
        )
        if refused_here:
            form = in_place(auto_id, offered, [])
        assign.append((role, form))

    supports = []
    for ally in reading.allies:
        offered = _choices(c for c in reading.candidates if c != ally)
        auto_id = f"id_%s_{_anchor(ally.key)}"
        form = forms.RoleForm(
            initial={"action": SUPPORT, "ally": ally.key}, supporters=offered, auto_id=auto_id
        )
        if action == SUPPORT and about_ally == ally.key:
            form = in_place(auto_id, [], offered)
        mine = [s for s in reading.supports if s.ally == ally]
        supports.append((ally, _anchor(ally.key), mine, form))

    name_form = forms.RoleForm(initial={"action": NAME}, auto_id="id_new_%s")
    if action == NAME:
        name_form = in_place("id_new_%s", [], [])
    limit_form = forms.RoleForm(initial={"action": LIMIT, "limit": reading.role_limit})
    if action == LIMIT:
        limit_form = in_place("id_%s", [], [])

    # The summary at the top: errors of a field shown link to it, the rest are words.
    top: list[str] = []
    linked: list[BoundField] = []
    if posted is not None:
        shown = _SHOWN.get(str(action), ()) if placed else ()
        for name, errors in posted.errors.items():
            if name in shown:
                linked.append(posted[name])
            else:
                top += [str(error) for error in errors]
    return {
        "reading": reading,
        "assign": assign,
        "supports": supports,
        # Support kept after someone put the ally role down: still shown, still removable.
        "former": [s for s in reading.supports if s.ally not in reading.allies],
        "name_form": name_form,
        "limit_form": limit_form,
        "top_errors": top,
        "linked_errors": linked,
    }
