"""The property that proves it: nothing a person types is ever stored in plaintext.

A real server is driven through the whole flow over plain HTTP, with a distinctive canary
string in every text field: passphrases (including a wrong one and the new one chosen on
recovery), the code name, both aliases, two people, a relationship, evidence on every row,
a revised answer, a self-check kept sealed and one only shown, the first person's alias
and relationship changed, a third person then forgotten, and a second intervention then
destroyed (its code name typed to confirm;
tests/canary/test_erasure_at_rest.py proves that forgetting and destroying leave nothing
behind). The flow is checked to have worked (every canary that should be shown back is
shown back), so the test cannot pass by storing nothing. And it is checked to have typed a
canary into every text field of every form in `allymap.web.forms` (found by walking the
module, not listed), so a new form or field the walk misses fails it.

Then the server is stopped and every byte it left behind is searched for every canary in
many shapes (see tests/canary/scan.py): the data folder (SQLite database with its -wal and
-shm, the secret key), the server's log, every file in its TMPDIR and, on PostgreSQL, a
`pg_dump` of its database. The recovery key, shown once, is a canary too.

The last tests check the scanner itself, so a broken scanner cannot make this pass.
"""

from __future__ import annotations

import base64
import os
import re
import secrets
import time
import zlib
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from django import forms

from allymap.chart import default_chart
from allymap.web import forms as allymap_forms
from tests.canary.client import FormClient, Page
from tests.canary.fields import forms_in, text_fields, untyped
from tests.canary.scan import Canary, files_under, scan, scan_files, scan_named
from tests.server import RunningServer, fresh_postgres_database, pg_dump, running_server
from tests.web.every_page import every_page

# The position the walk gives each row of the chart, with a canary as its evidence. Some
# rows stay "don't know yet" (their evidence shows on the reflect page, and the person's
# page asks questions about them).
_CYCLE = ("ally", "unknown", "leans_ally", "mixed", "in_the_way", "leans_in_the_way")
ANSWERS = {row.key: _CYCLE[n % len(_CYCLE)] for n, row in enumerate(default_chart().rows)}
KNOWN = [row for row, position in ANSWERS.items() if position != "unknown"]
UNKNOWN = [row for row, position in ANSWERS.items() if position == "unknown"]

