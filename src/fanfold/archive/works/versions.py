"""A work's version: the number that moves whenever a reader without an account would see
the work's pages differently, and the listings' version, which moves with any of them.

Every write that changes what a stranger sees on a work's pages moves its
version in the same statement or transaction as the change:

- the work's own fields, chapters, tags and the index (``search.indexing.index_works``
  moves the version of every work it indexes: posting, editing, hiding,
  tag wrangling, an author's name in the full-text document);
- counters shown on the page (kudos, comments, bookmarks), moved with
  ``F()`` in the same UPDATE: ``update(kudos_count=F(...) + 1, **NEXT_VERSION)``
  (not hits: no page shows them, decision 0016);
- series membership and series details, chapter order, comments shown or
  hidden, analysis results shown beside the text: :func:`bump`.

Cached pages (:mod:`fanfold.archive.works.pagecache`) are keyed by the
version read from the database, never deleted by key, so every app server
agrees on what is current whatever cache it has. After the change commits,
the listings' version moves too (one row, one short statement outside the
writer's transaction, so no lock is held while the writer works) and the
pages written for nginx are removed.

>>> sorted(NEXT_VERSION)
['version']
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import DEFAULT_DB_ALIAS, IntegrityError, transaction
from django.db.models import F

from fanfold.archive.works.models import ListingsVersion, SeriesPart, Work

log = logging.getLogger(__name__)

# Spread into an UPDATE of works: ``Work.objects.filter(...).update(x=..., **NEXT_VERSION)``.
NEXT_VERSION = {"version": F("version") + 1}

T = TypeVar("T")
FRAGMENT_TTL = 24 * 60 * 60  # seconds: only to give the memory back, as pages
# With local memory, fragments get a cache of their own (as pages do, pagecache):
# the default one culls a third of its 300 entries when full, rate limits included.
_FRAGMENTS = LocMemCache(
    "fanfold-fragments", {"TIMEOUT": FRAGMENT_TTL, "OPTIONS": {"MAX_ENTRIES": 3000}}
)


def bump(work_ids: Iterable[int]) -> int:
    """Move the versions of these works (in the caller's transaction); how many rows changed."""
    ids = sorted(set(work_ids))
    changed = Work.objects.filter(pk__in=ids).update(**NEXT_VERSION) if ids else 0
    moved(ids)
    return changed


def bump_with_series(work_ids: Iterable[int]) -> int:
    """Move the versions of these works and of every work sharing a series with them.

    A work's page names its series neighbours (title, previous and next part
    among those a stranger may see): posting, hiding or renaming one moves them all.
    """
    ids = set(work_ids)
    series = SeriesPart.objects.filter(work_id__in=ids).values("series_id")
    mates = SeriesPart.objects.filter(series_id__in=series).values_list("work_id", flat=True)
    return bump(ids | set(mates))


def moved(work_ids: Iterable[int]) -> None:
    """After a write that moved versions commits: move the listings' version, drop nginx's files.

    Called by :func:`bump`, and by the services that move versions in their
    own UPDATE (``NEXT_VERSION``).
    """
    ids = sorted(set(work_ids))

    def after_commit() -> None:
        bump_listings()
        # The page cache reads versions: imported when first needed, not in a cycle.
        from fanfold.archive.works.pagecache import remove_files

        remove_files(ids)

    transaction.on_commit(after_commit)


def bump_listings() -> None:
    """Move the listings' version: one short UPDATE of one row (created on first use)."""
    if ListingsVersion.objects.filter(pk=1).update(version=F("version") + 1):
        return
    try:
        with transaction.atomic():
            ListingsVersion.objects.create(pk=1, version=2)
    except IntegrityError:  # another process created it meanwhile
        ListingsVersion.objects.filter(pk=1).update(version=F("version") + 1)


def listings_version() -> int:
    """The listings' version now (1 before anything ever moved it)."""
    return ListingsVersion.objects.filter(pk=1).values_list("version", flat=True).first() or 1


def work_version(work_id: int, *, primary: bool = False) -> int | None:
    """The work's version now; None when there is no such work.

    ``primary``: read it on the primary database even where reads go to a
    replica (``fanfold.archive.dbrouting``), which may not have replayed the
    latest change yet.
    """
    works = Work.objects.using(DEFAULT_DB_ALIAS) if primary else Work.objects
    return works.filter(pk=work_id).values_list("version", flat=True).first()


# What a work's pages show every reader alike, kept per version -------------------


def fragment_cache() -> BaseCache:
    """Where per-version parts of pages are kept: the shared cache (Redis), else the machine's
    files (``FANFOLD_PAGE_STORE``, the default) or this process's own memory."""
    cache = caches["default"]
    if not isinstance(cache, LocMemCache):
        return cache
    return (
        machine_cache("fragments", MACHINE_FRAGMENTS)
        if settings.PAGE_STORE == "files"
        else _FRAGMENTS
    )


# Without Redis, the files under FANFOLD_DATA_DIR/cache hold this many of each.
MACHINE_FRAGMENTS = 30_000


class MachineCache(FileBasedCache):
    """Django's file cache, looking for entries to cull once in ``cull_every`` sets.

    Django's lists the whole directory on every set to count its entries:
    2.5 ms at 3,000 files, ~25 ms at 30,000, paid by every page that keeps a
    part. Counting one set in a hundred lets the store run over its size by
    at most that many entries per process between counts.
    """

    cull_every = 100

    def __init__(self, directory: str, params: dict[str, object]) -> None:
        super().__init__(directory, params)
        self._sets_since_count = 0

    def _cull(self) -> None:
        self._sets_since_count += 1
        if self._sets_since_count >= self.cull_every:
            self._sets_since_count = 0
            super()._cull()  # type: ignore[misc]  # Django's own, not in its stubs


MACHINE_CACHES: dict[tuple[str, str], MachineCache] = {}


def machine_cache(name: str, entries: int) -> BaseCache:
    """A cache in files under ``FANFOLD_DATA_DIR/cache/<name>``, shared by the machine's processes.

    Django's file cache: each entry a file written whole and renamed into
    place, so a reader never sees half of one; past ``entries`` a third of
    them (at random) are removed, counted once in a hundred sets
    (:class:`MachineCache`). Keys are versioned (never deleted by key), so
    what another process kept is as current as what this one did.
    """
    place = (str(settings.DATA_DIR), name)
    if place not in MACHINE_CACHES:
        MACHINE_CACHES[place] = MachineCache(
            str(Path(settings.DATA_DIR) / "cache" / name),
            {"TIMEOUT": FRAGMENT_TTL, "OPTIONS": {"MAX_ENTRIES": entries}},
        )
    return MACHINE_CACHES[place]


def remembered(work: Work, what: str, compute: Callable[[], T]) -> T:
    """``compute()`` once per version of the work: for what every reader of its pages sees alike.

    Keyed like whole pages, by the version read with the work (never deleted):
    a change moves the version, and the next page computes it again. Only for
    what depends on nothing but the work (kudos names, its analysis); a
    viewer's own state is never kept here. None is kept too.
    """
    key = f"fragment:{what}:{work.pk}:{work.version}"
    cache = fragment_cache()
    kept = cache.get(key)
    if isinstance(kept, tuple):
        return kept[0]  # type: ignore[no-any-return]
    value = compute()
    cache.set(key, (value,), FRAGMENT_TTL)
    return value
