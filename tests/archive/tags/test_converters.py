"""Tag names in URLs.

``tags.converters.TagNameConverter`` promises that any tag name fits in one
path segment (no "/" and never a name a browser reads as "." or ".."),
readably ("/" as ``*s*``, as on AO3), and comes back from its URL unchanged:
every name has exactly one spelling.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from django.urls import resolve, reverse
from hypothesis import given
from hypothesis import strategies as st

from fanfold.archive.tags.converters import TagNameConverter

CONVERTER = TagNameConverter()

# Names made of the characters the escapes are made of, and anything else.
tricky_names = st.text(alphabet=st.sampled_from("*sd./ x"), min_size=1) | st.text(min_size=1)


@pytest.mark.parametrize(
    ("name", "segment"),
    [
        ("Lexie Grey", "Lexie Grey"),
        ("Mark Sloan/Lexie Grey", "Mark Sloan*s*Lexie Grey"),
        ("Aziraphale/Crowley (Good Omens)", "Aziraphale*s*Crowley (Good Omens)"),
        ("5*", "5**"),
        ("*s*", "**s**"),
        ("*d*", "**d**"),
        (".", "*d*"),
        ("..", "*d**d*"),
        ("...", "*d**d**d*"),
        ("Dr. Who", "Dr. Who"),  # dots among other characters stay dots
        ("./.", ".*s*."),  # not only dots once "/" is escaped
    ],
)
def test_a_tag_name_is_written_readably_in_one_segment_and_read_back(
    name: str, segment: str
) -> None:
    assert CONVERTER.to_url(name) == segment
    assert CONVERTER.to_python(segment) == name


@given(tricky_names)
def test_every_tag_name_comes_back_from_its_url_unchanged(name: str) -> None:
    segment = CONVERTER.to_url(name)
    assert "/" not in segment
    assert segment.strip(".") != ""  # never "." or "..", which browsers collapse
    assert re.fullmatch(TagNameConverter.regex, segment)
    assert CONVERTER.to_python(segment) == name


@given(tricky_names, tricky_names)
def test_two_different_names_never_share_a_url(first: str, second: str) -> None:
    if first != second:
        assert CONVERTER.to_url(first) != CONVERTER.to_url(second)


@pytest.mark.parametrize("name", ["Mark Sloan/Lexie Grey", "..", "**", "100% Fluff?#"])
def test_the_converter_is_registered_for_every_apps_urls(name: str) -> None:
    """The app's ready() registers it as ``tagname`` before any URLconf loads."""
    path = reverse("search:tag", args=["relationship", name])
    assert path.count("/") == 4  # /tags/relationship/<name>/
    assert resolve(unquote(path)).kwargs == {"type": "relationship", "name": name}
