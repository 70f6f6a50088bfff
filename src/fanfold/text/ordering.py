"""Stage ``ordering``: the story order of a work's chapter files.

Files saved from a site arrive in any order, and their names can run
backwards (the seeds: ``001_*`` is chapter 1, ``000_*`` chapter 2). The
order is decided from evidence about each pair of chapters, strongest first:

- headers in the opening lines: "Chapter 3", "Chapter Three: Title",
  "Part II", "Prologue" (first), "Epilogue" (last);
- what the notes say: "this is my first fic", "it will make more sense in
  later chapters" (early); "thanks for the reviews on the last chapter",
  "sorry for the wait", "as promised", review replies (not first); "this
  is the last chapter" (last);
- the story looking back: "last month", "again", "another chance",
  "remembered", "since that night" (later chapters recall earlier ones);
- continuity: the names at the end of one chapter open the next;
- numbers in file names, weakest, since names can run in reverse.

Each pair (a, b) gets a score, positive when a comes first. Up to eight
chapters, every order is tried and the one agreeing most with the pairwise
scores wins; beyond that, chapters are ranked by their total score (a
Borda count). The confidence is how decisively the chosen order's
neighbours are separated.

>>> order = order_chapters([("b.txt", "Chapter 2\\n\\nThen."), ("a.txt", "Chapter 1\\n\\nFirst.")])
>>> order.order
(1, 0)
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from fanfold.text.caseless import Caseless

_NUMBER_WORDS = {
    word: value
    for value, word in enumerate(
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
         "eighteen", "nineteen", "twenty"]
    )
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
}  # fmt: skip
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
_HEADER = re.compile(
    r"^[\s*_~#=\-\[\(]*(?:<[^>]{1,20}>)*\s*(?:chapter|chap\.?|ch\.?|part|book)\s*[:#.]?\s*"
    r"(?P<number>\d{1,4}|[ivxlc]{1,7}\b|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[\s-]?\w+|\w+)",
    re.IGNORECASE | re.MULTILINE,
)
_BARE_NUMBER = re.compile(r"^\s*(?P<number>\d{1,3})\s*[.:)]?\s*$", re.MULTILINE)
_PROLOGUE = re.compile(
    r"^[\s*_~#\[\(-]*(?:prologue|prelude|foreword)\b", re.IGNORECASE | re.MULTILINE
)
_EPILOGUE = re.compile(
    r"^[\s*_~#\[\(-]*(?:epilogue|afterword|the\s+end)\b", re.IGNORECASE | re.MULTILINE
)
_EARLY = re.compile(
    r"\b(?:my\s+first\s+(?:fic|fanfic|story)|first\s+chapter|new\s+story|(?:am|'m)\s+going\s+to\s+write"
    r"|based\s+(?:off|on)\s+(?:of\s+)?|more\s+sense\s+(?:in|later)|in\s+later\s+chapters"
    r"|(?:this|the)\s+story\s+(?:is\s+about|begins)|prologue|let\s+me\s+know\s+if\s+I\s+should\s+continue)",
    re.IGNORECASE,
)
_NOT_FIRST = re.compile(
    r"\b(?:last\s+chapter|previous\s+chapter|(?:the|my)\s+reviews?|reviewed|review\s+repl"
    r"|sorry\s+(?:for|about)\s+the\s+(?:wait|delay|late)|as\s+promised|here'?s\s+the\s+next"
    r"|next\s+chapter\s+is\s+(?:here|up)|(?:back|continued)\s+from|still\s+reading|update[sd]?\s+(?:soon|late))",
    re.IGNORECASE,
)
_LAST = re.compile(
    r"\b(?:(?:this\s+is|it'?s)\s+the\s+(?:last|final)\s+chapter|the\s+end\b|epilogue"
    r"|thanks?\s+(?:you\s+)?for\s+(?:sticking|reading)\s+(?:with|till|until|to)\s+the\s+end|complete[d]?!)",
    re.IGNORECASE,
)
# Read over the whole text, so matched caselessly at case-sensitive speed.
_LOOKING_BACK = Caseless(
    r"\b(?:last\s+(?:month|week|night|time|year)|again|another\s+chance|anymore|remembered"
    r"|since\s+(?:that|the|then)|ever\s+since|still|once\s+more|forgive|had\s+been|back\s+then)\b"
)
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]{2,}\b")
_FILE_NUMBER = re.compile(r"\d+")
_OPENING_CHARACTERS = 600  # where headers and opening notes sit
_NOTES_ABOVE_HEADER = 6_000  # how far down long opening notes may push a heading
_HEADER_LINE = 80  # a heading below notes stands on a line of its own this short
_EDGE_SHARE = 0.3  # the share of a chapter read as its end or its start, for continuity


@dataclass(frozen=True, slots=True)
class ChapterOrder:
    """Indices into the given chapters, in story order, and why."""

    order: tuple[int, ...]
    confidence: float
    cues: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Evidence:
    name: str
    number: float | None  # from a header; prologue 0, epilogue +inf
    early: int  # beginning-of-work cues
    not_first: int  # cues that something came before
    last: int  # end-of-work cues
    looking_back: float  # looking-back words per thousand words
    opening_names: frozenset[str]
    closing_names: frozenset[str]
    file_number: int | None


def order_chapters(chapters: Sequence[tuple[str, str]]) -> ChapterOrder:
    """Order ``(file name, text)`` chapters; see the module docstring for the evidence."""
    if len(chapters) < 2:
        return ChapterOrder(tuple(range(len(chapters))), 1.0, ())
    evidence = [_evidence(name, text) for name, text in chapters]
    scores = [[_before(a, b) if a is not b else 0.0 for b in evidence] for a in evidence]
    order = _best_order(scores)
    return ChapterOrder(order, _confidence(scores, order), _cues(evidence, order))


def header_number(text: str) -> float | None:
    """The chapter number a chapter's opening lines announce, if any.

    >>> header_number("Chapter Twenty-One: Frost"), header_number("PART IV")
    (21.0, 4.0)
    >>> header_number("Epilogue"), header_number("Just a story.")
    (inf, None)
    """
    opening = text[:_OPENING_CHARACTERS]
    if _PROLOGUE.search(opening):
        return 0.0
    for match in _HEADER.finditer(opening):
        value = _number_value(match.group("number"))
        if value is not None:
            return float(value)
    if _EPILOGUE.search(opening):
        return math.inf
    bare = _BARE_NUMBER.search(opening)
    if bare:
        return float(bare.group("number"))
    return _header_below_notes(text)


def _header_below_notes(text: str) -> float | None:
    """A heading on a line of its own under long opening notes ("**Chapter 34: Awakenings**").

    >>> _header_below_notes("A/N: " + "Thanks! " * 100 + "\\n\\n**Chapter 34: Awakenings**\\n\\nIt")
    34.0
    """
    window = text[:_NOTES_ABOVE_HEADER]
    for match in _HEADER.finditer(window, _OPENING_CHARACTERS):
        line_end = window.find("\n", match.start())
        line = window[match.start() : line_end if line_end >= 0 else len(window)]
        value = _number_value(match.group("number"))
        heading = line.strip().strip("*_ ")
        if (
            value is not None
            and len(line) <= _HEADER_LINE
            and not heading.endswith((".", "!", "?"))
        ):
            return float(value)  # a line of its own, not a sentence about a chapter
    return None


def _number_value(token: str) -> int | None:
    word = token.lower().replace(" ", "-")
    if word.isdigit():
        return int(word)
    if word in _NUMBER_WORDS:
        return _NUMBER_WORDS[word]
    if word in _ORDINALS:
        return _ORDINALS[word]
    tens, _, unit = word.partition("-")
    if tens in _TENS:  # "seventy-eight", "twenty-third"
        return _TENS[tens] + _NUMBER_WORDS.get(unit, _ORDINALS.get(unit, 0))
    if word and all(c in _ROMAN for c in word):
        return _roman(word)
    return None


def _roman(numeral: str) -> int:
    values = [_ROMAN[c] for c in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def _evidence(name: str, text: str) -> _Evidence:
    opening = text[:_OPENING_CHARACTERS]
    closing = text[-_OPENING_CHARACTERS:]
    edge = max(1, int(len(text) * _EDGE_SHARE))
    words = max(1, text.count(" ") + 1)
    numbers = _FILE_NUMBER.findall(name)
    return _Evidence(
        name=name,
        number=header_number(text),
        early=len(_EARLY.findall(opening)) + len(_EARLY.findall(closing)),
        not_first=len(_NOT_FIRST.findall(opening)) + len(_NOT_FIRST.findall(closing)),
        last=len(_LAST.findall(closing)) + (1 if _EPILOGUE.search(opening) else 0),
        looking_back=1000 * len(_LOOKING_BACK.findall(text)) / words,
        opening_names=frozenset(_NAME.findall(text[:edge])),
        closing_names=frozenset(_NAME.findall(text[-edge:])),
        file_number=int(numbers[-1]) if numbers else None,
    )


def _before(a: _Evidence, b: _Evidence) -> float:
    """How strongly the evidence says chapter ``a`` comes before chapter ``b``."""
    score = 0.0
    if a.number is not None and b.number is not None and a.number != b.number:
        score += 10.0 if a.number < b.number else -10.0
    score += 1.5 * (_sign(a.early) - _sign(b.early))
    score += 1.0 * (_sign(b.not_first) - _sign(a.not_first))
    score += 2.0 * (_sign(b.last) - _sign(a.last))
    score += 0.1 * max(-10.0, min(10.0, b.looking_back - a.looking_back))
    score += 2.0 * (
        _overlap(a.closing_names, b.opening_names) - _overlap(b.closing_names, a.opening_names)
    )
    if a.file_number is not None and b.file_number is not None and a.file_number != b.file_number:
        score += 0.3 if a.file_number < b.file_number else -0.3
    return score


def _sign(count: int) -> int:
    return 1 if count > 0 else 0


def _overlap(first: frozenset[str], second: frozenset[str]) -> float:
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


def _best_order(scores: list[list[float]]) -> tuple[int, ...]:
    count = len(scores)
    if count <= 8:
        return max(
            itertools.permutations(range(count)),
            key=lambda order: sum(
                scores[order[i]][order[j]] for i in range(count) for j in range(i + 1, count)
            ),
        )
    totals = [sum(row) for row in scores]
    return tuple(sorted(range(count), key=lambda i: -totals[i]))


def _confidence(scores: list[list[float]], order: tuple[int, ...]) -> float:
    """Agreement of each neighbouring pair with the evidence, averaged into 0..1."""
    margins = [scores[a][b] for a, b in itertools.pairwise(order)]
    return round(sum(max(0.0, math.tanh(m / 2)) for m in margins) / len(margins), 3)


def _cues(evidence: list[_Evidence], order: tuple[int, ...]) -> tuple[str, ...]:
    cues = []
    for index in order:
        item = evidence[index]
        if item.number is not None:
            number = {0.0: "prologue", math.inf: "epilogue"}.get(item.number, f"{item.number:g}")
            cues.append(f"header in {item.name}: chapter {number}")
        if item.early:
            cues.append(f"notes in {item.name} speak of a beginning")
        if item.not_first:
            cues.append(f"notes in {item.name} refer to earlier chapters")
        if item.last:
            cues.append(f"{item.name} says it is the end")
    looking_back = sorted(order, key=lambda i: evidence[i].looking_back)
    if not any(evidence[i].number is not None for i in order):
        cues.append(
            "story looks back most in "
            f"{evidence[looking_back[-1]].name}, least in {evidence[looking_back[0]].name}"
        )
    return tuple(cues)
