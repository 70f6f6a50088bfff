"""Stage ``characters``: who is in the story, under every name they go by.

Without a known cast, names are found and clustered:

1. *Candidates* are runs of capitalised words, with an optional honorific
   ("Mr.", "Mrs.", "Miss", "Dr.", "Lady", ...). A single word counts only
   when the text also uses it capitalised mid-sentence and rarely in lower
   case ("Will" the name against "will" the verb), and is not a stop word.
2. *Person evidence* keeps people and drops places and shows ("Seattle",
   "Glee"): a first name the ``gender-guesser`` lexicon knows, an
   honorific, a verb of doing right after the name ("Sloan never liked"),
   or being addressed in dialogue ("Damn it, Yang!").
3. *Clusters* grow from full names: "Mark" and "Sloan" join "Mark Sloan",
   "Lex" (a prefix) and nicknames from the ``nicknames`` package join
   "Lexie". A bare surname stays its own character when its pronouns
   disagree with the full name's ("Sloan ... her" against "Mark ... he"):
   Mark Sloan's daughter Sloan is not Mark. Honorifics keep "Mr. Bennet"
   and "Mrs. Bennet" apart. A name only ever used to address someone joins
   the person last named in the narration as an alias ("Cristina was
   there..." then "Damn it, Yang!" gives Cristina the alias "Yang").

With a known cast (canonical name -> aliases), every alias is matched
(longest first) and a shared alias goes to the candidate named most
recently.

>>> cast = find_characters(["Mark Sloan sighed. Mark ran to Lexie Grey and called her Lex."])
>>> [(c.name, c.aliases) for c in cast.characters]
[('Mark Sloan', ('Mark', 'Mark Sloan')), ('Lexie Grey', ('Lex', 'Lexie Grey'))]
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Literal, NamedTuple, Protocol

from fanfold.text.spans import Span

Gender = Literal["he", "she"]

HONORIFICS: dict[str, Gender | None] = {
    "mr": "he", "mrs": "she", "miss": "she", "ms": "she", "mme": "she", "mlle": "she",
    "madame": "she", "madam": "she", "lady": "she", "lord": "he", "sir": "he", "dame": "she",
    "dr": None, "doctor": None, "professor": None, "prof": None, "captain": None, "capt": None,
    "colonel": None, "major": None, "general": None, "inspector": None, "detective": None,
    "sergeant": None, "lieutenant": None, "aunt": "she", "uncle": "he", "mother": "she",
    "father": "he", "sister": "she", "brother": "he", "king": "he", "queen": "she",
    "prince": "he", "princess": "she", "master": "he", "mistress": "she", "reverend": "he",
    "rev": "he", "nurse": None, "agent": None, "officer": None,
}  # fmt: skip
# Capitalised words that are never characters on their own.
STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each even ever every
    few for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just let me more most my myself no nor not now of off oh on once only or
    other our ours out over own same she should so some such than that the their theirs them then
    there these they this those through to too under until up very was we well were what when where
    which while who whom why will with would yes yet you your yours yourself okay ok hey hi hello
    please thanks thank sorry god gods lord damn hell christ jesus heaven dear darling honey baby
    sweetheart love mom mum mommy dad daddy mama papa ma pa sir madam maam ma'am man woman boy girl
    monday tuesday wednesday thursday friday saturday sunday january february march april may june
    july august september october november december christmas easter halloween thanksgiving chapter
    part book prologue epilogue english french german american british street road avenue hospital
    school college university church house hall room city town tv internet like maybe now later
    today tomorrow yesterday tonight morning evening night one two three four five six seven eight
    nine ten first second third last next north south east west whatever everyone everything
    nothing something someone anyone nobody somebody anything another still though although since
    unless however instead perhaps suddenly finally meanwhile besides anyway otherwise fine good
    great right sure wait stop look listen come go alright yeah yep nope wow ugh um uh huh hmm
    shit whoa ah dearest poor little old young sweet welcome goodbye bye whoever mister""".split()
)
_HONORIFIC = r"(?:Mr|Mrs|Ms|Miss|Mme|Mlle|Madame|Madam|Lady|Lord|Sir|Dame|Dr|Doctor|Professor|Prof|Captain|Capt|Colonel|Major|General|Inspector|Detective|Sergeant|Lieutenant|Aunt|Uncle|King|Queen|Prince|Princess|Master|Mistress|Reverend|Rev|Nurse|Agent|Officer)"  # noqa: E501
# A possessive "'s" is not part of the name ("Lexie's" is Lexie, "Where's" is no name).
_TITLE_WORD = re.compile(_HONORIFIC)
_NAME_WORD = r"(?:Mc|Mac|O['’]|D['’])?[A-Z][a-z]+(?:[-'’](?!s\b)[A-Z]?[a-z]+)?"
CANDIDATE = re.compile(
    rf"(?:\b(?P<honorific>{_HONORIFIC})\.?\s+)?"
    rf"\b(?P<name>{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,2}})\b"
)
# Every candidate starts with a capital at a word's start. Finding those with a
# plain character class is fast; CANDIDATE then only runs where one stands.
_CANDIDATE_START = re.compile(r"[A-Z](?<=\b[A-Z])")
_TOKEN = re.compile(r"\S+")
_SPACES = re.compile(r"\s+")
_SENTENCE_STOP = re.compile(r"[.!?]")
_LOWER_WORD = re.compile(r"\b[a-z][a-z'’]*\b")
_SENTENCE_END = re.compile(r"[.!?\"'“”‘’:;…\-—(\[*_\n]\s*$|^\s*$")
_PRONOUN = re.compile(r"\b(?:(?P<he>he|him|his|himself)|(?P<she>she|her|hers|herself))\b", re.I)
# Tried with ``match(text, pos)``, which anchors at ``pos`` (a "^" would not: it
# matches only at the start of the string or of a line).
_ACTION_AFTER = re.compile(
    r"(?:'s\b|’s\b|\s+(?:had|has|was|is|would|could|did|never|always|just|didn't|wasn't|couldn't"
    r"|said|asked|replied|cried|smiled|laughed|nodded|looked|walked|ran|turned|sighed|shook|took"
    r"|went|came|felt|knew|thought|saw|began|started|stood|sat|whispered|shouted|yelled|answered"
    r"|died|loved|hated|liked|wanted|told|kissed|hugged|grinned|frowned|[a-z]+ed)\b)"
)
_SAID_BEFORE = re.compile(
    r"\b(?:said|asked|replied|cried|answered|whispered|shouted|exclaimed)\s+(?:the\s+)?$"
)
_VOCATIVE_AFTER = re.compile(r"^\s*[!?,.]")
_VOCATIVE_BEFORE = re.compile(r",\s*$")  # mid-quote, after a comma: "Damn it, Yang!"
_COUNTED_BEFORE = re.compile(
    r"\b(?:[Aa]n?|[Oo]ne|[Tt]wo|[Tt]hree|[Ff]our|[Ff]ive|[Ss]everal|[Aa]nother|[Ee]very|[Ee]ach"
    r"|[Mm]any|[Ff]ew|[Oo]ther|[Ss]ome)\s+$"
)
_PLACE_BEFORE = re.compile(
    r"\b(?:at|in|into|to|from|near|toward|towards|through|round|around|across|of)\s+(?:the\s+)?$"
)
_TAG_VERBS = (
    r"(?:said|says|asked|asks|replied|replies|answered|answers|cried|cries|shouted|shouts"
    r"|whispered|whispers|muttered|mutters|murmured|murmurs|snapped|snaps|sighed|sighs"
    r"|called|calls|yelled|yells|demanded|demands|added|adds|quipped|quips|continued"
    r"|continues|growled|growls|laughed|laughs|exclaimed|insisted|insists|warned|warns"
    r"|croaked|croaks|hissed|hisses|crooned|croons|snarled|snarls|mumbled|mumbles|gasped|gasps)"
)
# '..." said the sheriff' / 'the sheriff sighs, "..."': a description as a speech tag's
# subject. Each pattern starts with something the regex engine can skip ahead to (a
# quotation mark, "the"): an alternation of verbs first would be tried at every position.
_DESCRIBED_SPEAKER = (
    re.compile(rf"[”\"']\s+{_TAG_VERBS}\s+the\s+([a-z]{{3,}})\b"),
    re.compile(rf"[Tt]he\s+(?:[a-z]+\s+)?([a-z]{{3,}})\s+{_TAG_VERBS}\b"),  # "the robed wizard"
)
_MIN_DESCRIBED_TAGS = 2
# "Mama was waiting", "said Dad": a parent the narration calls by what they are
# called at home, capitalised and with no "my" or "the" before it: a name.
_KIN_NAMES: dict[str, Gender] = {
    **dict.fromkeys("Mama Mom Mum Mommy Mummy Grandma Granny Nana".split(), "she"),
    **dict.fromkeys("Papa Dad Daddy Grandpa".split(), "he"),
}
_KIN_NAME = re.compile(
    r"(?<![Mm]y\s)(?<![Hh]is\s)(?<![Hh]er\s)(?<![Oo]ur\s)(?<![Tt]he\s)(?<![Yy]our\s)"
    rf"\b({'|'.join(_KIN_NAMES)})\b(?!\s+[A-Z])"
)
_MIN_KIN_NAMED = 3  # times the narration calls a parent so
_I_SAID = re.compile(rf"\bI\s+{_TAG_VERBS}\b")  # "I said": a story told in the first person
_FIRST_PERSON_TAGS = 3
_SECOND_PERSON = re.compile(r"\b[Yy]ou(?:rs?|rself)?\b")
_YOU_SAID = (re.compile(rf"\byou\s+{_TAG_VERBS}\b"), re.compile(rf"\bYou\s+{_TAG_VERBS}\b"))
_NAME_BLANK = re.compile(r"\b[YFLH]/N(?:-\w+)?")  # your name, first name, last name, hair
_SECOND_PERSON_SHARE = 0.01
_READER_SAMPLE = 50_000
# Words for anyone ("the old man", "the girl"): most often a named character seen
# from outside, so they are read like a pronoun of this gender, never made a character.
DESCRIPTION_GENDER: dict[str, Gender] = {
    **dict.fromkeys(
        "man men gentleman son boy father lad fellow husband brother uncle clergyman "
        "priest king prince lord sir youth stranger master".split(),
        "he",
    ),
    **dict.fromkeys(
        "woman lady girl daughter mother wife sister aunt queen princess maid "
        "mistress widow governess".split(),
        "she",
    ),
}
# Nouns for people of one sex ("the witch", "the waiter"): a described character named by
# one has that gender, whatever pronouns stand near its mentions.
GENDERED_NOUNS: dict[str, Gender] = {
    **dict.fromkeys(
        "wizard sorcerer warlock waiter steward monk friar duke baron earl emperor god actor "
        "landlord headmaster postman policeman fireman salesman butler nephew groom "
        "bridegroom boyfriend grandfather".split(),
        "he",
    ),
    **dict.fromkeys(
        "witch sorceress waitress stewardess nun duchess baroness countess empress goddess "
        "actress hostess landlady headmistress policewoman saleswoman niece bride girlfriend "
        "grandmother".split(),
        "she",
    ),
}
_NOT_A_PERSON = frozenset(
    "other others one two three first second third last former latter voice voices crowd group "
    "rest same class room team audience radio television phone letter note sign door".split()
)
# The last word of a place's name ("the Forbidden Forest", "Baker Street"): a name ending
# in one is a person only when its first word is a first name ("Jack Hall", "Ivy Lane").
_PLACE_HEADS = frozenset(
    "forest woods lake river sea ocean bay island isle mountain mountains hill hills valley "
    "street road lane avenue alley square park bridge castle manor tower hall palace abbey "
    "village town city kingdom empire academy school college university hospital station "
    "ministry department library tavern inn pub cafe church cathedral temple shrine".split()
)
_PRONOUN_WINDOW = 80  # characters after a mention where its pronouns are looked for
_MIN_MENTIONS_WITHOUT_EVIDENCE = 3


