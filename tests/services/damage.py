"""Asserting that opening a record fails as damaged, for the reason expected."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from allymap.services.errors import Damage, DamagedRecord


@contextmanager
def raises_damage(
    cause: type[BaseException] | tuple[type[BaseException], ...],
    damage: Damage = Damage.CHANGED,
) -> Iterator[None]:
    """Expect `DamagedRecord` of kind `damage`, raised from an error of type `cause`."""
    with pytest.raises(DamagedRecord) as caught:
        yield
    assert caught.value.damage is damage, caught.value
    assert isinstance(caught.value.__cause__, cause), repr(caught.value.__cause__)
