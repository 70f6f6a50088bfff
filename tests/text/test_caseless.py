"""Caseless patterns find exactly what re.IGNORECASE finds, only faster."""

from __future__ import annotations

import re

import pytest

from fanfold.text.caseless import Caseless

WORDS = r"\b(?:kiss(?:ed|es)?|best\s+friend|sister|R\s*&\s*R)\b"


@pytest.mark.parametrize(
    "text",
    [
        "She KISSED her Best  Friend's sister.",
        "Please r & R! kisses, SISTER",
        "Kİss the ſister, ıkiss",  # letters that lower-case unlike IGNORECASE folds them
        "The \u212aiss of a K-sister",  # the Kelvin sign folds to k either way
        "",
    ],
)
def test_caseless_finds_what_ignorecase_finds(text: str) -> None:
    expected = [match.group() for match in re.finditer(WORDS, text, re.IGNORECASE)]
    pattern = Caseless(WORDS)
    assert pattern.findall(text) == expected
    assert pattern.findall(text, limit=1) == expected[:1]
    assert pattern.search(text) == (expected[0] if expected else None)


def test_caseless_refuses_upper_case_escapes_and_groups() -> None:
    with pytest.raises(ValueError, match="escape"):
        Caseless(r"\bword\S")
    with pytest.raises(ValueError, match="groups"):
        Caseless(r"(word)")
