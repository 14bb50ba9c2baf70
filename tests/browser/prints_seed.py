"""An intervention for the print tests, written through the services into a data folder
before a server starts on it: `python -m tests.browser.prints_seed` with ALLYMAP_DATA_DIR
(and DATABASE_URL, on the PostgreSQL run) in the environment. It prints the ids as JSON.

Everything typed about anyone but THE ALLY (their alias, connections, offers, evidence,
consent and who will ask, notes, check-ins that name them, talked-through notes, roles of
their own, a set-aside gap's note) carries `PLANTED`, so a print that must say nothing
about them can be checked for that one mark. The account's own self-check carries
`SELF_CHECK`, which no print may show. The ally's own alias, roles and supporters' names
are written without the mark: their copy must show them.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from datetime import date

PASSPHRASE = "harakeke paper lantern tide"
PLANTED = "PLANTED"
SELF_CHECK = "Xanthorrhoea-selfcheck-quince"

ALLY_ALIAS = "Aunty Marguerite"
ALLY_CUSTOM_ROLE = "Kai and lifts to hui"
SUPPORTER_ON_MAP = "Cousin Bramwell"
SUPPORTER_ON_TEAM = "Teammate Oriel"
SUPPORTER_OUTSIDE = "Her friend Lavinia"


@dataclass(frozen=True)
class Seeded:
    intervention_id: str
    ally_id: str
    other_ids: list[str]
    supporter_member_id: str


def seed() -> Seeded:
    """Set up the account and write the intervention (see the module doc)."""
    from allymap.domain import Consent
    from allymap.services import (
        accounts,
        follow,
        gaps,
        interventions,
        notes,
        people,
        positions,
        roles,
        selfcheck,
        summary,
        team,
    )

    keyring = accounts.account_create(passphrase=PASSPHRASE)[0].keyring
    iid = interventions.intervention_start(
        keyring=keyring,
        code_name=f"{PLANTED} code name Quasar",
        doing_harm_alias=f"{PLANTED} doing harm Ravelin",
        harmed_alias=f"{PLANTED} harmed Saffron",
    )
    k = {"keyring": keyring, "intervention_id": iid}
    asker = team.member_add(**k, name=f"{PLANTED} member Ignatius")
    oriel = team.member_add(**k, name=SUPPORTER_ON_TEAM)

    def other(n: int, **extra: str) -> str:
        return people.person_add(
            **k,
            details=people.Details(
                alias=f"{PLANTED} alias {n} Thornbury",
                relationship=f"{PLANTED} connection {n}",
                relationship_harmed=f"{PLANTED} connection to the person harmed {n}",
                offers=f"{PLANTED} offers {n}",
                other_ways=f"{PLANTED} other ways {n}",
                **extra,
            ),
        )

    ally = people.person_add(
        **k,
        details=people.Details(
            alias=ALLY_ALIAS, relationship="his aunt", consent=Consent.AGREED.value
        ),
    )
    first = other(1, consent=Consent.ASKED.value, asker=asker)
    second = other(2)
    bramwell = people.person_add(
        **k,
        details=people.Details(
            alias=SUPPORTER_ON_MAP, relationship=f"{PLANTED} supporter's own connection"
        ),
    )
    for person in (ally, first, second, bramwell):
        positions.positions_record(
            **k,
            person_id=person,
            positions={
                "respected": ("ally", f"{PLANTED} evidence of mine"),
                "communicates": ("leans_in_the_way", f"{PLANTED} more evidence"),
            },
        )
        positions.positions_record(
            **k,
            person_id=person,
            member_id=asker,
            positions={"respected": ("in_the_way", f"{PLANTED} evidence of theirs")},
        )
    summary.difference_talked_through(
        **k, person_id=first, row_key="respected", note=f"{PLANTED} talked through"
    )
    notes.note_add(**k, text=f"{PLANTED} a note about them", person_id=first)

    ally_key, first_key = f"person:{ally}", f"person:{first}"
    roles.role_assign(**k, role="accountability_ally", holder=ally_key)
    roles.role_assign(**k, role="accountability_ally", holder=f"person:{second}")
    roles.role_assign(**k, role="support_allies", holder=f"member:{oriel}")
    roles.role_assign(**k, role="logistics", holder=first_key)
    kai = roles.role_name(**k, name=ALLY_CUSTOM_ROLE)
    roles.role_assign(**k, role=kai, holder=ally_key)
    theirs = roles.role_name(**k, name=f"{PLANTED} a role of their own")
    roles.role_assign(**k, role=theirs, holder=first_key)
    roles.support_add(**k, ally=ally_key, supporter=f"person:{bramwell}")
    roles.support_add(**k, ally=ally_key, supporter=f"member:{oriel}")
    roles.support_add(**k, ally=ally_key, supporter_name=SUPPORTER_OUTSIDE)
    roles.support_add(**k, ally=f"person:{second}", supporter_name=f"{PLANTED} outside")

    follow.check_in_add(
        **k,
        on=date(2026, 11, 2),
        happened=f"{PLANTED} what happened",
        wins=f"{PLANTED} small wins",
        worries=f"{PLANTED} worried about Thornbury",
        revisit=[first],
    )
    follow.staircase_note(
        **k, step="recognise_violence", on=date(2026, 11, 3), text=f"{PLANTED} step"
    )
    gap = gaps.gaps_reading(**k).shown[0]
    gaps.gap_set_aside(**k, gap_key=gap.key, note=f"{PLANTED} leaving it for now")

    selfcheck.self_check_keep(
        **k, answers={"respected": ("leans_ally", f"I think {SELF_CHECK} about myself")}
    )
    return Seeded(iid, ally, [first, second, bramwell], oriel)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "allymap.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    print(json.dumps(asdict(seed())))


if __name__ == "__main__":
    main()
