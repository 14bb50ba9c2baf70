"""The repeated parts of a person's page, written in Python: each member's answer on a
row, the answers side by side where the team sees a row differently, and a line of the
history, and the form that marks a row talked through.

Written here, not by loops in `person.html`: a person with a long history has hundreds
of these (and a form for each row to talk about), and the loops were most of the page's
time (`bench/pages.py --profile person`). Each filter and tag writes, byte for byte, what
the template it replaced wrote (`tests/web/test_summary_filters.py` keeps the templates
and compares, with awkward words and on the demo's people). Everything typed, and every
word, is escaped as `{{ }}` and `{% translate %}` escape them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms, template
from django.template import Context
from django.template.loader import render_to_string
from django.utils import dateformat
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext

from allymap.web.forms.renderer import escaped
from allymap.web.own_words import RowWords
from allymap.web.templatetags.allymap_forms import described, field_errors
from allymap.web.templatetags.allymap_links import fast_reverse
from allymap.web.templatetags.allymap_words import (
    consent_label,
    position_label,
    position_mark,
    who,
)

register = template.Library()

_NOT_PROVIDED = "NOTPROVIDED"

# How the history dates each change, as `{{ at|date:"…" }}` did.
HISTORY_WHEN = "j F Y, g:i a"


def _worded(sentence: str, /, **filled: str) -> str:
    """`sentence` with its ``%(name)s`` places filled, all escaped, as `{% blocktranslate
    with name=… %}` does."""
    return escaped(sentence) % {name: escaped(value) for name, value in filled.items()}


@register.filter
def summary_answers(answers: Iterable[Any], words: RowWords) -> SafeString:
    """``{{ item.answers|summary_answers:w }}``: a row's answers under "Row by row", each
    member's position in the chart's words for this map (`words`), and their evidence."""
    items = []
    for answer in answers:
        position = answer.position
        said = words.for_side(position)
        line = (
            f'<li class="answer pos-{escaped(position.value)}"><span class="who">'
            f'{who(answer.member)}:</span> <span class="mark" aria-hidden="true">'
            f"{escaped(position_mark(position))}</span> "
            f"<strong>{escaped(position_label(position))}</strong>"
        )
        if said:
            sentence = _worded(gettext("This person %(words)s"), words=said)
            line += f' <span class="words">“{sentence}”</span>'
        if answer.evidence:
            asks = escaped(
                gettext("What makes you think so:")
                if answer.member.is_you
                else gettext("What makes them think so:")
            )
            line += f'<br><span class="evidence">{asks} “{escaped(answer.evidence)}”</span>'
        items.append(f"{line}</li>\n")
    return mark_safe(f'<ul class="answers">\n{"".join(items)}</ul>')  # noqa: S308 - escaped


@register.filter
def talk_answers(answers: Iterable[Any]) -> SafeString:
    """``{{ item.answers|talk_answers }}``: a row's answers side by side, to talk about."""
    items = []
    for answer in answers:
        position = answer.position
        line = (
            f'<li class="pos-{escaped(position.value)}"><span class="who">{who(answer.member)}'
            f'</span><br><span class="mark" aria-hidden="true">'
            f"{escaped(position_mark(position))}</span> {escaped(position_label(position))}"
        )
        if answer.evidence:
            line += f'<br><span class="evidence">“{escaped(answer.evidence)}”</span>'
        items.append(f"{line}</li>\n")
    return mark_safe(f'<ul class="side-by-side">\n{"".join(items)}</ul>')  # noqa: S308


@register.filter
def history_line(line: Any) -> SafeString:
    """``{{ line|history_line }}``: one change in a person's history, with its time."""
    at = localtime(line.at)
    parts = [
        f'<li><time datetime="{escaped(dateformat.format(at, "c"))}">'
        f"{escaped(dateformat.format(at, HISTORY_WHEN))}</time>\n"
    ]
    if line.kind == "position":
        parts.append(f'<span class="who">{who(line.member)}</span>')
        if line.row:
            parts.append(f" {escaped(gettext('on'))} “{escaped(line.row.topic)}”")
        parts.append(": ")
        if line.before == line.after:
            parts.append(
                _worded(
                    gettext("still %(now)s, with new words on what makes them think so"),
                    now=position_label(line.after),
                )
            )
        else:
            parts.append(
                _worded(
                    gettext("from %(before)s to %(after)s"),
                    before=position_label(line.before),
                    after=position_label(line.after),
                )
            )
        if line.text:
            parts.append(f". “{escaped(line.text)}”")
        parts.append("\n")
    elif line.kind == "consent":
        parts.append(
            _worded(
                gettext("Asking them: from %(before)s to %(after)s"),
                before=consent_label(line.before),
                after=consent_label(line.after),
            )
        )
        if line.member:
            parts.append(f", {escaped(gettext('who will ask:'))} {who(line.member)}")
        parts.append("\n")
    else:
        parts.append(
            f'<span class="who">{who(line.member)}</span> '
            f"{escaped(gettext('marked as talked through'))}"
        )
        if line.row:
            parts.append(f": {escaped(line.row.topic)}")
        if line.text:
            parts.append(f". “{escaped(line.text)}”")
    parts.append("</li>")
    return mark_safe("".join(parts))  # noqa: S308 - every part above is escaped


def _field(field: forms.BoundField) -> str:
    error = " has-error" if field.errors else ""
    return (
        f'<div class="field{error}"><label for="{escaped(field.id_for_label)}">'
        f"{escaped(field.label)}</label>\n{field_errors(field)}\n{described(field)}</div>"
    )


@register.simple_tag(takes_context=True)
def talked_form(
    context: Context, form: forms.Form, intervention_id: str, person_id: str
) -> SafeString:
    """``{% talked_form form iid pid %}``: the form that marks a row talked through (its
    row hidden, who marks it, a note), with the error summary when it was refused."""
    # As `{% csrf_token %}` writes it (Django's processor says "NOTPROVIDED" for none).
    given = context.get("csrf_token")
    csrf = (
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{escaped(given)}">'
        if given and given != _NOT_PROVIDED
        else ""
    )
    summary = render_to_string("allymap/_error_summary.html", {"form": form}) if form.errors else ""
    action = fast_reverse("talked_through", intervention_id, person_id)
    return mark_safe(  # noqa: S308 - every part above is escaped or Django's own
        f'<form method="post" action="{action}" class="talked-form" novalidate>{csrf}\n'
        f"{summary}\n{form['row']}\n"
        f'<div class="talked-fields">\n{_field(form["member"])}\n{_field(form["note"])}\n</div>\n'
        f'<button type="submit" class="secondary">{escaped(gettext("Mark as talked through"))}'
        f"</button>\n</form>"
    )
