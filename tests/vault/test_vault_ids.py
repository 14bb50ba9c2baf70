"""Random, non-sequential ids."""

from __future__ import annotations

import re

import pytest

from allymap.vault import random_id


def test_it_makes_22_url_safe_characters_by_default() -> None:
    assert re.fullmatch(r"[A-Za-z0-9_-]{22}", random_id())


def test_it_makes_length_follow_nbytes() -> None:
    assert len(random_id(32)) == 43
    assert len(random_id(3)) == 4
    assert len(random_id(1)) == 2


def test_it_never_repeats_an_id() -> None:
    ids = {random_id() for _ in range(10_000)}
    assert len(ids) == 10_000


def test_it_refuses_zero_bytes() -> None:
    with pytest.raises(ValueError):
        random_id(0)
