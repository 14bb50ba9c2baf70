"""The form renderer: Django's own, with its commonest widget templates written in Python.

A page such as the self-check, the check-ins or the roles page shows hundreds of inputs
(a tick box for everyone on the map, a radio button for each answer), and Django renders
each through two or three small templates; at that count the templates took most of the
page's time (`bench/pages.py --profile self_check`). The writers below give, byte for
byte, what Django's templates of the same names give (`tests/web/test_renderer.py`
compares them on every widget allymap uses, with awkward values); any other template is
rendered by Django as before. Escaping is Django's, as `{{ }}` does (`escaped`).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

_WIDGETS = "django/forms/widgets/"


def escaped(value: Any) -> str:
    """`conditional_escape` without its lazy-string wrapper (called thousands of times a
    page): safe text as it is, anything else through the same `html.escape`."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


def _attrs(widget: Mapping[str, Any]) -> str:
    """attrs.html: each attribute but the False ones; True ones without a value."""
    return "".join(
        f" {escaped(name)}" + ("" if value is True else f'="{escaped(value)}"')
        for name, value in widget["attrs"].items()
        if value is not False
    )


def _input(widget: Mapping[str, Any]) -> str:
    """input.html (text, hidden, checkbox, number… all include it)."""
    value = widget["value"]
    return (
        f'<input type="{escaped(widget["type"])}" '
        f'name="{escaped(widget["name"])}"'
        + ("" if value is None else f' value="{escaped(value)}"')
        + f"{_attrs(widget)}>\n"
    )


def _input_option(widget: Mapping[str, Any]) -> str:
    """input_option.html: a radio button or tick box of a group, in its label."""
    if not widget["wrap_label"]:
        return f"{_input(widget)}\n"
    target = widget["attrs"].get("id")
    opening = f'<label for="{escaped(target)}">' if target else "<label>"
    return f"{opening}{_input(widget)} {escaped(widget['label'])}</label>\n"


def _option(widget: Mapping[str, Any]) -> str:
    """radio_option.html and checkbox_option.html: input_option.html, and a line."""
    return f"{_input_option(widget)}\n"


def _textarea(widget: Mapping[str, Any]) -> str:
    value = widget["value"]
    text = escaped(value) if value else ""
    name = escaped(widget["name"])
    return f'<textarea name="{name}"{_attrs(widget)}>\n{text}</textarea>\n'


class QuickRenderer(DjangoTemplates):
    """Django's template renderer, but for the widget templates in `_WRITERS`.

    Each writer gives what its template gives, whitespace and all (a template included
    in another keeps its last line break); like Django, the renderer strips what it
    returns."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        write = _WRITERS.get(template_name)
        if write is None or request is not None:
            return str(super().render(template_name, context, request))
        return mark_safe(write(self, context["widget"]).strip())  # noqa: S308 - escaped

    def included(self, template_name: str, widget: Mapping[str, Any]) -> str:
        """What `{% include template_name with widget=widget %}` gives: not stripped."""
        write = _WRITERS.get(template_name)
        if write is None:
            return str(self.get_template(template_name).render({"widget": widget}))
        return write(self, widget)


def _multiple_input(renderer: QuickRenderer, widget: Mapping[str, Any]) -> str:
    """multiple_input.html (radio.html, checkbox_select.html): the group of choices."""
    attrs = widget["attrs"]
    parts = ["<div"]
    if attrs.get("id"):
        parts.append(f' id="{escaped(attrs["id"])}"')
    if attrs.get("class"):
        parts.append(f' class="{escaped(attrs["class"])}"')
    parts.append(">")
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{escaped(group)}</label>")
        parts.extend(
            f"<div>\n    {renderer.included(choice['template_name'], choice)}</div>"
            for choice in options
        )
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>\n")
    return "".join(parts)


def _select(renderer: QuickRenderer, widget: Mapping[str, Any]) -> str:
    """select.html: the list, each option through its own writer, groups indented."""
    parts = [f'<select name="{escaped(widget["name"])}"{_attrs(widget)}>']
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f'\n  <optgroup label="{escaped(group)}">')
        parts.extend(
            f"\n  {renderer.included(option['template_name'], option)}" for option in options
        )
        if group:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>\n")
    return "".join(parts)


def _select_option(widget: Mapping[str, Any]) -> str:
    """select_option.html, but for one deliberate difference: the value is always
    escaped. (The template's `stringformat:'s'` keeps a value marked safe as it is; an
    option's value is an id or a code, never markup.)"""
    value = html.escape("%s" % (widget["value"],))  # noqa: UP031 - the filter's own way
    return f'<option value="{value}"{_attrs(widget)}>{escaped(widget["label"])}</option>\n'


_Writer = Callable[[QuickRenderer, Mapping[str, Any]], str]


def _plain(write: Callable[[Mapping[str, Any]], str]) -> _Writer:
    return lambda _renderer, widget: write(widget)


def _including(write: Callable[[Mapping[str, Any]], str]) -> _Writer:
    """A template that only includes another: what that one gives, and a line break."""
    return lambda _renderer, widget: f"{write(widget)}\n"


# The widget templates that only include input.html.
_INPUTS: tuple[str, ...] = (
    *("text", "hidden", "checkbox", "number", "email", "url", "password", "search"),
    *("tel", "date", "datetime", "time"),
)

_WRITERS: dict[str, _Writer] = {
    f"{_WIDGETS}input.html": _plain(_input),
    **{f"{_WIDGETS}{name}.html": _including(_input) for name in _INPUTS},
    f"{_WIDGETS}input_option.html": _plain(_input_option),
    f"{_WIDGETS}radio_option.html": _plain(_option),
    f"{_WIDGETS}checkbox_option.html": _plain(_option),
    f"{_WIDGETS}textarea.html": _plain(_textarea),
    f"{_WIDGETS}multiple_input.html": _multiple_input,
    f"{_WIDGETS}select.html": _select,
    f"{_WIDGETS}select_option.html": _plain(_select_option),
    f"{_WIDGETS}radio.html": lambda renderer, widget: f"{_multiple_input(renderer, widget)}\n",
    f"{_WIDGETS}checkbox_select.html": lambda renderer, widget: (
        f"{_multiple_input(renderer, widget)}\n"
    ),
}
