"""``{% link 'name' arg… %}``: `{% url %}` for the links a page repeats for everyone on it;
and the two follow-through lines that name people (`person_ref`, `revisit`), written here
rather than by included templates, for the same reason.

The overview links each of 60 people twice, the side-by-side chart and the pictures
each person again; Django's `reverse` works the pattern out anew each time, and at that
count it was a tenth of the page (`bench/pages.py --profile intervention`). A link whose
arguments are all plain ids (allymap's ids are URL-safe: letters, digits, ``-`` and
``_``) is written from the shape `reverse` gave once for that name; anything else goes
through `reverse` as before. `tests/web/test_links.py` holds every URL name to what
`reverse` gives.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any

from django import template
from django.template import Context
from django.urls import get_script_prefix, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from allymap.web.forms.renderer import escaped
from allymap.web.templatetags.allymap_roles import holder_name

register = template.Library()

_ID = re.compile(r"[A-Za-z0-9_-]+")
# Stand-ins for the arguments while the shape is worked out: ids of their own kind that
# no pattern's fixed text contains.
_MARK = "zqxallymapmark{}zqx"


@functools.lru_cache(maxsize=256)
def _shape(name: str, count: int, prefix: str) -> tuple[str, ...] | None:
    """The pieces of `name`'s URL between its arguments (None if they cannot be found
    once each, in order), under the script prefix `prefix`."""
    marks = [_MARK.format(n) for n in range(count)]
    url = reverse(name, args=marks)
    pieces = []
    for mark in marks:
        before, found, url = url.partition(mark)
        if not found or any(m in before for m in marks):
            return None
        pieces.append(before)
    pieces.append(url)
    return tuple(pieces)


def fast_reverse(name: str, *args: object) -> str:
    """What ``reverse(name, args=args)`` gives, without working the pattern out again."""
    if all(isinstance(arg, str) and _ID.fullmatch(arg) for arg in args):
        shape = _shape(name, len(args), get_script_prefix())
        if shape is not None:
            parts = [shape[0]]
            for arg, piece in zip(args, shape[1:], strict=True):
                parts.extend((str(arg), piece))
            return "".join(parts)
    return reverse(name, args=args)


@register.simple_tag
def link(name: str, *args: object) -> str:
    """``{% link 'person' intervention_id person_id %}``: as ``{% url %}`` writes it."""
    return fast_reverse(name, *args)


def _person_ref(ids: str, person: Any) -> str:
    alias = escaped(person.alias)
    if person.on_map:
        return f'<a href="{fast_reverse("person", ids, person.person_id)}">{alias}</a>'
    if person.alias:
        return f'{alias} <span class="hint">{escaped(_("(no longer on the map)"))}</span>'
    return f'<span class="hint">{escaped(_("someone since forgotten"))}</span>'


@register.simple_tag(takes_context=True)
def person_ref(context: Context, person: Any) -> SafeString:
    """``{% person_ref p %}``: someone a line of the follow-through names, linked while they
    are on the map (`ids`, the intervention's id, from the page)."""
    return mark_safe(_person_ref(context["ids"], person))  # noqa: S308 - escaped above


@register.simple_tag(takes_context=True)
def holder_ref(context: Context, line: Any) -> SafeString:
    """``{% holder_ref line as name %}``: who a role line of the timeline is about: someone
    on the map linked as `person_ref` links them, a team member by name ("You" for the
    reader's own)."""
    if line.person is not None:
        return mark_safe(_person_ref(context["ids"], line.person))  # noqa: S308 - escaped
    return mark_safe(escaped(holder_name(line.holder)))  # noqa: S308 - escaped here


@register.simple_tag(takes_context=True)
def revisit(context: Context, people: Iterable[Any]) -> SafeString:
    """``{% revisit c.revisit %}``: whose position a check-in said to revisit, each with a
    link to reflect on them again while they are on the map."""
    ids = context["ids"]
    items = []
    for person in people:
        again = ""
        if person.on_map:
            words = _("reflect on %(alias)s again") % {"alias": person.alias}
            url = fast_reverse("reflect", ids, person.person_id)
            again = f' <a class="fw-again" href="{url}">{escaped(words)}</a>'
        items.append(f"<li>{_person_ref(ids, person)}{again}</li>")
    return mark_safe(f'<ul class="fw-revisit">{"".join(items)}</ul>')  # noqa: S308
