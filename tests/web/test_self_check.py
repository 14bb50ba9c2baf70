"""The self-check page: the ten rows in the first person, for the person alone. Kept, it
is sealed to the account's own key, opened only with the account's passphrase (never on a
plain page load: in personal mode everyone at the screen is "the account") and can be
taken away; "just show me" stores nothing at all. Nobody else on the team sees any of it."""

from __future__ import annotations

import html

import pytest
from django.test import Client

from allymap.chart import Position, default_chart
from allymap.domain import EVIDENCE_MAX
from allymap.services import accounts, throttle
from allymap.store.models import UnlockThrottle
from allymap.web.selfcheck_words import SELF_POSITION_LABELS, SELF_ROWS
from tests.people import OUTSIDER_PASSPHRASE, OWNER_PASSPHRASE
from tests.services.test_selfcheck import decrypted_log
from tests.standing import MEMBER_PASSPHRASE
from tests.web.conftest import Started
from tests.web.pages import event_count, stored_log, text_of, title_of

WORDS = "Thessaly-noticing: I sometimes make excuses for him at family dinners"
OTHER_WORDS = "Brannock-noticing: I walk away when the team argues"


def _url(started: Started) -> str:
    return f"/i/{started.intervention_id}/self-check/"


def _form(keep: str, **answers: str) -> dict[str, str]:
    """A whole self-check form: every row "unknown" with no words, except `answers`
    (`position-<row>` or `evidence-<row>`), and the button pressed (`keep`)."""
    chart = default_chart()
    form = {f"position-{row.key}": "unknown" for row in chart.rows}
    form |= {f"evidence-{row.key}": "" for row in chart.rows}
    assert set(answers) <= set(form), set(answers) - set(form)
    return form | answers | ({"keep": keep} if keep else {})


def _page(client: Client, started: Started) -> str:
    response = client.get(_url(started))
    assert response.status_code == 200
    return html.unescape(text_of(response))


def _opened(
    client: Client, started: Started, passphrase: str = OWNER_PASSPHRASE, action: str = "open"
) -> str:
    """The page that a post of `passphrase` to open the kept self-check answers with."""
    response = client.post(_url(started), {"action": action, "passphrase": passphrase})
    assert response.status_code == 200
    return html.unescape(text_of(response))


def test_it_asks_each_row_in_the_first_person_gently(
    owner_client: Client, intervention: Started
) -> None:
    response = owner_client.get(_url(intervention))
    assert title_of(response) == "Self-check · allymap"
    page = html.unescape(text_of(response))
    for row in default_chart().rows:
        own = SELF_ROWS[row.key]
        assert f"{row.number}</span> {row.topic}</legend>" in page
        for words in (own.question, own.ally, own.in_the_way):
            assert str(words) in page
    assert "Does the person doing harm care what I think?" in page
    for label in SELF_POSITION_LABELS.values():
        assert str(label) in page
    assert "It is for thinking, not a test" in page
    assert "Nobody is only one column" in page
    assert "something to get support with" in page and "(row 6)" in page
    assert "It is the self-check kept by this account — whoever unlocked allymap." in page
    assert "Other members of the team, on their own accounts, never see it." in page
    assert "It is never exported or printed." in page
    assert "Keep it, sealed so only I can open it" in page
    assert "Don’t keep it — just show me" in page
    # The button that stores nothing comes first: it is the one Enter presses.
    assert page.index('value="show"') < page.index('value="keep"')


def test_just_showing_it_stores_nothing_and_says_so(
    owner_client: Client, intervention: Started
) -> None:
    before = stored_log(intervention.intervention_id)
    answers = {"position-own_support": "in_the_way", "evidence-own_support": WORDS}
    response = owner_client.post(_url(intervention), _form("show", **answers))
    assert response.status_code == 200
    page = html.unescape(text_of(response))
    assert "Nothing was saved." in page
    assert WORDS in page
    assert str(SELF_POSITION_LABELS[Position.IN_THE_WAY]) in page
    # Summed up: the row leaning the other way is one to get support with.
    support = page.split("Things to get support with", 1)[1].split("</ul>", 1)[0]
    assert "6. Coping if targeted" in support
    assert "Still to think about" in page
    assert stored_log(intervention.intervention_id) == before
    assert WORDS not in _page(owner_client, intervention)


