"""Stage ``relations``: who interacts with whom, and how.

Two characters interact when they are named in the same paragraph or one
speaks in a conversation the other takes part in. The kind of bond comes
from evidence about the two of them, strongest first:

- a bond word one owns that names the other: "her father, Tom", "Lexie's
  boyfriend", "his best friend Derek" (family, romantic, friendship);
- what one says to the other about the two of them: "I love you", "marry
  me", "you're my best friend", "I hate you" (the listener is the name the
  speech calls out, or the other side of the exchange);
- a shared family name: "Mark Sloan" and "Sloan" (kin, unless the text
  shows a romance);
- kind words in a sentence naming both ("Mark kissed Lexie"), and, worth
  far less, anywhere in a paragraph they share: romantic (love, kiss ...),
  family (daughter, mom ...), conflict (hate, punch ...), friendship
  (friend, buddy; hugs and laughs only a little, since couples share them).

Words inside a quotation belong to its speaker and listener, never to a
third person the speech mentions; a romance read only from a shared
paragraph gives way when either of the two has a romance shown between
them and someone else. With no evidence, the bond is friendship. The score
says how much evidence there is. Relationship tags follow AO3's style:
"A/B" for romance, "A & B" for everything else, the more prominent first.

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
from dataclasses import dataclass, field
from itertools import combinations
from typing import Literal

from fanfold.text.caseless import folded
from fanfold.text.characters import Cast, Character, Mention
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
# Friendly acts any couple or family shares: a little warmth, not a sign the bond is
# platonic. "friend", "buddy" and the like are the friendship words that name one.
_WARM = frozenset(
    "hug hugged hugs laugh laughed laughing together help helped trust trusted promise promises"
    " promised".split()
)
_WARM_SHARE = 0.3
_PHRASE_STARTS = frozenset(first for first, _ in _KIND_OF_PHRASE)
_WORD_RUNS = re.compile(r"(\w+)")  # split on it: gap, word, gap, word, ..., gap

# Family words also fill romances ("the baby") and talk of anyone's family ("my dad"):
# unowned, they must outweigh the rest clearly.
_KIND_WEIGHT: dict[RelationKind, float] = {
    "romantic": 1.0,
    "family": 0.5,
    "conflict": 0.7,
    "friendship": 0.5,
}
# "her father", "Mark's daughter", "his girlfriend, Lexie", "Tom's best friend": a bond
# word someone owns names the bond outright, whatever else the paragraph says.
_KIN_WORDS = (
    "daughter|son|father|mother|dad|mom|mum|sister|brother|uncle|aunt|niece|nephew|cousin"
    "|grandmother|grandfather|grandma|grandpa|granddaughter|grandson|twin|parents?"
)
_PARTNER_WORDS = "boyfriend|girlfriend|husband|wife|fianc[eé]e?|lover|spouse"
_FRIEND_WORDS = "best\\s+friend|friend|buddy"
_BOND = re.compile(
    r"\b(?:[Hh]is|[Hh]er|[Tt]heir|[Mm]y|[Yy]our|[A-Z][a-z]+['’]s)\s+(?:own\s+|little\s+|big\s+|new\s+)?"
    rf"(?:(?P<family>{_KIN_WORDS})|(?P<romantic>{_PARTNER_WORDS})|(?P<friendship>{_FRIEND_WORDS}))\b"
)
# Said to someone, about the two of them: "I love you", "marry me", "darling", "I hate
# you", "you're my best friend", "I am your father". Not "my dad", "your mother" or
# "I'd love some tea", which are about someone or something else.
_SAID_TO_THE_LISTENER = re.compile(
    r"\b(?:(?P<love>(?:love|loved|adore|kiss|marry)\s+(?:you|me)|darling|sweetheart"
    r"|my\s+love)"
    r"|(?P<hate>hate\s+you)"
    r"|(?:[Yy]ou(?:['’]re|\s+are|\s+were)|I(?:['’]m|\s+am|\s+was))\s+(?:like\s+)?(?:my|your|a)\s+"
    r"(?:own\s+|little\s+|big\s+|new\s+)?"
    rf"(?:(?P<family>{_KIN_WORDS})|(?P<romantic>{_PARTNER_WORDS})|(?P<friendship>{_FRIEND_WORDS})))\b",
    re.IGNORECASE,
)
_BOND_WEIGHT = 3.0
# Two characters with one family name ("Mark Sloan" and "Sloan", his daughter;
# "Uchiha Sasuke" and "Uchiha Itachi") are kin unless the text shows a romance.
_SURNAME_WEIGHT = 2.0
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


_Weights = defaultdict[tuple[int, int], defaultdict[RelationKind, float]]
_Cues = defaultdict[tuple[int, int], defaultdict[RelationKind, list[str]]]


@dataclass
class _Evidence:
    """What is known of every pair so far: weights and cues per kind, and which are close.

    Close evidence is about the two of them: a sentence naming both, a bond
    word one owns naming the other, words said by one to the other, a family
    name. Distant evidence is a word somewhere in a paragraph they share.
    """

    weights: _Weights = field(default_factory=lambda: defaultdict(lambda: defaultdict(float)))
    cues: _Cues = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    close: defaultdict[tuple[int, int], set[RelationKind]] = field(
        default_factory=lambda: defaultdict(set)
    )

    def add(self, pair: tuple[int, int], kind: RelationKind, weight: float, cue: str) -> None:
        self.weights[pair][kind] += weight
        self.cues[pair][kind].append(cue)

    def add_close(self, pair: tuple[int, int], kind: RelationKind, weight: float, cue: str) -> None:
        self.add(pair, kind, weight, cue)
        if kind != "friendship" or cue not in _WARM:  # a shared laugh names no friendship
            self.close[pair].add(kind)


def find_relations(
    texts: Sequence[str],
    cast: Cast,
    *,
    speakers: Sequence[Sequence[tuple[Span, int | None]]] | None = None,
) -> tuple[Relation, ...]:
    """Relations between the cast's characters, strongest first.

    Words inside a quotation belong to its speaker and the one spoken to
    (named in it, or the other side of the exchange), not to everyone the
    speech mentions: "Lexie, I love you. I was awful after Sloan died" is
    about Lexie, not Sloan.
    """
    evidence = _Evidence()
    counts: defaultdict[tuple[int, int], int] = defaultdict(int)
    spoke: defaultdict[int, int] = defaultdict(int)
    narrated: defaultdict[int, int] = defaultdict(int)
    for doc, text in enumerate(texts):
        mentions = cast.mentions[doc] if doc < len(cast.mentions) else ()
        spoken = sorted(speakers[doc]) if speakers is not None and doc < len(speakers) else []
        for _, speaker in spoken:
            if speaker is not None:
                spoke[speaker] += 1
        speech = _Speech(text, spoken, mentions)
        for mention in mentions:
            if speech.at(mention.span.start) is None:  # named by the narration: the focus
                narrated[mention.character] += 1
        speech.weigh(evidence)
        for paragraph, located in _paragraph_casts(text, mentions, spoken):
            present = {character for _, character in located}
            hits = [
                hit
                for hit in _kind_hits(paragraph.of(text), paragraph.start)
                if speech.at(hit[0]) is None
            ]
            close = _sentence_evidence(text, paragraph, located, hits, evidence, speech)
            kinds = _tally(text, hits)
            # Words in a crowded paragraph say less about any one pair in it, and
            # words outside the sentence that names both say less than inside it.
            share = _DISTANT / (len(present) - 1)
            for pair in combinations(sorted(present), 2):
                counts[pair] += 1
                if pair in close:
                    continue
                for kind, (count, first) in kinds.items():
                    evidence.add(pair, kind, _KIND_WEIGHT[kind] * count * share, first)
    _family_names(cast, counts, evidence)
    prominence = {i: narrated[i] + spoke[i] for i in range(len(cast.characters))}
    romances = {pair for pair, kinds in evidence.close.items() if "romantic" in kinds}
    relations = [_relation(pair, counts[pair], evidence, prominence, romances) for pair in counts]
    return tuple(sorted(relations, key=lambda r: -r.score))


class _Speech:
    """A chapter's quotations: who says each, to whom, and the words in it.

    >>> text = '"Bo, I love you," Anna said. "I know," he said.'
    >>> cast_mentions = [Mention(Span(1, 3), 1)]
    >>> speech = _Speech(text, [(Span(0, 17), 0), (Span(29, 37), 1)], cast_mentions)
    >>> speech.addressee(0), speech.addressee(1)
    (1, 0)
    """

    def __init__(
        self,
        text: str,
        spoken: Sequence[tuple[Span, int | None]],
        mentions: Sequence[Mention],
    ) -> None:
        self.text = text
        self.spoken = spoken
        self.starts = [span.start for span, _ in spoken]
        self.mentions = mentions
        self.mention_starts = [m.span.start for m in mentions]

    def at(self, offset: int) -> int | None:
        """The index of the quotation holding this offset, if one does."""
        index = bisect_right(self.starts, offset) - 1
        if index >= 0 and offset < self.spoken[index][0].end:
            return index
        return None

    def addressee(self, index: int) -> int | None:
        """Whom quotation ``index`` is said to: a name called in it, else the other side."""
        span, speaker = self.spoken[index]
        if speaker is None:
            return None
        first = bisect_right(self.mention_starts, span.start)
        for mention in self.mentions[first:]:
            if mention.span.start >= span.end:
                break
            if mention.character != speaker and _is_vocative(self.text, mention.span, span):
                return mention.character
        for step in (-1, 1):  # the neighbouring turns, if someone else speaks them
            near = index + step
            if 0 <= near < len(self.spoken):
                other = self.spoken[near][1]
                if other is not None and other != speaker and _adjacent(span, self.spoken[near][0]):
                    return other
        return None

    def weigh(self, evidence: _Evidence) -> None:
        """Each quotation's words of love or hate, for its speaker and the one spoken to."""
        for index, (span, speaker) in enumerate(self.spoken):
            if speaker is None:
                continue
            said = list(_SAID_TO_THE_LISTENER.finditer(self.text, span.start, span.end))
            if not said:
                continue
            to = self.addressee(index)
            if to is None:
                continue
            pair = (min(speaker, to), max(speaker, to))
            for match in said:  # "I love you", "you're my best friend", "I'm your brother"
                kind = _said_kind(match)
                weight = _BOND_WEIGHT if match.lastgroup != "hate" else _KIND_WEIGHT["conflict"]
                evidence.add_close(pair, kind, weight, match.group().lower())


