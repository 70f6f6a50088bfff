"""Full-text search: one interface over SQLite FTS5 and PostgreSQL.

This module decides how a ``SearchQuery`` becomes SQL on each database,
how a work's text is stored for it (migration ``0003_fulltext``), how
matches rank and what a result's snippet shows. ``connection.vendor``
picks the backend.

Both databases stem English (FTS5 ``porter``, PostgreSQL ``'english'``),
so "rains" finds "rain", and phrases are stemmed too. Every term must
match; a field prefix searches only that field; plain terms search all
of them. Rank is higher for better matches, a title counting most, then
tags, author, summary and notes, then the body. Every user value is a
bound parameter: FTS5 gets each term as a quoted string, PostgreSQL
builds its tsquery from ``phraseto_tsquery`` parts joined by ``&&`` and
``!!``, so no text is ever read as query syntax.

Where they differ (tests cover what they share):

- PostgreSQL drops English stop words: "the" alone finds nothing there
  and any work on SQLite. Stop words at a phrase's edges are dropped on
  both ("the rain" is "rain"), which also spares FTS5 reading where every
  "the" stands; inside a phrase SQLite keeps them exact, where PostgreSQL
  only keeps their count ("lord of the rings" is lord, two words, rings).
- PostgreSQL keeps word positions only up to 16,383 and 256 per word,
  so a phrase far into a very long work can be missed; FTS5 has no limit.
- Rank: FTS5's bm25 counts every column, the body too; PostgreSQL ranks
  by ``ts_rank`` over all but the body (reading each match's body vector
  costs ~25 µs, ten times bm25), so works that match only in the body
  rank equal there and the caller's next sort key orders them. Scores
  differ in scale; only their order means anything.
- Snippets (see below): SQLite scans the body's first 200,000 bytes of
  UTF-8 (as many characters in English text, fewer in other scripts),
  PostgreSQL its first 200,000 characters. FTS5's ``snippet()`` marks a
  phrase as one run and keeps text shaped like an HTML tag (escaped);
  PostgreSQL's ``ts_headline`` marks each word it finds, phrase or not,
  and leaves such text out.

A snippet reads a bounded part of each work, never its whole body (over a
500,000-word body, FTS5's ``snippet()`` took about a second for a common
word, ``ts_headline`` half of one). Both databases look for the first place,
within the start of the body (above), where a searched word or phrase
starts a word, by its letters rather than its stem ("rain" stands in
"rains", "raining" not in "rain"; stop words at a phrase's edges are not
looked for), and highlight the 1,500 characters around it (500 before
it; the whole body when it is no longer), or the opening 1,500 when
nothing is found there. FTS5 highlights in a TEMP table tokenised as
``search_fts`` is, so it marks what the search matched. When the window
has no match, the snippet is the summary if that matches, else the
opening of the summary (of the body when there is none): so a long work
whose only match lies past the scan is found, but not shown where it
matches.

SQL here is put together from constants and ``%s`` placeholders only
(hence the ``noqa: S608``); user text only ever travels as a parameter.

The search finds only indexed works: a query made only of exclusions
means every indexed work except those. SQLite has no cascade from
works_work, so whoever deletes works calls ``remove_documents``.
"""

from __future__ import annotations

import html
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import astuple, dataclass
from itertools import islice
from typing import Protocol, TypeVar

from django.db import connection, transaction

from fanfold.archive.dbrouting import for_reading
from fanfold.archive.search.query import SearchQuery, Term

BATCH = 500
SNIPPET_WORDS = 30
# A snippet looks for the search's words in the body's first SNIPPET_SCAN
# characters and highlights SNIPPET_WINDOW of them around the first place
# one stands, SNIPPET_LEAD before it (see the module docstring).
SNIPPET_SCAN, SNIPPET_WINDOW, SNIPPET_LEAD = 200_000, 1_500, 500
SUMMARY_SCAN = 10_000  # as PostgreSQL's rank reads it (``head``)
# Private-use characters mark matches while the text is still plain, so
# escaping it cannot touch the marks; they are removed from stored text.
MARK, UNMARK = "\ue000", "\ue001"
_T = TypeVar("_T")
_NEIGHBOUR_MARKS = re.compile(f"{UNMARK}(\\s+){MARK}")
_STRIP = str.maketrans({"\x00": " ", MARK: " ", UNMARK: " "})


