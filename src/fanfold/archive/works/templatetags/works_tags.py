"""Template helpers for showing works."""

from __future__ import annotations

from dataclasses import dataclass

from django import template

from fanfold.archive.tags.models import Tag, TagType
from fanfold.archive.tags.selectors import group_by_type
from fanfold.archive.works import languages
from fanfold.archive.works.models import Rating, Work

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


@dataclass(frozen=True)
class Symbol:
    """One square of a blurb's compact header: a short mark, and the words it stands for."""

    kind: str  # rating, warnings, category or complete: the CSS class
    tone: str  # the colour it takes: the rating's value, "yes"/"no"/"choose", ...
    mark: str  # what is seen ("T", "!", "F/M", "WIP")
    text: str  # what is heard, and shown on hover ("Rating: Teen And Up Audiences")


RATING_MARKS = {
    Rating.GENERAL: "G",
    Rating.TEEN: "T",
    Rating.MATURE: "M",
    Rating.EXPLICIT: "E",
    Rating.NOT_RATED: "?",
}
NO_WARNINGS = "No Archive Warnings Apply"
CHOSE_NOT_TO_WARN = "Creator Chose Not To Use Archive Warnings"


def _warnings(names: list[str]) -> Symbol:
    serious = [name for name in names if name not in (NO_WARNINGS, CHOSE_NOT_TO_WARN)]
    if serious:
        return Symbol("warnings", "yes", "!", "Warnings: " + ", ".join(serious))
    if CHOSE_NOT_TO_WARN in names:
        return Symbol("warnings", "choose", "?", CHOSE_NOT_TO_WARN)
    return Symbol("warnings", "no", "–", NO_WARNINGS)


def _category(names: list[str]) -> Symbol:
    if not names:
        return Symbol("category", "none", "–", "No category")
    if len(names) == 1:
        return Symbol("category", "one", names[0], f"Category: {names[0]}")
    return Symbol("category", "multi", "Multi", "Categories: " + ", ".join(names))


@register.filter
def required_tags(work: Work) -> list[Symbol]:
    """AO3's four squares: rating, warnings, category, completion, from the prefetched tags.

    No query of its own (a listing renders it for every blurb): it reads
    ``work.tags.all()``, which the listing prefetched.
    """
    names: dict[str, list[str]] = {TagType.WARNING: [], TagType.CATEGORY: []}
    for tag_type, tags in group_by_type(work.tags.all()):
        if tag_type in names:
            names[tag_type] = [tag.name for tag in tags]
    rating = Rating.of(work.rating)
    return [
        Symbol("rating", rating.value, RATING_MARKS[rating], f"Rating: {rating.label}"),
        _warnings(names[TagType.WARNING]),
        _category(names[TagType.CATEGORY]),
        Symbol("complete", "yes", "✓", "Complete work")
        if work.is_complete
        else Symbol("complete", "no", "WIP", "Work in progress"),
    ]
