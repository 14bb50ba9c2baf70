"""Forms: parse and check what was typed; the services decide everything else.

One module per area; every form is importable from here too. The canary test finds every
form class in the package's modules, so a new form is covered without being listed.
"""

from __future__ import annotations

from allymap.web.forms.account import NewPassphraseForm, PassphraseForm, RecoverForm
from allymap.web.forms.base import NO_AUTOFILL, AllymapForm, once_field, once_token
from allymap.web.forms.exchange import ExportForm, ImportForm
from allymap.web.forms.follow import CheckInForm, StaircaseForm
from allymap.web.forms.interventions import (
    DANGER_CHOICES,
    DestroyForm,
    ForgetForm,
    InterventionChangeForm,
    StartForm,
)
from allymap.web.forms.people import BrainstormForm, PersonChangeForm, PersonForm
from allymap.web.forms.positions import ReflectForm
from allymap.web.forms.roles import GapForm, RoleForm
from allymap.web.forms.selfcheck import SelfCheckForm
from allymap.web.forms.summary import TalkedThroughForm
from allymap.web.forms.team import MemberForm

__all__ = [
    "DANGER_CHOICES",
    "NO_AUTOFILL",
    "AllymapForm",
    "BrainstormForm",
    "CheckInForm",
    "DestroyForm",
    "ExportForm",
    "ForgetForm",
    "GapForm",
    "ImportForm",
    "InterventionChangeForm",
    "MemberForm",
    "NewPassphraseForm",
    "PassphraseForm",
    "PersonChangeForm",
    "PersonForm",
    "RecoverForm",
    "ReflectForm",
    "RoleForm",
    "SelfCheckForm",
    "StaircaseForm",
    "StartForm",
    "TalkedThroughForm",
    "once_field",
    "once_token",
]
