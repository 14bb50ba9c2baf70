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
        "emergency_tel": tel_href(settings.ALLYMAP_EMERGENCY_NUMBER),
        "emergency_silent_code": settings.ALLYMAP_EMERGENCY_SILENT_CODE,
        "helplines": [
            line | {"tel": tel_href(line["number"])} for line in settings.ALLYMAP_HELPLINES
        ],
        "help_now_link": _help_now_link(request),
        "disguise": preferences.disguise_on(),
    }


def tel_href(number: str) -> str:
    """A `tel:` link for a number as configured (settings allow digits, spaces, hyphens
    and a leading +): a phone dials it with one tap."""
    return "tel:" + "".join(c for c in number if c.isdigit() or c == "+")


def _help_now_link(request: HttpRequest) -> bool:
    """Whether the page carries a "Get help now" link at the top, to the numbers on the
    safety page: every page of an intervention (its URL names one) and every page shown
    to the unlocked (the list of interventions is where unlocking lands). The locked
    pages leave it to the footer's safety link, as the unlock page is all they show."""
    match = getattr(request, "resolver_match", None)
    of_an_intervention = match is not None and "intervention_id" in match.kwargs
    return of_an_intervention or getattr(request, "keyring", None) is not None
