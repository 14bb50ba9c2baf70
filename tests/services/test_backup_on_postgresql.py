"""On PostgreSQL, a backup is refused plainly: backup and restore copy a SQLite folder."""

from __future__ import annotations

import pytest
from django.db import connection

from allymap.services.backup import BackupNotSupported, backup_make
from tests.services.conftest import Started

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the refusal is PostgreSQL's"
)


def test_a_backup_is_refused_and_says_why(intervention: Started) -> None:
    with pytest.raises(BackupNotSupported) as refused:
        backup_make(backup_passphrase="kererū in the pūriri")
    assert "postgresql" in str(refused.value).lower()
