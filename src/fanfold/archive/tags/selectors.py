"""Reads of tags."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.db.models.functions import Lower

from fanfold.archive.tags.matching import CanonTag, FandomCanon
from fanfold.archive.tags.models import TAG_NAME_MAX_LENGTH, TAG_TYPE_ORDER, Tag, TagType

# Autocomplete: a prefix shorter than this matches too much to help; more
# than this many suggestions is a list to read, not a choice.
SUGGEST_MIN_LENGTH = 2
SUGGEST_LIMIT = 10


Viewer = AbstractBaseUser | AnonymousUser


def find_tag(*, type: str, name: str) -> Tag | None:
    """The tag of this type with this name, in any case; None if there is none.

    For wranglers' pages: every tag exists there. Pages readers reach use
    ``find_visible_tag``.
    """
    if type not in TagType.values:
        return None
    return Tag.objects.filter(type=type, name__iexact=name).first()


def tags_seen_by(viewer: Viewer) -> Q:
    """The tags that exist for ``viewer``: the rest are answered like names never typed.

    A tag exists for a reader when a wrangler made it canonical (the
    archive's public vocabulary, offered to every writer), when a work the
    reader may find carries it (its counter for them is above zero: synonyms
    and sub-tags count through their canonical and meta tags), when it is on
    one of their own works or bookmarks, or on someone's public bookmark of a
    work they may read. A tag only drafts, hidden works, private bookmarks
    or (for strangers) restricted works carry does not exist for them, so
    its name cannot reveal the private work. Admins see every tag.
    See docs/decisions/0013-private-work-leaves-no-trace.md.
    """
    if getattr(viewer, "is_staff", False):
        return Q()
    member = viewer.is_authenticated
    seen = Q(is_canonical=True) | Q(**{"member_count__gt" if member else "listed_count__gt": 0})
    readable = Q(bookmark__work__is_draft=False, bookmark__work__is_hidden=False)
    if not member:
        readable &= Q(bookmark__work__is_restricted=False)
    public_bookmark = Q(bookmark__is_private=False) & (Q(bookmark__work__isnull=True) | readable)
    if member:
        own_works = Tag.works.through.objects.filter(
            tag_id=OuterRef("pk"), work__owner_id=viewer.pk
        )
        seen |= Q(Exists(own_works))
        public_bookmark |= Q(bookmark__user_id=viewer.pk)
    bookmarks = Tag.bookmarks.through.objects.filter(public_bookmark, tag_id=OuterRef("pk"))
    return seen | Q(Exists(bookmarks))


def find_visible_tag(*, type: str, name: str, viewer: Viewer) -> Tag | None:
    """The tag, if it exists for ``viewer`` (``tags_seen_by``); None otherwise."""
    if type not in TagType.values:
        return None
    return Tag.objects.filter(tags_seen_by(viewer), type=type, name__iexact=name).first()


def group_by_type(tags: Iterable[Tag]) -> list[tuple[TagType, list[Tag]]]:
    """Tags in AO3's display order: warnings, categories, fandoms, ... freeform."""
    grouped: dict[str, list[Tag]] = {}
    for tag in tags:
        grouped.setdefault(tag.type, []).append(tag)
    return [
        (tag_type, sorted(grouped[tag_type], key=lambda t: t.name.lower()))
        for tag_type in TAG_TYPE_ORDER
        if tag_type in grouped
    ]


def fandom_counts_by_media(*, viewer: Viewer) -> dict[str, int]:
    """How many fandoms (canonical or not yet wrangled; never synonyms) each media holds,
    counting those that exist for the viewer (``tags_seen_by``)."""
    rows = (
        Tag.objects.filter(tags_seen_by(viewer), type=TagType.FANDOM, merger=None)
        .values_list("media")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return dict(rows)


def fandoms_of(*, media: str, viewer: Viewer) -> list[tuple[Tag, int]]:
    """A media's fandoms that exist for the viewer, by name, with the works they find in each."""
    column = "member_count" if viewer.is_authenticated else "listed_count"
    fandoms = Tag.objects.filter(
        tags_seen_by(viewer), type=TagType.FANDOM, merger=None, media=media
    ).order_by(Lower("name"))
    return [(tag, getattr(tag, column)) for tag in fandoms]


def wrangling_of(tag: Tag) -> dict[str, Any]:
    """What a wrangler sees of a tag: its synonyms, meta and sub-tags, parents and children."""
    return {
        "synonyms": list(tag.synonyms.order_by("name")),
        "meta_tags": list(tag.meta_tags.order_by("name")),
        "sub_tags": list(tag.sub_tags.order_by("name")),
        "parents": list(tag.parents.order_by("name")),
        "children": list(tag.children.order_by("type", "name")),
    }


def fandom_canon(*, fandom_names: Iterable[str]) -> FandomCanon:
    """The canonical characters and relationships filed under these fandoms, with synonyms.

    A fandom named by a synonym stands for its canonical tag. Three queries
    whatever the fandom's size: the fandoms, their canonical children, and
    those children's synonyms.
    """
    lowered = {name.casefold() for name in fandom_names if name.strip()}
    if not lowered:
        return FandomCanon()
    fandom_ids: set[int] = set()
    for pk, merger_id in (
        Tag.objects.annotate(lowered=Lower("name"))
        .filter(type=TagType.FANDOM, lowered__in=lowered)
        .values_list("pk", "merger_id")
    ):
        fandom_ids.add(pk)
        if merger_id is not None:
            fandom_ids.add(merger_id)
    children = (
        Tag.objects.filter(
            type__in=[TagType.CHARACTER, TagType.RELATIONSHIP],
            is_canonical=True,
            parents__in=fandom_ids,
        )
        .distinct()
        .order_by("name")
        .prefetch_related(
            Prefetch("synonyms", queryset=Tag.objects.order_by("name").only("name", "merger"))
        )
    )
    found: dict[str, list[CanonTag]] = {TagType.CHARACTER: [], TagType.RELATIONSHIP: []}
    for tag in children:
        found[tag.type].append(CanonTag(tag.name, tuple(s.name for s in tag.synonyms.all())))
    return FandomCanon(
        characters=tuple(found[TagType.CHARACTER]),
        relationships=tuple(found[TagType.RELATIONSHIP]),
    )


def canonical_tags_starting(*, type: str, prefix: str, limit: int = SUGGEST_LIMIT) -> list[str]:
    """The names of canonical tags of this type that begin with ``prefix`` (any case), A to Z.

    What authors are offered as they type a tag: only wrangled (canonical)
    tags, never synonyms or unwrangled ones. One query over the partial index
    ``tag_canonical_prefix`` (migration 0005); nothing for a prefix too short.
    """
    prefix = " ".join(prefix.split())
    if type not in TagType.values or not SUGGEST_MIN_LENGTH <= len(prefix) <= TAG_NAME_MAX_LENGTH:
        return []
    names = Tag.objects.filter(type=type, is_canonical=True, name__istartswith=prefix)
    return list(names.order_by("name").values_list("name", flat=True)[:limit])
