"""Whose map it is: the pages speak to whoever the map is for; the engine is the same."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

import pytest
from django.test import Client

from allymap.chart import Position, default_chart
from allymap.domain import GapKind, Perspective, Role
from allymap.domain.values import Step
from allymap.services import accounts, follow, interventions, positions, roles, team
from allymap.services.people import Details, person_add
from allymap.web.own_words import (
    gap_words_for,
    role_hint_for,
    role_label_for,
    row_words_for,
    step_hint_for,
)
from allymap.web.selfcheck_words import self_rows_for
from allymap.web.words import PERSPECTIVE_LABELS, PERSPECTIVE_WORDS
from tests.web.every_page import every_page
from tests.web.pages import id_from, text_of

HARMED = "Mere"
"""The person harmed's alias where the words name them (the person doing harm is Rua)."""
START = {"danger": "no", "code_name": "Spring tide", "doing_harm_alias": "Rua", "harmed_alias": ""}


def _start(client: Client, perspective: str | None) -> str:
    body = START if perspective is None else START | {"perspective": perspective}
    response = client.post("/interventions/new/", body)
    assert response.status_code == 302, text_of(response)
    return id_from(response.headers["Location"], r"^/i/([^/]+)/$")


def _words(perspective: Perspective, key: str) -> str:
    return str(PERSPECTIVE_WORDS[perspective][key]) % {"doing_harm": "Rua", "harmed": HARMED}


def test_every_perspective_words_every_key_and_is_offered_at_the_start(
    owner_client: Client,
) -> None:
    keys = set(PERSPECTIVE_WORDS[Perspective.TEAM])
    assert {p: set(words) for p, words in PERSPECTIVE_WORDS.items()} == dict.fromkeys(
        Perspective, keys
    )
    page = html.unescape(text_of(owner_client.get("/interventions/new/")))
    for perspective in Perspective:
        assert str(PERSPECTIVE_LABELS[perspective]) in page
        assert f'value="{perspective.value}"' in page


@pytest.mark.parametrize("perspective", list(Perspective), ids=lambda p: p.value)
def test_the_pages_follow_the_perspective(
    owner_client: Client, owner: accounts.Unlocked, perspective: Perspective
) -> None:
    intervention_id = _start(owner_client, perspective.value)
    state = interventions.intervention_open(keyring=owner.keyring, intervention_id=intervention_id)
    assert state.perspective is perspective
    person_id = person_add(
        keyring=owner.keyring,
        intervention_id=intervention_id,
        details=Details(alias="Huia", relationship="aunty", relationship_harmed="neighbour"),
    )
    others = [p for p in Perspective if p is not perspective]
    pages = {
        "about": f"/i/{intervention_id}/",
        "people": f"/i/{intervention_id}/",
        "question": f"/i/{intervention_id}/brainstorm/",
        "brainstorm": f"/i/{intervention_id}/brainstorm/",
        "reflect": f"/i/{intervention_id}/people/{person_id}/reflect/",
        "connected_doing_harm": f"/i/{intervention_id}/people/new/",
        "connected_harmed": f"/i/{intervention_id}/people/{person_id}/change/",
        "close_to": f"/i/{intervention_id}/people/{person_id}/change/",
    }
    pages |= {
        "connection_doing_harm": f"/i/{intervention_id}/people/{person_id}/",
        "connection_harmed": f"/i/{intervention_id}/people/{person_id}/",
    }
    for key, url in pages.items():
        page = html.unescape(text_of(owner_client.get(url)))
        assert _words(perspective, key) in page, (key, url)
        own = {_words(perspective, k) for k in PERSPECTIVE_WORDS[perspective]}
        for other in others:
            if _words(other, key) not in own:
                assert _words(other, key) not in page, (key, url, other)


def test_a_start_without_a_choice_is_a_teams_map(
    owner_client: Client, owner: accounts.Unlocked
) -> None:
    intervention_id = _start(owner_client, None)
    state = interventions.intervention_open(keyring=owner.keyring, intervention_id=intervention_id)
    assert state.perspective is Perspective.TEAM


def test_a_perspective_that_is_not_one_is_refused_and_nothing_starts(
    owner_client: Client,
) -> None:
    response = owner_client.post("/interventions/new/", START | {"perspective": "boss"})
    assert response.status_code == 200
    assert "Please choose one of the answers offered." in html.unescape(text_of(response))


