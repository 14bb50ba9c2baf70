"""Benchmark: every page of a realistic intervention, served in-process.

Budget (issue 10, from the design's performance budgets): each page takes at most 10 ms
median server time and weighs at most 60 KB (its HTML and the CSS and JS it links), and
a page makes the same number of database queries whether the intervention has 10 or
10,000 events.

What it does, from the repository root:

    .venv/bin/python bench/pages.py            # 9,999 events (about two minutes)
    .venv/bin/python bench/pages.py --quick    # 999 events, fewer runs
    .venv/bin/python bench/pages.py --database-url postgres://user@127.0.0.1:5432/postgres

1. Makes a throwaway installation with the harness (bench/harness.py).
2. Builds, through the real services, an intervention of 60 people on the map and a
   history of 9,999 events (999 with --quick), one short of the next snapshot so that
   every request replays the 199 events since the last one (the most a normal open
   replays): people added early on (and a few taken off the map later, their history
   kept), then reflections (``positions_record``, 1 to 10 rows at a time), team notes
   (``note_add``) and changes to a person's name or connection (``person_change``), in
   fixed shares and with a fixed seed. The team is 4: the owner's own member and 3
   added by name (``member_add``); each reflection is one member's view. A second,
   10-event intervention (every kind of event) is built beside it for the query counts.
3. Takes every page that answers GET from tests/web/every_page.py (``page_urls``),
   except the ones that end the session, plus the side-by-side chart with 8 people
   chosen (the budget's case), and requests each once with Django's test
   Client holding both halves of an unlocked session: its status, HTML bytes and the
   sizes of the CSS and JS files it links. Then times them with the harness (warm-ups,
   then the pages in turn, round by round) and counts each page's queries with
   ``CaptureQueriesContext`` at the full history and at 10 events. The timing is as
   allymap serves: the opening of the intervention is kept in memory between requests
   (services/kept.py) and checked against the stored rows by each. Then the pages are
   timed again with nothing kept (``ALLYMAP_KEPT_SECONDS=0``: every request decrypts
   and replays, as the first page after a change does), and once more after one note
   more has put a snapshot at the newest event (nothing to replay), to show what
   replaying costs each page.
4. Prints one line per page with MET/OVER against the budget (and below the table each
   page whose query count differs between 10 and 10,000 events), and appends one JSON line
   to ``pages.jsonl`` in the results folder (outside the repository; see
   bench/README.md). It always exits 0: a budget not met is a figure, not an error.
"""

from __future__ import annotations

import argparse
import math
import random
import secrets
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import harness
from open_intervention import EVIDENCE_PHRASES, RELATIONSHIPS, latest_snapshot_seq

BENCHMARK = "pages"

#: Issue 10's budget per page: median server time, and weight (HTML + linked CSS + JS,
#: uncompressed; 1 KB = 1,024 bytes).
BUDGET_MS = 10.0
BUDGET_KB = 60
BUDGET_BYTES = BUDGET_KB * 1024

FULL_EVENTS, QUICK_EVENTS, SMALL_EVENTS = 10_000, 1_000, 10
#: People on the map at the end, and people added then taken off it along the way.
PEOPLE, REMOVED = 60, 4
#: People are added over this first part of the history; removals happen at these points.
ADD_SPREAD = 0.2
REMOVAL_POINTS = (0.3, 0.5, 0.7, 0.9)
#: After the people are in, each step is the kind of event furthest below its share.
SHARES = {"answers": 0.87, "notes": 0.10, "person_changes": 0.03}
#: The team: the owner's own member and these, added by name (`team.member_add`) right
#: after the start, as a facilitator does; each reflection is one member's view.
TEAM_NAMES = ("Hine", "Matiu", "Rosa")
TEAM_MEMBERS = 1 + len(TEAM_NAMES)
TEAM_NOTE = (
    f"team: {TEAM_MEMBERS} members (the owner's own and {len(TEAM_NAMES)} added by name); "
    "each reflection records one member's view, chosen at random."
)
#: The side-by-side chart is judged with this many people chosen (the issue's budget).
COMPARE_CHOSEN = 8
#: A browser on the machine allymap serves (ALLOWED_HOSTS holds it).
HOST = "127.0.0.1"

