"""Template helpers for showing works."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from fanfold.archive.tags.models import Tag, TagType
from fanfold.archive.tags.selectors import group_by_type
from fanfold.archive.works import languages
from fanfold.archive.works.blurbs import Symbol, render_blurb, symbols_of
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


@register.filter
def required_tags(work: Work) -> list[Symbol]:
    """AO3's four squares: rating, warnings, category, completion, from the prefetched tags.

    No query of its own (a listing renders it for every blurb): it reads
    ``work.tags.all()``, which the listing prefetched.
    """
    return symbols_of(work, group_by_type(work.tags.all()))


@register.simple_tag
def blurb(work: Work, snippet: str = "") -> SafeString:
    """``{% blurb work snippet %}``: a work's card in a listing (see ``works.blurbs``)."""
    return render_blurb(work, snippet)
