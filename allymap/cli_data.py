"""`allymap backup`, `restore`, `check`, `export` and `import`: keeping work safe.

Registered on the `allymap` group by allymap/cli.py. Each works on the folder given by
--data-dir or ALLYMAP_DATA_DIR (as `serve` does), asks for passphrases at a hidden prompt
or reads them from a file for scripts, shows its progress, and says what went wrong in one
plain line on stderr with exit status 1, never a traceback.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from allymap.cli import _demo_failures, _first_line, _start_or_explain, _weak_words, cli

DATA_DIR_OPTION = click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="ALLYMAP_DATA_DIR",
    help="The data folder [default: your user data folder].",
)
PASSPHRASE_FILE_OPTION = click.option(
    "--passphrase-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read the account's passphrase from the first line of FILE (else it is asked for).",
)
BACKUP_PASSPHRASE_FILE_OPTION = click.option(
    "--backup-passphrase-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read the backup's own passphrase from the first line of FILE (else it is asked for).",
)


def _fail(command: str, problem: str) -> None:
    click.echo(f"allymap {command}: {problem}", err=True)
    sys.exit(1)


def _secret(path: Path | None, prompt: str, *, command: str, confirm: bool = False) -> str:
    if path is not None:
        return _first_line(path, command)
    return str(click.prompt(prompt, hide_input=True, confirmation_prompt=confirm))


class _Bars:
    """A progress bar per stage of the work, on stderr (so stdout stays for results)."""

    LABELS = {
        "database": "Copying the database  ",
        "seal": "Encrypting the backup ",
        "open": "Checking the backup   ",
        "events": "Checking every event  ",
    }

    def __init__(self) -> None:
        self.stage: str | None = None
        self.bar: Any = None
        self.done = 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage:
            self.close()
            self.stage, self.done = stage, 0
            self.bar = click.progressbar(
                length=max(total, 1), label=self.LABELS.get(stage, stage), file=sys.stderr
            )
            self.bar.__enter__()
        self.bar.update(done - self.done)
        self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _unlock(command: str, passphrase_file: Path | None) -> Any:
    """The account's keyring, from its passphrase; exit 1 saying why if it does not open."""
    from allymap.services import accounts

    if not accounts.account_is_set_up():
        _fail(command, "allymap is not set up in this data folder yet: there is nothing here.")
    passphrase = _secret(passphrase_file, "Passphrase", command=command)
    with _demo_failures(command):
        return accounts.account_unlock(passphrase=passphrase).keyring


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@DATA_DIR_OPTION
@PASSPHRASE_FILE_OPTION
@BACKUP_PASSPHRASE_FILE_OPTION
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
def backup(
    file: Path,
    data_dir: Path | None,
    passphrase_file: Path | None,
    backup_passphrase_file: Path | None,
    force: bool,
) -> None:
    """Write an encrypted backup of the whole data folder to FILE.

    The database is copied consistently while allymap may be running (SQLite's backup
    API), with the secret key, the log marks and the preferences, and sealed under a
    passphrase you choose for the backup (asked twice): keep it apart from the file. The
    account's passphrase is asked first, so only its holder can take a backup. With
    PostgreSQL (DATABASE_URL) backup is not supported yet: use pg_dump.
    """
    os.umask(0o077)
    if file.exists() and not force:
        _fail("backup", f"{file} exists already. Choose another name, or add --force.")
    _start_or_explain(data_dir)
    from allymap.services.backup import BackupNotSupported, backup_make

    _unlock("backup", passphrase_file)
    backup_passphrase = _secret(
        backup_passphrase_file, "Backup passphrase", command="backup", confirm=True
    )
    bars = _Bars()
    with _demo_failures("backup"):
        try:
            archive = backup_make(backup_passphrase=backup_passphrase, progress=bars)
        except BackupNotSupported:
            bars.close()
            _fail(
                "backup",
                "backing up a PostgreSQL database is not supported yet: use pg_dump "
                "(the rows are ciphertext already).",
            )
        finally:
            bars.close()
        _write_new(file, archive)
    click.echo(f"Backed up {data_dir or 'the data folder'} to {file} ({len(archive):,} bytes).")


