"""Where ciphertext is kept: Django models for accounts, interventions and their event logs."""
