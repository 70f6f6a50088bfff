"""Stage ``attribution``: who speaks each quotation, as a sieve of rules.

The rules run from the most to the least certain (after Muzny et al.,
2017); a quotation keeps the first answer it gets:

1. *explicit*: a speech tag with a name on either side of the quotation
   or between its parts: ``"...," said Mr. Knightley``, ``Emma cried, "..."``.
2. *introduction*: a speaker who says who they are (``"I'm Eric," he
   said``) is that character, unless a name tags the line or the tag's
   pronoun has the other gender.
3. *pronoun*: the same tags with ``he``/``she`` (or kin: ``his dad``,
   ``her sister``); the pronoun goes to the latest character of that gender
   its own paragraph names before it, else to whom turn-taking expects,
   else to the most recent one named in the narration; never to a
   character its own clause names after it ("he mumbles into Stiles'
   neck") nor to the one "his"/"her" points back to.
4. *narrator*: in first-person narration, a tag with ``I`` goes to the
   narrator, the character the quotations address most and the narration
   names least (it says "I" instead).
5. *paragraph_mention*: the character named (or, failing a name, referred
   to by a pronoun at a sentence's start) in the narration of the
   quotation's own paragraph (before it, else the first sentence after it),
   or in a narration lead-in ending in a colon. Surprise in the sentence
   after ("Ana's eyes widened") marks Ana as the listener instead.
6. *vocative*: a reply's speaker is the person the previous quotation
   addressed ("Damn it, Yang!" then Yang speaks), or the one the next
   quotation addresses.
7. *turn_taking*: in a conversation (consecutive paragraphs with speech;
   a paragraph of narration ends it) turns alternate A B A B, so a turn
   gets the speaker of the turn two back (or two ahead).
8. *addressee_alternation*: a turn right after a known one goes to the
   other recent speaker, never to the one who just spoke or is addressed
   in the quotation itself.
9. *previous_mention*: a conversation's first turn with no tag at all goes
   to the subject of the narration just before it.

Everything is one pass over the paragraphs plus a pass per conversation;
no rule scans the text beyond the quotation's paragraph and its
neighbours, so the stage is linear in the text.

>>> from fanfold.text.characters import Cast, Character, Mention
>>> from fanfold.text.dialogue import find_quotes
>>> from fanfold.text.spans import Span
>>> text = '"Run," said Ruby.\\n\\n"Why?"\\n\\n"Grimm!"'
>>> cast = Cast((Character("Ruby", ("Ruby",), "she", 1),), ((Mention(Span(12, 16), 0),),))
>>> [(a.speaker, a.method) for a in attribute_speakers(text, find_quotes(text), cast)]
[(0, 'explicit'), (None, 'none'), (0, 'turn_taking')]
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from fanfold.text.characters import DESCRIPTION_GENDER, Cast, Gender, Mention
from fanfold.text.dialogue import Quote
from fanfold.text.normalise import paragraphs
from fanfold.text.spans import Span


@dataclass(frozen=True, slots=True)
class Attribution:
    quote: Quote
    speaker: int | None  # index into cast.characters
    method: str
    confidence: float  # 0..1


SPEECH_VERBS = frozenset(
    """said say says saying asked ask asks replied reply replies cried cry cries exclaimed
    exclaims answered answers returned returns continued continues added adds observed observes
    remarked remarks whispered whispers shouted shouts muttered mutters murmured murmurs called
    calls repeated repeats resumed resumes began begins rejoined rejoins interrupted interrupts
    insisted insists declared declares protested protests explained explains urged urges
    suggested suggests pleaded pleads begged begs demanded demands inquired inquires enquired
    enquires retorted retorts snapped snaps growled growls yelled yells screamed screams sighed
    sighs laughed laughs sobbed sobs gasped gasps groaned groans hissed hisses breathed breathes
    stammered stammers stuttered stutters faltered falters mumbled mumbles grumbled grumbles
    admitted admits agreed agrees assented assents argued argues concluded concludes confessed
    confesses corrected corrects echoed echoes persisted persists pursued pursues responded
    responds thought thinks wondered wonders mused muses ventured ventures volunteered warned
    warns whimpered whimpers sneered sneers chuckled chuckles giggled giggles snorted snorts
    roared roars bellowed bellows shrieked shrieks wailed wails moaned moans piped pipes drawled
    drawls announced announces commented comments noted notes told tells ordered orders
    commanded commands cautioned objected objects reasoned reflected reflects recollected
    acknowledged interposed interjected affirmed assured assures proceeded proceeds went
    broke put chimed cut burst panted pants purred purrs grunted grunts barked barks
    blurted blurts spluttered sputtered whined whines teased teases joked jokes
    scolded scolds soothed soothes promised promises sang sings hummed lied lies
    conceded concedes countered counters demurred exploded greeted greets gushed hinted
    implored intoned mocked quipped rasped recalled remembered reminded reminds
    reported reports screeched sniffed sniffled squeaked squealed stated states stormed
    taunted thundered trilled uttered vowed wept yelped yawned remonstrated
    ejaculated questioned queried entreated expostulated croaked croaks crooned croons snarled
    snarls offered offers informed informs groused grouses huffed huffs clarified clarifies
    summarized summarised concurred concurs scoffed scoffs claimed claims cheered cheers mouthed
    mouths simpered raged rages prompted prompts supplied supplies recited chirped chirps
    babbled coaxed coaxes crowed crows deadpanned marveled marvelled prodded spat spits sniped
    wheezed wheezes""".split()
)
_VERB = r"(?:" + "|".join(sorted(SPEECH_VERBS, key=len, reverse=True)) + r")"
_HONORIFIC = (
    r"(?:Mr|Mrs|Ms|Miss|Dr|Mme|Mlle|Madame|Mademoiselle|Monsieur|Lady|Lord|Sir|Aunt|Uncle|"
    r"Captain|Colonel|Doctor|Professor|Inspector|Father|Mother|Sister|Brother|Master)"
)
_NAME = rf"(?:{_HONORIFIC}\.?\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){{0,2}}"
# "the Hatter", "the good-hearted Mrs. Knightley", "the old man": resolved through aliases.
_LOWER_WORD = r"[a-z][\w'’-]*"
# Kin and partners, who speak as "his dad" or "her sister": the gender is the word's.
_KIN_GENDER: dict[str, Gender] = {
    **DESCRIPTION_GENDER,
    **dict.fromkeys("dad daddy papa pa grandfather grandpa boyfriend".split(), "he"),
    **dict.fromkeys("mom mum mommy mummy mama ma grandmother grandma girlfriend".split(), "she"),
}
_KIN = "|".join(sorted(_KIN_GENDER, key=len, reverse=True))
_DESCRIBED = (
    rf"(?:[Tt]he\s+(?:{_LOWER_WORD}\s+){{0,2}})?{_NAME}"
    rf"|[Tt]he\s+{_LOWER_WORD}(?:\s+{_LOWER_WORD}){{0,2}}"
    rf"|(?:[Hh]is|[Hh]er)\s+(?:{_LOWER_WORD}\s+)?(?:{_KIN})\b"
)


def _who_group(name: str) -> str:
    return rf"(?P<{name}>{_DESCRIBED}|[Hh]e|[Ss]he|I|[Yy]ou)"


_ADVERB = r"(?:\s+\w+ly)?"
# Verbs that may come before their speaker ahead of a quotation ("said Emma: ...");
# "told Anne" and "asked Anne" there name the listener.
_LEADING_VERB = (
    r"(?:said|cried|exclaimed|replied|returned|continued|added|observed|remarked|rejoined|"
    r"resumed|began|whispered|murmured|muttered|went\s+on)"
)
# After the closing mark: '" said Emma', '" he cried', '" Emma answered quietly'.
_TAG_AFTER = re.compile(
    rf"[\s,;:—–-]*(?:(?P<verb>{_VERB}){_ADVERB}\s+{_who_group('who')}\b"
    rf"|{_who_group('who2')}{_ADVERB}\s+(?P<verb2>{_VERB})\b)"
)
# Before the opening mark: 'Emma said, "', 'said Emma: "', 'he cried out--"'.
_TAG_BEFORE = re.compile(
    rf"(?:{_who_group('who')}(?:\s+(?:[\w']+\s+){{0,4}}?[\w']+,?\s+and)?{_ADVERB}\s+(?P<verb>{_VERB})|(?P<verb2>{_LEADING_VERB}){_ADVERB}\s+"
    rf"(?P<who2>{_DESCRIBED}|he|she))(?:\s+\w+ly|\s+(?:to|at)\s+(?:\w+\s+){{0,2}}\w+|\s+out|\s+in)?"
    r"\s*[,:;.—–-]*\s*$"
)
# Forms of address that are not names; who each one means is learnt per book.
_TERM_OF_ADDRESS = re.compile(
    r"(?:(?<=[\"“‘'])|[,!?.;]\s*|\b(?:[Oo]h|[Mm]y|[Dd]ear|[Pp]oor)\s+)(?P<term>papa|pa|mamma|mama|ma|"
    r"mother|father|mum|mom|dad|daddy|mummy|mommy|sir|madam|ma'am|aunt|auntie|uncle|"
    r"brother|sister|miss|master|doctor|captain|darling|child|my\s+dear|dear|love|"
    r"Papa|Mamma|Mama|Mother|Father|Mum|Mom|Dad|Daddy|Sir|Madam|Aunt|Uncle|Doctor|Captain)"
    r"(?=\s*(?:[,!?.;]|--|—|$))"
)
_MIN_TERM_EVIDENCE = 3
_TERM_SHARE = 0.6
_YOU_SUBJECT = re.compile(r"[\s*_\"”]*You\s+(?!know\b)")
_NOT_NARRATION = " \t\n*_~"  # whitespace and Markdown emphasis marks
_PRONOUN_SUBJECT = re.compile(r"(?:^|[.!?;]\s+|\b)(?P<who>He|She|he|she)\b")
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:to|at|with|for|of|from|by|upon|on|towards?|about|after|behind|beside|than|like|"
    r"into|over|under|near|past)\s+$",
    re.IGNORECASE,
)
_SENTENCE_BREAK = re.compile(
    r"(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)[.!?]+[\"'’”)\]]*\s+|[;:]\s+|--|—"
)
# A speaker saying who they are: "I'm Eric," "My name is Morino Ibiki." (not "I'm Eric's").
_INTRODUCTION = re.compile(
    r"\b(?:I'm|I’m|I am|[Mm]y name is|[Mm]y name's|[Mm]y name’s|[Cc]all me)\s+"
    r"(?P<name>[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?)(?!['’]s\b|[\w'’-])"
)
# Surprise at what was just said ("Ana's eyes widened", "Bo's heart sank"): the listener's.
_REACTION = re.compile(
    r"['’]s\s+(?:\w+\s+)?(?:(?:eyes|eyebrows|brows)\s+(?:\w+ly\s+)?(?:widened|went\s+wide|"
    r"became\s+wide|grew\s+wide|shot\s+up|rose)|jaw\s+(?:\w+ly\s+)?dropped|guard\s+rose|"
    r"(?:heart|stomach)\s+(?:\w+ly\s+)?(?:sank|dropped|lurched|skipped|clenched|twisted))\b"
)
_POSSESSIVE = re.compile(r"(his|her)\s", re.IGNORECASE)
# Where a speech tag's clause ends: a sentence's end or the next quotation.
_CLAUSE_END = re.compile(r"[.!?;:]|[\"“”]")
_VOCATIVE_BEFORE = re.compile(r"(?:^|[,;!?.—–-]|\b(?:[Oo]h|[Dd]ear|[Mm]y)\s*)\s*$")
_VOCATIVE_AFTER = re.compile(r"\s*(?:[,!?;]|\.|—|--|$)")

# What a speech tag names: a character, a pronoun (gender, offset), the narrator "I".
_Tag = int | tuple[str, int] | str | None
_MIN_FIRST_PERSON_TAGS = 3
_LEAD_IN_ENDS = frozenset(",:;-—–")
_HONORIFIC_GENDER: dict[str, Gender] = {
    "mr": "he", "mrs": "she", "miss": "she", "ms": "she", "sir": "he", "lady": "she",
    "lord": "he", "madame": "she", "mme": "she", "mademoiselle": "she", "monsieur": "he",
}  # fmt: skip
_HONORIFIC_WORDS = frozenset(
    "mr mrs ms miss dr mme mlle madame mademoiselle monsieur lady lord sir aunt uncle captain "
    "colonel doctor professor inspector father mother sister brother master the a an young old "
    "little".split()
)
_MAX_CONTEXT = 400  # characters of narration looked at on either side of a quotation
_ANTECEDENT_WINDOW = 40
_NAMED_BEFORE = 8  # narration mentions before a conversation that may be its speakers
_LEAD_SHARE = 5  # a lead is named at least 1/_LEAD_SHARE as often as the most named
_RECENCY = 0.5  # a mention's vote shrinks by this with each newer mention
_OBJECT_WEIGHT = 0.5  # mentions looked back for a pronoun's antecedent
_CONFIDENCE = {
    "explicit": 0.97,
    "introduction": 0.9,
    "pronoun": 0.85,
    "narrator": 0.8,
    "paragraph_mention": 0.7,
    "vocative": 0.65,
    "turn_taking": 0.6,
    "addressee_alternation": 0.45,
    "previous_mention": 0.4,
    "none": 0.0,
}


def attribute_speakers(
    text: str, quotes: Sequence[Quote], cast: Cast, *, doc: int = 0
) -> tuple[Attribution, ...]:
    """Who speaks each of ``quotes`` (in order, one answer each)."""
    if not quotes:
        return ()
    mentions = cast.mentions[doc] if doc < len(cast.mentions) else ()
    reader = _Reader(text, quotes, cast, mentions)
    turns = reader.turns()
    for turn in turns:
        reader.local(turn)
    _learn_forms_of_address(turns)
    narrator = reader.narrator(turns)
    for turn in turns:
        if turn.first_person and turn.speaker is None and narrator is not None:
            turn.speaker, turn.method = narrator, "narrator"
    # Who a tag shows speaking somewhere in the text: of the names before a
    # conversation, these are likelier its speakers than one never heard ("Amazon").
    reader.talkers = frozenset(
        turn.speaker
        for turn in turns
        if turn.speaker is not None and turn.method in ("explicit", "introduction")
    )
    # The leads: named in the narration at least a fifth as often as the most named.
    # A lead may speak only as "he" or "she" (no tag names them), and still talks.
    named = Counter(mention.character for mention in reader.narration)
    top = max(named.values(), default=0)
    reader.leads = frozenset(who for who, count in named.items() if _LEAD_SHARE * count >= top)
    for conversation in _conversations(turns):
        _resolve_conversation(reader, conversation)
    return tuple(
        Attribution(quote, turn.speaker, turn.method, _CONFIDENCE[turn.method])
        for turn in turns
        for quote in turn.quotes
    )


@dataclass(slots=True)
class _Turn:
    """The quotations of one paragraph: one speaker, one turn in a conversation."""

    paragraph: int
    quotes: list[Quote]
    speaker: int | None = None
    method: str = "none"
    addressed: frozenset[int] = frozenset()  # characters named vocatively in the turn
    pronoun: tuple[str, int] | None = None  # "he said": the gender and where it stands
    first_person: bool = False  # "said I"
    terms: frozenset[str] = frozenset()  # "papa", "sir": forms of address used in the turn


class _Reader:
    """The text, its paragraphs and mentions, indexed for lookups near a quotation."""

    def __init__(
        self, text: str, quotes: Sequence[Quote], cast: Cast, mentions: Sequence[Mention]
    ) -> None:
        # Markdown emphasis around speech (**"Run!"** Riddle bellowed) is read as
        # spaces, so tags and sentences are found as if it were not there; the
        # offsets stay those of ``text``.
        self.text = text.replace("*", " ") if "*" in text else text
        self.quotes = sorted(quotes, key=lambda quote: quote.span)
        self.cast = cast
        self.paragraphs = _rejoined(text, paragraphs(text))
        self.paragraph_starts = [p.start for p in self.paragraphs]
        parts = sorted(part for quote in self.quotes for part in quote.parts)
        self.part_starts = [p.start for p in parts]
        self.parts = parts
        same = _duplicates(cast)
        if same:
            mentions = [Mention(m.span, same.get(m.character, m.character)) for m in mentions]
        quoted = [_inside(m.span, parts, self.part_starts) for m in mentions]
        self.narration = [m for m, inside in zip(mentions, quoted, strict=True) if not inside]
        self.narration_starts = [m.span.start for m in self.narration]
        self.in_quotes = [m for m, inside in zip(mentions, quoted, strict=True) if inside]
        self.in_quote_starts = [m.span.start for m in self.in_quotes]
        self.aliases = {alias: same.get(who, who) for alias, who in _alias_index(cast).items()}
        self.genders = [c.gender for c in cast.characters]
        self.talkers: frozenset[int] = frozenset()
        self.leads: frozenset[int] = frozenset()

    def turns(self) -> list[_Turn]:
        turns: list[_Turn] = []
        for quote in self.quotes:
            index = max(0, bisect_right(self.paragraph_starts, quote.span.start) - 1)
            if turns and turns[-1].paragraph == index:
                turns[-1].quotes.append(quote)
            else:
                turns.append(_Turn(index, [quote]))
        for turn in turns:
            turn.addressed = frozenset(self._vocatives(turn))
            turn.terms = frozenset(
                match.group("term").lower()
                for quote in turn.quotes
                for part in quote.parts
                for match in _TERM_OF_ADDRESS.finditer(self.text, part.start, part.end)
            )
        return turns

    def narrator(self, turns: list[_Turn]) -> int | None:
        """In first-person narration, who "I" is: the character talked to and of, seldom named.

        The narration says "I" instead of the narrator's name, so the narrator
        is the character the dialogue addresses ("Watson!") while the
        narration hardly names them. When nobody is addressed often enough,
        the one the dialogue names most, scaled by how much more than the
        narration does ("Bella" over a "Mrs. Cullen" spoken of twice).
        """
        if sum(turn.first_person for turn in turns) < _MIN_FIRST_PERSON_TAGS:
            return None
        named = Counter(m.character for m in self.narration)
        addressed = Counter(who for turn in turns for who in turn.addressed)
        by_address = [
            (count / (named[who] + count), count, who)
            for who, count in addressed.items()
            if count >= _MIN_FIRST_PERSON_TAGS
        ]
        if by_address:
            return max(by_address)[2]
        talked_of = Counter(m.character for m in self.in_quotes) + addressed
        by_mention = [
            (count * count / (named[who] + count), count, who)
            for who, count in talked_of.items()
            if count >= _MIN_FIRST_PERSON_TAGS
        ]
        return max(by_mention)[2] if by_mention else None

    # Rules that look only at the turn's own paragraph ---------------------

    def local(self, turn: _Turn) -> None:
        tag = self._tagged(turn)
        introduced = self._introduced(turn)
        if isinstance(tag, int):
            turn.speaker, turn.method = tag, "explicit"
        elif introduced is not None and (
            not isinstance(tag, tuple) or self.genders[introduced] in (tag[0], None)
        ):
            turn.speaker, turn.method = introduced, "introduction"
        elif tag == "I":
            turn.first_person = True
        elif isinstance(tag, tuple):
            turn.pronoun = tag
        else:
            found = self._paragraph_mention(turn)
            if found is not None:
                turn.speaker, turn.method = found

    def _introduced(self, turn: _Turn) -> int | None:
        """Whom a turn's speaker says they are ("I'm Eric", "My name is Eric"), if a character."""
        for quote in turn.quotes:
            for part in quote.parts:
                for match in _INTRODUCTION.finditer(self.text, part.start, part.end):
                    named = self.aliases.get(_key(match.group("name")))
                    if named is not None:
                        return named
        return None

    def _tagged(self, turn: _Turn) -> _Tag:
        """A speech tag beside any part of the turn's quotations (names before pronouns)."""
        paragraph = self.paragraphs[turn.paragraph]
        weaker: _Tag = None
        for quote in turn.quotes:
            for index, part in enumerate(quote.parts):
                after_end = min(paragraph.end, part.end + 1 + _MAX_CONTEXT)
                if index + 1 < len(quote.parts):
                    after_end = quote.parts[index + 1].start
                match = _TAG_AFTER.match(self.text, part.end + 1, after_end)
                found = self._who(match) if match else None
                if found is None:
                    before_start = max(paragraph.start, part.start - 1 - _MAX_CONTEXT)
                    if index > 0:
                        before_start = quote.parts[index - 1].end + 1
                    found = self._tag_before(before_start, part.start - 1)
                if isinstance(found, int):
                    return found
                weaker = weaker or found
        return weaker

    def _tag_before(self, start: int, end: int) -> _Tag:
        if end - start < 3:
            return None
        match = _TAG_BEFORE.search(self.text, start, end)
        if match is None:
            return None
        return self._who(match)

    def _who(self, match: re.Match[str]) -> _Tag:
        group = "who" if match.group("who") else "who2"
        word, position = match.group(group), match.start(group)
        if word is None:
            return None
        if word.lower() in ("he", "she"):
            return word.lower(), position
        if word == "I":
            return "I"
        if word.lower() == "you":  # a second-person story's reader, when characters found one
            return self.aliases.get("you")
        words = word.split()
        while words and not words[0][0].isupper():
            words.pop(0)  # "the good-hearted Mrs. Knightley" is Mrs. Knightley
        owned = [i for i, token in enumerate(words[:-1]) if token.endswith(("'s", "’s"))]
        if owned:  # "Draco's Lookalike snapped": the Lookalike, never Draco
            words = words[owned[-1] + 1 :]
        if not words:  # "the sheriff": a described character, or read like a pronoun
            described = self._described(word)  # "the sheriff", found by characters
            if described is not None:
                return described
            gender = _KIN_GENDER.get(word.split()[-1].lower())
            return None if gender is None else (gender, position)
        start = position + word.index(words[0])
        return self._named_at(Span(start, position + len(word)), " ".join(words))

    def _described(self, words: str) -> int | None:
        """A described character ("the sheriff") a description starts with, by alias only."""
        tokens = _key(words).split()
        for length in range(len(tokens), 1, -1):
            named = self.aliases.get(" ".join(tokens[:length]))
            if named is not None:
                return named
        if len(tokens) > 2 and tokens[0] == "the":  # "the skeletal wizard": the wizard
            for noun in tokens[2:]:
                named = self.aliases.get(f"the {noun}")
                if named is not None:
                    return named
        return None

    def _named_at(self, span: Span, word: str) -> int | None:
        """The character a name in the narration refers to: its alias, or its mention.

        A description is tried whole and then shorter ("the old man gently",
        "the old man", "old man"), since the pattern cannot tell where it ends.
        """
        tokens = _key(word).split()
        for length in range(len(tokens), 0, -1):
            named = self.aliases.get(" ".join(tokens[:length]))
            if named is None and tokens[0] == "the" and length > 1:
                named = self.aliases.get(" ".join(tokens[1:length]))
            if named is not None:
                return named
        index = bisect_left(self.narration_starts, span.start)
        for mention in self.narration[index : index + 3]:
            if mention.span.overlaps(span):
                return mention.character
        return None

    def _antecedent(
        self, position: int, gender: str, avoid: frozenset[int] = frozenset()
    ) -> int | None:
        """The character of ``gender`` a pronoun at ``position`` most likely means.

        Each narration mention in the window before votes for its character,
        recent ones more, objects ("to Emma") and possessives less: a
        character the narration keeps returning to beats one named once.
        Once the tags have been read, characters they show speaking
        (``talkers``) and the text's leads come first.
        """
        index = bisect_left(self.narration_starts, position)
        votes: dict[int, float] = {}
        unknown: int | None = None
        window = self.narration[max(0, index - _ANTECEDENT_WINDOW) : index]
        for rank, mention in enumerate(reversed(window)):
            who = mention.character
            if who in avoid:
                continue
            character_gender = self.genders[who]
            if character_gender is None and unknown is None:
                unknown = who
            if character_gender != gender:
                continue
            weight = _RECENCY**rank
            if self._object(mention):
                weight *= _OBJECT_WEIGHT
            votes[who] = votes.get(who, 0.0) + weight
        if not votes:
            return unknown
        # Someone a tag shows speaking somewhere (or a lead) beats one never heard,
        # however recent: "Zwei dozed in the sun. '...,' he said" is not the dog's.
        heard = {
            who: vote for who, vote in votes.items() if who in self.talkers or who in self.leads
        }
        pool = heard or votes
        return max(pool, key=pool.__getitem__)

    def named_in_clause(self, position: int) -> frozenset[int]:
        """Characters named after a pronoun in its own clause: never whom the pronoun means.

        In "he mumbles into Stiles' neck" the "he" is not Stiles: a name
        cannot take its meaning from a pronoun before it in the same clause
        (binding's Principle C), so whoever it names is someone else.
        """
        end = _CLAUSE_END.search(self.text, position, position + _MAX_CONTEXT)
        stop = end.start() if end else position + _MAX_CONTEXT
        first = bisect_left(self.narration_starts, position)
        last = bisect_left(self.narration_starts, stop)
        return frozenset(mention.character for mention in self.narration[first:last])

    def subject_in_paragraph(
        self, turn: _Turn, position: int, gender: str, avoid: frozenset[int]
    ) -> int | None:
        """The latest character of ``gender`` the turn's own paragraph names before a pronoun.

        Not after a preposition ("looked at Ron"), nor inside the quotations.
        """
        paragraph = self.paragraphs[turn.paragraph]
        first = bisect_left(self.narration_starts, paragraph.start)
        last = bisect_left(self.narration_starts, position)
        for mention in reversed(self.narration[first:last]):
            who = mention.character
            if who not in avoid and self.genders[who] == gender and not self._object(mention):
                return who
        return None

    def named_in_paragraph(self, turn: _Turn) -> frozenset[int]:
        """Characters the narration of the turn's paragraph names."""
        paragraph = self.paragraphs[turn.paragraph]
        first = bisect_left(self.narration_starts, paragraph.start)
        last = bisect_left(self.narration_starts, paragraph.end)
        return frozenset(mention.character for mention in self.narration[first:last])

    def possessor(self, position: int) -> frozenset[int]:
        """Whom "his" or "her" means in a described speaker ("his dad replies"): not the speaker.

        Nobody is their own father, partner or boss, so the character the
        possessive points back to is someone else than the one described.
        """
        match = _POSSESSIVE.match(self.text, position)
        if match is None:
            return frozenset()
        gender: Gender = "he" if match.group(1).lower() == "his" else "she"
        owner = self._antecedent(position, gender)
        return frozenset() if owner is None else frozenset({owner})

    def _paragraph_mention(self, turn: _Turn) -> tuple[int, str] | None:
        """The subject of the narration next to the turn's first quotation."""
        paragraph = self.paragraphs[turn.paragraph]
        first = turn.quotes[0].span.start - 1
        # Emphasis marks around a quotation (**"Run!"**) are not narration before it.
        if self.text[paragraph.start : max(paragraph.start, first)].strip(_NOT_NARRATION):
            found = self._subject(max(paragraph.start, first - _MAX_CONTEXT), first, turn)
            if found is not None:
                return found
            after = turn.quotes[0].parts[0].end + 1
            return self._subject(after, min(paragraph.end, after + _MAX_CONTEXT), turn, last=False)
        lead_in = self._lead_in(turn)
        if lead_in is not None:
            return lead_in
        after = turn.quotes[0].parts[0].end + 1
        return self._subject(after, min(paragraph.end, after + _MAX_CONTEXT), turn, last=False)

    def _subject(
        self, start: int, end: int, turn: _Turn, *, last: bool = True
    ) -> tuple[int, str] | None:
        """Who the (last or first) sentence of narration in ``[start, end)`` is about."""
        if end <= start:
            return None
        sentence = _sentence(self.text, start, end, last=last)
        reader = self.aliases.get("you")  # a second-person story's reader, if it has one
        if reader is not None and _YOU_SUBJECT.match(self.text, sentence.start, sentence.end):
            return reader, "paragraph_mention"  # '"I lost him..." You fell into despair.'
        # Before a quotation, the narration's last sentence, else any of it; after one,
        # only its first sentence: later ones turn to the listener or to what happens next
        # ('"Stop." Ana stared. Later, Bo slept.' is not Bo's line).
        for bounds in (sentence, Span(start, end)) if last else (sentence,):
            first = bisect_left(self.narration_starts, bounds.start)
            stop = bisect_left(self.narration_starts, bounds.end)
            for mention in self.narration[first:stop]:
                if mention.character not in turn.addressed and not self._object(mention):
                    if not last and _REACTION.match(self.text, mention.span.end):
                        # '"I quit." Ana's eyes widened.': Ana hears the line; the
                        # conversation rules take it, Ana counted as its listener.
                        turn.addressed = turn.addressed | {mention.character}
                        return None
                    return mention.character, "paragraph_mention"
            match = _PRONOUN_SUBJECT.search(self.text, bounds.start, bounds.end)
            if match is not None:
                speaker = self._antecedent(match.start("who"), match.group("who").lower())
                if speaker is not None and speaker not in turn.addressed:
                    return speaker, "paragraph_mention"
        return None

    def previous_subject(self, turn: _Turn, avoid: int | None = None) -> int | None:
        """Who the narration paragraph before a conversation ends on (else the last named).

        Never ``avoid``, who answers this turn: one does not reply to oneself.
        """
        if turn.paragraph == 0:
            return None
        previous = self.paragraphs[turn.paragraph - 1]
        if not _inside(Span(previous.end - 1, previous.end), self.parts, self.part_starts):
            start = max(previous.start, previous.end - _MAX_CONTEXT)
            found = self._subject(start, previous.end, turn)
            if found is not None and found[0] != avoid:
                return found[0]
        index = bisect_left(self.narration_starts, turn.quotes[0].span.start)
        for mention in reversed(self.narration[max(0, index - 3) : index]):
            if mention.character not in turn.addressed and mention.character != avoid:
                return mention.character
        return None

    def _object(self, mention: Mention) -> bool:
        """A mention after a preposition ("turning to Emma") is not who acts."""
        start = mention.span.start
        return bool(_PREPOSITION_BEFORE.search(self.text, max(0, start - 12), start))

    def named_before(self, position: int) -> list[int]:
        """Characters named in the narration shortly before ``position``, latest first."""
        index = bisect_left(self.narration_starts, position)
        window = self.narration[max(0, index - _NAMED_BEFORE) : index]
        return [mention.character for mention in reversed(window)]

    def _lead_in(self, turn: _Turn) -> tuple[int, str] | None:
        """A narration paragraph just before that leads into the speech (ends in , : or --)."""
        if turn.paragraph == 0:
            return None
        previous = self.paragraphs[turn.paragraph - 1]
        if _inside(Span(previous.end - 1, previous.end), self.parts, self.part_starts):
            return None
        if self.text[previous.end - 1] not in _LEAD_IN_ENDS:
            return None
        start = max(previous.start, previous.end - _MAX_CONTEXT)
        tag = self._tag_before(start, previous.end)
        if isinstance(tag, int):
            return tag, "explicit"
        if isinstance(tag, tuple):
            turn.pronoun = tag
            return None
        return self._subject(start, previous.end, turn)

    def _vocatives(self, turn: _Turn) -> list[int]:
        """Characters addressed by name inside the turn's quotations."""
        addressed = []
        for quote in turn.quotes:
            start = bisect_left(self.in_quote_starts, quote.span.start)
            end = bisect_left(self.in_quote_starts, quote.span.end)
            for mention in self.in_quotes[start:end]:
                if self._is_vocative(mention, quote):
                    addressed.append(mention.character)
        return addressed

    def _is_vocative(self, mention: Mention, quote: Quote) -> bool:
        part = _part_holding(quote, mention.span)
        before = self.text[max(part.start, mention.span.start - 12) : mention.span.start]
        if not _VOCATIVE_BEFORE.search(before):
            return False
        return bool(_VOCATIVE_AFTER.match(self.text, mention.span.end, part.end))


