"""Template helpers for showing works."""

from __future__ import annotations

from django import template

from fanfold.archive.tags.models import Tag, TagType
from fanfold.archive.tags.selectors import group_by_type
from fanfold.archive.works import languages
from fanfold.archive.works.models import Work

register = template.Library()


@register.filter
def tag_groups(work: Work) -> list[tuple[TagType, list[Tag]]]:
    """The work's (prefetched) tags grouped by type in display order."""
    return group_by_type(work.tags.all())


@register.filter
def language_label(code: str) -> str:
    """ "de" -> "Deutsch": the language's own name; never fails on an unknown code.

    Not called ``language_name``: Django's i18n library has a filter of that
    name which raises on a code it does not know, and a template loading
    both would get whichever it loaded last.
    """
    return languages.language_name(code)
