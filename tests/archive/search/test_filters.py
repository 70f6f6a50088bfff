"""The filter engine against a plain-Python oracle, under every plan it can choose.

A small archive is built through the services (works, tags, wrangling);
hundreds of random filters are then answered twice: by the engine, page by
page through its cursors, and by the oracle, which reads the rows with the
ORM and applies the rules as the docs state them. The plan thresholds are
turned down so that every plan (by sort, by tag, the capped walk falling
back, sampled counts) answers some of them.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from fanfold.archive.people.models import User
from fanfold.archive.reading.models import Bookmark
from fanfold.archive.search import filters
from fanfold.archive.search.filters import Cursor, Sort, WorkFilter
from fanfold.archive.search.query import parse_query
from fanfold.archive.tags import services as tag_services
from fanfold.archive.tags.models import Tag, TagType
from fanfold.archive.works import services
from fanfold.archive.works.models import Listing, Rating, Work
from tests.archive.factories import UserFactory, make_work

FANDOMS = ["Harbour Town", "Mill Stories", "Franchise: Early", "Franchise: Late"]
CHARACTERS = ["Anna Berg", "Jonas Holm", "Mira Lind", "Tomas Ek", "Lex Grey", "Lexie Grey"]
FREEFORMS = ["Rain", "Slow Burn", "Angst", "Fluff", "Hurt/Comfort"]
LANGUAGES = ["en", "en", "en", "de", "fr"]


def _random_work(rng: random.Random, owner: User, number: int) -> Work:
    fandoms = rng.sample(FANDOMS, k=1 if rng.random() < 0.8 else 2)
    work = make_work(
        owner=owner,
        title=f"{rng.choice(['A', 'the', 'Some'])} Walk {number}",
        post=rng.random() > 0.1,
        restricted=rng.random() < 0.2,
        rating=rng.choice(Rating.values),
        language=rng.choice(LANGUAGES),
        is_complete=rng.random() < 0.5,
        tags={
            TagType.WARNING: [rng.choice(["No Archive Warnings Apply", "Major Character Death"])],
            TagType.FANDOM: fandoms,
            TagType.CHARACTER: rng.sample(CHARACTERS, k=rng.randint(0, 3)),
            TagType.FREEFORM: rng.sample(FREEFORMS, k=rng.randint(0, 2)),
        },
        body=" ".join(["word"] * rng.randint(10, 400))
        + rng.choice(["", "", " the lighthouse keeper", " a keeper of the lighthouse"]),
    )
    Work.objects.filter(pk=work.pk).update(
        updated_at=datetime(2020, 1, 1, tzinfo=UTC) + timedelta(hours=rng.randint(0, 20000)),
        kudos_count=rng.randint(0, 30),  # ties on purpose: the id breaks them
        hit_count=rng.randint(0, 1000),
    )
    return work


@pytest.fixture(scope="module")
def archive(django_db_setup: None, django_db_blocker: Any) -> Iterator[list[Work]]:
    """Built once for the module, inside a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_archive()
        transaction.set_rollback(True)


@pytest.fixture
def built(archive: list[Work], db: None) -> list[Work]:
    return archive


def _build_archive() -> list[Work]:
    rng = random.Random(5)
    wrangler = UserFactory(username="wrangler", is_staff=True, is_superuser=True)
    owners = [UserFactory(username=f"owner{n}") for n in range(4)]
    works = [_random_work(rng, rng.choice(owners), n) for n in range(90)]
    franchise = Tag.objects.create(type=TagType.FANDOM, name="Franchise")
    for name in ("Franchise: Early", "Franchise: Late"):
        sub = Tag.objects.get(type=TagType.FANDOM, name=name)
        tag_services.add_meta_tag(sub=sub, meta=franchise, by=wrangler)
    lexie = Tag.objects.get(type=TagType.CHARACTER, name="Lexie Grey")
    lex = Tag.objects.get(type=TagType.CHARACTER, name="Lex Grey")
    tag_services.make_synonym(tag=lex, of=lexie, by=wrangler)
    for work in works[:5]:  # some works change after being indexed
        services.set_work_hidden(work=work, by=wrangler, hidden=True)
    return works