def _rejoined(text: str, spans: tuple[Span, ...]) -> list[Span]:
    """Paragraphs, with those a blank line cuts mid-sentence put back together.

    Some copies of hard-wrapped stories keep a blank line at every wrap
    ("staring at me" / "like that."): a paragraph that ends on a word or a
    comma before one that opens in lower case is the same paragraph.
    """
    joined: list[Span] = []
    for span in spans:
        if joined:
            last = joined[-1]
            end = text[last.end - 1]
            if (end.isalpha() or end == ",") and text[span.start].islower():
                joined[-1] = Span(last.start, span.end)
                continue
        joined.append(span)
    return joined


def _sentence(text: str, start: int, end: int, *, last: bool) -> Span:
    """The last (or first) sentence of ``text[start:end]``."""
    if last:
        cut = start
        for match in _SENTENCE_BREAK.finditer(text, start, end):
            if match.end() < end and text[match.end() : end].strip():
                cut = match.end()
        return Span(cut, end)
    first = _SENTENCE_BREAK.search(text, start, end)
    return Span(start, first.start() if first else end)


def _part_holding(quote: Quote, span: Span) -> Span:
    """The part of ``quote`` holding ``span``, else the whole quote.

    Parts are in text order and never overlap (as ``find_quotes`` gives them),
    so only the last part starting at or before ``span`` can hold it: a speech
    of a thousand paragraphs is not searched part by part for each name in it.
    """
    index = bisect_right(quote.parts, span.start, key=_start) - 1
    if index >= 0 and quote.parts[index].contains(span):
        return quote.parts[index]
    return quote.span