def test_kept_it_is_sealed_shown_to_its_owner_and_can_be_taken_away(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started
) -> None:
    before = event_count(intervention.intervention_id)
    answers = {"position-respected": "leans_ally", "evidence-respected": WORDS}
    response = owner_client.post(_url(intervention), _form("keep", **answers))
    assert response.status_code == 302
    assert response.headers["Location"] == f"{_url(intervention)}#kept-heading"
    assert event_count(intervention.intervention_id) == before + 1
    # A plain load says one is kept, and shows none of it: not even the form filled in.
    for plain in (_page(owner_client, intervention), _page(owner_client, intervention)):
        assert "This account keeps a sealed self-check" in plain
        assert "whoever unlocked allymap" in plain
        assert "Thessaly" not in plain and "Mostly the ally side" not in plain
        assert 'checked id="id_position-respected' not in plain
        assert 'name="action" value="open"' in plain and 'type="password"' in plain
    page = _opened(owner_client, intervention)
    assert "Your self-check, kept sealed" in page
    assert WORDS in page and "Mostly the ally side" in page
    assert "Take it away" in page
    # Opened in that answer only: the next load is sealed again.
    assert "Thessaly" not in _page(owner_client, intervention)
    # Not in any event or snapshot that the intervention key opens.
    for plaintext in decrypted_log(owner.keyring, intervention.intervention_id):
        assert b"Thessaly" not in plaintext
    # Going through it again starts from what was kept, once the passphrase is typed.
    assert "Thessaly" not in _page(owner_client, intervention)
    again = _opened(owner_client, intervention, action="again")
    assert f"{WORDS}</textarea>" in again
    assert "readable only with this account’s passphrase" in again

    response = owner_client.post(_url(intervention), {"discard": "yes"})
    assert response.headers["Location"] == f"{_url(intervention)}?taken=1"
    page = html.unescape(text_of(owner_client.get(response.headers["Location"])))
    assert "Taken away" in page
    assert WORDS not in page and "Take it away" not in page


@pytest.mark.parametrize("action", ["open", "again"])
def test_a_wrong_passphrase_opens_nothing_and_counts_as_a_try(
    owner_client: Client, owner: accounts.Unlocked, intervention: Started, action: str
) -> None:
    owner_client.post(_url(intervention), _form("keep", **{"evidence-respected": WORDS}))
    scopes = throttle.scopes_for(account_id=owner.keyring.account_id, address="127.0.0.1")
    assert not UnlockThrottle.objects.filter(scope__in=scopes).exists()
    page = _opened(owner_client, intervention, "not the passphrase at all", action)
    assert "Thessaly" not in page and "Your self-check, kept sealed" not in page
    assert "That is not this account’s passphrase, so the self-check stays sealed." in page
    assert "This account keeps a sealed self-check" in page
    assert [row.failures for row in UnlockThrottle.objects.filter(scope__in=scopes)] == [1]
    # Nothing typed at all is no try, and says so in allymap's words.
    empty = _opened(owner_client, intervention, "", action)
    assert "Thessaly" not in empty and "This field is required" not in empty
    assert [row.failures for row in UnlockThrottle.objects.filter(scope__in=scopes)] == [1]
    # The right one then opens it (and clears the count, as unlocking does).
    assert WORDS in _opened(owner_client, intervention, action=action)
    assert not UnlockThrottle.objects.filter(scope__in=scopes, failures__gt=0).exists()


def test_after_too_many_tries_even_the_right_passphrase_waits(
    owner_client: Client, intervention: Started
) -> None:
    owner_client.post(_url(intervention), _form("keep", **{"evidence-respected": WORDS}))
    for _ in range(throttle.FREE_TRIES):
        _opened(owner_client, intervention, "not the passphrase at all")
    response = owner_client.post(
        _url(intervention), {"action": "open", "passphrase": OWNER_PASSPHRASE}
    )
    assert response.status_code == 429
    page = html.unescape(text_of(response))
    assert "Thessaly" not in page and "too many tries" in page


