"""The filter engine: which works a listing shows, in what order, and how many.

Plain SQL with bound parameters over the filter index, the same on SQLite
and PostgreSQL (the full-text part comes from ``fulltext``). Each page is
chosen by one of three plans, picked from the tag counters:

- *by sort*: walk the sort order's index over listed works and keep the
  works that pass every condition. Cheap when matches are common (a big
  fandom sorted by kudos reads a few hundred index entries for a page). The
  walk is capped; a filter that turns out rare falls back to the next plan.
- *by tag*: start from the filter rows of the rarest included tag (one
  index range), check the rest, sort what is left. Cheap when that tag is
  rare (a relationship, a small fandom).
- *by text*: start from the full-text matches.
- *by bookmarks*: a reader's bookmarks page starts from their bookmarks
  (a few thousand at most), whatever else the filter asks.

Pages are keyset pages: a cursor holds the last work's sort value and id,
so page 400 costs what page 1 costs. A "previous page" cursor holds the
first work's and reads backwards (the same plan in the reverse order), so
going back costs what going forward does. Counts are exact up to
``EXACT_LIMIT`` matches; beyond, they are estimated from a fixed share of
the works (their sample buckets) and say so, as do facet counts.

>>> WorkFilter(include_tags=(3, 1)).normalised().include_tags
(1, 3)
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum
from typing import Any

from django.db import connection
from django.utils.dateparse import parse_datetime

from fanfold.archive.dbrouting import for_reading
from fanfold.archive.reading.models import Bookmark
from fanfold.archive.search import fulltext
from fanfold.archive.search.models import FilterTag
from fanfold.archive.search.query import SearchQuery
from fanfold.archive.tags.models import Tag
from fanfold.archive.works.models import SAMPLE_BUCKETS, Listing, Work

WORKS = Work._meta.db_table
ROWS = FilterTag._meta.db_table
TAGS = Tag._meta.db_table
BOOKMARKS = Bookmark._meta.db_table

EXACT_LIMIT = 5_000  # matches counted exactly; above, an estimate from a sample
SAMPLE_TARGET = 2_000  # works a counting sample should hold (about ±2% at 10,000 matches)
# Facets read every filter row of every work counted (about 15 each), so they
# are exact for fewer works and sample fewer (bench.discovery measured it).
FACET_EXACT_LIMIT = 800
FACET_SAMPLE_TARGET = 500
# A tag this rare drives the plan. Starting from a tag costs about its works;
# walking the sort order costs about (page / share of works matching). At a
# million works the two meet near 10,000 (bench.discovery; about 12 ms each).
TAG_DRIVE_LIMIT = 10_000
SORT_SCAN_LIMIT = 30_000  # index entries a sort walk reads before giving up
# Searches read their matches that pass the filter (the filter is part of
# the search's SQL) newest first, in stretches, until they hold a pool:
# "best match" ranks that pool. A search passing more is ranked among its
# newest passing matches, and says so.
TEXT_PROBE = 5_000  # a search matching no more is read whole
TEXT_BATCH = 2_000  # passing matches the first stretch of ids should hold
TEXT_POOL = 200  # ten pages of best matches
TEXT_SCAN_LIMIT = 20_000  # matches a search reads (then probes) before it stops
TEXT_TAG_IDS = 20_000  # PostgreSQL: a search in a tag this small reads the tag's works first
WALK_ROW_COST = 4.0  # a walked entry (index, then a check) costs about 4 tag rows (bench)
# PostgreSQL walks in one streamed statement, but reads a tag's works one
# heap page each: there a walked entry costs about 2 tag rows, and the two
# plans meet near 6,000 works (bench.discovery at 1M works).
_WALK_COST_SCALE = {"postgresql": 0.5}
_TAG_DRIVE_SCALE = {"postgresql": 0.6}
WALK_FIRST_BATCH = 128
WALK_MAX_BATCH = 4_096
# The sidebar shows the ten most used tags of each type and the rest of these
# behind "more" (any other tag can be typed by name). Counting reads every
# filter row of the sampled works whatever this is; only the list grows.
FACETS_PER_TYPE = 40
SMALL_BUCKET = 32  # a first bucket this small means about 2,000 works: count them all
MAX_TAGS = 60  # included and excluded tags together, per filter


class FilterError(ValueError):
    """A filter the engine will not run, with the reason a reader can read."""


class Sort(Enum):
    """Listing orders; the value is (column, descending)."""

    UPDATED = ("updated_at", True)
    PUBLISHED = ("published_at", True)
    KUDOS = ("kudos_count", True)
    HITS = ("hit_count", True)
    BOOKMARKS = ("bookmark_count", True)
    COMMENTS = ("comment_count", True)
    WORDS = ("word_count", True)
    TITLE = ("sort_title", False)
    RELEVANCE = ("rank", True)  # of the full-text match; only with a search

    @property
    def column(self) -> str:
        return self.value[0]

    @property
    def descending(self) -> bool:
        return self.value[1]


@dataclass(frozen=True)
class WorkFilter:
    """Everything a reader can ask of a listing, as ids and plain values."""

    include_tags: tuple[int, ...] = ()
    exclude_tags: tuple[int, ...] = ()
    ratings: tuple[str, ...] = ()
    complete: bool | None = None
    crossover: bool | None = None
    words_from: int | None = None
    words_to: int | None = None
    language: str = ""
    updated_from: date | None = None
    updated_to: date | None = None
    owner: int | None = None
    muted_owners: tuple[int, ...] = ()
    hidden_tags: tuple[int, ...] = ()  # the reader's own, apart from the filter's exclusions
    text: SearchQuery | None = None  # the search box, parsed
    sort: Sort = Sort.UPDATED
    bookmarker: int | None = None  # only works this account bookmarked
    private_bookmarks: bool = False  # their private bookmarks count too (their own page)

    @property
    def searching(self) -> bool:
        return self.text is not None and not self.text.is_empty

    def normalised(self) -> WorkFilter:
        """Sorted, de-duplicated ids, so equal filters compare (and cache) equal."""
        if len(set(self.include_tags) | set(self.exclude_tags)) > MAX_TAGS:
            raise FilterError(f"A filter may name at most {MAX_TAGS} tags.")
        return replace(
            self,
            include_tags=tuple(sorted(set(self.include_tags))),
            exclude_tags=tuple(sorted(set(self.exclude_tags))),
            ratings=tuple(sorted(set(self.ratings))),
            muted_owners=tuple(sorted(set(self.muted_owners))),
            hidden_tags=tuple(sorted(set(self.hidden_tags))),
            text=self.text if self.searching else None,
            sort=self.sort if self.searching or self.sort is not Sort.RELEVANCE else Sort.UPDATED,
        )


@dataclass(frozen=True)
class Cursor:
    """Where a page ends: the last work's sort value and id.

    A ``backward`` cursor is where the following page starts (its first
    work's): the page before it is read in the reverse order, then turned.
    """

    value: Any
    work_id: int
    backward: bool = False


def _reads_down(sort: Sort, cursor: Cursor | None) -> bool:
    """Whether a plan reads the sort's values from high to low for this cursor."""
    backward = cursor is not None and cursor.backward
    return sort.descending != backward


def encode_cursor(cursor: Cursor) -> str:
    """A cursor as URL text: "2026-05-01 12:00:00|1234" or "812|1234"."""
    value = cursor.value
    if isinstance(value, datetime):
        value = value.isoformat()
    elif isinstance(value, float):
        value = repr(value)  # every digit: the next page starts exactly after this one
    return f"{value}|{cursor.work_id}"


def decode_cursor(text: str, sort: Sort) -> Cursor | None:
    """The cursor a page link carries; anything malformed is the first page (None)."""
    value, _, work_id = text.rpartition("|")
    if not work_id.isdigit() or not value or len(text) > 400:
        return None
    if sort in (Sort.UPDATED, Sort.PUBLISHED):
        try:
            moment = parse_datetime(value.replace(" ", "T")) if len(value) < 40 else None
        except ValueError:  # well formed, but no such day ("2026-13-45")
            moment = None
        if moment is None:
            return None
        moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        return Cursor(connection.ops.adapt_datetimefield_value(moment), int(work_id))
    if sort is Sort.TITLE:
        return Cursor(value, int(work_id))
    if sort is Sort.RELEVANCE:
        try:
            return Cursor(float(value), int(work_id))
        except ValueError:
            return None
    return Cursor(int(value), int(work_id)) if value.isdigit() else None


@dataclass(frozen=True)
class Page:
    work_ids: list[int]
    next: Cursor | None
    previous: Cursor | None = None  # backward; None on the first page


@dataclass(frozen=True)
class Count:
    value: int
    exact: bool
    # A search's count keeps the pool it was counted from, so the page that
    # follows (``find_works(expected=count)``) ranks it instead of reading it again.
    searched: tuple[WorkFilter, int, _Pool] | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Facets:
    """Tag and rating counts over the current results (scaled when sampled)."""

    tags: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # type -> (tag, n)
    ratings: dict[str, int] = field(default_factory=dict)
    exact: bool = True


@dataclass
class _Sql:
    """A WHERE clause under construction: text parts and their parameters together."""

    parts: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)

    def add(self, text: str, *params: Any) -> None:
        self.parts.append(text)
        self.params.extend(params)

    def where(self) -> str:
        return " AND ".join(self.parts) or "1=1"


