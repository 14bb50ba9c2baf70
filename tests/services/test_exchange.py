"""Exporting an intervention and importing it as a new one: the round trip keeps its
content, a self-check never leaves, and every bad file is refused with nothing stored."""

from __future__ import annotations

import base64
import io
import json
import typing
import zipfile

import pytest

from allymap.domain import EVENT_TYPES, SelfCheckKept
from allymap.services import demo, exchange, gaps, interventions, roles, selfcheck
from allymap.services.errors import NotFound, WeakPassphrase
from allymap.services.exchange import ImportRefused, Problem
from allymap.services.keyring import Keyring
from allymap.store.models import Event, Intervention, Membership
from allymap.vault.archive import open_archive
from tests.services.conftest import Started

WORDS = "kererū in the pūriri"
PLANTED = "PLANTED-self-check-kōtare-7Q"


def _counts() -> tuple[int, int, int]:
    return Intervention.objects.count(), Event.objects.count(), Membership.objects.count()


@pytest.fixture
def demo_id(owner: Keyring) -> str:
    return demo.demo_intervention_add(keyring=owner)


def _gaps_aside(keyring: Keyring, intervention_id: str) -> list[str]:
    return [
        g.key for g in gaps.gaps_reading(keyring=keyring, intervention_id=intervention_id).set_aside
    ]


def test_it_exports_every_event_type_but_the_self_check() -> None:
    exported = set(typing.get_args(exchange.ExportEvent))
    assert exported == set(EVENT_TYPES) - {SelfCheckKept}


def test_export_import_export_is_the_same_file_in_plain_json(owner: Keyring, demo_id: str) -> None:
    first = exchange.export_json(keyring=owner, intervention_id=demo_id)
    imported = exchange.import_file(keyring=owner, data=first)
    assert imported != demo_id
    assert exchange.export_json(keyring=owner, intervention_id=imported) == first
    before = interventions.intervention_open(keyring=owner, intervention_id=demo_id)
    after = interventions.intervention_open(keyring=owner, intervention_id=imported)
    assert after.started_by == owner.account_id
    assert [p.alias for p in after.people.values()] == [p.alias for p in before.people.values()]
    assert after.people.keys() == before.people.keys()
    assert [e.at for p in after.people.values() for e in p.history] == [
        e.at for p in before.people.values() for e in p.history
    ]
    # The demo's gap set aside is still aside in the copy.
    assert _gaps_aside(owner, demo_id)
    assert _gaps_aside(owner, imported) == _gaps_aside(owner, demo_id)


def test_export_import_export_keeps_the_content_encrypted(owner: Keyring, demo_id: str) -> None:
    sealed = exchange.export_encrypted(keyring=owner, intervention_id=demo_id, passphrase=WORDS)
    assert b"Spring" not in sealed and b"person_added" not in sealed
    imported = exchange.import_file(keyring=owner, data=sealed, passphrase=WORDS)
    again = exchange.export_encrypted(keyring=owner, intervention_id=imported, passphrase=WORDS)
    assert again != sealed  # a fresh salt and stream each time
    assert exchange.import_file(keyring=owner, data=again, passphrase=WORDS)
    assert exchange.export_json(keyring=owner, intervention_id=imported) == exchange.export_json(
        keyring=owner, intervention_id=demo_id
    )


