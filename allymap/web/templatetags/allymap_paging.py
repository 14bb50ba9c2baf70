"""Links between the pages of a long list (see `allymap.web.paging`)."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template

register = template.Library()


@register.simple_tag
def page_href(here: str, keep: str, param: str, number: int, anchor: str = "") -> str:
    """The link to page `number` of the list at path `here`: the query `keep` (already
    encoded: what the list is filtered by, kept across its pages) and `param`=`number`,
    left out for page 1 so the newest page has one address. Escaped by the template."""
    query = "&".join(
        part for part in (keep, urlencode({param: number}) if number > 1 else "") if part
    )
    return f"{here}?{query}{anchor}" if query else f"{here}{anchor}"