# Conditions -----------------------------------------------------------------


def _day_start(day: date) -> Any:
    """The first moment of ``day`` (UTC), as the database compares it."""
    return connection.ops.adapt_datetimefield_value(datetime.combine(day, time.min, tzinfo=UTC))


# PostgreSQL turns an EXISTS into a semi-join, and then often starts from the
# tag's rows (all 100,000 of a big fandom's) to check a batch of 2,000 works.
# An OFFSET keeps it a probe per work, as the plans intend; SQLite already
# probes. (bench.discovery at 1M works: single fandom p95 135 ms before.)
_PROBE_FENCE = {"postgresql": " OFFSET 0"}


def _bookmarked(wf: WorkFilter, alias: str) -> str:
    """Which bookmark rows (``alias``) count: the bookmarker's, of works, public unless
    their own page; ``_bookmark_params`` gives the parameters."""
    shown = "" if wf.private_bookmarks else f" AND {alias}.is_private = %s"
    return f"{alias}.user_id = %s AND {alias}.work_id IS NOT NULL{shown}"


def _bookmark_params(wf: WorkFilter) -> list[Any]:
    return [wf.bookmarker] if wf.private_bookmarks else [wf.bookmarker, False]


def _work_conditions(
    wf: WorkFilter, level: int, skip_tag: int | None = None, *, skip_bookmarks: bool = False
) -> _Sql:
    """Every condition on a work ``w``, its filter rows checked one probe each.

    ``skip_bookmarks`` when the query starts from the bookmark rows already.
    """
    sql = _Sql()
    if wf.bookmarker is not None and not skip_bookmarks:
        sql.add(
            f"EXISTS (SELECT 1 FROM {BOOKMARKS} b WHERE {_bookmarked(wf, 'b')}"
            " AND b.work_id = w.id)",
            *_bookmark_params(wf),
        )
    sql.add(f"w.listing < {int(Listing.UNLISTED)}")  # literally the sort indexes' condition
    if level < Listing.MEMBERS:
        sql.add("w.listing <= %s", level)
    probe = (
        f"EXISTS (SELECT 1 FROM {ROWS} f WHERE f.tag_id = %s"
        f" AND f.bucket = w.bucket AND f.work_id = w.id{_PROBE_FENCE.get(connection.vendor, '')})"
    )
    for tag in wf.include_tags:
        if tag != skip_tag:
            sql.add(probe, tag)
    for tag in (*wf.exclude_tags, *wf.hidden_tags):
        sql.add(f"NOT {probe}", tag)
    if wf.ratings:
        sql.add(f"w.rating IN ({', '.join(['%s'] * len(wf.ratings))})", *wf.ratings)
    if wf.complete is not None:
        sql.add("w.is_complete = %s", wf.complete)
    if wf.crossover is not None:
        sql.add("w.is_crossover = %s", wf.crossover)
    if wf.words_from is not None:
        sql.add("w.word_count >= %s", wf.words_from)
    if wf.words_to is not None:
        sql.add("w.word_count <= %s", wf.words_to)
    if wf.language:
        sql.add("w.language = %s", wf.language)
    if wf.updated_from is not None:
        sql.add("w.updated_at >= %s", _day_start(wf.updated_from))
    if wf.updated_to is not None:
        sql.add("w.updated_at < %s", _day_start(wf.updated_to + timedelta(days=1)))
    if wf.owner is not None:
        sql.add("w.owner_id = %s", wf.owner)
    if wf.muted_owners:
        sql.add(f"w.owner_id NOT IN ({', '.join(['%s'] * len(wf.muted_owners))})", *wf.muted_owners)
    return sql