def test_a_self_check_is_never_exported_in_any_format(owner: Keyring, demo_id: str) -> None:
    gap_before = _gaps_aside(owner, demo_id)
    selfcheck.self_check_keep(
        keyring=owner, intervention_id=demo_id, answers={"respected": ("ally", PLANTED)}
    )
    state = interventions.intervention_open(keyring=owner, intervention_id=demo_id)
    sealed_check = state.self_checks[owner.account_id]
    plain = exchange.export_json(keyring=owner, intervention_id=demo_id)
    opened = open_archive(
        exchange.export_encrypted(keyring=owner, intervention_id=demo_id, passphrase=WORDS),
        WORDS,
        magic=exchange.EXPORT_MAGIC,
        marker=exchange.EXPORT_MARKER,
    )
    with zipfile.ZipFile(
        io.BytesIO(
            exchange.export_csv(
                keyring=owner, intervention_id=demo_id, unnamed_member="A team member"
            )
        )
    ) as z:
        csvs = b"".join(z.read(name) for name in z.namelist())
    traces = [
        PLANTED.encode(),
        b"self_check",
        base64.b64encode(sealed_check),
        base64.b64encode(sealed_check[:24]),
        owner.account_id.encode(),
    ]
    for name, content in (("plain", plain), ("encrypted", opened), ("csv", csvs)):
        for trace in traces:
            assert trace not in content, f"{trace!r} is in the {name} export"
    assert opened == plain
    events = json.loads(plain)["events"]
    assert len(events) == state.seq - 1  # every event but the self-check
    # The gap set aside before the self-check is still aside after import: its cause was
    # renumbered with the events.
    imported = exchange.import_file(keyring=owner, data=plain)
    assert _gaps_aside(owner, imported) == gap_before
    assert exchange.export_json(keyring=owner, intervention_id=imported) == plain


def test_a_self_check_before_a_gap_set_aside_keeps_the_gap_aside(
    owner: Keyring, intervention: Started
) -> None:
    iid = intervention.intervention_id
    selfcheck.self_check_keep(keyring=owner, intervention_id=iid, answers={})
    # "Nobody keeps the team in touch" stands on the event that last took that role away:
    # after the self-check, so its number changes when the self-check is left out.
    holder = f"member:{owner.account_id}"
    roles.role_assign(keyring=owner, intervention_id=iid, role="facilitator", holder=holder)
    roles.role_unassign(keyring=owner, intervention_id=iid, role="facilitator", holder=holder)
    key = "nobody_in_touch"
    gaps.gap_set_aside(keyring=owner, intervention_id=iid, gap_key=key, note="later")
    plain = exchange.export_json(keyring=owner, intervention_id=iid)
    imported = exchange.import_file(keyring=owner, data=plain)
    assert key in _gaps_aside(owner, iid)
    assert _gaps_aside(owner, imported) == _gaps_aside(owner, iid)


def test_an_encrypted_export_needs_a_passphrase_allymap_accepts(
    owner: Keyring, intervention: Started
) -> None:
    with pytest.raises(WeakPassphrase):
        exchange.export_encrypted(
            keyring=owner, intervention_id=intervention.intervention_id, passphrase="short"
        )


def test_only_the_team_can_export(outsider: Keyring, intervention: Started) -> None:
    with pytest.raises(NotFound):
        exchange.export_json(keyring=outsider, intervention_id=intervention.intervention_id)


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


