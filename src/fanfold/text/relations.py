"""Stage ``relations``: who interacts with whom, and how.

Two characters interact when they are named in the same paragraph or one
speaks in a conversation the other takes part in. Each interaction looks
at the words around it for the kind of bond:

- romantic: love, kiss, date, boyfriend, girlfriend, married, bed ...
- family: daughter, son, father, mom, sister, brother, uncle ...
- conflict: hate, yell, punch, fight, furious, slap ...
- friendship: best friend, friend, hugged, laughed together, and plain
  frequent interaction when nothing else is said.

The kind with the most weight wins; the score says how much evidence
there is. Relationship tags follow AO3's style: "A/B" for romance, "A & B"
for everything else, the more prominent character first.

>>> from fanfold.text.characters import find_characters
>>> text = "Mark kissed Lexie. Lexie said she loved Mark. Mark and Lexie went home."
>>> cast = find_characters([text])
>>> relationship_tags(find_relations([text], cast), cast, min_score=0.1)
('Mark/Lexie',)
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Literal

from fanfold.text.caseless import folded
from fanfold.text.characters import Cast, Mention
from fanfold.text.normalise import paragraphs
from fanfold.text.spans import Span

RelationKind = Literal["romantic", "family", "friendship", "conflict"]


def _words(words: str, *phrases: str) -> frozenset[str]:
    return frozenset([*words.split(), *phrases])


# The words of each kind, in lower case; a phrase ("best friend") is its words
# with only whitespace between them. Case is compared as re.IGNORECASE does.
KIND_WORDS: dict[RelationKind, frozenset[str]] = {
    "romantic": _words(
        """love loved loves loving lover lovers kiss kissed kisses kissing date dated dating
        boyfriend girlfriend husband wife married marry wedding engaged fiance fiancé fiancee
        fiancée bed naked heart darling sweetheart romantic flirt flirted flirting cheat cheated
        cheating blush blushed caress caressed embrace embraced lips necklace forgive""",
        "slept with",
    ),
    "family": _words(
        """daughter son father mother dad mom mum papa mama sister brother sibling uncle aunt
        niece nephew cousin grandma grandpa grandmother grandfather granddaughter grandson
        parent parents family baby child"""
    ),
    "conflict": _words(
        """hate hates hated hating yell yelled yelling shout shouted shouting punch punched slap
        slapped fight fought furious angry angrily glare glares glared enemy enemies rival
        betray betrayed scream screamed threat threaten threatened kill damn"""
    ),
    "friendship": _words(
        """friend friends buddy pal mate hug hugged hugs laugh laughed laughing together help
        helped trust trusted promise promises promised""",
        "best friend",
    ),
}


def _index_words(
    kinds: dict[RelationKind, frozenset[str]],
) -> tuple[dict[str, RelationKind], dict[tuple[str, str], RelationKind]]:
    """Word -> kind and (first, second) -> kind, for one pass over a paragraph's words.

    One pass finds every kind's words only if no word has two kinds and no
    phrase starts with a word that counts on its own; both are checked here.
    """
    words: dict[str, RelationKind] = {}
    phrases: dict[tuple[str, str], RelationKind] = {}
    for kind, entries in kinds.items():
        for entry in entries:
            first, _, second = entry.partition(" ")
            if entry in words or (first, second) in phrases:
                raise ValueError(f"{entry!r} is a word of two kinds")
            if second:
                phrases[(first, second)] = kind
            else:
                words[entry] = kind
    if any(first in words for first, _ in phrases):
        raise ValueError("a phrase starts with a word that counts on its own")
    return words, phrases


_KIND_OF_WORD, _KIND_OF_PHRASE = _index_words(KIND_WORDS)
_PHRASE_STARTS = frozenset(first for first, _ in _KIND_OF_PHRASE)
_WORD_RUNS = re.compile(r"(\w+)")  # split on it: gap, word, gap, word, ..., gap

# Family words also fill romances ("the baby"); they must outweigh the rest clearly.
_KIND_WEIGHT: dict[RelationKind, float] = {
    "romantic": 1.0,
    "family": 0.8,
    "conflict": 0.7,
    "friendship": 0.5,
}
# "her father", "Mark's daughter": a kin word owned by someone names a bond outright.
_KINSHIP = re.compile(
    r"\b(?:[Hh]is|[Hh]er|[Tt]heir|[Mm]y|[Yy]our|[A-Z][a-z]+['’]s)\s+(?:own\s+|little\s+|big\s+)?"
    r"(?:daughter|son|father|mother|dad|mom|mum|sister|brother|uncle|aunt|niece|nephew|cousin"
    r"|grandmother|grandfather|grandma|grandpa|granddaughter|grandson|twin|parents?)\b"
)
_KINSHIP_WEIGHT = 3.0
_NAME_AFTER = re.compile(r",?\s+")
_DISTANT = 0.25  # a kind word's weight for a pair it shares a paragraph, not a sentence, with
_SENTENCE_END = re.compile(r"[.!?…]+[\"'’”)\]]*(?=\s|$)")
_SATURATION = 6.0  # evidence at which the score is one half
_MAX_TAGS = 2
# A paragraph naming more characters than this is a list (guests, a roll call),
# not a scene: its hundreds of pairs say nothing about any one of them, and
# counting them would make time grow with the square of the paragraph's cast.
# The PDNC novels' most crowded paragraph names 26.
_MAX_PRESENT = 30


@dataclass(frozen=True, slots=True)
class Relation:
    """A bond between two characters (indices into the cast), its kind and evidence."""

    a: int
    b: int
    kind: RelationKind
    score: float
    interactions: int
    cue: str


def find_relations(
    texts: Sequence[str],
    cast: Cast,
    *,
    speakers: Sequence[Sequence[tuple[Span, int | None]]] | None = None,
) -> tuple[Relation, ...]:
    """Relations between the cast's characters, strongest first."""
    weights: defaultdict[tuple[int, int], defaultdict[RelationKind, float]] = defaultdict(
        lambda: defaultdict(float)
    )
    cues: defaultdict[tuple[int, int], defaultdict[RelationKind, list[str]]] = defaultdict(
        lambda: defaultdict(list)
    )
    counts: defaultdict[tuple[int, int], int] = defaultdict(int)
    spoke: defaultdict[int, int] = defaultdict(int)
    narrated: defaultdict[int, int] = defaultdict(int)
    for doc, text in enumerate(texts):
        mentions = cast.mentions[doc] if doc < len(cast.mentions) else ()
        spoken = speakers[doc] if speakers is not None and doc < len(speakers) else ()
        for _, speaker in spoken:
            if speaker is not None:
                spoke[speaker] += 1
        quoted = sorted(span for span, _ in spoken)
        starts = [span.start for span in quoted]
        for mention in mentions:
            # Named by the narration, not by other characters: the story's focus.
            index = bisect_right(starts, mention.span.start) - 1
            if index < 0 or mention.span.start >= quoted[index].end:
                narrated[mention.character] += 1
        for paragraph, located in _paragraph_casts(text, mentions, spoken):
            present = {character for _, character in located}
            hits = _kind_hits(paragraph.of(text), paragraph.start)
            close = (
                _sentence_evidence(text, paragraph, located, hits, weights, cues) if hits else set()
            )
            kinds = _tally(text, hits)
            # Words in a crowded paragraph say less about any one pair in it, and
            # words outside the sentence that names both say less than inside it.
            share = _DISTANT / (len(present) - 1)
            for pair in combinations(sorted(present), 2):
                counts[pair] += 1
                if pair in close:
                    continue
                for kind, (count, first) in kinds.items():
                    weights[pair][kind] += _KIND_WEIGHT[kind] * count * share
                    cues[pair][kind].append(first)
    prominence = {i: narrated[i] + spoke[i] for i in range(len(cast.characters))}
    relations = [
        _relation(pair, counts[pair], weights[pair], cues[pair], prominence) for pair in counts
    ]
    return tuple(sorted(relations, key=lambda r: -r.score))


