"""Writers racing on one intervention, each thread with its own database connection.

Used in-process by test_concurrency (PostgreSQL), and by `main` in a subprocess against a
fresh SQLite *file*, the way personal mode runs: the in-memory SQLite test database cannot
be written by several threads at once.
"""

from __future__ import annotations

import json
import threading
from dataclasses import asdict, dataclass
from typing import Any

from allymap.services import interventions, people
from allymap.services.errors import BusyTryAgain
from allymap.services.keyring import Keyring
from allymap.services.people import Details
from allymap.store.models import Event
from tests.people import account_beside_the_owner, fresh, join_team


@dataclass
class Outcome:
    """What the writers were told, and what the log holds afterwards."""

    acknowledged: list[str]  # aliases whose person_add returned
    refused: int  # person_add calls that raised BusyTryAgain (nothing saved, and said so)
    errors: list[str]  # anything else: always a failure
    in_state: list[str]  # aliases on the map when the intervention is opened afterwards
    seqs: list[int]


def race(owner: Keyring, *, writers: int, people_each: int) -> Outcome:
    """Start an intervention, put `writers` accounts on its team, and let each add
    `people_each` people at the same moment."""
    from django.db import connections
    from django.test import override_settings

    # Teams of several accounts are hosted mode's (personal mode trusts only itself).
    with override_settings(HOSTED=True):
        return _race(owner, writers=writers, people_each=people_each, connections=connections)


def _race(owner: Keyring, *, writers: int, people_each: int, connections: Any) -> Outcome:
    intervention_id = interventions.intervention_start(
        keyring=owner, code_name="Race", doing_harm_alias="R"
    )
    team = [owner] + [account_beside_the_owner().keyring for _ in range(writers - 1)]
    for member in team[1:]:
        join_team(owner, intervention_id, member)
    start = threading.Barrier(writers)
    lock = threading.Lock()
    outcome = Outcome(acknowledged=[], refused=0, errors=[], in_state=[], seqs=[])

    def write(number: int, writer: Keyring) -> None:
        try:
            start.wait()
            for each in range(people_each):
                alias = f"w{number} p{each}"
                try:
                    people.person_add(
                        keyring=fresh(writer),
                        intervention_id=intervention_id,
                        details=Details(alias=alias),
                    )
                except BusyTryAgain:
                    with lock:
                        outcome.refused += 1
                else:
                    with lock:
                        outcome.acknowledged.append(alias)
        except Exception as failure:  # reported to the test, which fails on any
            with lock:
                outcome.errors.append(repr(failure))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=write, args=(number, writer)) for number, writer in enumerate(team)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    if any(thread.is_alive() for thread in threads):
        outcome.errors.append("a writer did not finish in 120 s")
    state = interventions.intervention_open(keyring=fresh(owner), intervention_id=intervention_id)
    outcome.in_state = [person.alias for person in state.active_people()]
    outcome.seqs = list(
        Event.objects.filter(intervention_id=intervention_id)
        .order_by("seq")
        .values_list("seq", flat=True)
    )
    return outcome


# Django must be set up before this module is imported, hence the `-c`.
COMMAND = "import django; django.setup(); from tests.services.race import main; main()"


def main() -> None:
    """Migrate a fresh database (ALLYMAP_DATA_DIR), race, print the outcome as JSON.

    Arguments: the number of writers and of people each adds."""
    import sys

    from django.core.management import call_command

    from tests.people import owner_create

    call_command("migrate", verbosity=0)
    writers, people_each = (int(arg) for arg in sys.argv[1:3])
    outcome = race(owner_create()[0].keyring, writers=writers, people_each=people_each)
    print(json.dumps(asdict(outcome)))
