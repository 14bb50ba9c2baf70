"""Paging a long list shown newest first: which page is asked for, and where it sits.

A list that grows with the history (the timeline, a person's history) is shown a page at
a time so a page stays small however long the history grows. Page 1 is the newest; each
next page is older. The services cut the page out before shaping its lines, so a page
costs the same whichever it is and nothing is shaped that is not shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from allymap.services.errors import NotFound

__all__ = ["Paging", "paging_of"]


@dataclass(frozen=True)
class Paging:
    """Where one page sits: `number` (1 is the newest), `count` pages in all (at least
    1, even for an empty list), `total` entries in all, at most `size` on a page.

    `start` and `end` are the entries this page holds, counted from the newest (1-based,
    for "entries 26 to 50 of 300"); `end` < `start` when the list is empty.
    """

    number: int
    count: int
    total: int
    size: int

    @property
    def start(self) -> int:
        return (self.number - 1) * self.size + 1

    @property
    def end(self) -> int:
        return min(self.number * self.size, self.total)

    @property
    def newer(self) -> int | None:
        """The page before this one (newer entries), None on the first."""
        return self.number - 1 if self.number > 1 else None

    @property
    def older(self) -> int | None:
        """The page after this one (older entries), None on the last."""
        return self.number + 1 if self.number < self.count else None

    @property
    def several(self) -> bool:
        """More than one page: the page needs its links to the others."""
        return self.count > 1

    def cut(self) -> slice:
        """This page's entries in the whole list, newest first, as a slice."""
        return slice(self.start - 1, self.end)


def paging_of(total: int, *, size: int, number: int = 1) -> Paging:
    """Page `number` of a list of `total` entries, `size` to a page. Raises NotFound for
    a page that does not exist (below 1, or past the last): a link to it is stale or
    made up, and saying so is clearer than showing another page in its place."""
    if size < 1:
        raise ValueError("a page holds at least one entry")
    count = max(1, -(-total // size))
    if not 1 <= number <= count:
        raise NotFound(f"page {number} of {count}")
    return Paging(number=number, count=count, total=total, size=size)
