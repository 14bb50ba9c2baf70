"""`CompactSelect` writes its list in Python (it is on the page many times over), and
says what Django's own select template says: the same elements, attributes and text,
escaped the same way, without the whitespace between options."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django import forms

from allymap.web.forms.base import CompactSelect


class _Parts(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[tuple[str, ...]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parts.append(("start", tag, *sorted(f"{k}={v}" for k, v in attrs)))

    def handle_endtag(self, tag: str) -> None:
        self.parts.append(("end", tag))

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.parts.append(("text", data.strip()))


def _parts(html: str) -> list[tuple[str, ...]]:
    parser = _Parts()
    parser.feed(html)
    return parser.parts


CHOICES = [
    ("", "Choose someone"),
    ("p1", "Aunty <Mere> & “Hine”"),
    ("p2", 'Uncle "Tama"'),
    ("Team", [("m1", "Rosa"), ("m2", "Matiu")]),
]


@pytest.mark.parametrize("value", [None, "", "p1", "m2", "not offered"])
@pytest.mark.parametrize(
    "attrs",
    [None, {"aria-describedby": "x_helptext x-error", "required": True, "disabled": False}],
)
def test_it_says_what_djangos_template_says(value: str | None, attrs: dict | None) -> None:
    ours = CompactSelect(choices=CHOICES).render("holder", value, attrs=attrs)
    django = forms.Select(choices=CHOICES).render("holder", value, attrs=attrs)
    assert _parts(ours) == _parts(django)
    assert "&lt;Mere&gt; &amp;" in ours
    assert "\n\n" not in ours and "  " not in ours


def test_a_bound_field_renders_with_it() -> None:
    class Form(forms.Form):
        holder = forms.ChoiceField(choices=CHOICES, widget=CompactSelect)

    html = str(Form(data={"holder": "p2"})["holder"])
    assert '<option value="p2" selected>Uncle &quot;Tama&quot;</option>' in html
    assert '<optgroup label="Team">' in html
