"""Turning a ParsedWork (from any reader in :mod:`fanfold.formats`) into a work.

One transaction per work: either the work, its chapters, tags and series
places are all created, or nothing is. Tags from other archives map onto
ours: ratings by name, AO3 warnings and categories kept when they are AO3's
own, anything else kept as an additional tag so nothing is lost.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time
from pathlib import PurePath

from django.db import transaction

from fanfold.archive.people.models import User
from fanfold.archive.tags.matching import Match, match_suggestions, split_relationship
from fanfold.archive.tags.models import CATEGORIES, WARNINGS, TagType
from fanfold.archive.tags.selectors import fandom_canon
from fanfold.archive.works import languages, selectors, services
from fanfold.archive.works.models import (
    CHAPTER_BODY_MAX,
    CHAPTERS_MAX,
    NOTES_MAX,
    SUMMARY_MAX,
    WORK_TEXT_MAX,
    Series,
    Work,
)
from fanfold.archive.works.services import too_long
from fanfold.formats.clean import multiline, single_line
from fanfold.formats.model import ParsedChapter, ParsedWork, SeriesRef
from fanfold.formats.readers import read_bytes, read_chapter_files
from fanfold.formats.userhtml import to_plain_text, to_safe_html
from fanfold.text import WorkAnalysis, analyse_segmented, analyse_work

RATINGS_BY_NAME = {
    "general audiences": "general",
    "general": "general",
    "g": "general",
    "k": "general",
    "teen and up audiences": "teen",
    "teen": "teen",
    "t": "teen",
    "k+": "teen",
    "pg": "teen",
    "pg-13": "teen",
    "mature": "mature",
    "m": "mature",
    "r": "mature",
    "explicit": "explicit",
    "e": "explicit",
    "ma": "explicit",
    "nc-17": "explicit",
    "not rated": "not_rated",
}
NO_WARNINGS_GIVEN = "Creator Chose Not To Use Archive Warnings"
NO_FANDOM_GIVEN = "Unspecified Fandom"


def rating_for(name: str | None) -> str:
    """ "Teen And Up Audiences" or FanFiction.Net's "T" -> our rating value."""
    return RATINGS_BY_NAME.get((name or "").strip().lower(), "not_rated")


def language_for(value: str) -> str:
    """ "English", "en-US" or AO3's "中文-普通话 國語" -> our code; "und" when unknown.

    A file that names no language is taken to be in English, as AO3 does.
    """
    if not value.strip():
        return "en"
    return languages.language_code(value) or languages.UNKNOWN


def tags_for(parsed: ParsedWork) -> dict[TagType, list[str]]:
    warnings = [w for w in parsed.warnings if w in WARNINGS]
    categories = [c for c in parsed.categories if c in CATEGORIES]
    unknown = [t for t in (*parsed.warnings, *parsed.categories) if t not in WARNINGS + CATEGORIES]
    return {
        TagType.WARNING: warnings or [NO_WARNINGS_GIVEN],
        TagType.CATEGORY: categories,
        TagType.FANDOM: list(parsed.fandoms) or [NO_FANDOM_GIVEN],
        TagType.RELATIONSHIP: list(parsed.relationships),
        TagType.CHARACTER: list(parsed.characters),
        TagType.FREEFORM: [*parsed.freeforms, *unknown],
    }


def _chapter_fields(chapter: ParsedChapter) -> services.ChapterFields:
    body = chapter.body
    notes = chapter.notes
    if not to_plain_text(body).strip():
        # A chapter that is all note (an update notice, a hiatus post) keeps
        # its words as its text rather than being refused.
        body, notes = notes or chapter.end_notes or "<p>(This chapter has no text.)</p>", ""
    return services.ChapterFields(
        title=chapter.title,
        summary=chapter.summary,
        notes=notes,
        end_notes=chapter.end_notes if body != chapter.end_notes else "",
        body=body,
    )


def parse_files(files: Sequence[tuple[str, bytes]]) -> ParsedWork:
    """Read uploaded files: one file is a whole work, several are its chapters.

    Only a file's base name is kept ("../../x.txt" is "x.txt"). Raises
    ``FormatError`` naming the file when one cannot be read.
    """
    named = [(base_name(name, number), data) for number, (name, data) in enumerate(files, 1)]
    if len(named) == 1:
        name, data = named[0]
        return read_bytes(data, name=name)
    return read_chapter_files(named)


def base_name(name: str, number: int = 1) -> str:
    """A file's name without any folders, in any OS's spelling.

    >>> base_name("C:\\\\docs\\\\ch1.txt"), base_name("../../etc/passwd"), base_name("", 3)
    ('ch1.txt', 'passwd', 'file 3')
    """
    return (PurePath(name.replace("\\", "/")).name or f"file {number}")[:255]


