"""Put a 60-person intervention into a data folder already set up (by `allymap demo`),
through the services, and print its id: run by tests/browser/test_pictures.py as

    python -m tests.browser.sixty DATA_DIR PASSPHRASE

in the environment the test server gets (the cheap key profile; on the PostgreSQL run,
its database). The people have long aliases, sit in every ring, and carry reflections,
consent and roles drawn from a fixed seed, so each run draws the same map.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

PEOPLE = 60
FIRST = ["Aunty", "Uncle", "Koro", "Nan", "Cousin", "Coach", "Pastor", "Old mate", "Whaea"]
NAMES = ["Mere", "Tama", "Hemi", "Kiri", "Ioane", "Wiremu", "Sione", "Aroha", "Ngaio", "Rāwiri"]
TAILS = ["", "", " from netball", " (kapa haka)", " at the marae", " from the mill", " next door"]


def build(data_dir: Path, passphrase: str) -> str:
    from allymap.cli import _start_or_explain

    _start_or_explain(data_dir)
    from allymap.chart import Position, default_chart
    from allymap.services import accounts, interventions, people, positions, roles

    keyring = accounts.account_unlock(passphrase=passphrase).keyring
    rng = random.Random(60)
    intervention_id = interventions.intervention_start(
        keyring=keyring, code_name="Sixty around the table", doing_harm_alias="Tipene Walker"
    )
    ids = {"keyring": keyring, "intervention_id": intervention_id}
    keys = default_chart().keys
    closeness = ["close", "between", "between", "further", "further", "unknown"]
    consent = ["idea", "to_ask", "asked", "agreed", "declined", "stepped_back"]
    for n in range(PEOPLE):
        alias = f"{rng.choice(FIRST)} {rng.choice(NAMES)}{rng.choice(TAILS)} {n + 1}"
        person_id = people.person_add(
            **ids,  # type: ignore[arg-type]
            details=people.Details(
                alias=alias, closeness=rng.choice(closeness), consent=rng.choice(consent)
            ),
        )
        if rng.random() < 0.8:
            answered = rng.sample(keys, rng.randint(1, len(keys)))
            positions.positions_record(
                **ids,  # type: ignore[arg-type]
                person_id=person_id,
                positions={key: (rng.choice(list(Position)), "") for key in answered},
            )
        if rng.random() < 0.15:
            roles.role_assign(
                **ids,  # type: ignore[arg-type]
                role=rng.choice(["logistics", "support_harmed", "safety_watch"]),
                holder=f"person:{person_id}",
            )
    return intervention_id


if __name__ == "__main__":
    print(build(Path(sys.argv[1]), sys.argv[2]))
