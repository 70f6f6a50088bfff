"""The listings' addresses: the home page, all works, and a tag's works.

``search.urls`` promises ``search:home`` at ``/``, ``search:works`` at
``/works/`` and ``search:tag`` at ``/tags/<type>/<name>/``, each resolving
to its view, with any tag name (a "/" in a relationship, dots, spaces)
making one path segment that comes back unchanged.
"""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from django.urls import resolve, reverse

from fanfold.archive.search import feeds, views


def test_the_home_page_and_all_works_have_fixed_addresses() -> None:
    assert reverse("search:home") == "/"
    assert reverse("search:works") == "/works/"
    assert resolve("/").func is views.home
    assert resolve("/works/").func is views.work_list


@pytest.mark.parametrize(
    "name", ["Harbour Town", "Mark Sloan/Lexie Grey", "..", "Rain*", "Fluff? #1", "雨"]
)
def test_a_tags_works_are_at_its_type_and_name_whatever_the_name(name: str) -> None:
    address = reverse("search:tag", kwargs={"type": "freeform", "name": name})
    assert address.startswith("/tags/freeform/")
    assert address.count("/") == 4  # the name is one segment
    match = resolve(unquote(address))  # as the server hands Django the path
    assert match.func is views.tag_works
    assert match.kwargs == {"type": "freeform", "name": name}


@pytest.mark.parametrize("name", ["Mark Sloan/Lexie Grey", "..", "雨"])
def test_a_tags_feed_is_under_its_page_whatever_the_name(name: str) -> None:
    page = reverse("search:tag", kwargs={"type": "relationship", "name": name})
    feed = reverse("search:tag_feed", kwargs={"type": "relationship", "name": name})
    assert feed == f"{page}feed/"
    match = resolve(unquote(feed))
    assert isinstance(match.func, feeds.TagWorksFeed)
    assert match.kwargs == {"type": "relationship", "name": name}