# --- every page of an intervention, on each perspective --------------------------------
FORBIDDEN: dict[Perspective, tuple[str, ...]] = {
    # A team's map never speaks as if it were someone's own.
    Perspective.TEAM: ("the person you harmed", "the person who harmed you", "you harmed"),
    # The person doing harm's own map speaks to them: never of them, or of "the person
    # harmed" as if a team were speaking; never as the person harmed's own map.
    Perspective.OWN_ACCOUNTABILITY: (
        "person doing harm",
        "the person harmed",
        "the person who harmed you",
        "support for you",
    ),
    # The person harmed's own map speaks to them: "the person who harmed you".
    Perspective.OWN_SUPPORT: ("person doing harm", "the person harmed", "the person you harmed"),
}
"""Phrases no page of an intervention may say on a map of that perspective."""

ABSENT: dict[tuple[Perspective, str], str] = {
    (Perspective.OWN_ACCOUNTABILITY, f"role label {Role.SUPPORT_HARMED}"): "not offered there",
    (Perspective.OWN_ACCOUNTABILITY, f"role hint {Role.SUPPORT_HARMED}"): "not offered there",
    (Perspective.OWN_ACCOUNTABILITY, f"gap {GapKind.ROLES_MIXED}"): "its role is not offered",
}
"""Words a team's page shows that a perspective's page rightly lacks, with the reason:
the person doing harm's own map offers nobody the role "support for the person harmed"
(services/roles.py `_offered`), so nothing on it can be about that role."""

MUST_CHANGE = {
    "intervention",
    "intervention_change",
    "intervention_destroy",
    "brainstorm",
    "roles",
    "staircase",
    "timeline",
    "self_check",
    "person_add",
    "person",
    "reflect",
    "person_change",
    "person_remove",
}
"""The pages that word something differently on each perspective (given the walk's data):
each must be found doing so, so the check cannot pass by finding nothing to check."""


FAILED = "did not answer 200:"
CLEAR = 4
"""Words this long are another perspective's when they show; shorter ones ("You") can be
on any page for other reasons."""


def _without(page: str, words: Iterable[str]) -> str:
    """The page without these words, longest first: what else it says."""
    for said in sorted(set(words), key=len, reverse=True):
        page = page.replace(said, "\x00")
    return page


def _shown(
    page: str, variants: dict[str, dict[Perspective, str]], perspective: Perspective
) -> dict[str, dict[Perspective, str]]:
    """The variants whose words for `perspective` the page shows in their own right, not
    only inside longer words of another variant ("The person doing harm" inside a row)."""
    shown = {}
    for label, words in sorted(variants.items(), key=lambda item: -len(item[1][perspective])):
        if words[perspective] in page:
            shown[label] = words
            page = page.replace(words[perspective], "\x00")
    return shown


def _evidence(words: str) -> str:
    """What must show on a page for words with placeholders: their longest fixed part."""
    return max(re.split(r"%\(\w+\)s", words), key=len).strip()


def _variants() -> dict[str, dict[Perspective, str]]:
    """Everything that is worded per perspective, each as what a page shows of it."""
    chart = default_chart()
    found: dict[str, dict[Perspective, str]] = {}

    def each(name: str, word: Callable[[Perspective], object]) -> None:
        found[name] = {p: _evidence(str(word(p))) for p in Perspective}

    for key in PERSPECTIVE_WORDS[Perspective.TEAM]:
        each(
            f"says {key}",
            lambda p, key=key: (
                str(PERSPECTIVE_WORDS[p][key]) % {"doing_harm": "Rua", "harmed": HARMED}
            ),
        )
    for role in Role:
        each(f"role label {role}", lambda p, role=role: role_label_for(role, p))
        each(f"role hint {role}", lambda p, role=role: role_hint_for(role, p))
    for kind in GapKind:
        each(f"gap {kind}", lambda p, kind=kind: gap_words_for(kind, p, about_you=False))
    for step in Step:
        each(f"step hint {step}", lambda p, step=step: step_hint_for(step, p))
    for row in chart.rows:
        each(f"row {row.key} ally", lambda p, row=row: row_words_for(row, p).ally)
        each(f"row {row.key} other", lambda p, row=row: row_words_for(row, p).in_the_way)
        for n in range(len(row.questions)):
            each(
                f"row {row.key} question {n}",
                lambda p, r=row, n=n: row_words_for(r, p).questions[n],
            )
        for part in ("question", "ally", "in_the_way"):
            each(
                f"self-check {row.key} {part}",
                lambda p, row=row, part=part: getattr(self_rows_for(p.value)[row.key], part),
            )
    return {name: words for name, words in found.items() if len(set(words.values())) > 1}


