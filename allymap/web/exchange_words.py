"""Why an import was refused, in people's words (each `exchange.Problem` worded once)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from allymap.services.exchange import MAX_IMPORT_BYTES, Problem


def import_problem(problem: Problem) -> str:
    """The sentence the import page shows for `problem`: what is wrong, and that nothing
    was changed."""
    words = {
        Problem.TOO_LARGE: _("This file is larger than allymap imports (at most %(mb)s MB).")
        % {"mb": MAX_IMPORT_BYTES // 2**20},
        Problem.NOT_AN_EXPORT: _("This file is not an allymap export."),
        Problem.A_BACKUP: _(
            "This file is a backup of a whole data folder, not an export. A backup is "
            "restored from the command line: allymap restore."
        ),
        Problem.A_CSV_EXPORT: _(
            "This file is a CSV export, and a CSV export cannot be imported. Choose the "
            "encrypted or plain JSON file exported from allymap."
        ),
        Problem.PASSPHRASE_NEEDED: _(
            "This file is encrypted. Type the passphrase it was exported with."
        ),
        Problem.WRONG_PASSPHRASE: _(
            "That passphrase does not open this file (or its first bytes were changed). "
            "Check it and try again."
        ),
        Problem.CUT_SHORT: _(
            "This file is cut short: an unfinished copy or download? Try the whole file."
        ),
        Problem.CHANGED: _("This file was changed after it was exported, so it cannot be trusted."),
        Problem.UNKNOWN_VERSION: _(
            "This file was made by another version of allymap, in a form this one cannot read."
        ),
        Problem.MALFORMED: _("This file’s content is not laid out as an allymap export is."),
        Problem.INCONSISTENT: _(
            "The history in this file does not add up, so it cannot be trusted."
        ),
    }[problem]
    return _("%(words)s Nothing was imported.") % {"words": words}
