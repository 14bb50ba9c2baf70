"""`{% link %}` writes what `{% url %}` (`reverse`) writes, for every URL allymap has."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.template import Context, Template
from django.urls import URLPattern, get_resolver, reverse, set_script_prefix

from allymap.web.templatetags.allymap_links import _shape, fast_reverse

NAMES = [
    (p.name, len(p.pattern.converters))
    for p in get_resolver().url_patterns
    if isinstance(p, URLPattern) and p.name
]
IDS = ["Qi4Td2g_PhPX7G4tHDfW9A", "YB7OLD1ei2T_wa0fLIsn1Q", "a-b_c"]


@pytest.mark.parametrize(("name", "count"), NAMES)
def test_every_url_is_written_as_reverse_writes_it(name: str, count: int) -> None:
    args = IDS[:count]
    assert fast_reverse(name, *args) == reverse(name, args=args)


def test_awkward_arguments_go_through_reverse() -> None:
    awkward = ["a b", "ā", "x?y"]
    assert fast_reverse("intervention", *awkward[:1]) == reverse("intervention", args=awkward[:1])
    assert fast_reverse("intervention", "ā") == reverse("intervention", args=["ā"])


def test_a_script_prefix_is_kept() -> None:
    try:
        set_script_prefix("/allymap/")
        assert fast_reverse("intervention", IDS[0]) == f"/allymap/i/{IDS[0]}/"
    finally:
        set_script_prefix("/")
    assert fast_reverse("intervention", IDS[0]) == f"/i/{IDS[0]}/"
    assert _shape.cache_info().currsize >= 2


def test_the_tag_writes_it_in_a_template() -> None:
    rendered = Template("{% load allymap_links %}{% link 'person' a b %}").render(
        Context({"a": IDS[0], "b": IDS[1]})
    )
    assert rendered == reverse("person", args=IDS[:2])


# The included templates `person_ref` and `revisit` replaced, as they were.
_PERSON_REF = (
    "{% load i18n allymap_links %}{% if p.on_map %}<a href=\"{% link 'person' ids p.person_id %}\">"
    '{{ p.alias }}</a>{% elif p.alias %}{{ p.alias }} <span class="hint">'
    '{% translate "(no longer on the map)" %}</span>{% else %}<span class="hint">'
    '{% translate "someone since forgotten" %}</span>{% endif %}'
)
_REVISIT = (
    '{% load i18n allymap_links %}<ul class="fw-revisit">{% for p in people %}<li>'
    + _PERSON_REF.replace("{% load i18n allymap_links %}", "")
    + '{% if p.on_map %} <a class="fw-again" href="{% link \'reflect\' ids p.person_id %}">'
    "{% blocktranslate with alias=p.alias %}reflect on {{ alias }} again{% endblocktranslate %}"
    "</a>{% endif %}</li>{% endfor %}</ul>"
)


@dataclass
class Ref:
    alias: str
    on_map: bool
    person_id: str = IDS[1]


def test_the_people_a_follow_through_line_names_are_written_as_before() -> None:
    people = [Ref("Aunty <Huia> & co", True), Ref("Koro", False), Ref("", False)]
    context = {"ids": IDS[0], "people": people}
    for person in people:
        ours = Template("{% load allymap_links %}{% person_ref p %}").render(
            Context({**context, "p": person})
        )
        assert ours == Template(_PERSON_REF).render(Context({**context, "p": person}))
    ours = Template("{% load allymap_links %}{% revisit people %}").render(Context(context))
    assert ours == Template(_REVISIT).render(Context(context))
    assert "&lt;Huia&gt; &amp; co" in ours
