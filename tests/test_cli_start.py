"""`allymap serve` explains a data folder it cannot write in one line, not a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_it_says_in_one_line_that_the_data_folder_cannot_be_written(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "ALLYMAP_DATA_DIR")}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "allymap",
            "serve",
            "--no-browser",
            "--port",
            "0",
            "--data-dir",
            str(blocker / "data"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env=env | {"ALLYMAP_KDF_PROFILE": "test"},
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("allymap cannot start: its data folder")
    assert "Traceback" not in result.stderr