def test_another_member_of_the_team_sees_nothing_of_it(
    owner_client: Client, member_client: Client, intervention: Started
) -> None:
    owner_client.post(_url(intervention), _form("keep", **{"evidence-communicates": WORDS}))
    theirs = _page(member_client, intervention)
    assert WORDS not in theirs and "Thessaly" not in theirs
    assert "kept sealed" not in theirs and "Take it away" not in theirs
    # Their own, kept, is theirs alone too; the owner's stays the owner's.
    member_client.post(_url(intervention), _form("keep", **{"evidence-communicates": OTHER_WORDS}))
    assert OTHER_WORDS not in _page(member_client, intervention)
    assert OTHER_WORDS in _opened(member_client, intervention, MEMBER_PASSPHRASE)
    # The owner's passphrase does not open the member's, nor the member's the owner's.
    assert OTHER_WORDS not in _opened(member_client, intervention, OWNER_PASSPHRASE)
    assert WORDS not in _opened(owner_client, intervention, MEMBER_PASSPHRASE)
    mine = _opened(owner_client, intervention)
    assert WORDS in mine and OTHER_WORDS not in mine
    # Taking one's own away leaves the other's.
    member_client.post(_url(intervention), {"discard": "yes"})
    assert WORDS in _opened(owner_client, intervention)


def test_an_outsider_gets_nothing_and_stores_nothing(
    outsider_client: Client, intervention: Started
) -> None:
    before = stored_log(intervention.intervention_id)
    assert outsider_client.get(_url(intervention)).status_code == 404
    opening = {"action": "open", "passphrase": OUTSIDER_PASSPHRASE}
    assert outsider_client.post(_url(intervention), opening).status_code == 404
    response = outsider_client.post(
        _url(intervention), _form("keep", **{"evidence-respected": WORDS})
    )
    assert response.status_code == 404
    assert stored_log(intervention.intervention_id) == before


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        (_form(""), "Choose whether to keep it, sealed so only you can open it, or not."),
        (
            _form("keep", **{"evidence-gives_space": "x" * (EVIDENCE_MAX + 1)}),
            f"5. Pace and pressure: There is room for up to {EVIDENCE_MAX} characters here",
        ),
        (_form("keep", **{"position-respected": "a verdict"}), "1. Relationship: "),
    ],
)
def test_a_form_that_cannot_be_taken_comes_back_with_why_and_keeps_nothing(
    owner_client: Client, intervention: Started, fields: dict[str, str], says: str
) -> None:
    before = stored_log(intervention.intervention_id)
    fields["evidence-sees_the_harm"] = WORDS
    response = owner_client.post(_url(intervention), fields)
    assert response.status_code == 200
    page = html.unescape(text_of(response))
    assert "Something here needs another look" in page
    assert says in page
    assert f"{WORDS}</textarea>" in page  # nothing typed is lost
    assert "This field is required" not in page
    assert stored_log(intervention.intervention_id) == before


def test_the_team_page_offers_it(owner_client: Client, intervention: Started) -> None:
    page = html.unescape(text_of(owner_client.get(f"/i/{intervention.intervention_id}/team/")))
    assert (
        f'<a href="{_url(intervention)}">Before you take a role: a self-check for you alone</a>'
        in page
    )


def test_one_posted_after_the_lock_is_dropped_never_carried_in_the_page(
    owner_client: Client, intervention: Started
) -> None:
    """Other forms are carried through unlocking in the unlock page's hidden fields; a
    self-check is its author's alone, so anyone at the locked screen must not find it
    there (view-source): it is dropped, and the page says so."""
    before = event_count(intervention.intervention_id)
    owner_client.post("/lock/")
    response = owner_client.post(
        _url(intervention),
        _form("keep", **{"position-respected": "ally", "evidence-respected": WORDS}),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert WORDS not in html.unescape(page)
    assert "carried-" not in page and 'name="carried_seal"' not in page
    assert "yours alone, so it is not carried through unlocking" in html.unescape(text_of(response))
    assert event_count(intervention.intervention_id) == before
