"""`{{ field|scale_choices }}` writes a row's radio buttons byte for byte as the loops of
the reflection and the self-check wrote them: with awkward labels, chosen or not, with
an error, and on the real reflection form."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.template import Context, Template

from allymap.chart import default_chart
from allymap.web.forms.positions import ReflectForm
from allymap.web.templatetags.allymap_forms import scale_choices

# The loops the two templates had before the filter wrote them.
_REFLECT_LOOP = (
    '{% for radio in field %}<label class="choice" for="{{ radio.id_for_label }}">'
    '{{ radio.tag }} <span class="rf-key" data-keys hidden aria-hidden="true">'
    '{{ forloop.counter }}</span> <span class="rf-words">{{ radio.choice_label }}</span>'
    "</label>{% endfor %}"
)
_SELF_CHECK_LOOP = (
    '{% for radio in field %}<label class="choice" for="{{ radio.id_for_label }}">'
    "{{ radio.tag }} <span>{{ radio.choice_label }}</span></label>{% endfor %}"
)

AWKWARD = "Aunty <Mere> & \"Hine\" 'Tama'"


class Awkward(forms.Form):
    pick = forms.ChoiceField(
        choices=[("a", AWKWARD), ("b&c", "B"), ("", "None")], widget=forms.RadioSelect
    )


def _looped(loop: str, field: forms.BoundField) -> str:
    return Template(loop).render(Context({"field": field}))


@pytest.mark.parametrize("data", [None, {"pick": "a"}, {"pick": "zz"}, {"pick": "b&c"}])
def test_awkward_choices_as_both_loops_wrote_them(data: dict[str, Any] | None) -> None:
    form = Awkward(data)
    form.is_valid()
    field = form["pick"]
    assert scale_choices(field, "keys") == _looped(_REFLECT_LOOP, field)
    assert scale_choices(field) == _looped(_SELF_CHECK_LOOP, field)


def test_the_reflection_form_as_the_loop_wrote_it() -> None:
    chart = default_chart()
    form = ReflectForm(chart=chart, answers={})
    for row in chart.rows:
        field = form[f"position-{row.key}"]
        assert scale_choices(field, "keys") == _looped(_REFLECT_LOOP, field)
        assert 'data-keys hidden aria-hidden="true">6</span>' in scale_choices(field, "keys")
