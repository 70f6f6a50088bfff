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

Pages are keyset pages: a cursor holds the last work's sort value and id,
so page 400 costs what page 1 costs. Counts are exact up to
``EXACT_LIMIT`` matches; beyond, they are estimated from a fixed share of
the works (their sample buckets) and say so, as do facet counts.

>>> WorkFilter(include_tags=(3, 1)).normalised().include_tags
(1, 3)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum
from typing import Any

from django.db import connection
from django.utils.dateparse import parse_datetime

from fanfold.archive.search import fulltext
from fanfold.archive.search.models import FilterTag
from fanfold.archive.search.query import SearchQuery
from fanfold.archive.tags.models import Tag
from fanfold.archive.works.models import SAMPLE_BUCKETS, Listing, Work

WORKS = Work._meta.db_table
ROWS = FilterTag._meta.db_table
TAGS = Tag._meta.db_table

EXACT_LIMIT = 5_000  # matches counted exactly; above, an estimate from a sample
SAMPLE_TARGET = 3_000  # works a counting sample should hold
# Facets read every filter row of every work counted (about 15 each), so they
# are exact for fewer works and sample fewer (bench.discovery measured it).
FACET_EXACT_LIMIT = 1_500
FACET_SAMPLE_TARGET = 1_000
TAG_DRIVE_LIMIT = 20_000  # a tag this rare drives the plan
SORT_SCAN_LIMIT = 20_000  # index entries a sort walk reads before giving up
FACETS_PER_TYPE = 10
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
    """Where a page ends: the last work's sort value and id."""

    value: Any
    work_id: int


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


@dataclass(frozen=True)
class Count:
    value: int
    exact: bool


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


def _work_conditions(wf: WorkFilter, level: int, skip_tag: int | None = None) -> _Sql:
    """Every condition on a work ``w``, its filter rows checked one probe each."""
    sql = _Sql()
    sql.add(f"w.listing < {int(Listing.UNLISTED)}")  # literally the sort indexes' condition
    if level < Listing.MEMBERS:
        sql.add("w.listing <= %s", level)
    for tag in wf.include_tags:
        if tag != skip_tag:
            sql.add(
                f"EXISTS (SELECT 1 FROM {ROWS} f WHERE f.tag_id = %s"
                " AND f.bucket = w.bucket AND f.work_id = w.id)",
                tag,
            )
    for tag in (*wf.exclude_tags, *wf.hidden_tags):
        sql.add(
            f"NOT EXISTS (SELECT 1 FROM {ROWS} f WHERE f.tag_id = %s"
            " AND f.bucket = w.bucket AND f.work_id = w.id)",
            tag,
        )
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


def _order_by(sort: Sort) -> str:
    direction = "DESC" if sort.descending else "ASC"
    return f"{_sort_key(sort)} {direction}, w.id {direction}"


def _after(sql: _Sql, sort: Sort, cursor: Cursor | None) -> None:
    if cursor is not None:
        op = "<" if sort.descending else ">"
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
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _by_sort(
    wf: WorkFilter, level: int, cursor: Cursor | None, limit: int, scan: int | None
) -> tuple[list[tuple[Any, ...]], bool]:
    """Walk the sort index; returns the rows and whether the walk stopped at its cap."""
    walk = _Sql()
    walk.add(f"w.listing < {int(Listing.UNLISTED)}")
    _after(walk, wf.sort, cursor)
    conditions = _work_conditions(wf, level)
    cap = "" if scan is None else f" LIMIT {int(scan)}"
    sql = (
        f"SELECT w.id, w.{wf.sort.column} FROM (SELECT w.id FROM {WORKS} w"
        f" WHERE {walk.where()} ORDER BY {_order_by(wf.sort)}{cap}) walked"
        f" JOIN {WORKS} w ON w.id = walked.id WHERE {conditions.where()}"
        f" ORDER BY {_order_by(wf.sort)} LIMIT {int(limit)}"
    )
    rows = _fetch(sql, [*walk.params, *conditions.params])
    if scan is None or len(rows) >= limit:
        return rows, False
    walked = _fetch(
        f"SELECT count(*) FROM (SELECT w.id FROM {WORKS} w WHERE {walk.where()}"
        f" ORDER BY {_order_by(wf.sort)}{cap}) walked",
        walk.params,
    )[0][0]
    return rows, walked >= scan


def _by_tag(
    wf: WorkFilter, level: int, tag: int, cursor: Cursor | None, limit: int
) -> list[tuple[Any, ...]]:
    conditions = _work_conditions(wf, level, skip_tag=tag)
    _after(conditions, wf.sort, cursor)
    sql = (
        f"SELECT w.id, w.{wf.sort.column} FROM {ROWS} d JOIN {WORKS} w ON w.id = d.work_id"
        f" WHERE d.tag_id = %s AND {conditions.where()}"
        f" ORDER BY {_order_by(wf.sort)} LIMIT {int(limit)}"
    )
    return _fetch(sql, [tag, *conditions.params])


def _by_text(
    wf: WorkFilter, level: int, cursor: Cursor | None, limit: int
) -> list[tuple[Any, ...]]:
    assert wf.text is not None
    matches, match_params = fulltext.match(wf.text)
    conditions = _work_conditions(wf, level)
    _after(conditions, wf.sort, cursor)
    sql = (
        f"SELECT w.id, {_sort_key(wf.sort)} FROM ({matches}) m JOIN {WORKS} w ON w.id = m.work_id"
        f" WHERE {conditions.where()} ORDER BY {_order_by(wf.sort)} LIMIT {int(limit)}"
    )
    return _fetch(sql, [*match_params, *conditions.params])


