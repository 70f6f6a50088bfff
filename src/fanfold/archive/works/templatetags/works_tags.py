"""Template helpers for showing works."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language_info

from fanfold.archive.tags.models import Tag, TagType
from fanfold.archive.tags.selectors import group_by_type
from fanfold.archive.works.models import Work

register = template.Library()


@register.filter
def tag_groups(work: Work) -> list[tuple[TagType, list[Tag]]]:
    """The work's (prefetched) tags grouped by type in display order."""
    return group_by_type(work.tags.all())


@register.filter
def language_name(code: str) -> str:
    """ "de" -> "Deutsch": the language's own name, or the code if unknown."""
    try:
        return str(get_language_info(code)["name_local"])
    except KeyError:
        return code