# Which URL takes each form of allymap.web.forms: the walk must post each one, with a
# canary in every text field (tests/canary/fields.py checks it).
FORM_AT: dict[str, type[forms.BaseForm]] = {
    "setup": allymap_forms.NewPassphraseForm,
    "unlock": allymap_forms.PassphraseForm,
    "recover": allymap_forms.RecoverForm,
    "intervention_start": allymap_forms.StartForm,
    "person_add": allymap_forms.PersonForm,
    "person_change": allymap_forms.PersonChangeForm,
    "reflect": allymap_forms.ReflectForm,
    "person_forget": allymap_forms.ForgetForm,
    "intervention_destroy": allymap_forms.DestroyForm,
    "team": allymap_forms.MemberForm,
    "brainstorm": allymap_forms.BrainstormForm,
    "intervention_change": allymap_forms.InterventionChangeForm,
    "talked_through": allymap_forms.TalkedThroughForm,
    "roles": allymap_forms.RoleForm,
    "gaps": allymap_forms.GapForm,
    "self_check": allymap_forms.SelfCheckForm,
    "check_ins": allymap_forms.CheckInForm,
    "staircase": allymap_forms.StaircaseForm,
    "export": allymap_forms.ExportForm,
    "import": allymap_forms.ImportForm,
}
# Fields that deliberately carry no canary, and why.
NOT_CANARIES = {
    ("StartForm", "danger"): "a yes/no radio: nothing typed",
    ("StartForm", "perspective"): "a choice of whose map it is: nothing typed",
    ("ReflectForm", "position-*"): "a choice among the chart's positions: nothing typed",
    ("ReflectForm", "shown-*"): "a hidden seq of the answer the page showed: nothing typed",
    ("ReflectForm", "member"): "a hidden team member id the page sets: nothing typed",
    ("ForgetForm", "understood"): "a tick box: nothing typed",
    ("StartForm", "once"): "a hidden random token the page sets: nothing typed",
    ("PersonForm", "once"): "a hidden random token the page sets: nothing typed",
    ("PersonForm", "closeness"): "a choice among closeness radios: nothing typed",
    ("PersonForm", "consent"): "a choice among consent radios: nothing typed",
    ("PersonForm", "reporting"): "a choice among reporting radios: nothing typed",
    ("PersonForm", "asker"): "a choice among the team (a select): nothing typed",
    ("PersonChangeForm", "closeness"): "a choice among closeness radios: nothing typed",
    ("PersonChangeForm", "consent"): "a choice among consent radios: nothing typed",
    ("PersonChangeForm", "reporting"): "a choice among reporting radios: nothing typed",
    ("PersonChangeForm", "asker"): "a choice among the team (a select): nothing typed",
    ("MemberForm", "action"): "a hidden field the page sets (add, rename, remove)",
    ("MemberForm", "member"): "a hidden member id the page sets: nothing typed",
    ("MemberForm", "confirm"): "the confirmation button's value: nothing typed",
    ("MemberForm", "once"): "a hidden random token the page sets: nothing typed",
    ("BrainstormForm", "once"): "a hidden random token the page sets: nothing typed",
    ("TalkedThroughForm", "row"): "a hidden field naming a row of the chart: nothing typed",
    ("TalkedThroughForm", "member"): "a choice among the team: nothing typed",
    ("RoleForm", "action"): "a hidden field the page sets (assign, name, support...)",
    ("RoleForm", "role"): "a hidden role id the page sets: nothing typed",
    ("RoleForm", "holder"): "a choice among the map and the team (a select): nothing typed",
    ("RoleForm", "limit"): "a number input (1 to 12): nothing typed but digits",
    ("RoleForm", "ally"): "a hidden holder key the page sets: nothing typed",
    ("RoleForm", "supporter"): "a choice among the map and the team (a select): nothing typed",
    ("RoleForm", "support"): "a hidden support id the page sets: nothing typed",
    ("RoleForm", "once"): "a hidden random token the page sets: nothing typed",
    ("GapForm", "action"): "a hidden field the page sets (set aside, show again)",
    ("GapForm", "gap"): "a hidden gap key the page sets: nothing typed",
    ("SelfCheckForm", "position-*"): "a choice among the six answers: nothing typed",
    ("SelfCheckForm", "keep"): "the button pressed (keep it sealed, or just show me)",
    ("SelfCheckForm", "action"): "the button pressed to open a kept one: nothing typed",
    ("CheckInForm", "on"): "a date (a date picker): nothing free typed",
    ("CheckInForm", "revisit"): "tick boxes of people on the map: nothing typed",
    ("CheckInForm", "once"): "a hidden random token the page sets: nothing typed",
    ("StaircaseForm", "step"): "a choice among the staircase's steps: nothing typed",
    ("StaircaseForm", "on"): "a date (a date picker): nothing free typed",
    ("StaircaseForm", "once"): "a hidden random token the page sets: nothing typed",
    ("ExportForm", "kind"): "a choice among encrypted, JSON and CSV: nothing typed",
    ("ImportForm", "file"): "a file upload (an encrypted export): nothing typed",
    ("ImportForm", "once"): "a hidden random token the page sets: nothing typed",
}
# What building a form needs: the reflect form is built against the default chart.
FORM_ARGUMENTS = {"chart": default_chart(), "answers": {}, "alias": "x", "code_name": "x"}
# URLs that take a POST but no form of allymap.web.forms, and why.
FORMLESS_POSTS = {
    "lock": "a button: nothing typed",
    "keepalive": "sent by the page's script while someone types: nothing typed",
    "exit": "a button (also a link): nothing typed",
    "safety": "the disguise switch, a tick box: nothing typed",
    "intervention_records": "buttons that settle a reported record: nothing typed",
    "person_remove": "the button that takes a person off the map: nothing typed",
}


def _canary(name: str, shape: str) -> Canary:
    """A canary from `shape`, where {t} becomes a fresh random token."""
    token = secrets.token_hex(6)
    return Canary(name, shape.format(t=token), token)