@dataclass(frozen=True, slots=True)
class Character:
    """One character: best name, the names seen, gender when evident, mention count."""

    name: str
    aliases: tuple[str, ...]
    gender: Gender | None
    mentions: int


@dataclass(frozen=True, slots=True)
class Mention:
    span: Span
    character: int  # index into Cast.characters


@dataclass(frozen=True, slots=True)
class Cast:
    """The characters of a work (most mentioned first) and their mentions per text."""

    characters: tuple[Character, ...]
    mentions: tuple[tuple[Mention, ...], ...]

    def index_of(self, name: str) -> int | None:
        return next((i for i, c in enumerate(self.characters) if c.name == name), None)


def find_characters(
    texts: Sequence[str],
    *,
    regions: Sequence[Sequence[Span]] | None = None,
    known: Mapping[str, Sequence[str]] | None = None,
) -> Cast:
    """Find the characters of a work's texts; ``regions`` limits reading to the story."""
    areas = [
        list(regions[i]) if regions is not None else [Span(0, len(text))]
        for i, text in enumerate(texts)
    ]
    if known:
        return _map_known(texts, areas, known)
    return _discover(texts, areas)


# Discovery ------------------------------------------------------------------


@dataclass(slots=True)
class _Form:
    """One surface form ("Mark Sloan", "Mr. Sloan", "Lex") and where it occurs."""

    text: str
    tokens: tuple[str, ...]
    honorific: str
    places: list[tuple[int, Span]] = field(default_factory=list)  # (text index, span)
    he: int = 0
    she: int = 0
    acts: int = 0  # followed by a verb of doing, or a speech verb's subject
    addressed: int = 0  # used to address someone in dialogue ("Damn it, Yang!")
    in_narration: int = 0
    after_place_word: int = 0  # "at Hartfield", "in Italy": places, not people
    after_the: int = 0  # "the Draco Lookalike": a description, not a full name
    counted: int = 0  # "a Genin", "two Wraith", "another Jounin": a kind of being, not one


