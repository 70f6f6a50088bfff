"""Remembered URL reversal (``fanfold.archive.reversal``): what reverse() gives, every time.

Its ``{% url %}`` is a builtin of the site's templates (settings), so every
page's links go through it; these tests hold it to Django's own tag.
"""

from __future__ import annotations

import pytest
from django.template import Context, Engine, engines
from django.urls import NoReverseMatch, reverse, set_script_prefix

from fanfold.archive.reversal import _remembered, cached_reverse

NAMES = ["Angst/Fluff", "100% * Stars", "...", "Jörð & Ýmir?", "#hash tag", "a//b", "<b>x</b>"]


@pytest.mark.parametrize("name", NAMES)
def test_a_remembered_address_is_what_reverse_makes(name: str) -> None:
    expected = reverse("search:tag", args=["freeform", name])
    assert cached_reverse("search:tag", ("freeform", name)) == expected
    assert cached_reverse("search:tag", ("freeform", name)) == expected  # from memory
    assert cached_reverse("search:tag", kwargs={"type": "freeform", "name": name}) == expected


def test_an_address_is_reversed_once() -> None:
    _remembered.cache_clear()
    for _ in range(3):
        cached_reverse("works:work", (12345,))
    info = _remembered.cache_info()
    assert (info.misses, info.hits) == (1, 2)


def test_each_script_prefix_gets_its_own_addresses() -> None:
    try:
        set_script_prefix("/archive/")
        assert cached_reverse("works:work", (7,)) == "/archive/works/7/"
    finally:
        set_script_prefix("/")
    assert cached_reverse("works:work", (7,)) == "/works/7/"


def test_an_address_that_does_not_exist_still_fails() -> None:
    with pytest.raises(NoReverseMatch):
        cached_reverse("works:work", ("not a number",))


@pytest.mark.parametrize(
    "source",
    [
        "{% url 'search:tag' type name %}",
        "{% url 'search:tag' type=type name=name %}",
        "{% url 'search:tag' type name as link %}[{{ link }}]",
        "{% url 'works:work' 'x' as link %}[{{ link }}]",
        "{% url 'search:home' %}",
    ],
)
@pytest.mark.parametrize("name", NAMES)
def test_the_url_tag_writes_what_djangos_writes(source: str, name: str) -> None:
    context = {"type": "freeform", "name": name}
    ours = engines["django"].from_string(source).render(context)
    djangos = Engine().from_string(source).render(Context(context))  # Django's own {% url %}
    assert ours == djangos
    assert "<b>" not in ours


def test_the_sites_templates_use_the_remembered_tag() -> None:
    template = engines["django"].from_string("{% url 'search:home' %}")
    assert type(template.template.nodelist[0]).__name__ == "RememberedURLNode"  # type: ignore[attr-defined]


def test_a_missing_address_fails_in_a_template_as_djangos_does() -> None:
    with pytest.raises(NoReverseMatch):
        engines["django"].from_string("{% url 'works:work' 'x' %}").render({})