def make_canaries() -> dict[str, Canary]:
    shapes = {
        "passphrase": "CANARY-passphrase-{t}-kōwhai tūī",
        "wrong_passphrase": "CANARY-wrong-passphrase-{t}",
        "new_passphrase": "CANARY-new-passphrase-{t}-pōhutukawa",
        "code_name": "CANARY-codename-{t}",
        "doing_harm_alias": "canary-ālias-harm-{t}",
        "harmed_alias": "canary-ālias-harmed-{t}",
        "person_alias": "canary-person-ālias-{t}",
        "relationship": "canary-kaumātua-whānau-{t}",
        "second_person_alias": "canary-second-person-{t}",
        "changed_alias": "canary-changed-ālias-{t}",
        "changed_relationship": "canary-changed-whanaunga-{t}",
        "relationship_harmed": "canary-harmed-whanaunga-{t}",
        "offers": "canary-offers-{t} a spare room and kai",
        "other_ways": "canary-other-ways-{t} drives the tamariki to kura",
        "changed_relationship_harmed": "canary-changed-harmed-whanaunga-{t}",
        "changed_offers": "canary-changed-offers-{t}",
        "changed_other_ways": "canary-changed-other-ways-{t}",
        "member_name": "canary-member-name-{t}",
        "member_renamed": "canary-member-renamed-{t}",
        "brainstorm_alias_1": "canary-brainstorm-ālias-one-{t}",
        "brainstorm_alias_2": "canary-brainstorm-ālias-two-{t}",
        "renamed_code_name": "CANARY-renamed-codename-{t}",
        "renamed_doing_harm_alias": "canary-renamed-ālias-harm-{t}",
        "renamed_harmed_alias": "canary-renamed-ālias-harmed-{t}",
        "evidence_revised": "canary-evidence-revised-{t} he said so at the hui",
        "talked_note": "canary-talked-note-{t} we heard each other at the hui",
        "role_name": "canary-role-name-{t} kai for hui",
        "supporter_name": "canary-supporter-{t} whaea",
        "gap_note": "canary-gap-note-{t} we know, leaving it for now",
        "check_in_happened": "canary-check-in-happened-{t} we met at the marae",
        "check_in_wins": "canary-check-in-wins-{t} he came on time",
        "check_in_worries": "canary-check-in-worries-{t} his brother is angry",
        "staircase_text": "canary-staircase-{t} he named what he did",
        "export_passphrase": "CANARY-export-passphrase-{t}-kākā",
        "forgotten_alias": "canary-forgotten-ālias-{t}",
        "forgotten_relationship": "canary-forgotten-whanaunga-{t}",
        "destroyed_code_name": "CANARY-destroyed-codename-{t}",
        "destroyed_alias": "canary-destroyed-ālias-{t}",
    }
    shapes |= {f"evidence_{row}": f"canary-evidence-{row}-{{t}} seen it myself" for row in ANSWERS}
    shapes |= {f"self_check_{row}": f"canary-self-check-{row}-{{t}} I notice" for row in ANSWERS}
    shapes["self_check_shown"] = "canary-self-check-shown-{t} only shown, never kept"
    return {name: _canary(name, shape) for name, shape in shapes.items()}


def recovery_canary(shown: str) -> Canary:
    """The recovery key as shown, undashed, and as the raw bytes it encodes."""
    plain = shown.replace("-", "")
    raw = base64.b32decode(plain + "=" * (-len(plain) % 8))
    return Canary("recovery_key", plain, plain[:16], extra=(shown.encode("ascii"), raw))


# --- the flow ---------------------------------------------------------------------------


def reflect_fields(evidence: dict[str, str], shown_on: Page | None = None) -> dict[str, str]:
    """The reflect form's answers; with `shown_on` (the form page), also what that page
    showed (its hidden seqs and member), as a browser posts it back."""
    fields: dict[str, str] = {}
    if shown_on is not None:
        hidden = r'type="hidden" name="(shown-\w+|member)" value="([^"]*)"'
        fields |= dict(re.findall(hidden, shown_on.text))
    for row, position in ANSWERS.items():
        fields[f"position-{row}"] = position
        fields[f"evidence-{row}"] = evidence.get(row, "")
    return fields


def _expect(page: Page, path_pattern: str, *texts: str) -> re.Match[str]:
    match = re.fullmatch(path_pattern, page.path)
    assert match, f"expected {path_pattern}, got {page.path} ({page.status}):\n{page.text[:3000]}"
    for text in texts:
        assert text in page, f"{text!r} is not on {page.path}"
    return match


@dataclass(frozen=True)
class Walk:
    recovery: Canary
    """The recovery key shown, as a canary."""
    intervention_id: str
    posted: list[tuple[str, dict[str, str]]]
    """Every form the walk posted: path and fields."""


