"""``count_words``: word counts as readers of fan fiction expect them.

A word is a run of letters or digits; an apostrophe or hyphen inside one
keeps it one word, punctuation and symbols on their own are no words, and
every Chinese, Japanese or Korean character counts as a word, as AO3
counts them.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fanfold.text.words import count_words


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("", 0),
        ("   \n\t ", 0),
        ("Rain.", 1),
        ("The lane was quiet.", 4),
        ("don't", 1),
        ("don’t", 1),
        ("well-known", 1),
        ("mother-in-law's", 1),
        ("rock 'n' roll", 3),
        ("42 boats", 2),
        ("— * ~ ... !!", 0),
        ("- word -", 1),
        ("snake_case", 2),
        ("naïve Ålesund", 2),
    ],
)
def test_words_are_runs_of_letters_or_digits(text: str, count: int) -> None:
    assert count_words(text) == count


@pytest.mark.parametrize(
    ("text", "count"),
    [("你好", 2), ("こんにちは", 5), ("カタカナ", 4), ("안녕하세요", 5), ("雨 rain 雨", 3)],
)
def test_each_cjk_character_is_a_word(text: str, count: int) -> None:
    assert count_words(text) == count


@given(st.lists(st.sampled_from(["rain", "don't", "x-ray", "7"]), max_size=30))
def test_words_joined_by_spaces_or_punctuation_are_counted_one_each(words: list[str]) -> None:
    assert count_words(" ".join(words)) == len(words)
    assert count_words(", ".join(words) + ".") == len(words)
