"""Template filters that word roles, holders and gaps (see `allymap.web.words`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django import template
from django.utils.translation import gettext as _

from allymap.domain import Consent, GapKind, Role
from allymap.services.gaps import GapLine
from allymap.services.roles import HolderLine, RoleLine
from allymap.web.forms.roles import SET_ASIDE, GapForm
from allymap.web.own_words import (
    ally_copy_role_hint,
    ally_copy_role_label,
    gap_words_for,
    role_hint_for,
    role_label_for,
)
from allymap.web.templatetags.allymap_words import perspective_of
from allymap.web.words import CONSENT_LABELS, GAP_LINKS

register = template.Library()


@register.filter
def role_label(role: RoleLine, reading: object) -> str:
    """``{{ role|role_label:reading }}``: a checklist role in words as this map words it
    (`reading` has the page's heading), or the team's own name."""
    return role.name or role_label_for(Role(role.role), perspective_of(reading))


@register.filter
def role_hint(role: RoleLine, reading: object) -> str:
    """``{{ role|role_hint:reading }}``: what a checklist role is, in a line, as this map
    words it (empty for a role the team named itself)."""
    return "" if role.name else role_hint_for(Role(role.role), perspective_of(reading))


@register.filter
def copy_role_label(role: RoleLine) -> str:
    """``{{ role|copy_role_label }}``: a role on an ally's own copy, which the ally reads
    (`own_words.ALLY_COPY_ROLE_LABELS`), or the team's own name."""
    return role.name or ally_copy_role_label(Role(role.role))


@register.filter
def copy_role_hint(role: RoleLine) -> str:
    """``{{ role|copy_role_hint }}``: what a role is for, on an ally's own copy (empty for
    a role the team named itself)."""
    return "" if role.name else ally_copy_role_hint(Role(role.role))


@register.filter
def holder_name(holder: HolderLine) -> str:
    """``{{ holder|holder_name }}``: someone on the map by their alias, a team member by
    their name, the reader's own member as "You"."""
    if holder.is_you:
        return _("You")
    if holder.kind == "member" and not holder.name:
        return _("A team member")
    return holder.name


@register.filter
def gap_words(gap: GapLine, reading: object) -> str:
    """``{{ gap|gap_words:heading }}``: what a gap says as this map words it, naming whom
    it is about."""
    kind = GapKind(gap.kind)
    about_you = gap.about is not None and gap.about.is_you
    words = gap_words_for(kind, perspective_of(reading), about_you=about_you)
    held, _slash, limit = gap.cause.partition("/")
    consent = CONSENT_LABELS[Consent(gap.cause)] if kind is GapKind.ALLY_NOT_AGREED else ""
    filled = {
        "name": holder_name(gap.about) if gap.about is not None else "",
        "consent": str(consent),
        "held": held if kind is GapKind.TOO_MANY_ROLES else "",
        "limit": limit if kind is GapKind.TOO_MANY_ROLES else "",
    }
    return str(words) % filled


@register.filter
def gap_link(gap: GapLine) -> str:
    """``{{ gap|gap_link }}``: the words of the link to where a gap can be resolved."""
    return str(GAP_LINKS[GapKind(gap.kind)])


@register.filter
def posted_about(form: object, gap: GapLine) -> GapForm | None:
    """``{{ gap_form|posted_about:gap }}``: the refused post of the gaps panel, if it was
    about setting this gap aside (its note and why come back beside it), else None."""
    if (
        not isinstance(form, GapForm)
        or form.data.get("gap") != gap.key
        or form.data.get("action") != SET_ASIDE
    ):
        return None
    return form


@register.filter
def note_id(posted: GapForm | None, counter: int) -> str:
    """``{{ posted|note_id:forloop.counter }}``: the id of a gap's note field; the one of a
    refused post has a fixed id, which the panel's error summary links to."""
    return "gap-refused-note" if posted is not None else f"gap-note-{counter}"


#: The gaps panel shows this many gaps of one kind before folding the rest away behind a
#: link (a map of 60 people can have 60 differences to talk through; the page stays light
#: and each one is a click away).
GAPS_PER_KIND = 3


@dataclass(frozen=True)
class FoldedGaps:
    """The gaps the panel lists, each with its number in the whole panel (so a gap keeps
    its place and ids whether the rest are folded or not); how many are beyond the first
    `GAPS_PER_KIND` of their kind (`beyond`), and whether those are listed too (`unfolded`)."""

    lines: tuple[tuple[int, GapLine], ...]
    beyond: int
    unfolded: bool


@register.filter
def fold_gaps(gaps: tuple[GapLine, ...], everything: bool) -> FoldedGaps:
    """``{{ gaps.shown|fold_gaps:everything }}``: the first `GAPS_PER_KIND` gaps of each
    kind, or every gap when `everything` (asked for, or a refused post that must come back
    beside its gap)."""
    seen: Counter[str] = Counter()
    lines: list[tuple[int, GapLine]] = []
    beyond = 0
    for number, gap in enumerate(gaps, start=1):
        seen[gap.kind] += 1
        if seen[gap.kind] > GAPS_PER_KIND:
            beyond += 1
            if not everything:
                continue
        lines.append((number, gap))
    return FoldedGaps(lines=tuple(lines), beyond=beyond, unfolded=bool(everything))