def walk_the_whole_flow(server: RunningServer, canaries: dict[str, Canary]) -> Walk:
    """Type a canary into every field and check each is shown back."""
    c = {name: canary.text for name, canary in canaries.items()}
    client = FormClient(server.url)

    # First run: choose a passphrase, get the recovery key.
    _expect(client.get("/"), r"/setup/")
    page = client.post("/setup/", {"passphrase": c["passphrase"], "confirm": c["passphrase"]})
    match = re.search(r'id="recovery-key">([^<]+)<', page.text)
    assert page.status == 200 and match, page.text[:3000]
    shown_key = match.group(1).strip()
    recovery = recovery_canary(shown_key)

    # Start an intervention: first say someone may be in danger, then that all are safe.
    start = client.get("/interventions/new/")
    answers = {
        "code_name": c["code_name"],
        "doing_harm_alias": c["doing_harm_alias"],
        "harmed_alias": c["harmed_alias"],
    }
    safety = client.post("/interventions/new/", {"danger": "yes", **answers}, token_from=start)
    _expect(safety, r"/interventions/new/", "Safety comes before planning")
    page = client.post("/interventions/new/", {"danger": "no", **answers}, token_from=safety)
    intervention = _expect(
        page, r"/i/([^/]+)/", c["code_name"], c["doing_harm_alias"], c["harmed_alias"]
    ).group(1)

    # Add a person and reflect on them, then change one answer.
    # The team first, so that someone can be chosen to ask the person: add, then rename.
    page = client.post(f"/i/{intervention}/team/", {"action": "add", "name": c["member_name"]})
    _expect(page, rf"/i/{intervention}/team/", c["member_name"])
    match = re.search(rf'id="member-([^"]+)">\s*<strong>{re.escape(c["member_name"])}<', page.text)
    assert match, page.text[:3000]
    member = match.group(1)
    renamed = {"action": "rename", "member": member, "name": c["member_renamed"]}
    page = client.post(f"/i/{intervention}/team/", renamed, token_from=page)
    _expect(page, rf"/i/{intervention}/team/", c["member_renamed"])
    assert c["member_name"] not in page

    # Add a person with every detail: the page goes to them, not into the ten rows.
    page = client.post(
        f"/i/{intervention}/people/new/",
        {
            "alias": c["person_alias"],
            "relationship": c["relationship"],
            "relationship_harmed": c["relationship_harmed"],
            "closeness": "between",
            "offers": c["offers"],
            "other_ways": c["other_ways"],
            "consent": "to_ask",
            "asker": member,
            "reporting": "may_have_to",
        },
    )
    person_page = rf"/i/{intervention}/people/(?!new/)([^/]+)/"
    person = _expect(page, person_page, c["person_alias"]).group(1)
    page = client.get(f"/i/{intervention}/people/{person}/reflect/")
    evidence = {row: c[f"evidence_{row}"] for row in ANSWERS}
    page = client.post(page.path, reflect_fields(evidence), token_from=page)
    _expect(page, rf"/i/{intervention}/people/{person}/", *(evidence[row] for row in KNOWN))
    assert "Questions to find out" in page
    reflect_path = f"/i/{intervention}/people/{person}/reflect/"
    form_page = client.get(reflect_path)
    _expect(form_page, reflect_path, *(evidence[row] for row in UNKNOWN))
    revised = evidence | {"respected": c["evidence_revised"]}
    page = client.post(reflect_path, reflect_fields(revised, form_page), token_from=form_page)
    _expect(page, rf"/i/{intervention}/people/{person}/", c["evidence_revised"])

    page = client.post(f"/i/{intervention}/people/new/", {"alias": c["second_person_alias"]})
    _expect(page, rf"/i/{intervention}/people/(?!new/)[^/]+/", c["second_person_alias"])

    # Brainstorm two more at once: the page comes back saying who was added.
    aliases = f"{c['brainstorm_alias_1']}\n\n{c['brainstorm_alias_2']}\n"
    page = client.post(f"/i/{intervention}/brainstorm/", {"aliases": aliases})
    _expect(
        page, rf"/i/{intervention}/brainstorm/", c["brainstorm_alias_1"], c["brainstorm_alias_2"]
    )
    assert "2 people added to the map" in page

    # Lock; a wrong passphrase fails, the right one opens.
    page = client.post("/lock/", {}, token_from=page)
    _expect(page, r"/unlock/", "allymap is locked.")
    locked = client.get(f"/i/{intervention}/")
    _expect(locked, r"/unlock/")
    assert c["code_name"] not in locked
    page = client.post("/unlock/", {"passphrase": c["wrong_passphrase"]}, token_from=locked)
    _expect(page, r"/unlock/", "did not unlock")
    page = client.post(
        "/unlock/", {"passphrase": c["passphrase"], "next": f"/i/{intervention}/"}, token_from=page
    )
    _expect(page, rf"/i/{intervention}/", c["code_name"], c["person_alias"], c["relationship"])

    # Lock again, recover with the recovery key and a new passphrase, and use that.
    page = client.post("/lock/", {}, token_from=page)
    page = client.post(
        "/recover/",
        {
            "recovery_key": shown_key,
            "passphrase": c["new_passphrase"],
            "confirm": c["new_passphrase"],
        },
    )
    _expect(page, r"/interventions/", c["code_name"])
    page = client.post("/lock/", {}, token_from=page)
    page = client.post("/unlock/", {"passphrase": c["new_passphrase"]}, token_from=page)
    _expect(page, r"/interventions/", c["code_name"])

    # Change the first person's alias and relationship: the form shows what they are now.
    change_path = f"/i/{intervention}/people/{person}/change/"
    page = client.get(change_path)
    details = ("relationship_harmed", "offers", "other_ways")
    _expect(page, change_path, c["person_alias"], c["relationship"], *(c[n] for n in details))
    changed = {"alias": c["changed_alias"], "relationship": c["changed_relationship"]}
    more = {name: c[f"changed_{name}"] for name in details}
    choices = {"closeness": "close", "consent": "asked", "asker": member, "reporting": "no"}
    page = client.post(change_path, changed | more | choices, token_from=page)
    _expect(page, rf"/i/{intervention}/people/{person}/", *changed.values())
    assert c["person_alias"] not in page
    _expect(client.get(change_path), change_path, *more.values())

    # Everything that should come back does, decrypted, while the server runs.
    page = client.get(f"/i/{intervention}/")
    shown = [*(c[n] for n in answers), c["second_person_alias"], *changed.values()]
    _expect(page, rf"/i/{intervention}/", *shown)
    page = client.get(f"/i/{intervention}/people/{person}/")
    shown = [*changed.values(), c["evidence_revised"]]
    shown += [c[f"evidence_{row}"] for row in KNOWN if row != "respected"]
    _expect(page, rf"/i/{intervention}/people/{person}/", *shown)
    unknown = [c[f"evidence_{row}"] for row in UNKNOWN if row != "respected"]
    _expect(client.get(reflect_path), reflect_path, *unknown)

    # Mark a row talked through, with a note: the person's history shows it.
    person_path = f"/i/{intervention}/people/{person}/"
    page = client.post(
        f"{person_path}talked/",
        {"row": "respected", "note": c["talked_note"]},
        token_from=client.get(person_path),
    )
    _expect(page, person_path, c["talked_note"], "Marked as talked through")

    # A check-in (with someone to revisit) and a staircase note; the timeline shows both.
    path = f"/i/{intervention}/check-ins/"
    said = {name: c[f"check_in_{name}"] for name in ("happened", "wins", "worries")}
    check_in = {"on": "2025-03-14", "revisit": person, **said}
    page = client.post(path, check_in, token_from=client.get(path))
    _expect(page, path, *said.values())
    path = f"/i/{intervention}/staircase/"
    stair = {"step": "recognise_violence", "on": "2025-03-15", "text": c["staircase_text"]}
    page = client.post(path, stair, token_from=client.get(path))
    _expect(page, path, c["staircase_text"], "Where things stand now")
    path = f"/i/{intervention}/timeline/"
    _expect(client.get(path), path, c["staircase_text"], *said.values())

    # A self-check, kept sealed (words in every row), then one only shown: never stored.
    path = f"/i/{intervention}/self-check/"
    noticed = {f"evidence-{row}": c[f"self_check_{row}"] for row in ANSWERS}
    mine = {f"position-{row}": position for row, position in ANSWERS.items()} | noticed
    page = client.post(path, {**mine, "keep": "keep"}, token_from=client.get(path))
    _expect(page, path, "This account keeps a sealed self-check")
    # Kept answers open only with the account's passphrase, typed again.
    opening = {"action": "open", "passphrase": c["new_passphrase"]}
    page = client.post(path, opening, token_from=page)
    _expect(page, path, "Your self-check, kept sealed", *noticed.values())
    shown = mine | {"evidence-respected": c["self_check_shown"], "keep": "show"}
    page = client.post(path, shown, token_from=page)
    _expect(page, path, "Nothing was saved.", c["self_check_shown"])
    page = client.post(path, opening, token_from=client.get(path))
    _expect(page, path, *noticed.values())
    assert c["self_check_shown"] not in page

    # Roles: name one of the team's own, make the first person an ally supported by
    # someone outside the map and the team, and set a gap aside with a note.
    roles_path = f"/i/{intervention}/roles/"
    named = {"action": "name", "name": c["role_name"]}
    page = client.post(roles_path, named, token_from=client.get(roles_path))
    _expect(page, roles_path, c["role_name"])
    ally = {"action": "assign", "role": "accountability_ally", "holder": f"person:{person}"}
    page = client.post(roles_path, ally, token_from=page)
    support = {
        "action": "support",
        "ally": f"person:{person}",
        "supporter": "outside",
        "supporter_name": c["supporter_name"],
    }
    page = client.post(roles_path, support, token_from=page)
    _expect(page, roles_path, c["supporter_name"])
    aside = {"action": "set_aside", "gap": "nobody_in_touch", "note": c["gap_note"]}
    page = client.post(f"/i/{intervention}/gaps/", aside, token_from=page)
    _expect(page, rf"/i/{intervention}/", c["gap_note"])

    # Export the intervention, encrypted (the self-check is kept out), and import the file
    # as a new intervention: its passphrase is never stored, its upload never on disk.
    path = f"/i/{intervention}/export/"
    sealing = {
        "kind": "encrypted",
        "export_passphrase": c["export_passphrase"],
        "export_confirm": c["export_passphrase"],
    }
    exported = client.download(path, sealing, token_from=client.get(path))
    assert c["code_name"].encode() not in exported
    opening = {"export_passphrase": c["export_passphrase"]}
    page = client.upload(
        "/interventions/import/", opening, {"file": exported},
        token_from=client.get("/interventions/import/"),
    )  # fmt: skip
    _expect(page, r"/i/([^/]+)/", c["code_name"], c["second_person_alias"])

    # Forget a third person, and destroy a second intervention by typing its code name.
    page = client.post(
        f"/i/{intervention}/people/new/",
        {"alias": c["forgotten_alias"], "relationship": c["forgotten_relationship"]},
    )
    forgotten = _expect(page, rf"/i/{intervention}/people/(?!new/)([^/]+)/").group(1)
    page = client.post(f"/i/{intervention}/people/{forgotten}/forget/", {"understood": "on"})
    _expect(page, rf"/i/{intervention}/", c["second_person_alias"])
    assert c["forgotten_alias"] not in page
    doomed = {"code_name": c["destroyed_code_name"], "doing_harm_alias": c["destroyed_alias"]}
    page = client.post("/interventions/new/", {"danger": "no", "harmed_alias": "", **doomed})
    destroyed = _expect(page, r"/i/([^/]+)/", c["destroyed_code_name"]).group(1)
    page = client.post(f"/i/{destroyed}/destroy/", {"code_name": c["destroyed_code_name"]})
    _expect(page, r"/interventions/", c["code_name"])
    assert c["destroyed_code_name"] not in page

    # Rename the intervention and both aliases: the overview shows the new names.
    change_path = f"/i/{intervention}/change/"
    page = client.get(change_path)
    _expect(page, change_path, c["code_name"], c["doing_harm_alias"], c["harmed_alias"])
    renamed_names = {
        "code_name": c["renamed_code_name"],
        "doing_harm_alias": c["renamed_doing_harm_alias"],
        "harmed_alias": c["renamed_harmed_alias"],
    }
    page = client.post(change_path, renamed_names, token_from=page)
    _expect(page, rf"/i/{intervention}/", *renamed_names.values())
    assert c["code_name"] not in page

    # Quick exit locks and leaves.
    _expect(client.get("/exit/"), r"/away/")
    _expect(client.get(f"/i/{intervention}/"), r"/unlock/")
    return Walk(recovery, intervention, client.posted)


