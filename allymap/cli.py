"""The `allymap` command. With no subcommand it serves, as `allymap serve` does."""

from __future__ import annotations

import math
import os
import shlex
import sys
import threading
import webbrowser
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from allymap.services.errors import WeakPassphrase
    from allymap.services.keyring import Keyring


def _django(data_dir: Path | None) -> None:
    """Configure Django once, after the data folder is known (settings read it)."""
    if data_dir is not None:
        os.environ["ALLYMAP_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "allymap.settings")
    import django

    django.setup()


TEST_PROFILE_WARNING = (
    "WARNING: serving with ALLYMAP_KDF_PROFILE=test: passphrases get the cheapest key "
    "derivation and can be guessed quickly from a copy of the database. For tests only: "
    "do not keep real work here."
)


def kdf_profile_warning() -> str | None:
    """The line `serve` prints to stderr when it runs with the test key profile, else None.

    A passphrase set or changed while serving like this is stored with weak Argon2id costs
    (raised again at the first unlock without it), so the warning must be hard to miss.
    """
    from allymap.vault import TEST_PROFILE, profile_from_env

    return TEST_PROFILE_WARNING if profile_from_env() == TEST_PROFILE else None


@click.group(invoke_without_command=True)
@click.version_option(package_name="allymap")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """allymap: map who can help a person doing harm take responsibility.

    Everything a person types is encrypted before it is stored. With no command,
    allymap serves on 127.0.0.1 and opens your browser.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(serve)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    default=8470,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on; 0 picks a free one.",
)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="ALLYMAP_DATA_DIR",
    help="Folder for the database and secret key [default: your user data folder].",
)
@click.option("--no-browser", is_flag=True, help="Do not open a browser window.")
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64))
def serve(host: str, port: int, data_dir: Path | None, no_browser: bool, threads: int) -> None:
    """Serve allymap with waitress (personal mode), bringing the database up to date first."""
    # Whatever allymap creates (database, WAL, secret key) is readable by this user alone.
    os.umask(0o077)
    _start_or_explain(data_dir)
    from django.conf import settings
    from waitress import create_server

    from allymap.wsgi import application

    if host not in ("127.0.0.1", "localhost", "::1") and not settings.HOSTED:
        click.echo(
            "Warning: serving beyond this computer. Put allymap behind HTTPS before anyone "
            "else connects.",
            err=True,
        )
    if warning := kdf_profile_warning():
        click.echo(warning, err=True)
    server = create_server(
        application, host=host, port=port, threads=threads, ident="allymap", **server_buffers()
    )
    shown_host = (
        f"[{server.effective_host}]" if ":" in str(server.effective_host) else server.effective_host
    )
    address = f"http://{shown_host}:{server.effective_port}/"
    click.echo(f"allymap is serving at {address}  (data: {settings.DATA_DIR})")
    click.echo("Press Ctrl+C to stop.")
    sys.stdout.flush()
    if not no_browser:
        threading.Timer(0.5, webbrowser.open, args=(address,)).start()
    try:
        server.run()
    except KeyboardInterrupt:
        click.echo("Stopped.")


def server_buffers() -> dict[str, int]:
    """Waitress's buffer settings for `serve`: every request and answer stays in memory.

    By default waitress moves a request body over 512 KiB, and an answer over 1 MiB, to an
    unnamed temporary file: a plain export or import, or a long page, would then be on the
    disk in plain text. Here nothing larger than an import may be posted (waitress
    refuses it, 413), a body of that size is still held in memory, and so is any answer
    (allymap builds each one in memory already)."""
    from allymap.services.exchange import MAX_IMPORT_BYTES

    largest_post = MAX_IMPORT_BYTES + 2**20  # an import and its form around it
    return {
        "max_request_body_size": largest_post,
        "inbuf_overflow": largest_post + 1,
        "outbuf_overflow": 2**62,
    }


def _start_or_explain(data_dir: Path | None) -> None:
    """Configure Django, check the data folder can be written, bring the database up to
    date and clear old sessions (`sessions_clear_at_start`); on failure, say so in one
    line and exit 1.

    A read-only, full or missing data folder is a plain sentence, not a traceback.
    """
    try:
        _django(data_dir)
        from django.conf import settings
        from django.core.management import call_command

        from allymap.services.sessions import sessions_clear_at_start

        _check_writable(Path(settings.DATA_DIR))
        call_command("migrate", interactive=False, verbosity=0)
        sessions_clear_at_start()
    except Exception as problem:
        from django.db import DatabaseError

        if not isinstance(problem, OSError | DatabaseError):
            raise
        where = data_dir or os.environ.get("ALLYMAP_DATA_DIR") or "your user data folder"
        click.echo(
            f"allymap cannot start: its data folder ({where}) cannot be written "
            f"({problem}). Free some space or choose a folder you can write to with "
            "--data-dir.",
            err=True,
        )
        sys.exit(1)


def _check_writable(folder: Path) -> None:
    """Raise OSError unless a file can be created, written and removed in `folder`."""
    probe = folder / f".allymap-write-check-{os.getpid()}"
    try:
        with probe.open("wb") as out:
            out.write(b"\0" * 4096)
            out.flush()
            os.fsync(out.fileno())
    finally:
        probe.unlink(missing_ok=True)


DEMO_PASSPHRASE = "demo passphrase only"  # noqa: S105 (printed: for a folder to explore)
"""The passphrase `allymap demo` sets up a fresh folder with when given none (printed)."""

DEMO_TEST_PROFILE_WARNING = (
    "WARNING: ALLYMAP_KDF_PROFILE=test: this passphrase is stored with the cheapest key "
    "derivation and can be guessed quickly from a copy of the database. For tests only."
)


@cli.command()
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="ALLYMAP_DATA_DIR",
    help="Folder for the database and secret key [default: your user data folder].",
)
@click.option(
    "--passphrase-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read the passphrase from the first line of FILE.",
)
@click.option(
    "--passphrase",
    metavar="P",
    help="The passphrase itself. For trying things out only: it shows in the process "
    "list and your shell history.",
)
def demo(data_dir: Path | None, passphrase_file: Path | None, passphrase: str | None) -> None:
    """Add a made-up intervention to explore: a team, people, reflections and their history.

    In a fresh data folder, this first sets allymap up with a passphrase (yours, or, when
    you give none, "demo passphrase only", printed) and shows the recovery key once; in a
    folder already set up, it asks for that folder's passphrase and adds the demo beside
    the work there. Running it again adds another demo intervention. Nobody in it is real.
    """
    if passphrase_file is not None and passphrase is not None:
        raise click.UsageError("Give --passphrase-file or --passphrase, not both.")
    os.umask(0o077)
    _start_or_explain(data_dir)
    from django.conf import settings

    from allymap.services import accounts
    from allymap.services.demo import demo_content, demo_intervention_add
    from allymap.services.interventions import intervention_heading

    fresh = not accounts.account_is_set_up()
    shown = passphrase is not None  # typed on the command line, so it may be printed
    if passphrase_file is not None:
        passphrase = _first_line(passphrase_file)
    elif passphrase is None and fresh:
        passphrase, shown = DEMO_PASSPHRASE, True
    elif passphrase is None:
        passphrase = click.prompt("Passphrase", hide_input=True)
    with _demo_failures():
        keyring, recovery_key = _set_up_or_unlock(passphrase, fresh=fresh)
        if recovery_key is not None:
            click.echo(f"Set up allymap in {settings.DATA_DIR}.")
            click.echo(
                "This is a demo: what it adds is made up. But the passphrase and the "
                "recovery key work like real ones. The recovery key opens this folder if "
                "you forget the passphrase, and it is shown only this once:"
            )
            click.echo(f"\n    {recovery_key}\n")
        intervention_id = demo_intervention_add(keyring=keyring)
        code_name = intervention_heading(keyring=keyring, intervention_id=intervention_id).code_name
    demo = demo_content()
    if code_name != demo.code_name:
        click.echo("This folder already had a demo intervention, so this adds another.")
    click.echo(
        f"Added a made-up intervention to explore: “{code_name}”. A team of "
        f"{len(demo.members) + 1} has put {len(demo.people)} people on the map around the "
        "person doing harm, reflected on them row by row and talked some differences "
        f"through, over {round(demo.last_day / 7)} weeks. Nobody in it is real."
    )
    click.echo(_how_to_open(data_dir, passphrase if fresh and shown else None))


def _how_to_open(data_dir: Path | None, passphrase: str | None) -> str:
    """How to open the demo: the command, the address it serves at, and the passphrase
    (printed only when the demo chose it, or it was typed on the command line)."""
    where = f" --data-dir {shlex.quote(str(data_dir))}" if data_dir is not None else ""
    port = next(option.default for option in serve.params if option.name == "port")
    lines = [
        "To open it, run",
        f"    allymap serve{where}",
        f"then go to http://127.0.0.1:{port}/ (it opens in your browser) and unlock with "
        + ("the passphrase" if passphrase is not None else "this folder’s passphrase."),
    ]
    if passphrase is not None:
        lines.append(f"    {passphrase}")
    if passphrase == DEMO_PASSPHRASE:
        lines.append(
            "Anyone who sees it can unlock this folder: keep real work in a folder of its own, "
            "with a passphrase only you know."
        )
    return "\n" + "\n\n".join(lines)


def _first_line(path: Path, command: str = "demo") -> str:
    """The first line of the passphrase file (empty if it is empty); exit 1 in one line
    if it cannot be read as UTF-8 text."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        click.echo(f"allymap {command}: cannot read the passphrase file {path}: {error}", err=True)
        sys.exit(1)
    return lines[0] if lines else ""


def _set_up_or_unlock(passphrase: str, *, fresh: bool) -> tuple[Keyring, str | None]:
    """Set the account up (fresh) or unlock it; return its keyring and, when set up now,
    the recovery key to show once. A folder set up meanwhile is unlocked instead."""
    from allymap.services import accounts
    from allymap.services.errors import AlreadySetUp

    if fresh:
        try:
            unlocked, recovery_key = accounts.account_create(passphrase=passphrase)
        except AlreadySetUp:
            pass
        else:
            if kdf_profile_warning():
                click.echo(DEMO_TEST_PROFILE_WARNING, err=True)
            return unlocked.keyring, recovery_key
    return accounts.account_unlock(passphrase=passphrase).keyring, None


@contextmanager
def _demo_failures(command: str = "demo") -> Iterator[None]:
    """Turn what can go wrong while setting up, unlocking or writing the demo (or while
    `command` works) into one plain line on stderr and exit status 1: never a traceback."""
    from django.db import DatabaseError

    from allymap.services.errors import (
        AccountDamaged,
        AttemptNotRecorded,
        BusyTryAgain,
        TooManyTries,
        WeakPassphrase,
    )
    from allymap.vault import WrongPassphrase
    from allymap.vault.kdf import KdfUnavailable

    try:
        yield
    except WrongPassphrase:
        problem = (
            "that passphrase did not unlock allymap in this data folder. Check it and try again."
        )
    except TooManyTries as refused:
        wait = _wait_words(refused.wait_seconds)
        problem = f"too many wrong passphrases lately. Wait {wait} before trying again."
    except WeakPassphrase as weak:
        problem = _weak_words(weak)
    except AttemptNotRecorded:
        problem = (
            "allymap cannot save anything in its data folder at the moment, so it did not "
            "check the passphrase. Free some space, or close other programs using the "
            "folder, and try again."
        )
    except AccountDamaged as damaged:
        problem = (
            f"the stored record of this folder's account cannot be trusted "
            f"({damaged.problem}). Nothing was changed; run `allymap serve` to see more."
        )
    except KdfUnavailable:
        problem = (
            "there is not enough memory to check the passphrase. Close some programs and try again."
        )
    except BusyTryAgain:
        problem = "allymap was busy saving other changes. Nothing was lost: try again."
    except (DatabaseError, OSError) as error:
        doing = "save the demo" if command == "demo" else "finish"
        problem = f"allymap could not {doing} ({type(error).__name__}). Try again."
    else:
        return
    click.echo(f"allymap {command}: {problem}", err=True)
    sys.exit(1)


def _wait_words(seconds: int) -> str:
    """A wait in words: seconds below two minutes, whole minutes (rounded up) above."""
    if seconds < 120:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    return f"{math.ceil(seconds / 60)} minutes"


def _weak_words(weak: WeakPassphrase) -> str:
    """Why a passphrase is too weak, in plain words like the setup page's."""
    from allymap.domain import Refusal

    limit = weak.params.get("limit", 0)
    if weak.code is Refusal.PASSPHRASE_TOO_LONG:
        return f"that passphrase is too long: use at most {limit} characters."
    if weak.code is Refusal.PASSPHRASE_REPETITIVE:
        return (
            f"that passphrase repeats itself: use more different characters (at least "
            f"{limit}), a repeated pattern is easy to guess."
        )
    return (
        f"that passphrase is too short: use at least {limit} characters. Four or more "
        "unrelated words work well."
    )


def main() -> None:
    cli(prog_name="allymap")


# backup, restore and check live in a module of their own; importing it registers them.
from allymap import cli_data  # noqa: E402, F401