@dataclass(frozen=True)
class Document:
    """What the search reads of one work, as plain text (never HTML)."""

    work_id: int
    title: str
    author: str
    summary: str
    notes: str  # the work's and its chapters' notes
    tags: str  # joined with ", "
    body: str  # the text of every chapter readers can read, in order


def index_documents(documents: Iterable[Document]) -> None:
    """Add or replace these works' documents, in batches, in one transaction."""
    backend = _backend()
    with transaction.atomic():
        for batch in _batches(documents):
            backend.index(batch)


def remove_documents(work_ids: Iterable[int]) -> None:
    backend = _backend()
    with transaction.atomic():
        for batch in _batches(work_ids):
            backend.remove(batch)


@dataclass(frozen=True)
class Window:
    """Which matches to read: a stretch of work ids, the first few, or given works.

    A stretch (``above`` < id <= ``upto``) is cheap on both backends: FTS5
    seeks its doclists to the range. ``first`` stops after that many
    matches in the index's own order. FTS5 reads matches in descending id
    order, and works given one by one, far more slowly (it re-reads the
    terms' doclists), so neither is offered.
    """

    above: int | None = None
    upto: int | None = None
    first: int | None = None
    # A condition every match must meet, on the work id written ``{work}``,
    # and its parameters: a search among a fandom's works ranks only those.
    where: str | None = None
    where_params: tuple[object, ...] = ()


def match(query: SearchQuery, window: Window | None = None) -> tuple[str, list[object]]:
    """SQL selecting ``work_id`` and ``rank`` (higher is better) of the matching works.

    Use it as a subquery joined on the works table. An empty query
    matches nothing (list without searching instead).
    """
    if query.is_empty:
        return "SELECT 0 AS work_id, 0.0 AS rank WHERE 1 = 0", []
    return _backend().match(query, window or Window())


def snippets(work_ids: Sequence[int], query: SearchQuery) -> dict[int, str]:
    """About 30 words of safe HTML per indexed work, matches in ``<mark>``.

    From the body, else the summary; a work where neither matches (a
    title match, an exclusion-only query) gets the start of its summary,
    or of its body when it has no summary.
    """
    if not work_ids:
        return {}
    backend = _backend()
    found = backend.snippets(work_ids, query) if query.included else {}
    missing = [work_id for work_id in work_ids if work_id not in found]
    if missing:
        for work_id, summary, body in backend.openings(missing):
            found[work_id] = _excerpt(summary if summary.strip() else body)
    return found


class _Backend(Protocol):
    def index(self, documents: list[Document]) -> None: ...
    def remove(self, work_ids: list[int]) -> None: ...
    def match(self, query: SearchQuery, window: Window) -> tuple[str, list[object]]: ...
    def snippets(self, work_ids: Sequence[int], query: SearchQuery) -> dict[int, str]: ...
    def openings(self, work_ids: Sequence[int]) -> list[tuple[int, str, str]]: ...


def _backend() -> _Backend:
    if connection.vendor == "sqlite":
        return _SQLite()
    if connection.vendor == "postgresql":
        return _PostgreSQL()
    raise NotImplementedError(
        f"full-text search needs SQLite or PostgreSQL, not {connection.vendor}"
    )


def _batches(items: Iterable[_T]) -> Iterator[list[_T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, BATCH)):
        yield batch


def _row(document: Document) -> tuple[int | str, ...]:
    work_id, *texts = astuple(document)
    return (int(work_id), *(str(text).translate(_STRIP) for text in texts))


# PostgreSQL's English stop words (its ``english.stop``, from Snowball).
STOP_WORDS = frozenset(
    """i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what which
    who whom this that these those am is are was were be been being have has had having do
    does did doing a an the and but if or because as until while of at by for with about
    against between into through during before after above below to from up down in out on
    off over under again further then once here there when where why how all any both each
    few more most other some such no nor not only own same so than too very s t can will
    just don should now""".split()
)
# Letters and digits only, so a word is safe inside a regular expression.
_WORD = re.compile(r"[^\W_]+")


