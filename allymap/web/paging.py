"""Reading which page of a long list a link asks for, from its query string.

The page is a number in the query string (`?page=2`), never a name: the links are plain
links, so paging works without script and a page can be bookmarked. What is not a
number at all (missing, text, a sign) means the first page; a number that is not a page
(0, or past the last) is the service's to refuse, which shows as a plain 404.
"""

from __future__ import annotations

import re

from django.http import QueryDict

__all__ = ["page_asked"]

_NUMBER = re.compile(r"[0-9]+")
# Longer than this is past the last page of any list: not worth turning into an int.
_LONGEST = 9


def page_asked(query: QueryDict, name: str) -> int:
    """The page number `query` asks for under `name` (see the module doc): 1 when it is
    not a plain number; the number otherwise, even when no such page exists (0, or
    larger than any list, given as 10**9)."""
    value = query.get(name, "")
    if not _NUMBER.fullmatch(value):
        return 1
    return int(value) if len(value) <= _LONGEST else 10**_LONGEST
