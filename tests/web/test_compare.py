"""The side-by-side chart: people as columns in the order chosen, marks and words in each
cell, the order changed only by the team, and a frame of its own to scroll in."""

from __future__ import annotations

import html
import re

from django.test import Client

from allymap.chart import Position, default_chart
from allymap.services import accounts, people, positions, team
from allymap.services.people import Details
from allymap.web.words import POSITION_LABELS, POSITION_MARKS
from tests.web.conftest import PERSON_ALIAS, Started
from tests.web.pages import text_of

ROWS = default_chart().rows


def _url(started: Started, *ids: str) -> str:
    query = "&".join(f"p={pid}" for pid in ids)
    return f"/i/{started.intervention_id}/compare/" + (f"?{query}" if query else "")


def _headers(page: str) -> list[str]:
    """The people's column headers, in order."""
    head = page.split("<thead>", 1)[1].split("</thead>", 1)[0]
    return [html.unescape(alias) for alias in re.findall(r'/people/[^/]+/">([^<]+)</a>', head)]


def _two_more(owner: accounts.Unlocked, started: Started) -> tuple[str, str]:
    ids = {"keyring": owner.keyring, "intervention_id": started.intervention_id}
    ana = people.person_add(**ids, details=Details(alias="Ana"))
    ben = people.person_add(**ids, details=Details(alias="Ben"))
    return ana, ben


def test_with_nobody_chosen_it_says_so_and_offers_everyone(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    _two_more(owner, intervention)
    response = owner_client.get(_url(intervention))
    assert response.status_code == 200
    page = text_of(response)
    assert "Nobody chosen yet" in page and "<table" not in page
    assert re.findall(r'type="checkbox" name="p" value="[^"]+"> ([^<\n]+)', page) == [
        PERSON_ALIAS,
        "Ana",
        "Ben",
    ]
    assert 'method="get"' in page


def test_the_columns_keep_the_order_chosen_and_link_to_each_person(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    ana, ben = _two_more(owner, intervention)
    # Ben has every row on the ally side, Ana none: the columns stay as chosen.
    positions.positions_record(
        keyring=owner.keyring,
        intervention_id=intervention.intervention_id,
        person_id=ben,
        positions={row.key: (Position.ALLY, "") for row in ROWS},
    )
    page = text_of(owner_client.get(_url(intervention, ana, intervention.person_id, ben)))
    assert _headers(page) == ["Ana", PERSON_ALIAS, "Ben"]
    for pid in (ana, ben, intervention.person_id):
        assert f'href="/i/{intervention.intervention_id}/people/{pid}/"' in page
    # The form lists the chosen first, in their order, ticked; choosing more adds at the end.
    ticked = re.findall(r'name="p" value="([^"]+)" checked', page)
    assert ticked == [ana, intervention.person_id, ben]
    # Every row is a row, under its topic, kept in view as the table scrolls.
    for row in ROWS:
        assert re.search(rf'<th scope="row" class="topic">.*{re.escape(row.topic)}</th>', page)
    assert re.search(
        r'class="table-frame scroll-shade" tabindex="0" role="region" aria-labelledby="[^"]+"', page
    )


def test_move_links_rewrite_the_order_one_place_at_a_time(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    ana, ben = _two_more(owner, intervention)
    me = intervention.person_id
    page = text_of(owner_client.get(_url(intervention, ana, me, ben)))
    links = [html.unescape(href) for href in re.findall(r'<a href="([^"]*compare/[^"]*)"', page)]
    base = f"/i/{intervention.intervention_id}/compare/"
    assert f"{base}?p={me}&p={ana}&p={ben}#chart" in links  # the middle one, moved left
    assert f"{base}?p={ana}&p={ben}&p={me}#chart" in links  # ... or moved right
    assert f"{base}?p={me}&p={ben}#chart" in links  # Ana taken out
    # The first column cannot move left, the last cannot move right.
    assert page.count("← Move left") == 2 and page.count("Move right →") == 2
    moved = text_of(owner_client.get(f"{base}?p={me}&p={ana}&p={ben}"))
    assert _headers(moved) == [PERSON_ALIAS, "Ana", "Ben"]


def test_each_cell_shows_each_members_answer_as_a_mark_and_a_word(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    ids = {"keyring": owner.keyring, "intervention_id": intervention.intervention_id}
    aroha = team.member_add(**ids, name="Aroha")
    me = intervention.person_id
    positions.positions_record(**ids, person_id=me, positions={"respected": (Position.ALLY, "")})
    positions.positions_record(
        **ids,
        person_id=me,
        positions={"respected": (Position.LEANS_IN_THE_WAY, "")},
        member_id=aroha,
    )
    page = text_of(owner_client.get(_url(intervention, me)))
    body = html.unescape(page.split("<tbody>", 1)[1].split("</tbody>", 1)[0])
    # What the screen shows: a print-only name (for "You" on paper) is not on it.
    body = re.sub(r'<span class="print-only[^"]*">[^<]*</span>', "", body)
    body = re.sub(r'<span class="screen-only">([^<]*)</span>', r"\1", body)
    first, second = re.findall(r"<tr>.*?</tr>", body, re.DOTALL)[:2]
    for position, who in ((Position.ALLY, "You"), (Position.LEANS_IN_THE_WAY, "Aroha")):
        assert (
            f'<span class="mark" aria-hidden="true">{POSITION_MARKS[position]}</span> '
            f'{POSITION_LABELS[position]} <span class="who">({who})'
        ) in first
    assert second.count(str(POSITION_LABELS[Position.UNKNOWN])) == 2
    # The legend names every mark.
    legend = html.unescape(page.split('class="legend"', 1)[1])
    for position in Position:
        assert f"{POSITION_MARKS[position]}</span> {POSITION_LABELS[position]}" in legend


def test_it_leaves_out_who_it_cannot_show_and_says_so(
    owner_client: Client, intervention: Started
) -> None:
    page = text_of(owner_client.get(_url(intervention, "no-such-person", intervention.person_id)))
    assert _headers(page) == [PERSON_ALIAS]
    assert "1 person asked for is not shown" in page
    assert "asked for" not in text_of(owner_client.get(_url(intervention, intervention.person_id)))