def _sentence_evidence(
    text: str,
    paragraph: Span,
    located: list[tuple[int, int]],
    hits: list[tuple[int, RelationKind, int]],
    weights: defaultdict[tuple[int, int], defaultdict[RelationKind, float]],
    cues: defaultdict[tuple[int, int], defaultdict[RelationKind, list[str]]],
) -> set[tuple[int, int]]:
    """Kind words of each sentence naming two characters, weighed in full for them.

    "Mark kissed Lexie" says more about Mark and Lexie than a "love" three
    sentences away from one of them. Returns the pairs a sentence named together.
    """
    close: set[tuple[int, int]] = set()
    for sentence in _sentences(text, paragraph):
        inside = {c for offset, c in located if sentence.start <= offset < sentence.end}
        if len(inside) < 2:
            continue
        kinds = _tally(text, [hit for hit in hits if sentence.start <= hit[0] < sentence.end])
        kin = _kin_named(text, sentence, located)
        for pair in combinations(sorted(inside), 2):
            close.add(pair)
            for kind, (count, first) in kinds.items():
                weights[pair][kind] += _KIND_WEIGHT[kind] * count
                cues[pair][kind].append(first)
            for phrase, who in kin:  # "her father, Tom": kin, whatever else is said
                if who in pair:
                    weights[pair]["family"] += _KINSHIP_WEIGHT
                    cues[pair]["family"].append(phrase)
    return close


