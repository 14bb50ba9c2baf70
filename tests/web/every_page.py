"""Every page allymap answers, generated from `allymap.urls.urlpatterns`.

The header, outsider, no-names and HEAD tests walk this list, so a page added to urls.py
is walked by all of them without anyone listing it again. What the URL patterns cannot
say is declared here, once, in `FACTS`, and tests/web/test_every_page.py checks every
fact against the views: which methods a page answers, whether it needs unlocking, and
whether it ends the session. A URL the list does not know (a new name, a new parameter,
an unnamed pattern, an include()) fails every test that walks the list, with a message
that names the URL and says what to add.

No pytest here: a script (the page-weight benchmark) can use it once Django is set up:

    from tests.web.every_page import page_urls
    for name, url in page_urls(intervention_id=..., person_id=...).items(): ...
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, reverse

from allymap.web.views.static import static_file

SHOW = frozenset({"GET", "HEAD"})
"""A page that only shows something (HEAD is GET without the body)."""
FORM = frozenset({"GET", "HEAD", "POST"})
"""A page with a form that posts back to it."""
POST = frozenset({"POST"})
"""An action without a page of its own."""


@dataclass(frozen=True)
class Facts:
    """What a URL pattern does not say about its page."""

    methods: frozenset[str]
    unlocked: bool
    """A locked visitor is sent to unlock (or refused) instead of being served."""
    ends_session: bool = False
    """Visiting it locks allymap: walk it last."""


FACTS: dict[str, Facts] = {
    "home": Facts(SHOW, unlocked=False),
    "setup": Facts(FORM, unlocked=False),
    "unlock": Facts(FORM, unlocked=False),
    "recover": Facts(FORM, unlocked=False),
    "lock": Facts(POST, unlocked=False, ends_session=True),
    "keepalive": Facts(POST, unlocked=True),
    "idle": Facts(SHOW, unlocked=True),
    "exit": Facts(FORM, unlocked=False, ends_session=True),
    "away": Facts(SHOW, unlocked=False),
    "about": Facts(SHOW, unlocked=False),
    "safety": Facts(FORM, unlocked=False),
    "healthz": Facts(SHOW, unlocked=False),
    "interventions": Facts(SHOW, unlocked=True),
    "intervention_start": Facts(FORM, unlocked=True),
    "intervention_records": Facts(POST, unlocked=True),
    "intervention": Facts(SHOW, unlocked=True),
    "intervention_change": Facts(FORM, unlocked=True),
    "team": Facts(FORM, unlocked=True),
    "brainstorm": Facts(FORM, unlocked=True),
    "compare": Facts(SHOW, unlocked=True),
    "ring_map": Facts(SHOW, unlocked=True),
    "hui": Facts(SHOW, unlocked=True),
    "talked_through": Facts(POST, unlocked=True),
    "roles": Facts(FORM, unlocked=True),
    "gaps": Facts(POST, unlocked=True),
    "check_ins": Facts(FORM, unlocked=True),
    "staircase": Facts(FORM, unlocked=True),
    "timeline": Facts(SHOW, unlocked=True),
    "self_check": Facts(FORM, unlocked=True),
    "print_css": Facts(SHOW, unlocked=False),
    "prints": Facts(SHOW, unlocked=True),
    "print_blank": Facts(SHOW, unlocked=True),
    "print_member": Facts(SHOW, unlocked=True),
    "print_ally": Facts(SHOW, unlocked=True),
    "person_add": Facts(FORM, unlocked=True),
    "person": Facts(SHOW, unlocked=True),
    "reflect": Facts(FORM, unlocked=True),
    "person_change": Facts(FORM, unlocked=True),
    "person_remove": Facts(FORM, unlocked=True),
    "person_forget": Facts(FORM, unlocked=True),
    "intervention_destroy": Facts(FORM, unlocked=True),
    "export": Facts(FORM, unlocked=True),
    "import": Facts(FORM, unlocked=True),
}

PARAMETERS = ("intervention_id", "person_id")
"""The URL parameters the list can fill: each is an id the standing fixtures have
(tests/standing.py, `Started`), passed to `Page.url` by name."""

NOT_PAGES = {static_file: "static files: not pages (test_headers checks their headers apart)"}
"""Views of unnamed patterns that are deliberately not walked, with the reason."""


class UnknownPage(AssertionError):
    """A URL pattern the list cannot walk yet; the message says what to add."""


@dataclass(frozen=True)
class Page:
    name: str
    route: str
    params: tuple[str, ...]
    methods: frozenset[str]
    unlocked: bool
    ends_session: bool
    problem: str = ""
    """Why the list cannot walk this URL; `url()` raises it."""

    def __str__(self) -> str:
        return self.name

    @property
    def shows(self) -> bool:
        """It answers GET (and HEAD): a page to look at."""
        return "GET" in self.methods

    @property
    def takes_posts(self) -> bool:
        return "POST" in self.methods

    @property
    def of_an_intervention(self) -> bool:
        return "intervention_id" in self.params

    def url(self, **ids: str) -> str:
        """The page's URL with its parameters filled from `ids` (extra ids are ignored)."""
        if self.problem:
            raise UnknownPage(self.problem)
        missing = [param for param in self.params if param not in ids]
        if missing:
            raise UnknownPage(f"URL {self.name!r} ({self.route}) needs {missing}, given {ids}")
        return reverse(self.name, kwargs={param: ids[param] for param in self.params})