def _bad_files(owner: Keyring, iid: str) -> dict[str, tuple[bytes, str | None, Problem]]:
    sealed = exchange.export_encrypted(keyring=owner, intervention_id=iid, passphrase=WORDS)
    plain = exchange.export_json(keyring=owner, intervention_id=iid)
    document = json.loads(plain)
    newer = json.dumps({**document, "version": 2}).encode()
    unknown_event = json.dumps(
        {
            **document,
            "events": [
                *document["events"],
                {"at": "2026-01-01T00:00:00Z", "event": {"type": "dream/1"}},
            ],
        }
    ).encode()
    naive = json.dumps(
        {**document, "events": [{**document["events"][0], "at": "2026-01-01T00:00:00"}]}
    ).encode()
    twice = json.dumps({**document, "events": document["events"] * 2}).encode()
    from allymap.vault import profile_from_env
    from allymap.vault.archive import seal_archive

    def sealed_json(content: bytes) -> bytes:
        return seal_archive(
            content,
            WORDS,
            profile_from_env(),
            magic=exchange.EXPORT_MAGIC,
            marker=exchange.EXPORT_MARKER,
        )

    return {
        "a flipped byte in the content": (_flip(sealed, len(sealed) - 40), WORDS, Problem.CHANGED),
        "a flipped byte in the header": (_flip(sealed, 20), WORDS, Problem.WRONG_PASSPHRASE),
        "cut short": (sealed[: len(sealed) // 2], WORDS, Problem.CUT_SHORT),
        "the wrong passphrase": (sealed, "tūī at the harakeke", Problem.WRONG_PASSPHRASE),
        "no passphrase": (sealed, None, Problem.PASSPHRASE_NEEDED),
        "too large": (sealed + b"\0" * exchange.MAX_IMPORT_BYTES, WORDS, Problem.TOO_LARGE),
        "a newer version": (sealed_json(newer), WORDS, Problem.UNKNOWN_VERSION),
        "malformed JSON that decrypts": (sealed_json(plain[:-20]), WORDS, Problem.MALFORMED),
        "an event allymap does not know": (sealed_json(unknown_event), WORDS, Problem.MALFORMED),
        "a time without its zone": (naive, None, Problem.MALFORMED),
        "events that do not add up": (twice, None, Problem.INCONSISTENT),
        "another kind of JSON": (b'{"hello": 1}', None, Problem.NOT_AN_EXPORT),
        "a zip (the CSV export)": (b"PK\x03\x04 a zip", None, Problem.A_CSV_EXPORT),
        "not JSON at all": (b"GIF89a a picture", None, Problem.NOT_AN_EXPORT),
        "nested deeper than Python goes": (
            b'{"x":' + b"[" * 100_000 + b"]" * 100_000 + b"}",
            None,
            Problem.MALFORMED,
        ),
        "plain JSON cut short": (plain[: len(plain) // 2], None, Problem.MALFORMED),
    }


def test_every_bad_file_is_refused_and_nothing_changes(owner: Keyring, demo_id: str) -> None:
    files = _bad_files(owner, demo_id)
    before = _counts()
    for what, (data, passphrase, problem) in files.items():
        with pytest.raises(ImportRefused) as refused:
            exchange.import_file(keyring=owner, data=data, passphrase=passphrase)
        assert refused.value.problem is problem, what
        assert _counts() == before, what


def test_a_backup_is_not_taken_for_an_export(owner: Keyring, intervention: Started) -> None:
    from allymap.vault import profile_from_env
    from allymap.vault.archive import seal_archive

    backup_like = seal_archive(b"{}", WORDS, profile_from_env())
    with pytest.raises(ImportRefused) as refused:
        exchange.import_file(keyring=owner, data=backup_like, passphrase=WORDS)
    assert refused.value.problem is Problem.A_BACKUP


def test_the_csv_export_holds_the_people_and_their_positions(owner: Keyring, demo_id: str) -> None:
    state = interventions.intervention_open(keyring=owner, intervention_id=demo_id)
    with zipfile.ZipFile(
        io.BytesIO(
            exchange.export_csv(
                keyring=owner, intervention_id=demo_id, unnamed_member="A team member"
            )
        )
    ) as z:
        assert sorted(z.namelist()) == ["people.csv", "positions.csv"]
        people = z.read("people.csv").decode("utf-8-sig").splitlines()
        positions = z.read("positions.csv").decode("utf-8-sig").splitlines()
    assert people[0] == ",".join(exchange.PEOPLE_COLUMNS)
    assert len(people) == 1 + len(state.active_people())
    answers = sum(len(rows) for p in state.active_people() for rows in p.positions.values())
    assert len(positions) >= 1 + answers  # evidence may run over more than one line
    assert any(state.active_people()[0].alias in line for line in people)


def test_a_cell_that_starts_like_a_formula_is_kept_as_text() -> None:
    assert exchange._cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert exchange._cell("kind") == "kind"


def test_the_documented_schema_is_the_code_s() -> None:
    from pathlib import Path

    documented = Path(__file__).parents[2] / "docs" / "export-format.schema.json"
    assert json.loads(documented.read_text()) == json.loads(json.dumps(exchange.schema())), (
        "the export's schema changed: regenerate docs/export-format.schema.json with "
        "`allymap export --schema`, and if its shape changed, bump exchange.VERSION and say "
        "so in docs/export-format.md"
    )
    text = (documented.parent / "export-format.md").read_text()
    assert f"version {exchange.VERSION}" in text


def test_an_export_is_not_taken_for_a_backup(owner: Keyring, intervention: Started) -> None:
    from allymap.vault.archive import NotAnArchive

    sealed = exchange.export_encrypted(
        keyring=owner, intervention_id=intervention.intervention_id, passphrase=WORDS
    )
    with pytest.raises(NotAnArchive):
        open_archive(sealed, WORDS)  # as `allymap restore` opens a backup


def _with_person(owner: Keyring, iid: str, **changes: str) -> bytes:
    """The intervention's plain export with its first person's fields changed."""
    document = json.loads(exchange.export_json(keyring=owner, intervention_id=iid))
    for exported in document["events"]:
        if exported["event"]["type"].startswith("person_added"):
            exported["event"].update(changes)
            return json.dumps(document).encode()
    raise AssertionError("no person in the export")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"alias": "Uncle \u202eT\u202c"}, "alias"),  # reverses the text after it
        ({"alias": "Uncle\u200bT"}, "alias"),  # a zero-width space in a name
        ({"alias": "Uncle\x07T"}, "alias"),  # a control character
        ({"alias": "line one\nline two"}, "alias"),  # a name on two lines
        ({"alias": "A" * 100_000}, "alias"),  # far over ALIAS_MAX
        ({"alias": " Uncle T"}, "alias"),  # untidy: typing strips it
        ({"relationship": "R" * 201}, "relationship"),
        ({"offers": "O\u2066ffers"}, "offers"),
        ({"person_id": "a/b c"}, "person_id"),  # would break every page's links
        ({"asker": "a b"}, "asker"),
    ],
)
def test_an_import_holds_every_event_to_the_rules_of_typing(
    owner: Keyring, intervention: Started, changes: dict[str, str], field: str
) -> None:
    data = _with_person(owner, intervention.intervention_id, **changes)
    before = _counts()
    with pytest.raises(ImportRefused) as refused:
        exchange.import_file(keyring=owner, data=data)
    assert refused.value.problem is Problem.MALFORMED
    assert refused.value.detail.startswith("$.events[") and refused.value.detail.endswith(field)
    assert _counts() == before