def _is_vocative(text: str, name: Span, quote: Span) -> bool:
    """Is the name at ``name`` called out inside the quotation: "Bo, ..." or "..., Bo."?"""
    before = text[quote.start : name.start].rstrip()
    after = text[name.end : name.end + 1]
    opens = before.lstrip("\"'“‘") == ""
    return (opens and after in ",!") or (before.endswith(",") and after in ",.!?")


_TURN_GAP = 400  # characters between two quotations that still make one exchange


def _adjacent(one: Span, other: Span) -> bool:
    return one.end + _TURN_GAP >= other.start and other.end + _TURN_GAP >= one.start


def _said_kind(said: re.Match[str]) -> RelationKind:
    """The kind a thing said to someone names (see ``_SAID_TO_THE_LISTENER``)."""
    if said.group("love"):
        return "romantic"
    return "conflict" if said.group("hate") else _bond_kind(said)


_BOND_KINDS: tuple[RelationKind, ...] = ("family", "romantic", "friendship")


def _bond_kind(bond: re.Match[str]) -> RelationKind:
    """The kind of the bond word a match of ``_BOND`` (or a said bond) found."""
    return next(kind for kind in _BOND_KINDS if bond.group(kind))


def _family_names(cast: Cast, counts: dict[tuple[int, int], int], evidence: _Evidence) -> None:
    """Pairs who met and share a family name ("Mark Sloan" and "Sloan") are weighed as kin."""
    family = [_family_name(character) for character in cast.characters]
    for a, b in counts:
        name = family[a] or _bare(cast.characters[a])
        other = family[b] or _bare(cast.characters[b])
        if name and name == other and (family[a] or family[b]):
            evidence.add_close((a, b), "family", _SURNAME_WEIGHT, f"both named {name}")