def _discover(texts: Sequence[str], areas: list[list[Span]]) -> Cast:
    lowercase = Counter[str]()
    for text, spans in zip(texts, areas, strict=True):
        for span in spans:
            lowercase.update(_LOWER_WORD.findall(text, span.start, span.end))
    forms = _collect_forms(texts, areas, lowercase)
    first_person = sum(
        len(_I_SAID.findall(text, span.start, span.end))
        for text, spans in zip(texts, areas, strict=True)
        for span in spans
    )
    clusters = _cluster(forms, first_person=first_person >= _FIRST_PERSON_TAGS)
    clusters += _described_speakers(texts, areas)
    clusters += _kin_called_by_name(texts, areas)
    reader = _reader_insert(texts, areas)
    if reader is not None:
        clusters.append(reader)
    return _as_cast(texts, clusters)


def _reader_insert(texts: Sequence[str], areas: list[list[Span]]) -> _Cluster | None:
    """The reader of a second-person story ("You asked", "F/N-chan"), as AO3 tags them: Reader.

    A story told to "you", whose narration says "you" at least once in a
    hundred words and either leaves the reader's name blank ("Y/N", "F/N")
    or tags dialogue "you said", has the reader as a character; the blanks
    are the mentions, and "you" an alias the speech tags resolve through.
    """
    tags = sum(
        len(pattern.findall(text, span.start, span.end))
        for text, spans in zip(texts, areas, strict=True)
        for span in spans
        for pattern in _YOU_SAID
    )
    if tags < 2 and not any(_NAME_BLANK.search(text) for text in texts):
        return None  # the usual case, decided without counting every "you"
    words = second_person = 0
    budget = _READER_SAMPLE  # characters of story whose "you"s are counted: a sample is enough
    reader = _Form("Reader", ("Reader",), "")
    blanks: dict[str, _Form] = {}  # "F/N-chan" as written: the names the reader is called
    for index, (text, spans) in enumerate(zip(texts, areas, strict=True)):
        quoted = _quoted_ranges(text) if budget > 0 else None
        for span in spans:
            end = min(span.end, span.start + max(budget, 0))
            budget -= end - span.start
            for match in _SECOND_PERSON.finditer(text, span.start, end):
                if quoted is not None and not quoted.inside(match.start()):
                    second_person += 1
            words += text.count(" ", span.start, end) + (end > span.start)
            for match in _NAME_BLANK.finditer(text, span.start, span.end):
                place = Span(match.start(), match.end())
                reader.places.append((index, place))
                form = blanks.setdefault(match.group(), _Form(match.group(), (match.group(),), ""))
                form.places.append((index, place))
    if second_person < _SECOND_PERSON_SHARE * words or not (reader.places or tags >= 2):
        return None
    # The blanks' places are the reader's mentions (on the "Reader" form, which names
    # the character); the forms as written are kept as aliases, without places.
    aliases = [_Form(form.text, form.tokens, "") for form in blanks.values()]
    return _Cluster([reader, _Form("you", ("you",), ""), *aliases])


def _described_speakers(texts: Sequence[str], areas: list[list[Span]]) -> list[_Cluster]:
    """People the story names only by a description that speaks: "the sheriff", "the witch".

    A "the <noun>" that is the subject of a speech tag at least twice
    ("said the sheriff", "the sheriff sighs", "the robed wizard croaked") is
    a character of its own, named as the text names it; every "the <noun>"
    in the narration is a mention, and "the <word> <noun>" ("the skeletal
    wizard") an alias. Words for groups and for "the other one" are not people.
    """
    tagged = Counter[str]()
    for text, spans in zip(texts, areas, strict=True):
        for span in spans:
            for pattern in _DESCRIBED_SPEAKER:
                tagged.update(pattern.findall(text, span.start, span.end))
    nouns = sorted(
        noun
        for noun, count in tagged.items()
        if count >= _MIN_DESCRIBED_TAGS
        and noun not in _NOT_A_PERSON
        and noun not in DESCRIPTION_GENDER
    )
    if not nouns:
        return []
    forms = {noun: _Form(f"the {noun}", ("the", noun), "") for noun in nouns}
    alternatives = "|".join(map(re.escape, nouns))
    described = re.compile(rf"\b[Tt]he\s+({alternatives})\b")
    qualified = re.compile(rf"\b[Tt]he\s+[a-z]+\s+({alternatives})\b")
    # "the robed wizard", "the skeletal wizard": the same one, kept as aliases without places.
    written: dict[str, dict[str, _Form]] = {noun: {} for noun in nouns}
    for index, (text, spans) in enumerate(zip(texts, areas, strict=True)):
        quoted = _quoted_ranges(text)
        for span in spans:
            for match in described.finditer(text, span.start, span.end):
                noun = match.group(1).lower()
                form = forms[noun]
                place = Span(match.start(), match.end())
                form.places.append((index, place))
                _observe(form, text, place, quoted)
            # Places only for "the wizard": counting "the robed wizard" too cost the
            # PDNC novels more speakers than it won (their "the young man" is anyone).
            for match in qualified.finditer(text, span.start, span.end):
                phrase = " ".join(match.group().lower().split())
                written[match.group(1).lower()].setdefault(
                    phrase, _Form(phrase, tuple(phrase.split()), "")
                )
    return [_Cluster([form, *written[noun].values()]) for noun, form in forms.items()]