def _walk(client: Client, owner: accounts.Unlocked, perspective: Perspective) -> dict[str, str]:
    """An intervention of this perspective with something on every page (people, roles,
    differences, a check-in, a move since it, a staircase note), and every page of it
    that answers GET, by URL name, as text."""
    body = START | {"perspective": perspective.value, "harmed_alias": HARMED}
    iid = id_from(client.post("/interventions/new/", body).headers["Location"], r"^/i/([^/]+)/$")
    ids: dict[str, Any] = {"keyring": owner.keyring, "intervention_id": iid}
    huia = person_add(
        **ids,
        details=Details(
            alias="Huia", relationship="aunty", relationship_harmed="neighbour", consent="asked"
        ),
    )
    tama = person_add(**ids, details=Details(alias="Tama", relationship="coach"))
    aroha = team.member_add(**ids, name="Aroha")
    roles.role_assign(**ids, role=Role.ACCOUNTABILITY_ALLY.value, holder=f"person:{huia}")
    roles.role_assign(**ids, role=Role.LOGISTICS.value, holder=f"person:{tama}")
    if perspective is not Perspective.OWN_ACCOUNTABILITY:
        roles.role_assign(**ids, role=Role.SUPPORT_HARMED.value, holder=f"person:{huia}")
    positions.positions_record(
        **ids,
        person_id=huia,
        positions={
            "respected": (Position.ALLY, "they talk most weeks"),
            "sees_the_person": (Position.IN_THE_WAY, "still very angry"),
        },
    )
    positions.positions_record(
        **ids, person_id=huia, member_id=aroha, positions={"sees_the_person": (Position.ALLY, "")}
    )
    positions.positions_record(**ids, person_id=tama, positions={"respected": (Position.ALLY, "")})
    follow.check_in_add(**ids, on=date(2026, 3, 2), happened="A first hui.", revisit=[tama])
    positions.positions_record(
        **ids, person_id=tama, positions={"respected": (Position.IN_THE_WAY, "")}
    )
    follow.staircase_note(
        **ids, step=Step.RECOGNISE_CONSEQUENCES, on=date(2026, 3, 9), text="Said sorry to whānau."
    )
    pages: dict[str, str] = {}
    client.raise_request_exception = False  # a failing page is named at the end
    for page in every_page(strict=True):
        if page.shows and page.of_an_intervention and not page.ends_session:
            url = page.url(intervention_id=iid, person_id=huia)
            response = client.get(url)
            pages[page.name] = html.unescape(text_of(response))
            if response.status_code != 200:
                pages[page.name] = f"{FAILED} {response.status_code}"
    return pages


def test_every_page_of_an_intervention_speaks_to_whoever_the_map_is_for(
    owner_client: Client, owner: accounts.Unlocked
) -> None:
    """Each perspective's words are on every page that words something differently, never
    another perspective's, and the own maps never speak of their owner in the third person.
    The pages are the generated list of every page, so a page added later is walked too."""
    walked = {p: _walk(owner_client, owner, p) for p in Perspective}
    variants = _variants()
    changed: set[str] = set()
    for name, team_page in walked[Perspective.TEAM].items():
        for label, words in _shown(team_page, variants, Perspective.TEAM).items():
            changed.add(name)
            for perspective in Perspective:
                if (perspective, label) not in ABSENT:
                    said = walked[perspective][name]
                    assert words[perspective] in said, (name, label, perspective)
    for perspective, pages in walked.items():
        for name, page in pages.items():
            lowered = page.casefold()
            for phrase in FORBIDDEN[perspective]:
                assert phrase.casefold() not in lowered, (perspective, name, phrase)
            rest = _without(page, (words[perspective] for words in variants.values()))
            for label, words in variants.items():
                for other, said in words.items():
                    if said != words[perspective] and len(said.split()) >= CLEAR:
                        assert said not in rest, (perspective, name, label, other)
    assert changed >= MUST_CHANGE, MUST_CHANGE - changed
    failed = {(p, name, page) for p in walked for name, page in walked[p].items() if FAILED in page}
    assert not failed, failed
