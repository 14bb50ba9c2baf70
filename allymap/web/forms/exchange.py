"""The forms of exporting an intervention and importing one."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from allymap.services.accounts import PASSPHRASE_MAX
from allymap.web.forms.base import AllymapForm, once_field

KINDS = (
    ("encrypted", _("Encrypted, under a passphrase you choose (it can be imported)")),
    ("json", _("Plain JSON, not encrypted (it can be imported)")),
    ("csv", _("Plain CSV for a spreadsheet, not encrypted: people and their positions")),
)


class ExportForm(AllymapForm):
    """How to export: encrypted by default; the passphrase (asked twice) only for that."""

    kind = forms.ChoiceField(
        label=_("How to export it"),
        choices=KINDS,
        initial="encrypted",
        widget=forms.RadioSelect,
    )
    export_passphrase = forms.CharField(
        label=_("Choose a passphrase for the file"),
        required=False,
        strip=False,
        max_length=PASSPHRASE_MAX,
        help_text=_("Only for an encrypted export. Keep it apart from the file."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    export_confirm = forms.CharField(
        label=_("Type it again"),
        required=False,
        strip=False,
        max_length=PASSPHRASE_MAX,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == "encrypted":
            if not data.get("export_passphrase"):
                self.add_error(
                    "export_passphrase", _("Choose a passphrase to encrypt the file with.")
                )
            elif data.get("export_passphrase") != data.get("export_confirm"):
                self.add_error(
                    "export_confirm", _("The two passphrases are not the same. Try again.")
                )
        return data


class ImportForm(AllymapForm):
    """The file to import, and its passphrase when it is encrypted."""

    file = forms.FileField(label=_("The export file"))
    export_passphrase = forms.CharField(
        label=_("Its passphrase"),
        required=False,
        strip=False,
        max_length=PASSPHRASE_MAX,
        help_text=_("The passphrase it was exported with. A plain JSON file needs none."),
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )
    once = once_field()

    @classmethod
    def refused(cls, message: str) -> ImportForm:
        """An empty form with `message` at its top, for a post refused before its body
        was read (there is nothing to fill the form with)."""
        form = cls()
        form.cleaned_data = {}  # what `add_error` takes a refused field out of
        form.add_error(None, message)
        return form