def untyped_fields(posted: list[tuple[str, dict[str, str]]], canaries: list[Canary]) -> list[str]:
    """Every text field of every form of allymap.web.forms the walk typed no canary into."""
    return untyped(
        posted,
        canaries,
        found=forms_in(allymap_forms, FORM_ARGUMENTS),
        form_at=FORM_AT,
        not_canaries=NOT_CANARIES,
    )


# --- where the bytes are ----------------------------------------------------------------


def _event_rows(dump: bytes) -> int:
    """How many rows the dump's COPY block for the event table holds."""
    _, found, rest = dump.partition(b"COPY public.store_event ")
    assert found, "the dump has no event table"
    return rest.split(b"\n\\.\n", 1)[0].count(b"\n")


@contextmanager
def database(kind: str) -> Iterator[dict[str, str]]:
    if kind == "sqlite":
        yield {}
        return
    base_url = os.environ.get("DATABASE_URL", "")
    if not base_url:
        pytest.skip("DATABASE_URL is not set: the PostgreSQL canary run needs a server")
    with fresh_postgres_database(base_url, prefix="allymap_canary") as url:
        yield {"DATABASE_URL": url}


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_nothing_typed_is_stored_in_plaintext(kind: str, tmp_path: Path) -> None:
    canaries = make_canaries()
    with ExitStack() as stack:
        env = stack.enter_context(database(kind))
        server = stack.enter_context(running_server(tmp_path / "data", env))
        started = time.monotonic()
        walk = walk_the_whole_flow(server, canaries)
        server.stop()
        dump = pg_dump(env["DATABASE_URL"]) if "DATABASE_URL" in env else None
        flow_seconds = time.monotonic() - started

    all_canaries = [*canaries.values(), walk.recovery]
    # The walk typed a canary into every field a person can type into.
    missed = untyped_fields(walk.posted, all_canaries)
    assert not missed, "\n".join(missed)
    # The server's working folder holds its data folder, log and TMPDIR, and anything else
    # it may have written to a relative path.
    for folder in (server.data_dir, server.tmp_dir, server.log_path):
        assert folder.is_relative_to(server.work_dir), folder
    files = files_under(server.work_dir)
    names = {p.name for p in files}
    assert "secret_key" in names and "server.log" in names, names
    blobs = {str(p): p.read_bytes() for p in files}
    if dump is not None:
        blobs["pg_dump of the database"] = dump
        assert _event_rows(dump) >= 5, "the dump holds (almost) no events"
    else:
        assert "allymap.sqlite3" in names, names
        assert sum(map(len, blobs.values())) > 50_000, "suspiciously little was stored"
    # Positive control: the intervention's id is plaintext metadata by design, so a scan of
    # the right bytes must find it. If it does not, we are looking in the wrong place.
    control = Canary("intervention id", walk.intervention_id, walk.intervention_id)
    assert scan_named(blobs, [control]), "the scan did not even find the intervention's id"

    findings = scan_named(blobs, all_canaries)
    assert not findings, (
        f"plaintext at rest after the {kind} flow ({flow_seconds:.1f} s):\n"
        + "\n".join(map(str, findings))
    )