def _sort_key(sort: Sort) -> str:
    """The expression a plan sorts on: a works column, or the match's rank."""
    if sort is Sort.RELEVANCE:
        # PostgreSQL's ts_rank is a float4, which reaches Python rounded to its
        # shortest text; compared as a double it would then miss its own cursor.
        return "CAST(m.rank AS DOUBLE PRECISION)"
    return f"w.{sort.column}"


def _order_by(sort: Sort, cursor: Cursor | None = None) -> str:
    direction = "DESC" if _reads_down(sort, cursor) else "ASC"
    return f"{_sort_key(sort)} {direction}, w.id {direction}"


def _after(sql: _Sql, sort: Sort, cursor: Cursor | None) -> None:
    """Only works past the cursor, in the direction it reads."""
    if cursor is not None:
        op = "<" if _reads_down(sort, cursor) else ">"
        sql.add(f"({_sort_key(sort)}, w.id) {op} (%s, %s)", cursor.value, cursor.work_id)


# Plans ----------------------------------------------------------------------


def _rarest_tag(wf: WorkFilter, level: int) -> tuple[int, int] | None:
    """The included tag with the fewest works for this viewer, and that number."""
    if not wf.include_tags:
        return None
    column = "member_count" if level >= Listing.MEMBERS else "listed_count"
    counts = dict(Tag.objects.filter(pk__in=wf.include_tags).values_list("pk", column))
    tag = min(wf.include_tags, key=lambda t: counts.get(t, 0))
    return tag, counts.get(tag, 0)


