"""Form errors: in allymap's own words, summed up at the top, each tied to its field.

The GOV.UK pattern (DESIGN.md): a summary with a heading at the top of a form sent back
with errors (role="alert"), each error in it a link to its field; beside the field, the
error in an element its input names in aria-describedby (with the hint), so a screen
reader reads both when the field gets focus. Every id named must exist on the page.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django import forms
from django.core import validators
from django.test import Client

from allymap.web.forms.base import AllymapForm
from allymap.web.words import FORM_WORDS
from tests.web.conftest import Started
from tests.web.pages import text_of

FORMS = Path(__file__).resolve().parents[2] / "allymap" / "web" / "forms"


def _djangos_words() -> set[str]:
    """Every default message of Django's form fields and validators."""
    words: set[str] = set()
    for name in dir(forms):
        klass = getattr(forms, name)
        if isinstance(klass, type) and issubclass(klass, forms.Field):
            for klass_ in klass.__mro__:
                words.update(str(m) for m in getattr(klass_, "default_error_messages", {}).values())
    for name in dir(validators):
        klass = getattr(validators, name)
        if isinstance(klass, type) and hasattr(klass, "message"):
            words.add(str(klass.message))
    return {w for w in words if w}


def _field_classes_used() -> set[type[forms.Field]]:
    used: set[type[forms.Field]] = set()
    for module in FORMS.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "forms"
                and node.attr.endswith("Field")
                and issubclass(getattr(forms, node.attr), forms.Field)
            ):
                used.add(getattr(forms, node.attr))
    assert forms.ChoiceField in used and forms.CharField in used
    return used


def test_allymaps_words_cover_every_code_its_fields_can_refuse_with() -> None:
    for klass in _field_classes_used():
        field = klass(min_length=1, max_length=2) if klass is forms.CharField else klass()
        codes = set(field.error_messages) | {str(getattr(v, "code", "")) for v in field.validators}
        codes.discard("")
        assert codes <= set(FORM_WORDS), (klass.__name__, codes - set(FORM_WORDS))


def test_no_word_of_allymaps_is_djangos() -> None:
    djangos = _djangos_words()
    assert "This field is required." in djangos
    assert not {str(w) for w in FORM_WORDS.values()} & djangos


class _LikeTheReflection(AllymapForm):
    """Fields of every kind allymap uses, some added after the form is made."""

    name = forms.CharField(max_length=5)
    choice = forms.ChoiceField(choices=[("a", "A")])
    tick = forms.BooleanField()

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["later"] = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect)
        self.fields["later_text"] = forms.CharField(max_length=3)


def test_every_refusal_is_in_allymaps_words_even_for_fields_added_later() -> None:
    form = _LikeTheReflection(
        {"name": "toolong\x00", "choice": "zzz", "later": "zzz", "later_text": "abcd"}
    )
    assert not form.is_valid()
    said = {str(e) for errors in form.errors.values() for e in errors}
    assert set(form.errors) == {"name", "choice", "tick", "later", "later_text"}
    assert not said & _djangos_words(), said & _djangos_words()
    assert str(FORM_WORDS["invalid_choice"]) in said
    empty = _LikeTheReflection({})
    assert not empty.is_valid()
    assert {str(e) for e in empty.errors["later_text"]} == {str(FORM_WORDS["required"])}


def _ids(page: str) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', page))


def test_a_form_sent_back_has_a_summary_linking_to_each_field(
    owner_client: Client, intervention: Started
) -> None:
    page = text_of(owner_client.post("/interventions/new/", {"code_name": "x" * 500}))
    summary = re.search(r'<div class="error-summary" role="alert"[^>]*>(.*?)</div>', page, re.S)
    assert summary, page[:4000]
    assert "<h2" in summary.group(1)
    links = re.findall(r'href="#([^"]+)"', summary.group(1))
    assert len(links) >= 3, summary.group(1)  # danger, code name (too long), alias
    ids = _ids(page)
    for target in links:
        assert target in ids, target
        # The link leads to a control, not to a label or a box around it.
        assert re.search(rf'<input[^>]*\bid="{re.escape(target)}"', page), target
    assert "This field is required" not in page and "Ensure this value" not in page


def test_each_error_and_hint_is_named_by_its_own_input(
    owner_client: Client, intervention: Started
) -> None:
    page = text_of(owner_client.post("/interventions/new/", {"code_name": "x" * 500}))
    ids = _ids(page)
    described = re.findall(r'aria-describedby="([^"]+)"', page)
    assert described
    for names in described:
        for one in names.split():
            assert one in ids, one
    code_name = re.search(r'<input[^>]*name="code_name"[^>]*>', page)
    assert code_name
    named = re.search(r'aria-describedby="([^"]+)"', code_name.group())
    assert named
    assert set(named.group(1).split()) == {"id_code_name_helptext", "id_code_name-error"}
    assert 'aria-invalid="true"' in code_name.group()
    # The radio buttons' question names its error from the fieldset that groups them.
    assert re.search(r'<fieldset aria-describedby="id_danger-error">', page)


def test_a_form_without_errors_names_only_its_hints(
    owner_client: Client, intervention: Started
) -> None:
    page = text_of(owner_client.get("/interventions/new/"))
    assert "error-summary" not in page
    for names in re.findall(r'aria-describedby="([^"]+)"', page):
        assert all(one.endswith("_helptext") and one in _ids(page) for one in names.split())


def test_the_csrf_refusal_is_in_allymaps_words(owner_client: Client) -> None:
    response = Client(enforce_csrf_checks=True).post("/setup/", {"passphrase": "x"})
    page = text_of(response)
    assert response.status_code == 403
    assert "That form has expired" in page
    assert "Nothing from this form has been saved" in page
    assert "CSRF" not in page and "Forbidden" not in page
    assert 'id="quick-exit"' in page
