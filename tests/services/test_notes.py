"""Team notes are stored in the shared log, encrypted, and refused when they cannot be kept."""

from __future__ import annotations

import pytest

from allymap.domain import InvalidInput, Refusal, UnknownPerson
from allymap.services import interventions, notes
from allymap.services.keyring import Keyring
from allymap.store.models import Event
from tests.people import fresh
from tests.services.conftest import Started


def test_it_adds_notes_about_the_intervention_and_about_a_person(
    owner: Keyring, intervention: Started
) -> None:
    ids = {"keyring": owner, "intervention_id": intervention.intervention_id}
    general = notes.note_add(**ids, text="Hui on Sunday at the marae")
    about = notes.note_add(**ids, text="Ask about the rugby club", person_id=intervention.person_id)
    state = interventions.intervention_open(
        keyring=fresh(owner), intervention_id=intervention.intervention_id
    )
    assert [(n.note_id, n.person_id, n.text) for n in state.notes] == [
        (general, "", "Hui on Sunday at the marae"),
        (about, intervention.person_id, "Ask about the rugby club"),
    ]
    stored = b"".join(
        bytes(e.ciphertext)
        for e in Event.objects.filter(intervention_id=intervention.intervention_id)
    )
    assert b"marae" not in stored


def test_it_refuses_an_empty_note_and_one_about_nobody(
    owner: Keyring, intervention: Started
) -> None:
    ids = {"keyring": owner, "intervention_id": intervention.intervention_id}
    before = Event.objects.filter(intervention_id=intervention.intervention_id).count()
    with pytest.raises(InvalidInput) as refused:
        notes.note_add(**ids, text="  ")
    assert refused.value.code is Refusal.REQUIRED
    with pytest.raises(UnknownPerson):
        notes.note_add(**ids, text="About nobody", person_id="nobody")
    assert Event.objects.filter(intervention_id=intervention.intervention_id).count() == before