class OverLimitsError(ValueError):
    """A parsed work over the archive's limits; ``problems`` names each file and chapter."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = list(problems)


def check_limits(parsed: ParsedWork, *, name: str) -> None:
    """Raise ``OverLimitsError`` if anything in the work is over the archive's limits.

    ``name`` names what was read (the file, or the files) in the messages.
    """
    problems = limit_problems(parsed, name=name)
    if problems:
        raise OverLimitsError(problems)


def limit_problems(parsed: ParsedWork, *, name: str) -> list[str]:
    """Everything in a parsed work over the archive's limits, each naming its file and chapter.

    The services enforce the same limits; this says all of them at once,
    before anything is created, in words that point at the file.
    """
    problems = [
        too_long(f"{name}: the {what}", len(text), limit)
        for what, text, limit in (
            ("summary", parsed.summary, SUMMARY_MAX),
            ("beginning notes", parsed.notes, NOTES_MAX),
            ("end notes", parsed.end_notes, NOTES_MAX),
        )
        if len(text) > limit
    ]
    if len(parsed.chapters) > CHAPTERS_MAX:
        problems.append(
            f"{name}: it has {len(parsed.chapters):,} chapters; "
            f"a work can have at most {CHAPTERS_MAX:,}."
        )
    for number, chapter in enumerate(parsed.chapters, start=1):
        where = f"{chapter.source or name}, chapter {number}"
        for what, text, limit in (
            ("text", _chapter_fields(chapter).body, CHAPTER_BODY_MAX),
            ("summary", chapter.summary, SUMMARY_MAX),
            ("notes", chapter.notes, NOTES_MAX),
            ("end notes", chapter.end_notes, NOTES_MAX),
        ):
            if len(text) > limit:
                problems.append(too_long(f"{where}: its {what}", len(text), limit))
    total = sum(len(chapter.body) for chapter in parsed.chapters)
    if total > WORK_TEXT_MAX:
        problems.append(too_long(f"{name}: the whole work", total, WORK_TEXT_MAX))
    return problems


@dataclass(frozen=True)
class Suggestions:
    """Tags the reading engine proposes from the story text itself.

    ``counts`` is each one's evidence: how often the story names a character,
    in how many paragraphs the two of a relationship meet.
    """

    characters: tuple[str, ...]
    relationships: tuple[str, ...]
    counts: Mapping[str, int] = field(default_factory=dict, compare=False)


def suggest_tags(parsed: ParsedWork) -> Suggestions:
    analysis = analyse_parsed(parsed)
    return Suggestions(
        analysis.character_tags, analysis.relationship_tags, suggestion_counts(analysis)
    )


def suggestion_counts(analysis: WorkAnalysis) -> dict[str, int]:
    """Each suggested tag's evidence: a character's mentions, a pair's shared paragraphs."""
    cast = analysis.cast.characters
    index = {character.name: i for i, character in enumerate(cast)}
    counts = {name: cast[index[name]].mentions for name in analysis.character_tags}
    meetings = {frozenset((r.a, r.b)): r.interactions for r in analysis.relations}
    for tag in analysis.relationship_tags:
        pair = frozenset(index.get(person, -1) for person in split_relationship(tag)[0])
        counts[tag] = meetings.get(pair, 0)
    return counts


@dataclass(frozen=True)
class TagOffer:
    """A suggestion as the author is offered it: the tag (canonical where one fits) and why.

    ``suggested`` is the story's name for it, which stays the same whichever
    fandom the author names, so a choice made on the page survives a change
    of fandom in the same form.
    """

    suggested: str
    tag: str
    canonical: bool
    note: str = ""
    count: int = 0  # its evidence (Suggestions.counts)


@dataclass(frozen=True)
class Offers:
    """The suggestions to offer (one per tag), and the tag of every story name."""

    characters: tuple[TagOffer, ...]
    relationships: tuple[TagOffer, ...]
    tag_of: Mapping[TagType, Mapping[str, str]]

    def names(self) -> list[str]:
        return [offer.tag for offer in (*self.characters, *self.relationships)]

    def tags_for(self, chosen: Mapping[TagType, Sequence[str]]) -> dict[TagType, list[str]]:
        """The tags of the story names the author chose, each once; unknown names are ignored."""
        return {
            tag_type: list(
                dict.fromkeys(tags[name] for name in chosen.get(tag_type, ()) if name in tags)
            )
            for tag_type, tags in self.tag_of.items()
        }


def canonical_offers(suggestions: Suggestions, *, fandoms: Sequence[str]) -> Offers:
    """The engine's suggestions as the fandoms' canonical tags where they exist, each once.

    "Lexie" in a Grey's Anatomy work is offered as "Lexie Grey" when a
    wrangler made that tag canonical in the fandom (``tags.matching``).
    """
    people, pairs = match_suggestions(
        [(name, ()) for name in suggestions.characters],
        suggestions.relationships,
        fandom_canon(fandom_names=fandoms),
    )

    def once(matches: list[Match]) -> tuple[TagOffer, ...]:
        offers: dict[str, TagOffer] = {}
        for m in matches:
            offer = TagOffer(
                m.suggested, m.tag, m.canonical, m.note, suggestions.counts.get(m.suggested, 0)
            )
            offers.setdefault(m.tag.casefold(), offer)
        return tuple(offers.values())

    return Offers(
        once(people),
        once(pairs),
        tag_of={
            TagType.CHARACTER: {m.suggested: m.tag for m in people},
            TagType.RELATIONSHIP: {m.suggested: m.tag for m in pairs},
        },
    )