def _kin_named(text: str, sentence: Span, located: list[tuple[int, int]]) -> list[tuple[str, int]]:
    """Kin words tied to a named character: "Tom's daughter", "her father, Tom".

    Each with the character it is tied to (the owner named before it, or the
    one named right after it); a kin word tied to no one counts for nobody.
    """
    at = dict(located)
    found = []
    for match in _KINSHIP.finditer(text, sentence.start, sentence.end):
        owner = at.get(match.start())
        after = _NAME_AFTER.match(text, match.end())
        named = at.get(after.end()) if after else None
        for who in (owner, named):
            if who is not None:
                found.append((match.group().lower(), who))
    return found


def _sentences(text: str, paragraph: Span) -> list[Span]:
    """The paragraph cut after each sentence's end mark (and its closing quotes)."""
    spans = []
    start = paragraph.start
    for end in _SENTENCE_END.finditer(text, paragraph.start, paragraph.end):
        spans.append(Span(start, end.end()))
        start = end.end()
    if start < paragraph.end:
        spans.append(Span(start, paragraph.end))
    return spans


def _kind_hits(chunk: str, offset: int) -> list[tuple[int, RelationKind, int]]:
    """Every kind word of a paragraph: (offset in the text, kind, its length).

    Read once per paragraph (its sentences take their share of the hits),
    in one pass over the paragraph's words for all kinds.
    """
    hits: list[tuple[int, RelationKind, int]] = []
    # Gap, word, gap, word, ..., gap; a phrase takes a word, a gap and a word.
    pieces = _WORD_RUNS.split(folded(chunk))  # offsets are the chunk's
    position = len(pieces[0])
    index = 1
    while index < len(pieces):
        word, end, step = pieces[index], position + len(pieces[index]), 2
        kind = _KIND_OF_WORD.get(word)
        if kind is None and word in _PHRASE_STARTS and index + 2 < len(pieces):
            gap, second = pieces[index + 1], pieces[index + 2]
            kind = _KIND_OF_PHRASE.get((word, second)) if gap.isspace() else None
            if kind is not None:
                end, step = end + len(gap) + len(second), 4
        if kind is not None:
            hits.append((offset + position, kind, end - position))
        position = end + len(pieces[index + step - 1])
        index += step
    return hits


