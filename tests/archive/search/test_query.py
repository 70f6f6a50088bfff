"""The search box syntax: what each kind of input becomes."""

from __future__ import annotations

import doctest

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fanfold.archive.search import query as query_module
from fanfold.archive.search.query import (
    MAX_CHARACTERS,
    MAX_TERMS,
    TOO_LONG,
    TOO_MANY,
    UNCLOSED,
    Term,
    parse_query,
)

W, P = "word", "phrase"

EXAMPLES: list[tuple[str, list[Term]]] = [
    ("rain", [Term(W, "rain")]),
    ("cold  rain", [Term(W, "cold"), Term(W, "rain")]),
    ('"cold rain"', [Term(P, "cold rain")]),
    ('"  cold   rain "', [Term(P, "cold rain")]),
    ("-angst", [Term(W, "angst", negated=True)]),
    ('-"happy ending"', [Term(P, "happy ending", negated=True)]),
    ("title:rain", [Term(W, "rain", "title")]),
    ("author:Mira", [Term(W, "Mira", "author")]),
    ('tag:"Lexie Grey"', [Term(P, "Lexie Grey", "tag")]),
    ("-tag:angst", [Term(W, "angst", "tag", negated=True)]),
    ("TITLE:Rain", [Term(W, "Rain", "title")]),
    ("tag: angst", [Term(W, "angst", "tag")]),
    ("summary:rain", [Term(W, "summary:rain")]),
    ("foo:bar", [Term(W, "foo:bar")]),
    ("NEAR(a b) OR c", [Term(W, "NEAR(a"), Term(W, "b)"), Term(W, "OR"), Term(W, "c")]),
    ("{title}:rain", [Term(W, "{title}:rain")]),
    ('rain"cold night"', [Term(W, "rain"), Term(P, "cold night")]),
    ('"unclosed phrase', [Term(P, "unclosed phrase")]),
    ("--double", [Term(W, "-double", negated=True)]),
    ("rain rain", [Term(W, "rain")]),
    ("rain -rain", [Term(W, "rain"), Term(W, "rain", negated=True)]),
    ("* ^ - ( ) \"\" ''", []),
    ("tag:", []),
    ("line\x00break", [Term(W, "line"), Term(W, "break")]),
    ("", []),
]


@pytest.mark.parametrize(("text", "terms"), EXAMPLES)
def test_parse_query_reads_the_search_box_syntax(text: str, terms: list[Term]) -> None:
    assert list(parse_query(text).terms) == terms


def test_an_unclosed_quote_closes_at_the_end_and_says_so() -> None:
    assert parse_query('"cold rain').messages == (UNCLOSED,)
    assert parse_query('"cold rain"').messages == ()


def test_terms_past_the_32nd_are_cut_with_a_message() -> None:
    query = parse_query(" ".join(f"w{number}" for number in range(40)))
    assert [term.text for term in query.terms] == [f"w{number}" for number in range(MAX_TERMS)]
    assert TOO_MANY in query.messages
    assert TOO_MANY == "Only the first 32 terms were searched."


def test_input_past_1000_characters_is_cut_with_a_message() -> None:
    query = parse_query("a" * (MAX_CHARACTERS - 1) + " rain")
    assert query.terms == (Term(W, "a" * (MAX_CHARACTERS - 1)),)
    assert query.messages == (TOO_LONG,)


def test_terms_without_letters_or_digits_are_ignored_with_a_message() -> None:
    query = parse_query("rain *** ^")
    assert query.terms == (Term(W, "rain"),)
    assert query.messages == ("Ignored terms without letters or digits: ***, ^",)


def test_a_query_of_exclusions_only_is_not_empty() -> None:
    query = parse_query("-angst -tag:death")
    assert not query.is_empty
    assert query.only_exclusions
    assert query.included == ()
    assert len(query.excluded) == 2


def test_an_empty_query_is_empty() -> None:
    assert parse_query("  * ").is_empty
    assert not parse_query("rain").is_empty
    assert not parse_query("rain").only_exclusions


def test_the_module_docstring_example_holds() -> None:
    assert doctest.testmod(query_module).failed == 0


@given(st.text(max_size=3_000))
def test_any_text_parses_into_at_most_32_clean_terms(text: str) -> None:
    query = parse_query(text)
    assert len(query.terms) <= MAX_TERMS
    assert len(set(query.terms)) == len(query.terms)
    for term in query.terms:
        assert any(char.isalnum() for char in term.text)
        assert "\x00" not in term.text
        assert term.kind in ("word", "phrase")


@given(st.lists(st.sampled_from(['"', "-", ":", "tag:", "title:", "a", " ", "*", "NOT"])))
def test_syntax_characters_in_any_order_parse(pieces: list[str]) -> None:
    query = parse_query("".join(pieces))
    assert all(term.text for term in query.terms)
