"""Reads of works, chapters and series, with who-may-see-what applied in the query.

The visibility rules, in one place:

- a draft is seen by its author only (for everyone else it does not exist);
- a hidden work (hidden by an admin) is seen by its author and admins only;
- a restricted work is seen by logged-in readers only (strangers are sent
  to the login page);
- listings show posted, unhidden works, restricted ones only to logged-in
  readers, and an author's own drafts on their own page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery

from fanfold.archive.people.models import User
from fanfold.archive.tags.models import Tag
from fanfold.archive.works.models import Chapter, Series, SeriesPart, Work

Viewer = User | AnonymousUser


class RestrictedWorkError(Exception):
    """The work is restricted to logged-in readers."""


def _listing(queryset: QuerySet[Work], viewer: Viewer) -> QuerySet[Work]:
    """Everything a work blurb shows, in a fixed number of queries.

    Each series part carries ``visible_position``, its number as the viewer
    counts the series (see ``visible_position``).
    """
    parts = SeriesPart.objects.select_related("series").annotate(
        visible_position=visible_position(viewer)
    )
    return queryset.select_related("owner").prefetch_related(
        Prefetch("tags", queryset=Tag.objects.order_by("name")),
        Prefetch("series_parts", queryset=parts.order_by("series__title")),
    )


def _visible_to(viewer: Viewer, prefix: str = "") -> Q:
    """The works ``viewer`` may find; ``prefix`` says where the work is (``"work__"``)."""
    visible = Q(**{f"{prefix}is_draft": False, f"{prefix}is_hidden": False})
    if not viewer.is_authenticated:
        visible &= Q(**{f"{prefix}is_restricted": False})
    return visible


def visible_position(viewer: Viewer) -> Subquery:
    """A series part's number counting only the parts the viewer may see ("Part 2", not the
    stored "Part 4" when parts 1 and 3 are someone's drafts); the series' author sees all.

    A subquery annotating ``SeriesPart`` rows, so a listing's parts cost no extra query.
    """
    earlier = SeriesPart.objects.filter(
        series_id=OuterRef("series_id"), position__lte=OuterRef("position")
    )
    seen = _visible_to(viewer, prefix="work__")
    if viewer.pk is not None:
        seen |= Q(series__owner_id=viewer.pk)
    counted = earlier.filter(seen).order_by().values("series_id").annotate(n=Count("pk"))
    return Subquery(counted.values("n")[:1])


def works_in_order(work_ids: list[int], *, viewer: Viewer) -> list[Work]:
    """The works with these ids, in this order, with what their blurbs show ``viewer``."""
    works = {work.pk: work for work in _listing(Work.objects.filter(pk__in=work_ids), viewer)}
    return [works[pk] for pk in work_ids if pk in works]


def listed_works(*, viewer: Viewer) -> QuerySet[Work]:
    """Posted works the viewer may read, most recently updated first."""
    return _listing(Work.objects.filter(_visible_to(viewer)), viewer).order_by("-updated_at", "-pk")


def works_by_author(*, author: User, viewer: Viewer) -> QuerySet[Work]:
    """The author's works; on their own page, their drafts and hidden works too."""
    works = Work.objects.filter(owner=author)
    if viewer.pk != author.pk:
        works = works.filter(_visible_to(viewer))
    return _listing(works, viewer).order_by("-is_draft", "-updated_at", "-created_at", "-pk")


def work_for_reading(*, work_id: int, viewer: Viewer) -> Work | None:
    """The work, if the viewer may read it (None: not for them, nor a hint it exists).

    Raises ``RestrictedWorkError`` for a stranger at a restricted work: they
    may read it once logged in.
    """
    work = _listing(Work.objects.filter(pk=work_id), viewer).first()
    if work is None:
        return None
    is_author = viewer.pk == work.owner_id
    if work.is_draft and not is_author:
        return None
    if work.is_hidden and not (is_author or viewer.is_staff):
        return None
    if work.is_restricted and not viewer.is_authenticated:
        raise RestrictedWorkError
    return work


def work_for_editing(*, work_id: int, user: Viewer) -> Work | None:
    """The work, if ``user`` is its author."""
    return Work.objects.filter(pk=work_id, owner_id=user.pk).first() if user.pk else None


def readable_chapters(*, work: Work, viewer: Viewer) -> list[Chapter]:
    """The chapters the viewer may read, in order: drafts for the author only."""
    chapters = work.chapters.order_by("position")
    if viewer.pk != work.owner_id:
        chapters = chapters.filter(is_draft=False)
    return list(chapters)


@dataclass(frozen=True)
class SeriesPlace:
    """Where a work sits in one series: "Part 2 of <series>", with neighbours."""

    series: Series
    position: int
    previous: Work | None
    next: Work | None


def series_places(*, work: Work, viewer: Viewer) -> list[SeriesPlace]:
    places = []
    for part in work.series_parts.all():
        siblings = visible_parts(series=part.series, viewer=viewer)
        works = [p.work for p in siblings]
        index = next((i for i, p in enumerate(siblings) if p.work_id == work.pk), None)
        if index is None:
            continue
        places.append(
            SeriesPlace(
                series=part.series,
                position=index + 1,
                previous=works[index - 1] if index > 0 else None,
                next=works[index + 1] if index + 1 < len(works) else None,
            )
        )
    return places


def visible_parts(*, series: Series, viewer: Viewer) -> list[SeriesPart]:
    """The parts of a series whose works the viewer may see, in order."""
    parts = series.parts.select_related("work", "work__owner").order_by("position")
    if viewer.pk != series.owner_id:
        parts = parts.filter(
            work__in=Work.objects.filter(_visible_to(viewer)).values("pk"),
        )
    return list(parts)


def series_for_reading(*, series_id: int, viewer: Viewer) -> Series | None:
    """The series, if the viewer may see at least one of its works (its author: always)."""
    series = Series.objects.select_related("owner").filter(pk=series_id).first()
    if series is None:
        return None
    if viewer.pk != series.owner_id and not visible_parts(series=series, viewer=viewer):
        return None
    return series


def series_for_editing(*, series_id: int, user: Viewer) -> Series | None:
    return Series.objects.filter(pk=series_id, owner_id=user.pk).first() if user.pk else None


def series_of_author(*, author: User, viewer: Viewer) -> list[Series]:
    series = Series.objects.filter(owner=author).order_by("title")
    if viewer.pk != author.pk:
        series = series.filter(parts__work__in=Work.objects.filter(_visible_to(viewer))).distinct()
    return list(series)


def works_titled(*, owner_id: int, title: str, limit: int = 3) -> list[tuple[Work, str]]:
    """The owner's works with this title in any case, newest first, at most ``limit``,
    each with its first chapter's text: two queries however many there are."""
    works = list(
        Work.objects.filter(owner_id=owner_id, title__iexact=title).order_by("-created_at", "-pk")[
            :limit
        ]
    )
    bodies = dict(Chapter.objects.filter(work__in=works, position=1).values_list("work_id", "body"))
    return [(work, bodies.get(work.pk, "")) for work in works]
