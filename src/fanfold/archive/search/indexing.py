"""Keeping the filter index in step with works and with tag wrangling.

Every service that changes what a listing or search would show calls
``index_works`` with the works it touched, inside its own transaction, so
the index is never behind the rows it describes. For each work it decides:

- ``listing``: who finds it (everyone, logged-in readers, nobody);
- its filter tags: its own tags, their canonical tags, and every meta tag
  above either (see ``fanfold.archive.tags.models``);
- ``is_crossover``: its fandoms reach more than one top-level fandom;
- the tag counters (``listed_count``, ``member_count``), moved by the
  difference between the old and the new index rows, never recounted;
- its full-text document (``fulltext``): title, author, summary, notes,
  the names of every filter tag (so ``tag:"Lexie Grey"`` finds works
  tagged with its synonym), and the text of the posted chapters. Works
  nobody may list have no document.

>>> sorted(filter_closure({1}, mergers={1: 2}, metas={2: {3}, 3: {4}}))
[1, 2, 3, 4]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, F

from fanfold.archive.search import fulltext
from fanfold.archive.search.models import FilterTag
from fanfold.archive.tags.models import Tag, TagType
from fanfold.archive.works import versions
from fanfold.archive.works.models import SAMPLE_BUCKETS, TITLE_MAX, Chapter, Listing, Work
from fanfold.formats.userhtml import to_plain_text

BATCH = 500
INDEXED_FIELDS = ["listing", "bucket", "sort_title", "is_crossover"]


def listing_of(work: Work) -> Listing:
    if work.is_draft or work.is_hidden:
        return Listing.UNLISTED
    return Listing.MEMBERS if work.is_restricted else Listing.PUBLIC


def sort_title_of(title: str) -> str:
    """Titles sort without case: "a Walk" and "A walk" are neighbours."""
    return title.casefold()[:TITLE_MAX]


def filter_closure(
    tag_ids: Set[int], *, mergers: Mapping[int, int], metas: Mapping[int, Set[int]]
) -> set[int]:
    """The tags a filter on any of which should find a work tagged ``tag_ids``."""
    found: set[int] = set()
    pending = list(tag_ids)
    while pending:
        tag = pending.pop()
        if tag in found:
            continue
        found.add(tag)
        if tag in mergers:
            pending.append(mergers[tag])
        pending.extend(metas.get(tag, ()))
    return found


@dataclass
class _Graph:
    """The wrangling graph around the tags seen so far, loaded as needed."""

    mergers: dict[int, int]
    metas: dict[int, set[int]]
    types: dict[int, str]

    @classmethod
    def empty(cls) -> _Graph:
        return cls({}, {}, {})

    def load(self, tag_ids: Iterable[int]) -> None:
        """Read the mergers and meta tags of ``tag_ids`` and of everything above them."""
        pending = {t for t in tag_ids if t not in self.types}
        while pending:
            rows = Tag.objects.filter(pk__in=pending).values_list("pk", "type", "merger_id")
            links = Tag.meta_tags.through.objects.filter(from_tag_id__in=pending).values_list(
                "from_tag_id", "to_tag_id"
            )
            for pk, tag_type, merger in rows:
                self.types[pk] = tag_type
                if merger is not None:
                    self.mergers[pk] = merger
            for sub, meta in links:
                self.metas.setdefault(sub, set()).add(meta)
            above = {self.mergers.get(t) for t in pending} | {
                meta for t in pending for meta in self.metas.get(t, ())
            }
            pending = {t for t in above if t is not None and t not in self.types}

    def closure(self, tag_ids: Set[int]) -> set[int]:
        self.load(tag_ids)
        return filter_closure(tag_ids, mergers=self.mergers, metas=self.metas)

    def is_crossover(self, closure: Set[int]) -> bool:
        """More than one top-level fandom: "MCU" and "Marvel Comics" under "Marvel" are one."""
        fandoms = [t for t in closure if self.types.get(t) == TagType.FANDOM]
        roots = {t for t in fandoms if t not in self.mergers and not self.metas.get(t)}
        return len(roots) > 1


@transaction.atomic
def index_works(work_ids: Iterable[int]) -> None:
    """Bring the index rows, listing, counters and documents of these works up to date.

    Whatever made a work worth re-indexing changes its pages too: its
    version moves (``works.versions``), so its cached pages are not served again.
    """
    ids = sorted(set(work_ids))
    versions.bump_with_series(ids)
    graph = _Graph.empty()
    for start in range(0, len(ids), BATCH):
        _index_batch(ids[start : start + BATCH], graph)


def _index_batch(ids: list[int], graph: _Graph) -> None:
    works = list(
        Work.objects.select_for_update()
        .filter(pk__in=ids)
        .select_related("owner")
        .prefetch_related("tags")
    )
    old = _rows_of(ids)
    deltas: Counter[tuple[int, str]] = Counter()
    new_rows: list[FilterTag] = []
    stale: list[int] = []
    for work in works:
        old_tags, old_listing = old.get(work.pk, (set(), Listing.UNLISTED))
        new_tags = graph.closure({tag.pk for tag in work.tags.all()})
        work.listing = listing_of(work)
        work.bucket = work.pk % SAMPLE_BUCKETS
        work.sort_title = sort_title_of(work.title)
        work.is_crossover = graph.is_crossover(new_tags)
        if (old_tags, old_listing) == (new_tags, work.listing):
            continue
        _count_changes(deltas, old_tags, old_listing, -1)
        _count_changes(deltas, new_tags, work.listing, +1)
        stale.append(work.pk)
        new_rows.extend(
            FilterTag(
                tag_id=t,
                bucket=work.bucket,
                work=work,
                tag_type=graph.types[t],
                listing=work.listing,
            )
            for t in new_tags
        )
    FilterTag.objects.filter(work_id__in=stale).delete()
    FilterTag.objects.bulk_create(new_rows)
    Work.objects.bulk_update(works, INDEXED_FIELDS)
    _apply_counts(deltas)
    _index_documents(works, graph)


def _index_documents(works: list[Work], graph: _Graph) -> None:
    listed = [work for work in works if work.listing != Listing.UNLISTED]
    fulltext.remove_documents(work.pk for work in works if work.listing == Listing.UNLISTED)
    if not listed:
        return
    names = dict(
        Tag.objects.filter(
            pk__in={t for work in listed for t in graph.closure({x.pk for x in work.tags.all()})}
        ).values_list("pk", "name")
    )
    chapters: dict[int, list[Chapter]] = {}
    for chapter in Chapter.objects.filter(work__in=listed, is_draft=False).order_by("position"):
        chapters.setdefault(chapter.work_id, []).append(chapter)
    fulltext.index_documents(
        _document(work, graph, names, chapters.get(work.pk, [])) for work in listed
    )


def _document(
    work: Work, graph: _Graph, names: Mapping[int, str], chapters: list[Chapter]
) -> fulltext.Document:
    closure = graph.closure({tag.pk for tag in work.tags.all()})
    notes = [work.notes, work.end_notes, *(n for c in chapters for n in (c.notes, c.end_notes))]
    return fulltext.Document(
        work_id=work.pk,
        title=work.title,
        author=work.owner.username,
        summary=to_plain_text(work.summary),
        notes="\n".join(to_plain_text(n) for n in notes if n),
        tags=", ".join(sorted(names[t] for t in closure if t in names)),
        body="\n\n".join(to_plain_text(c.body) for c in chapters),
    )


def _rows_of(ids: list[int]) -> dict[int, tuple[set[int], int]]:
    """Each work's filter tags and the listing they were counted under, as indexed."""
    rows: dict[int, tuple[set[int], int]] = {}
    for work_id, tag_id, listing in FilterTag.objects.filter(work_id__in=ids).values_list(
        "work_id", "tag_id", "listing"
    ):
        rows.setdefault(work_id, (set(), listing))[0].add(tag_id)
    return rows