def _tally(
    text: str, hits: list[tuple[int, RelationKind, int]]
) -> dict[RelationKind, tuple[int, str]]:
    """Per kind among the hits: how many (at most 3) and the first, in KIND_WORDS order."""
    found: dict[RelationKind, tuple[int, str]] = {}
    for start, kind, length in hits:
        if kind in found:
            count, first = found[kind]
            found[kind] = (min(count + 1, 3), first)
        else:
            found[kind] = (1, text[start : start + length].lower())
    return {kind: found[kind] for kind in KIND_WORDS if kind in found}


def _paragraph_casts(
    text: str, mentions: Sequence[Mention], spoken: Sequence[tuple[Span, int | None]]
) -> list[tuple[Span, list[tuple[int, int]]]]:
    """Each paragraph where two or more characters (not a crowd) are named or speak.

    With it, where each of them is named or starts speaking: (offset, character).
    """
    spans = list(paragraphs(text))
    starts = [p.start for p in spans]
    located: list[list[tuple[int, int]]] = [[] for _ in spans]
    places = [(m.span.start, m.character) for m in mentions]
    places += [(span.start, speaker) for span, speaker in spoken if speaker is not None]
    for offset, character in places:
        index = _paragraph_at(starts, offset)
        if index is not None and spans[index].start <= offset <= spans[index].end:
            located[index].append((offset, character))
    return [
        (spans[i], located[i])
        for i in range(len(spans))
        if 2 <= len({c for _, c in located[i]}) <= _MAX_PRESENT
    ]


def _paragraph_at(starts: list[int], offset: int) -> int | None:
    index = bisect_right(starts, offset) - 1
    return index if index >= 0 else None


def _relation(
    pair: tuple[int, int],
    interactions: int,
    weights: dict[RelationKind, float],
    cues: dict[RelationKind, list[str]],
    prominence: dict[int, int],
) -> Relation:
    """The pair's relation; ``a`` is the more prominent (named and speaking more)."""
    first, second = sorted(pair, key=lambda i: -prominence[i])
    if weights:
        kind = max(weights, key=lambda k: weights[k])
        if kind == "family" and weights.get("romantic", 0) >= weights[kind] * 0.8:
            kind = "romantic"
    else:
        kind = "friendship"
    evidence = weights.get(kind, 0.0) + 0.5 * interactions
    score = evidence / (evidence + _SATURATION)
    words = sorted(set(cues.get(kind, [])))[:3]
    cue = f"{interactions} shared paragraphs" + (f"; {', '.join(words)}" if words else "")
    return Relation(first, second, kind, round(score, 3), interactions, cue)


def relationship_tags(
    relations: Sequence[Relation],
    cast: Cast,
    *,
    min_score: float = 0.4,
    among: Collection[str] | None = None,
) -> tuple[str, ...]:
    """AO3-style tags: "A/B" for a romance, "A & B" otherwise, strongest first.

    A character is in at most one romantic tag (their strongest): a story
    about a couple mentions the ex without pairing everyone with everyone.
    With ``among`` (the characters suggested as tags), both of a pair must
    be among them: a relationship worth tagging is between people worth
    tagging. At most two tags: authors tag one or two relationships a work.
    """
    tags = []
    paired: set[int] = set()
    for relation in relations:
        if relation.score < min_score:
            continue
        a, b = cast.characters[relation.a].name, cast.characters[relation.b].name
        if among is not None and (a not in among or b not in among):
            continue
        if relation.kind == "romantic":
            if relation.a in paired or relation.b in paired:
                continue
            paired.update((relation.a, relation.b))
            tags.append(f"{a}/{b}")
        else:
            tags.append(f"{a} & {b}")
    return tuple(tags[:_MAX_TAGS])
