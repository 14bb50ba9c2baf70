"""The ring map page, the screen for the hui and a person's row strip, through the web.

Every SVG the pages carry is checked as SVG (tests/pictures/valid_svg.py). The screen for
the hui is checked with distinctive aliases planted: with numbers or initials, none of
them (nor the person doing harm's or the person harmed's) is anywhere in its HTML.
"""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from django.test import Client

from allymap.chart import Position
from allymap.services import accounts, follow, people, positions, roles, team
from tests.pictures.valid_svg import parse_svg, svgs_in, texts_of
from tests.web.conftest import DOING_HARM_ALIAS, HARMED_ALIAS, PERSON_ALIAS, RELATIONSHIP, Started
from tests.web.pages import text_of

PLANTED = ["Philomena Quarrington", "Bartholomew Xylander", "Ngaio Featherstonehaugh"]
HOSTILE = "</svg><script>x"


@pytest.fixture
def mapped(owner_unlocked: accounts.Unlocked, intervention: Started) -> list[str]:
    """Three more people on the standing intervention's map, reflected on, roles aside."""
    ids = {"keyring": owner_unlocked.keyring, "intervention_id": intervention.intervention_id}
    added = [
        people.person_add(
            **ids,  # type: ignore[arg-type]
            details=people.Details(alias=alias, closeness=closeness, consent=consent),
        )
        for alias, closeness, consent in zip(
            PLANTED, ["close", "between", "further"], ["agreed", "asked", "to_ask"], strict=True
        )
    ]
    positions.positions_record(
        **ids,  # type: ignore[arg-type]
        person_id=added[0],
        positions={"respected": (Position.ALLY, "we trust Philomena Quarrington")},
    )
    positions.positions_record(
        **ids,  # type: ignore[arg-type]
        person_id=added[1],
        positions={"respected": (Position.IN_THE_WAY, ""), "communicates": (Position.MIXED, "")},
    )
    # A role the team named in its own words, which here name someone.
    named = roles.role_name(**ids, name=f"Drives {PLANTED[2]} to hui")  # type: ignore[arg-type]
    roles.role_assign(**ids, role=named, holder=f"person:{added[0]}")  # type: ignore[arg-type]
    roles.role_assign(**ids, role="logistics", holder=f"person:{added[0]}")  # type: ignore[arg-type]
    return added


def _base(intervention: Started) -> str:
    return f"/i/{intervention.intervention_id}"


def _names() -> list[str]:
    return [*PLANTED, PERSON_ALIAS, DOING_HARM_ALIAS, HARMED_ALIAS, RELATIONSHIP]


def _fragments(name: str) -> list[str]:
    """The name, each word of it longer than three letters, and their escaped forms."""
    words = [name, *[w for w in re.split(r"\W+", name) if len(w) > 3]]
    return sorted({f for w in words for f in (w.lower(), html.escape(w).lower())})


def test_the_map_page_draws_everyone_and_says_it_in_a_table(
    owner_client: Client, intervention: Started, mapped: list[str]
) -> None:
    page = text_of(owner_client.get(f"{_base(intervention)}/map/"))
    [svg, *swatches] = svgs_in(page)
    root = parse_svg(svg)
    labels = texts_of(root)
    for alias in [PERSON_ALIAS, *PLANTED]:
        assert alias in labels or f"{alias[:21]}…" in labels  # a long one is cut
    assert " ".join(labels[:2]) == DOING_HARM_ALIAS  # at the centre, on two lines
    for swatch in swatches:
        parse_svg(swatch)
    table = page.split('<table class="map-table">', 1)[1].split("</table>", 1)[0]
    # Ring by ring: close, in between, further out, then not sure.
    order = [table.index(f">{alias}</a>") for alias in [*PLANTED, PERSON_ALIAS]]
    assert order == sorted(order)
    # One known answer of ten: mostly not known yet, never "leans towards" anything.
    assert "Mostly not known yet" in table
    assert "lean towards" not in table
    assert (
        "10 answers (1 team member × 10 rows): 1 on the ally side, 0 some of both, 0 on the "
        "might-get-in-the-way side, 9 don’t know yet; nobody knows yet on 9 of 10 rows"
    ) in table
    assert "Agreed to help" in table
    assert f"Drives {PLANTED[2]} to hui" in table  # the team's own name for its role
    assert f'href="{_base(intervention)}/people/{mapped[0]}/"' in table


def test_the_overview_links_to_the_map_and_the_screen(
    owner_client: Client, intervention: Started
) -> None:
    page = text_of(owner_client.get(f"{_base(intervention)}/"))
    assert f'href="{_base(intervention)}/map/"' in page
    assert f'href="{_base(intervention)}/hui/"' in page


def test_an_alias_with_markup_stays_text(
    owner_client: Client, owner_unlocked: accounts.Unlocked, intervention: Started
) -> None:
    people.person_add(
        keyring=owner_unlocked.keyring,
        intervention_id=intervention.intervention_id,
        details=people.Details(alias=HOSTILE),
    )
    for url in ("map/", "hui/?names=aliases"):
        page = text_of(owner_client.get(f"{_base(intervention)}/{url}"))
        assert HOSTILE not in page
        assert "<script>x" not in page
        assert "&lt;/svg&gt;&lt;script&gt;x" in page
        for svg in svgs_in(page):
            parse_svg(svg)


