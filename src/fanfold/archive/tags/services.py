"""Writes to tags: finding or creating the tags a work is given."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from fanfold.archive.tags.models import Tag, TagType


def find_or_create_tags(*, names_by_type: Mapping[TagType, Iterable[str]]) -> list[Tag]:
    """The tags with these names, creating the missing ones.

    Names match case-insensitively within a type, so "lexie grey" finds the
    existing "Lexie Grey" instead of making a near-duplicate.
    """
    tags: list[Tag] = []
    for tag_type, names in names_by_type.items():
        for name in dict.fromkeys(n.strip() for n in names if n.strip()):
            tag = Tag.objects.filter(type=tag_type, name__iexact=name).first()
            if tag is None:
                tag = Tag.objects.create(type=tag_type, name=name)
            tags.append(tag)
    return tags
