"""`{% link %}` writes what `{% url %}` (`reverse`) writes, for every URL allymap has."""

from __future__ import annotations

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
