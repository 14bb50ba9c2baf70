"""The standing people and intervention the database tests share, as plain functions.

tests/conftest.py turns these into fixtures for every test directory: the owner, a team
member on the owner's intervention, and an outsider on no team of the owner's. They are
plain functions too, so a script outside pytest (a benchmark) can build the same world:

    owner, _recovery = owner_create()  # tests/people.py
    started = intervention_start_standing(owner.keyring)
    client = unlocked_client(owner)

Importing this module needs Django's settings (it imports the services), nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.test import Client

from allymap.services import accounts, interventions, people
from allymap.services.keyring import Keyring
from allymap.services.people import Details
from allymap.services.sessions import session_fill
from allymap.vault import session_key_to_text
from allymap.web.session import KEY_COOKIE
from tests.people import account_beside_the_owner, join_team

MEMBER_PASSPHRASE = "another member of the team"


@dataclass(frozen=True)
class Started:
    """An intervention started through the services, with one person on its map."""

    intervention_id: str
    person_id: str


@dataclass(frozen=True)
class Names:
    """What the standing intervention's owner typed in."""

    code_name: str
    doing_harm_alias: str
    harmed_alias: str
    person_alias: str
    relationship: str


# Distinctive, so a test can look for them anywhere they must not be.
NAMES = Names(
    code_name="Quillfeather Dawn",
    doing_harm_alias="Zebulon Marchetti",
    harmed_alias="Ottoline Vasquez",
    person_alias="Auntie Wilhelmina",
    relationship="his mother's sister",
)


def intervention_start_standing(keyring: Keyring, names: Names = NAMES) -> Started:
    """Start an intervention as `keyring`'s account, with one person on its map."""
    intervention_id = interventions.intervention_start(
        keyring=keyring,
        code_name=names.code_name,
        doing_harm_alias=names.doing_harm_alias,
        harmed_alias=names.harmed_alias,
    )
    person_id = people.person_add(
        keyring=keyring,
        intervention_id=intervention_id,
        details=Details(alias=names.person_alias, relationship=names.relationship),
    )
    return Started(intervention_id=intervention_id, person_id=person_id)


def member_join(owner: accounts.Unlocked, started: Started) -> accounts.Unlocked:
    """Another account, put on the team of `started` by the owner as `join_team` does.

    Only hosted mode accepts a key sealed by another account: the caller turns it on
    (`settings.HOSTED = True`) for as long as the member is used.
    """
    member = account_beside_the_owner(MEMBER_PASSPHRASE)
    join_team(owner.keyring, started.intervention_id, member.keyring)
    return member


def unlocked_client(unlocked: accounts.Unlocked) -> Client:
    """A browser holding both halves of an unlocked session for `unlocked`'s account."""
    client = Client()
    session = client.session
    session_fill(session, unlocked)
    session.save()
    client.cookies[KEY_COOKIE] = session_key_to_text(unlocked.session_key)
    return client