def _write_new(file: Path, data: bytes) -> None:
    """Write `data` to `file` by way of a temporary file beside it, renamed when whole."""
    temporary = file.with_name(f".{file.name}.partial-{os.getpid()}")
    try:
        with temporary.open("wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, file)
    finally:
        temporary.unlink(missing_ok=True)


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@DATA_DIR_OPTION
@BACKUP_PASSPHRASE_FILE_OPTION
@click.option("--yes", is_flag=True, help="Replace the data folder's work without asking.")
def restore(
    file: Path, data_dir: Path | None, backup_passphrase_file: Path | None, yes: bool
) -> None:
    """Replace the data folder with the backup in FILE.

    The whole backup is checked first (its passphrase, every byte, every file in it, the
    database's integrity): a changed, cut-short or foreign file is refused and nothing is
    touched. Then, if the folder holds work, you are asked before it is replaced (--yes
    skips asking). The files are written to a new folder and swapped in at once. Stop
    `allymap serve` on this folder first. Afterwards unlock with the passphrase the
    account had when the backup was made.
    """
    os.umask(0o077)
    if os.environ.get("DATABASE_URL"):
        _fail("restore", "restoring into a PostgreSQL database is not supported yet.")
    from allymap.cli import _django

    _django(data_dir)
    from django.conf import settings

    from allymap.services.backup import BackupRefused, folder_has_data, restore_apply, restore_read

    folder = Path(settings.DATA_DIR)
    backup_passphrase = _secret(backup_passphrase_file, "Backup passphrase", command="restore")
    bars = _Bars()
    with _demo_failures("restore"):
        try:
            archive = file.read_bytes()
            content = restore_read(archive, backup_passphrase=backup_passphrase, progress=bars)
        except BackupRefused as refused:
            bars.close()
            _fail("restore", f"{file} cannot be restored: {refused}. Nothing was changed.")
        finally:
            bars.close()
        if (
            folder_has_data(folder)
            and not yes
            and not click.confirm(
                f"{folder} holds allymap work. Replace all of it with this backup "
                f"(made {content.made_at})?"
            )
        ):
            _fail("restore", "not replaced. Nothing was changed.")
        try:
            restore_apply(content, folder)
        except BackupRefused as refused:
            _fail("restore", f"{file} cannot be restored: {refused}. Nothing was changed.")
    click.echo(f"Restored {folder} from {file} (made {content.made_at} by {content.made_by}).")


@cli.command()
@DATA_DIR_OPTION
@PASSPHRASE_FILE_OPTION
def check(data_dir: Path | None, passphrase_file: Path | None) -> None:
    """Check every intervention's whole log, from its first event.

    Every event's seal and place in the chain, that the events add up, and that every
    snapshot equals the state replayed to it (opening reads only the events after the
    newest snapshot, so this finds what opening cannot). Lists each problem found and
    exits 1 if there is any. Changes nothing.
    """
    _start_or_explain(data_dir)
    from allymap.services.check import check_all, events_to_check

    keyring = _unlock("check", passphrase_file)
    total = events_to_check(keyring)
    bars = _Bars()
    done = 0

    def step(count: int) -> None:
        nonlocal done
        done += count
        bars("events", done, total)

    with _demo_failures("check"):
        try:
            report = check_all(keyring=keyring, progress=step)
        finally:
            bars.close()
    events = sum(checked.events for checked in report.interventions)
    click.echo(
        f"Checked {len(report.interventions)} intervention(s), {events} event(s) in all, "
        "from the first event of each."
    )
    for problem in report.problems:
        where = f", event {problem.seq}" if problem.seq is not None else ""
        click.echo(f"Problem: intervention {problem.intervention_id}{where}: {problem.what}")
    if report.problems:
        click.echo(f"{len(report.problems)} problem(s) found.", err=True)
        sys.exit(1)
    click.echo("No problems found.")


EXPORT_PASSPHRASE_FILE_OPTION = click.option(
    "--export-passphrase-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read the export's own passphrase from the first line of FILE (else it is asked for).",
)

# Why an import was refused, in the words of the command line (the web words its own).
IMPORT_PROBLEMS = {
    "too_large": "it is larger than allymap imports ({detail})",
    "not_an_export": "it is not an allymap export",
    "a_backup": "it is a backup of a whole data folder: use `allymap restore` for it",
    "a_csv_export": (
        "it is a CSV export, and a CSV export cannot be imported: "
        "choose the encrypted or plain JSON export"
    ),
    "passphrase_needed": "it is encrypted, and needs the passphrase it was exported with",
    "wrong_passphrase": "the passphrase does not open it (or its first bytes were changed)",
    "cut_short": "it is cut short (an unfinished copy or download?)",
    "changed": "it was changed after it was exported ({detail})",
    "unknown_version": "it was made by another version of allymap ({detail})",
    "malformed": "its content is not laid out as an export is ({detail})",
    "inconsistent": "its history does not add up ({detail})",
}


def _interventions_listed(keyring: Any) -> None:
    from allymap.services.interventions import interventions_list

    lines = interventions_list(keyring=keyring)
    if not lines:
        click.echo("No interventions yet.")
    for line in lines:
        if line.damage is not None:
            click.echo(f"{line.intervention_id}  (cannot be read: {line.problem})")
        else:
            archived = "  (archived)" if line.archived else ""
            click.echo(
                f"{line.intervention_id}  {line.code_name}  "
                f"({line.people_count} on the map){archived}"
            )


@cli.command(name="export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path), required=False)
@click.option("--intervention", "intervention_id", metavar="ID", help="The intervention to export.")
@click.option(
    "--plain",
    type=click.Choice(["json", "csv"]),
    help="Write it unencrypted, as JSON or as a zip of two CSV files: readable by anyone "
    "who finds it. Without it the export is encrypted.",
)
@click.option("--list", "list_only", is_flag=True, help="List your interventions' ids and stop.")
@click.option(
    "--schema", is_flag=True, help="Print the JSON Schema of an export (no data is read) and stop."
)
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@DATA_DIR_OPTION
@PASSPHRASE_FILE_OPTION
@EXPORT_PASSPHRASE_FILE_OPTION
def export_command(
    file: Path | None,
    intervention_id: str | None,
    plain: str | None,
    list_only: bool,
    schema: bool,
    force: bool,
    data_dir: Path | None,
    passphrase_file: Path | None,
    export_passphrase_file: Path | None,
) -> None:
    """Export one intervention to FILE, to keep or to import elsewhere.

    The export holds the intervention's whole history (people, the team, every answer
    and its reasons, roles, support, check-ins, notes), never anyone's private
    self-check. It is encrypted under a passphrase you choose for it (asked twice): keep
    it apart from the file. `--plain json` or `--plain csv` writes it unencrypted instead:
    anyone who finds that file can read everything in it. CSV cannot be imported. The
    account's passphrase is asked first. `--list` shows the ids to pass to --intervention.
    """
    os.umask(0o077)
    if schema:
        import json

        _start_or_explain(data_dir)
        from allymap.services.exchange import schema as export_schema

        click.echo(json.dumps(export_schema(), indent=2, ensure_ascii=False))
        return
    if not list_only and (file is None or not intervention_id):
        _fail("export", "name the intervention (--intervention ID) and the FILE to write.")
    if file is not None and file.exists() and not force and not list_only:
        _fail("export", f"{file} exists already. Choose another name, or add --force.")
    _start_or_explain(data_dir)
    from allymap.services import exchange
    from allymap.services.errors import NotFound, WeakPassphrase

    keyring = _unlock("export", passphrase_file)
    if list_only:
        with _demo_failures("export"):
            _interventions_listed(keyring)
        return
    assert file is not None and intervention_id is not None
    export_passphrase = None
    if plain is None:
        export_passphrase = _secret(
            export_passphrase_file, "Export passphrase", command="export", confirm=True
        )
    with _demo_failures("export"):
        try:
            if plain == "json":
                data = exchange.export_json(keyring=keyring, intervention_id=intervention_id)
            elif plain == "csv":
                data = exchange.export_csv(
                    keyring=keyring,
                    intervention_id=intervention_id,
                    unnamed_member="A team member",  # as the pages say it
                )
            else:
                assert export_passphrase is not None
                data = exchange.export_encrypted(
                    keyring=keyring, intervention_id=intervention_id, passphrase=export_passphrase
                )
        except NotFound:
            _fail(
                "export",
                f"there is no intervention {intervention_id} of yours here "
                "(`allymap export --list` shows them).",
            )
        except WeakPassphrase as weak:
            _fail("export", f"for the export passphrase, {_weak_words(weak)}")
        _write_new(file, data)
    if len(data) > exchange.MAX_IMPORT_BYTES and plain != "csv":
        click.echo(
            f"Note: at {len(data):,} bytes it is larger than allymap imports "
            f"({exchange.MAX_IMPORT_BYTES:,} bytes): keep it as a copy.",
            err=True,
        )
    if plain is None:
        click.echo(f"Exported to {file}, encrypted ({len(data):,} bytes).")
    else:
        click.echo(
            f"Exported to {file} as plain {plain.upper()} ({len(data):,} bytes). It is NOT "
            "encrypted: anyone who finds it can read it. Keep it safe, and delete it when done."
        )


@cli.command(name="import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@DATA_DIR_OPTION
@PASSPHRASE_FILE_OPTION
@EXPORT_PASSPHRASE_FILE_OPTION
def import_command(
    file: Path,
    data_dir: Path | None,
    passphrase_file: Path | None,
    export_passphrase_file: Path | None,
) -> None:
    """Import an export (`allymap export`, or the web's) as a new intervention.

    Your account becomes its first team member; the intervention you exported from is
    not touched. The whole file is checked first (its size, its passphrase, every byte,
    its version, that its history adds up): a changed, cut-short or foreign file is
    refused and nothing is stored. An encrypted export's passphrase is asked for (or
    read from --export-passphrase-file); a plain JSON one needs none. CSV cannot be
    imported.
    """
    _start_or_explain(data_dir)
    from allymap.services import exchange

    if file.stat().st_size > exchange.MAX_IMPORT_BYTES:
        _fail(
            "import",
            f"{file} cannot be imported: it is larger than allymap imports "
            f"({exchange.MAX_IMPORT_BYTES:,} bytes at most). Nothing was changed.",
        )
    keyring = _unlock("import", passphrase_file)
    data = file.read_bytes()
    export_passphrase = None
    if data.startswith(exchange.EXPORT_MAGIC[:-1]):
        export_passphrase = _secret(export_passphrase_file, "Export passphrase", command="import")
    with _demo_failures("import"):
        try:
            intervention_id = exchange.import_file(
                keyring=keyring, data=data, passphrase=export_passphrase
            )
        except exchange.ImportRefused as refused:
            why = IMPORT_PROBLEMS[refused.problem.value].format(detail=refused.detail)
            _fail("import", f"{file} cannot be imported: {why}. Nothing was changed.")
    click.echo(f"Imported {file} as a new intervention: {intervention_id}.")


COMMANDS: tuple[Callable[..., Any], ...] = (backup, restore, check, export_command, import_command)