def _kin_called_by_name(texts: Sequence[str], areas: list[list[Span]]) -> list[_Cluster]:
    """Parents the narration calls by name: "Mama was waiting", "'Hmm,' said Mama."

    A capitalised "Mama" or "Dad" with no "my", "his" or "the" before it is
    a name; used so at least three times in the narration, it is a
    character of its own (of the word's gender), and every such use, in the
    narration or in speech ("Dad!"), a mention.
    """
    forms: dict[str, _Form] = {}
    narrated = Counter[str]()
    for index, (text, spans) in enumerate(zip(texts, areas, strict=True)):
        quoted: _Quoted | None = None
        for span in spans:
            for match in _KIN_NAME.finditer(text, span.start, span.end):
                quoted = quoted or _quoted_ranges(text)
                word = match.group(1)
                form = forms.setdefault(word, _Form(word, (word,), ""))
                place = Span(match.start(), match.end())
                form.places.append((index, place))
                _observe(form, text, place, quoted)
                narrated[word] += not quoted.inside(place.start)
    clusters = []
    for word, form in forms.items():
        if narrated[word] >= _MIN_KIN_NAMED:
            if _KIN_NAMES[word] == "he":
                form.he += len(form.places)
            else:
                form.she += len(form.places)
            clusters.append(_Cluster([form]))
    return clusters


def _collect_forms(
    texts: Sequence[str], areas: list[list[Span]], lowercase: Counter[str]
) -> dict[str, _Form]:
    forms: dict[str, _Form] = {}
    mid_sentence = Counter[str]()
    for index, (text, spans) in enumerate(zip(texts, areas, strict=True)):
        quoted = _quoted_ranges(text)
        for span in spans:
            for match in _candidates(text, span):
                for seen in _split_candidate(text, match, lowercase):
                    if not seen.initial:
                        mid_sentence.update(seen.tokens)
                    entry = forms.get(seen.text)
                    if entry is None:
                        entry = forms[seen.text] = _Form(seen.text, seen.tokens, seen.honorific)
                    entry.places.append((index, seen.place))
                    _observe(entry, text, seen.place, quoted)
    in_full_names = {t for form in forms.values() if len(form.tokens) > 1 for t in form.tokens}
    names = {
        key: form
        for key, form in forms.items()
        if _is_name(form, mid_sentence, lowercase, in_full_names)
    }
    groups = _groups_and_kinds(names, in_full_names)
    people = {key: form for key, form in names.items() if key not in groups and _is_person(form)}
    # A full name spelled once ("Wren Tally.") has little evidence of its own; its
    # first name acting elsewhere ("Wren ran") is evidence enough that it names a person.
    # Where names are Japanese, the given name may come last ("Uzumaki Naruto").
    given_last = _family_names_first(names)
    known: set[tuple[str, ...]] = {f.tokens for f in people.values() if len(f.tokens) == 2}
    for key, form in names.items():
        if key in people:
            continue
        family_first = given_last or _only_a_family_name(form, forms, lowercase)
        if _given_name_is_person(form, people, known, given_last=family_first):
            people[key] = form
    return people


# A word made of Japanese syllables as fans romanise them ("Momochi", "Hattori", "Kanzaki").
_ROMANISED_JAPANESE = re.compile(
    r"(?:(?:[kstpc](?=[kstpc]))?(?:sh|ch|ts|[kgsztdnhbpmyrwfj])?y?[aeiou]|n(?![aeiouy]))+",
    re.IGNORECASE,
)


def _only_a_family_name(form: _Form, forms: Mapping[str, _Form], lowercase: Counter[str]) -> bool:
    """Whether a two-word name's first word is a Japanese family name before the given name.

    "So... Tsukamori Kestrel, the hermit" in a story that otherwise says only
    "Kestrel": a first word of Japanese syllables that the text never uses
    alone or in lower case, and no given name the lexicon knows, is a family
    name written first, as fans write Japanese names ("Momochi Zabuza"),
    even where no "-san" or "-kun" shows the story's names are Japanese.
    ("Surely Kestrel", "Headmistress Kestrel" are not.)
    """
    if form.honorific or len(form.tokens) != 2:
        return False
    first = form.tokens[0]
    return (
        first not in forms
        and not lowercase[first.lower()]
        and _ROMANISED_JAPANESE.fullmatch(first) is not None
        and _first_name_gender(first) is None
    )


def _groups_and_kinds(names: Mapping[str, _Form], in_full_names: set[str]) -> set[str]:
    """One-word names written both as one and as many: families and kinds of being, no one.

    "the Potters", "the Ancients": a plural of a name is a family or a people,
    unless it is part of a full name ("Jane Banks"). The singular goes too
    when the text counts it or says it after "the" like a thing ("an Ancient
    bed", "the Ancient"), and it is part of no full name ("Harry Potter"):
    a man called Slackbridge stays a man beside "the Slackbridges of this
    world". Given names the lexicon knows ("Roger" of "Rogers") and titled
    names ("Mr. Potter") are left alone.
    """
    found = set()
    for key, form in names.items():
        if len(form.tokens) != 1 or form.honorific or not key.endswith("s") or key.endswith("ss"):
            continue
        if key in in_full_names:
            continue
        for singular in (key[:-1], key[:-2] if key.endswith("es") else ""):
            one = names.get(singular)
            if one is None or one.honorific or _first_name_gender(singular) is not None:
                continue
            found.add(key)
            like_a_thing = one.counted or 2 * one.after_the > len(one.places)
            if like_a_thing and singular not in in_full_names:
                found.add(singular)
    return found


def _given_name_is_person(
    form: _Form,
    people: Mapping[str, _Form],
    two_word_people: set[tuple[str, ...]],
    *,
    given_last: bool,
) -> bool:
    """Whether a full name's given name is itself a person's name ("Wren" of "Wren Tally").

    The given name is the first word, or the last where names are written
    family name first, or when the name is a person's written the other way
    round ("Barrow Elin" of "Elin Barrow").
    """
    if form.honorific or len(form.tokens) < 2:
        return False
    words: tuple[str, ...]
    if given_last or form.tokens[::-1] in two_word_people:
        words = (form.tokens[0], form.tokens[-1])
    else:
        words = (form.tokens[0],)
    return any(
        (given := people.get(word)) is not None and not given.honorific and len(given.tokens) == 1
        for word in words
    )


def _candidates(text: str, span: Span) -> Iterator[re.Match[str]]:
    """``CANDIDATE.finditer`` over ``span``, tried only where a capital starts a word."""
    resume = span.start
    for start in _CANDIDATE_START.finditer(text, span.start, span.end):
        if start.start() < resume:
            continue
        match = CANDIDATE.match(text, start.start(), span.end)
        if match is not None:
            resume = match.end()
            yield match