def _fetch(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with for_reading().cursor() as cursor:  # a replica's, when the request may read one
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _by_sort(
    wf: WorkFilter,
    level: int,
    cursor: Cursor | None,
    limit: int,
    scan: int | None,
    *,
    among: set[int] | None = None,
) -> tuple[list[tuple[Any, ...]], bool]:
    """Walk the sort index in growing batches; returns the rows and whether the cap was hit.

    Each batch is two short queries: the next ids in sort order (from the
    sort's own index, nothing else read), then which of them pass every
    condition. On SQLite one query with ``ORDER BY ... LIMIT`` around a
    capped walk would sort the whole walk again before its limit applies;
    PostgreSQL streams it (``_by_sort_streamed``).
    """
    if connection.vendor == "postgresql" and among is None:
        return _by_sort_streamed(wf, level, cursor, limit, scan)
    conditions = _work_conditions(wf, level)
    found: list[tuple[Any, ...]] = []
    walked, batch = 0, WALK_FIRST_BATCH
    while len(found) < limit and (scan is None or walked < scan):
        step = _Sql()
        step.add(f"w.listing < {int(Listing.UNLISTED)}")
        _after(step, wf.sort, cursor)
        rows = _fetch(
            f"SELECT w.id, w.{wf.sort.column} FROM {WORKS} w WHERE {step.where()}"
            f" ORDER BY {_order_by(wf.sort, cursor)} LIMIT {int(batch)}",
            step.params,
        )
        if not rows:
            return found, False  # the whole order was read: nothing more matches
        walked += len(rows)
        ids = [row[0] for row in rows]
        passing = _passing([i for i in ids if among is None or i in among], conditions)
        found.extend(row for row in rows if row[0] in passing)
        cursor = Cursor(rows[-1][1], rows[-1][0], backward=cursor is not None and cursor.backward)
        batch = min(batch * 4, WALK_MAX_BATCH)
    return found[:limit], len(found) < limit


def _by_sort_streamed(
    wf: WorkFilter, level: int, cursor: Cursor | None, limit: int, scan: int | None
) -> tuple[list[tuple[Any, ...]], bool]:
    """The same walk as one statement, for PostgreSQL.

    Its executor streams: the sort index is read in order, each work probed
    as it comes, and reading stops at the ``limit``-th match or after
    ``scan`` entries. No batch overshoots, and there is one round trip. (On
    SQLite the same statement sorts the capped walk again; see ``_by_sort``.)
    """
    walk = _Sql()
    walk.add(f"w.listing < {int(Listing.UNLISTED)}")
    _after(walk, wf.sort, cursor)
    cap = "" if scan is None else f" LIMIT {int(scan)}"
    order = _order_by(wf.sort, cursor)
    conditions = _work_conditions(wf, level)
    rows = _fetch(
        f"SELECT w.id, w.{wf.sort.column} FROM"
        f" (SELECT w.* FROM {WORKS} w WHERE {walk.where()} ORDER BY {order}{cap}) w"
        f" WHERE {conditions.where()} ORDER BY {order} LIMIT {int(limit)}",
        [*walk.params, *conditions.params],
    )
    # Short of the limit, the cap was hit or the order ran out; either way the
    # caller's other plan gives the right page.
    return rows, scan is not None and len(rows) < limit


def _by_tag(
    wf: WorkFilter, level: int, tag: int, cursor: Cursor | None, limit: int
) -> list[tuple[Any, ...]]:
    conditions = _work_conditions(wf, level, skip_tag=tag)
    _after(conditions, wf.sort, cursor)
    sql = (
        f"SELECT w.id, w.{wf.sort.column} FROM {ROWS} d JOIN {WORKS} w ON w.id = d.work_id"
        f" WHERE d.tag_id = %s AND {conditions.where()}"
        f" ORDER BY {_order_by(wf.sort, cursor)} LIMIT {int(limit)}"
    )
    return _fetch(sql, [tag, *conditions.params])


def _by_bookmarks(
    wf: WorkFilter, level: int, cursor: Cursor | None, limit: int
) -> list[tuple[Any, ...]]:
    """A page of the works one reader bookmarked: their bookmark rows, then the works."""
    conditions = _work_conditions(wf, level, skip_bookmarks=True)
    _after(conditions, wf.sort, cursor)
    sql = (
        f"SELECT w.id, w.{wf.sort.column} FROM {BOOKMARKS} d JOIN {WORKS} w ON w.id = d.work_id"
        f" WHERE {_bookmarked(wf, 'd')} AND {conditions.where()}"
        f" ORDER BY {_order_by(wf.sort, cursor)} LIMIT {int(limit)}"
    )
    return _fetch(sql, [*_bookmark_params(wf), *conditions.params])


@dataclass(frozen=True)
class _Pool:
    """Works a search matches that pass every condition, with their rank.

    ``complete`` when every match was read. Otherwise the pool holds the
    matches among works newer than ``reached``, the sample counts scale from.
    """

    rows: list[tuple[int, float]]  # (work id, rank), newest first
    complete: bool
    reached: int = 0


def _in_ids(column: str, ids: Sequence[int]) -> tuple[str, list[Any]]:
    """``column`` among these ids: one array parameter on PostgreSQL, a list on SQLite.

    PostgreSQL plans a 2,000-parameter IN list in about 10 ms, more than it
    takes to run; an array is one parameter. SQLite has no arrays.
    """
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(ids)]
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", list(ids)


def _passing(ids: Sequence[int], conditions: _Sql) -> set[int]:
    """Which of these works pass the conditions."""
    found: set[int] = set()
    for start in range(0, len(ids), 2_000):
        chunk = list(ids[start : start + 2_000])
        among, params = _in_ids("w.id", chunk)
        sql = f"SELECT w.id FROM {WORKS} w WHERE {among} AND {conditions.where()}"
        found.update(row[0] for row in _fetch(sql, [*params, *conditions.params]))
    return found


def _text_matches(wf: WorkFilter, window: fulltext.Window) -> list[tuple[int, float]]:
    assert wf.text is not None
    sql, params = fulltext.match(wf.text, window)
    rows = _fetch(f"SELECT m.work_id, m.rank FROM ({sql}) m", params)
    return [(int(work_id), float(rank)) for work_id, rank in rows]


