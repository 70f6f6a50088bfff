"""The reading engine: raw chapter text in, typed analysis out. No Django.

The stages run in this order, one module each:

``normalise`` (bytes to text, paragraphs) -> ``segment`` (notes,
disclaimers, headers vs story; scene breaks) -> ``ordering`` (story order
of the chapters) -> ``characters`` (mentions and alias clusters over the
whole work) -> ``dialogue`` (quotations) -> ``attribution`` (speakers) ->
``relations`` (who interacts with whom, and how).

Later stages read only the story: notes never add characters or quotes.

>>> work = analyse_work([("ch2.txt", 'Chapter 2\\n\\n"Hi," Anna said.'),
...                      ("ch1.txt", 'Chapter 1\\n\\n"Hello," Bob said to Anna.')])
>>> [chapter.name for chapter in work.chapters]
['ch1.txt', 'ch2.txt']

The first two stages (ordering and segmenting) are what a reader of chapter
files needs to cut notes from story; ``segment_work`` runs just those, and
``analyse_segmented`` runs the rest on what it made, so a work read for
import is segmented once and analysed once (``analyse_work`` is the two
together):

>>> segmented = segment_work([("ch1.txt", 'A/N: hi!\\n\\n"Hello," Bob said to Anna.')])
>>> [segment.kind for segment in segmented.chapters[0].segmentation.segments]
['author_note', 'story']
>>> analyse_segmented(segmented).chapters[0].segmentation is segmented.chapters[0].segmentation
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from fanfold.text.attribution import Attribution, attribute_speakers
from fanfold.text.characters import Cast, find_characters
from fanfold.text.dialogue import find_quotes
from fanfold.text.ordering import ChapterOrder, order_chapters
from fanfold.text.relations import Relation, find_relations, relationship_tags
from fanfold.text.segment import Segmentation, segment_chapter

__all__ = [
    "ChapterAnalysis",
    "SegmentedChapter",
    "SegmentedWork",
    "WorkAnalysis",
    "analyse_chapter",
    "analyse_in_order",
    "analyse_segmented",
    "analyse_work",
    "segment_work",
]

# A character becomes a suggested tag with this share of all mentions (and
# at least a few mentions), so a name dropped once is not a tag; and with at
# least this share of the lead's mentions, since authors tag the cast a work is
# about, not everyone it names (a chapter of 2,000 words names a dozen people).
_CHARACTER_TAG_SHARE = 0.03
_CHARACTER_TAG_LEAD_SHARE = 0.2
_CHARACTER_TAG_MIN_MENTIONS = 3
_MAX_CHARACTER_TAGS = 12


@dataclass(frozen=True, slots=True)
class SegmentedChapter:
    """One chapter cut into notes and story. ``text`` is the string segmented, not a copy."""

    name: str
    text: str
    segmentation: Segmentation


@dataclass(frozen=True, slots=True)
class SegmentedWork:
    """A work's chapters in story order, each segmented, and why that order."""

    chapters: tuple[SegmentedChapter, ...]
    order: ChapterOrder


@dataclass(frozen=True, slots=True)
class ChapterAnalysis:
    """One chapter as the engine read it. ``text`` is the string analysed, not a copy."""

    name: str
    text: str
    segmentation: Segmentation
    attributions: tuple[Attribution, ...]


@dataclass(frozen=True, slots=True)
class WorkAnalysis:
    """A whole work: chapters in story order, one cast, relations and suggested tags."""

    chapters: tuple[ChapterAnalysis, ...]
    order: ChapterOrder
    cast: Cast
    relations: tuple[Relation, ...]
    character_tags: tuple[str, ...]
    relationship_tags: tuple[str, ...]


def analyse_work(
    chapters: Sequence[tuple[str, str]], *, known: Mapping[str, Sequence[str]] | None = None
) -> WorkAnalysis:
    """Analyse ``(name, text)`` chapters of one work, given in any order.

    ``known`` is a cast the archive already knows (canonical name ->
    aliases); mentions then map onto exactly those characters.
    """
    return analyse_segmented(segment_work(chapters), known=known)


def segment_work(chapters: Sequence[tuple[str, str]]) -> SegmentedWork:
    """Put ``(name, text)`` chapters in story order and segment each one, once."""
    order = order_chapters(chapters)
    return SegmentedWork(
        chapters=tuple(
            SegmentedChapter(name, text, segment_chapter(text))
            for name, text in (chapters[index] for index in order.order)
        ),
        order=order,
    )