class _Seen(NamedTuple):
    """One name-like run of a candidate, as it stands at one place."""

    text: str  # as _Form.text
    tokens: tuple[str, ...]
    honorific: str
    place: Span
    initial: bool  # at the start of a sentence


def _split_candidate(text: str, match: re.Match[str], lowercase: Counter[str]) -> list[_Seen]:
    """The name-like runs of a candidate, dropping stop words ("When Mark" -> "Mark").

    A word that opens the sentence and is used in lower case elsewhere is
    not part of the name after it ("Seeing Naruto", "Despite Mark").
    (Splitting runs after "the" as well, "the Draco Lookalike", helped fan
    fiction by 0.005 and cost the PDNC novels as much: "the Mock Turtle".)
    """
    honorific = match.group("honorific") or ""
    name_start = match.start("name")
    result = []
    for position, (tokens, start, end) in enumerate(_name_runs(match, titled=bool(honorific))):
        own_honorific = honorific if position == 0 and start == name_start else ""
        initial = (
            not own_honorific and _SENTENCE_END.search(text, max(0, start - 3), start) is not None
        )
        if len(tokens) > 1 and not own_honorific and initial and _opener(tokens[0], lowercase):
            start = start + len(tokens[0]) + text[start + len(tokens[0]) : end].find(tokens[1])
            tokens, initial = tokens[1:], False
        display = " ".join(tokens)
        if own_honorific:
            start = match.start()
            display = _SPACES.sub(" ", text[start:end])
        result.append(_Seen(display, tokens, own_honorific.lower(), Span(start, end), initial))
    return result


def _opener(word: str, lowercase: Counter[str]) -> bool:
    """Whether a sentence's first word is an ordinary word rather than a first name.

    It is when the text uses it in lower case too, or when it is a participle
    no first name lexicon knows ("Seeing Naruto", "Hearing Mark": "Irving" is a name).
    """
    if lowercase[word.lower()]:
        return True
    return word.endswith("ing") and len(word) > 5 and _first_name_gender(word) is None


def _name_runs(match: re.Match[str], *, titled: bool) -> list[tuple[tuple[str, ...], int, int]]:
    """The runs of name words between stop words, as (words, start, end)."""
    name, offset = match.group("name"), match.start("name")
    if " " not in name and "\t" not in name:  # one word, the usual case
        return [] if _breaks_name(name, titled) else [((name,), offset, offset + len(name))]
    runs = []
    run: list[re.Match[str]] = []
    for token in [*_TOKEN.finditer(name), None]:
        if token is not None and not _breaks_name(token.group(), titled):
            run.append(token)
        elif run:
            words = tuple(word.group() for word in run)
            runs.append((words, offset + run[0].start(), offset + run[-1].end()))
            run = []
    return runs


def _breaks_name(word: str, titled: bool) -> bool:
    """A stop word, or an honorific inside a name that has none in front ("When", "Sir")."""
    lowered = word.lower()
    return lowered in STOP_WORDS or (lowered in HONORIFICS and not titled)


def _observe(form: _Form, text: str, place: Span, quoted: _Quoted) -> None:
    after = text[place.end : place.end + _PRONOUN_WINDOW]
    # The first third-person pronoun in the rest of the sentence most often means this person.
    sentence = after[: m.start()] if (m := _SENTENCE_STOP.search(after)) else after
    pronoun = _PRONOUN.search(sentence)
    if pronoun is not None:
        if pronoun.group("he"):
            form.he += 1
        else:
            form.she += 1
    before = text[max(0, place.start - 30) : place.start]
    if _ACTION_AFTER.match(text, place.end, place.end + 30) or _SAID_BEFORE.search(before):
        form.acts += 1
    inside_quote = quoted.inside(place.start)
    if inside_quote and _VOCATIVE_AFTER.match(after) and _VOCATIVE_BEFORE.search(before[-3:]):
        form.addressed += 1
    if before.endswith(("the ", "The ")):
        form.after_the += 1
    if _COUNTED_BEFORE.search(before):
        form.counted += 1
    if _PLACE_BEFORE.search(before):
        form.after_place_word += 1
    if not inside_quote:
        form.in_narration += 1


@dataclass(frozen=True, slots=True)
class _Quoted:
    """Where a text's quotations start and end, for telling dialogue from narration."""

    starts: list[int]
    ends: list[int]

    def inside(self, position: int) -> bool:
        index = bisect_right(self.starts, position) - 1
        return index >= 0 and position < self.ends[index]


_QUOTED = re.compile(r"[\"“][^\"“”\n]{0,2000}[\"”]")


def _quoted_ranges(text: str) -> _Quoted:
    matches = [match.span() for match in _QUOTED.finditer(text)]
    return _Quoted([start for start, _ in matches], [end for _, end in matches])


def _is_name(
    form: _Form, mid_sentence: Counter[str], lowercase: Counter[str], in_full_names: set[str]
) -> bool:
    """Whether a form is a name rather than a capitalised ordinary word.

    Words seen only at the start of sentences count when they belong to a
    full name or are first names the lexicon knows and never appear in
    lower case ("Cristina was there.").
    """
    if form.honorific or len(form.tokens) > 1:
        return True
    token = form.tokens[0]
    if lowercase[token.lower()] > mid_sentence[token]:
        return False
    return (
        mid_sentence[token] > 0
        or token in in_full_names
        or (lowercase[token.lower()] == 0 and _first_name_gender(token) is not None)
    )


def _is_person(form: _Form) -> bool:
    if form.honorific:
        return True
    if 2 * form.after_place_word > len(form.places) and not _first_name_gender(form.tokens[0]):
        return False  # mostly "at X", "in X", "to X": a place
    if 3 * form.counted >= len(form.places) and not _first_name_gender(form.tokens[0]):
        return False  # "a Genin", "two Genin": a rank or a species, not a person
    if (
        len(form.tokens) > 1
        and form.tokens[-1].lower() in _PLACE_HEADS
        and not _first_name_gender(form.tokens[0])
    ):
        return False  # "the Forbidden Forest", "Diagon Alley"
    if form.acts or form.addressed:
        return True
    if any(_first_name_gender(token) for token in form.tokens[:1]):
        return True
    return len(form.places) >= _MIN_MENTIONS_WITHOUT_EVIDENCE and (form.he + form.she) > 0


@cache
def _detector() -> object:
    import gender_guesser.detector as gender_detector

    return gender_detector.Detector(case_sensitive=False)


@cache
def _first_name_gender(name: str) -> Gender | None:
    guess = str(_detector().get_gender(name))  # type: ignore[attr-defined]
    if guess in {"male", "mostly_male"}:
        return "he"
    if guess in {"female", "mostly_female"}:
        return "she"
    return None


