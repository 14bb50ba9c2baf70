"""``{% link 'name' arg… %}``: `{% url %}` for the links a page repeats for everyone on it.

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

from django import template
from django.urls import get_script_prefix, reverse

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
