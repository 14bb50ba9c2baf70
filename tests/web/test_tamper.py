"""A stored record changed outside allymap is reported on a page of its own, never shown."""

from __future__ import annotations

import msgspec
import pytest
from django.test import Client
from django.utils import timezone

from allymap.services import accounts, interventions
from allymap.services.access import intervention_key_for
from allymap.store import log
from allymap.store.models import Event
from allymap.vault import encrypt_event
from tests.web.conftest import CODE_NAME, DOING_HARM_ALIAS, PERSON_ALIAS, Started
from tests.web.pages import text_of

INTEGRITY_TEXT = "allymap cannot open this intervention"
CHANGED_TEXT = "changed, moved or removed outside allymap"


def _flip_one_byte(intervention_id: str, seq: int) -> None:
    event = Event.objects.get(intervention_id=intervention_id, seq=seq)
    ciphertext = bytearray(bytes(event.ciphertext))
    ciphertext[len(ciphertext) // 2] ^= 0x01
    event.ciphertext = bytes(ciphertext)
    event.save()


@pytest.mark.parametrize("seq", [1, 2], ids=["first event", "last event"])
def test_it_reports_a_changed_byte_instead_of_the_content(
    owner_client: Client, intervention: Started, seq: int
) -> None:
    url = f"/i/{intervention.intervention_id}/"
    assert owner_client.get(url).status_code == 200
    _flip_one_byte(intervention.intervention_id, seq)
    for path in [
        url,
        f"{url}people/new/",
        f"{url}people/{intervention.person_id}/",
        f"{url}people/{intervention.person_id}/reflect/",
    ]:
        response = owner_client.get(path)
        assert response.status_code == 200, path
        page = text_of(response)
        assert INTEGRITY_TEXT in page
        assert CHANGED_TEXT in page
        for secret in (CODE_NAME, DOING_HARM_ALIAS, PERSON_ALIAS):
            assert secret not in page


def test_it_refuses_to_write_onto_a_changed_record(
    owner_client: Client, intervention: Started
) -> None:
    _flip_one_byte(intervention.intervention_id, 2)
    response = owner_client.post(
        f"/i/{intervention.intervention_id}/people/new/", {"alias": "Coach P"}
    )
    assert response.status_code == 200
    assert INTEGRITY_TEXT in text_of(response)
    assert Event.objects.filter(intervention_id=intervention.intervention_id).count() == 2


def test_it_reports_a_dropped_event(owner_client: Client, intervention: Started) -> None:
    owner_client.post(f"/i/{intervention.intervention_id}/people/new/", {"alias": "Coach P"})
    Event.objects.filter(intervention_id=intervention.intervention_id, seq=2).delete()
    response = owner_client.get(f"/i/{intervention.intervention_id}/")
    assert response.status_code == 200
    assert INTEGRITY_TEXT in text_of(response)
    assert CODE_NAME not in text_of(response)


def test_it_never_lists_a_changed_intervention(owner_client: Client, intervention: Started) -> None:
    _flip_one_byte(intervention.intervention_id, 1)
    response = owner_client.get("/interventions/")
    assert CODE_NAME not in text_of(response)
    assert CHANGED_TEXT in text_of(response)


def test_it_still_lists_the_other_interventions(
    owner: accounts.Unlocked, owner_client: Client, intervention: Started
) -> None:
    other = interventions.intervention_start(
        keyring=owner.keyring, code_name="Kahikatea", doing_harm_alias="K"
    )
    _flip_one_byte(intervention.intervention_id, 1)
    page = text_of(owner_client.get("/interventions/"))
    assert CHANGED_TEXT in page
    assert CODE_NAME not in page
    assert "Kahikatea" in page
    assert other in owner_client.get("/interventions/").content.decode()


def _append_from_a_newer_allymap(owner: accounts.Unlocked, intervention_id: str) -> None:
    """Append an authentic event (right key, right chain) of a type this version does
    not know, as a newer allymap or a restored backup from one would have written it."""
    key = intervention_key_for(owner.keyring, intervention_id)
    last = Event.objects.filter(intervention_id=intervention_id).order_by("-seq").first()
    assert last is not None
    sealed = encrypt_event(
        key,
        intervention_id=intervention_id,
        seq=last.seq + 1,
        author=owner.keyring.account_id,
        at=timezone.now(),
        prev_chain=bytes(last.chain),
        plaintext=msgspec.msgpack.encode({"type": "hui_planned/1", "when": "tomorrow"}),
    )
    log.append(intervention_id, [sealed])


def test_it_shows_an_event_it_cannot_read_on_the_integrity_page(
    owner: accounts.Unlocked, owner_client: Client, intervention: Started
) -> None:
    _append_from_a_newer_allymap(owner, intervention.intervention_id)
    url = f"/i/{intervention.intervention_id}/"
    for path in [url, f"{url}people/{intervention.person_id}/", f"{url}people/new/"]:
        response = owner_client.get(path)
        assert response.status_code == 200, path
        page = text_of(response)
        assert INTEGRITY_TEXT in page
        assert "newer version of allymap" in page
        assert "hui_planned/1" in page  # the detail names the unknown type
        assert CODE_NAME not in page
    before = Event.objects.filter(intervention_id=intervention.intervention_id).count()
    response = owner_client.post(f"{url}people/new/", {"alias": "Coach P"})
    assert response.status_code == 200
    assert INTEGRITY_TEXT in text_of(response)
    assert Event.objects.filter(intervention_id=intervention.intervention_id).count() == before


def test_it_lists_an_intervention_it_cannot_read_beside_the_others(
    owner: accounts.Unlocked, owner_client: Client, intervention: Started
) -> None:
    interventions.intervention_start(
        keyring=owner.keyring, code_name="Kahikatea", doing_harm_alias="K"
    )
    _append_from_a_newer_allymap(owner, intervention.intervention_id)
    page = text_of(owner_client.get("/interventions/"))
    assert "An intervention allymap cannot open" in page
    assert "newer version of allymap" in page
    assert "Kahikatea" in page
    assert CODE_NAME not in page


def test_a_restored_older_copy_is_offered_to_be_used_as_it_is(
    owner: accounts.Unlocked, owner_client: Client, intervention: Started
) -> None:
    from allymap.services import marks

    head = Event.objects.filter(intervention_id=intervention.intervention_id).order_by("-seq")[0]
    marks.note(
        owner.keyring.account_id,
        intervention.intervention_id,
        marks.Mark(seq=head.seq + 1, chain=bytes(32)),
    )
    url = f"/i/{intervention.intervention_id}/"
    page = text_of(owner_client.get(url))
    assert "older than what was last saved on this computer" in page
    assert "use this copy" in page
    response = owner_client.post(
        "/interventions/records/",
        {"intervention_id": intervention.intervention_id, "action": "accept"},
    )
    assert response.status_code == 302
    assert CODE_NAME in text_of(owner_client.get(url))
