"""Small readers of what the web gives back, shared by the web tests."""

from __future__ import annotations

import html
import re

from django.http import HttpResponse

from allymap.chart import default_chart
from allymap.store.models import Event

_TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL | re.IGNORECASE)


def text_of(response: HttpResponse) -> str:
    return response.content.decode()


def title_of(response: HttpResponse) -> str:
    """The page's `<title>`, unescaped; fails the test if there is none."""
    match = _TITLE.search(text_of(response))
    assert match, text_of(response)[:500]
    return html.unescape(match.group(1))


def id_from(location: str, pattern: str) -> str:
    match = re.search(pattern, location)
    assert match, location
    return match.group(1)


def event_count(intervention_id: str) -> int:
    return Event.objects.filter(intervention_id=intervention_id).count()


def stored_log(intervention_id: str) -> list[tuple[int, bytes]]:
    """The intervention's stored events, as (seq, ciphertext): any change to its log, an
    event added or the log rewritten or deleted (forgetting, destroying), changes it."""
    rows = Event.objects.filter(intervention_id=intervention_id).order_by("seq")
    return [(seq, bytes(ciphertext)) for seq, ciphertext in rows.values_list("seq", "ciphertext")]


def reflect_form(**answers: str) -> dict[str, str]:
    """A whole reflect form: every row "unknown" with no evidence, except `answers`, which
    map `position-<row>` or `evidence-<row>` to a value."""
    chart = default_chart()
    form = {f"position-{row.key}": "unknown" for row in chart.rows}
    form |= {f"evidence-{row.key}": "" for row in chart.rows}
    unknown = set(answers) - set(form)
    assert not unknown, f"not fields of the reflect form: {unknown}"
    return form | answers


def locked_out(response: HttpResponse) -> bool:
    """A locked visitor's request went to unlocking: a visit is redirected there, and a
    posted form gets the unlock page at once, carrying the form (allymap.web.carry)."""
    if response.status_code == 302:
        return response.headers["Location"].startswith("/unlock/?next=")
    page = text_of(response)
    return (
        response.status_code == 200
        and 'action="/unlock/"' in page
        and "You were locked out before this was saved." in page
    )
