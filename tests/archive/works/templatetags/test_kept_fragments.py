"""``{% kept %}``: a part rendered once per set of values, each visitor's token put back in."""

from __future__ import annotations

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.utils.functional import SimpleLazyObject

from fanfold.archive.works.versions import fragment_cache

PART = Template(
    "{% load kept_fragments %}"
    '{% kept "greeting" name unread %}'
    "<p>{{ name }} ({{ unread }}) {{ renders.pop }}</p>"
    "<form>{% csrf_token %}</form>{% endkept %}"
)
TOKEN = "A" * 32


def _render(renders: list[str], name: str, unread: object, token: str = TOKEN) -> str:
    return PART.render(
        Context({"name": name, "unread": unread, "csrf_token": token, "renders": renders})
    )


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    fragment_cache().clear()


def test_a_part_is_rendered_once_per_set_of_values() -> None:
    renders = ["third", "second", "first"]
    assert "Ivo (0) first" in _render(renders, "Ivo", 0)
    assert "Ivo (0) first" in _render(renders, "Ivo", 0)  # kept: not rendered again
    assert "Ivo (2) second" in _render(renders, "Ivo", 2)
    assert "Mara (0) third" in _render(renders, "Mara", 0)
    assert renders == []


def test_each_visitor_gets_their_own_token_in_a_kept_part() -> None:
    other = "B" * 32
    first = _render(["one"], "Ivo", 0)
    second = _render(["two"], "Ivo", 0, token=other)
    assert f'value="{TOKEN}"' in first
    assert f'value="{other}"' in second
    assert TOKEN not in second
    assert "fanfoldcsrfplaceholder" not in first + second


def test_a_lazy_value_is_keyed_by_what_it_holds() -> None:
    renders = ["again", "once"]
    _render(renders, "Ivo", SimpleLazyObject(lambda: 3))
    assert "Ivo (3) once" in _render(renders, "Ivo", SimpleLazyObject(lambda: 3))
    assert renders == ["again"]


def test_without_a_token_to_put_back_the_part_is_rendered_as_it_stands() -> None:
    html = PART.render(Context({"name": "Ivo", "unread": 0, "renders": ["plain"]}))
    assert "Ivo (0) plain" in html
    assert "fanfoldcsrfplaceholder" not in html
    assert not fragment_cache()._cache  # type: ignore[attr-defined]


def test_the_tag_wants_a_quoted_name() -> None:
    with pytest.raises(TemplateSyntaxError, match="quoted name"):
        Template("{% load kept_fragments %}{% kept greeting %}x{% endkept %}")