FIRST_NAMES = (
    "Aroha", "Tama", "Mere", "Hemi", "Sione", "Grace", "Liam", "Priya", "Wiremu", "Losa",
    "Ngaio", "Ben", "Kiri", "Mei", "Tui", "Rangi", "Ana", "Jack", "Moana", "Sam",
)  # fmt: skip
NICKNAMES = ("Nan", "Bro", "Coach", "Uncle", "Sis", "Boss", "Aunty", "Mate")
NOTE_PHRASES = (
    "Called after the hui; he was calmer than last time.",
    "She wants to be kept out of anything he hears about.",
    "Next check-in is Thursday at the marae; bring the chart.",
    "He asked who else knows. We did not say.",
    "Worried the cousins will tell him what we discussed.",
    "The school counsellor offered to meet with us in the holidays.",
    "Safety plan checked with her again; nothing to change for now.",
    "Remember to ask how the kids are getting to school this week.",
)


# -- building ----------------------------------------------------------------------------


@dataclass
class Mix:
    """What the history is made of: events by kind, and the service calls that made them."""

    started: int = 0
    members_added: int = 0
    people_added: int = 0
    people_removed: int = 0
    answers: int = 0
    reflections: int = 0
    notes: int = 0
    person_changes: int = 0

    @property
    def events(self) -> int:
        return (
            self.started
            + self.members_added
            + self.people_added
            + self.people_removed
            + self.answers
            + self.notes
            + self.person_changes
        )

    @property
    def service_calls(self) -> int:
        return (
            self.started
            + self.members_added
            + self.people_added
            + self.people_removed
            + self.reflections
            + self.notes
            + self.person_changes
        )

    def describe(self) -> str:
        return (
            f"{self.members_added} team members added, {self.people_added} people added, "
            f"{self.people_removed} taken off the map, "
            f"{self.answers:,} answers in {self.reflections:,} reflections, "
            f"{self.notes:,} notes, {self.person_changes:,} person changes"
        )


@dataclass
class Built:
    """One intervention made for the benchmark, and the person whose pages are shown."""

    label: str
    intervention_id: str
    person_id: str
    #: The people chosen for the side-by-side chart: those with the longest histories.
    chosen: tuple[str, ...]
    events: int
    people: int
    seconds: float
    snapshots: int
    mix: Mix


