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

__all__ = ["ChapterAnalysis", "WorkAnalysis", "analyse_chapter", "analyse_work"]

# A character becomes a suggested tag with this share of all mentions (and
# at least a few mentions), so a name dropped once is not a tag.
_CHARACTER_TAG_SHARE = 0.03
_CHARACTER_TAG_MIN_MENTIONS = 3
_MAX_CHARACTER_TAGS = 12


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

    def speaker_name(self, attribution: Attribution) -> str | None:
        if attribution.speaker is None:
            return None
        return self.cast.characters[attribution.speaker].name


def analyse_work(
    chapters: Sequence[tuple[str, str]], *, known: Mapping[str, Sequence[str]] | None = None
) -> WorkAnalysis:
    """Analyse ``(name, text)`` chapters of one work, given in any order.

    ``known`` is a cast the archive already knows (canonical name ->
    aliases); mentions then map onto exactly those characters.
    """
    order = order_chapters(chapters)
    ordered = [chapters[i] for i in order.order]
    segmentations = [segment_chapter(text) for _, text in ordered]
    texts = [text for _, text in ordered]
    regions = [segmentation.story_spans() for segmentation in segmentations]
    cast = find_characters(texts, regions=regions, known=known)
    analysed = []
    for doc, ((name, text), segmentation) in enumerate(zip(ordered, segmentations, strict=True)):
        quotes = find_quotes(text, segmentation.story_spans())
        attributions = attribute_speakers(text, quotes, cast, doc=doc)
        analysed.append(ChapterAnalysis(name, text, segmentation, attributions))
    speakers = [[(a.quote.span, a.speaker) for a in chapter.attributions] for chapter in analysed]
    relations = find_relations(texts, cast, speakers=speakers)
    return WorkAnalysis(
        chapters=tuple(analysed),
        order=order,
        cast=cast,
        relations=relations,
        character_tags=_character_tags(cast),
        relationship_tags=relationship_tags(relations, cast),
    )


def analyse_chapter(
    text: str, *, name: str = "chapter", known: Mapping[str, Sequence[str]] | None = None
) -> WorkAnalysis:
    """Analyse one chapter on its own: a work of one chapter."""
    return analyse_work([(name, text)], known=known)


def _character_tags(cast: Cast) -> tuple[str, ...]:
    total = sum(character.mentions for character in cast.characters) or 1
    return tuple(
        character.name
        for character in cast.characters[:_MAX_CHARACTER_TAGS]
        if character.mentions >= _CHARACTER_TAG_MIN_MENTIONS
        and character.mentions / total >= _CHARACTER_TAG_SHARE
    )
