"""The search box: what a reader typed, read as a list of terms.

This module decides what the syntax means and nothing about databases
(``fulltext`` turns a ``SearchQuery`` into SQL). The syntax:

- ``rain`` a word; ``"cold rain"`` a phrase (words next to each other);
- ``-angst`` or ``-"happy ending"`` leaves out works that match;
- ``title:``, ``author:`` and ``tag:`` (any case) in front of a word or a
  phrase search only that field: ``tag:"Lexie Grey"``, ``-tag:angst``;
- everything else is plain text: ``NEAR``, ``OR``, ``*``, ``(`` or
  ``foo:bar`` are words like any other, never operators. Every term must
  match (AND).

It never raises. An unclosed quote closes at the end; control characters
become spaces; input past 1,000 characters and terms past the 32nd are
cut; terms without a letter or digit and repeats are dropped. What was
cut or ignored is said in ``messages``, for the page to show.

>>> query = parse_query('rain -tag:angst Title:"cold morning" "unclosed')
>>> [(t.kind, t.text, t.field, t.negated) for t in query.terms]
... # doctest: +NORMALIZE_WHITESPACE
[('word', 'rain', None, False), ('word', 'angst', 'tag', True),
 ('phrase', 'cold morning', 'title', False), ('phrase', 'unclosed', None, False)]
>>> query.messages
('A quotation mark was not closed, so the phrase runs to the end.',)
>>> parse_query("-angst").is_empty, parse_query("-angst").only_exclusions
(False, True)
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Literal

MAX_CHARACTERS = 1_000
MAX_TERMS = 32

TermKind = Literal["word", "phrase"]
Field = Literal["title", "author", "tag"]
FIELDS: dict[str, Field] = {"title": "title", "author": "author", "tag": "tag"}

TOO_LONG = f"Only the first {MAX_CHARACTERS:,} characters were searched."
TOO_MANY = f"Only the first {MAX_TERMS} terms were searched."
UNCLOSED = "A quotation mark was not closed, so the phrase runs to the end."


@dataclass(frozen=True)
class Term:
    """One word or phrase; ``field`` None means every field."""

    kind: TermKind
    text: str
    field: Field | None = None
    negated: bool = False


@dataclass(frozen=True)
class SearchQuery:
    terms: tuple[Term, ...] = ()
    messages: tuple[str, ...] = field(default=(), compare=False)

    @property
    def is_empty(self) -> bool:
        return not self.terms

    @property
    def included(self) -> tuple[Term, ...]:
        return tuple(term for term in self.terms if not term.negated)

    @property
    def excluded(self) -> tuple[Term, ...]:
        return tuple(term for term in self.terms if term.negated)

    @property
    def only_exclusions(self) -> bool:
        """Every term is an exclusion: the search means "all works except"."""
        return bool(self.terms) and not self.included


def parse_query(text: str) -> SearchQuery:
    """Read the search box; see the module docstring for the syntax."""
    messages: list[str] = []
    if len(text) > MAX_CHARACTERS:
        text = text[:MAX_CHARACTERS]
        messages.append(TOO_LONG)
    scanner = _Scanner(_clean(text))
    terms: list[Term] = []
    ignored: list[str] = []
    while (term := scanner.next_term()) is not None:
        if not _has_word_character(term.text):
            if term.text.strip():
                ignored.append(term.text.strip())
        elif term not in terms:
            terms.append(term)
    if scanner.unclosed:
        messages.append(UNCLOSED)
    if ignored:
        shown = ", ".join(ignored[:5]) + (", ..." if len(ignored) > 5 else "")
        messages.append(f"Ignored terms without letters or digits: {shown}")
    if len(terms) > MAX_TERMS:
        terms = terms[:MAX_TERMS]
        messages.append(TOO_MANY)
    return SearchQuery(terms=tuple(terms), messages=tuple(messages))


def _clean(text: str) -> str:
    # Control characters (NUL above all: PostgreSQL refuses it in text) are
    # never meant; they become spaces so they still separate words.
    return "".join(" " if unicodedata.category(char) == "Cc" else char for char in text)


def _has_word_character(text: str) -> bool:
    # Both databases' tokenizers skip everything else, so such a term could
    # only ever match everything or nothing.
    return any(char.isalnum() for char in text)


class _Scanner:
    """Reads terms left to right: ``[-][field:]("phrase" | word)``."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0
        self.unclosed = False

    def next_term(self) -> Term | None:
        self._skip_spaces()
        if self.at >= len(self.text):
            return None
        negated = self._take("-")
        prefix = self._field_prefix()
        if prefix is not None:
            self._skip_spaces()  # "tag: angst" still means tag:angst
        if self._take('"'):
            return Term("phrase", " ".join(self._phrase().split()), prefix, negated)
        return Term("word", self._word(), prefix, negated)

    def _skip_spaces(self) -> None:
        while self.at < len(self.text) and self.text[self.at].isspace():
            self.at += 1

    def _take(self, char: str) -> bool:
        if self.text.startswith(char, self.at):
            self.at += 1
            return True
        return False

    def _field_prefix(self) -> Field | None:
        colon = self.text.find(":", self.at)
        name = self.text[self.at : colon].casefold() if colon > self.at else ""
        prefix = FIELDS.get(name)
        if prefix is not None:
            self.at = colon + 1
        return prefix

    def _phrase(self) -> str:
        end = self.text.find('"', self.at)
        if end < 0:
            self.unclosed = True
            end = len(self.text)
        phrase = self.text[self.at : end]
        self.at = end + 1
        return phrase

    def _word(self) -> str:
        # A word ends at a space or at a quote, which starts the next phrase.
        start = self.at
        while self.at < len(self.text) and not (
            self.text[self.at].isspace() or self.text[self.at] == '"'
        ):
            self.at += 1
        return self.text[start : self.at]
