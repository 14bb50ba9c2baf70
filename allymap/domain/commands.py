"""Commands: check what someone asked for, and say which events it makes.

This is the only way the services make events. A command reads the current state,
never changes it, and either returns the event(s) to append (or None when nothing would
change) or raises:

- `InvalidInput` for input a person can correct (its `field` and `code` go back to the
  form, which words the code);
- `UnknownPerson` when the person is not on the map (absent or removed).

Typed text is tidied and checked by the rules in `allymap.domain.text`. This module
holds the intervention's, the team's and the notes' commands; the people's and their
positions' are in `allymap.domain.people`, organising and following through (roles,
support, gaps, check-ins, the staircase, self-checks) in `allymap.domain.organise`; all
are re-exported here so that every command
can be reached as ``commands.<name>``.
"""

from __future__ import annotations

from allymap.domain.errors import InvalidInput, Refusal
from allymap.domain.events import (
    InterventionArchived,
    InterventionChanged,
    InterventionStarted,
    MemberAdded,
    MemberChanged,
    MemberRemoved,
    NoteAdded,
)
from allymap.domain.organise import (
    CHECK_IN_MAX,
    ROLE_LIMIT_MAX,
    ROLE_NAME_MAX,
    add_check_in,
    add_support,
    assign_role,
    keep_self_check,
    name_role,
    note_staircase,
    remove_support,
    reopen_gap,
    set_aside_gap,
    set_role_limit,
    unassign_role,
)
from allymap.domain.people import (
    ALIAS_MAX,
    CODE_NAME_MAX,
    DETAILS_MAX,
    EVIDENCE_MAX,
    NOTE_MAX,
    RELATIONSHIP_MAX,
    PositionsOutcome,
    RowConflict,
    active_member,
    add_person,
    change_consent,
    change_person,
    record_positions,
    remove_person,
    talk_through,
)
from allymap.domain.state import InterventionState
from allymap.domain.text import ID_MAX, choice, id_, name, text
from allymap.domain.values import Perspective

__all__ = [
    "ALIAS_MAX",
    "CHECK_IN_MAX",
    "CODE_NAME_MAX",
    "DETAILS_MAX",
    "EVIDENCE_MAX",
    "ID_MAX",
    "MEMBER_NAME_MAX",
    "NOTE_MAX",
    "RELATIONSHIP_MAX",
    "ROLE_LIMIT_MAX",
    "ROLE_NAME_MAX",
    "PositionsOutcome",
    "RowConflict",
    "active_member",
    "add_check_in",
    "add_member",
    "add_note",
    "add_person",
    "add_support",
    "archive_intervention",
    "assign_role",
    "change_consent",
    "change_intervention",
    "change_member",
    "change_person",
    "keep_self_check",
    "name_role",
    "note_staircase",
    "record_positions",
    "remove_member",
    "remove_person",
    "remove_support",
    "reopen_gap",
    "set_aside_gap",
    "set_role_limit",
    "start_intervention",
    "talk_through",
    "unassign_role",
]

MEMBER_NAME_MAX = 60


def start_intervention(
    *,
    code_name: str,
    doing_harm_alias: str,
    harmed_alias: str = "",
    chart_id: str,
    chart_version: int,
    perspective: Perspective | str = Perspective.TEAM,
) -> InterventionStarted:
    """The event that starts an intervention, with its names checked.

    `code_name` and `doing_harm_alias` are required, `harmed_alias` is optional;
    `chart_version` must be a positive integer; `perspective` says whose map it is.
    """
    if isinstance(chart_version, bool) or not isinstance(chart_version, int) or chart_version < 1:
        raise InvalidInput("chart_version", Refusal.INTERNAL)
    return InterventionStarted(
        code_name=name(code_name, "code_name", CODE_NAME_MAX, required=True),
        doing_harm_alias=name(doing_harm_alias, "doing_harm_alias", ALIAS_MAX, required=True),
        harmed_alias=name(harmed_alias, "harmed_alias", ALIAS_MAX),
        chart_id=id_(chart_id, "chart_id"),
        chart_version=chart_version,
        perspective=choice(perspective, Perspective, "perspective"),
    )


