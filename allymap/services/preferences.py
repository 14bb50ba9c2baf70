"""Preferences of this installation that must work before anyone unlocks: the disguise.

The disguise (a neutral tab title and icon) has to apply to the unlock page too, and
survive a quick exit, which tells the browser to forget every cookie of this site. So
personal mode keeps it in a small file in the data folder (it says only "disguise on");
`ALLYMAP_DISGUISE` sets it for an installation, and is the only source in hosted mode,
where the organisation decides.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path

from django.conf import settings

FILE_NAME = "preferences.json"

log = logging.getLogger(__name__)


def disguise_is_set_by_installation() -> bool:
    """True when the setting, not a person, decides the disguise (hosted mode, or set)."""
    return settings.HOSTED or settings.ALLYMAP_DISGUISE is not None


def disguise_on() -> bool:
    """Whether pages show a neutral title and icon instead of allymap's."""
    if settings.ALLYMAP_DISGUISE is not None:
        return bool(settings.ALLYMAP_DISGUISE)
    if settings.HOSTED:
        return False
    try:
        data = json.loads((Path(settings.DATA_DIR) / FILE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("disguise") is True


def disguise_set(*, on: bool) -> None:
    """Turn the disguise on or off for this computer. Raises OSError if it cannot be kept,
    and PermissionError when the installation's setting decides it."""
    if disguise_is_set_by_installation():
        raise PermissionError("the disguise is set for this installation")
    folder = Path(settings.DATA_DIR)
    fd, temporary = tempfile.mkstemp(prefix=".preferences-", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump({"disguise": on}, out)
        os.replace(temporary, folder / FILE_NAME)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