def find_works(
    wf: WorkFilter, *, level: int, cursor: Cursor | None = None, per_page: int = 20
) -> Page:
    """One page of matching work ids in the filter's order, and the cursor of the next."""
    wf = wf.normalised()
    limit = per_page + 1
    if wf.searching:
        return _page(_by_text(wf, level, cursor, limit), per_page)
    rarest = _rarest_tag(wf, level)
    if rarest is not None and rarest[1] <= TAG_DRIVE_LIMIT:
        rows = _by_tag(wf, level, rarest[0], cursor, limit)
    else:
        rows, capped = _by_sort(wf, level, cursor, limit, SORT_SCAN_LIMIT)
        if capped:
            rows = (
                _by_tag(wf, level, rarest[0], cursor, limit)
                if rarest is not None
                else _by_sort(wf, level, cursor, limit, None)[0]
            )
    return _page(rows, per_page)


def _page(rows: list[tuple[Any, ...]], per_page: int) -> Page:
    more = len(rows) > per_page
    rows = rows[:per_page]
    next_cursor = Cursor(rows[-1][1], rows[-1][0]) if more and rows else None
    return Page([row[0] for row in rows], next_cursor)


# Counts and facets ----------------------------------------------------------


def _matching(wf: WorkFilter, level: int, buckets: int | None) -> tuple[str, list[Any]]:
    """SQL selecting the ids of matching works, in the first ``buckets`` buckets only if given."""
    rarest = _rarest_tag(wf, level)
    sample = "" if buckets is None else f" AND {{alias}}.bucket < {int(buckets)}"
    if wf.text is not None:
        matches, match_params = fulltext.match(wf.text)
        conditions = _work_conditions(wf, level)
        sql = (
            f"SELECT w.id FROM ({matches}) m JOIN {WORKS} w ON w.id = m.work_id"
            f" WHERE {conditions.where()}{sample.format(alias='w')}"
        )
        return sql, [*match_params, *conditions.params]
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
    """About how many works the plan starts from: the rarest tag's, or every listed work."""
    rarest = _rarest_tag(wf, level)
    if rarest is not None and wf.text is None:
        return rarest[1]
    listed = _fetch(
        f"SELECT count(*) FROM {WORKS} w WHERE w.bucket = 0"
        f" AND w.listing < {int(Listing.UNLISTED)}",
        [],
    )[0][0]
    return int(listed) * SAMPLE_BUCKETS


def _sample_buckets(wf: WorkFilter, level: int, target: int) -> int:
    """How many of the 64 buckets hold about ``target`` of the works the plan reads."""
    size = max(_driver_size(wf, level), 1)
    return max(1, min(SAMPLE_BUCKETS, math.ceil(SAMPLE_BUCKETS * target / size)))


def count_works(wf: WorkFilter, *, level: int) -> Count:
    """How many works match: exact up to ``EXACT_LIMIT``, then estimated from a sample."""
    wf = wf.normalised()
    if _is_single_tag(wf):
        rarest = _rarest_tag(wf, level)
        assert rarest is not None
        return Count(rarest[1], exact=True)
    sql, params = _matching(wf, level, None)
    found = _fetch(f"SELECT count(*) FROM ({sql} LIMIT {EXACT_LIMIT + 1}) m", params)[0][0]
    if found <= EXACT_LIMIT:
        return Count(int(found), exact=True)
    buckets = _sample_buckets(wf, level, SAMPLE_TARGET)
    sql, params = _matching(wf, level, buckets)
    sampled = _fetch(f"SELECT count(*) FROM ({sql}) m", params)[0][0]
    return Count(max(round(sampled * SAMPLE_BUCKETS / buckets), EXACT_LIMIT + 1), exact=False)


def _is_single_tag(wf: WorkFilter) -> bool:
    """Only one included tag and nothing else: its counter is the exact answer."""
    return len(wf.include_tags) == 1 and replace(wf, include_tags=(), sort=Sort.UPDATED) == (
        WorkFilter()
    )


def facet_counts(wf: WorkFilter, *, level: int, total: Count) -> Facets:
    """The most common tags of each type, and the ratings, among the matching works."""
    wf = wf.normalised()
    exact = total.exact and total.value <= FACET_EXACT_LIMIT
    buckets = None if exact else _sample_buckets(wf, level, FACET_SAMPLE_TARGET)
    scale = 1.0 if buckets is None else SAMPLE_BUCKETS / buckets
    sql, params = _matching(wf, level, buckets)
    # Count first (the by-work index covers it), then drop synonyms once per tag.
    tag_rows = _fetch(
        f"SELECT g.tag_type, g.tag_id, g.n FROM (SELECT f.tag_type, f.tag_id, count(*) AS n"
        f" FROM ({sql}) m JOIN {ROWS} f ON f.work_id = m.id GROUP BY f.tag_type, f.tag_id) g"
        f" JOIN {TAGS} t ON t.id = g.tag_id WHERE t.merger_id IS NULL",
        params,
    )
    rating_rows = _fetch(
        f"SELECT w.rating, count(*) FROM ({sql}) m JOIN {WORKS} w ON w.id = m.id GROUP BY w.rating",
        params,
    )
    by_type: dict[str, list[tuple[int, int]]] = {}
    for tag_type, tag, count in tag_rows:
        by_type.setdefault(tag_type, []).append((tag, round(count * scale)))
    top = {
        tag_type: sorted(counts, key=lambda tc: (-tc[1], tc[0]))[:FACETS_PER_TYPE]
        for tag_type, counts in by_type.items()
    }
    ratings = {rating: round(count * scale) for rating, count in rating_rows}
    return Facets(tags=top, ratings=ratings, exact=buckets is None or buckets == SAMPLE_BUCKETS)
