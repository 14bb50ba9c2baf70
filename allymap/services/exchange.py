"""Exporting one intervention to a file, and importing such a file as a new intervention.

What an export holds (`InterventionExport`, documented in docs/export-format.md, its JSON
Schema in docs/export-format.schema.json): the intervention's event log, every event at
its current version (older ones upgraded as they are read) with the time it was written.
The log is the intervention's whole meaning: people with their details, consent,
closeness and reporting and the history of each, the team, every position with its
evidence and history, roles, support for allies, gaps set aside, check-ins, the
staircase, notes, whose map it is, and the chart's id and version (in its first event).
Who wrote each event (an account) is not exported: an import is written by its importer.

Three things are rewritten on the way out, and back on the way in, so that an export,
imported and exported again, is the same file (`export_json` of both is equal, byte for
byte):

- **A self-check is never exported.** `SelfCheckKept` events (sealed to an account's own
  key) are left out, and the events after them numbered on without a gap. A gap set
  aside names the events its cause stood on by number; a cause that was current when it
  was set aside is written as the same gap's cause in the renumbered log.
- **The first member** (whoever started the intervention: their member id is their
  account id) is written as `FIRST_MEMBER`; on import it becomes the importer, who is the
  new intervention's first member. **Every other member id that is an account id** (a
  member who joined with their account, a position recorded before teams had members)
  is written as a random stand-in, fresh for each export: an account id names an account
  of this database. Other ids (people, members, roles, notes…) are kept: they are
  random, and scoped to their intervention.
- **Links to accounts** (`MemberAdded.account_id`) are written empty: they name accounts
  of this database only. A position recorded before teams had members is written under
  its author's member.

Encrypted by default (`export_encrypted`): the JSON sealed under a passphrase the person
chooses, with the vault's archive (Argon2id, then XChaCha20-Poly1305 secretstream; its own
magic, so an export is never taken for a backup). Plain JSON (`export_json`) and a zip of
two CSV files (`export_csv`: the people, the positions; export only) are for an explicit
choice alone: anyone who finds them can read them.

Importing (`import_file`) checks everything before anything is written: the file's size
(`MAX_IMPORT_BYTES`, before it is opened), the archive (passphrase, every byte, cut short),
the format and its version, the JSON against the schema, the chart, and that the history
folds. Any problem raises `ImportRefused` with a `Problem` code and nothing is stored;
otherwise the events are sealed under a new intervention key, in one transaction, by the
log engine (`engine.start_with_history`).
"""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, Final, Literal, TypeAlias

import msgspec

from allymap.chart import ChartError, chart_by_id
from allymap.domain import (
    CheckInAdded,
    ConsentChanged,
    DifferenceTalkedThrough,
    Event,
    FoldError,
    GapReopened,
    GapSetAside,
    InterventionArchived,
    InterventionChanged,
    InterventionStarted,
    InvalidInput,
    MemberAdded,
    MemberChanged,
    MemberRemoved,
    NoteAdded,
    PersonAdded,
    PersonChanged,
    PersonRemoved,
    PositionRecorded,
    Recorded,
    Refusal,
    RoleAssigned,
    RoleLimitSet,
    RoleNamed,
    RoleUnassigned,
    SelfCheckKept,
    StaircaseNoted,
    SupportAdded,
    SupportRemoved,
    causes_renumbered,
    fold,
)
from allymap.domain.checks import check_event
from allymap.services import engine
from allymap.services.accounts import check_passphrase
from allymap.services.keyring import Keyring
from allymap.vault import INTERACTIVE_PROFILE, TEST_PROFILE, KdfParams, profile_from_env
from allymap.vault.archive import (
    EXPORT_MAGIC,
    EXPORT_MARKER,
    MAGIC,
    ArchiveChanged,
    ArchiveCutShort,
    NotAnArchive,
    WrongArchivePassphrase,
    open_archive,
    seal_archive,
)
from allymap.vault.ids import random_id
from allymap.vault.kdf import PROFILE_ENV_VAR