@dataclass
class Builder:
    """Writes one intervention through the services, checking every call's events."""

    keyring: Any
    rng: random.Random
    intervention_id: str = ""
    seq: int = 0
    counter: int = 0
    mix: Mix = field(default_factory=Mix)
    #: The people on the map: id -> [alias, relationship].
    people: dict[str, list[str]] = field(default_factory=dict)
    #: Whose views are recorded: None for the owner's own member, then the added ones.
    members: list[str | None] = field(default_factory=lambda: [None])
    #: Events about each person (added, answers, notes, changes): the page shows the
    #: person with the longest history.
    history: dict[str, int] = field(default_factory=dict)

    def _appended(self, count: int) -> None:
        newest = harness.newest_seq(self.intervention_id)
        if newest != self.seq + count:
            raise RuntimeError(f"expected event {self.seq + count}, the log is at {newest}")
        self.seq = newest

    def start(self, code_name: str) -> None:
        from allymap.services.interventions import intervention_start

        self.intervention_id = intervention_start(
            keyring=self.keyring, code_name=code_name, doing_harm_alias="R", harmed_alias="M"
        )
        self.mix.started += 1
        self._appended(1)

    def add_member(self, name: str) -> None:
        from allymap.services.team import member_add

        self.members.append(
            member_add(keyring=self.keyring, intervention_id=self.intervention_id, name=name)
        )
        self.mix.members_added += 1
        self._appended(1)

    def add_person(self) -> str:
        from allymap.services.people import Details, person_add

        number = self.mix.people_added + 1
        alias = f"{FIRST_NAMES[number % len(FIRST_NAMES)]} {chr(ord('A') + number % 26)}."
        relationship = self.rng.choice(RELATIONSHIPS)
        person_id = person_add(
            keyring=self.keyring,
            intervention_id=self.intervention_id,
            details=Details(alias=alias, relationship=relationship),
        )
        self.people[person_id] = [alias, relationship]
        self.history[person_id] = 1
        self.mix.people_added += 1
        self._appended(1)
        return person_id

    def remove_person(self, person_id: str) -> None:
        from allymap.services.people import person_remove

        person_remove(
            keyring=self.keyring, intervention_id=self.intervention_id, person_id=person_id
        )
        del self.people[person_id]
        del self.history[person_id]
        self.mix.people_removed += 1
        self._appended(1)

    def reflect(self, rows: int, person_id: str | None = None) -> None:
        """One reflection on a person: `rows` rows of the chart answered at once, each a
        change (the evidence names the check-in), so each becomes one event."""
        from allymap.chart import Position, default_chart
        from allymap.services.positions import positions_record

        person_id = person_id or self.rng.choice(list(self.people))
        self.counter += 1
        evidence = " ".join(self.rng.sample(EVIDENCE_PHRASES, self.rng.randint(1, 3)))
        positions = {
            row: (self.rng.choice(list(Position)), f"{evidence} (check-in {self.counter})")
            for row in self.rng.sample(default_chart().keys, rows)
        }
        positions_record(
            keyring=self.keyring,
            intervention_id=self.intervention_id,
            person_id=person_id,
            positions=positions,
            member_id=self.rng.choice(self.members),
        )
        self.history[person_id] += rows
        self.mix.reflections += 1
        self.mix.answers += rows
        self._appended(rows)

    def note(self, person_id: str | None = None) -> None:
        from allymap.services.notes import note_add

        if person_id is None and self.rng.random() < 0.6:
            person_id = self.rng.choice(list(self.people))
        self.counter += 1
        text = " ".join(self.rng.sample(NOTE_PHRASES, self.rng.randint(1, 3)))
        note_add(
            keyring=self.keyring,
            intervention_id=self.intervention_id,
            text=f"{text} ({self.counter})",
            person_id=person_id or "",
        )
        if person_id:
            self.history[person_id] += 1
        self.mix.notes += 1
        self._appended(1)

    def change_person(self, person_id: str | None = None) -> None:
        """A new connection, or now and then a nickname put on or taken off the name."""
        from allymap.services.people import Details, person_change

        person_id = person_id or self.rng.choice(list(self.people))
        alias, relationship = self.people[person_id]
        if self.rng.random() < 0.2:
            base, _, _nick = alias.partition(" (")
            alias = base if base != alias else f"{alias} ({self.rng.choice(NICKNAMES)})"
        else:
            relationship = self.rng.choice([r for r in RELATIONSHIPS if r != relationship])
        person_change(
            keyring=self.keyring,
            intervention_id=self.intervention_id,
            person_id=person_id,
            details=Details(alias=alias, relationship=relationship),
        )
        self.people[person_id] = [alias, relationship]
        self.history[person_id] += 1
        self.mix.person_changes += 1
        self._appended(1)

    def built(self, label: str, started: float, person_id: str | None = None) -> Built:
        from allymap.store.models import Snapshot

        longest = sorted(self.history, key=lambda p: -self.history[p])
        return Built(
            label=label,
            intervention_id=self.intervention_id,
            person_id=person_id or longest[0],
            chosen=tuple(longest[:COMPARE_CHOSEN]),
            events=self.seq,
            people=len(self.people),
            seconds=time.perf_counter() - started,
            snapshots=Snapshot.objects.filter(intervention_id=self.intervention_id).count(),
            mix=self.mix,
        )