def _without_edge_stop_words(text: str) -> str:
    """A phrase's words without the stop words that begin or end it, unless that is all.

    >>> _without_edge_stop_words("The lighthouse keeper of the bay, and")
    'lighthouse keeper of the bay'
    >>> _without_edge_stop_words("to be or not to be")
    'to be or not to be'
    """
    words = _WORD.findall(text)
    start, end = 0, len(words)
    while start < end and words[start].casefold() in STOP_WORDS:
        start += 1
    while end > start and words[end - 1].casefold() in STOP_WORDS:
        end -= 1
    return " ".join(words[start:end]) if start < end else text


def _phrase_patterns(query: SearchQuery) -> list[str]:
    r"""Each plain search term as a regular expression for where it stands in a body.

    Its words in lower case (stop words at its edges left out, as the search
    does), each the start of a word there ("rain" stands in "rains"), with
    anything else between them. Words are letters and digits only, so each
    pattern reads the same and is safe in Python and in PostgreSQL.

    >>> from fanfold.archive.search.query import parse_query
    >>> print(*_phrase_patterns(parse_query('Rain "the cold morning" title:mill -sea')))
    rain cold\w*\W+morning
    """
    patterns = []
    for term in query.included:
        words = _WORD.findall(_without_edge_stop_words(term.text).lower())
        if term.field is None and words:
            patterns.append(r"\w*\W+".join(words))
    return patterns


def _first_place(text: str, patterns: Sequence[str]) -> int | None:
    """Where the first of ``patterns`` starts a word in ``text``, in any case.

    Each pattern is searched for in the lowered text by its literal first
    word, which ``re`` scans for quickly; a pattern that began with a word
    boundary would be tried at every position, twenty times slower.

    >>> _first_place("Brain, then RAIN and a cold morning.", ["rain", r"cold\\w*\\W+morning"])
    12
    >>> _first_place("Brainless.", ["rain"]) is None
    True
    """
    # "İ" is the one character whose lower case is two: offsets must not move.
    lowered = text.replace("\u0130", "i").lower()
    if len(lowered) != len(text):
        return None
    places = [_first_word_start(lowered, re.compile(pattern)) for pattern in patterns]
    return min((place for place in places if place is not None), default=None)


def _first_word_start(text: str, pattern: re.Pattern[str]) -> int | None:
    found = pattern.search(text)
    while found and not _starts_a_word(text, found.start()):
        found = pattern.search(text, found.start() + 1)
    return found.start() if found else None


def _starts_a_word(text: str, at: int) -> bool:
    return at == 0 or not (text[at - 1].isalnum() or text[at - 1] == "_")


def _snippet_window(text: str, at: int | None) -> str:
    """``SNIPPET_WINDOW`` characters of ``text``, ``SNIPPET_LEAD`` of them before ``at``.

    A window that would run past the end starts earlier, so a text no longer
    than a window is read whole; with nothing found, the window opens it.

    >>> [len(_snippet_window("x" * 9_000, at)) for at in (None, 100, 5_000, 8_990)]
    [1500, 1500, 1500, 1500]
    >>> _snippet_window("a" * 4_000 + "b" * 5_000, 4_000).index("b")
    500
    >>> _snippet_window("short", 3)
    'short'
    """
    start = 0 if at is None else max(0, min(at - SNIPPET_LEAD, len(text) - SNIPPET_WINDOW))
    return text[start : start + SNIPPET_WINDOW]


def _window_sql(window: Window, column: str) -> tuple[str, list[object]]:
    """The window as SQL after a WHERE clause: " AND <where> AND id > %s AND id <= %s LIMIT n"."""
    parts: list[str] = []
    params: list[object] = []
    if window.where is not None:
        parts.append(f" AND {window.where.format(work=column)}")
        params.extend(window.where_params)
    if window.above is not None:
        parts.append(f" AND {column} > %s")
        params.append(int(window.above))
    if window.upto is not None:
        parts.append(f" AND {column} <= %s")
        params.append(int(window.upto))
    if window.first is not None:
        parts.append(f" LIMIT {int(window.first)}")
    return "".join(parts), params