@dataclass(slots=True)
class _Cluster:
    forms: list[_Form]
    preferred: str = ""  # a spelled-out name to suggest instead of the best form as written

    @property
    def full(self) -> _Form:
        """The fullest, most frequent form: the character's best name ("Ino" over "Ino-chan")."""
        return max(
            self.forms,
            key=lambda f: (len(f.tokens) > 1, not f.honorific, not _suffix_base(f), len(f.places)),
        )

    @property
    def first_name(self) -> str | None:
        full = self.full
        return full.tokens[0] if len(full.tokens) > 1 or not full.honorific else None

    def gender(self) -> Gender | None:
        for form in self.forms:
            if form.honorific and HONORIFICS.get(form.honorific):
                return HONORIFICS[form.honorific]
            if len(form.tokens) == 2 and form.tokens[0] == "the":  # "the witch" is a woman
                noun_gender = GENDERED_NOUNS.get(form.tokens[1])
                if noun_gender is not None:
                    return noun_gender
        he = sum(f.he for f in self.forms)
        she = sum(f.she for f in self.forms)
        if he + she >= 2 and max(he, she) >= 2 * min(he, she):
            return "he" if he > she else "she"
        first = self.first_name
        return _first_name_gender(first) if first else None


def _cluster(forms: dict[str, _Form], *, first_person: bool = False) -> list[_Cluster]:
    # A run always written after "the" ("the Draco Lookalike") describes someone: it
    # keeps its own cluster but takes in no first name or surname of its own.
    described = {f.text for f in forms.values() if _described(f)}
    full_names = [
        f
        for f in forms.values()
        if len(f.tokens) > 1 and not f.honorific and f.text not in described
    ]
    clusters: dict[str, _Cluster] = {f.text: _Cluster([f]) for f in full_names}
    # "Dr. Rodney McKay", never written without the title, is still the full name
    # "Rodney McKay" that "Rodney" and "McKay" join.
    for form in forms.values():
        bare = " ".join(form.tokens)
        founder = form.honorific and len(form.tokens) > 1 and form.text not in described
        if founder and bare not in clusters:
            clusters[bare] = _Cluster([form])
    # Longer names absorb shorter ones that start the same ("Mary Ann Evans" <- "Mary Ann").
    by_first: defaultdict[str, list[str]] = defaultdict(list)
    by_last: defaultdict[str, list[str]] = defaultdict(list)
    for name, cluster in clusters.items():
        tokens = cluster.forms[0].tokens
        by_first[tokens[0]].append(name)
        by_last[tokens[-1]].append(name)
    founders = {id(cluster.forms[0]) for cluster in clusters.values()}
    singles = sorted(
        (
            f
            for f in forms.values()
            if (len(f.tokens) == 1 or f.honorific) and id(f) not in founders
        ),
        key=lambda f: -len(f.places),
    )
    loners = [_Cluster([forms[text]]) for text in described if not forms[text].honorific]
    for form in singles:
        home = _home_for(form, forms, clusters, by_first, by_last)
        if home is not None:
            home.forms.append(form)
        else:
            loners.append(_Cluster([form]))
    merged = _merge_nicknames(_merge_bare_surnames([*clusters.values(), *loners]))
    merged = _merge_reversed(_merge_suffixed(merged))
    if _family_names_first(forms):
        for cluster in merged:
            _prefer_family_first(cluster)
    # In a story told by "I", the name the others call out and the narration never
    # uses is most often the narrator's own: it stays a character of its own.
    return merged if first_person else _attach_address_only(merged)


def _described(form: _Form) -> bool:
    """A capitalised run always written after "the" ("the Draco Lookalike"): a description."""
    return len(form.tokens) > 1 and form.after_the == len(form.places)


def _merge_bare_surnames(clusters: list[_Cluster]) -> list[_Cluster]:
    """ "Bounderby" joins "Mr. Bounderby" when only one person carries that surname."""
    titled: defaultdict[str, list[_Cluster]] = defaultdict(list)
    for cluster in clusters:
        full = cluster.full
        titled[full.tokens[-1]].append(cluster)
    kept = []
    for cluster in clusters:
        full = cluster.full
        if len(cluster.forms) == 1 and len(full.tokens) == 1 and not full.honorific:
            # "the Tally Wren" owns "the Wren" but not the "Wren" who stares.
            described = full.after_the == len(full.places)
            owners = [
                c
                for c in titled[full.tokens[0]]
                if c is not cluster and (described or not _described(c.full))
            ]
            if len(owners) == 1 and not _used_alone(full, owners[0]):
                owners[0].forms.append(full)
                continue
        kept.append(cluster)
    return kept


# Titles put before a first name: "King Arthur" is Arthur Pendragon, "Uncle Remus" Remus Lupin
# ("Lord", "Lady" and "Sir" go as often with a surname: "Lord Malfoy").
_FIRST_NAME_TITLES = frozenset("king queen prince princess aunt uncle".split())


def _home_for(
    form: _Form,
    forms: dict[str, _Form],
    clusters: dict[str, _Cluster],
    by_first: Mapping[str, list[str]],
    by_last: Mapping[str, list[str]],
) -> _Cluster | None:
    token = form.tokens[-1] if form.honorific else form.tokens[0]
    if len(form.tokens) > 1:  # "Mr. Mark Sloan" -> "Mark Sloan"
        bare = " ".join(form.tokens)
        return clusters.get(bare)
    if not form.honorific and token in by_first:
        dominant = _dominant(by_first[token], clusters)
        if dominant is not None:
            return clusters[dominant]
    owners = by_last.get(token, [])
    if len(owners) != 1:
        if form.honorific in _FIRST_NAME_TITLES and token in by_first:  # no such surname
            dominant = _dominant(by_first[token], clusters)
            return clusters[dominant] if dominant is not None else None
        return None
    owner = clusters[owners[0]]
    form_gender = HONORIFICS.get(form.honorific) if form.honorific else _pronoun_gender(form)
    owner_gender = owner.gender()
    if form_gender and owner_gender and form_gender != owner_gender:
        return None  # "Sloan ... her" is not Mark Sloan: a different person
    if not form.honorific and _used_alone(form, owner):
        return None
    return owner


def _dominant(names: list[str], clusters: Mapping[str, _Cluster]) -> str | None:
    """The one full name, or one used at least three times as often as any other."""

    def used(name: str) -> int:
        return len(clusters[name].forms[0].places)

    ranked = sorted(names, key=lambda n: -used(n))
    if len(ranked) == 1 or used(ranked[0]) >= 3 * used(ranked[1]):
        return ranked[0]
    return None