def build(keyring: Any, events: int, rng: random.Random) -> Built:
    """An intervention of exactly `events` events with PEOPLE people on the map and a
    team of TEAM_MEMBERS.

    The members of TEAM_NAMES are added first. PEOPLE + REMOVED people are added over
    the first ADD_SPREAD of the history; one of the extras is taken off the map at each
    of REMOVAL_POINTS; every other step is the kind of event furthest below its share
    (SHARES): a reflection of 1 to 10 rows on a random person, as one member's view, a
    team note (about a person 6 times in 10), or a person change.
    """
    to_add = PEOPLE + REMOVED
    if events < 10 * to_add:
        raise ValueError(f"{events} events are too few for {to_add} people")
    started = time.perf_counter()
    builder = Builder(keyring, rng)
    builder.start(f"Bench pages {events}")
    for name in TEAM_NAMES:
        builder.add_member(name)
    spread = ADD_SPREAD * events
    removals = [math.ceil(point * events) for point in REMOVAL_POINTS[:REMOVED]]
    extras: list[str] = []
    while builder.seq < events:
        due = math.ceil(to_add * min(1.0, builder.seq / spread))
        if builder.mix.people_added < max(1, due):
            person_id = builder.add_person()
            # Every (PEOPLE + REMOVED) / REMOVED-th person added is taken off later.
            if builder.mix.people_added % (to_add // REMOVED) == 0 and len(extras) < REMOVED:
                extras.append(person_id)
        elif removals and builder.seq >= removals[0]:
            removals.pop(0)
            builder.remove_person(extras.pop(0))
        else:
            done = {kind: getattr(builder.mix, kind) for kind in SHARES}
            total = sum(done.values()) + 1
            kind = max(SHARES, key=lambda k: SHARES[k] * total - done[k])
            if kind == "answers":
                builder.reflect(min(events - builder.seq, rng.randint(1, 10)))
            elif kind == "notes":
                builder.note()
            else:
                builder.change_person()
    if builder.mix.people_removed != REMOVED or len(builder.people) != PEOPLE:
        raise RuntimeError(f"{len(builder.people)} people on the map, expected {PEOPLE}")
    return builder.built(f"{events:,} events", started)


def build_small(keyring: Any, rng: random.Random) -> Built:
    """A 10-event intervention with every kind of event of the large one: started, a
    team member added, two people added, a reflection of 4 rows, a note and a person
    change."""
    started = time.perf_counter()
    builder = Builder(keyring, rng)
    builder.start(f"Bench pages {SMALL_EVENTS}")
    builder.add_member(TEAM_NAMES[0])
    first = builder.add_person()
    second = builder.add_person()
    builder.reflect(4, first)
    builder.note(first)
    builder.change_person(second)
    if builder.seq != SMALL_EVENTS:
        raise RuntimeError(f"the small intervention has {builder.seq} events")
    return builder.built(f"{SMALL_EVENTS} events", started, first)


# -- the pages ---------------------------------------------------------------------------


class _Links(HTMLParser):
    """The stylesheets and scripts a page links."""

    def __init__(self) -> None:
        super().__init__()
        self.css: list[str] = []
        self.js: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "link" and "stylesheet" in (values.get("rel") or "").split():
            self.css.append(values.get("href") or "")
        elif tag == "script" and values.get("src"):
            self.js.append(values["src"] or "")


def static_path(url: str) -> Path:
    """The file a static URL names, in the folder allymap serves it from."""
    from django.conf import settings

    root = Path(settings.STATIC_ROOT).resolve()
    relative = url.split("?")[0].split("#")[0].removeprefix(settings.STATIC_URL)
    path = (root / relative).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise RuntimeError(f"a page links {url!r}, which is not a static file")
    return path


def linked_bytes(client: Any, url: str) -> tuple[int, int]:
    """(as sent, whole) bytes of a stylesheet or script a page links. As sent is what a
    browser that accepts gzip (every browser) receives: allymap compresses its static
    files, never a page (docs/threat-model.md, "Compression"); one that allymap makes
    per request (the print stylesheet, say) is sent whole. Raises RuntimeError when it
    cannot be fetched."""
    from django.conf import settings

    response = client.get(url, headers={"accept-encoding": "gzip, deflate, br"})
    if response.status_code != 200:
        raise RuntimeError(f"a page links {url!r}, which answers {response.status_code}")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if url.startswith(settings.STATIC_URL):
        return len(body), static_path(url).stat().st_size
    return len(body), len(body)


@dataclass
class Page:
    """One page of the large intervention: what one request gives, and what it costs."""

    name: str
    url: str = field(repr=False)
    needs_unlock: bool
    status: int = 0
    html_bytes: int = 0
    css_bytes: int = 0
    js_bytes: int = 0
    #: HTML, CSS and JS uncompressed (what the budget counted before static files were
    #: compressed, for comparing with earlier runs).
    whole_bytes: int = 0
    error: str = ""
    median_ms: float | None = None
    p90_ms: float | None = None
    min_ms: float | None = None
    #: The median with nothing kept between requests (ALLYMAP_KEPT_SECONDS=0): every
    #: request opens the log afresh, replaying the events after the snapshot. What the
    #: first page after a change costs.
    afresh_median_ms: float | None = None
    #: The same, once one more event has put the newest snapshot at the newest event
    #: (nothing to replay): what the page costs besides replaying.
    no_replay_median_ms: float | None = None
    queries: int | None = None
    writes: int | None = None
    queries_small: int | None = None

    @property
    def total_bytes(self) -> int:
        return self.html_bytes + self.css_bytes + self.js_bytes

    @property
    def time_met(self) -> bool | None:
        return None if self.median_ms is None else self.median_ms <= BUDGET_MS

    @property
    def weight_met(self) -> bool | None:
        return None if self.error else self.total_bytes <= BUDGET_BYTES

    @property
    def same_queries(self) -> bool | None:
        if self.queries is None or self.queries_small is None:
            return None
        return self.queries == self.queries_small


#: The extra case of the side-by-side chart: its page with people chosen.
COMPARE_CHOSEN_PAGE = f"compare ({COMPARE_CHOSEN} chosen)"


def the_pages(built: Built) -> list[tuple[str, str, bool]]:
    """(name, url, needs unlocking) of every GET page of `built`, minus the session enders,
    and after the side-by-side chart the same page with `built.chosen` chosen (the
    budget's case: `COMPARE_CHOSEN` people, fewer on a map that has fewer)."""
    from tests.web.every_page import every_page, page_urls

    facts = {page.name: page for page in every_page(strict=True)}
    urls = page_urls(intervention_id=built.intervention_id, person_id=built.person_id)
    found: list[tuple[str, str, bool]] = []
    for name, url in urls.items():
        if facts[name].ends_session:
            continue
        found.append((name, url, facts[name].unlocked))
        if name == "compare":
            chosen = urlencode([("p", person_id) for person_id in built.chosen])
            found.append((COMPARE_CHOSEN_PAGE, f"{url}?{chosen}", facts[name].unlocked))
    return found


def probe(client: Any, page: Page) -> None:
    """Request `page` once: its status, HTML bytes and linked CSS and JS. A page that
    fails (an exception, a 5xx, or a locked answer where an unlocked page was expected)
    keeps the reason in `page.error` and is not timed."""
    try:
        response = client.get(page.url)
    except Exception as error:  # a broken page is reported, the others still measured
        page.error = f"{type(error).__name__}: {error}"
        return
    page.status = response.status_code
    if response.status_code >= 500:
        page.error = f"status {response.status_code}"
        return
    if page.needs_unlock and response.status_code != 200:
        page.error = f"status {response.status_code}: is the session still unlocked?"
        return
    page.html_bytes = len(response.content)
    if "html" in response.get("Content-Type", ""):
        links = _Links()
        links.feed(response.content.decode(response.charset or "utf-8"))
        try:
            css = [linked_bytes(client, url) for url in links.css]
            js = [linked_bytes(client, url) for url in links.js]
        except RuntimeError as error:  # reported with the page, the others still measured
            page.error = str(error)
            return
        page.css_bytes = sum(sent for sent, _whole in css)
        page.js_bytes = sum(sent for sent, _whole in js)
        page.whole_bytes = page.html_bytes + sum(whole for _sent, whole in css + js)
    else:
        page.whole_bytes = page.html_bytes


def fetcher(client: Any, page: Page) -> Callable[[], None]:
    """One timed request; raises if the page answers differently from the probe."""

    def fetch() -> None:
        status = client.get(page.url).status_code
        if status != page.status:
            raise RuntimeError(f"{page.name} answered {status}, expected {page.status}")

    return fetch


def kept_memory(client: Any, pages: list[Page]) -> int:
    """Bytes Python holds for the large intervention kept between requests: the opening
    and every page's remembered work (services/kept.py), measured with tracemalloc from
    nothing kept to every page requested once. The interventions page opens both
    interventions; the small one's share is small."""
    import gc
    import tracemalloc

    from allymap.services import kept

    tracemalloc.start()
    try:
        kept.forget_all()
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        for page in pages:
            client.get(page.url)
        gc.collect()
        return tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()


def count_queries(client: Any, url: str) -> tuple[int, int]:
    """The queries one request makes (all, and those that write), after one request to
    warm it up."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    writes = sum(
        1
        for query in captured.captured_queries
        if query["sql"].lstrip().split(" ", 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}
    )
    return len(captured), writes


def refresh_session(client: Any, unlocked: Any) -> None:
    """Mark the session active now, so the once-a-minute refresh of its idle clock (a
    session write) does not fall inside the query counts."""
    from allymap.services.sessions import session_fill

    session = client.session
    session_fill(session, unlocked)
    session.save()


def unlocked_client(unlocked: Any) -> Any:
    """The test suite's browser with both halves of an unlocked session, asking for the
    address personal mode serves (ALLOWED_HOSTS), not Django's "testserver"."""
    from tests.standing import unlocked_client as standing_client

    client = standing_client(unlocked)
    client.defaults["SERVER_NAME"] = HOST
    return client


# -- reporting ---------------------------------------------------------------------------


def _verdict(met: bool | None) -> str:
    return "-" if met is None else ("MET" if met else "OVER")


def columns(full: Built) -> tuple[harness.Column, ...]:
    return (
        harness.Column("page", 21, "<"),
        harness.Column("status", 6),
        harness.Column("median ms", 9),
        harness.Column("p90 ms", 7),
        harness.Column("afresh ms", 9),
        harness.Column("0-replay ms", 11),
        harness.Column("HTML B", 7),
        harness.Column("CSS B", 6),
        harness.Column("JS B", 6),
        harness.Column("total KB", 8),
        harness.Column("whole KB", 8),
        harness.Column(f"q@{SMALL_EVENTS}", 5),
        harness.Column(f"q@{full.events:,}", 8),
        harness.Column("writes", 6),
        harness.Column("time", 5),
        harness.Column("weight", 6),
        harness.Column("queries", 7),
    )


def table_row(page: Page) -> list[str]:
    if page.error:
        return [page.name, str(page.status or "-"), "ERROR", *[""] * 14]

    def number(value: int | None) -> str:
        return "-" if value is None else f"{value:,}"

    return [
        page.name,
        str(page.status),
        f"{page.median_ms:.2f}",
        f"{page.p90_ms:.2f}",
        f"{page.afresh_median_ms:.2f}",
        f"{page.no_replay_median_ms:.2f}",
        f"{page.html_bytes:,}",
        f"{page.css_bytes:,}",
        f"{page.js_bytes:,}",
        f"{page.total_bytes / 1024:.1f}",
        f"{page.whole_bytes / 1024:.1f}",
        number(page.queries_small),
        number(page.queries),
        number(page.writes),
        _verdict(page.time_met),
        _verdict(page.weight_met),
        _verdict(page.same_queries),
    ]


def budget(pages: list[Page]) -> dict[str, Any]:
    measured = [page for page in pages if not page.error]
    return {
        "limit_ms": BUDGET_MS,
        "limit_bytes": BUDGET_BYTES,
        "pages": len(pages),
        "errors": [page.name for page in pages if page.error],
        "time_over": [page.name for page in measured if not page.time_met],
        "weight_over": [page.name for page in measured if not page.weight_met],
        "weight_over_whole": [page.name for page in measured if page.whole_bytes > BUDGET_BYTES],
        "queries_differ": [page.name for page in measured if page.same_queries is False],
        "met": all(p.time_met and p.weight_met and p.same_queries for p in measured)
        and len(measured) == len(pages),
    }


def print_budget(judged: dict[str, Any], pages: list[Page], full: Built, *, quick: bool) -> None:
    def listed(names: list[str]) -> str:
        return ": " + ", ".join(names) if names else ""

    measured = len(pages) - len(judged["errors"])
    print(
        f"Budget (issue 10): each page ≤ {BUDGET_MS:.0f} ms median and ≤ {BUDGET_KB} KB "
        f"(HTML + linked CSS + JS as a browser receives them: the HTML whole, static files "
        f"gzip-compressed; 1 KB = 1,024 bytes); the same queries at "
        f"{SMALL_EVENTS} and at {full.events:,} events."
    )
    print(
        f"  time:    {measured - len(judged['time_over'])} of {measured} pages MET, "
        f"{len(judged['time_over'])} OVER{listed(judged['time_over'])}"
    )
    print(
        f"  weight:  {measured - len(judged['weight_over'])} of {measured} pages MET, "
        f"{len(judged['weight_over'])} OVER{listed(judged['weight_over'])}"
    )
    print(
        f"           (counted with the files uncompressed, as before they were compressed: "
        f"{measured - len(judged['weight_over_whole'])} of {measured} MET, "
        f"{len(judged['weight_over_whole'])} OVER{listed(judged['weight_over_whole'])})"
    )
    print(
        f"  queries: the same on {measured - len(judged['queries_differ'])} of {measured} "
        f"pages, different on {len(judged['queries_differ'])}{listed(judged['queries_differ'])}"
    )
    for page in pages:
        if page.same_queries is False:
            print(
                f"    {page.name}: {page.queries_small} queries at {SMALL_EVENTS} events, "
                f"{page.queries} at {full.events:,}"
            )
    if judged["errors"]:
        print(f"  not measured (failed): {', '.join(judged['errors'])}")
        for page in pages:
            if page.error:
                print(f"    {page.name}: {page.error}")
    if quick:
        print(f"  a --quick run has {full.events:,} events, not ~{FULL_EVENTS:,}: indicative only.")


def _rounded(values: dict[str, Any], digits: int) -> dict[str, Any]:
    return {k: round(v, digits) if isinstance(v, float) else v for k, v in values.items()}


# -- main --------------------------------------------------------------------------------


def run(options: harness.Options, database: harness.Database) -> None:
    from django.conf import settings

    from allymap.services import accounts
    from allymap.services.notes import note_add

    # One event short of the next snapshot: every request replays the events since the
    # last one (just under ALLYMAP_SNAPSHOT_EVERY), the most a normal open replays, as
    # open_intervention.py judges its budget. (Only the newest snapshot is kept, so it
    # cannot be removed to get there: a log without one is replayed whole.)
    every: int = settings.ALLYMAP_SNAPSHOT_EVERY
    size = QUICK_EVENTS if options.quick else FULL_EVENTS
    events = max(every, size // every * every) - 1
    details = f"{events:,} events, {PEOPLE} people, snapshot every {every} events"
    harness.print_banner(BENCHMARK, options, database, details)
    print(TEAM_NOTE)

    # A throwaway account in a throwaway database: its passphrase is never needed again.
    unlocked, _recovery = accounts.account_create(passphrase=secrets.token_urlsafe(24))
    rng = random.Random(20261126)  # the same history on every run
    print(f"building {events:,} events…", end=" ", flush=True)
    full = build(unlocked.keyring, events, rng)
    snapshot_before = latest_snapshot_seq(full.intervention_id)
    print(
        f"{full.seconds:.1f} s ({full.mix.service_calls:,} service calls; the newest "
        f"snapshot is at event {snapshot_before or 0:,})"
    )
    print(f"  {full.mix.describe()}")
    small = build_small(unlocked.keyring, rng)
    print(f"building {SMALL_EVENTS} events… ({small.mix.describe()})")

    client = unlocked_client(unlocked)
    pages = [Page(name, url, needs) for name, url, needs in the_pages(full)]
    for page in pages:
        probe(client, page)
    if options.args.save_pages:
        save_pages(client, pages, Path(options.args.save_pages))
    if options.args.profile:
        profile(client, pages, options.args.profile, runs=options.runs)
        return
    timed = [page for page in pages if not page.error]
    samples = harness.time_round_robin(
        [fetcher(client, page) for page in timed], runs=options.runs, warmups=options.warmups
    )
    for page, sample in zip(timed, samples, strict=True):
        page.median_ms, page.p90_ms, page.min_ms = sample.median_ms, sample.p90_ms, sample.min_ms
    snapshot = latest_snapshot_seq(full.intervention_id)
    replayed = full.events - (snapshot or 0)

    refresh_session(client, unlocked)
    small_urls = {name: url for name, url, _needs in the_pages(small)}
    for page in timed:
        page.queries, page.writes = count_queries(client, page.url)
        page.queries_small, _writes = count_queries(client, small_urls[page.name])

    kept_bytes = kept_memory(client, timed)
    print(
        f"memory kept between requests for the {full.events:,}-event intervention, its "
        f"opening and what its pages remember with it: {kept_bytes / 2**20:.1f} MiB "
        f"(Python allocations, tracemalloc)"
    )

    # With nothing kept between requests, each request opens the log afresh.
    settings.ALLYMAP_KEPT_SECONDS = 0
    samples = harness.time_round_robin(
        [fetcher(client, page) for page in timed], runs=options.runs, warmups=options.warmups
    )
    for page, sample in zip(timed, samples, strict=True):
        page.afresh_median_ms = sample.median_ms

    # One note more crosses the multiple of ALLYMAP_SNAPSHOT_EVERY: the services write a
    # snapshot at the newest event, and the same pages are timed with nothing to replay
    # (still opened afresh each time).
    note_add(keyring=unlocked.keyring, intervention_id=full.intervention_id, text="Check-in.")
    if latest_snapshot_seq(full.intervention_id) != full.events + 1:
        raise RuntimeError("the note past the snapshot interval wrote no snapshot")
    samples = harness.time_round_robin(
        [fetcher(client, page) for page in timed], runs=options.runs, warmups=options.warmups
    )
    for page, sample in zip(timed, samples, strict=True):
        page.no_replay_median_ms = sample.median_ms

    print()
    print(
        f"{len(pages)} GET pages of tests/web/every_page.py (the session enders left out); "
        f"the person is the one with the longest history. Each request opens the "
        f"{full.events:,}-event intervention from the snapshot at event {snapshot or 0:,} "
        f"with {replayed} events after it (the most a normal open replays). median ms: "
        f"as served, the opening kept in memory from the request before "
        f"(services/kept.py), after reading the snapshot's facts and those {replayed} "
        f"events to check it still fits the log; the budget is judged on this. afresh ms: "
        f"with nothing kept (ALLYMAP_KEPT_SECONDS=0), so every request decrypts the "
        f"snapshot and replays the {replayed} events, as the first page after a change "
        f"does. 0-replay ms: afresh, once one note more has put a snapshot at the newest "
        f"event. The {SMALL_EVENTS}-event intervention has no snapshot and replays all "
        f"{SMALL_EVENTS}. The interventions page lists both."
    )
    if snapshot != snapshot_before:
        print(
            f"note: a request wrote a snapshot at event {snapshot or 0:,} (the previous one "
            f"was at {snapshot_before or 0:,}); the first runs replayed more."
        )
    harness.print_table(columns(full), [table_row(page) for page in pages])
    print(
        f"q@N: database queries of one request at N events; writes: those that insert, "
        f"update or delete, at {full.events:,} events."
    )
    print()
    judged = budget(pages)
    print_budget(judged, pages, full, quick=options.quick)

    line = harness.result_line(
        BENCHMARK,
        options,
        database,
        {
            "team_members": TEAM_MEMBERS,
            "team_note": TEAM_NOTE,
            "build": [
                {
                    "label": made.label,
                    "events": made.events,
                    "people": made.people,
                    "seconds": round(made.seconds, 2),
                    "snapshots": made.snapshots,
                    "service_calls": made.mix.service_calls,
                    "mix": asdict(made.mix),
                }
                for made in (full, small)
            ],
            "snapshot_every": every,
            "kept_bytes": kept_bytes,
            "snapshot_seq": snapshot,
            "replayed": replayed,
            "figures": [
                _rounded(
                    {
                        key: value
                        for key, value in asdict(page).items()
                        if key not in {"url", "needs_unlock"}
                    }
                    | {
                        "total_bytes": page.total_bytes,
                        "time_met": page.time_met,
                        "weight_met": page.weight_met,
                        "same_queries": page.same_queries,
                    },
                    3,
                )
                for page in pages
            ],
            "budget": judged,
        },
    )
    harness.record(BENCHMARK, line, options)


def profile(client: Any, pages: list[Page], names: list[str], *, runs: int) -> None:
    """Instead of timing: request each named page `runs` times under cProfile and print
    where the time goes (by own time and by cumulative time). Records nothing."""
    import cProfile
    import pstats

    by_name = {page.name: page for page in pages}
    for name in names:
        page = by_name.get(name)
        if page is None or page.error:
            raise SystemExit(f"no page {name!r} to profile; the pages: {', '.join(by_name)}")
        fetch = fetcher(client, page)
        fetch()
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(runs):
            fetch()
        profiler.disable()
        print(f"\n== {name}: {runs} requests under cProfile")
        stats = pstats.Stats(profiler).strip_dirs()
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats(40)


def save_pages(client: Any, pages: list[Page], folder: Path) -> None:
    """Write each page's answer to `folder`/NAME.html, to read where a page's bytes go.
    The pages hold only the benchmark's made-up people."""
    folder.mkdir(parents=True, exist_ok=True)
    for page in pages:
        if not page.error:
            (folder / f"{page.name.replace(' ', '_')}.html").write_bytes(
                client.get(page.url).content
            )
    print(f"pages written to {folder}")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--save-pages",
        metavar="DIR",
        help="also write each page's HTML to DIR (NAME.html), to see where its bytes go",
    )
    parser.add_argument(
        "--profile",
        action="append",
        metavar="PAGE",
        help="instead of timing, profile this page (a name from the table; repeatable) "
        "with cProfile and print where its time goes; records nothing",
    )


def main(argv: list[str] | None = None) -> int:
    harness.use_the_venv()
    options = harness.parse_options(
        argv,
        description="Time every page of an intervention of 60 people and 10,000 events, "
        "with its bytes and database queries.",
        add_arguments=add_arguments,
    )
    with harness.scratch_installation(options) as database:
        run(options, database)
    # A benchmark, not a timed test: the verdict is printed and recorded, never an error.
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
