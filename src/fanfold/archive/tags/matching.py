"""From the names a story uses to the archive's canonical tags of its fandom (pure Python).

The reading engine names characters as the story does ("Lexie", "Derek");
AO3-style archives tag them by canonical full names ("Lexie Grey", "Derek
Shepherd"). A suggested character matches a canonical character tag of the
work's fandom when its name or one of its aliases equals, in any case:

1. the tag's name or a synonym's name (``EXACT``);
2. the first word of one of those names (``FIRST``): "Lexie" is "Lexie Grey",
   "Lex" is "Lexie Grey" when "Lex Grey" is a synonym;
3. another word of one of those names (``PART``): "Shepherd" is "Derek Shepherd".

The strongest level wins. Two canonical tags at the strongest level ("Mark"
with both "Mark Sloan" and "Mark Twain" in the fandom) are ambiguous: the
story's name stays, and the note says why. A name matched only by a name
part gives way to a character matched more strongly: Mark Sloan's daughter
"Sloan" does not become "Mark Sloan" when "Mark Sloan" is in the story too.

A relationship ("A/B" romantic, "A & B" platonic) becomes its two
characters' tags, in the order a canonical relationship tag of those two
gives them (either order, through its synonyms), else in the story's order.

>>> canon = FandomCanon(
...     characters=(CanonTag("Lexie Grey", ("Lex Grey",)), CanonTag("Mark Sloan", ())),
...     relationships=(CanonTag("Lexie Grey/Mark Sloan", ()),),
... )
>>> [m.tag for m in match_characters([("Mark", ("Mark",)), ("Lex", ("Lex",))], canon)]
['Mark Sloan', 'Lexie Grey']
>>> match_relationship("Mark/Lex", {"Mark": "Mark Sloan", "Lex": "Lexie Grey"}, canon).tag
'Lexie Grey/Mark Sloan'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum


class Strength(IntEnum):
    NONE = 0
    PART = 1
    FIRST = 2
    EXACT = 3


@dataclass(frozen=True, slots=True)
class CanonTag:
    """A canonical tag of the fandom and its synonyms' names."""

    name: str
    synonyms: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.synonyms)


@dataclass(frozen=True, slots=True)
class FandomCanon:
    """The canonical characters and relationships of a work's fandoms."""

    characters: tuple[CanonTag, ...] = ()
    relationships: tuple[CanonTag, ...] = ()


@dataclass(frozen=True, slots=True)
class Match:
    """A suggestion as the author is offered it: the tag, and whether it is canonical.

    ``suggested`` is the story's name; ``note`` says why it was not mapped
    when it was not (ambiguity), else it is empty.
    """

    suggested: str
    tag: str
    canonical: bool
    note: str = ""


def strength(name: str, canonical_names: Iterable[str]) -> Strength:
    """How strongly a story's name points at a tag with these names.

    >>> strength("lexie", ["Lexie Grey"]), strength("Grey", ["Lexie Grey"])
    (<Strength.FIRST: 2>, <Strength.PART: 1>)
    >>> strength("Lexie Grey", ["Lexie Grey"]), strength("Lexi", ["Lexie Grey"])
    (<Strength.EXACT: 3>, <Strength.NONE: 0>)
    """
    wanted = name.casefold().strip()
    best = Strength.NONE
    for canonical in canonical_names:
        if canonical.casefold() == wanted:
            return Strength.EXACT
        words = _words(canonical)
        if words and words[0] == wanted:
            best = max(best, Strength.FIRST)
        elif wanted in words[1:]:
            best = max(best, Strength.PART)
    return best


def _words(name: str) -> list[str]:
    """A name's words, without quotes or brackets: 'Mark "McSteamy" Sloan' has three."""
    return [w for w in re.split(r"[\s\"“”()]+", name.casefold()) if w]


