"""The gaps panel on the overview: each gap in plain words, naming whom it is about and
the rows it concerns, linking to where it can be resolved, and gone once it is; set aside
with a note (and shown again) through `gaps`, and back by itself when its cause changes."""

from __future__ import annotations

import dataclasses
import html
import re
from datetime import date

import pytest
from django.test import Client

from allymap.chart import Position
from allymap.domain import CHECK_IN_MAX, GapKind, Role
from allymap.services import accounts, follow, people, positions, roles, team
from allymap.web.templatetags.allymap_roles import GAPS_PER_KIND
from allymap.web.words import GAP_LINKS, GAP_WORDS, GAP_WORDS_YOU, ROLE_HINTS, ROLE_LABELS
from tests.web.conftest import PERSON_ALIAS, Started
from tests.web.pages import stored_log, text_of

ALLY_NOT_SUPPORTED = (
    f"{PERSON_ALIAS} is an accountability ally with nobody supporting them yet (row 6: "
    "allies get rejected and targeted too)."
)


def _overview(started: Started) -> str:
    return f"/i/{started.intervention_id}/"


def _gaps_url(started: Started) -> str:
    return f"/i/{started.intervention_id}/gaps/"


def _roles_url(started: Started) -> str:
    return f"/i/{started.intervention_id}/roles/"


def _panel(page: str) -> str:
    start = page.index('<section class="panel gp-panel" id="gaps"')
    return page[start : page.index("</section>", start)]


def _shown(page: str) -> dict[str, str]:
    """The gaps the panel shows (not those set aside): each kind and its HTML."""
    panel = _panel(page).split('<details class="gp-aside"')[0]
    found: dict[str, str] = {}
    for part in panel.split('<li class="gp-gap gp-')[1:]:
        kind, _, rest = part.partition('"')
        found[kind] = html.unescape(rest)
    return found


def _aside(page: str) -> str:
    parts = _panel(page).split('<details class="gp-aside"')
    return html.unescape(parts[1]) if len(parts) > 1 else ""


def _ids(owner: accounts.Unlocked, started: Started) -> dict[str, object]:
    return {"keyring": owner.keyring, "intervention_id": started.intervention_id}


def _consent(owner: accounts.Unlocked, started: Started, consent: str) -> None:
    ids = _ids(owner, started)
    now = people.person_details(**ids, person_id=started.person_id)
    people.person_change(
        **ids,
        person_id=started.person_id,
        details=dataclasses.replace(now.details, consent=consent),
    )


def _person(started: Started) -> str:
    return f"person:{started.person_id}"


def test_a_new_intervention_shows_its_first_gaps_linked_to_the_roles_page(
    owner_client: Client, intervention: Started
) -> None:
    page = text_of(owner_client.get(_overview(intervention)))
    shown = _shown(page)
    assert list(shown) == ["no_ally", "nobody_in_touch"]
    assert "Nobody has agreed to be an accountability ally yet." in shown["no_ally"]
    assert (
        f'href="{_roles_url(intervention)}?give=accountability_ally#role-accountability_ally"'
        in shown["no_ally"]
    )
    assert "Nobody is keeping the team in touch yet" in shown["nobody_in_touch"]
    assert "(row 10:" in shown["nobody_in_touch"]
    assert (
        f'href="{_roles_url(intervention)}?give=facilitator&give=coordinator'
        f'#role-facilitator"' in shown["nobody_in_touch"]
    )
    # The panel sits above the people on the map.
    assert page.index('id="gaps"') < page.index(PERSON_ALIAS)