def _placeholders(count: int) -> str:
    return ", ".join(["%s"] * count)


def _marked_html(text: str) -> str:
    """Escaped text with its marks as ``<mark>``, words marked side by side in one run.

    >>> _marked_html(f"a {MARK}cold{UNMARK} {MARK}morning{UNMARK} & tea")
    'a <mark>cold morning</mark> &amp; tea'
    """
    joined = _NEIGHBOUR_MARKS.sub(r"\1", text)
    return html.escape(joined).replace(MARK, "<mark>").replace(UNMARK, "</mark>")


def _has_mark(text: str | None) -> bool:
    return bool(text) and MARK in str(text)


_ELLIPSES = re.compile(r"^(?:\s|…|\.\.\.)+|(?:\s|…|\.\.\.)+$")
_DOUBLED = re.compile(r"…(?:\s*…)+")


def _framed(snippet: str) -> str:
    """A snippet of chapter text with one ellipsis each side, however the backend cut it.

    FTS5 marks its own cuts with "…", PostgreSQL's headline none; the page
    adding its own showed "……" (issue 14).

    >>> _framed("…the <mark>kettle</mark> sang…")
    '…the <mark>kettle</mark> sang…'
    >>> _framed("the <mark>kettle</mark> sang")
    '…the <mark>kettle</mark> sang…'
    """
    return f"…{_ELLIPSES.sub('', snippet)}…"


def _excerpt(text: str) -> str:
    words = text.split()
    cut = " ".join(words[:SNIPPET_WORDS])
    return html.escape(cut + ("…" if len(words) > SNIPPET_WORDS else ""))


def _pick_snippet(body: str | None, summary: str | None) -> str | None:
    """The body's marked snippet, framed as a cut of the text; else the summary's, as it is."""
    if body is not None and _has_mark(body):
        return _framed(_marked_html(body))
    if summary is not None and _has_mark(summary):
        return _DOUBLED.sub("…", _marked_html(summary))
    return None


