"""Paging a list shown newest first: where a page sits, what it holds, and no page that
does not exist."""

from __future__ import annotations

import pytest

from allymap.services.errors import NotFound
from allymap.services.paging import paging_of


def test_the_pages_hold_every_entry_once_newest_first() -> None:
    entries = list(range(53))
    held = []
    number: int | None = 1
    while number is not None:
        paging = paging_of(len(entries), size=25, number=number)
        held.extend(entries[paging.cut()])
        assert paging.end - paging.start + 1 == len(entries[paging.cut()])
        number = paging.older
    assert held == entries
    assert (paging.number, paging.count, paging.start, paging.end) == (3, 3, 51, 53)
    assert paging.newer == 2 and paging.older is None


def test_the_first_page_has_nothing_newer() -> None:
    paging = paging_of(53, size=25)
    assert (paging.newer, paging.older, paging.several) == (None, 2, True)
    assert (paging.start, paging.end) == (1, 25)


@pytest.mark.parametrize("total", [0, 1, 25])
def test_a_list_that_fits_is_one_page(total: int) -> None:
    paging = paging_of(total, size=25)
    assert (paging.count, paging.several, paging.newer, paging.older) == (1, False, None, None)
    assert list(range(total))[paging.cut()] == list(range(total))


@pytest.mark.parametrize(("total", "number"), [(0, 2), (25, 2), (26, 3), (26, 0), (26, -1)])
def test_a_page_that_does_not_exist_is_not_found(total: int, number: int) -> None:
    with pytest.raises(NotFound):
        paging_of(total, size=25, number=number)