def _start(span: Span) -> int:
    return span.start


def _inside(span: Span, parts: list[Span], starts: list[int]) -> bool:
    index = bisect_right(starts, span.start) - 1
    return index >= 0 and parts[index].contains(span)


def _key(name: str) -> str:
    return " ".join(name.replace(".", " ").replace("’", "'").lower().split())


def _duplicates(cast: Cast) -> dict[int, int]:
    """Entries that repeat another character under a bare surname, and whom they repeat.

    Casts written by hand (PDNC's among them) sometimes list "Harthouse" beside
    "James Harthouse" (alias "Mr. Harthouse"). A character whose only names are
    one bare word S is the character holding "<honorific> S" when exactly one
    such character of a compatible gender exists.
    """
    holders: dict[str, list[tuple[int, Gender | None]]] = {}
    for index, character in enumerate(cast.characters):
        for alias in (character.name, *character.aliases):
            tokens = _key(alias).split()
            if len(tokens) == 2 and tokens[0] in _HONORIFIC_GENDER:
                holders.setdefault(tokens[1], []).append((index, _HONORIFIC_GENDER[tokens[0]]))
    same: dict[int, int] = {}
    for index, character in enumerate(cast.characters):
        names = {_key(name) for name in (character.name, *character.aliases)}
        if len(names) != 1:
            continue
        (name,) = names
        if " " in name:
            continue
        fitting = {
            holder
            for holder, gender in holders.get(name, [])
            if holder != index and character.gender in (gender, None)
        }
        if len(fitting) == 1:
            same[index] = fitting.pop()
    return same