def test_a_refusal_names_the_place_never_what_the_file_says(
    owner: Keyring, intervention: Started
) -> None:
    secret = "Aunty Mere lives at 12 Kōwhai St"
    iid = intervention.intervention_id
    for data in (
        _with_person(owner, iid, closeness=secret),  # not a choice
        _with_person(owner, iid, alias=secret + "\u202e"),  # refused by the rules of typing
    ):
        with pytest.raises(ImportRefused) as refused:
            exchange.import_file(keyring=owner, data=data)
        assert refused.value.detail.startswith("$.")
        assert "Kōwhai" not in str(refused.value)
    newer = {**json.loads(exchange.export_json(keyring=owner, intervention_id=iid))}
    newer["version"] = secret
    with pytest.raises(ImportRefused) as refused:
        exchange.import_file(keyring=owner, data=json.dumps(newer).encode())
    assert refused.value.problem is Problem.UNKNOWN_VERSION
    assert "Kōwhai" not in str(refused.value) and "str" in refused.value.detail


def test_the_demo_with_macrons_and_emoji_still_round_trips(owner: Keyring, demo_id: str) -> None:
    from allymap.services import people

    state = interventions.intervention_open(keyring=owner, intervention_id=demo_id)
    person = next(iter(state.active_people()))
    people.person_change(
        keyring=owner,
        intervention_id=demo_id,
        person_id=person.person_id,
        details=people.Details(
            alias="Whaea Tūī 🌿",
            offers="Kōrero over kai 🍲\nevery Sunday",
            consent=person.consent.value,
            asker=person.asker,
        ),
    )
    first = exchange.export_json(keyring=owner, intervention_id=demo_id)
    assert "Tūī 🌿".encode() in first
    imported = exchange.import_file(keyring=owner, data=first)
    assert exchange.export_json(keyring=owner, intervention_id=imported) == first