def _family_name(character: Character) -> str | None:
    """The family name of a character named with two or more words.

    The word of the full name that is not the one used alone: "Mark" alone
    makes "Mark Sloan"'s family name Sloan, "Sasuke" alone makes "Uchiha
    Sasuke"'s Uchiha. Without such a use, the last word.
    """
    words = character.name.split()
    if len(words) < 2:
        return None
    alone = {alias for alias in character.aliases if " " not in alias}
    if words[0] in alone and words[-1] not in alone:
        return words[-1]
    if words[-1] in alone and words[0] not in alone:
        return words[0]
    return words[-1]


def _bare(character: Character) -> str | None:
    return character.name if " " not in character.name else None


def _sentence_evidence(
    text: str,
    paragraph: Span,
    located: list[tuple[int, int]],
    hits: list[tuple[int, RelationKind, int]],
    evidence: _Evidence,
    speech: _Speech,
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
        bonds = _bonds_named(text, sentence, located, speech)
        for pair in combinations(sorted(inside), 2):
            close.add(pair)
            for kind, (count, first) in kinds.items():
                evidence.add_close(pair, kind, _KIND_WEIGHT[kind] * count, first)
            for phrase, kind, who in bonds:  # "her father, Tom": kin, whatever else is said
                if who in pair:
                    evidence.add_close(pair, kind, _BOND_WEIGHT, phrase)
    return close


def _bonds_named(
    text: str, sentence: Span, located: list[tuple[int, int]], speech: _Speech
) -> list[tuple[str, RelationKind, int]]:
    """Bond words tied to a named character: "Tom's daughter", "her boyfriend, Tom".

    Each with its kind and the character it is tied to (the owner named
    before it, or the one named right after it); a bond word tied to no one
    counts for nobody, and one inside a quotation belongs to the speech.
    """
    at = dict(located)
    found = []
    for match in _BOND.finditer(text, sentence.start, sentence.end):
        if speech.at(match.start()) is not None:
            continue
        owner = at.get(match.start())
        after = _NAME_AFTER.match(text, match.end())
        named = at.get(after.end()) if after else None
        for who in (owner, named):
            if who is not None:
                found.append((match.group().lower(), _bond_kind(match), who))
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
) -> dict[RelationKind, tuple[float, str]]:
    """Per kind among the hits: how many (at most 3) and the first, in KIND_WORDS order.

    A warm word (``_WARM``) counts as a fraction of a friendship word.
    """
    found: dict[RelationKind, tuple[float, str]] = {}
    for start, kind, length in hits:
        word = text[start : start + length].lower()
        one = _WARM_SHARE if word in _WARM else 1.0
        if kind in found:
            count, first = found[kind]
            if first in _WARM and word not in _WARM:  # the cue names the bond if a word does
                first = word
            found[kind] = (min(count + one, 3.0), first)
        else:
            found[kind] = (one, word)
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
    evidence: _Evidence,
    prominence: dict[int, int],
    romances: set[tuple[int, int]],
) -> Relation:
    """The pair's relation; ``a`` is the more prominent (named and speaking more).

    A romance needs evidence about the two of them, unless neither has such a
    romance with anyone else: a "love" in a paragraph Lexie shares with Sloan
    is not a romance when Lexie says "I love you" to Mark. Nor is it one
    between two the text shows are kin (a family name, "his son"): a father
    and son who share paragraphs with a kiss in them stay family.
    """
    first, second = sorted(pair, key=lambda i: -prominence[i])
    weights = dict(evidence.weights.get(pair, {}))
    close = evidence.close.get(pair, set())
    romance_elsewhere = any(other != pair and set(other) & set(pair) for other in romances)
    if (
        "romantic" in weights
        and "romantic" not in close
        and (romance_elsewhere or "family" in close)
    ):
        del weights["romantic"]
    if weights:
        kind = max(weights, key=lambda k: weights[k])
        if kind == "family" and weights.get("romantic", 0) >= weights[kind] * 0.8:
            kind = "romantic"
    else:
        kind = "friendship"
    cues: dict[RelationKind, list[str]] = evidence.cues.get(pair, {})
    words = sorted(set(cues.get(kind, [])))[:3]
    strength = weights.get(kind, 0.0) + 0.5 * interactions
    score = strength / (strength + _SATURATION)
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
