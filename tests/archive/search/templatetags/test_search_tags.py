# ruff: noqa: E501 (REFERENCE is the old template, verbatim)
"""The sidebar's facet tags, written as strings (``search_tags.facet_items``).

``REFERENCE`` is the include each facet tag used to be: the string must be
exactly what it rendered, hostile tag names escaped, counts with commas and
"~" when estimated.
"""

from __future__ import annotations

import pytest
from django.template import engines

from fanfold.archive.search.selectors import FacetTag
from fanfold.archive.search.templatetags.search_tags import facet_items
from fanfold.archive.tags.models import Tag

REFERENCE = """{% load humanize %}<li>
  <label><input type="checkbox" name="include" value="{{ entry.tag.pk }}"{% if entry.included %} checked{% endif %}> {{ entry.tag.name }} <span class="facet-count">({% if not results.facets_exact %}~{% endif %}{{ entry.count|intcomma }})</span></label>
  <label class="facet-exclude"><input type="checkbox" name="exclude" value="{{ entry.tag.pk }}"{% if entry.excluded %} checked{% endif %}><span class="visually-hidden"> Exclude {{ entry.tag.name }}</span><span aria-hidden="true"> exclude</span></label>
</li>
"""

ENTRIES = [
    FacetTag(Tag(pk=1, name="<script>alert(\"x\")</script> & 'q'"), 1234567, True, False),
    FacetTag(Tag(pk=22, name="Angst/Fluff * 100%"), 3, False, True),
    FacetTag(Tag(pk=333, name="{{ braces }}"), 0, False, False),
]


@pytest.mark.parametrize("exact", [True, False])
def test_facet_items_are_exactly_what_the_include_wrote(exact: bool) -> None:
    loop = (
        "{% load humanize %}{% for entry in entries %}"
        + REFERENCE.replace("{% load humanize %}", "")
        + "{% endfor %}"
    )

    class Results:
        facets_exact = exact

    expected = engines["django"].from_string(loop).render({"entries": ENTRIES, "results": Results})
    assert facet_items(ENTRIES, exact) == expected


def test_a_hostile_tag_name_is_text() -> None:
    html = facet_items(ENTRIES, True)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;q&#x27;" in html
    assert "(1,234,567)" in html


def test_no_entries_no_items() -> None:
    assert facet_items([], False) == ""