# --- the walk types into every field ------------------------------------------------


def _path(url_name: str) -> str:
    (page,) = [page for page in every_page() if page.name == url_name]
    return page.url(intervention_id="an-intervention", person_id="a-person")


def _complete_walk(canary: Canary) -> list[tuple[str, dict[str, str]]]:
    """A made-up walk that posts every form of FORM_AT once, a canary in each text field."""
    found = forms_in(allymap_forms, FORM_ARGUMENTS)
    posted = []
    for url_name, cls in FORM_AT.items():
        form = found[cls]
        texts = text_fields(form)
        posted.append(
            (_path(url_name), {name: canary.text if name in texts else "x" for name in form.fields})
        )
    return posted


def test_it_finds_every_form_and_each_text_field() -> None:
    found = forms_in(allymap_forms, FORM_ARGUMENTS)
    assert set(FORM_AT.values()) <= set(found)
    reflect = found[allymap_forms.ReflectForm]
    assert text_fields(reflect) == {f"evidence-{row.key}" for row in default_chart().rows}
    assert text_fields(found[allymap_forms.StartForm]) == {
        "code_name",
        "doing_harm_alias",
        "harmed_alias",
    }
    assert text_fields(found[allymap_forms.RecoverForm]) == {
        "recovery_key",
        "passphrase",
        "confirm",
    }


