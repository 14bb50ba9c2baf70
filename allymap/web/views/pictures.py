"""The pictures' pages: the ring map, the screen for the hui, and a person's row strip.

The ring map (`ring_map`) shows everyone on the map by alias, with a table that says
the same in words. The screen for the hui (`hui`) shows the map, the side-by-side chart
and the chart for a room to look at together, with people as numbers or initials
(`?names=numbers|initials|aliases`, numbers unless asked): then no alias is anywhere in
the page, not even in a tooltip or a form. `strip_for` draws a person's row strip for
their page. The SVG comes from `allymap.pictures`, which escapes every piece of text in
it; the words come from here, translated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from allymap.chart import Position
from allymap.domain.values import Closeness, Perspective
from allymap.pictures import (
    Badge,
    MemberMark,
    RingPerson,
    RingWords,
    StripWords,
    badge_swatch,
    lean_swatch,
    member_swatch,
    role_swatch,
    row_strip,
    small_multiple,
)
from allymap.pictures import (
    ring_map as draw_ring_map,
)
from allymap.services.compare import COMPARE_MAX, compare_reading
from allymap.services.keyring import Keyring
from allymap.services.pictures import (
    MapPerson,
    MapReading,
    MapRole,
    PersonStrip,
    map_drawn,
    strip_drawn,
)
from allymap.services.team import MemberLine
from allymap.web.requests import AllymapRequest
from allymap.web.views.guard import unlocked_required
from allymap.web.words import (
    BADGE_LABELS,
    CLOSENESS_LABELS,
    LEAN_LABELS,
    PERSPECTIVE_WORDS,
    POSITION_LABELS,
)

NAMES = ("numbers", "initials", "aliases")
"""How the screen for the hui names people; the first is the default."""

RING_ORDER = (Closeness.CLOSE, Closeness.BETWEEN, Closeness.FURTHER, Closeness.UNKNOWN)


def _svg(text: str) -> SafeString:
    # Built by allymap.pictures, which escapes every piece of text it is given.
    return mark_safe(text)  # noqa: S308


@dataclass(frozen=True)
class LegendItem:
    """One entry of a legend: its small picture and its words."""

    swatch: SafeString
    words: str


@dataclass(frozen=True)
class MapLine:
    """A person in the table beside the map: the name shown, the reading's line, and the
    roles they hold (a role the team named is only named when aliases are shown: its name
    is the team's own words, and may name someone)."""

    shown: str
    person: MapPerson
    roles: tuple[MapRole, ...]


@dataclass(frozen=True)
class DrawnMap:
    """The ring map as a page shows it: the SVG, its legend, and the table's lines."""

    svg: SafeString
    legend: tuple[LegendItem, ...]
    lines: tuple[MapLine, ...]


def _shown(person: MapPerson, names: str) -> str:
    if names == "numbers":
        return str(person.number)
    if names == "initials":
        return person.initials
    return person.alias


def _centre(reading: MapReading, names: str) -> str:
    words = str(PERSPECTIVE_WORDS[Perspective(reading.heading.perspective)]["centre"])
    if names == "aliases" and reading.doing_harm_alias:
        return reading.doing_harm_alias
    return words


def draw_map(reading: MapReading, names: str, *, ident: str, label_size: float = 13) -> DrawnMap:
    """The ring map with people named as `names` says (one of `NAMES`), labels at
    `label_size`."""
    people = [
        RingPerson(
            label=_shown(person, names),
            title=_shown(person, names),
            ring=person.ring,
            lean=person.lean,
            badge=person.badge,
            role=bool(person.roles),
        )
        for person in reading.people
    ]
    count = len(people)
    words = RingWords(
        title=_("The ring map"),
        desc=ngettext(
            "%(count)s person on the map, in rings by how close they are to the centre. "
            "Each marker’s shape and pattern show where the team’s answers lean. The "
            "table after the picture says the same in words.",
            "%(count)s people on the map, in rings by how close they are to the centre. "
            "Each marker’s shape and pattern show where the team’s answers lean. The "
            "table after the picture says the same in words.",
            count,
        )
        % {"count": count},
        centre=_centre(reading, names),
        rings=(
            str(CLOSENESS_LABELS[Closeness.CLOSE]),
            str(CLOSENESS_LABELS[Closeness.BETWEEN]),
            str(CLOSENESS_LABELS[Closeness.FURTHER]),
            str(CLOSENESS_LABELS[Closeness.UNKNOWN]),
        ),
    )
    picture = draw_ring_map(people, words, ident=ident, label_size=label_size)
    legend = [
        LegendItem(_svg(lean_swatch(lean, ident=f"{ident}-key-{lean.value}")), str(words_))
        for lean, words_ in LEAN_LABELS.items()
    ]
    legend += [
        LegendItem(_svg(badge_swatch(badge)), _("Asking them: %(where)s") % {"where": words_})
        for badge, words_ in BADGE_LABELS.items()
        if badge is not Badge.NONE
    ]
    legend.append(LegendItem(_svg(role_swatch()), _("A bar beneath: holds a role on the team")))
    ring_of = {closeness: n for n, closeness in enumerate(RING_ORDER)}
    lines = sorted(
        (
            MapLine(
                _shown(person, names),
                person,
                person.roles
                if names == "aliases"
                else tuple(MapRole(role.role, "") for role in person.roles),
            )
            for person in reading.people
        ),
        key=lambda line: (ring_of[Closeness(line.person.closeness)], line.person.number),
    )
    return DrawnMap(svg=_svg(picture.svg), legend=tuple(legend), lines=tuple(lines))


@require_safe
@unlocked_required
def ring_map(request: AllymapRequest, keyring: Keyring, intervention_id: str) -> HttpResponse:
    reading, drawn = _map_drawn(keyring, intervention_id, "aliases", ident="ring-map")
    return render(request, "allymap/ring_map.html", {"reading": reading, "drawn": drawn})


def _map_drawn(
    keyring: Keyring, intervention_id: str, names: str, *, ident: str, label_size: float = 13
) -> tuple[MapReading, DrawnMap]:
    """The map's reading and its picture, both from the current state, the layout worked
    out once for it (`map_drawn`: it is most of the page's time)."""
    return map_drawn(
        keyring=keyring,
        intervention_id=intervention_id,
        key=(names, ident, label_size),
        draw=lambda reading: draw_map(reading, names, ident=ident, label_size=label_size),
    )


@dataclass(frozen=True)
class NameChoice:
    """A link that switches how the screen names people."""

    names: str
    words: str
    url: str
    current: bool


@dataclass(frozen=True)
class HuiCell:
    """One cell of the side-by-side chart on the screen: each answer's position, and the
    team member whose it is, by letter ("Member A"): a wall screen never names the team
    and has no "you"."""

    answers: tuple[tuple[Position, str], ...]


def member_letter(index: int) -> str:
    """A, B, …, Z, then AA, AB, …: a team member's letter from their place on the team."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@require_safe
@unlocked_required
def hui(request: AllymapRequest, keyring: Keyring, intervention_id: str) -> HttpResponse:
    names = request.GET.get("names", NAMES[0])
    if names not in NAMES:
        names = NAMES[0]
    reading, drawn = _map_drawn(keyring, intervention_id, names, ident="hui-map", label_size=20)
    chosen = request.GET.getlist("p")
    compare = compare_reading(keyring=keyring, intervention_id=intervention_id, person_ids=chosen)
    here = reverse("hui", kwargs={"intervention_id": intervention_id})
    kept = [("p", person.person_id) for person in compare.people]

    def url(choice: str) -> str:
        return f"{here}?{urlencode([('names', choice), *kept])}"

    switch_words = {
        "numbers": _("Numbers"),
        "initials": _("Initials"),
        "aliases": _("Aliases"),
    }
    by_id = {person.person_id: _shown(person, names) for person in reading.people}
    # The two readings come from two opens of the log: someone added in between has no
    # number on this screen yet, and shows as "?" (never by alias).
    columns = [by_id.get(person.person_id, "?") for person in compare.people]
    shown = {person.person_id for person in compare.people}
    # Members by letter in the order they joined the team, the same in every mode; the
    # key from letter to name shows only when the screen shows names at all.
    lettered = {
        member_id: _("Member %(letter)s") % {"letter": member_letter(index)}
        for index, member_id in enumerate(reading.member_ids)
    }
    answered: dict[str, MemberLine] = {}
    rows = []
    for line in compare.rows:
        cells = []
        for cell in line.cells:
            for answer in cell.answers:
                answered.setdefault(answer.member.member_id, answer.member)
            cells.append(
                HuiCell(
                    tuple(
                        (answer.position, lettered.get(answer.member.member_id, "?"))
                        for answer in cell.answers
                    )
                )
            )
        rows.append((line.row, cells))
    key = [
        (lettered[member_id], answered[member_id].name or _("A team member"))
        for member_id in reading.member_ids
        if member_id in answered and names == "aliases"
    ]
    return render(
        request,
        "allymap/hui.html",
        {
            "reading": reading,
            "names": names,
            "switch": [
                NameChoice(choice, str(switch_words[choice]), url(choice), choice == names)
                for choice in NAMES
            ],
            "drawn": drawn,
            "columns": columns,
            "rows": rows,
            "member_key": key,
            "choices": [
                (person.person_id, by_id[person.person_id], person.person_id in shown)
                for person in reading.people
            ],
            "chart": [line.row for line in compare.rows],
            "compare_max": COMPARE_MAX,
            "legend": list(Position),
            "position_labels": POSITION_LABELS,
        },
    )


@dataclass(frozen=True)
class Moment:
    """One check-in's small picture, and the day it is about."""

    svg: SafeString
    on: date


@dataclass(frozen=True)
class DrawnStrip:
    """A person's row strip as their page shows it: the strip, the key to the members'
    marks, and the check-ins' small multiples (`earlier` counts the ones left out)."""

    svg: SafeString
    key: tuple[tuple[SafeString, MemberLine], ...]
    moments: tuple[Moment, ...]
    earlier: int


def _member_name(member: MemberLine) -> str:
    if member.is_you:
        return _("You")
    return member.name or _("A team member")


def strip_for(keyring: Keyring, intervention_id: str, person_id: str) -> DrawnStrip | None:
    """A person's row strip, or None while nobody has reflected on them; drawn once for
    the current state (`strip_drawn`)."""
    return strip_drawn(
        keyring=keyring, intervention_id=intervention_id, person_id=person_id, draw=_strip
    )


def _strip(reading: PersonStrip) -> DrawnStrip | None:
    if not reading.members:
        return None
    marks = [MemberMark(_member_name(member)) for member in reading.members]
    columns = (
        str(POSITION_LABELS[Position.ALLY]),
        str(POSITION_LABELS[Position.LEANS_ALLY]),
        str(POSITION_LABELS[Position.MIXED]),
        str(POSITION_LABELS[Position.LEANS_IN_THE_WAY]),
        str(POSITION_LABELS[Position.IN_THE_WAY]),
        str(POSITION_LABELS[Position.UNKNOWN]),
    )
    words = StripWords(
        title=_("The ten rows at a glance"),
        desc=_(
            "Each row runs from accountability ally on the left to might get in the way "
            "(may help in other ways) on the right, then don’t know yet. Each team member "
            "has a mark of their own shape; a bar joins answers that sit apart, a thick "
            "one where they are two or more steps apart. The rows below say the same in "
            "words."
        ),
        columns=columns,
    )
    svg = row_strip(reading.rows, marks, words, ident="row-strip")
    moments = tuple(
        Moment(
            svg=_svg(
                small_multiple(
                    moment.rows,
                    title=_("The answers at the check-in of %(day)s")
                    % {"day": date_format(moment.on, "j F Y")},
                    desc=_(
                        "The same ten rows, small; a dot beside a row's number marks a row "
                        "that changed since the check-in before."
                    ),
                    ident=f"moment-{n}",
                )
            ),
            on=moment.on,
        )
        for n, moment in enumerate(reading.moments)
    )
    return DrawnStrip(
        svg=_svg(svg),
        key=tuple((_svg(member_swatch(n)), member) for n, member in enumerate(reading.members)),
        moments=moments,
        earlier=reading.earlier,
    )
