"""No name of the demo leaks into a URL, a page title or the server's log.

`python -m allymap demo` fills a fresh data folder (and, in the PostgreSQL run, a fresh
database) with the made-up intervention of `allymap.services.demo`, in a subprocess with
the same environment as the server. A real server (tests/server.py) then serves it, and a
plain HTTP client unlocks it and crawls:

1. every page of the generated list (tests/web/every_page.py, `page_urls`), for every
   person of the demo (their ids read from the intervention page's links);
2. every same-site link found on the intervention's pages, once each (a visited set,
   bounded by MAX_REQUESTS);
3. an empty post to every form of the intervention (each answers with its errors), a
   person who is not on the map (a 404, which the server logs), and last the pages that
   end the session, then an intervention page while locked.

Every URL requested (redirects too), every `<title>` and every line of the server's log
is then searched for every text the demo typed in (`demo_content().texts()`: the code
name, aliases, team members' names, each person's details, evidence, what was said when a
difference was talked through, notes, the roles the team named, a supporter outside the
team, the notes of gaps set aside, check-ins and staircase notes), in the spellings a
leak could take
(escaped for HTML, a URL, a slug or a Python string; and the longer words of each name).
Positive controls make sure the search means something: the names, relationships and
evidence really were shown on the pages, every page of the list was walked, and the log
searched is the server's. Team notes have no page yet, so only their absence is checked.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, quote_plus, unquote, unquote_plus, urljoin, urlsplit
from urllib.request import HTTPCookieProcessor, HTTPRedirectHandler, Request, build_opener

import pytest
from django.utils.text import slugify

from allymap.services.demo import demo_content
from tests.canary.client import FormClient, Page
from tests.server import running_server, server_database, server_environment
from tests.web.every_page import every_page, page_urls

PASSPHRASE = "tui sings at dawn"
NOBODY = "no-such-person"
"""A person id on no map: its 404 puts a request line in the server's log."""
MAX_REQUESTS = 320
"""The crawl's bound: every request, redirects included (about 200 for the demo's dozen
people and three team members)."""

_TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL | re.IGNORECASE)
_LINK = re.compile(r"""\b(?:href|src)\s*=\s*["']([^"']*)["']""", re.IGNORECASE)


# --- a client that remembers every URL and title ------------------------------------------


