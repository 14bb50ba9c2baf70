"""Words people read for the chart's positions, marked for translation."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from allymap.chart import Position

POSITION_LABELS: dict[Position, Promise] = {
    Position.ALLY: _("Accountability ally"),
    Position.LEANS_ALLY: _("Leans towards ally"),
    Position.MIXED: _("Mixed"),
    Position.LEANS_IN_THE_WAY: _("Leans towards might get in the way"),
    Position.IN_THE_WAY: _("Might get in the way (may help in other ways)"),
    Position.UNKNOWN: _("Don’t know yet"),
}

# A short mark beside each label, so position never rests on colour alone.
POSITION_MARKS: dict[Position, str] = {
    Position.ALLY: "●●",
    Position.LEANS_ALLY: "●○",
    Position.MIXED: "◐",
    Position.LEANS_IN_THE_WAY: "○◆",
    Position.IN_THE_WAY: "◆◆",
    Position.UNKNOWN: "?",
}