def _pronoun_gender(form: _Form) -> Gender | None:
    if form.he + form.she == 0 or form.he == form.she:
        return None
    return "he" if form.he > form.she else "she"


def _used_alone(form: _Form, owner: _Cluster) -> bool:
    """A bare surname whose pronouns are not its full name's reads as a person of its own.

    Mark Sloan is "he"; "Sloan never liked me ... of her" is his daughter.
    """
    owner_gender = owner.gender()
    if owner_gender is None or len(form.places) < 3:
        return False
    same = form.he if owner_gender == "he" else form.she
    opposite = form.she if owner_gender == "he" else form.he
    return opposite > same


def _merge_nicknames(clusters: list[_Cluster]) -> list[_Cluster]:
    """ "Lex" joins "Lexie Grey"; "Bill" joins "William" (the nicknames package)."""
    firsts, names = _first_names(clusters)
    kept: list[_Cluster] = []
    for cluster in clusters:
        full = cluster.full
        if len(cluster.forms) == 1 and len(full.tokens) == 1 and not full.honorific:
            target = _nickname_target(full.tokens[0], firsts, names, cluster)
            if target is not None:
                target.forms.append(full)
                continue
        kept.append(cluster)
    return kept


def _first_names(
    clusters: list[_Cluster],
) -> tuple[defaultdict[str, list[_Cluster]], list[str]]:
    """Clusters by their best name's first word (lower case), and those words sorted.

    Sorted, names sharing a prefix stand together, for bisect.
    """
    firsts: defaultdict[str, list[_Cluster]] = defaultdict(list)
    for cluster in clusters:
        if len(cluster.full.tokens) > 1 or not cluster.full.honorific:
            firsts[cluster.full.tokens[0].lower()].append(cluster)
    return firsts, sorted(firsts)


def _nickname_target(
    token: str, firsts: Mapping[str, list[_Cluster]], names: list[str], own: _Cluster
) -> _Cluster | None:
    lowered = token.lower()
    prefixed = _longer_first_names(lowered, firsts, names, own) if len(lowered) >= 3 else []
    if len(prefixed) == 1:
        return prefixed[0]
    formal = _nicknames().canonicals_of(lowered) | _nicknames().nicknames_of(lowered)
    matches = [c for name in formal for c in firsts.get(name, []) if c is not own]
    return matches[0] if len(matches) == 1 else None


def _longer_first_names(
    prefix: str, firsts: Mapping[str, list[_Cluster]], names: list[str], own: _Cluster
) -> list[_Cluster]:
    """Clusters whose first name starts with ``prefix`` and is longer ("Lex" -> "Lexie").

    Only whether there is exactly one matters, so the search stops at two:
    a cast of thousands is not read again for each of its names.
    """
    found: list[_Cluster] = []
    index = bisect_right(names, prefix)  # past ``prefix`` itself
    while index < len(names) and names[index].startswith(prefix):
        for cluster in firsts[names[index]]:
            if cluster is not own:
                found.append(cluster)
                if len(found) == 2:
                    return found
        index += 1
    return found


class _NickNamer(Protocol):
    def canonicals_of(self, name: str) -> set[str]: ...
    def nicknames_of(self, name: str) -> set[str]: ...


@cache
def _nicknames() -> _NickNamer:
    from nicknames import NickNamer

    namer: _NickNamer = NickNamer()
    return namer


# Japanese honorific suffixes as fans write them: "Ibiki-sensei", "Ino-chan", "Shi-nii".
_JAPANESE_SUFFIXES = frozenset(
    """san kun chan sama sensei senpai sempai dono nii niisan nee neesan nii-san nee-san chin tan
    chi kouhai shishou hime jiji baa-chan""".split()
)
_MIN_SUFFIXED = 3  # suffixed names (places) that show a story written with Japanese names


def _suffix_base(form: _Form) -> str | None:
    """The name before a Japanese honorific suffix ("Ibiki" of "Ibiki-sensei"), if any."""
    if form.honorific or len(form.tokens) != 1:
        return None
    base, dash, suffix = form.tokens[0].partition("-")
    return base if dash and suffix.lower() in _JAPANESE_SUFFIXES else None


def _merge_suffixed(clusters: list[_Cluster]) -> list[_Cluster]:
    """ "Ibiki-sensei" joins "Ibiki", and "Shi-nii" whoever "Shi" is a nickname of ("Shisui")."""
    owner_of: dict[str, _Cluster] = {}
    for cluster in clusters:
        for form in cluster.forms:
            if len(form.tokens) == 1 and not form.honorific:
                owner_of.setdefault(form.text, cluster)
    firsts, names = _first_names(clusters)
    kept: list[_Cluster] = []
    for cluster in clusters:
        base = _suffix_base(cluster.full) if len(cluster.forms) == 1 else None
        target = owner_of.get(base) if base else None
        if base and target is None:
            target = _nickname_target(base, firsts, names, cluster)
        if target is not None and target is not cluster:
            target.forms.extend(cluster.forms)
            continue
        kept.append(cluster)
    return kept


def _merge_reversed(clusters: list[_Cluster]) -> list[_Cluster]:
    """ "Naruto Uzumaki" and "Uzumaki Naruto" are one person written in two orders."""
    by_name = {
        cluster.full.tokens: cluster
        for cluster in clusters
        if len(cluster.full.tokens) == 2 and not cluster.full.honorific
    }
    kept: list[_Cluster] = []
    gone: set[int] = set()
    for cluster in clusters:
        if id(cluster) in gone:
            continue
        tokens = cluster.full.tokens
        other = by_name.get(tokens[::-1]) if len(tokens) == 2 else None
        if other is not None and other is not cluster and id(other) not in gone:
            cluster.forms.extend(other.forms)
            gone.add(id(other))
        kept.append(cluster)
    return [cluster for cluster in kept if id(cluster) not in gone]


def _family_names_first(forms: Mapping[str, _Form]) -> bool:
    """Whether the story calls people "Ibiki-sensei", "Ino-chan": Japanese names.

    Fans and AO3's canonical tags write Japanese names family name first
    ("Uzumaki Naruto"), whichever order the story itself uses.
    """
    suffixed = sum(len(form.places) for form in forms.values() if _suffix_base(form))
    return suffixed >= _MIN_SUFFIXED


