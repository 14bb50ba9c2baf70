"""Test-wide setup, run before Django reads its settings.

Tests never touch the user's real data folder, and use the cheap Argon2id profile.
"""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("ALLYMAP_DATA_DIR", tempfile.mkdtemp(prefix="allymap-test-"))
os.environ["ALLYMAP_KDF_PROFILE"] = "test"
if os.environ.get("ALLYMAP_TEST_DB") == "sqlite":
    os.environ.pop("DATABASE_URL", None)
