"""A form posted after the idle lock is carried through unlocking, then saved: never lost,
never stored on the way, and never called saved before it is.

The whole flow without JavaScript: the reflection form is posted after the session went
idle; the unlock page carries it (in the page only); after unlocking, a page says it is
not saved yet and offers "Save it now", which saves it. The browser tests
(tests/browser/test_work_survives_lock.py) do the same in Chromium, with and without
JavaScript, and scan the data folder.
"""

from __future__ import annotations

import html
import time
from html.parser import HTMLParser

import pytest
from django.contrib.sessions.models import Session
from django.http import HttpResponse
from django.test import Client
from pytest_django.fixtures import Settings

from allymap.chart import default_chart
from allymap.web import carry
from tests.web.conftest import PASSPHRASE, Started
from tests.web.pages import stored_log, text_of

LOCKED_OUT = "You were locked out before this was saved. Unlock to save it."
EVIDENCE = "Seen at the marae working bee, kind to everyone lockwork7319"


class _Forms(HTMLParser):
    """The forms of a page: each one's action and fields, as a browser would post them."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, list[tuple[str, str]]]] = []
        self._textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append((a.get("action", ""), []))
        elif tag == "input" and self.forms and a.get("name"):
            kind = a.get("type", "text")
            if kind not in ("radio", "checkbox") or "checked" in a:
                self.forms[-1][1].append((a["name"], a.get("value", "")))
        elif tag == "textarea" and self.forms:
            self._textarea = (a.get("name", ""), [])

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea is not None and self.forms:
            name, text = self._textarea
            self.forms[-1][1].append((name, "".join(text).removeprefix("\n")))
            self._textarea = None


def _form(response: HttpResponse, containing: str) -> tuple[str, dict[str, str]]:
    """The form of the page (not the lock button's) that has a field named `containing`,
    as (action, fields)."""
    parser = _Forms()
    parser.feed(text_of(response))
    for action, fields in parser.forms:
        if action != "/lock/" and any(name == containing for name, _ in fields):
            return html.unescape(action), dict(fields)
    raise AssertionError(f"no form with {containing!r}: {text_of(response)[:3000]}")


def _go_idle(client: Client, settings: Settings) -> None:
    settings.ALLYMAP_IDLE_LOCK_SECONDS = 60
    session = client.session
    session["last_seen"] = time.time() - 61
    session.save()


def _reflect_url(started: Started) -> str:
    return f"/i/{started.intervention_id}/people/{started.person_id}/reflect/"


def _answered(client: Client, started: Started) -> dict[str, str]:
    row = default_chart().rows[0].key
    _, fields = _form(client.get(_reflect_url(started)), f"evidence-{row}")
    fields.pop("csrfmiddlewaretoken", None)
    return fields | {f"position-{row}": "ally", f"evidence-{row}": EVIDENCE}


ALIAS = "Aunty Mere lockwork7319"


def _person_form(client: Client, started: Started) -> tuple[str, dict[str, str]]:
    """The add-a-person form, filled in with `ALIAS`: (url, fields)."""
    url = f"/i/{started.intervention_id}/people/new/"
    _, fields = _form(client.get(url), "alias")
    fields.pop("csrfmiddlewaretoken", None)
    return url, fields | {"alias": ALIAS}


def _carried_then_saved(
    client: Client, started: Started, url: str, posted: dict[str, str], typed: str
) -> None:
    """Post `posted` to `url` while locked, unlock, save it: at each step check what
    the page says and that nothing was stored before "Save it now"."""
    before = stored_log(started.intervention_id)

    # Posted after the lock: the unlock page, at once, carrying it in the page.
    locked = client.post(url, posted)
    assert locked.status_code == 200
    page = text_of(locked)
    assert LOCKED_OUT in page
    assert "work was saved" not in page and "Everything saved" not in page
    action, carried = _form(locked, "passphrase")
    assert action == "/unlock/"
    assert typed in carried.values()
    assert carried[carry.TO] == url
    assert "carried-csrfmiddlewaretoken" not in carried
    # Nothing stored: not in the log, not in any session row.
    assert stored_log(started.intervention_id) == before
    assert not any(typed in str(s.get_decoded()) for s in Session.objects.all())

    # Unlocked: it is not saved yet, and the page says so; "Save it now" saves it.
    unlocked = client.post("/unlock/", carried | {"passphrase": PASSPHRASE})
    assert unlocked.status_code == 200
    page = text_of(unlocked)
    assert "not saved yet" in page and "Save it now" in page
    assert stored_log(started.intervention_id) == before
    target, again = _form(unlocked, "csrfmiddlewaretoken")
    assert target == url
    saved = client.post(target, again)
    assert saved.status_code == 302, text_of(saved)[:3000]
    assert stored_log(started.intervention_id) != before


def test_a_reflection_posted_after_the_idle_lock_is_saved_after_unlocking(
    owner_client: Client, intervention: Started, settings: Settings
) -> None:
    url = _reflect_url(intervention)
    answers = _answered(owner_client, intervention)
    _go_idle(owner_client, settings)
    _carried_then_saved(owner_client, intervention, url, answers, EVIDENCE)
    assert EVIDENCE in html.unescape(text_of(owner_client.get(url)))


def test_a_person_added_after_the_idle_lock_is_added_once_after_unlocking(
    owner_client: Client, intervention: Started, settings: Settings
) -> None:
    url, fields = _person_form(owner_client, intervention)
    _go_idle(owner_client, settings)
    _carried_then_saved(owner_client, intervention, url, fields, ALIAS)
    overview = html.unescape(text_of(owner_client.get(f"/i/{intervention.intervention_id}/")))
    assert overview.count(f">{ALIAS}</a>") == 1  # one card (its reflect link names them too)


def test_a_wrong_passphrase_keeps_carrying_it(
    owner_client: Client, intervention: Started, settings: Settings
) -> None:
    url, fields = _person_form(owner_client, intervention)
    _go_idle(owner_client, settings)
    _, carried = _form(owner_client.post(url, fields), "passphrase")
    wrong = owner_client.post("/unlock/", carried | {"passphrase": PASSPHRASE + "?"})
    assert "did not unlock" in text_of(wrong)
    _, still = _form(wrong, "passphrase")
    assert {k: v for k, v in still.items() if k.startswith("carried")} == {
        k: v for k, v in carried.items() if k.startswith("carried")
    }


def test_a_changed_carry_is_never_saved(
    owner_client: Client, intervention: Started, settings: Settings
) -> None:
    """The seal: a carry changed on its way (or made up elsewhere) is not offered."""
    url, fields = _person_form(owner_client, intervention)
    _go_idle(owner_client, settings)
    _, carried = _form(owner_client.post(url, fields), "passphrase")
    carried[f"{carry.PREFIX}alias"] = "someone else entirely"
    unlocked = owner_client.post("/unlock/", carried | {"passphrase": PASSPHRASE})
    page = text_of(unlocked)
    assert "Save it now" not in page
    assert "could not save" in page


def test_a_background_save_after_the_lock_is_told_it_was_not_saved(
    owner_client: Client, intervention: Started, settings: Settings
) -> None:
    url, fields = _person_form(owner_client, intervention)
    _go_idle(owner_client, settings)
    response = owner_client.post(url, fields, headers={"Sec-Fetch-Mode": "cors"})
    assert response.status_code == 403
    assert response.json() == {"locked": True, "saved": False}


def test_passphrases_are_never_carried() -> None:
    assert not carry._carries("passphrase")
    assert not carry._carries("new_passphrase")
    assert not carry._carries("recovery_key")
    assert not carry._carries("csrfmiddlewaretoken")
    assert carry._carries("evidence-respected")


def test_too_much_to_carry_is_said_plainly(
    owner_client: Client, intervention: Started, settings: Settings
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
    url, fields = _person_form(owner_client, intervention)
    fields["other_ways"] = "x" * (carry.MAX_BYTES + 1)
    _go_idle(owner_client, settings)
    page = text_of(owner_client.post(url, fields))
    assert "too long to carry" in page
    assert "carried_seal" not in page


@pytest.mark.parametrize("origin", ["http://testserver", "https://elsewhere.example", None])
def test_a_lost_csrf_cookie_carries_only_a_post_from_this_site(
    owner_client: Client, intervention: Started, origin: str | None
) -> None:
    """Another tab's quick exit took the CSRF cookie too: a post from allymap's own page
    (its Origin) is carried, not acted on; one from elsewhere gets the refusal page."""
    url, fields = _person_form(owner_client, intervention)
    before = stored_log(intervention.intervention_id)
    browser = Client(enforce_csrf_checks=True)
    headers = {"Origin": origin} if origin else {}
    response = browser.post(url, fields | {"csrfmiddlewaretoken": "x" * 64}, headers=headers)
    page = text_of(response)
    if origin == "http://testserver":
        assert response.status_code == 200
        assert LOCKED_OUT in page
        assert 'name="carried_seal"' in page
        # The unlock page gave a fresh CSRF token with it: unlocking works, and the form
        # is offered for saving (still not saved).
        _, carried = _form(response, "passphrase")
        unlocked = browser.post("/unlock/", carried | {"passphrase": PASSPHRASE}, headers=headers)
        assert "Save it now" in text_of(unlocked)
    else:
        assert response.status_code == 403
        assert "carried" not in page
        assert "Nothing from this form has been saved" in page
    assert stored_log(intervention.intervention_id) == before


def test_no_field_typed_as_a_secret_is_ever_carried() -> None:
    """A carried form sits in the unlock page's hidden fields, readable at the locked
    screen: a field shown as a password (a passphrase, its confirmation, an export's)
    must never be among them, whatever it is named."""
    import importlib
    import inspect
    import pkgutil

    from django import forms as django_forms

    from allymap.web import forms as allymap_forms

    secret = set()
    for info in pkgutil.iter_modules(allymap_forms.__path__):
        module = importlib.import_module(f"{allymap_forms.__name__}.{info.name}")
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, django_forms.BaseForm):
                secret |= {
                    name
                    for name, field in cls.base_fields.items()
                    if isinstance(field.widget, django_forms.PasswordInput)
                }
    assert {"passphrase", "export_confirm"} <= secret  # the walk finds them
    assert [name for name in sorted(secret) if carry._carries(name)] == []