# The oracle -----------------------------------------------------------------


def _closure(tag: Tag) -> set[int]:
    found = {tag.pk}
    if tag.merger_id:
        found |= _closure(Tag.objects.get(pk=tag.merger_id))
    for meta in tag.meta_tags.all():
        found |= _closure(meta)
    return found


def _listing(work: Work) -> int:
    if work.is_draft or work.is_hidden:
        return Listing.UNLISTED
    return Listing.MEMBERS if work.is_restricted else Listing.PUBLIC


def _sort_key(work: Work, sort: Sort) -> object:
    return getattr(work, sort.column) if sort is not Sort.TITLE else work.title.casefold()


@dataclass(frozen=True)
class Row:
    """What the oracle knows of a work: the row, and every tag a filter should find it by."""

    work: Work
    tags: frozenset[int]


def snapshot() -> list[Row]:
    return [
        Row(work, frozenset().union(*(_closure(t) for t in work.tags.all())))
        for work in Work.objects.prefetch_related("tags")
    ]


SEARCHES = {  # the search box, and which chapter texts it finds
    "lighthouse": lambda body: "lighthouse" in body,
    "-lighthouse": lambda body: "lighthouse" not in body,
    '"lighthouse keeper"': lambda body: "lighthouse keeper" in body,
    "keeper -lighthouse": lambda body: False,
}


def _passes(row: Row, wf: WorkFilter, level: int) -> bool:
    work = row.work
    if wf.text is not None:
        text = next(k for k in SEARCHES if parse_query(k) == wf.text)
        if not SEARCHES[text](work.chapters.get().body):
            return False
    return (
        _listing(work) <= level
        and set(wf.include_tags) <= row.tags
        and not row.tags & set(wf.exclude_tags)
        and (not wf.ratings or work.rating in wf.ratings)
        and (wf.complete is None or work.is_complete == wf.complete)
        and (not wf.language or work.language == wf.language)
        and (wf.words_from is None or work.word_count >= wf.words_from)
        and (wf.updated_from is None or work.updated_at.date() >= wf.updated_from)
        and work.owner_id not in wf.muted_owners
    )


def oracle(wf: WorkFilter, level: int, rows: list[Row] | None = None) -> list[int]:
    matches = [row.work for row in rows or snapshot() if _passes(row, wf, level)]
    sort = Sort.UPDATED if wf.sort is Sort.RELEVANCE else wf.sort  # relevance needs a search
    matches.sort(key=lambda w: (_sort_key(w, sort), w.pk), reverse=sort.descending)
    return [w.pk for w in matches]


def random_filter(rng: random.Random) -> WorkFilter:
    tags = list(Tag.objects.values_list("pk", flat=True))
    owners = list(User.objects.values_list("pk", flat=True))
    return WorkFilter(
        include_tags=tuple(rng.sample(tags, k=rng.choice([0, 0, 1, 1, 2]))),
        exclude_tags=tuple(rng.sample(tags, k=rng.choice([0, 0, 1]))),
        ratings=tuple(rng.sample(Rating.values, k=rng.choice([0, 0, 2]))),
        complete=rng.choice([None, None, True, False]),
        language=rng.choice(["", "", "en", "de"]),
        words_from=rng.choice([None, None, 100]),
        updated_from=rng.choice([None, None, date(2021, 1, 1)]),
        muted_owners=tuple(rng.sample(owners, k=rng.choice([0, 0, 1]))),
        text=rng.choice([None, None, None, *map(parse_query, SEARCHES)]),
        # With a search, every order but relevance (whose scores only the database knows).
        sort=rng.choice(list(Sort)),
    )