__all__ = [
    "EXPORT_MAGIC",
    "EXPORT_MARKER",
    "FIRST_MEMBER",
    "FORMAT",
    "MAX_IMPORT_BYTES",
    "PEOPLE_COLUMNS",
    "POSITION_COLUMNS",
    "VERSION",
    "ExportEvent",
    "ExportedEvent",
    "ImportRefused",
    "InterventionExport",
    "Problem",
    "export_csv",
    "export_encrypted",
    "export_filename",
    "export_json",
    "import_file",
    "schema",
]

FORMAT: Final = "allymap-intervention"
"""What an export says it is, in its `format` field."""
VERSION: Final = 1
"""The export format's version. Bump it whenever the schema changes (a test compares the
schema with docs/export-format.schema.json), and say there how an older file is read."""
FIRST_MEMBER = "first-member"
"""The member id an export gives whoever started the intervention."""
MAX_IMPORT_BYTES = 16 * 2**20
"""The largest file an import opens: 16 MiB (an export takes about 360 bytes an event, so
10,000 events are about 3.5 MiB; long evidence makes more)."""

ExportEvent: TypeAlias = (
    InterventionStarted
    | InterventionChanged
    | InterventionArchived
    | MemberAdded
    | MemberChanged
    | MemberRemoved
    | PersonAdded
    | PersonChanged
    | ConsentChanged
    | PersonRemoved
    | PositionRecorded
    | DifferenceTalkedThrough
    | NoteAdded
    | RoleNamed
    | RoleAssigned
    | RoleUnassigned
    | RoleLimitSet
    | SupportAdded
    | SupportRemoved
    | GapSetAside
    | GapReopened
    | CheckInAdded
    | StaircaseNoted
)
"""Every event type an export may hold: `Event` without `SelfCheckKept`, which is never
exported (a test proves this is every other member of `Event`)."""


