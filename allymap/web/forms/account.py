"""The forms of the account: set up, unlock, recover."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from allymap.services.accounts import PASSPHRASE_MAX, PASSPHRASE_MIN
from allymap.web.forms.base import AllymapForm


class PassphraseForm(AllymapForm):
    passphrase = forms.CharField(
        label=_("Passphrase"),
        strip=False,
        max_length=PASSPHRASE_MAX,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class NewPassphraseForm(AllymapForm):
    passphrase = forms.CharField(
        label=_("Choose a passphrase"),
        strip=False,
        min_length=PASSPHRASE_MIN,
        max_length=PASSPHRASE_MAX,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    confirm = forms.CharField(
        label=_("Type it again"),
        strip=False,
        max_length=PASSPHRASE_MAX,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("passphrase") and data.get("passphrase") != data.get("confirm"):
            self.add_error("confirm", _("The two passphrases are not the same. Try again."))
        return data


class RecoverForm(NewPassphraseForm):
    recovery_key = forms.CharField(
        label=_("Recovery key"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    field_order = ["recovery_key", "passphrase", "confirm"]