class _SQLite:
    """FTS5: ``search_fts(title, author, summary, notes, tags, body)``, rowid = work id."""

    COLUMNS = "title, author, summary, notes, tags, body"
    FIELD_COLUMNS = {"title": "title", "author": "author", "tag": "tags"}
    # bm25 weights, in column order: title, author, summary, notes, tags, body.
    WEIGHTS = "10.0, 4.0, 3.0, 1.0, 5.0, 1.0"
    # FTS5 keeps its own copy of the text in this shadow table (id is the
    # rowid, c0-c5 the columns in order); snippets read it directly.
    CONTENT, SUMMARY_COLUMN, BODY_COLUMN = "search_fts_content", "c2", "c5"
    # Snippet windows are marked in a TEMP FTS5 table tokenised as
    # search_fts is (migration 0003), so they mark what the search matched.
    WINDOWS, TOKENIZE = "search_snippet_windows", "porter unicode61 remove_diacritics 2"

    def index(self, documents: list[Document]) -> None:
        sql = (
            f"INSERT OR REPLACE INTO search_fts (rowid, {self.COLUMNS}) VALUES ({_placeholders(7)})"  # noqa: S608
        )
        with connection.cursor() as cursor:
            cursor.executemany(sql, [_row(document) for document in documents])

    def remove(self, work_ids: list[int]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                "DELETE FROM search_fts WHERE rowid = %s", [(int(i),) for i in work_ids]
            )

    def match(self, query: SearchQuery, window: Window) -> tuple[str, list[object]]:
        excluded = " OR ".join(self._term(term) for term in query.excluded)
        if not query.included:
            # FTS5's own full scan reads every stored text; its docsize
            # shadow table holds one small row per document.
            where, params = _window_sql(window, "search_fts_docsize.id")
            return (
                "SELECT id AS work_id, 0.0 AS rank FROM search_fts_docsize WHERE id NOT IN"  # noqa: S608
                f" (SELECT rowid FROM search_fts WHERE search_fts MATCH %s){where}",
                [excluded, *params],
            )
        expression = " AND ".join(self._term(term) for term in query.included)
        if excluded:
            expression = f"({expression}) NOT ({excluded})"
        # FTS5 ranks only the rows it returns (bm25 costs ~3 µs a match), so a
        # window keeps both the reading and the ranking short.
        where, params = _window_sql(window, "search_fts.rowid")
        return (
            f"SELECT rowid AS work_id, -bm25(search_fts, {self.WEIGHTS}) AS rank"  # noqa: S608
            f" FROM search_fts WHERE search_fts MATCH %s{where}",
            [expression, *params],
        )

    def _term(self, term: Term) -> str:
        # A quoted FTS5 string is only ever text (a phrase of its tokens).
        string = '"' + _without_edge_stop_words(term.text).replace('"', '""') + '"'
        column = self.FIELD_COLUMNS.get(term.field or "")
        return f"({column} : {string})" if column else string

    def snippets(self, work_ids: Sequence[int], query: SearchQuery) -> dict[int, str]:
        # Any plain term may be the one in this work's body or summary; the
        # exclusions and the AND were already applied by match(), and a field
        # term never marks either.
        expression = " OR ".join(self._term(term) for term in query.included if term.field is None)
        if not expression:
            return {}
        patterns = _phrase_patterns(query)
        windows = [
            (work_id, summary, _snippet_window(body, _first_place(body, patterns)))
            for work_id, summary, body in self._texts(work_ids, SNIPPET_SCAN)
        ]
        rows = self._highlighted(windows, expression)
        picked = {work_id: _pick_snippet(body, summary) for work_id, body, summary in rows}
        return {work_id: text for work_id, text in picked.items() if text is not None}

    def _highlighted(
        self, windows: list[tuple[int, str, str]], expression: str
    ) -> list[tuple[int, str | None, str | None]]:
        """FTS5's snippet() of each (work id, summary, body window), in a TEMP table.

        Writing a TEMP table takes no lock on the main database, and
        snippet() tokenises only these windows, not whole bodies.
        """
        table = self.WINDOWS
        marks = f"'{MARK}', '{UNMARK}', '…', {SNIPPET_WORDS}"
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{table}"
                f" USING fts5(summary, body, tokenize = '{self.TOKENIZE}')"
            )
            # The last search's windows stay until the next (one statement fewer).
            cursor.execute(f"DELETE FROM temp.{table}")  # noqa: S608
            # One statement a batch: each statement is its own transaction.
            for batch in _batches(windows):
                cursor.execute(
                    f"INSERT INTO temp.{table} (rowid, summary, body) VALUES "  # noqa: S608
                    + ", ".join(["(%s, %s, %s)"] * len(batch)),
                    [value for window in batch for value in window],
                )
            cursor.execute(
                f"SELECT rowid, snippet({table}, 1, {marks}), snippet({table}, 0, {marks})"  # noqa: S608
                f" FROM temp.{table} WHERE {table} MATCH %s",
                [expression],
            )
            rows = cursor.fetchall()
        return [(int(work_id), body, summary) for work_id, body, summary in rows]

    def openings(self, work_ids: Sequence[int]) -> list[tuple[int, str, str]]:
        return self._texts(work_ids, 2_000)

    def _texts(self, work_ids: Sequence[int], body_bytes: int) -> list[tuple[int, str, str]]:
        """Each work's summary and the first ``body_bytes`` of its body, never the rest."""
        # Through search_fts, reading a summary reads the whole row, body too.
        sql = (
            f"SELECT id, substr({self.SUMMARY_COLUMN}, 1, {SUMMARY_SCAN}) FROM {self.CONTENT}"  # noqa: S608
            f" WHERE id IN ({_placeholders(len(work_ids))})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [int(work_id) for work_id in work_ids])
            summaries = cursor.fetchall()
        return [
            (int(work_id), str(summary), self._start_of_body(int(work_id), body_bytes))
            for work_id, summary in summaries
        ]

    def _start_of_body(self, work_id: int, length: int) -> str:
        # substr() would read the whole value first (2.6 ms for 500,000
        # words); an incremental blob read stops after ``length`` bytes.
        try:
            with connection.connection.blobopen(
                self.CONTENT, self.BODY_COLUMN, work_id, readonly=True
            ) as blob:
                start: bytes = blob.read(length)
        except sqlite3.Error:  # deleted since the summaries were read
            return ""
        # The database is UTF-8; only a character cut in two at the end is dropped.
        return start.decode("utf-8", errors="ignore")


class _PostgreSQL:
    """``search_document`` with a weighted tsvector ``document`` (GIN).

    Plain terms match ``document``; a field prefix matches that column's
    own small vector (``title_vector``, ``author_vector``, ``tags_vector``,
    a GIN index each), never the big document.
    """

    COLUMNS = "title, author, summary, notes, tags, body"
    FIELD_COLUMNS = {"title": "title", "author": "author", "tag": "tags"}
    # One fragment (words on both sides of the match) from the body; the
    # whole of a short summary (fragments would drop its last full stop).
    SUMMARY_HEADLINE = f"StartSel={MARK}, StopSel={UNMARK}, MaxWords={SNIPPET_WORDS}, MinWords=15"
    BODY_HEADLINE = f"{SUMMARY_HEADLINE}, MaxFragments=1"
    # The start of the body searched for the window, read once per work
    # (OFFSET 0 keeps a subquery from being copied into each use of it) as a
    # TOAST slice, never the whole body. Reading and searching SNIPPET_SCAN
    # characters costs ~7 ms a work (the slice is fetched as 4 bytes a
    # character; the regex widens it first), so the first NEAR are searched
    # first, and used alone when the match lies well inside them: the
    # window is then the same. The window starts as _snippet_window's does.
    NEAR = 20_000
    NEAR_ENOUGH = NEAR - (SNIPPET_WINDOW - SNIPPET_LEAD)  # a whole window fits before NEAR
    START_OF_BODY = (
        f"CROSS JOIN LATERAL (SELECT substr(d.body, 1, {NEAR}) AS text OFFSET 0) n"
        f" CROSS JOIN LATERAL (SELECT CASE WHEN length(n.text) < {NEAR} OR coalesce(nullif("
        f"regexp_instr(n.text, %s, 1, 1, 0, 'i'), 0), {NEAR}) <= {NEAR_ENOUGH}"
        f" THEN n.text ELSE substr(d.body, 1, {SNIPPET_SCAN}) END AS text OFFSET 0) b"
        " CROSS JOIN LATERAL (SELECT greatest(1, least("
        f"regexp_instr(b.text, %s, 1, 1, 0, 'i') - {SNIPPET_LEAD},"
        f" length(b.text) - {SNIPPET_WINDOW} + 1)) AS start) w"
    )

    def index(self, documents: list[Document]) -> None:
        updates = ", ".join(f"{name} = EXCLUDED.{name}" for name in self.COLUMNS.split(", "))
        sql = (
            f"INSERT INTO search_document (work_id, {self.COLUMNS}) VALUES ({_placeholders(7)})"  # noqa: S608
            f" ON CONFLICT (work_id) DO UPDATE SET {updates}"
        )
        with connection.cursor() as cursor:
            cursor.executemany(sql, [_row(document) for document in documents])

    def remove(self, work_ids: list[int]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM search_document WHERE work_id = ANY(%s)", [[int(i) for i in work_ids]]
            )

    def match(self, query: SearchQuery, window: Window) -> tuple[str, list[object]]:
        where, window_params = _window_sql(window, "d.work_id")
        if not query.included:
            condition, params = self._any_of(query.excluded, "e")
            return (
                "SELECT d.work_id, 0.0::float8 AS rank FROM search_document d WHERE d.work_id"  # noqa: S608
                f" NOT IN (SELECT e.work_id FROM search_document e WHERE {condition}){where}",
                [*params, *window_params],
            )
        conditions, params = self._all_of(query.terms)
        # Ranked by ``head`` (all but the body): ranking by the document
        # would unpack every match's big vector, about 25 µs a work.
        rank, rank_params = self._tsquery(query.included, "&&")
        return (
            f"SELECT d.work_id, ts_rank(d.head, {rank})::float8 AS rank"  # noqa: S608
            f" FROM search_document d WHERE {conditions}{where}",
            [*rank_params, *params, *window_params],
        )

    def _all_of(self, terms: Sequence[Term]) -> tuple[str, list[str]]:
        # Plain terms become one tsquery (one GIN scan: a && b && !!c);
        # field terms are each a condition on their column's vector.
        plain = [term for term in terms if term.field is None]
        conditions: list[str] = []
        params: list[str] = []
        if plain:
            tsquery, params = self._tsquery(plain, "&&")
            conditions.append(f"d.document @@ {tsquery}")
        for term in terms:
            if term.field is not None:
                condition, term_params = self._field_condition(term, "d")
                conditions.append(f"NOT {condition}" if term.negated else condition)
                params.extend(term_params)
        return " AND ".join(conditions), params

    def _any_of(self, terms: Sequence[Term], alias: str) -> tuple[str, list[str]]:
        conditions: list[str] = []
        params: list[str] = []
        for term in terms:
            if term.field is None:
                conditions.append(f"{alias}.document @@ phraseto_tsquery('english', %s)")
                params.append(term.text)
            else:
                condition, term_params = self._field_condition(term, alias)
                conditions.append(condition)
                params.extend(term_params)
        return " OR ".join(conditions), params

    def _tsquery(self, terms: Sequence[Term], joiner: str) -> tuple[str, list[str]]:
        if not terms:
            return "''::tsquery", []
        parts = [
            ("!! " if term.negated else "") + "phraseto_tsquery('english', %s)" for term in terms
        ]
        return "(" + f" {joiner} ".join(parts) + ")", [term.text for term in terms]

    def _field_condition(self, term: Term, alias: str) -> tuple[str, list[str]]:
        column = self.FIELD_COLUMNS[term.field or ""]
        return f"({alias}.{column}_vector @@ phraseto_tsquery('english', %s))", [term.text]

    def snippets(self, work_ids: Sequence[int], query: SearchQuery) -> dict[int, str]:
        plain = [term for term in query.included if term.field is None]
        if not plain:
            return {}
        tsquery, params = self._tsquery(plain, "||")
        sql = (
            "SELECT d.work_id,"  # noqa: S608
            f" ts_headline('english', substr(b.text, w.start, {SNIPPET_WINDOW}), q.q, %s),"
            f" ts_headline('english', substr(d.summary, 1, {SUMMARY_SCAN}), q.q, %s)"
            f" FROM search_document d CROSS JOIN (SELECT {tsquery} AS q) q {self.START_OF_BODY}"
            " WHERE d.work_id = ANY(%s)"
        )
        patterns = _phrase_patterns(query)
        # \m: where a word starts. With no word to look for, the window opens the body.
        looked_for = "\\m(?:" + "|".join(patterns) + ")" if patterns else "^"
        with for_reading().cursor() as cursor:
            cursor.execute(
                sql,
                [
                    self.BODY_HEADLINE,
                    self.SUMMARY_HEADLINE,
                    *params,
                    looked_for,
                    looked_for,
                    [int(i) for i in work_ids],
                ],
            )
            rows = cursor.fetchall()
        picked = {work_id: _pick_snippet(body, summary) for work_id, body, summary in rows}
        return {work_id: text for work_id, text in picked.items() if text is not None}

    def openings(self, work_ids: Sequence[int]) -> list[tuple[int, str, str]]:
        with for_reading().cursor() as cursor:
            cursor.execute(
                f"SELECT work_id, substr(summary, 1, {SUMMARY_SCAN}), substr(body, 1, 2000)"  # noqa: S608
                " FROM search_document WHERE work_id = ANY(%s)",
                [[int(i) for i in work_ids]],
            )
            return [(int(i), str(s), str(b)) for i, s, b in cursor.fetchall()]
