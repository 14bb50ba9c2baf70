"""What every template can use."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from allymap.services import preferences


def allymap(request: HttpRequest) -> dict[str, object]:
    # getattr, not AllymapRequest: an error page can be rendered for a request that
    # failed before the keyring middleware ran (a session that could not be loaded, say).
    return {
        "unlocked": getattr(request, "keyring", None) is not None,
        "idle_lock_seconds": settings.ALLYMAP_IDLE_LOCK_SECONDS,
        "emergency_number": settings.ALLYMAP_EMERGENCY_NUMBER,
        "disguise": preferences.disguise_on(),
    }