def _text_pool(wf: WorkFilter, level: int) -> _Pool:
    """The search's matches that pass the filter: all of them, or the newest enough.

    The filter is part of the search's SQL, so only passing works are ranked.
    A first read of the bare matches (ids only, no filter, no rank) stops
    after ``TEXT_PROBE``: a search matching no more is read whole. One
    matching more reads stretches of work ids from the newest down, each
    twice as long, until the pool holds ``TEXT_POOL`` works or about
    ``TEXT_SCAN_LIMIT`` matches were read: a word in most works within a
    small fandom is ranked among its newest matches, not all of them.
    """
    rarest = _rarest_tag(wf, level)
    where, params = _matches_filter(wf, level, rarest)

    def read(**window: int) -> list[tuple[int, float]]:
        return _text_matches(wf, fulltext.Window(where=where, where_params=params, **window))

    assert wf.text is not None
    bare, bare_params = fulltext.match(wf.text, fulltext.Window(first=TEXT_PROBE + 1))
    probe = sorted(int(row[0]) for row in _fetch(f"SELECT m.work_id FROM ({bare}) m", bare_params))
    if len(probe) <= TEXT_PROBE:
        return _Pool(sorted(read(), reverse=True), complete=True)
    density = _density(probe)  # matches per work id
    passing = density * _share_passing(rarest, level)
    top = int(_fetch(f"SELECT coalesce(max(id), 0) FROM {WORKS}", [])[0][0])
    span = max(int(TEXT_BATCH / passing), 1)
    rows: list[tuple[int, float]] = []
    upto, scanned = top, 0.0
    while upto > 0 and len(rows) < TEXT_POOL and scanned < TEXT_SCAN_LIMIT:
        # No stretch reads more than the matches left to read.
        span = min(span, max(int((TEXT_SCAN_LIMIT - scanned) / density), 1))
        above = max(upto - span, 0)
        rows.extend(sorted(read(above=above, upto=upto), reverse=True))
        scanned += (upto - above) * density
        upto, span = above, span * 2
    return _Pool(rows, complete=upto <= 0, reached=upto + 1)


def _share_passing(rarest: tuple[int, int] | None, level: int) -> float:
    """About what share of works pass the filter: its rarest tag's, else all."""
    if rarest is None:
        return 1.0
    return min(1.0, max(rarest[1], 1) / max(_driver_size(WorkFilter(), level), 1))


