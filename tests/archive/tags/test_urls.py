"""The tags app's addresses.

``tags.urls`` promises the public paths readers bookmark: ``/fandoms/``,
``/fandoms/<media>/`` and each tag's wrangling page at
``/wrangle/<type>/<name>/``, each leading to its view, with any tag name
("/", "*" or "." in it too) reaching the view unchanged.
"""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from django.urls import Resolver404, resolve, reverse

from fanfold.archive.tags import views


def test_the_fandom_pages_have_their_public_paths() -> None:
    assert reverse("tags:fandoms") == "/fandoms/"
    assert resolve("/fandoms/").func is views.fandoms
    assert reverse("tags:fandoms_of_media", args=["tv"]) == "/fandoms/tv/"
    match = resolve("/fandoms/uncategorized/")
    assert (match.func, match.kwargs) == (views.fandoms_of_media, {"media": "uncategorized"})


@pytest.mark.parametrize(
    ("tag_type", "name", "path"),
    [
        ("character", "Lexie Grey", "/wrangle/character/Lexie%20Grey/"),
        (
            "relationship",
            "Mark Sloan/Lexie Grey",
            "/wrangle/relationship/Mark%20Sloan*s*Lexie%20Grey/",
        ),
        ("freeform", "*", "/wrangle/freeform/**/"),
        ("freeform", ".", "/wrangle/freeform/*d*/"),
        ("freeform", "..", "/wrangle/freeform/*d**d*/"),
        ("fandom", "Marvel.", "/wrangle/fandom/Marvel./"),
        ("freeform", "100% #1?", "/wrangle/freeform/100%25%20%231%3F/"),
    ],
)
def test_a_tags_wrangling_page_has_a_path_naming_it_that_leads_back_to_it(
    tag_type: str, name: str, path: str
) -> None:
    assert reverse("tags:wrangle", args=[tag_type, name]) == path
    match = resolve(unquote(path))
    assert match.func is views.wrangle
    assert match.kwargs == {"type": tag_type, "name": name}


def test_a_raw_slash_in_a_tag_name_is_not_a_wrangling_page() -> None:
    with pytest.raises(Resolver404):
        resolve("/wrangle/relationship/Mark Sloan/Lexie Grey/")