def test_an_export_never_chooses_the_cost_of_its_key(
    owner: Keyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The header is read before anything is verified: a cost allymap never writes for
    an export is refused before a key is derived with it."""
    import struct

    from nacl.pwhash import argon2id

    from allymap.vault import TEST_PROFILE, archive
    from allymap.vault.archive import seal_archive

    sealed = bytearray(
        seal_archive(
            b"{}", WORDS, TEST_PROFILE, magic=exchange.EXPORT_MAGIC, marker=exchange.EXPORT_MARKER
        )
    )
    at = len(exchange.EXPORT_MAGIC) + 16
    struct.pack_into(">Q", sealed, at, argon2id.OPSLIMIT_SENSITIVE)
    struct.pack_into(">Q", sealed, at + 8, argon2id.MEMLIMIT_SENSITIVE)
    cheap = seal_archive(
        b"{}", WORDS, TEST_PROFILE, magic=exchange.EXPORT_MAGIC, marker=exchange.EXPORT_MARKER
    )
    derived: list[object] = []
    monkeypatch.setattr(archive, "derive_key", lambda *a, **k: derived.append(a) or b"\0" * 32)
    with pytest.raises(ImportRefused) as refused:
        exchange.import_file(keyring=owner, data=bytes(sealed), passphrase=WORDS)
    assert refused.value.problem is Problem.CHANGED
    assert not derived
    # The test profile is accepted only where allymap writes it.
    monkeypatch.setenv("ALLYMAP_KDF_PROFILE", "production")
    with pytest.raises(ImportRefused) as refused:
        exchange.import_file(keyring=owner, data=cheap, passphrase=WORDS)
    assert refused.value.problem is Problem.CHANGED
    assert not derived


def test_an_export_carries_no_account_id(
    owner: Keyring, member: Keyring, intervention: Started
) -> None:
    from allymap.chart import Position
    from allymap.services import positions

    iid = intervention.intervention_id
    state = interventions.intervention_open(keyring=owner, intervention_id=iid)
    person_id = next(iter(state.people))
    positions.positions_record(
        keyring=member,
        intervention_id=iid,
        person_id=person_id,
        positions={"respected": (Position.ALLY, "")},
    )
    first = exchange.export_json(keyring=owner, intervention_id=iid)
    assert member.account_id.encode() not in first
    assert owner.account_id.encode() not in first
    imported = exchange.import_file(keyring=owner, data=first)
    assert exchange.export_json(keyring=owner, intervention_id=imported) == first
    after = interventions.intervention_open(keyring=owner, intervention_id=imported)
    answered = [m for p in after.people.values() for m in p.positions]
    assert answered and member.account_id not in answered


def test_the_csv_names_who_will_ask_as_the_pages_do(owner: Keyring, demo_id: str) -> None:
    from allymap.services import people

    state = interventions.intervention_open(keyring=owner, intervention_id=demo_id)
    person = next(iter(state.active_people()))
    people.person_change(
        keyring=owner,
        intervention_id=demo_id,
        person_id=person.person_id,
        details=people.Details(
            alias=person.alias, consent=person.consent.value, asker=owner.account_id
        ),
    )
    with zipfile.ZipFile(
        io.BytesIO(
            exchange.export_csv(keyring=owner, intervention_id=demo_id, unnamed_member="Unnamed")
        )
    ) as z:
        people_csv = z.read("people.csv").decode("utf-8-sig")
    named = state.members[owner.account_id].name or "Unnamed"
    assert exchange.FIRST_MEMBER not in people_csv
    assert owner.account_id not in people_csv
    assert f",{named}," in people_csv