def all_pages(
    wf: WorkFilter, level: int, per_page: int, expected: filters.Count | None = None
) -> Iterator[int]:
    cursor: Cursor | None = None
    for _ in range(100):
        page = filters.find_works(
            wf, level=level, cursor=cursor, per_page=per_page, expected=expected
        )
        yield from page.work_ids
        if page.next is None:
            return
        # The cursor goes through its URL form, as a "next page" link carries it.
        sort = wf.normalised().sort
        cursor = filters.decode_cursor(filters.encode_cursor(page.next), sort)
        assert cursor is not None
    raise AssertionError("more than 100 pages")


PLANS = {
    "as configured": {},
    "always by tag": {"TAG_DRIVE_LIMIT": 10**9},
    "by sort, walks capped": {"TAG_DRIVE_LIMIT": 0, "SORT_SCAN_LIMIT": 7},
    "by sort, uncapped": {"TAG_DRIVE_LIMIT": 0, "SORT_SCAN_LIMIT": 10**9},
    "searches in small pools": {
        "TEXT_PROBE": 2,
        "TEXT_BATCH": 3,
        "TEXT_POOL": 4,
        "TEXT_SCAN_LIMIT": 9,
    },
    "by sort, small batches": {
        "TAG_DRIVE_LIMIT": 0,
        "SORT_SCAN_LIMIT": 40,
        "WALK_FIRST_BATCH": 2,
        "WALK_MAX_BATCH": 5,
    },
}


