"""Paper: the page of prints, the blank chart, an ally's own copy, and the print footer.

Printing is the browser's own Print command: every print is an ordinary page that needs
no JavaScript (a "Print" button appears only where a script can press it). The blank
chart and an ally's copy are pages of their own, laid out for A4 first; the side-by-side
chart and a person's summary print from their screen pages (the print rules in
allymap.css). `print_css` gives every printed page of allymap its footer: the caution
line, the date and the chart's source, in the margin of each sheet (CSS page margin
boxes, whose words must be in a stylesheet: this one is made per request, translated).
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from allymap.chart import Position
from allymap.services import prints as prints_service
from allymap.services.errors import NotFound
from allymap.services.keyring import Keyring
from allymap.web.requests import AllymapRequest
from allymap.web.views.guard import unlocked_required


@require_safe
@unlocked_required
def prints(request: AllymapRequest, keyring: Keyring, intervention_id: str) -> HttpResponse:
    """What can be printed, and how: links to each print."""
    reading = prints_service.prints_reading(keyring=keyring, intervention_id=intervention_id)
    context = {"reading": reading, "sheet_choices": range(1, prints_service.SHEETS_MAX + 1)}
    return render(request, "allymap/prints.html", context)


@require_safe
@unlocked_required
def print_blank(request: AllymapRequest, keyring: Keyring, intervention_id: str) -> HttpResponse:
    """The blank chart, with `?sheets=N` sheets for people (one when not a number)."""
    try:
        sheets = int(request.GET.get("sheets", "1"))
    except ValueError:
        sheets = 1
    reading = prints_service.blank_chart_reading(
        keyring=keyring, intervention_id=intervention_id, sheets=sheets
    )
    context = {
        "reading": reading,
        "sheets": range(1, reading.sheets + 1),
        "positions": list(Position),
        "sheet_choices": range(1, prints_service.SHEETS_MAX + 1),
    }
    return render(request, "allymap/print_blank.html", context)


@require_safe
@unlocked_required
def print_ally(
    request: AllymapRequest, keyring: Keyring, intervention_id: str, person_id: str
) -> HttpResponse:
    """The own copy of someone on the map."""
    reading = prints_service.ally_copy_reading(
        keyring=keyring, intervention_id=intervention_id, person_id=person_id
    )
    return render(request, "allymap/print_ally.html", {"copy": reading})


@require_safe
@unlocked_required
def print_member(request: AllymapRequest, keyring: Keyring, intervention_id: str) -> HttpResponse:
    """The own copy of a team member (`?m=<member id>`; without it, the reader's own)."""
    member_id = request.GET.get("m") or None
    try:
        reading = prints_service.ally_copy_reading(
            keyring=keyring, intervention_id=intervention_id, member_id=member_id
        )
    except NotFound:
        raise Http404 from None
    return render(request, "allymap/print_ally.html", {"copy": reading})


@require_safe
def print_css(request: AllymapRequest) -> HttpResponse:
    """The footer of every printed sheet, as a stylesheet (see the module doc). It says
    nothing about anyone, so it needs no unlocking."""
    today = date_format(timezone.localdate(), "j F Y")
    lines = [
        _("Sensitive: keep this safe, out of sight of anyone it could put at risk."),
        _("Printed %(date)s. Chart from Mataora, Te Wānanga o Raukawa with Creative Interventions.")
        % {"date": today},
    ]
    footer = "\\A ".join(_css_string(line) for line in lines)
    return render(
        request, "allymap/print.css", {"footer": footer}, content_type="text/css; charset=utf-8"
    )


def _css_string(text: str) -> str:
    """Text for the inside of a double-quoted CSS string: quotes, backslashes and line
    ends escaped, so no words can end the string or the rule."""
    out = []
    for char in text:
        if char in '"\\' or char in "\n\r\f" or char == "<":
            out.append(f"\\{ord(char):x} ")
        else:
            out.append(char)
    return "".join(out)