class ExportedEvent(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """One event of the log and when it was written (UTC, with its offset)."""

    at: Annotated[datetime, msgspec.Meta(tz=True)]
    event: ExportEvent


class InterventionExport(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """An exported intervention: what it is, the format's version, and its events in the
    order they were written (the first one starts the intervention)."""

    format: Literal["allymap-intervention"]
    version: Literal[1]
    events: tuple[ExportedEvent, ...]


class _Header(msgspec.Struct):
    """Only what a file says it is, read before the rest is checked."""

    format: str = ""
    version: object = None


class Problem(StrEnum):
    """Why an import was refused (worded for people by the web and the command line)."""

    TOO_LARGE = "too_large"
    NOT_AN_EXPORT = "not_an_export"
    A_BACKUP = "a_backup"
    A_CSV_EXPORT = "a_csv_export"
    PASSPHRASE_NEEDED = "passphrase_needed"  # noqa: S105 - a code, not a secret
    WRONG_PASSPHRASE = "wrong_passphrase"  # noqa: S105 - a code, not a secret
    CUT_SHORT = "cut_short"
    CHANGED = "changed"
    UNKNOWN_VERSION = "unknown_version"
    MALFORMED = "malformed"
    INCONSISTENT = "inconsistent"


class ImportRefused(Exception):
    """The file cannot be imported; nothing was stored. `problem` says why, `detail` where
    (ids, numbers and field paths only: never what the file says)."""

    def __init__(self, problem: Problem, detail: str = "") -> None:
        self.problem = problem
        self.detail = detail
        super().__init__(f"{problem.value}: {detail}" if detail else problem.value)


_ENCODER = msgspec.json.Encoder()
_DECODER = msgspec.json.Decoder(InterventionExport)
_HEADER = msgspec.json.Decoder(_Header)


def schema() -> dict[str, Any]:
    """The JSON Schema of an export, as docs/export-format.schema.json holds it."""
    return msgspec.json.schema(InterventionExport)


# --- Exporting --------------------------------------------------------------------------


def _swapped(event: Event, old: str, new: str) -> Event:
    """`event` with the member id `old` written as `new`: in id fields by equality, and
    inside a gap's key and cause (which spell holders as ``member:<id>``)."""
    if not old or old == new:
        return event
    changes: dict[str, str] = {}
    for name in event.__struct_fields__:
        value = getattr(event, name)
        if not isinstance(value, str):
            continue
        if (name.endswith("_id") or name == "asker") and value == old:
            changes[name] = new
        elif name in ("gap_key", "cause") and old in value:
            changes[name] = value.replace(old, new)
    return msgspec.structs.replace(event, **changes) if changes else event


def _outgoing(records: Sequence[Recorded]) -> list[tuple[datetime, Event]]:
    """The log as an export writes it (see the module doc), gap causes renumbered."""
    starter = records[0].author
    members: dict[str, str] = {starter: FIRST_MEMBER}  # account id → member id
    out: list[tuple[datetime, Event]] = []
    origins: list[int | None] = []  # per outgoing event, its index in `records`
    for index, record in enumerate(records):
        event = record.event
        if isinstance(event, SelfCheckKept):
            continue
        if isinstance(event, MemberAdded):
            if event.account_id:
                members.setdefault(event.account_id, event.member_id)
            event = msgspec.structs.replace(event, account_id="")
        if isinstance(event, PositionRecorded) and not event.member_id:
            # Recorded before teams: the author's own view (the fold's rule, made explicit).
            if record.author not in members:
                members[record.author] = record.author
                out.append((record.at, MemberAdded(member_id=record.author, name="")))
                origins.append(None)
            event = msgspec.structs.replace(event, member_id=members[record.author])
        out.append((record.at, _swapped(event, starter, FIRST_MEMBER)))
        origins.append(index)
    renumbered = causes_renumbered(
        records,
        [Recorded(seq, FIRST_MEMBER, at, event) for seq, (at, event) in enumerate(out, start=1)],
        origins,
        chart_by_id(*_chart_of(out)).keys,
    )
    # Account ids out, last: a pure renaming, after the renumbering that reads the log.
    accounts = {record.author for record in records} | {
        record.event.account_id
        for record in records
        if isinstance(record.event, MemberAdded) and record.event.account_id
    }
    stand_ins = {account: random_id() for account in sorted(accounts - {starter})}
    written: list[tuple[datetime, Event]] = []
    for record in renumbered:
        event = record.event
        for account, stand_in in stand_ins.items():
            event = _swapped(event, account, stand_in)
        written.append((record.at, event))
    return written


def _chart_of(history: Sequence[tuple[datetime, Event]]) -> tuple[str, int]:
    started = history[0][1]
    assert isinstance(started, InterventionStarted)
    return started.chart_id, started.chart_version


def _document(keyring: Keyring, intervention_id: str) -> InterventionExport:
    records = engine.whole_log(keyring, intervention_id)
    outgoing = _outgoing(records)
    return InterventionExport(
        format=FORMAT,
        version=VERSION,
        events=tuple(
            ExportedEvent(at=at.astimezone(UTC), event=event)  # type: ignore[arg-type]
            for at, event in outgoing
        ),
    )


def export_json(*, keyring: Keyring, intervention_id: str) -> bytes:
    """The intervention as plain JSON (UTF-8, indented, ending with a newline): readable
    by anyone who finds it. Raises NotFound or DamagedRecord."""
    document = _document(keyring, intervention_id)
    return msgspec.json.format(_ENCODER.encode(document), indent=2) + b"\n"


def export_encrypted(*, keyring: Keyring, intervention_id: str, passphrase: str) -> bytes:
    """The intervention's JSON sealed under `passphrase`. Raises WeakPassphrase (before
    anything is read) for a passphrase allymap would not accept for an account, NotFound,
    DamagedRecord, KdfUnavailable."""
    check_passphrase(passphrase)
    plain = export_json(keyring=keyring, intervention_id=intervention_id)
    return seal_archive(
        plain, passphrase, profile_from_env(), magic=EXPORT_MAGIC, marker=EXPORT_MARKER
    )


PEOPLE_COLUMNS = (
    "person_id",
    "alias",
    "relationship_to_person_doing_harm",
    "relationship_to_person_harmed",
    "closeness",
    "consent",
    "who_will_ask",
    "reporting",
    "offers",
    "other_ways",
)
POSITION_COLUMNS = (
    "person_id",
    "alias",
    "team_member",
    "row",
    "row_number",
    "position",
    "evidence",
    "recorded_at",
)


def _cell(value: str) -> str:
    """A cell a spreadsheet shows as text: one starting like a formula gets a quote first."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _csv(columns: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([_cell(value) for value in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")  # the BOM: spreadsheets then read UTF-8


def export_csv(*, keyring: Keyring, intervention_id: str, unnamed_member: str) -> bytes:
    """A zip of ``people.csv`` (everyone on the map now, with their details) and
    ``positions.csv`` (each team member's current answer on each row, with its evidence):
    plain text anyone who finds it can read, for a spreadsheet. It cannot be imported.
    A team member is named by their name, or `unnamed_member` (the word the pages use,
    worded by the caller) when they have none: never by an id. Raises NotFound or
    DamagedRecord."""
    state = engine.open_log(keyring, intervention_id).state
    chart = chart_by_id(state.chart_id, state.chart_version)
    number = {row.key: str(row.number) for row in chart.rows}

    def member(member_id: str) -> str:
        # As the pages name a member: their name, else the word for one unnamed.
        found = state.members.get(member_id)
        return found.name if found is not None and found.name else unnamed_member

    people = [
        (
            p.person_id,
            p.alias,
            p.relationship,
            p.relationship_harmed,
            p.closeness.value,
            p.consent.value,
            member(p.asker) if p.asker else "",
            p.reporting.value,
            p.offers,
            p.other_ways,
        )
        for p in state.active_people()
    ]
    positions = [
        (
            p.person_id,
            p.alias,
            member(member_id),
            key,
            number.get(key, ""),
            entry.position.value,
            entry.evidence,
            entry.at.astimezone(UTC).isoformat(timespec="seconds"),
        )
        for p in state.active_people()
        for member_id, rows in p.positions.items()
        for key in chart.keys
        if (entry := rows.get(key)) is not None
    ]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in (
            ("people.csv", _csv(PEOPLE_COLUMNS, people)),
            ("positions.csv", _csv(POSITION_COLUMNS, positions)),
        ):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            archive.writestr(info, data)
    return out.getvalue()


def export_filename(kind: Literal["encrypted", "json", "csv"], on: datetime) -> str:
    """A neutral name for an export file: the day, and nothing about anyone in it."""
    suffix = {"encrypted": "enc", "json": "json", "csv": "zip"}[kind]
    return f"export-{on.date().isoformat()}.{suffix}"


# --- Importing --------------------------------------------------------------------------


def _export_profiles() -> tuple[KdfParams, ...]:
    """The key costs an export may state: those `export_encrypted` writes, and no other
    (the header is read before anything is verified, so the file must not choose the
    cost of deriving its key). The test profile only where allymap writes it."""
    if os.environ.get(PROFILE_ENV_VAR) == "test":
        return (INTERACTIVE_PROFILE, TEST_PROFILE)
    return (INTERACTIVE_PROFILE,)


def _opened(data: bytes, passphrase: str | None) -> bytes:
    """The file's JSON: opened and verified when it is encrypted. Raises ImportRefused."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportRefused(Problem.TOO_LARGE, f"{len(data)} bytes")
    if data.startswith(EXPORT_MAGIC[:-1]):
        if not passphrase:
            raise ImportRefused(Problem.PASSPHRASE_NEEDED)
        try:
            return open_archive(
                data,
                passphrase,
                magic=EXPORT_MAGIC,
                marker=EXPORT_MARKER,
                profiles=_export_profiles(),
            )
        except NotAnArchive:
            raise ImportRefused(Problem.UNKNOWN_VERSION, "a newer layout") from None
        except WrongArchivePassphrase:
            raise ImportRefused(Problem.WRONG_PASSPHRASE) from None
        except ArchiveCutShort:
            raise ImportRefused(Problem.CUT_SHORT) from None
        except ArchiveChanged as changed:
            raise ImportRefused(Problem.CHANGED, changed.message) from None
    if data.startswith(MAGIC[:-1]):
        raise ImportRefused(Problem.A_BACKUP)
    if data.startswith(b"PK\x03\x04"):
        raise ImportRefused(Problem.A_CSV_EXPORT)  # a zip: what `export_csv` writes
    if data.lstrip()[:1] != b"{":
        raise ImportRefused(Problem.NOT_AN_EXPORT)
    return data


_PATH = re.compile(r"`(\$[^`]*)`")


def _where(problem: Exception) -> str:
    """Where in the file a decoding problem is (its ``$…`` path), without what the file
    says there: msgspec's message quotes the value it refused."""
    found = _PATH.search(str(problem))
    return found.group(1) if found else "$"


def _decoded(decoder: msgspec.json.Decoder[Any], plain: bytes) -> Any:
    # Nesting deeper than Python's recursion allows is refused like any other bad JSON.
    try:
        return decoder.decode(plain)
    except (msgspec.DecodeError, RecursionError, ValueError) as problem:
        raise ImportRefused(Problem.MALFORMED, _where(problem)) from None


def _document_in(plain: bytes) -> InterventionExport:
    """The export the JSON holds, checked against the schema. Raises ImportRefused."""
    header: _Header = _decoded(_HEADER, plain)
    if header.format != FORMAT:
        raise ImportRefused(Problem.NOT_AN_EXPORT)
    if header.version != VERSION:
        raise ImportRefused(
            Problem.UNKNOWN_VERSION, f"a version of type {type(header.version).__name__}"
        )
    document: InterventionExport = _decoded(_DECODER, plain)
    return document


def _history(document: InterventionExport, account_id: str) -> list[tuple[datetime, Event]]:
    """The document's events as the importer's log: the first member is the importer.
    Raises ImportRefused for what the schema cannot say (see the checks)."""
    history: list[tuple[datetime, Event]] = []
    for number, exported in enumerate(document.events, start=1):
        event: Event = exported.event
        if isinstance(event, InterventionStarted) != (number == 1):
            raise ImportRefused(Problem.INCONSISTENT, f"event {number}: the start comes first")
        if isinstance(event, MemberAdded) and (event.account_id or event.member_id == FIRST_MEMBER):
            raise ImportRefused(Problem.MALFORMED, f"event {number}: a member allymap never adds")
        try:
            check_event(event)
        except InvalidInput as refused:
            # The path alone: the refusal must not repeat what the file says.
            raise ImportRefused(
                Problem.MALFORMED, f"$.events[{number - 1}].event.{refused.field}"
            ) from None
        history.append((exported.at, _swapped(event, FIRST_MEMBER, account_id)))
    if not history:
        raise ImportRefused(Problem.MALFORMED, "it holds no events")
    try:
        chart = chart_by_id(*_chart_of(history))
    except ChartError:
        raise ImportRefused(Problem.UNKNOWN_VERSION, "a chart this allymap does not have") from None
    for number, (_at, event) in enumerate(history, start=1):
        if isinstance(event, PositionRecorded | DifferenceTalkedThrough) and (
            event.row_key not in chart.keys
        ):
            raise ImportRefused(Problem.INCONSISTENT, f"event {number}: not a row of its chart")
    return history


def import_file(
    *,
    keyring: Keyring,
    data: bytes,
    passphrase: str | None = None,
    proposed_id: str | None = None,
) -> str:
    """Import an export as a new intervention with this account as its first member;
    return its id.

    Everything is checked before anything is stored (see the module doc); a refusal
    raises ImportRefused and changes nothing. Also KdfUnavailable. `proposed_id` is the
    form's token (`engine.new_id`): the same form posted twice imports the file once,
    and both posts get its id.
    """
    document = _document_in(_opened(data, passphrase))
    history = _history(document, keyring.account_id)
    intervention_id = engine.new_id(proposed_id, scope=f"import:{keyring.account_id}")
    try:
        fold(
            None,
            [Recorded(seq, keyring.account_id, at, e) for seq, (at, e) in enumerate(history, 1)],
            intervention_id=intervention_id,
        )
    except FoldError as problem:
        raise ImportRefused(Problem.INCONSISTENT, str(problem)) from None
    try:
        return engine.start_with_history(keyring, history, intervention_id=intervention_id)
    except InvalidInput as refused:
        if refused.field == "intervention_id" and refused.code is Refusal.DUPLICATE:
            return intervention_id  # posted twice: the first post imported it
        raise