def _alias_index(cast: Cast) -> dict[str, int]:
    """Alias -> character, for aliases that name only one character.

    A first or last name of a multi-word alias counts too when no other
    character uses it ("Rodney" for "William Rodney"), since casts often
    list only the full forms.
    """
    owners: dict[str, set[int]] = {}
    words: dict[str, set[int]] = {}
    for index, character in enumerate(cast.characters):
        for alias in (character.name, *character.aliases):
            key = _key(alias)
            owners.setdefault(key, set()).add(index)
            tokens = [t for t in key.split() if t not in _HONORIFIC_WORDS]
            if len(tokens) > 1:
                for token in (tokens[0], tokens[-1]):
                    words.setdefault(token, set()).add(index)
            elif key.startswith("the ") and len(key) > 4:
                words.setdefault(key[4:], set()).add(index)  # "The Hatter" answers to "Hatter"
    index_of = {alias: next(iter(who)) for alias, who in owners.items() if len(who) == 1}
    for word, who in words.items():
        if len(who) == 1 and word not in owners:
            index_of[word] = next(iter(who))
    return index_of


# Conversations ------------------------------------------------------------------------


def _conversations(turns: list[_Turn]) -> list[list[_Turn]]:
    """Runs of turns in consecutive paragraphs."""
    runs: list[list[_Turn]] = []
    for turn in turns:
        if runs and runs[-1][-1].paragraph + 1 == turn.paragraph:
            runs[-1].append(turn)
        else:
            runs.append([turn])
    return runs