@pytest.mark.slow
@pytest.mark.parametrize("plan", list(PLANS))
def test_every_plan_finds_what_the_oracle_finds_in_its_order(
    built: list[Work], plan: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in PLANS[plan].items():
        monkeypatch.setattr(filters, name, value)
    rng = random.Random(plan)
    rows = snapshot()
    for _ in range(60):
        wf = random_filter(rng)
        if wf.text is not None and wf.sort is Sort.RELEVANCE:
            wf = replace(wf, sort=Sort.KUDOS)
        level = rng.choice([Listing.PUBLIC, Listing.MEMBERS])
        expected = oracle(wf, level, rows)
        # Half the time with the count a listing knows beforehand (it only steers the plan).
        known = rng.choice([None, filters.Count(rng.choice([1, 10, 10**6]), exact=False)])
        found = list(all_pages(wf, level, per_page=rng.choice([3, 20]), expected=known))
        assert found == expected, wf
        count = filters.count_works(wf, level=level)
        if count.exact:
            assert count == filters.Count(len(expected), exact=True), wf
        else:  # a search past its pool: an estimate, as the page says
            assert wf.searching
            assert "TEXT_POOL" in PLANS[plan]


def test_a_filter_on_a_synonym_or_meta_tag_finds_works_tagged_below(built: list[Work]) -> None:
    lexie = Tag.objects.get(name="Lexie Grey")
    franchise = Tag.objects.get(name="Franchise")
    tagged_lex = set(Work.objects.filter(tags__name="Lex Grey", listing=0).values_list("pk"))
    assert tagged_lex
    found = set(all_pages(WorkFilter(include_tags=(lexie.pk,)), Listing.PUBLIC, 50))
    assert {pk for (pk,) in tagged_lex} <= found
    early = set(
        Work.objects.filter(tags__name="Franchise: Early", listing=0).values_list("pk", flat=True)
    )
    assert early <= set(all_pages(WorkFilter(include_tags=(franchise.pk,)), Listing.PUBLIC, 50))
    assert franchise.pk not in Work.objects.values_list("tags", flat=True)  # nobody tagged it


def test_tag_counters_match_the_works_a_filter_finds(built: list[Work]) -> None:
    rows = snapshot()
    for tag in Tag.objects.all():
        public = oracle(WorkFilter(include_tags=(tag.pk,)), Listing.PUBLIC, rows)
        members = oracle(WorkFilter(include_tags=(tag.pk,)), Listing.MEMBERS, rows)
        assert (tag.listed_count, tag.member_count) == (len(public), len(members)), tag.name


def test_exact_facets_count_the_oracle_matches(built: list[Work]) -> None:
    fandom = Tag.objects.get(name="Harbour Town")
    wf = WorkFilter(include_tags=(fandom.pk,), complete=True)
    total = filters.count_works(wf, level=Listing.MEMBERS)
    facets = filters.facet_counts(wf, level=Listing.MEMBERS, total=total)
    matches = Work.objects.filter(pk__in=oracle(wf, Listing.MEMBERS)).prefetch_related("tags")
    expected: Counter[int] = Counter()
    for work in matches:
        expected.update(t for t in set().union(*(_closure(t) for t in work.tags.all())) if t != 0)
    synonyms = set(Tag.objects.exclude(merger=None).values_list("pk", flat=True))
    assert facets.exact
    for tag_type, counts in facets.tags.items():
        for tag, count in counts:
            assert count == expected[tag], (tag_type, tag)
            assert tag not in synonyms
    assert sum(facets.ratings.values()) == total.value
    assert facets.tags[TagType.FANDOM][0] == (fandom.pk, total.value)


def _scaled_sample(wf: WorkFilter, target: int) -> tuple[list[Work], float]:
    """The oracle's matches in the buckets a sample of ``target`` works reads, and its scale."""
    buckets = filters._sample_buckets(wf, Listing.MEMBERS, target)
    assert buckets < filters.SAMPLE_BUCKETS
    matches = Work.objects.filter(pk__in=oracle(wf, Listing.MEMBERS))
    return [w for w in matches if w.pk % filters.SAMPLE_BUCKETS < buckets], (
        filters.SAMPLE_BUCKETS / buckets
    )


def test_big_results_are_estimated_from_a_sample_and_say_so(
    built: list[Work], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(filters, "EXACT_LIMIT", 5)
    monkeypatch.setattr(filters, "FACET_EXACT_LIMIT", 5)
    monkeypatch.setattr(filters, "SAMPLE_TARGET", 20)
    monkeypatch.setattr(filters, "FACET_SAMPLE_TARGET", 10)
    wf = WorkFilter(complete=False)
    count = filters.count_works(wf, level=Listing.MEMBERS)
    sample, scale = _scaled_sample(wf, filters.SAMPLE_TARGET)
    assert count == filters.Count(max(round(len(sample) * scale), 6), exact=False)
    facets = filters.facet_counts(wf, level=Listing.MEMBERS, total=count)
    assert not facets.exact
    # The facets count the works of the first few buckets, scaled up to all 64.
    sample, scale = _scaled_sample(wf, filters.FACET_SAMPLE_TARGET)
    sampled = Counter(w.rating for w in sample)
    assert facets.ratings == {rating: round(n * scale) for rating, n in sampled.items()}


def test_a_small_archive_samples_its_true_size_whatever_its_ids(built: list[Work]) -> None:
    # PostgreSQL's id sequences skip rolled-back rows, so the first bucket of a
    # small archive may hold no work at all; the sample must not think it tiny.
    Work.objects.filter(bucket=0).delete()
    listed = len(oracle(WorkFilter(), Listing.MEMBERS))
    expected = -(-filters.SAMPLE_BUCKETS * 20 // listed)  # ceil
    assert filters._sample_buckets(WorkFilter(), Listing.MEMBERS, 20) == expected


def test_a_sample_of_every_bucket_is_an_exact_count(
    built: list[Work], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(filters, "EXACT_LIMIT", 5)
    monkeypatch.setattr(filters, "SAMPLE_TARGET", 10**6)
    wf = WorkFilter(complete=False)
    expected = len(oracle(wf, Listing.MEMBERS))
    assert filters.count_works(wf, level=Listing.MEMBERS) == filters.Count(expected, exact=True)


def test_a_single_tag_is_counted_by_its_counter(built: list[Work]) -> None:
    tag = Tag.objects.get(name="Rain")
    assert filters.count_works(WorkFilter(include_tags=(tag.pk,)), level=Listing.PUBLIC) == (
        filters.Count(tag.listed_count, exact=True)
    )


@pytest.mark.parametrize(
    "text",
    ["", "|", "abc|", "|12", "2026-13-45 99:99|3", "x" * 1000 + "|1", "'; DROP TABLE x; --|1"],
)
def test_a_malformed_cursor_is_the_first_page(text: str) -> None:
    for sort in Sort:
        cursor = filters.decode_cursor(text, sort)
        if cursor is not None:  # a title cursor may be any text: it is only ever a parameter
            assert sort is Sort.TITLE


def test_hostile_values_are_parameters_not_sql(built: list[Work]) -> None:
    wf = WorkFilter(
        language="en' OR '1'='1",
        ratings=("general'); DROP TABLE works_work; --",),
        include_tags=tuple(range(1, filters.MAX_TAGS + 1)),
    )
    assert filters.find_works(wf, level=Listing.PUBLIC).work_ids == []
    title = filters.Cursor("') OR 1=1 --", 10**9)
    by_title = WorkFilter(sort=Sort.TITLE)
    found = filters.find_works(by_title, level=Listing.PUBLIC, cursor=title)
    assert found.work_ids == oracle(by_title, Listing.PUBLIC)[:20]  # "')..." sorts first
    assert Work.objects.count() == len(built)


def test_too_many_tags_are_refused_with_a_reason(db: None) -> None:
    with pytest.raises(filters.FilterError, match="at most"):
        filters.find_works(
            WorkFilter(exclude_tags=tuple(range(2 * filters.MAX_TAGS))), level=Listing.PUBLIC
        )


def test_a_search_sorted_by_relevance_pages_through_every_match_once(built: list[Work]) -> None:
    wf = WorkFilter(text=parse_query("lighthouse"), sort=Sort.RELEVANCE)
    found = list(all_pages(wf, Listing.MEMBERS, per_page=4))
    expected = oracle(replace(wf, sort=Sort.UPDATED), Listing.MEMBERS)
    assert sorted(found) == sorted(expected)
    assert len(found) == len(set(found))


def test_a_search_page_after_its_count_ranks_the_counted_pool_without_reading_it_again(
    built: list[Work],
) -> None:
    fandom = Tag.objects.get(name="Harbour Town")
    wf = WorkFilter(include_tags=(fandom.pk,), text=parse_query("lighthouse"), sort=Sort.RELEVANCE)
    afresh = filters.find_works(wf, level=Listing.MEMBERS, per_page=3)
    count, _ = filters.summarise(wf, level=Listing.MEMBERS)
    with CaptureQueriesContext(connection) as reading:
        counted = filters.find_works(wf, level=Listing.MEMBERS, per_page=3, expected=count)
    assert counted == afresh
    assert len(reading) == 0  # ranked from the counted pool: not one query
    elsewhere = replace(wf, include_tags=())  # another filter's count is no pool of its own
    assert filters.find_works(elsewhere, level=Listing.MEMBERS, per_page=3, expected=count) == (
        filters.find_works(elsewhere, level=Listing.MEMBERS, per_page=3)
    )


def test_a_search_past_its_pool_ranks_the_newest_matches_and_estimates(
    built: list[Work], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(filters, "TEXT_PROBE", 2)
    monkeypatch.setattr(filters, "TEXT_BATCH", 3)
    monkeypatch.setattr(filters, "TEXT_POOL", 4)
    wf = WorkFilter(text=parse_query("-lighthouse"), sort=Sort.RELEVANCE)
    every = oracle(replace(wf, sort=Sort.UPDATED), Listing.MEMBERS)
    found = list(all_pages(wf, Listing.MEMBERS, per_page=2))
    assert set(found) <= set(every)
    assert found == sorted(every, reverse=True)[: len(found)]  # all ranks tie: newest first
    assert len(found) < len(every)
    count = filters.count_works(wf, level=Listing.MEMBERS)
    assert not count.exact
    assert len(every) / 3 < count.value < 3 * len(every)


@pytest.mark.parametrize("plan", ["as configured", "searches in small pools"])
def test_a_readers_bookmarks_are_the_works_the_oracle_finds_among_them(
    built: list[Work], plan: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bookmarks page: the filter over the bookmarked works only, private ones on request."""
    for name, value in PLANS[plan].items():
        monkeypatch.setattr(filters, name, value)
    rng = random.Random(f"bookmarks {plan}")
    bookmarker = UserFactory(username="bookmarker")
    marked = rng.sample(built, 40)
    private = {work.pk for work in marked[:12]}
    for work in marked:
        Bookmark.objects.create(user=bookmarker, work=work, is_private=work.pk in private)
    Bookmark.objects.create(user=UserFactory(), work=next(w for w in built if w not in marked))
    rows = snapshot()
    for _ in range(30):
        own = rng.choice([True, False])
        wf = replace(random_filter(rng), bookmarker=bookmarker.pk, private_bookmarks=own)
        if wf.text is not None and wf.sort is Sort.RELEVANCE:
            wf = replace(wf, sort=Sort.KUDOS)
        shown = {work.pk for work in marked if own or work.pk not in private}
        level = rng.choice([Listing.PUBLIC, Listing.MEMBERS])
        expected = [pk for pk in oracle(wf, level, rows) if pk in shown]
        assert list(all_pages(wf, level, per_page=rng.choice([3, 20]))) == expected, wf
        count, facets = filters.summarise(wf, level=level)
        if count.exact:
            assert count.value == len(expected), wf
            assert sum(facets.ratings.values()) == len(expected), wf


# Pages backwards (issue 14) ------------------------------------------------------


def pages_forward(wf: WorkFilter, level: int, per_page: int) -> list[filters.Page]:
    pages: list[filters.Page] = []
    cursor: Cursor | None = None
    sort = wf.normalised().sort
    for _ in range(100):
        page = filters.find_works(wf, level=level, cursor=cursor, per_page=per_page)
        pages.append(page)
        if page.next is None:
            return pages
        cursor = filters.decode_cursor(filters.encode_cursor(page.next), sort)
    raise AssertionError("more than 100 pages")


def pages_back(wf: WorkFilter, level: int, per_page: int, last: filters.Page) -> list[list[int]]:
    """From the last page to the first by each page's "previous" cursor, as a link carries it."""
    found: list[list[int]] = []
    sort = wf.normalised().sort
    page = last
    while page.previous is not None:
        cursor = filters.decode_cursor(filters.encode_cursor(page.previous), sort)
        assert cursor is not None
        page = filters.find_works(
            wf, level=level, cursor=replace(cursor, backward=True), per_page=per_page
        )
        found.append(page.work_ids)
    return found


@pytest.mark.parametrize("plan", list(PLANS))
def test_previous_pages_are_the_pages_walked_forward_in_every_plan(
    built: list[Work], plan: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in PLANS[plan].items():
        monkeypatch.setattr(filters, name, value)
    rng = random.Random(f"back {plan}")
    for _ in range(12):
        wf = random_filter(rng)
        level = rng.choice([Listing.PUBLIC, Listing.MEMBERS])
        per_page = rng.choice([3, 7])
        forward = pages_forward(wf, level, per_page)
        assert forward[0].previous is None  # the first page has none before it
        back = pages_back(wf, level, per_page, forward[-1])
        assert back == [page.work_ids for page in reversed(forward[:-1])], wf


def test_a_page_back_from_deep_costs_what_the_first_page_costs(built: list[Work]) -> None:
    wf = WorkFilter(sort=Sort.TITLE)
    forward = pages_forward(wf, Listing.MEMBERS, per_page=3)
    assert len(forward) > 4
    with CaptureQueriesContext(connection) as first:
        filters.find_works(wf, level=Listing.MEMBERS, per_page=3)
    deep = forward[-2].previous
    assert deep is not None
    with CaptureQueriesContext(connection) as back:
        page = filters.find_works(wf, level=Listing.MEMBERS, cursor=deep, per_page=3)
    assert page.work_ids == forward[-3].work_ids
    assert len(back.captured_queries) == len(first.captured_queries)