def analyse_parsed(parsed: ParsedWork) -> WorkAnalysis:
    """The reading engine's analysis of a parsed work, each chapter read once.

    Chapter files were already ordered and segmented by their reader
    (``parsed.segmented``): that segmentation is analysed as it stands.
    Other formats keep notes apart in their own markup, so the engine reads
    their chapter bodies afresh.
    """
    if parsed.segmented is not None:
        return analyse_segmented(parsed.segmented)
    return analyse_work([(str(n), to_plain_text(c.body)) for n, c in enumerate(parsed.chapters)])


def with_tags(
    fields: services.WorkFields, more: Mapping[TagType, Sequence[str]]
) -> services.WorkFields:
    """The work's fields with more tags of some types (accepted suggestions), each once.

    >>> fields = services.WorkFields(title="T", rating="teen", tags={TagType.CHARACTER: ["Ada"]})
    >>> with_tags(fields, {TagType.CHARACTER: ["ada", "Bo"]}).tags[TagType.CHARACTER]
    ['Ada', 'Bo']
    """
    tags = {tag_type: list(names) for tag_type, names in fields.tags.items()}
    for tag_type, names in more.items():
        have = tags.setdefault(tag_type, [])
        for name in names:
            if name.casefold() not in {h.casefold() for h in have}:
                have.append(name)
    return replace(fields, tags=tags)


@dataclass(frozen=True)
class EarlierCopy:
    """A work the author already has that this import may repeat."""

    work: Work
    same_first_chapter: bool


def _words(html: str) -> str:
    return " ".join(to_plain_text(html).split())


def earlier_copies(*, owner_id: int, parsed: ParsedWork) -> list[EarlierCopy]:
    """The author's works with the imported work's title, and whether each begins the same.

    Importing a work twice makes two copies; the preview warns and lets the
    author go on. "The same" means the first chapter's story, as it would be
    stored, is in the earlier work's first chapter (whose notes may have been
    put back into its text).
    """
    title = single_line(parsed.title)
    if not title:
        return []
    story = _words(to_safe_html(multiline(parsed.chapters[0].body))) if parsed.chapters else ""
    return [
        EarlierCopy(work=work, same_first_chapter=bool(story) and story in _words(first_chapter))
        for work, first_chapter in selectors.works_titled(owner_id=owner_id, title=title)
    ]


def notes_into_story(chapter: ParsedChapter) -> ParsedChapter:
    """Undo the engine's note detection: everything it moved out goes back in the text."""
    body = "\n".join(part for part in (chapter.notes, chapter.body, chapter.end_notes) if part)
    return replace(chapter, body=body, notes="", end_notes="")


def work_fields_for(parsed: ParsedWork) -> services.WorkFields:
    return services.WorkFields(
        title=(parsed.title.strip() or "Untitled")[:255],
        rating=rating_for(parsed.rating),
        summary=parsed.summary,
        notes=parsed.notes,
        end_notes=parsed.end_notes,
        language=language_for(parsed.language or "en"),
        expected_chapters=parsed.expected_chapters,
        is_complete=bool(parsed.complete),
        tags=tags_for(parsed),
    )


def import_work(
    *,
    parsed: ParsedWork,
    owner: User,
    post: bool,
    name: str = "",
    fields: services.WorkFields | None = None,
) -> Work:
    """Create a work from a parsed file, all of it or nothing.

    The work is as the file describes it, or as ``fields`` say when given.

    Raises ``OverLimitsError`` naming the file (``name``) before creating
    anything when the work is over the archive's limits.
    """
    check_limits(parsed, name=name or parsed.source or parsed.title)
    return create_imported_work(
        owner=owner,
        fields=fields or work_fields_for(parsed),
        chapters=parsed.chapters,
        post=post,
        series=parsed.series,
        published=parsed.published,
        updated=parsed.updated,
    )


@transaction.atomic
def create_imported_work(
    *,
    owner: User,
    fields: services.WorkFields,
    chapters: Sequence[ParsedChapter],
    post: bool,
    series: Sequence[SeriesRef] = (),
    published: date | None = None,
    updated: date | None = None,
) -> Work:
    """Create the work, its chapters and series places in one transaction."""
    if not chapters:
        raise ValueError("the file has no chapters")
    work = services.create_work_with_chapters(
        owner=owner, fields=fields, chapters=[_chapter_fields(c) for c in chapters], post=post
    )
    for ref in series:
        place = Series.objects.filter(owner=owner, title=ref.title).first()
        place = place or services.create_series(owner=owner, title=ref.title)
        services.join_series(work=work, by=owner, series=place, position=ref.position or None)
    _keep_original_dates(work, published, updated)
    return work


def _keep_original_dates(work: Work, published: date | None, updated: date | None) -> None:
    """A work moved from another archive keeps the dates it was published there."""
    if work.is_draft or published is None:
        return
    work.published_at = datetime.combine(published, time(12), tzinfo=UTC)
    work.updated_at = datetime.combine(updated or published, time(12), tzinfo=UTC)
    work.save(update_fields=["published_at", "updated_at"])