def _learn_forms_of_address(turns: list[_Turn]) -> None:
    """Learn whom "papa" or "sir" means in this book, from explicitly tagged replies.

    A form of address names the listener, who usually speaks just before or
    just after. Where one character answers to a form most of the time, the
    form is read as naming that character.
    """
    counts: dict[str, Counter[int]] = {}
    for index, turn in enumerate(turns):
        if not turn.terms:
            continue
        for other in (index - 1, index + 1):
            if not 0 <= other < len(turns) or turns[other].method != "explicit":
                continue
            if abs(turns[other].paragraph - turn.paragraph) != 1:
                continue
            listener = turns[other].speaker
            if listener is not None and listener != turn.speaker:
                for term in turn.terms:
                    counts.setdefault(term, Counter())[listener] += 1
    meaning: dict[str, int] = {}
    for term, listeners in counts.items():
        listener, count = listeners.most_common(1)[0]
        if count >= _MIN_TERM_EVIDENCE and count >= _TERM_SHARE * sum(listeners.values()):
            meaning[term] = listener
    for turn in turns:
        named = {meaning[term] for term in turn.terms if term in meaning} - {turn.speaker}
        if named:
            turn.addressed = turn.addressed | named


def _resolve_conversation(reader: _Reader, turns: list[_Turn]) -> None:
    for index, turn in enumerate(turns):
        if turn.speaker is None and turn.pronoun is not None:
            _resolve_pronoun(reader, turns, index)
    for _ in range(2):
        _vocative_replies(turns)
        _alternate(turns)
    if turns[0].speaker is None and turns[0].pronoun is None and not turns[0].first_person:
        reply = turns[1].speaker if len(turns) > 1 else None
        found = reader.previous_subject(turns[0], avoid=reply)
        if found is not None:
            turns[0].speaker, turns[0].method = found, "previous_mention"
            _alternate(turns)
    _fill_from_neighbours(reader, turns)


