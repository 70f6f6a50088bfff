"""Writes to tags: finding or creating the tags a work is given, and wrangling them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from fanfold.archive.search.indexing import index_works, listings_changed, works_finding
from fanfold.archive.tags.models import Tag, TagType, clean_tag_names


def find_or_create_tags(*, names_by_type: Mapping[TagType, Iterable[str]]) -> list[Tag]:
    """The tags with these names, creating the missing ones.

    Names are cleaned first (one line, single spaces: see ``clean_tag_names``)
    and match case-insensitively within a type, so "lexie  grey" finds the
    existing "Lexie Grey" instead of making a near-duplicate. A name longer
    than the limit is refused, whichever way it came.
    """
    tags: list[Tag] = []
    for tag_type, names in names_by_type.items():
        for name in clean_tag_names(names):
            tag = Tag.objects.filter(type=tag_type, name__iexact=name).first()
            if tag is None:
                tag = Tag.objects.create(type=tag_type, name=name)
            tags.append(tag)
    return tags


# Wrangling ------------------------------------------------------------------
# Any account: tags sit below people in the app order, so they name the
# account by Django's base class (people.User is one).
Wrangler = AbstractUser
# Every change re-indexes the works a filter on the changed tag finds, in the
# same transaction, so filters and counts follow the wrangling at once.


def _require_wrangler(by: Wrangler) -> None:
    if not by.has_perm("tags.wrangle_tag"):
        raise PermissionDenied("Only tag wranglers can change how tags are organised.")


def _reindex_finding(*tags: Tag) -> None:
    work_ids: set[int] = set()
    for tag in tags:
        work_ids.update(works_finding(tag))
    index_works(work_ids)


@transaction.atomic
def set_canonical(*, tag: Tag, by: Wrangler, canonical: bool) -> Tag:
    """Mark a tag canonical (offered to authors and readers) or take the mark away."""
    _require_wrangler(by)
    if canonical and tag.merger_id is not None:
        raise ValidationError(
            f"“{tag.name}” is a synonym of “{tag.merger}”; it cannot be canonical."
        )
    tag.is_canonical = canonical
    tag.save(update_fields=["is_canonical"])
    listings_changed()
    return tag


@transaction.atomic
def make_synonym(*, tag: Tag, of: Tag, by: Wrangler) -> Tag:
    """Merge ``tag`` into the canonical tag ``of``: filters on either find both.

    The tag's own synonyms move to ``of`` too, so a synonym never points at a
    synonym.
    """
    _require_wrangler(by)
    if tag.pk == of.pk or of.merger_id is not None:
        raise ValidationError(f"“{of.name}” cannot take synonyms: choose a canonical tag.")
    if tag.type != of.type:
        raise ValidationError("A tag can only be a synonym of a tag of the same type.")
    affected = [tag, *tag.synonyms.all()]
    Tag.objects.filter(merger=tag).update(merger=of)
    tag.merger = of
    tag.is_canonical = False
    tag.save(update_fields=["merger", "is_canonical"])
    if not of.is_canonical:
        of.is_canonical = True
        of.save(update_fields=["is_canonical"])
    _reindex_finding(*affected)
    return tag


@transaction.atomic
def remove_synonym(*, tag: Tag, by: Wrangler) -> Tag:
    _require_wrangler(by)
    old = tag.merger
    tag.merger = None
    tag.save(update_fields=["merger"])
    if old is not None:
        _reindex_finding(tag, old)
    return tag


@transaction.atomic
def add_meta_tag(*, sub: Tag, meta: Tag, by: Wrangler) -> None:
    """``sub`` becomes a sub-tag of ``meta``: filters on ``meta`` find works tagged ``sub``."""
    _require_wrangler(by)
    if sub.type != meta.type:
        raise ValidationError("A meta tag must be of the same type as its sub-tag.")
    if sub.pk == meta.pk or _is_above(sub, meta):
        raise ValidationError(f"“{meta.name}” is already below “{sub.name}”: that would loop.")
    sub.meta_tags.add(meta)
    _reindex_finding(sub)


@transaction.atomic
def remove_meta_tag(*, sub: Tag, meta: Tag, by: Wrangler) -> None:
    _require_wrangler(by)
    sub.meta_tags.remove(meta)
    _reindex_finding(sub)


def _is_above(tag: Tag, other: Tag) -> bool:
    """Whether ``tag`` is a meta tag of ``other``, directly or further up."""
    seen: set[int] = set()
    pending = [other.pk]
    while pending:
        current = pending.pop()
        if current == tag.pk:
            return True
        if current not in seen:
            seen.add(current)
            pending.extend(
                Tag.meta_tags.through.objects.filter(from_tag_id=current).values_list(
                    "to_tag_id", flat=True
                )
            )
    return False


@transaction.atomic
def add_parent(*, child: Tag, parent: Tag, by: Wrangler) -> None:
    """File a character or relationship (or a fandom's sub-tag) under a fandom."""
    _require_wrangler(by)
    if parent.type != TagType.FANDOM or child.pk == parent.pk:
        raise ValidationError("A parent tag must be a fandom.")
    child.parents.add(parent)
    listings_changed()


@transaction.atomic
def remove_parent(*, child: Tag, parent: Tag, by: Wrangler) -> None:
    _require_wrangler(by)
    child.parents.remove(parent)
    listings_changed()


@transaction.atomic
def set_media(*, fandom: Tag, media: str, by: Wrangler) -> Tag:
    _require_wrangler(by)
    if fandom.type != TagType.FANDOM:
        raise ValidationError("Only fandoms have a media type.")
    fandom.media = media
    fandom.save(update_fields=["media"])
    listings_changed()
    return fandom
