"""The side-by-side chart: the people the team chose as columns, the ten rows as rows.

Who is shown, and in what order, is in the query (`?p=<person id>&p=...`, ids only,
never a name): the columns keep that order, which only the team changes, with "move
left" and "move right" links that rewrite it (no JavaScript needed). Nothing here sorts
people by what was recorded about them.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from allymap.chart import Position
from allymap.services.compare import COMPARE_MAX, Choice, compare_reading
from allymap.services.keyring import Keyring
from allymap.web.requests import AllymapRequest
from allymap.web.views.guard import unlocked_required


@dataclass(frozen=True)
class Column:
    """A chosen person's column head: links that move it one place, or take it out."""

    person: Choice
    left: str
    right: str
    out: str


@require_safe
@unlocked_required
def compare(request: AllymapRequest, keyring: Keyring, intervention_id: str) -> HttpResponse:
    reading = compare_reading(
        keyring=keyring, intervention_id=intervention_id, person_ids=request.GET.getlist("p")
    )
    here = reverse("compare", kwargs={"intervention_id": intervention_id})
    order = [person.person_id for person in reading.people]

    def url(ids: list[str]) -> str:
        return f"{here}?{urlencode([('p', pid) for pid in ids])}#chart" if ids else here

    def swapped(a: int, b: int) -> list[str]:
        ids = list(order)
        ids[a], ids[b] = ids[b], ids[a]
        return ids

    columns = [
        Column(
            person=person,
            left=url(swapped(n, n - 1)) if n > 0 else "",
            right=url(swapped(n, n + 1)) if n < len(order) - 1 else "",
            out=url([pid for pid in order if pid != person.person_id]),
        )
        for n, person in enumerate(reading.people)
    ]
    # The form lists the chosen first, in their order, so choosing someone more keeps
    # the order the team set and puts the newcomer at the end.
    choices = [*reading.people, *(c for c in reading.choices if not c.chosen)]
    return render(
        request,
        "allymap/compare.html",
        {
            "reading": reading,
            "columns": columns,
            "choices": choices,
            "legend": list(Position),
            "compare_max": COMPARE_MAX,
        },
    )