def _count_changes(
    deltas: Counter[tuple[int, str]], tags: Set[int], listing: int, sign: int
) -> None:
    if listing == Listing.UNLISTED:
        return
    for tag in tags:
        deltas[tag, "member_count"] += sign
        if listing == Listing.PUBLIC:
            deltas[tag, "listed_count"] += sign


def _apply_counts(deltas: Counter[tuple[int, str]]) -> None:
    for (tag, column), change in sorted(deltas.items()):
        if change:
            Tag.objects.filter(pk=tag).update(**{column: F(column) + change})


@transaction.atomic
def unindex_works(work_ids: Iterable[int]) -> None:
    """Before works are deleted: take their rows out of the index and the tag counters."""
    ids = list(work_ids)
    versions.moved(ids)  # the listings that showed them change; their pages go
    deltas: Counter[tuple[int, str]] = Counter()
    for tags, listing in _rows_of(ids).values():
        _count_changes(deltas, tags, listing, -1)
    FilterTag.objects.filter(work_id__in=ids).delete()
    _apply_counts(deltas)
    fulltext.remove_documents(ids)  # SQLite's FTS5 table has no cascade from works


def listings_changed() -> None:
    """Wrangling no work's page shows (canonical or not, parents, media) changed the
    tag listings: their cached pages are stale once it commits."""
    versions.moved([])


def works_finding(tag: Tag) -> list[int]:
    """The works a filter on ``tag`` finds now: those to re-index when its wrangling changes."""
    return list(FilterTag.objects.filter(tag=tag).values_list("work_id", flat=True))


@transaction.atomic
def recount_tags() -> None:
    """Recount every tag from the index rows (repairs counters after a bulk load)."""
    Tag.objects.update(listed_count=0, member_count=0)
    listed = FilterTag.objects.filter(listing=Listing.PUBLIC)
    members = FilterTag.objects.filter(listing__lt=Listing.UNLISTED)
    for column, rows in (("listed_count", listed), ("member_count", members)):
        for tag, count in rows.values_list("tag_id").annotate(n=Count("*")).order_by():
            Tag.objects.filter(pk=tag).update(**{column: count})
