"""Which fields a person can type into, and whether a walk typed a canary into each.

`forms_in(module)` finds every Django form class a module defines (by walking it, so a
new form is found without being listed) and builds one of each; `text_fields(form)` are
its fields that take free text. `untyped(...)` compares them with the forms a walk posted
(`FormClient.posted`) and says, in words, every field no canary went into.
"""

from __future__ import annotations

import fnmatch
import importlib
import inspect
import pkgutil
from collections.abc import Iterable, Mapping
from types import ModuleType
from typing import Any

from django import forms
from django.forms.widgets import Input
from django.urls import Resolver404, resolve

from tests.canary.scan import Canary, scan

# The widgets a person types free text into.
TEXT_INPUT_TYPES = frozenset({"text", "password", "search", "email", "url", "tel"})
# Posted fields that belong to no form class: the CSRF token and the unlock page's `next`.
NOT_FORM_FIELDS = frozenset({"csrfmiddlewaretoken", "next"})


def forms_in(
    module: ModuleType, arguments: Mapping[str, Any]
) -> dict[type[forms.BaseForm], forms.BaseForm]:
    """One instance of every form class `module` defines, built with `arguments` for the
    keyword arguments its constructor requires (ReflectForm: the chart and answers)."""
    found: dict[type[forms.BaseForm], forms.BaseForm] = {}
    modules = [module]
    if hasattr(module, "__path__"):  # a package: every module in it
        modules += [
            importlib.import_module(f"{module.__name__}.{info.name}")
            for info in pkgutil.iter_modules(module.__path__)
        ]
    classes = list(
        dict.fromkeys(
            cls
            for each in modules
            for _name, cls in inspect.getmembers(each, inspect.isclass)
            if issubclass(cls, forms.BaseForm)
            and (
                cls.__module__ == module.__name__
                or cls.__module__.startswith(f"{module.__name__}.")
            )
        )
    )
    for cls in classes:
        # A base the module's forms share (AllymapForm), with no field of its own, is not
        # a form anyone posts.
        if not cls.base_fields and any(
            other is not cls and issubclass(other, cls) for other in classes
        ):
            continue
        needed = [
            parameter.name
            for parameter in list(inspect.signature(cls.__init__).parameters.values())[1:]
            if parameter.default is inspect.Parameter.empty
            and parameter.kind not in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD)
        ]
        unknown = [name for name in needed if name not in arguments]
        assert not unknown, (
            f"{cls.__name__} needs {unknown} to be built: add them to the arguments the "
            "canary test passes to forms_in()"
        )
        found[cls] = cls(**{name: arguments[name] for name in needed})
    return found


def text_fields(form: forms.BaseForm) -> set[str]:
    """The fields of `form` a person types free text into (text, password, textarea…)."""
    return {
        name
        for name, field in form.fields.items()
        if isinstance(field.widget, forms.Textarea)
        or (isinstance(field.widget, Input) and field.widget.input_type in TEXT_INPUT_TYPES)
    }


def _exempt(form: str, field: str, not_canaries: Mapping[tuple[str, str], str]) -> bool:
    return any(
        form == exempt_form and fnmatch.fnmatchcase(field, pattern)
        for exempt_form, pattern in not_canaries
    )


def untyped(
    posted: Iterable[tuple[str, Mapping[str, str]]],
    canaries: Iterable[Canary],
    *,
    found: Mapping[type[forms.BaseForm], forms.BaseForm],
    form_at: Mapping[str, type[forms.BaseForm]],
    not_canaries: Mapping[tuple[str, str], str],
) -> list[str]:
    """Every way the walk in `posted` falls short of a canary in every text field.

    `form_at` maps a URL name to the form class it takes; `not_canaries` maps
    (form class name, field name or fnmatch pattern) to why that field carries no canary.
    """
    canaries = list(canaries)
    problems: list[str] = []
    typed: dict[type[forms.BaseForm], set[str]] = {cls: set() for cls in found}
    posted_to: set[str] = set()
    for path, fields in posted:
        try:
            url_name = resolve(path).url_name
        except Resolver404:
            problems.append(f"the walk posted to {path}, which allymap does not answer")
            continue
        posted_to.add(str(url_name))
        cls = form_at.get(str(url_name))
        form_fields = set(found[cls].fields) if cls in found else set()
        for name, value in fields.items():
            if name in NOT_FORM_FIELDS:
                continue
            if name not in form_fields:
                where = cls.__name__ if cls else "no form (see FORM_AT)"
                problems.append(f"the walk posted {name!r} to {path} ({where}): not a field of it")
            elif cls is not None and value and scan("posted", value.encode(), canaries):
                typed[cls].add(name)
    problems += [
        f"FORM_AT says URL {url_name!r} takes {cls.__name__}, but the walk never posts it"
        for url_name, cls in form_at.items()
        if url_name not in posted_to
    ]
    for cls, form in found.items():
        if cls not in form_at.values():
            problems.append(
                f"{cls.__name__} is a form the canary walk never posts: say in FORM_AT "
                "which URL takes it, and type a canary into each of its text fields"
            )
            continue
        texts = text_fields(form)
        for name in form.fields:
            exempt = _exempt(cls.__name__, name, not_canaries)
            if name in texts and name not in typed[cls] and not exempt:
                problems.append(
                    f"{cls.__name__}.{name}: the canary walk never types a canary into it"
                )
            elif name not in texts and not exempt:
                problems.append(
                    f"{cls.__name__}.{name} takes no free text: name it in NOT_CANARIES "
                    "with the reason it carries no canary"
                )
    names = {(cls.__name__, name) for cls, form in found.items() for name in form.fields}
    for form_name, pattern in not_canaries:
        if not any(f == form_name and fnmatch.fnmatchcase(n, pattern) for f, n in names):
            problems.append(f"NOT_CANARIES names {form_name}.{pattern}, which is no field")
    return problems
