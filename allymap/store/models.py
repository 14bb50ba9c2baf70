"""The stored shape of allymap: metadata in the clear, everything a person typed encrypted.

What is plaintext here, and why, is listed in docs/threat-model.md: random ids, sequence
numbers, times and which account wrote an event. Names, aliases, positions, evidence and
notes only ever arrive as ciphertext made by allymap.vault.
"""

from __future__ import annotations

from django.db import models

from allymap.vault import random_id


class Account(models.Model):
    """One person's keys: a public key and the private key wrapped twice (passphrase, recovery)."""

    id = models.CharField(primary_key=True, max_length=32, default=random_id, editable=False)
    public_key = models.BinaryField()
    kdf_salt = models.BinaryField()
    kdf_opslimit = models.PositiveBigIntegerField()
    kdf_memlimit = models.PositiveBigIntegerField()
    wrapped_private_key = models.BinaryField()
    recovery_wrapped_private_key = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"account {self.id}"


class Intervention(models.Model):
    """An intervention's random id; its content lives only in its encrypted events."""

    id = models.CharField(primary_key=True, max_length=32, default=random_id, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"intervention {self.id}"


class Membership(models.Model):
    """An account's place on an intervention's team, with the intervention key sealed to it."""

    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, related_name="memberships"
    )
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="memberships")
    sealed_key = models.BinaryField()
    # Who sealed the key: the member opens it with this account's public key, so a key
    # planted by someone without a trusted account's private key does not open.
    sealed_by = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["intervention", "account"], name="one_membership_each")
        ]

    def __str__(self) -> str:
        return f"{self.account_id} on {self.intervention_id}"


class Event(models.Model):
    """One encrypted event. Never updated: the log only grows.

    The unique (intervention, seq) pair is what makes concurrent appends safe: two writers
    who both expect seq N cannot both succeed, and the loser re-runs against new state.
    """

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField()
    author = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    # Set by the writer, so the state it folds and the state a reader folds agree.
    created_at = models.DateTimeField()
    nonce = models.BinaryField()
    ciphertext = models.BinaryField()
    chain = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["intervention", "seq"], name="one_event_per_seq")
        ]
        ordering = ["intervention", "seq"]

    def __str__(self) -> str:
        return f"event {self.seq} of {self.intervention_id}"


class Snapshot(models.Model):
    """The folded state at `seq`, encrypted, so opening need not replay the whole log."""

    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, related_name="snapshots"
    )
    seq = models.PositiveIntegerField()
    format_version = models.PositiveIntegerField()
    nonce = models.BinaryField()
    ciphertext = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "seq", "format_version"], name="one_snapshot_per_seq"
            )
        ]

    def __str__(self) -> str:
        return f"snapshot at {self.seq} of {self.intervention_id}"


class UnlockThrottle(models.Model):
    """Unlock attempts counted for one scope, so guessing slows to a crawl.

    A scope is the installation (personal mode), or an account or a client address (a
    keyed digest, never the address itself) in hosted mode. Kept in the database so a
    restart does not forget it; services/throttle.py is the only writer.
    """

    scope = models.CharField(primary_key=True, max_length=80)
    # Attempts since the last success, each counted before its passphrase is checked.
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField(null=True)
    # No attempt for this scope may start before this time.
    blocked_until = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"unlock throttle {self.scope}"
