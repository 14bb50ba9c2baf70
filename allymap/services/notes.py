"""Team notes: short written notes for the team, about the intervention or one person.

A note is an event in the shared, encrypted log (`allymap.domain.NoteAdded`), so every
team member can read it. (A note for oneself alone, like the ally self-check, is sealed
to its author's key instead: `allymap.vault.seal_private_note`.)
"""

from __future__ import annotations

from allymap.domain import add_note
from allymap.services import engine
from allymap.services.keyring import Keyring
from allymap.vault import random_id


def note_add(*, keyring: Keyring, intervention_id: str, text: str, person_id: str = "") -> str:
    """Add a note for the team, about one person when `person_id` is given; return its id.

    Raises InvalidInput (empty or too long text) or UnknownPerson.
    """
    note_id = random_id()
    engine.run(
        keyring,
        intervention_id,
        lambda state: [add_note(state, note_id=note_id, person_id=person_id, text=text)],
    )
    return note_id