def _resolve_pronoun(reader: _Reader, turns: list[_Turn], index: int) -> None:
    """A "he said" turn: the turn-taking speaker if the gender fits, else the antecedent.

    The antecedent may be the previous turn's speaker: skipping it looked
    right but measured worse (a speaker often goes on after a narration beat).
    """
    turn = turns[index]
    assert turn.pronoun is not None
    gender, position = turn.pronoun
    elsewhere = reader.named_in_clause(position) | reader.possessor(position)
    if reader.text.startswith(("the ", "The "), position):
        # "the boy asked" where the narration calls someone by name ("Ibiki raised his
        # eyebrows"): the description is the other one, not the one named.
        elsewhere |= reader.named_in_paragraph(turn)
    local = reader.subject_in_paragraph(turn, position, gender, turn.addressed | elsewhere)
    if local is not None:  # "Draco sighed. 'In any case,' he said.": Draco, whoever spoke last
        turn.speaker, turn.method = local, "pronoun"
        return
    expected = _expected(turns, index)
    if (
        expected is not None
        and expected not in elsewhere
        and reader.genders[expected] in (gender, None)
    ):
        turn.speaker, turn.method = expected, "pronoun"
        return
    speaker = reader._antecedent(position, gender, turn.addressed | elsewhere)
    if speaker is None:
        speaker = reader._antecedent(position, gender, elsewhere)
    if speaker is not None:
        turn.speaker, turn.method = speaker, "pronoun"