def analyse_segmented(
    work: SegmentedWork, *, known: Mapping[str, Sequence[str]] | None = None
) -> WorkAnalysis:
    """The rest of the pipeline over a work already segmented: its segmentations are reused.

    Characters, quotes, speakers and relations are read from each chapter's
    story only; ``known`` is as for ``analyse_work``.
    """
    texts = [chapter.text for chapter in work.chapters]
    regions = [chapter.segmentation.story_spans() for chapter in work.chapters]
    cast = find_characters(texts, regions=regions, known=known)
    analysed = []
    for doc, chapter in enumerate(work.chapters):
        quotes = find_quotes(chapter.text, regions[doc])
        attributions = attribute_speakers(chapter.text, quotes, cast, doc=doc)
        analysed.append(
            ChapterAnalysis(chapter.name, chapter.text, chapter.segmentation, attributions)
        )
    speakers = [[(a.quote.span, a.speaker) for a in chapter.attributions] for chapter in analysed]
    relations = find_relations(texts, cast, speakers=speakers)
    character_tags = _character_tags(cast, texts)
    return WorkAnalysis(
        chapters=tuple(analysed),
        order=work.order,
        cast=cast,
        relations=relations,
        character_tags=character_tags,
        relationship_tags=relationship_tags(relations, cast, among=set(character_tags)),
    )


def analyse_in_order(
    chapters: Sequence[tuple[str, str]], *, known: Mapping[str, Sequence[str]] | None = None
) -> WorkAnalysis:
    """Analyse ``(name, text)`` chapters already in story order, as an archive holds them.

    The ordering stage is skipped: an author who placed the chapters decided.

    >>> work = analyse_in_order([("b", '"Hi," Anna said.'), ("a", '"Hello," Bob said.')])
    >>> [chapter.name for chapter in work.chapters], work.order.cues
    (['b', 'a'], ('in the order given',))
    """
    order = ChapterOrder(tuple(range(len(chapters))), 1.0, ("in the order given",))
    segmented = SegmentedWork(
        chapters=tuple(
            SegmentedChapter(name, text, segment_chapter(text)) for name, text in chapters
        ),
        order=order,
    )
    return analyse_segmented(segmented, known=known)


def analyse_chapter(
    text: str, *, name: str = "chapter", known: Mapping[str, Sequence[str]] | None = None
) -> WorkAnalysis:
    """Analyse one chapter on its own: a work of one chapter."""
    return analyse_work([(name, text)], known=known)


def _character_tags(cast: Cast, texts: Sequence[str] = ()) -> tuple[str, ...]:
    """The characters to suggest as tags: the work's cast, most mentioned first.

    Not a one-word name the text mostly says with "the" before it ("the
    Hokage", "the Wraith"): a title or a kind of being, which authors do
    not tag as a character.

    >>> from fanfold.text.characters import Character
    >>> lead, friend, passer_by = (Character(n, (n,), None, m) for n, m in
    ...                            [("Ada", 50), ("Bo", 12), ("Cy", 6)])
    >>> _character_tags(Cast((lead, friend, passer_by), ()))
    ('Ada', 'Bo')
    """
    total = sum(character.mentions for character in cast.characters) or 1
    lead = cast.characters[0].mentions if cast.characters else 0
    return tuple(
        character.name
        for index, character in enumerate(cast.characters[:_MAX_CHARACTER_TAGS])
        if character.mentions >= _CHARACTER_TAG_MIN_MENTIONS
        and character.mentions / total >= _CHARACTER_TAG_SHARE
        and character.mentions >= _CHARACTER_TAG_LEAD_SHARE * lead
        and not _mostly_after_the(cast, index, texts)
    )


def _mostly_after_the(cast: Cast, index: int, texts: Sequence[str]) -> bool:
    """Whether a one-word character is named with "the" before it in most of its mentions."""
    if " " in cast.characters[index].name or not texts:
        return False
    seen = after_the = 0
    for doc, mentions in enumerate(cast.mentions[: len(texts)]):
        text = texts[doc]
        for mention in mentions:
            if mention.character == index:
                seen += 1
                after_the += (
                    text[max(0, mention.span.start - 4) : mention.span.start].lower() == "the "
                )
    return seen > 0 and after_the * 2 > seen