class _Redirects(HTTPRedirectHandler):
    """Records the address of every redirect before following it."""

    def __init__(self, seen: list[str]) -> None:
        self.seen = seen

    def redirect_request(
        self, req: Request, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> Request | None:
        self.seen.append(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class CrawlClient(FormClient):
    """tests/canary/client.py's FormClient, keeping every URL it asked for (redirects
    too) and every page's title, and refusing to go past MAX_REQUESTS."""

    def __init__(self, base_url: str) -> None:
        super().__init__(base_url)
        self.urls: list[str] = []
        self.titles: list[tuple[str, str]] = []
        self._opener = build_opener(HTTPCookieProcessor(self.cookies), _Redirects(self.urls))

    def _open(self, request: Request) -> Page:
        assert len(self.urls) < MAX_REQUESTS, f"the crawl passed {MAX_REQUESTS} requests"
        self.urls.append(request.full_url)
        page = super()._open(request)
        if match := _TITLE.search(page.text):
            self.titles.append((page.url, html.unescape(match.group(1)).strip()))
        return page


# --- the crawl ----------------------------------------------------------------------------


@dataclass
class Crawl:
    intervention_id: str
    person_ids: list[str]
    listed: set[str]
    """Every URL of the generated list, for every person."""
    urls: list[str]
    titles: list[tuple[str, str]]
    bodies: list[str] = field(repr=False)
    log: str = field(repr=False)
    demo_output: str = field(repr=False)


def _same_site_links(page: Page, base_url: str) -> set[str]:
    """The same-site paths (with query, without fragment) a page links to."""
    host = urlsplit(base_url).netloc
    found = set()
    for raw in _LINK.findall(page.text):
        target = urlsplit(urljoin(page.url, html.unescape(raw)))
        if target.scheme in ("http", "https") and target.netloc == host:
            found.add(target.path + (f"?{target.query}" if target.query else ""))
    return found


def _person_ids(page: Page, base: str) -> list[str]:
    """The people of an intervention page, in its order: each card of the list of people
    starts with a link to their page (`base` people/ID/)."""
    return list(dict.fromkeys(re.findall(rf'<li><a href="{base}people/([^/"]+)/">', page.text)))


def _ok(page: Page, what: str) -> Page:
    assert page.status == 200, f"{what}: {page.status} at {page.url}\n{page.text[:2000]}"
    return page


def _crawl(client: CrawlClient, base_url: str) -> tuple[str, list[str], set[str], list[str]]:
    """Unlock and walk; return the intervention id, person ids, listed URLs and bodies."""
    bodies: list[str] = []
    page = client.get("/")
    page = client.post("/unlock/", {"passphrase": PASSPHRASE}, token_from=page)
    assert urlsplit(page.url).path == "/interventions/", page.text[:2000]
    (intervention_id,) = set(re.findall(r'href="/i/([^/"]+)/"', page.text))
    base = f"/i/{intervention_id}/"
    overview = _ok(client.get(base), "the intervention")
    person_ids = _person_ids(overview, base)

    ending = {page.name for page in every_page() if page.ends_session}
    listed: dict[str, str] = {}  # URL → its name in the list
    for person_id in person_ids:
        urls = page_urls(intervention_id=intervention_id, person_id=person_id)
        listed |= {url: name for name, url in urls.items()}
    visited: set[str] = set()
    queue: list[str] = []
    for url, name in listed.items():
        if name in ending or url in visited:
            continue
        visited.add(url)
        page = _ok(client.get(url), name)
        bodies.append(page.text)
        if url.startswith(base):
            queue += sorted(_same_site_links(page, base_url))

    # Follow every same-site link of the intervention's pages once (never the quick exit).
    ending_urls = {url for url, name in listed.items() if name in ending}
    while queue:
        url = queue.pop(0)
        if url in visited or url in ending_urls:
            continue
        visited.add(url)
        page = _ok(client.get(url), f"a link to {url}")
        bodies.append(page.text)
        if url.startswith(base):
            queue += sorted(_same_site_links(page, base_url) - visited)

    # An empty post to each of the intervention's forms: each answers with its errors.
    forms = [
        page_info.url(intervention_id=intervention_id, person_id=person_id)
        for page_info in every_page()
        if page_info.takes_posts and page_info.of_an_intervention and not page_info.ends_session
        for person_id in person_ids
    ]
    for url in dict.fromkeys(forms):  # a form of the intervention itself, once
        posted = client.post(url, {}, token_from=overview)
        assert posted.status in (200, 400), (url, posted.status, posted.text[:2000])
        bodies.append(posted.text)
    # A person who is not on the map: a 404, which the server logs (by its path).
    missing = client.get(f"{base}people/{NOBODY}/")
    assert missing.status == 404, (missing.url, missing.status)
    after = _ok(client.get(base), "the intervention, after the posts")
    assert _person_ids(after, base) == person_ids, "an empty post changed the map"

    for url in sorted(ending_urls):
        _ok(client.get(url), url)
    locked = client.get(base)
    assert urlsplit(locked.url).path == "/unlock/", locked.url
    return intervention_id, person_ids, set(listed), bodies


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    work = tmp_path_factory.mktemp("crawl")
    tmp_dir = work / "tmp"
    tmp_dir.mkdir(mode=0o700)
    data_dir = work / "data"
    secret = work / "passphrase.txt"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    with server_database() as database:
        made = subprocess.run(
            [
                *(sys.executable, "-m", "allymap", "demo"),
                *("--data-dir", str(data_dir), "--passphrase-file", str(secret)),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            env=server_environment(tmp_dir, database),
            cwd=work,
            stdin=subprocess.DEVNULL,
            check=False,
        )
        assert made.returncode == 0, made.stdout + made.stderr
        # The suite's database: SQLite in the data folder, or the fresh PostgreSQL one.
        assert (data_dir / "allymap.sqlite3").exists() is not bool(database), database
        with running_server(data_dir, database, tmp_dir=tmp_dir) as server:
            client = CrawlClient(server.url)
            intervention_id, person_ids, listed, bodies = _crawl(client, server.url)
            server.stop()
            yield Crawl(
                intervention_id=intervention_id,
                person_ids=person_ids,
                listed=listed,
                urls=client.urls,
                titles=client.titles,
                bodies=bodies,
                log=server.log(),
                demo_output=made.stdout + made.stderr,
            )


# --- what to look for -----------------------------------------------------------------------

_INSIDE = "a-z0-9_-"
"""Characters that continue a word or an id (ids are URL-safe base64), so that a short
alias is found as a word, never inside a random id."""


def _spellings(text: str) -> set[str]:
    """`text` as a leak could spell it: as typed, decomposed, escaped for HTML, a URL, a
    slug, JSON or a Python string (macrons as escapes)."""
    forms = {
        text,
        unicodedata.normalize("NFD", text),
        html.escape(text),
        quote(text, safe=""),
        quote(text),
        quote_plus(text),
        json.dumps(text)[1:-1],
        text.encode("unicode_escape").decode("ascii"),
        text.encode("ascii", "backslashreplace").decode("ascii"),
    }
    if slug := slugify(text):
        forms.add(slug)
    return {form.lower() for form in forms}


def needles() -> dict[str, re.Pattern[str]]:
    """What to look for, by what it is: every text the demo types in, the first four
    words of each longer one, and the words of five letters or more of each name."""
    demo = demo_content()
    looked_for: set[str] = set(demo.texts())
    for text in demo.texts():
        words = text.split()
        if len(words) > 4:
            looked_for.add(" ".join(words[:4]))
    for name in demo.names():
        looked_for |= {
            word for word in re.findall(r"\w+", name) if len(word) >= 5 and word.lower() != "demo"
        }
    return {
        text: re.compile(
            "|".join(
                rf"(?<![{_INSIDE}]){re.escape(form)}(?![{_INSIDE}])"
                for form in sorted(_spellings(text))
            )
        )
        for text in looked_for
    }


def _leaks(places: list[tuple[str, str]]) -> list[str]:
    """(where, text) pairs in which a needle is found, as readable lines."""
    found = []
    patterns = needles()
    for where, text in places:
        haystack = text.lower()
        for needle, pattern in patterns.items():
            if pattern.search(haystack):
                found.append(f"{needle!r} in {where}: {text[:300]!r}")
    return found


# --- the tests ------------------------------------------------------------------------------


def test_no_name_in_any_url_requested(crawl: Crawl) -> None:
    places = []
    for url in crawl.urls:
        for spelled in {url, unquote(url), unquote_plus(url)}:
            places.append(("a URL requested", spelled))
    assert not _leaks(places), "\n".join(_leaks(places))


def test_no_name_in_any_page_title(crawl: Crawl) -> None:
    places = [(f"the title of {url}", title) for url, title in crawl.titles]
    assert not _leaks(places), "\n".join(_leaks(places))


def test_no_name_in_any_line_of_the_server_log(crawl: Crawl) -> None:
    places = [(f"log line {n}", line) for n, line in enumerate(crawl.log.splitlines(), 1)]
    assert not _leaks(places), "\n".join(_leaks(places))


# --- the crawl saw what it should have, so the absence above means something -------------


def test_the_crawl_walked_every_page_for_every_person(crawl: Crawl) -> None:
    demo = demo_content()
    assert len(crawl.person_ids) == len(demo.people)
    requested = {urlsplit(url).path for url in crawl.urls}
    missing = sorted(url for url in crawl.listed if urlsplit(url).path not in requested)
    assert not missing, f"pages of the list never requested: {missing}"
    assert len(crawl.listed) >= 3 * len(demo.people), "the list filled in too few pages"
    assert any(crawl.intervention_id in url for url in crawl.urls)
    assert len(crawl.titles) >= 3 * len(demo.people), "titles were not read"
    assert len(crawl.urls) <= MAX_REQUESTS


def test_the_pages_showed_the_demo(crawl: Crawl) -> None:
    shown = html.unescape("\n".join(crawl.bodies))
    demo = demo_content()
    missing = [
        text
        for text in demo.texts()
        if text not in shown and text not in {note.text for note in demo.notes}
    ]
    assert not missing, f"never shown, so its absence elsewhere proves nothing: {missing}"


def test_the_log_searched_is_the_servers(crawl: Crawl) -> None:
    assert "allymap is serving at http://127.0.0.1:" in crawl.log
    assert any(
        "Not Found" in line and f"/i/{crawl.intervention_id}/people/{NOBODY}/" in line
        for line in crawl.log.splitlines()
    ), f"the 404 the crawl asked for is not in the log:\n{crawl.log}"
    assert "made-up intervention" in crawl.demo_output, crawl.demo_output


def test_the_search_finds_a_name_where_there_is_one() -> None:
    demo = demo_content()
    alias = demo.people[-1].alias
    assert _leaks([("a made-up URL", f"/i/abc/{quote(alias)}/")])
    assert _leaks([("a made-up title", f"Reflection: {alias}")])
    assert _leaks([("a made-up log line", f"INFO person {alias.encode('unicode_escape')!r}")])
    kaumātua = next(p.details.relationship for p in demo.people if "ā" in p.details.relationship)
    assert _leaks([("a made-up log line", json.dumps({"relationship": kaumātua}))])
    evidence = demo.people[0].answers[0].evidence
    assert _leaks([("a made-up title", evidence[:40] + "…")]), "the first words of a text"
    assert _leaks([("a made-up URL", "/i/x/" + slugify(demo.code_name) + "/")])
    # A short alias is a word, never a piece of a random id.
    assert not _leaks([("an id", f"/i/Zq{alias}Xk-9/")])


# --- no page judges anyone ------------------------------------------------------------------

NEVER_SAID = re.compile(
    r"\b(scores?|scored|scoring|rank|ranks|ranked|ranking|ratings?|rated|verdicts?|"
    r"percent(?:age)?|barriers?|suitable|unsuitable|best (?:ally|candidate|person)|"
    r"worst|top (?:ally|candidate)|out of (?:ten|10)|abusers?|perpetrators?|victims?)\b"
    r"|\d\s*%",
    re.IGNORECASE,
)
"""Words allymap chose never to show: a score, rank, percentage or verdict on a person, a
label of "barrier", and the words the toolkit avoids (DOMAIN.md, "Prompt, don't judge")."""

_HIDDEN = re.compile(r"<(script|style)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


SOURCE_TITLE = "Mapping Allies and Barriers"
"""The name of the toolkit section the chart comes from, quoted in the credit: the one
place "barriers" may appear, as a title, never about a person."""


def _shown_text(body: str) -> str:
    """What a page shows a person: its text without markup, scripts or styles (and
    without the source's quoted title). Empty for what is not a page (a stylesheet)."""
    if "<html" not in body[:500].lower():
        return ""
    text = html.unescape(_TAG.sub(" ", _HIDDEN.sub(" ", body)))
    return text.replace(SOURCE_TITLE, "")


def _judgements(text: str) -> list[str]:
    return sorted({match.group(0) for match in NEVER_SAID.finditer(text)})


def test_no_page_scores_ranks_or_judges_anyone(crawl: Crawl) -> None:
    found = {}
    for body in crawl.bodies:
        if said := _judgements(_shown_text(body)):
            title = _TITLE.search(body)
            found[title.group(1).strip() if title else body[:80]] = said
    assert len(crawl.bodies) >= 3 * len(demo_content().people), "too few pages read"
    assert not found, f"pages say what allymap never says: {found}"


@pytest.mark.parametrize(
    "planted",
    ["Her score: 7", "Ranked first", "73 % ally", "a barrier to change", "The victim said"],
)
def test_the_search_for_judgements_finds_one_where_there_is_one(planted: str) -> None:
    page = f"<html><title>x</title><p>Aunty Huia</p><p>{planted}</p><script>score</script></html>"
    assert _judgements(_shown_text(page))
    assert not _judgements(_shown_text("<p>Talk about this</p><style>.rank{}</style>"))
