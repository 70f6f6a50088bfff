"""A work's blurb (the card a listing shows for it), built as a string.

Listings show twenty blurbs a page, the home page and author pages as many:
through the template engine, each blurb cost an include, a dozen URL
reversals and a few hundred variable lookups, most of a listing page's
time (bench.pages). Here each is one function call that writes the same
HTML the template wrote: every value from the database goes through
``escape`` (titles, names and tags are hostile input), the summary and the
search snippet are already sanitised HTML, and URLs come from ``url_for``,
which reverses each distinct address once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from fanfold.archive.reversal import cached_reverse
from fanfold.archive.tags.models import Tag, TagType
from fanfold.archive.tags.selectors import group_by_type
from fanfold.archive.works import languages
from fanfold.archive.works.models import Rating, Work


def url_for(viewname: str, *args: object) -> str:
    """``reverse(viewname, args=args)``, each distinct address reversed once per process.

    A listing links the same tags (warnings, categories, popular fandoms) on
    every page; reversing costs about 30 µs, a remembered address well under 1.

    >>> from django.urls import reverse
    >>> url_for("search:tag", "freeform", "Angst/Fluff") == reverse(
    ...     "search:tag", args=["freeform", "Angst/Fluff"]
    ... )
    True
    """
    return cached_reverse(viewname, args)


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


def symbols_of(work: Work, groups: list[tuple[TagType, list[Tag]]]) -> list[Symbol]:
    """AO3's four squares: rating, warnings, category, completion; ``groups`` are the
    work's tags as ``group_by_type`` gives them (no query here)."""
    names: dict[str, list[str]] = {TagType.WARNING: [], TagType.CATEGORY: []}
    for tag_type, tags in groups:
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


def _symbol(symbol: Symbol) -> str:
    kind, text = escape(symbol.kind), escape(symbol.text)
    return (
        f'<li class="symbol symbol-{kind} {kind}-{escape(symbol.tone)}">'
        f'<abbr title="{text}"><span aria-hidden="true">{escape(symbol.mark)}</span>'
        f'<span class="visually-hidden">{text}</span></abbr></li>'
    )


def _tags(groups: list[tuple[TagType, list[Tag]]]) -> str:
    """The tag list's items; the script prefix and URL conf read once for the blurb."""
    where = (get_script_prefix(), get_urlconf())
    return "".join(_tag(*where, str(t), tag.type, tag.name) for t, tags in groups for tag in tags)


@lru_cache(maxsize=32768)
def _tag(prefix: str, urlconf: object, group: str, tag_type: str, name: str) -> str:
    """One tag's item, made once per tag: listings show the same tags on every page."""
    href = escape(cached_reverse("search:tag", (tag_type, name)))
    return f'<li class="tag-{escape(group)}"><a class="tag" href="{href}">{escape(name)}</a></li>'


def _flags(work: Work) -> str:
    if not (work.is_draft or work.is_hidden or work.is_restricted):
        return ""
    draft = '<span class="flag flag-draft">Draft</span>' if work.is_draft else ""
    hidden = '<span class="flag flag-hidden">Hidden by an admin</span>' if work.is_hidden else ""
    restricted = '<span class="flag">Logged-in readers only</span>' if work.is_restricted else ""
    return (
        f'\n    <p class="blurb-flags">\n      {draft}\n      {hidden}\n      {restricted}\n'
        "    </p>\n    "
    )


def _series_lines(work: Work) -> str:
    lines = []
    for part in work.series_parts.all():
        series = part.series
        href = escape(url_for("works:series", series.pk))
        position = escape(getattr(part, "visible_position", None))
        lines.append(
            f'\n    <p class="series-line">Part {position} of <a href="{href}">'
            f"{escape(series.title)}</a></p>\n  "
        )
    return "".join(lines)


def _updated(moment: datetime | None) -> str:
    """The date in the reader's time zone (the one TimeZoneMiddleware activated)."""
    if moment is None:
        return ""
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    day = f"{local.year:04d}-{local.month:02d}-{local.day:02d}"
    return f'<dt>Updated</dt><dd><time datetime="{local.isoformat()}">{day}</time></dd>'


def render_blurb(work: Work, snippet: str = "") -> SafeString:
    """The blurb of a work fetched by ``works_in_order`` / ``listed_works`` (tags, owner
    and series parts loaded with it: no query here). ``snippet`` is safe HTML."""
    groups = group_by_type(work.tags.all())
    title_id = f"work-{work.pk}-title"
    tags = _tags(groups)
    symbols = "".join(_symbol(symbol) for symbol in symbols_of(work, groups))
    summary = (
        f'<blockquote class="userstuff summary">{work.summary}</blockquote>' if work.summary else ""
    )
    snippet_html = f'<p class="snippet">{snippet}</p>' if snippet else ""
    username = work.owner.username
    return mark_safe(  # noqa: S308 - every value above is escaped or sanitised HTML
        f'\n<article class="blurb" aria-labelledby="{title_id}">\n'
        "  <header>\n"
        f'    <h3 id="{title_id}"><a href="{escape(url_for("works:work", work.pk))}">'
        f"{escape(work.title)}</a>\n"
        f'      <span class="byline">by <a href="{escape(url_for("works:author", username))}">'
        f"{escape(username)}</a></span></h3>\n"
        '    <ul class="required-tags" aria-label="Rating, warnings, category and completion">\n'
        f"      {symbols}\n"
        "    </ul>\n"
        f"    {_flags(work)}\n"
        "  </header>\n"
        '  <ul class="tags" aria-label="Tags">\n'
        f"    {tags}\n"
        "  </ul>\n"
        f"  {summary}\n"
        f"  {snippet_html}\n"
        f"  {_series_lines(work)}\n"
        '  <dl class="stats">\n'
        f"    <dt>Language</dt><dd>{escape(languages.language_name(work.language))}</dd>\n"
        f"    <dt>Words</dt><dd>{work.word_count:d}</dd>\n"
        f"    <dt>Chapters</dt><dd>{escape(work.chapters_label)}</dd>\n"
        f"    {_updated(work.updated_at)}\n"
        "  </dl>\n"
        "</article>\n"
    )
