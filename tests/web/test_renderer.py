"""The quick form renderer (`web/forms/renderer.py`) writes, byte for byte, what Django's
own widget templates write: widget by widget with awkward values, and on every page of
the demo's intervention (forms, radio buttons, tick boxes and all)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.test import Client
from django.utils.safestring import mark_safe
from pytest_django.fixtures import Settings

from allymap.web.forms.renderer import QuickRenderer
from tests.web.conftest import DemoPages

AWKWARD = "Aunty <Mere> & \"Hine\" 'Tama'"
CHOICES: list[Any] = [
    ("", "Choose"),
    ("a", AWKWARD),
    (3, "Three"),
    ("Team", [("m1", "Rosa"), ("m2", mark_safe("<b>Matiu</b>"))]),
]
ATTRS: list[dict[str, Any] | None] = [
    None,
    {"id": "id_x", "class": "big", "required": True, "disabled": False, "data-n": None},
    {"aria-describedby": "id_x_helptext id_x-error", "title": AWKWARD, "maxlength": 80},
    {"class": "pair"},
]
WIDGETS: list[forms.Widget] = [
    forms.TextInput(),
    forms.HiddenInput(),
    forms.NumberInput(),
    forms.EmailInput(),
    forms.PasswordInput(render_value=True),
    forms.DateInput(),
    forms.Textarea(),
    forms.CheckboxInput(),
    forms.RadioSelect(choices=CHOICES),
    forms.CheckboxSelectMultiple(choices=CHOICES),
    forms.Select(choices=CHOICES),
    forms.SelectMultiple(choices=CHOICES),
]
VALUES: list[Any] = [None, "", "a", 3, AWKWARD, ["a", "m2"], mark_safe("<i>safe</i>"), True]


@pytest.mark.parametrize("widget", WIDGETS, ids=lambda w: type(w).__name__)
@pytest.mark.parametrize("attrs", ATTRS)
def test_each_widget_is_written_as_djangos_template_writes_it(
    widget: forms.Widget, attrs: dict[str, Any] | None
) -> None:
    for value in VALUES:
        if isinstance(value, list) and not isinstance(
            widget, forms.CheckboxSelectMultiple | forms.SelectMultiple
        ):
            continue
        ours = widget.render("field", value, attrs=attrs, renderer=QuickRenderer())
        django = widget.render("field", value, attrs=attrs, renderer=DjangoTemplates())
        assert ours == django, (value, ours, django)


def test_a_single_choice_widget_renders_its_options_as_django_does() -> None:
    field = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect)

    class Form(forms.Form):
        pick = field

    for renderer in (QuickRenderer(), DjangoTemplates()):
        bound = Form(data={"pick": "a"}, renderer=renderer)["pick"]
        assert [str(choice.tag()) for choice in bound] == [
            str(choice.tag()) for choice in Form(data={"pick": "a"})["pick"]
        ]


# Values a page draws afresh on each request: the CSRF token and the once token.
_FRESH = re.compile(r'(name="(?:csrfmiddlewaretoken|once)" value=")[^"]*(")')


def test_every_page_of_the_demo_is_the_same_with_either_renderer(
    owner_client: Client, demo_pages: DemoPages, settings: Settings
) -> None:
    compared = 0
    for name, url in demo_pages.urls.items():
        if name in {"exit"}:
            continue
        pages = []
        for renderer in (
            "allymap.web.forms.renderer.QuickRenderer",
            "django.forms.renderers.DjangoTemplates",
        ):
            settings.FORM_RENDERER = renderer
            response = owner_client.get(url)
            pages.append(_FRESH.sub(r"\1…\2", response.content.decode()))
        assert pages[0] == pages[1], name
        compared += "<input" in pages[0]
    assert compared >= 15


def test_an_option_value_marked_safe_is_still_escaped() -> None:
    """The one place the quick renderer differs from Django's templates, on purpose: an
    option's value is escaped even when marked safe (Django's writes it as it is)."""
    widget = forms.Select(choices=[(mark_safe('"><b>x'), "Label")])
    ours = widget.render("field", None, renderer=QuickRenderer())
    assert 'value="&quot;&gt;&lt;b&gt;x"' in ours
    assert "<b>" not in ours