@pytest.mark.parametrize("query", ["", "?names=numbers", "?names=initials", "?names=whatever"])
def test_the_hui_screen_shows_no_alias_with_numbers_or_initials(
    owner_client: Client, intervention: Started, mapped: list[str], query: str
) -> None:
    chosen = "&".join(f"p={pid}" for pid in [*mapped, intervention.person_id])
    url = f"{_base(intervention)}/hui/{query}{'&' if query else '?'}{chosen}"
    page = text_of(owner_client.get(url)).lower()
    for name in _names():
        for fragment in _fragments(name):
            assert fragment not in page, (url, fragment)
    assert "a role the team named" in page  # its own words might name someone
    # What is shown instead: the map, the side-by-side chart and the chart.
    assert 'class="compare hui-compare"' in page
    assert 'class="hui-chart"' in page
    for svg in svgs_in(text_of(owner_client.get(url))):
        parse_svg(svg)


def test_the_hui_screen_names_people_as_asked(
    owner_client: Client, intervention: Started, mapped: list[str]
) -> None:
    base = f"{_base(intervention)}/hui/"
    numbers = text_of(owner_client.get(f"{base}?p={mapped[0]}"))
    assert {"1", "2", "3", "4"} <= set(texts_of(parse_svg(svgs_in(numbers)[0])))
    initials = text_of(owner_client.get(f"{base}?names=initials&p={mapped[0]}"))
    assert {"PQ", "BX", "NF"} <= set(texts_of(parse_svg(svgs_in(initials)[0])))
    aliases = text_of(owner_client.get(f"{base}?names=aliases&p={mapped[0]}"))
    for alias in [*PLANTED, PERSON_ALIAS]:
        assert alias in aliases  # so the absence above is not an accident
    # The switch keeps who is chosen, and says which way is on.
    for choice in ("numbers", "initials", "aliases"):
        assert f'href="{base}?names={choice}&amp;p={mapped[0]}"' in numbers
    assert re.search(r'names=numbers[^"]*" aria-current="true"', numbers)
    assert re.search(r'names=initials[^"]*" aria-current="true"', initials)


def test_a_persons_page_has_their_row_strip_once_someone_reflected(
    owner_client: Client,
    owner_unlocked: accounts.Unlocked,
    intervention: Started,
) -> None:
    url = f"{_base(intervention)}/people/{intervention.person_id}/"
    assert "The ten rows at a glance" not in text_of(owner_client.get(url))
    ids = {"keyring": owner_unlocked.keyring, "intervention_id": intervention.intervention_id}
    positions.positions_record(
        **ids,  # type: ignore[arg-type]
        person_id=intervention.person_id,
        positions={"respected": (Position.ALLY, "")},
    )
    follow.check_in_add(**ids, on=date(2025, 5, 2), happened="hui")  # type: ignore[arg-type]
    page = text_of(owner_client.get(url))
    assert "The ten rows at a glance" in page
    svgs = [parse_svg(svg) for svg in svgs_in(page)]
    strips = [s for s in svgs if s.get("class") == "row-strip"]
    moments = [s for s in svgs if s.get("class") == "small-multiple"]
    assert len(strips) == 1 and len(moments) == 1
    assert "1  Relationship" in texts_of(strips[0])
    assert '<time datetime="2025-05-02">' in page


MEMBER_NAME = "Hinemoa Quellingworth"


@pytest.mark.parametrize("names", ["numbers", "initials", "aliases"])
def test_the_hui_screen_letters_team_members_and_never_says_you(
    owner_client: Client,
    owner_unlocked: accounts.Unlocked,
    intervention: Started,
    mapped: list[str],
    names: str,
) -> None:
    ids = {"keyring": owner_unlocked.keyring, "intervention_id": intervention.intervention_id}
    [me] = [m for m in team.team_reading(**ids).members if m.is_you]  # type: ignore[arg-type]
    team.member_rename(**ids, member_id=me.member_id, name=MEMBER_NAME)  # type: ignore[arg-type]
    page = text_of(
        owner_client.get(f"{_base(intervention)}/hui/?names={names}&p={mapped[0]}&p={mapped[1]}")
    )
    side = page.split('class="compare hui-compare"', 1)[1].split("</table>", 1)[0]
    assert "(Member A)" in side  # the owner joined first
    assert "(You)" not in side
    if names == "aliases":
        assert "Names are showing on this screen." in page
        assert f"Member A: {MEMBER_NAME}" in page  # the key, only here
    else:
        assert "Names are showing" not in page
        for fragment in _fragments(MEMBER_NAME):
            assert fragment not in page.lower(), fragment


def test_the_map_table_says_how_the_answers_add_up(
    owner_client: Client, owner_unlocked: accounts.Unlocked, intervention: Started
) -> None:
    ids = {"keyring": owner_unlocked.keyring, "intervention_id": intervention.intervention_id}
    aroha = team.member_add(**ids, name="Aroha")  # type: ignore[arg-type]
    for member_id in (None, aroha):
        positions.positions_record(
            **ids,  # type: ignore[arg-type]
            person_id=intervention.person_id,
            member_id=member_id,
            positions={"respected": (Position.ALLY, ""), "communicates": (Position.ALLY, "")},
        )
    page = text_of(owner_client.get(f"{_base(intervention)}/map/"))
    table = page.split('<table class="map-table">', 1)[1].split("</table>", 1)[0]
    assert "20 answers (2 team members × 10 rows): 4 on the ally side" in table
    # Both answered the same two rows: on eight of ten, nobody knows yet.
    assert "16 don’t know yet; nobody knows yet on 8 of 10 rows" in table
    assert "Mostly not known yet" in table
    assert "lean towards accountability ally" not in table