def _prefer_family_first(cluster: _Cluster) -> None:
    """Suggest a two-word name family name first when its first word is the one used alone.

    "Naruto Uzumaki" with "Naruto" used alone is given name first: the
    cluster is suggested as "Uzumaki Naruto" (both orders are its aliases).
    """
    full = cluster.full
    if len(full.tokens) != 2 or full.honorific:
        return
    given, family = full.tokens
    alone = Counter[str]()
    for form in cluster.forms:
        if len(form.tokens) == 1 and not form.honorific:
            alone[_suffix_base(form) or form.text] += len(form.places)
    if alone[given] > alone[family]:
        cluster.preferred = f"{family} {given}"


def _attach_address_only(clusters: list[_Cluster]) -> list[_Cluster]:
    """A name only ever used to address someone joins the person last named in narration."""
    # Only a one-word name takes one in; merging one-word forms never changes
    # whether a best name is one word, so those mentions are listed once.
    narration: list[tuple[tuple[int, int], _Cluster]] = []
    for cluster in clusters:
        if len(cluster.full.tokens) != 1:
            continue
        for form in cluster.forms:
            if form.in_narration:
                narration.extend(((doc, span.start), cluster) for doc, span in form.places)
    narration.sort(key=lambda item: item[0])
    positions = [position for position, _ in narration]
    kept: list[_Cluster] = []
    taken_in: defaultdict[int, list[_Form]] = defaultdict(list)
    for cluster in clusters:
        full = cluster.full
        if (
            len(cluster.forms) == 1
            and full.addressed
            and not full.in_narration
            and len(full.tokens) == 1
        ):
            doc, span = full.places[0]
            index = bisect_left(positions, (doc, span.start)) - 1
            while index >= 0 and narration[index][1] is cluster:
                index -= 1
            named = narration[index][1] if index >= 0 else None
            if named is not None:
                named.forms.append(full)
                taken_in[id(named)].append(full)
                continue
        kept.append(cluster)
    for cluster in kept:
        if len(taken_in[id(cluster)]) == 1:
            _name_by_surname(cluster, taken_in[id(cluster)][0])
    return kept


def _name_by_surname(cluster: _Cluster, address: _Form) -> None:
    """A given name addressed by a word that is no given name is called by both: "Cristina Yang".

    Colleagues, soldiers and teammates call each other by surname ("Damn it,
    Yang!"). Only a plain word joins (no title, no "-chan" suffix), only after
    a known given name, and never a word that is a man's or a woman's given
    name itself: "Neko-chan", "Captain" or "Thomas" never become a surname.
    """
    given = cluster.full
    if len(given.tokens) != 1 or given.honorific or address.honorific or cluster.preferred:
        return
    word = address.text
    if not word.isalpha() or _suffix_base(address) or _first_name_gender(word) is not None:
        return
    if word in STOP_WORDS or word.lower() in _NOT_A_PERSON or _TITLE_WORD.fullmatch(word):
        return
    if _first_name_gender(given.text) is not None:
        cluster.preferred = f"{given.text} {word}"


def _as_cast(texts: Sequence[str], clusters: list[_Cluster]) -> Cast:
    clusters.sort(key=lambda c: -sum(len(f.places) for f in c.forms))
    characters = tuple(_character(cluster) for cluster in clusters)
    per_text: list[list[Mention]] = [[] for _ in texts]
    for index, cluster in enumerate(clusters):
        for form in cluster.forms:
            for doc, span in form.places:
                per_text[doc].append(Mention(span, index))
    return Cast(characters, tuple(tuple(sorted(m, key=_mention_order)) for m in per_text))


def _mention_order(mention: Mention) -> tuple[int, int]:
    # Span order, as a tuple: comparing Span objects calls Python code each time.
    return mention.span.start, mention.span.end


def _character(cluster: _Cluster) -> Character:
    # The name is one the text uses, or a given name and the surname its
    # character is addressed by ("Cristina" addressed as "Yang" is suggested as
    # "Cristina Yang"; see _name_by_surname for when the two may join).
    full = cluster.full
    # "Dr. Rodney McKay" is suggested as "Rodney McKay", the name without the title.
    name = cluster.preferred or (
        " ".join(full.tokens) if full.honorific and len(full.tokens) > 1 else full.text
    )
    aliases = sorted({f.text for f in cluster.forms} | {name})
    mentions = sum(len(f.places) for f in cluster.forms)
    return Character(name, tuple(aliases), cluster.gender(), mentions)


# A known cast ---------------------------------------------------------------


def _map_known(
    texts: Sequence[str], areas: list[list[Span]], known: Mapping[str, Sequence[str]]
) -> Cast:
    names = list(known)
    owners: defaultdict[str, list[int]] = defaultdict(list)
    for index, name in enumerate(names):
        for alias in {name, *known[name]}:
            if alias.strip():
                owners[alias.strip()].append(index)
    if not owners:
        return Cast(tuple(Character(n, (n,), None, 0) for n in names), tuple(() for _ in texts))
    pattern = re.compile(
        r"(?<!\w)(?:"
        + "|".join(re.escape(a) for a in sorted(owners, key=len, reverse=True))
        + r")(?!\w)"
    )
    counts = [0] * len(names)
    he = [0] * len(names)
    she = [0] * len(names)
    per_text: list[tuple[Mention, ...]] = []
    for text, spans in zip(texts, areas, strict=True):
        mentions: list[Mention] = []
        recent: dict[int, int] = {}
        for span in spans:
            for match in pattern.finditer(text, span.start, span.end):
                candidates = owners[match.group()]
                chosen = (
                    max(candidates, key=lambda c: (recent.get(c, -1), -c))
                    if len(candidates) > 1
                    else candidates[0]
                )
                recent[chosen] = match.start()
                counts[chosen] += 1
                mentions.append(Mention(Span(match.start(), match.end()), chosen))
                window = text[match.end() : match.end() + _PRONOUN_WINDOW]
                for pronoun in _PRONOUN.finditer(window):
                    (he if pronoun.group("he") else she)[chosen] += 1
        per_text.append(tuple(mentions))
    characters = tuple(
        Character(
            name,
            tuple(sorted({name, *known[name]})),
            _gender_of(name, known[name], he[i], she[i]),
            counts[i],
        )
        for i, name in enumerate(names)
    )
    return Cast(characters, tuple(per_text))


def _gender_of(name: str, aliases: Sequence[str], he: int, she: int) -> Gender | None:
    for alias in (name, *aliases):
        first = alias.split()[0].rstrip(".").lower() if alias.split() else ""
        if HONORIFICS.get(first):
            return HONORIFICS[first]
    if he + she >= 3 and max(he, she) >= 2 * min(he, she):
        return "he" if he > she else "she"
    return _first_name_gender(name.split()[0]) if name.split() else None