def test_the_walk_knows_every_url_that_takes_a_post() -> None:
    takes_posts = {page.name for page in every_page() if page.takes_posts}
    known = set(FORM_AT) | set(FORMLESS_POSTS)
    assert takes_posts == known, (
        f"URLs that take a POST but are in neither FORM_AT nor FORMLESS_POSTS: "
        f"{sorted(takes_posts - known)}; named there but gone: {sorted(known - takes_posts)}"
    )


def test_the_field_check_passes_a_complete_walk() -> None:
    probe = _probe()
    assert untyped_fields(_complete_walk(probe), [probe]) == []


def test_the_field_check_names_a_field_the_walk_leaves_empty() -> None:
    probe = _probe()
    posted = _complete_walk(probe)
    for _where, fields in posted:
        fields.pop("relationship", None)
        if "evidence-gives_space" in fields:
            fields["evidence-gives_space"] = "typed, but no canary"
    assert untyped_fields(posted, [probe]) == [
        "PersonChangeForm.relationship: the canary walk never types a canary into it",
        "PersonForm.relationship: the canary walk never types a canary into it",
        "ReflectForm.evidence-gives_space: the canary walk never types a canary into it",
        "SelfCheckForm.evidence-gives_space: the canary walk never types a canary into it",
    ]


def test_the_field_check_names_a_form_the_walk_never_posts() -> None:
    probe = _probe()
    posted = [(path, fields) for path, fields in _complete_walk(probe) if "/forget/" not in path]
    assert untyped_fields(posted, [probe]) == [
        "FORM_AT says URL 'person_forget' takes ForgetForm, but the walk never posts it"
    ]