def _expected(turns: list[_Turn], index: int) -> int | None:
    """The speaker turn-taking predicts: the one two turns back, or addressed just before."""
    if index > 0:
        previous = turns[index - 1]
        addressed = set(previous.addressed) - {previous.speaker}
        if len(addressed) == 1:
            return addressed.pop()
    if index >= 2:
        speaker = turns[index - 2].speaker
        if speaker is not None and speaker != turns[index - 1].speaker:
            return speaker
    return None


def _vocative_replies(turns: list[_Turn]) -> None:
    """A reply comes from the person the previous turn addressed (or the next one does)."""
    for index, turn in enumerate(turns):
        if turn.speaker is not None:
            continue
        candidates: set[int] = set()
        if index > 0:
            candidates = set(turns[index - 1].addressed) - {turns[index - 1].speaker}
        if not candidates and index + 1 < len(turns):
            candidates = set(turns[index + 1].addressed) - {turns[index + 1].speaker}
        candidates -= turn.addressed
        if len(candidates) == 1:
            turn.speaker, turn.method = candidates.pop(), "vocative"


def _alternate(turns: list[_Turn]) -> None:
    """A B A B: a turn speaks like the turn two back, or two ahead."""
    for index, turn in enumerate(turns):
        if turn.speaker is not None:
            continue
        for other, between in ((index - 2, index - 1), (index + 2, index + 1)):
            if not 0 <= other < len(turns) or not 0 <= between < len(turns):
                continue
            speaker = turns[other].speaker
            if (
                speaker is not None
                and speaker != turns[between].speaker
                and speaker not in turn.addressed
            ):
                turn.speaker, turn.method = speaker, "turn_taking"
                break


def _fill_from_neighbours(reader: _Reader, turns: list[_Turn]) -> None:
    """The other recent speaker (or character named just before), never the one who just spoke."""
    for index, turn in enumerate(turns):
        if turn.speaker is not None:
            continue
        previous = turns[index - 1].speaker if index > 0 else None
        expected = _expected(turns, index)
        if expected is not None and expected not in turn.addressed:
            turn.speaker, turn.method = expected, "turn_taking"
            continue
        recent = [t.speaker for t in reversed(turns[max(0, index - 6) : index])]
        recent += [t.speaker for t in turns[index + 1 : index + 6]]
        addressed_before = turns[index - 1].addressed if index > 0 else frozenset()
        named = reader.named_before(turns[0].quotes[0].span.start)
        named.sort(key=lambda who: who not in reader.talkers)  # stable: latest first
        for speaker in [*addressed_before, *recent, *named]:
            if speaker is not None and speaker != previous and speaker not in turn.addressed:
                turn.speaker, turn.method = speaker, "addressee_alternation"
                break
