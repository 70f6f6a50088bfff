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
from collections.abc import Sequence
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
_SATURATION = 6.0  # evidence at which the score is one half
_MAX_TAGS = 5
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
        for paragraph, present in _paragraph_casts(text, mentions, spoken):
            kinds = _kind_words(paragraph.of(text))
            # Words in a crowded paragraph say less about any one pair in it.
            share = 1.0 / (len(present) - 1)
            for pair in combinations(sorted(present), 2):
                counts[pair] += 1
                for kind, (count, first) in kinds.items():
                    weights[pair][kind] += _KIND_WEIGHT[kind] * count * share
                    cues[pair][kind].append(first)
    prominence = {i: narrated[i] + spoke[i] for i in range(len(cast.characters))}
    relations = [
        _relation(pair, counts[pair], weights[pair], cues[pair], prominence) for pair in counts
    ]
    return tuple(sorted(relations, key=lambda r: -r.score))


def _kind_words(chunk: str) -> dict[RelationKind, tuple[int, str]]:
    """Per kind found in a paragraph: how many of its words (at most 3) and the first.

    Read once per paragraph, not once per pair in it, and in one pass over the
    paragraph's words for all kinds.
    """
    found: dict[RelationKind, tuple[int, str]] = {}
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
            count, first = found.get(kind, (0, chunk[position:end].lower()))
            found[kind] = (min(count + 1, 3), first)
        position = end + len(pieces[index + step - 1])
        index += step
    return {kind: found[kind] for kind in KIND_WORDS if kind in found}  # in KIND_WORDS order


def _paragraph_casts(
    text: str, mentions: Sequence[Mention], spoken: Sequence[tuple[Span, int | None]]
) -> list[tuple[Span, set[int]]]:
    """Each paragraph where two or more characters (not a crowd) are named or speak."""
    spans = list(paragraphs(text))
    starts = [p.start for p in spans]
    present: list[set[int]] = [set() for _ in spans]
    located = [(m.span.start, m.character) for m in mentions]
    located += [(span.start, speaker) for span, speaker in spoken if speaker is not None]
    for offset, character in located:
        index = _paragraph_at(starts, offset)
        if index is not None and spans[index].start <= offset <= spans[index].end:
            present[index].add(character)
    return [
        (spans[i], present[i]) for i in range(len(spans)) if 2 <= len(present[i]) <= _MAX_PRESENT
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
    relations: Sequence[Relation], cast: Cast, *, min_score: float = 0.4
) -> tuple[str, ...]:
    """AO3-style tags: "A/B" for a romance, "A & B" otherwise, strongest first.

    A character is in at most one romantic tag (their strongest): a story
    about a couple mentions the ex without pairing everyone with everyone.
    """
    tags = []
    paired: set[int] = set()
    for relation in relations:
        if relation.score < min_score:
            continue
        a, b = cast.characters[relation.a].name, cast.characters[relation.b].name
        if relation.kind == "romantic":
            if relation.a in paired or relation.b in paired:
                continue
            paired.update((relation.a, relation.b))
            tags.append(f"{a}/{b}")
        else:
            tags.append(f"{a} & {b}")
    return tuple(tags[:_MAX_TAGS])
