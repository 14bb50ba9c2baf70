"""Who may see what: every lookup that depends on the current person goes through here."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings

from allymap.services.errors import NotFound
from allymap.services.keyring import Keyring
from allymap.store.models import Membership
from allymap.vault import KeyNotTrusted, WrongKey, open_intervention_key


def intervention_key_for(keyring: Keyring, intervention_id: str) -> bytes:
    """The intervention's key, if this keyring's account is on its team.

    Raises NotFound for an intervention that does not exist and for one the account is
    not a member of alike, so an outsider learns nothing, not even that it exists; and
    the vault's KeyNotTrusted for a key that a member did not seal (a planted one).
    """
    if intervention_id in keyring.intervention_keys:
        return keyring.intervention_keys[intervention_id]
    row = (
        Membership.objects.filter(intervention_id=intervention_id, account_id=keyring.account_id)
        .values_list("sealed_key", "sealed_by_id", "sealed_by__public_key")
        .first()
    )
    if row is None:
        raise NotFound(intervention_id)
    sealed, sealer, sealer_public_key = row
    if sealer != keyring.account_id and not _may_give_keys(sealer, intervention_id):
        raise KeyNotTrusted(
            f"the key of intervention {intervention_id} was sealed by an account "
            "that may not give it"
        )
    try:
        key = open_intervention_key(
            bytes(sealed),
            keyring.private_key,
            intervention_id=intervention_id,
            sender_public_key=bytes(sealer_public_key),
        )
    except WrongKey:
        # Not sealed by the account it names, or for another intervention: planted.
        raise KeyNotTrusted(
            f"the key of intervention {intervention_id} was not sealed by a team member"
        ) from None
    keyring.intervention_keys[intervention_id] = key
    return key


def _may_give_keys(account_id: str, intervention_id: str) -> bool:
    """Whether another account may have sealed this intervention's key for us.

    Personal mode has one account by construction, so a key from any other account was
    planted. With teams (hosted mode) the giver must be on the team; checking that the
    giver is who the team thinks it is needs verified membership, which is not built yet
    (docs/threat-model.md).
    """
    if not settings.HOSTED:
        return False
    return Membership.objects.filter(
        intervention_id=intervention_id, account_id=account_id
    ).exists()


def interventions_added_at(keyring: Keyring) -> dict[str, datetime]:
    """When each intervention came to this account (started, joined or imported), by id."""
    return dict(
        Membership.objects.filter(account_id=keyring.account_id).values_list(
            "intervention_id", "created_at"
        )
    )


def intervention_ids_for(keyring: Keyring) -> list[str]:
    """The ids of every intervention the account is on the team of, oldest first."""
    return list(
        Membership.objects.filter(account_id=keyring.account_id)
        .order_by("created_at", "intervention_id")
        .values_list("intervention_id", flat=True)
    )
