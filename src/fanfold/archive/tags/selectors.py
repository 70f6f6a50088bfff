"""Reads of tags."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import Http404

from fanfold.archive.tags.models import TAG_TYPE_ORDER, Tag, TagType


def get_tag(*, type: str, name: str) -> Tag:
    if type not in TagType.values:
        raise Http404("No such tag type")
    tag = Tag.objects.filter(type=type, name__iexact=name).first()
    if tag is None:
        raise Http404("No such tag")
    return tag


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