def change_intervention(
    state: InterventionState, *, code_name: str, doing_harm_alias: str, harmed_alias: str
) -> InterventionChanged | None:
    """Rename the intervention or its people's aliases; None when nothing changed."""
    changed = InterventionChanged(
        code_name=name(code_name, "code_name", CODE_NAME_MAX, required=True),
        doing_harm_alias=name(doing_harm_alias, "doing_harm_alias", ALIAS_MAX, required=True),
        harmed_alias=name(harmed_alias, "harmed_alias", ALIAS_MAX),
    )
    if (changed.code_name, changed.doing_harm_alias, changed.harmed_alias) == (
        state.code_name,
        state.doing_harm_alias,
        state.harmed_alias,
    ):
        return None
    return changed


def archive_intervention(
    state: InterventionState, *, archived: bool
) -> InterventionArchived | None:
    """Put the intervention away, or bring it back; None when it already is so."""
    if not isinstance(archived, bool):
        raise InvalidInput("archived", Refusal.INTERNAL)
    return None if state.archived == archived else InterventionArchived(archived=archived)


def add_member(
    state: InterventionState, *, member_id: str, name: str, account_id: str = ""
) -> MemberAdded:
    """Add someone to the team by a name the team chooses; `member_id` is new and random.

    The name is required and must differ from every current member's (letter case
    aside), so that each view is clearly someone's: else `DUPLICATE` on ``"name"``. An
    account already linked to a member is refused the same way, on ``"account_id"``.
    """
    member_id = id_(member_id, "member_id")
    if member_id in state.members:
        raise InvalidInput("member_id", Refusal.DUPLICATE)
    tidied = _member_name(state, name, except_id="")
    if account_id:
        account_id = id_(account_id, "account_id")
        if state.member_of(account_id) is not None:
            raise InvalidInput("account_id", Refusal.DUPLICATE)
    return MemberAdded(member_id=member_id, name=tidied, account_id=account_id)


def change_member(state: InterventionState, *, member_id: str, name: str) -> MemberChanged | None:
    """Rename a team member; None when the name is the same once tidied."""
    member = active_member(state, member_id)
    tidied = _member_name(state, name, except_id=member.member_id)
    return None if tidied == member.name else MemberChanged(member_id=member.member_id, name=tidied)


def remove_member(state: InterventionState, *, member_id: str) -> MemberRemoved:
    """Take someone off the team; what they recorded stays, under their name.

    A member linked to an account (whoever started the intervention, say) stays: refused
    with `NOT_A_CHOICE` on ``"member_id"``, like a member who is not on the team.
    """
    member = active_member(state, member_id)
    if member.account_id:
        raise InvalidInput("member_id", Refusal.NOT_A_CHOICE)
    return MemberRemoved(member_id=member.member_id)


def add_note(
    state: InterventionState, *, note_id: str, person_id: str = "", text: str
) -> NoteAdded:
    """A note for the team, about one person on the map when `person_id` is given.

    `note_id` is a new random id chosen by the caller; one already used is refused with
    field ``"note_id"``. `text` is required.
    """
    note_id = id_(note_id, "note_id")
    if any(note.note_id == note_id for note in state.notes):
        raise InvalidInput("note_id", Refusal.DUPLICATE)
    if person_id:
        person_id = state.person(person_id).person_id
    return NoteAdded(
        note_id=note_id,
        person_id=person_id,
        text=_note_text(text),
    )


def _note_text(value: str) -> str:
    return text(value, "text", NOTE_MAX, required=True)


def _member_name(state: InterventionState, value: str, *, except_id: str) -> str:
    tidied = name(value, "name", MEMBER_NAME_MAX, required=True)
    for member in state.active_members():
        if member.member_id != except_id and member.name.casefold() == tidied.casefold():
            raise InvalidInput("name", Refusal.DUPLICATE)
    return tidied
