"""Template helpers for listings: the sidebar's tag facets, written as strings.

A listing's sidebar offers each facet tag twice (include, exclude), often
a hundred tags a page; through an include per tag that cost more than the
works themselves (bench.pages). ``facet_items`` writes the same HTML the
include did, every tag name escaped.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from fanfold.archive.search.selectors import FacetTag

register = template.Library()


def _item(entry: FacetTag, approximate: str) -> str:
    tag = entry.tag
    pk, name = tag.pk, escape(tag.name)
    included = " checked" if entry.included else ""
    excluded = " checked" if entry.excluded else ""
    return (
        "<li>\n"
        f'  <label><input type="checkbox" name="include" value="{pk}"{included}> {name}'
        f' <span class="facet-count">({approximate}{entry.count:,})</span></label>\n'
        f'  <label class="facet-exclude"><input type="checkbox" name="exclude" value="{pk}"'
        f'{excluded}><span class="visually-hidden"> Exclude {name}</span>'
        '<span aria-hidden="true"> exclude</span></label>\n'
        "</li>\n"
    )


@register.simple_tag
def facet_items(entries: Iterable[FacetTag], exact: bool) -> SafeString:
    """``{% facet_items entries results.facets_exact %}``: the ``<li>`` of each facet tag,
    its count marked "~" when estimated.

    >>> from fanfold.archive.tags.models import Tag
    >>> html = facet_items([FacetTag(Tag(pk=3, name="<Angst>"), 1200, True, False)], False)
    >>> html.count("&lt;Angst&gt;"), "(~1,200)" in html, "<Angst>" in html
    (2, True, False)
    """
    approximate = "" if exact else "~"
    return mark_safe("".join(_item(entry, approximate) for entry in entries))  # noqa: S308 - escaped above