def _density(ids: list[int]) -> float:
    """Matches per work id, from the ids of the first matches read (sorted).

    The first 90% only: PostgreSQL reads in table order, where a work
    updated since it was posted sits with newer ones.

    >>> _density([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 90000])
    1.0
    """
    if len(ids) < 2:
        return 1.0
    last = ids[(len(ids) - 1) * 9 // 10]
    return ((len(ids) - 1) * 9 // 10) / max(last - ids[0], 1)


def _matches_filter(
    wf: WorkFilter, level: int, rarest: tuple[int, int] | None
) -> tuple[str, tuple[Any, ...]]:
    """The filter as a condition on a search match's work id, written ``{work}``.

    Usually a probe of each match (the full-text index drives: FTS5 given
    work ids one by one re-reads its doclists for each). On PostgreSQL a
    filter on a tag of few works is the list of works passing it, which the
    planner intersects with the index's matches as two bitmaps; a subquery
    instead, it would probe every match (it cannot estimate how many a word
    has: tsvectors this long get no statistics). ``rarest`` is the filter's
    rarest tag and its size, as ``_rarest_tag`` gives it.
    """
    if connection.vendor == "postgresql" and rarest is not None and rarest[1] <= TEXT_TAG_IDS:
        sql, params = _matching(wf, level, None)
        return "{work} = ANY(%s)", ([int(row[0]) for row in _fetch(sql, params)],)
    conditions = _work_conditions(wf, level)
    fence = _PROBE_FENCE.get(connection.vendor, "")
    return (
        f"EXISTS (SELECT 1 FROM {WORKS} w WHERE w.id = {{work}} AND {conditions.where()}{fence})",
        tuple(conditions.params),
    )


def _by_text(
    wf: WorkFilter, level: int, cursor: Cursor | None, limit: int, expected: Count | None
) -> list[tuple[Any, ...]]:
    """A page of a search, ranked (best match) or in the filter's order."""
    if wf.sort is not Sort.RELEVANCE:
        return _by_sort_searching(wf, level, cursor, limit)
    counted = expected.searched if expected is not None else None
    if counted is not None and counted[:2] == (wf, level):
        pool = counted[2]
    else:
        pool = _text_pool(wf, level)
    down = _reads_down(wf.sort, cursor)
    ranked = sorted(pool.rows, key=lambda row: (row[1], row[0]), reverse=down)
    if cursor is not None:
        mark = (cursor.value, cursor.work_id)
        ranked = [row for row in ranked if ((row[1], row[0]) < mark) is down and row[0] != mark[1]]
    return [(work_id, rank) for work_id, rank in ranked[:limit]]


def _by_sort_searching(
    wf: WorkFilter, level: int, cursor: Cursor | None, limit: int
) -> list[tuple[Any, ...]]:
    """A search in another order: its matches' ids, then the sort walk or a sort of them.

    Every match is read (without ranking, which is the costly part on both
    backends); few matches are sorted directly, many are met on the walk.
    """
    assert wf.text is not None
    sql, params = fulltext.match(wf.text)
    matches = {int(row[0]) for row in _fetch(f"SELECT m.work_id FROM ({sql}) m", params)}
    if len(matches) <= TEXT_PROBE:
        passing = _passing(sorted(matches), _work_conditions(wf, level))
        return _fetch_sorted(wf, passing, cursor, limit)
    rows, _ = _by_sort(wf, level, cursor, limit, None, among=matches)
    return rows


def _fetch_sorted(
    wf: WorkFilter, ids: set[int], cursor: Cursor | None, limit: int
) -> list[tuple[Any, ...]]:
    """These works (which pass the filter already) in its order, after the cursor."""
    found: list[tuple[Any, ...]] = []
    ordered = sorted(ids)
    for start in range(0, len(ordered), 2_000):
        chunk = ordered[start : start + 2_000]
        part = _Sql()
        among, params = _in_ids("w.id", chunk)
        part.add(among, *params)
        _after(part, wf.sort, cursor)
        found.extend(
            _fetch(
                f"SELECT w.id, w.{wf.sort.column} FROM {WORKS} w WHERE {part.where()}"
                f" ORDER BY {_order_by(wf.sort, cursor)} LIMIT {int(limit)}",
                part.params,
            )
        )
    found.sort(key=lambda row: (row[1], row[0]), reverse=_reads_down(wf.sort, cursor))
    return found[:limit]


def _tag_is_cheaper(
    rarest: tuple[int, int], level: int, limit: int, expected: Count | None
) -> bool:
    """Whether starting from the rarest tag reads fewer rows than walking the sort order.

    Without an expected count the tag's own count stands for the matches; with
    one (a listing counts before it pages), the walk is costed by the real share
    of works matching: ``limit * listed works / matches`` entries.
    """
    if rarest[1] <= TAG_DRIVE_LIMIT * _TAG_DRIVE_SCALE.get(connection.vendor, 1.0):
        return True
    if expected is None:
        return False
    walk = limit * _driver_size(WorkFilter(), level) / max(expected.value, 1)
    return walk * WALK_ROW_COST * _WALK_COST_SCALE.get(connection.vendor, 1.0) > rarest[1]


def find_works(
    wf: WorkFilter,
    *,
    level: int,
    cursor: Cursor | None = None,
    per_page: int = 20,
    expected: Count | None = None,
) -> Page:
    """One page of matching work ids in the filter's order, and the cursors of its neighbours.

    ``expected``, the filter's count when the caller has it, helps choose the plan.
    A backward cursor gives the page before it; one that finds fewer works than
    a page (some were deleted or changed since) gives the first page instead.
    """
    page = _page(_rows(wf.normalised(), level, cursor, per_page + 1, expected), per_page, cursor)
    short = page.previous is None and len(page.work_ids) < per_page
    if cursor is not None and cursor.backward and short:
        return find_works(wf, level=level, per_page=per_page, expected=expected)
    return page


def _rows(
    wf: WorkFilter, level: int, cursor: Cursor | None, limit: int, expected: Count | None
) -> list[tuple[Any, ...]]:
    """Up to ``limit`` (work id, sort value) rows past the cursor, by the cheapest plan."""
    if wf.searching:
        return _by_text(wf, level, cursor, limit, expected)
    if wf.bookmarker is not None:
        return _by_bookmarks(wf, level, cursor, limit)
    rarest = _rarest_tag(wf, level)
    if rarest is not None and _tag_is_cheaper(rarest, level, limit, expected):
        rows = _by_tag(wf, level, rarest[0], cursor, limit)
    else:
        rows, capped = _by_sort(wf, level, cursor, limit, SORT_SCAN_LIMIT)
        if capped:
            rows = (
                _by_tag(wf, level, rarest[0], cursor, limit)
                if rarest is not None
                else _by_sort(wf, level, cursor, limit, None)[0]
            )
    return rows


def _page(rows: list[tuple[Any, ...]], per_page: int, cursor: Cursor | None) -> Page:
    """The page of these rows (read one past a page) with its next and previous cursors.

    Read backwards, the rows are turned back into the listing's order; one
    more row than a page means there is a page before. Read forwards, there
    is one before whenever the reader came by a cursor.
    """
    more = len(rows) > per_page
    rows = rows[:per_page]
    if not rows:
        return Page([], None)
    if cursor is not None and cursor.backward:
        rows.reverse()
        return Page(
            [row[0] for row in rows],
            next=Cursor(rows[-1][1], rows[-1][0]),
            previous=Cursor(rows[0][1], rows[0][0], backward=True) if more else None,
        )
    return Page(
        [row[0] for row in rows],
        next=Cursor(rows[-1][1], rows[-1][0]) if more else None,
        previous=Cursor(rows[0][1], rows[0][0], backward=True) if cursor is not None else None,
    )


# Counts and facets ----------------------------------------------------------


def _matching(wf: WorkFilter, level: int, buckets: int | None) -> tuple[str, list[Any]]:
    """SQL selecting the ids of matching works, in the first ``buckets`` buckets only if given."""
    sample = "" if buckets is None else f" AND {{alias}}.bucket < {int(buckets)}"
    if wf.bookmarker is not None:
        conditions = _work_conditions(wf, level, skip_bookmarks=True)
        sql = (
            f"SELECT w.id FROM {BOOKMARKS} d JOIN {WORKS} w ON w.id = d.work_id"
            f" WHERE {_bookmarked(wf, 'd')}{sample.format(alias='w')} AND {conditions.where()}"
        )
        return sql, [*_bookmark_params(wf), *conditions.params]
    rarest = _rarest_tag(wf, level)
    if rarest is not None:
        conditions = _work_conditions(wf, level, skip_tag=rarest[0])
        # The driving rows come from the primary key alone (tag, bucket, work); the
        # work's own row answers for its listing.
        sql = (
            f"SELECT w.id FROM {ROWS} d JOIN {WORKS} w ON w.id = d.work_id"
            f" WHERE d.tag_id = %s{sample.format(alias='d')} AND {conditions.where()}"
        )
        return sql, [rarest[0], *conditions.params]
    conditions = _work_conditions(wf, level)
    sql = f"SELECT w.id FROM {WORKS} w WHERE {conditions.where()}{sample.format(alias='w')}"
    return sql, conditions.params


def _driver_size(wf: WorkFilter, level: int) -> int:
    """About how many works the plan starts from: the bookmarks', the rarest tag's, or all."""
    if wf.bookmarker is not None:
        sql = f"SELECT count(*) FROM {BOOKMARKS} d WHERE {_bookmarked(wf, 'd')}"
        return int(_fetch(sql, _bookmark_params(wf))[0][0])
    rarest = _rarest_tag(wf, level)
    if rarest is not None:
        return rarest[1]
    listed = f"SELECT count(*) FROM {WORKS} w WHERE w.listing < {int(Listing.UNLISTED)}"
    in_first_bucket = int(_fetch(f"{listed} AND w.bucket = 0", [])[0][0])
    if in_first_bucket >= SMALL_BUCKET:
        return in_first_bucket * SAMPLE_BUCKETS
    # A small archive's first bucket says little (ids are not dense: PostgreSQL's
    # sequences skip what rolled back), and counting all of it is cheap.
    return int(_fetch(listed, [])[0][0])


def _sample_buckets(wf: WorkFilter, level: int, target: int) -> int:
    """How many of the 64 buckets hold about ``target`` of the works the plan reads."""
    size = max(_driver_size(wf, level), 1)
    return max(1, min(SAMPLE_BUCKETS, math.ceil(SAMPLE_BUCKETS * target / size)))


@dataclass(frozen=True)
class _Sample:
    """Matching works (id, rating) in the first ``buckets`` buckets; all of them at 64.

    A search's sample is its newest matches instead, with a ``fixed_scale``.
    """

    rows: list[tuple[int, str]]
    buckets: int
    fixed_scale: float | None = None

    def within(self, buckets: int) -> _Sample:
        """The part of this sample in fewer buckets (a smaller sample of the same works)."""
        kept = [row for row in self.rows if row[0] % SAMPLE_BUCKETS < buckets]
        return _Sample(kept, buckets)

    @property
    def scale(self) -> float:
        if self.fixed_scale is not None:
            return self.fixed_scale
        return SAMPLE_BUCKETS / self.buckets


def _sample(wf: WorkFilter, level: int, buckets: int | None) -> _Sample:
    sql, params = _matching(wf, level, buckets)
    rows = _fetch(f"SELECT w.id, w.rating FROM ({sql}) m JOIN {WORKS} w ON w.id = m.id", params)
    return _Sample([(int(i), str(r)) for i, r in rows], buckets or SAMPLE_BUCKETS)


def summarise(wf: WorkFilter, *, level: int) -> tuple[Count, Facets]:
    """The count and the facets of a filter's results, reading the works once where it can."""
    wf = wf.normalised()
    if wf.searching:
        return _summarise_search(wf, level)
    count, sample = _count(wf, level)
    return count, _facets(wf, level, count, sample)


def _summarise_search(wf: WorkFilter, level: int) -> tuple[Count, Facets]:
    """A search's count and facets from its pool: exact when the pool holds every match.

    Otherwise the pool holds the matches among works newer than ``reached``,
    and the count scales by the share of listed works those are.
    """
    ranked = replace(wf, sort=Sort.RELEVANCE)
    pool = _text_pool(ranked, level)
    rows = _with_ratings([work_id for work_id, _ in pool.rows])
    scale = 1.0 if pool.complete else _share_newer_than(pool.reached, level)
    count = Count(round(len(rows) * scale), exact=pool.complete, searched=(ranked, level, pool))
    exact_facets = pool.complete and len(rows) <= FACET_EXACT_LIMIT
    kept = rows if exact_facets else rows[:FACET_SAMPLE_TARGET]
    sample = _Sample(kept, SAMPLE_BUCKETS, fixed_scale=count.value / max(len(kept), 1))
    return count, _facets_of(sample, exact=exact_facets)


def _with_ratings(ids: list[int]) -> list[tuple[int, str]]:
    """(id, rating) of these works, in the order given."""
    if not ids:
        return []
    among, params = _in_ids("w.id", ids)
    rating = dict(_fetch(f"SELECT w.id, w.rating FROM {WORKS} w WHERE {among}", params))
    return [(work_id, str(rating[work_id])) for work_id in ids if work_id in rating]


def _share_newer_than(work_id: int, level: int) -> float:
    """Listed works in all, over listed works from ``work_id`` up: how far to scale."""
    newer = _fetch(
        f"SELECT count(*) FROM {WORKS} w WHERE w.id >= %s AND w.listing < {int(Listing.UNLISTED)}",
        [work_id],
    )[0][0]
    return max(_driver_size(WorkFilter(), level), 1) / max(int(newer), 1)


def count_works(wf: WorkFilter, *, level: int) -> Count:
    """How many works match: exact up to ``EXACT_LIMIT``, then estimated from a sample."""
    wf = wf.normalised()
    return _summarise_search(wf, level)[0] if wf.searching else _count(wf, level)[0]


def facet_counts(wf: WorkFilter, *, level: int, total: Count) -> Facets:
    """The most common tags of each type, and the ratings, among the matching works."""
    wf = wf.normalised()
    return _summarise_search(wf, level)[1] if wf.searching else _facets(wf, level, total, None)


def _count(wf: WorkFilter, level: int) -> tuple[Count, _Sample | None]:
    """The count, and the sample it was estimated from, if any.

    A filter that starts from many works is estimated first; only when the
    estimate is within the limit is the exact count (capped) taken as well.
    """
    if _is_single_tag(wf):
        rarest = _rarest_tag(wf, level)
        assert rarest is not None
        return Count(rarest[1], exact=True), None
    sample: _Sample | None = None
    if _driver_size(wf, level) > 2 * EXACT_LIMIT:
        sample = _sample(wf, level, _sample_buckets(wf, level, SAMPLE_TARGET))
        estimate = round(len(sample.rows) * sample.scale)
        if sample.buckets == SAMPLE_BUCKETS:
            return Count(estimate, exact=True), sample
        if estimate > EXACT_LIMIT:
            return Count(estimate, exact=False), sample
    sql, params = _matching(wf, level, None)
    found = _fetch(f"SELECT count(*) FROM ({sql} LIMIT {EXACT_LIMIT + 1}) m", params)[0][0]
    if found <= EXACT_LIMIT:
        return Count(int(found), exact=True), None
    if sample is None:
        sample = _sample(wf, level, _sample_buckets(wf, level, SAMPLE_TARGET))
    estimate = round(len(sample.rows) * sample.scale)
    return Count(max(estimate, EXACT_LIMIT + 1), exact=False), sample


def _is_single_tag(wf: WorkFilter) -> bool:
    """Only one included tag and nothing else: its counter is the exact answer."""
    return len(wf.include_tags) == 1 and replace(wf, include_tags=(), sort=Sort.UPDATED) == (
        WorkFilter()
    )


def _facets(wf: WorkFilter, level: int, total: Count, counted: _Sample | None) -> Facets:
    if total.exact and total.value <= FACET_EXACT_LIMIT:
        sample = _sample(wf, level, None)
    else:
        buckets = _sample_buckets(wf, level, FACET_SAMPLE_TARGET)
        if counted is not None and buckets <= counted.buckets:
            sample = counted.within(buckets)
        else:
            sample = _sample(wf, level, buckets)
    return _facets_of(sample, exact=sample.buckets == SAMPLE_BUCKETS)


def _facets_of(sample: _Sample, *, exact: bool) -> Facets:
    ratings = Counter(rating for _, rating in sample.rows)
    return Facets(
        tags=_top_tags(sample),
        ratings={rating: round(n * sample.scale) for rating, n in ratings.items()},
        exact=exact,
    )


def _top_tags(sample: _Sample) -> dict[str, list[tuple[int, int]]]:
    """The most common tags of each type among the sampled works, synonyms left out."""
    counts: defaultdict[str, Counter[int]] = defaultdict(Counter)
    ids = [work_id for work_id, _ in sample.rows]
    for start in range(0, len(ids), 2_000):
        chunk = ids[start : start + 2_000]
        among, params = _in_ids("f.work_id", chunk)
        rows = _fetch(f"SELECT f.tag_type, f.tag_id FROM {ROWS} f WHERE {among}", params)
        for (tag_type, tag), n in Counter(rows).items():
            counts[tag_type][tag] += n
    # A synonym counts no more than its canonical tag, so a few spare places suffice.
    candidates = {
        tag_type: counter.most_common(3 * FACETS_PER_TYPE) for tag_type, counter in counts.items()
    }
    ids = [tag for pairs in candidates.values() for tag, _ in pairs]
    synonyms = set(Tag.objects.filter(pk__in=ids).exclude(merger=None).values_list("pk", flat=True))
    return {
        tag_type: sorted(
            ((tag, round(n * sample.scale)) for tag, n in pairs if tag not in synonyms),
            key=lambda pair: (-pair[1], pair[0]),
        )[:FACETS_PER_TYPE]
        for tag_type, pairs in candidates.items()
    }
