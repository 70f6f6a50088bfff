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

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Literal

from fanfold.text.caseless import Caseless
from fanfold.text.characters import Cast, Mention
from fanfold.text.normalise import paragraphs
from fanfold.text.spans import Span

RelationKind = Literal["romantic", "family", "friendship", "conflict"]

KIND_WORDS: dict[RelationKind, Caseless] = {
    "romantic": Caseless(
        r"\b(?:lov(?:e|ed|es|ing|er|ers)|kiss(?:ed|es|ing)?|dat(?:e|ed|ing)|boyfriend|girlfriend"
        r"|husband|wife|married|marry|wedding|engaged|fianc[ée]e?|bed|naked|heart|darling"
        r"|sweetheart|romantic|flirt(?:ed|ing)?|cheat(?:ed|ing)?|slept\s+with|blush(?:ed)?"
        r"|caress(?:ed)?|embrace[d]?|lips|necklace|forgive)\b"
    ),
    "family": Caseless(
        r"\b(?:daughter|son|father|mother|dad|mom|mum|papa|mama|sister|brother|sibling"
        r"|uncle|aunt|niece|nephew|cousin|grand(?:ma|pa|mother|father|daughter|son)|parents?"
        r"|family|baby|child)\b"
    ),
    "conflict": Caseless(
        r"\b(?:hate[sd]?|hating|yell(?:ed|ing)?|shout(?:ed|ing)?|punch(?:ed)?|slap(?:ped)?"
        r"|fight|fought|furious|angr(?:y|ily)|glare[sd]?|enem(?:y|ies)|rival|betray(?:ed)?"
        r"|scream(?:ed)?|threat(?:en|ened)?|kill|damn)\b"
    ),
    "friendship": Caseless(
        r"\b(?:friends?|best\s+friend|buddy|pal|mate|hug(?:ged|s)?|laugh(?:ed|ing)?|together"
        r"|help(?:ed)?|trust(?:ed)?|promise[sd]?)\b"
    ),
}
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

    Read once per paragraph, not once per pair in it: a crowded paragraph
    would otherwise be scanned again for every pair of its characters.
    """
    kinds: dict[RelationKind, tuple[int, str]] = {}
    for kind, pattern in KIND_WORDS.items():
        found = pattern.findall(chunk, limit=3)
        if found:
            kinds[kind] = (len(found), found[0].lower())
    return kinds


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