def test_the_field_check_names_a_new_field_and_a_new_form(monkeypatch: pytest.MonkeyPatch) -> None:
    probe = _probe()
    posted = _complete_walk(probe)
    monkeypatch.setitem(allymap_forms.PersonForm.base_fields, "nickname", forms.CharField())
    monkeypatch.setitem(
        allymap_forms.PersonForm.base_fields, "close", forms.BooleanField(required=False)
    )
    note_form = type(
        "NoteForm",
        (forms.Form,),
        {"__module__": allymap_forms.__name__, "note": forms.CharField(widget=forms.Textarea)},
    )
    monkeypatch.setattr(allymap_forms, "NoteForm", note_form, raising=False)
    assert sorted(untyped_fields(posted, [probe])) == [
        "NoteForm is a form the canary walk never posts: say in FORM_AT which URL takes it, "
        "and type a canary into each of its text fields",
        "PersonForm.close takes no free text: name it in NOT_CANARIES with the reason it "
        "carries no canary",
        "PersonForm.nickname: the canary walk never types a canary into it",
    ]


# --- the scanner finds what it should ---------------------------------------------------


def _probe() -> Canary:
    return _canary("probe", "CANARY-probe-ālias-{t}")


@pytest.mark.parametrize(
    "shape",
    [
        "utf-8",
        "utf-16-le",
        "lowercased",
        "uppercased",
        "token only",
        "percent-encoded",
        "django session (base64url of zlib)",
        "pg bytea hex",
    ],
)
def test_the_scanner_finds_a_canary_written_in_plaintext(shape: str, tmp_path: Path) -> None:
    probe = _probe()
    text = probe.text
    written = {
        "utf-8": text.encode(),
        "utf-16-le": text.encode("utf-16-le"),
        "lowercased": text.lower().encode(),
        "uppercased": text.upper().encode(),
        "token only": f"…{probe.token}…".encode(),
        "percent-encoded": f"POST alias={text}".replace("ā", "%C4%81").encode(),
        "django session (base64url of zlib)": b"."
        + base64.urlsafe_b64encode(zlib.compress(('{"form":"' + text + '"}').encode()))
        + b":1uXyZ:sig",
        "pg bytea hex": b"COPY t (c) FROM stdin;\n\\\\x" + text.encode().hex().encode() + b"\n",
    }[shape]
    path = tmp_path / "at-rest.bin"
    path.write_bytes(os.urandom(4096) + written + os.urandom(4096))
    other = _canary("other", "CANARY-other-{t}")
    findings = scan_files(files_under(tmp_path), [probe, other])
    assert {f.canary for f in findings} == {"probe"}, findings
    assert findings[0].where == str(path)


def test_the_scanner_finds_nothing_in_random_bytes() -> None:
    assert scan("noise", os.urandom(1 << 20), [_probe()]) == []


def test_the_scanner_finds_raw_recovery_key_bytes() -> None:
    raw = os.urandom(32)
    plain = base64.b32encode(raw).decode().rstrip("=")
    canary = recovery_canary("-".join(plain[i : i + 4] for i in range(0, len(plain), 4)))
    assert canary.extra[-1] == raw
    assert scan("db", os.urandom(100) + raw + os.urandom(100), [canary])
    assert scan("db", b"key=" + plain.lower().encode(), [canary])