def match_characters(
    suggestions: Sequence[tuple[str, Sequence[str]]], canon: FandomCanon
) -> list[Match]:
    """Each suggested ``(name, aliases)`` as the tag to offer, in the order given.

    >>> canon = FandomCanon(tuple(map(CanonTag, ["Mark Sloan", "Mark Twain", "Lexie Grey"])))
    >>> story = [("Mark", ()), ("Lexie", ("Lex",)), ("Sloan", ())]
    >>> mark, lexie, sloan = match_characters(story, canon)
    >>> mark.tag, mark.canonical, mark.note
    ('Mark', False, '“Mark” could be Mark Sloan or Mark Twain: kept as the story names it.')
    >>> lexie.tag, sloan.tag
    ('Lexie Grey', 'Mark Sloan')
    >>> [m.tag for m in match_characters([("Mark Sloan", ()), ("Sloan", ())], canon)]
    ['Mark Sloan', 'Sloan']
    """
    best = [_best_tags(name, aliases, canon) for name, aliases in suggestions]
    # A tag matched more strongly by one suggestion is not claimed by a weaker part match.
    strongest: dict[str, Strength] = {}
    for level, tags in best:
        if len(tags) == 1:
            strongest[tags[0]] = max(strongest.get(tags[0], Strength.NONE), level)
    matches = []
    for (name, _), (level, tags) in zip(suggestions, best, strict=True):
        if len(tags) > 1:
            note = f"“{name}” could be {_either(tags)}: kept as the story names it."
            matches.append(Match(name, name, False, note))
        elif tags and (level > Strength.PART or strongest[tags[0]] == level):
            matches.append(Match(name, tags[0], True))
        else:
            matches.append(Match(name, name, False))
    return matches


def _best_tags(name: str, aliases: Sequence[str], canon: FandomCanon) -> tuple[Strength, list[str]]:
    """The strongest level any canonical character reaches, and the tags that reach it."""
    level = Strength.NONE
    tags: list[str] = []
    for tag in canon.characters:
        reached = max(strength(n, tag.names) for n in (name, *aliases))
        if reached > level:
            level, tags = reached, [tag.name]
        elif reached == level and reached > Strength.NONE:
            tags.append(tag.name)
    return level, tags


def _either(names: Sequence[str]) -> str:
    """ "A or B", "A, B or C"."""
    return " or ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else names[0]


_SEPARATOR = re.compile(r"\s*(/| & )\s*")


def split_relationship(tag: str) -> tuple[list[str], str]:
    """A relationship tag's people and its separator ("/" romantic, " & " platonic).

    >>> split_relationship("Mark Sloan/Lexie Grey"), split_relationship("Derek & Mark")
    ((['Mark Sloan', 'Lexie Grey'], '/'), (['Derek', 'Mark'], ' & '))
    """
    found = _SEPARATOR.search(tag)
    separator = found.group(1) if found else "/"
    return [part.strip() for part in tag.split(separator.strip()) if part.strip()], separator


def match_relationship(suggested: str, characters: Mapping[str, str], canon: FandomCanon) -> Match:
    """A suggested relationship as tags of its characters (``characters``: story name -> tag).

    >>> canon = FandomCanon(relationships=(CanonTag("Lexie/Mark", ("Lexie Grey/Mark Sloan",)),))
    >>> match_relationship("Mark Sloan/Lexie Grey", {}, canon)
    Match(suggested='Mark Sloan/Lexie Grey', tag='Lexie/Mark', canonical=True, note='')
    >>> match_relationship("Derek & Mark", {"Mark": "Mark Sloan"}, canon).tag
    'Derek & Mark Sloan'
    """
    people, separator = split_relationship(suggested)
    mapped = [characters.get(person, person) for person in people]
    wanted = sorted(name.casefold() for name in mapped)
    for tag in canon.relationships:
        for name in tag.names:
            parts, kind = split_relationship(name)
            if kind == separator and sorted(p.casefold() for p in parts) == wanted:
                return Match(suggested, tag.name, True)
    return Match(suggested, separator.join(mapped), False)


def match_suggestions(
    characters: Sequence[tuple[str, Sequence[str]]],
    relationships: Sequence[str],
    canon: FandomCanon,
) -> tuple[list[Match], list[Match]]:
    """Suggested characters (``(name, aliases)``) and relationships, as the tags to offer.

    A relationship's people are matched as the characters are, so "Mark/Lex"
    becomes "Mark Sloan/Lexie Grey" exactly when "Mark" and "Lex" become those.
    Two suggestions may come to the same tag ("Lex" and "Lexie"): the caller
    shows it once.

    >>> canon = FandomCanon((CanonTag("Lexie Grey"), CanonTag("Mark Sloan")))
    >>> people, pairs = match_suggestions([("Lexie", ("Lex",))], ["Mark/Lexie"], canon)
    >>> [m.tag for m in people], [m.tag for m in pairs]
    (['Lexie Grey'], ['Mark Sloan/Lexie Grey'])
    """
    named = {name for name, _ in characters}
    extra = [
        (person, ())
        for tag in relationships
        for person in split_relationship(tag)[0]
        if person not in named
    ]
    everyone = match_characters([*characters, *dict.fromkeys(extra)], canon)
    tags = {match.suggested: match.tag for match in everyone}
    return everyone[: len(characters)], [
        match_relationship(tag, tags, canon) for tag in relationships
    ]
