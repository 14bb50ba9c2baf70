"""The `allymap` command. With no subcommand it serves, as `allymap serve` does."""

from __future__ import annotations

import os
import sys
import threading
import webbrowser
from pathlib import Path

import click


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
    server = create_server(application, host=host, port=port, threads=threads, ident="allymap")
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


def _start_or_explain(data_dir: Path | None) -> None:
    """Configure Django, check the data folder can be written, bring the database up to
    date and clear expired sessions; on failure, say so in one line and exit 1.

    A read-only, full or missing data folder is a plain sentence, not a traceback.
    """
    try:
        _django(data_dir)
        from django.conf import settings
        from django.core.management import call_command

        from allymap.services.sessions import sessions_clear_expired

        _check_writable(Path(settings.DATA_DIR))
        call_command("migrate", interactive=False, verbosity=0)
        sessions_clear_expired()
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


def main() -> None:
    cli(prog_name="allymap")