def test_the_panel_shows_and_links_every_kind_and_empties_as_each_is_resolved(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    ids = _ids(owner, intervention)
    iid, pid = intervention.intervention_id, intervention.person_id
    hemi = team.member_add(**ids, name="Hemi")
    roles.role_assign(**ids, role="accountability_ally", holder=_person(intervention))
    roles.role_assign(**ids, role="support_harmed", holder=_person(intervention))
    roles.role_limit_set(**ids, limit=1)
    record = {**ids, "person_id": pid}
    positions.positions_record(**record, positions={"respected": (Position.ALLY, "")})
    positions.positions_record(**record, positions={"communicates": (Position.ALLY, "")})
    positions.positions_record(
        **record, member_id=hemi, positions={"communicates": (Position.IN_THE_WAY, "")}
    )
    follow.check_in_add(**ids, on=date(2026, 3, 1), happened="A first hui.")
    positions.positions_record(**record, positions={"respected": (Position.MIXED, "")})

    shown = _shown(text_of(owner_client.get(_overview(intervention))))
    assert list(shown) == [
        "no_ally",
        "ally_without_support",
        "ally_not_agreed",
        "roles_mixed",
        "too_many_roles",
        "unknown_rows",
        "differences",
        "nobody_in_touch",
        "moved_away",
    ]
    roles_url = _roles_url(intervention)
    person_url = f"/i/{iid}/people/{pid}/"
    expected = {
        "ally_without_support": (ALLY_NOT_SUPPORTED, f"{roles_url}#ally-person-{pid}"),
        "ally_not_agreed": (
            f"{PERSON_ALIAS} is down as an accountability ally, and asking them stands at: "
            "Just an idea.",
            f"{person_url}change/",
        ),
        "roles_mixed": (
            f"{PERSON_ALIAS} is both supporting the person harmed and an accountability ally.",
            f"{roles_url}#role-support_harmed",
        ),
        "too_many_roles": (
            f"{PERSON_ALIAS} holds 2 roles, more than the 1 the team set for one person.",
            f"{roles_url}#checklist",
        ),
        "unknown_rows": (
            f"Nobody on the team knows yet about these rows for {PERSON_ALIAS}",
            f"{person_url}reflect/",
        ),
        "differences": (
            f"Team members see {PERSON_ALIAS} differently on these rows",
            f"{person_url}#talk",
        ),
        "moved_away": (
            f"Since the last check-in, the team’s answers about {PERSON_ALIAS} moved towards",
            f"{person_url}#history",
        ),
    }
    for kind, (words, link) in expected.items():
        assert words in shown[kind], (kind, shown[kind])
        assert f'href="{link}"' in shown[kind], (kind, shown[kind])
    assert "they might still help the intervention in other ways" in shown["moved_away"]
    # The rows each concerns, by their topics.
    assert "<li>1. " in shown["moved_away"] and "<li>4. " not in shown["moved_away"]
    assert "<li>4. " in shown["differences"] and "<li>1. " not in shown["differences"]
    assert "<li>1. " not in shown["unknown_rows"] and "<li>10. " in shown["unknown_rows"]

    def after(post: tuple[str, dict[str, str]] | None = None) -> list[str]:
        if post is not None:
            response = owner_client.post(*post)
            assert response.status_code == 302, text_of(response)
        return list(_shown(text_of(owner_client.get(_overview(intervention)))))

    gone = after(
        (roles_url, {"action": "assign", "role": "facilitator", "holder": f"member:{hemi}"})
    )
    assert "nobody_in_touch" not in gone and "ally_without_support" in gone
    support = {"action": "support", "ally": _person(intervention), "supporter": f"member:{hemi}"}
    gone = after((roles_url, support))
    assert "ally_without_support" not in gone
    _consent(owner, intervention, "agreed")
    gone = after()
    assert "no_ally" not in gone and "ally_not_agreed" not in gone
    take_back = {"action": "unassign", "role": "support_harmed", "holder": _person(intervention)}
    gone = after((roles_url, take_back))
    assert "roles_mixed" not in gone and "too_many_roles" not in gone
    answers = {
        row: (Position.LEANS_ALLY, "")
        for row in (
            *("sees_the_person", "sees_the_harm", "gives_space", "own_support"),
            *("care_without_excuses", "supports_change", "different_with_others"),
            "team_communication",
        )
    }
    positions.positions_record(**record, positions=answers)
    gone = after()
    assert "unknown_rows" not in gone
    gone = after((f"{person_url}talked/", {"row": "communicates", "note": ""}))
    assert gone == ["moved_away"]
    follow.check_in_add(**ids, on=date(2026, 3, 8), wins="Hemi rang Auntie.")
    page = text_of(owner_client.get(_overview(intervention)))
    assert _shown(page) == {}
    assert "No gaps the team has not seen." in _panel(page)


def test_a_gap_set_aside_with_a_note_is_listed_apart_and_can_be_shown_again(
    owner_client: Client, intervention: Started
) -> None:
    before = stored_log(intervention.intervention_id)
    note = "We know; leaving it for now."
    response = owner_client.post(
        _gaps_url(intervention), {"action": "set_aside", "gap": "no_ally", "note": note}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"{_overview(intervention)}#gaps"
    assert len(stored_log(intervention.intervention_id)) == len(before) + 1
    page = text_of(owner_client.get(_overview(intervention)))
    assert list(_shown(page)) == ["nobody_in_touch"]
    aside = _aside(page)
    assert "1 gap set aside" in aside
    assert "Nobody has agreed to be an accountability ally yet." in aside
    assert f"“{note}”" in aside
    assert "Show it again" in aside

    response = owner_client.post(_gaps_url(intervention), {"action": "reopen", "gap": "no_ally"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"{_overview(intervention)}#gaps"
    page = text_of(owner_client.get(_overview(intervention)))
    assert list(_shown(page)) == ["no_ally", "nobody_in_touch"]
    assert _aside(page) == ""


def test_the_panel_says_so_when_every_gap_is_set_aside(
    owner_client: Client, intervention: Started
) -> None:
    for gap in ("no_ally", "nobody_in_touch"):
        owner_client.post(_gaps_url(intervention), {"action": "set_aside", "gap": gap})
    page = text_of(owner_client.get(_overview(intervention)))
    assert _shown(page) == {}
    assert "No gaps the team has not seen." in _panel(page)
    assert "2 gaps set aside" in _aside(page)


def test_a_gap_set_aside_comes_back_when_its_cause_changes(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    ids = _ids(owner, intervention)
    you = f"member:{owner.keyring.account_id}"
    roles.role_limit_set(**ids, limit=1)
    for role in ("coordinator", "note_keeper"):
        roles.role_assign(**ids, role=role, holder=you)
    page = text_of(owner_client.get(_overview(intervention)))
    assert (
        "You hold 2 roles, more than the 1 the team set for one person."
        in _shown(page)["too_many_roles"]
    )
    response = owner_client.post(
        _gaps_url(intervention),
        {"action": "set_aside", "gap": f"too_many_roles:{you}", "note": "Just for a month."},
    )
    assert response.status_code == 302
    page = text_of(owner_client.get(_overview(intervention)))
    assert "too_many_roles" not in _shown(page)
    assert "“Just for a month.”" in _aside(page)
    # A third role: what it stood on has changed, so it is shown again by itself.
    owner_client.post(
        _roles_url(intervention), {"action": "assign", "role": "logistics", "holder": you}
    )
    page = text_of(owner_client.get(_overview(intervention)))
    assert "You hold 3 roles, more than the 1" in _shown(page)["too_many_roles"]
    assert "Just for a month." not in _panel(page)


def test_an_ally_set_aside_as_not_agreed_comes_back_when_asking_them_moves_on(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    roles.role_assign(
        **_ids(owner, intervention), role="accountability_ally", holder=_person(intervention)
    )
    gap = f"ally_not_agreed:{_person(intervention)}"
    owner_client.post(_gaps_url(intervention), {"action": "set_aside", "gap": gap})
    assert "ally_not_agreed" not in _shown(text_of(owner_client.get(_overview(intervention))))
    _consent(owner, intervention, "asked")
    shown = _shown(text_of(owner_client.get(_overview(intervention))))
    assert "asking them stands at: Asked, waiting to hear." in shown["ally_not_agreed"]


def test_it_refuses_a_note_too_long_beside_the_gap_keeping_what_was_typed(
    owner_client: Client, intervention: Started
) -> None:
    before = stored_log(intervention.intervention_id)
    note = "n" * (CHECK_IN_MAX + 1)
    response = owner_client.post(
        _gaps_url(intervention), {"action": "set_aside", "gap": "nobody_in_touch", "note": note}
    )
    assert response.status_code == 200
    shown = _shown(text_of(response))
    gap = shown["nobody_in_touch"]
    assert '<details class="gp-set-aside" open>' in gap
    assert re.search(
        r'<p class="error" id="gap-refused-note-error"><span>'
        rf"There is room for up to {CHECK_IN_MAX} characters",
        gap,
    ), gap
    assert 'aria-describedby="gap-refused-note_helptext gap-refused-note-error"' in gap
    # The panel's summary leads to it.
    summary = _panel(text_of(response)).split('<ul class="gp-list">')[0]
    assert '<a href="#gap-refused-note">There is room for up to' in summary
    assert f'value="{note}"' in gap
    # The other gap's form is as fresh as ever.
    assert "open>" not in shown["no_ally"] and 'class="error"' not in shown["no_ally"]
    assert "Ensure this value" not in text_of(response)
    assert stored_log(intervention.intervention_id) == before


def test_many_gaps_of_one_kind_fold_behind_a_link_and_a_refused_one_comes_back(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    """A big map can have a gap of one kind for nearly everyone on it: the panel lists the
    first GAPS_PER_KIND of each kind and links to all of them, each with the same number and
    form whether folded or not; a refused post about a folded gap comes back beside it."""
    ids = _ids(owner, intervention)
    hemi = team.member_add(**ids, name="Hemi")
    added = [people.person_add(**ids, details=people.Details(alias=f"P{n}")) for n in range(4)]
    for pid in [intervention.person_id, *added]:
        record = {**ids, "person_id": pid}
        positions.positions_record(**record, positions={"respected": (Position.ALLY, "")})
        positions.positions_record(
            **record, member_id=hemi, positions={"respected": (Position.IN_THE_WAY, "")}
        )

    def differences(page: str) -> list[str]:
        panel = _panel(page).split('<details class="gp-aside"')[0]
        return re.findall(r'<li class="gp-gap gp-differences" id="(gap-\d+)"', panel)

    folded = text_of(owner_client.get(_overview(intervention)))
    everything = text_of(owner_client.get(_overview(intervention) + "?gaps=all"))
    assert len(differences(folded)) == GAPS_PER_KIND
    assert len(differences(everything)) == 5
    assert differences(everything)[:GAPS_PER_KIND] == differences(folded)
    # The other kinds are still listed while these are folded.
    assert "no_ally" in _shown(folded) and "nobody_in_touch" in _shown(folded)
    more = f'<a href="{_overview(intervention)}?gaps=all#gaps">Show all '
    assert more in _panel(folded)
    assert "(2 more like the ones above)" in _panel(folded)
    assert more not in _panel(everything)
    assert f'<a href="{_overview(intervention)}#gaps">' in _panel(everything)

    last = _panel(everything).split('<li class="gp-gap gp-differences"')[-1]
    key = re.search(r'name="gap" value="([^"]+)"', last)
    assert key is not None and key.group(1) not in _panel(folded)
    note = "n" * (CHECK_IN_MAX + 1)
    refused = text_of(
        owner_client.post(
            _gaps_url(intervention), {"action": "set_aside", "gap": key.group(1), "note": note}
        )
    )
    assert len(differences(refused)) == 5
    back = _panel(refused).split('<li class="gp-gap gp-differences"')[-1]
    assert '<details class="gp-set-aside" open>' in back and f'value="{note}"' in back

    # Set aside, they fold the same way.
    keys = re.findall(r'name="gap" value="(differences:[^"]+)"', _panel(everything))
    assert len(keys) == 5
    for gap in keys:
        owner_client.post(_gaps_url(intervention), {"action": "set_aside", "gap": gap})
    folded = text_of(owner_client.get(_overview(intervention)))
    everything = text_of(owner_client.get(_overview(intervention) + "?gaps=all"))
    assert _aside(folded).count('value="reopen"') == GAPS_PER_KIND
    assert "5 gaps set aside" in _aside(folded) and "Show all 5 set aside" in _aside(folded)
    assert _aside(everything).count('value="reopen"') == 5
    assert '<details class="gp-aside" open>' in _panel(everything)


def test_it_says_so_when_the_gap_went_before_it_was_set_aside(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    roles.role_assign(
        **_ids(owner, intervention),
        role="coordinator",
        holder=f"member:{owner.keyring.account_id}",
    )
    before = stored_log(intervention.intervention_id)
    response = owner_client.post(
        _gaps_url(intervention), {"action": "set_aside", "gap": "nobody_in_touch", "note": "x"}
    )
    assert response.status_code == 200
    panel = _panel(text_of(response))
    assert "<li>This gap has gone since the page was shown" in panel
    assert "Nothing was set aside.</li>" in panel
    assert stored_log(intervention.intervention_id) == before


@pytest.mark.parametrize(
    "body",
    [{"action": "hide", "gap": "no_ally"}, {"action": "set_aside"}, {}],
    ids=["unknown action", "no gap", "nothing"],
)
def test_it_refuses_a_malformed_post_in_its_own_words(
    owner_client: Client, intervention: Started, body: dict[str, str]
) -> None:
    before = stored_log(intervention.intervention_id)
    response = owner_client.post(_gaps_url(intervention), body)
    assert response.status_code == 200
    panel = _panel(text_of(response))
    assert re.search(r'<div class="error-summary" role="alert".*?<li>Please ', panel, re.S), panel
    assert "This field is required" not in panel and "Select a valid choice" not in panel
    assert stored_log(intervention.intervention_id) == before


def test_it_only_takes_posts(owner_client: Client, intervention: Started) -> None:
    assert owner_client.get(_gaps_url(intervention)).status_code == 405


def test_a_name_in_a_gap_is_shown_as_text(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    ids = _ids(owner, intervention)
    named = people.person_add(**ids, details=people.Details(alias="<b>Kev</b>"))
    roles.role_assign(**ids, role="accountability_ally", holder=f"person:{named}")
    page = text_of(owner_client.get(_overview(intervention)))
    assert "<b>Kev</b>" not in page
    assert "&lt;b&gt;Kev&lt;/b&gt; is an accountability ally with nobody supporting" in page


def test_every_kind_of_gap_and_every_role_has_its_words() -> None:
    assert set(GAP_WORDS) == set(GAP_LINKS) == set(GapKind)
    assert set(GAP_WORDS_YOU) <= set(GapKind)
    assert set(ROLE_LABELS) == set(ROLE_HINTS) == set(Role)
    for words in [*GAP_WORDS.values(), *GAP_WORDS_YOU.values(), *ROLE_HINTS.values()]:
        text = str(words)
        if "get in the way" in text:
            assert "other ways" in text, text
        assert not re.search(r"\b(abuser|perpetrator|victim)s?\b", text, re.I), text
