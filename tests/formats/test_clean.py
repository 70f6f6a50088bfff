"""Clean text values: what every stored text loses on its way in, and what it keeps.

``multiline`` promises text with paragraphs back with ``\\n`` line breaks
(CR LF, CR, form feed, vertical tab and NEL become one) and without control
characters other than tab and newline, lone surrogates or Unicode
noncharacters; text that has none of them comes back as it was.
``single_line`` promises a name as one trimmed line: the same characters
gone, every run of white space one space, in composed form (NFC).
Bidirectional marks and zero-width joiners are kept by both.
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fanfold.formats.clean import multiline, single_line

# Format characters people writing Arabic, Hebrew, Persian or emoji need.
KEPT_FORMATS = "\u200c\u200d\u200e\u200f\u202b\u202e\u2066\u2069"


def is_unwanted(char: str) -> bool:
    """What no stored text may hold: controls but tab and newline, surrogates, noncharacters."""
    point = ord(char)
    return (
        (unicodedata.category(char) == "Cc" and char not in "\t\n")
        or unicodedata.category(char) == "Cs"
        or 0xFDD0 <= point <= 0xFDEF
        or point & 0xFFFE == 0xFFFE
    )


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        ("One\r\nTwo", "One\nTwo"),
        ("One\rTwo", "One\nTwo"),
        ("One\x0cTwo\x0bThree\x85Four", "One\nTwo\nThree\nFour"),
        ("Bell\x07 and escape\x1b[31m", "Bell and escape[31m"),
        ("Nul\x00 and delete\x7f and C1\x9b", "Nul and delete and C1"),
        ("Lone \ud800surrogate", "Lone surrogate"),
        ("Non\ufffecharacters\ufdd0\U0001fffe here", "Noncharacters here"),
        ("Tab\tstays\n\nand paragraphs too", "Tab\tstays\n\nand paragraphs too"),
    ],
)
def test_multiline_keeps_paragraphs_and_drops_what_means_nothing_in_a_story(
    text: str, cleaned: str
) -> None:
    assert multiline(text) == cleaned


def test_clean_multiline_text_is_returned_as_it_came() -> None:
    text = "A chapter,\n\n\twith “quotes” and an emoji 👩\u200d👩\u200d👧."
    assert multiline(text) is text


def test_multiline_does_not_recompose_or_trim() -> None:
    text = "  e\u0301  \n"
    assert multiline(text) == text


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        ("Line one\nline two", "Line one line two"),
        ("  A title\x0cwith a form feed ", "A title with a form feed"),
        ("Tabs\t\tand\r\nbreaks", "Tabs and breaks"),
        ("No\u00a0break\u2028space", "No break space"),
        ("Bell\x07between", "Bell between"),
        ("\x00\ufffe\ud800", ""),
    ],
)
def test_single_line_makes_one_trimmed_line_with_single_spaces(text: str, cleaned: str) -> None:
    assert single_line(text) == cleaned


def test_single_line_composes_so_one_name_typed_two_ways_is_one_name() -> None:
    assert single_line("Zoe\u0308") == single_line("Zo\u00eb") == "Zo\u00eb"


def test_format_characters_writers_need_are_kept() -> None:
    name = f"x{KEPT_FORMATS}y"
    assert single_line(name) == name
    assert multiline(name) == name


@given(st.text(max_size=200))
def test_multiline_leaves_nothing_unwanted_and_is_stable(text: str) -> None:
    cleaned = multiline(text)
    assert not any(is_unwanted(char) for char in cleaned)
    assert "\r" not in cleaned
    assert multiline(cleaned) == cleaned


@given(st.text(max_size=200))
def test_single_line_is_one_line_without_unwanted_characters_and_is_stable(text: str) -> None:
    cleaned = single_line(text)
    assert not any(is_unwanted(char) or (char.isspace() and char != " ") for char in cleaned)
    assert "  " not in cleaned
    assert cleaned == cleaned.strip()
    assert unicodedata.is_normalized("NFC", cleaned)
    assert single_line(cleaned) == cleaned