def _page(pattern: URLPattern) -> Page:
    route = str(pattern.pattern)
    params = tuple(pattern.pattern.regex.groupindex)
    name = pattern.name or route
    problems: list[str] = []
    if pattern.name is None:
        problems.append(f"URL pattern {route!r} has no name: name it in allymap/urls.py")
    facts = FACTS.get(name)
    if facts is None:
        problems.append(
            f"URL {name!r} ({route}) is new to tests/web/every_page.py: add it to FACTS "
            "with the methods it answers (SHOW, FORM or POST), whether it needs unlocking "
            "and whether it ends the session"
        )
        facts = Facts(FORM, unlocked=True)  # so every walk of the list meets it, and fails
    problems += [
        f"URL {name!r} ({route}) takes {param!r}, which tests/web/every_page.py cannot "
        "fill: add it to PARAMETERS and give the standing fixtures (tests/standing.py, "
        "Started) an id for it"
        for param in params
        if param not in PARAMETERS
    ]
    return Page(
        name=name,
        route=route,
        params=params,
        methods=facts.methods,
        unlocked=facts.unlocked,
        ends_session=facts.ends_session,
        problem="; ".join(problems),
    )


def every_page(*, strict: bool = False) -> list[Page]:
    """Every page of `allymap.urls.urlpatterns`, in their order with session enders last.

    A URL the list cannot walk is in it with its `problem` (so each test that walks the
    list fails on it, by name); `strict` raises `UnknownPage` at once instead.
    """
    from allymap.urls import urlpatterns

    pages: list[Page] = []
    for pattern in urlpatterns:
        if isinstance(pattern, URLResolver):
            route = str(pattern.pattern)
            pages.append(
                Page(
                    name=route,
                    route=route,
                    params=(),
                    methods=FORM,
                    unlocked=True,
                    ends_session=False,
                    problem=f"include()d URLs at {route!r} are not walked by "
                    "tests/web/every_page.py yet: walk URLResolver.url_patterns there",
                )
            )
        elif pattern.name is None and pattern.callback in NOT_PAGES:
            continue
        else:
            pages.append(_page(pattern))
    if strict:
        problems = list_problems(pages)
        if problems:
            raise UnknownPage("\n".join(problems))
    return sorted(pages, key=lambda page: page.ends_session)


def list_problems(pages: list[Page] | None = None) -> list[str]:
    """Why the list cannot walk every URL, and facts declared for URLs that are gone."""
    pages = every_page() if pages is None else pages
    problems = [page.problem for page in pages if page.problem]
    gone = set(FACTS) - {page.name for page in pages}
    if gone:
        problems.append(f"tests/web/every_page.py FACTS names URLs that are gone: {sorted(gone)}")
    return problems


def page_urls(*, intervention_id: str, person_id: str) -> dict[str, str]:
    """Every page that answers GET, by URL name, filled with these ids; the ones that end
    the session come last. Raises `UnknownPage` for a URL the list cannot fill."""
    ids = {"intervention_id": intervention_id, "person_id": person_id}
    return {page.name: page.url(**ids) for page in every_page(strict=True) if page.shows}
