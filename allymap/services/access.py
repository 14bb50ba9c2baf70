"""Who may see what: every lookup that depends on the current person goes through here."""

from __future__ import annotations

from allymap.services.errors import NotFound
from allymap.services.keyring import Keyring
from allymap.store.models import Membership
from allymap.vault import WrongKey, open_intervention_key


def intervention_key_for(keyring: Keyring, intervention_id: str) -> bytes:
    """The intervention's key, if this keyring's account is on its team.

    Raises NotFound for an intervention that does not exist and for one the account is
    not a member of alike, so an outsider learns nothing, not even that it exists.
    """
    if intervention_id in keyring.intervention_keys:
        return keyring.intervention_keys[intervention_id]
    sealed = (
        Membership.objects.filter(intervention_id=intervention_id, account_id=keyring.account_id)
        .values_list("sealed_key", flat=True)
        .first()
    )
    if sealed is None:
        raise NotFound(intervention_id)
    try:
        key = open_intervention_key(bytes(sealed), keyring.private_key)
    except WrongKey:
        raise NotFound(intervention_id) from None
    keyring.intervention_keys[intervention_id] = key
    return key


def intervention_ids_for(keyring: Keyring) -> list[str]:
    """The ids of every intervention the account is on the team of, oldest first."""
    return list(
        Membership.objects.filter(account_id=keyring.account_id)
        .order_by("created_at", "intervention_id")
        .values_list("intervention_id", flat=True)
    )
