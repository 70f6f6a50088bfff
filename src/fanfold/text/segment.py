"""Stage ``segment``: author's notes, disclaimers and headers apart from the story.

Fan fiction sites without a notes field (FanFiction.Net, old eFiction
archives) get chapters whose top and bottom, and sometimes middle, hold the
author talking: "A/N:" blocks, disclaimers, review replies, update pleas,
bylines, "Chapter 3: Title" headers. This stage labels each paragraph and
merges neighbours into segments, each carrying the cue that decided it.

How it decides, paragraph by paragraph:

1. *Strong cues* name the kind outright: a label ("A/N:", "Author's
   Note", "Disclaimer:"), a disclaimer phrase ("I don't own", "belongs
   to"), a header ("Chapter 3: Title", "Prologue", "Mark's POV").
2. *Talk about the story* is scored: words about writing and posting
   ("chapter", "update", "review", "fic", "beta", "my other story", "the
   title is the song"), the writer's "I" in the present tense, smileys and
   "!!!". Narration rarely talks about chapters and reviews; notes rarely
   do anything else.
3. Notes gather at the edges. From the top, paragraphs are paratext until
   the first one that reads as story; likewise from the bottom. In the
   middle only a strong cue makes a note, so a character who says "I don't
   own a car" stays in the story.

Scene breaks are lines of symbols (``***``, ``* * *``, ``~~~``, ``xXx``,
``oOo``, ``~BSL~``, ``<hr>``) or a run of blank lines longer than the
chapter's usual gap, whatever follows it (on real chapters a scene
opening with dialogue after a gap is far more common than a stray gap
inside a conversation). A break at the edge of a note is not a scene
break: it only separates the note from the story.

>>> text = "A/N: Thanks!\\n\\nDisclaimer: not mine.\\n\\nAnna ran.\\n\\n***\\n\\nBo slept."
>>> [(s.kind, s.span.of(text)) for s in segment_chapter(text).segments]
[('author_note', 'A/N: Thanks!'), ('disclaimer', 'Disclaimer: not mine.'), \
('story', 'Anna ran.\\n\\n***\\n\\nBo slept.')]
>>> [b.of(text) for b in segment_chapter(text).scene_breaks]
['***']
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass
from typing import Literal

from fanfold.text.boilerplate import frame_line
from fanfold.text.caseless import Caseless
from fanfold.text.normalise import paragraphs
from fanfold.text.spans import Span

SegmentKind = Literal["header", "author_note", "disclaimer", "story"]
_Label = Literal["header", "author_note", "disclaimer", "story", "break"]

# Markup a note may be wrapped in: **A/N**, <b>A/N</b>, _A/N_, [A/N].
_WRAP = r"[\s*_~#\[\(<>/bistrong]*"
NOTE_LABEL = re.compile(
    r"^[\s*_~#\[\(]*(?:<[^>]{1,20}>)*[\s*_\[\(]*"
    r"(?:A\s*/\s*N|AN|A\.N\.|N/A|Author'?s?\s*Notes?|Authors?\s*Notes?|Notes?|"
    r"Review\s*Repl(?:y|ies)|Shout\s*outs?|Reviewer\s*responses?|Important|Update|PLEASE\s*READ)"
    r"\s*(?:\)|\]|</?[a-z]{1,6}>|\*\*|__)*\s*[:\-–—!]",
    re.IGNORECASE,
)
# "a/n a strange title? ..." : the abbreviation alone, no colon, still names a note.
BARE_NOTE_LABEL = re.compile(r"^[\s*_\[\(]*A\s*/\s*N\b", re.IGNORECASE)
MARKDOWN_HEADING = re.compile(r"^#{1,6}[ \t]+\S[^\n]{0,120}$")
DISCLAIMER_LABEL = re.compile(
    r"^[\s*_~#\[\(]*(?:<[^>]{1,20}>)*[\s*_\[\(]*Disclaimer", re.IGNORECASE
)
DISCLAIMER_PHRASE = Caseless(
    r"\b(?:I|we)\s+(?:do\s*n[o']?t|dont|don't|do\s+not|did\s*n't|will\s+never)\s+own\b"
    r"|\bI\s+own\s+nothing\b|\bown\s+nothing\s+but\b|\bnothing\s+(?:is\s+)?mine\b"
    r"|\bbelongs?\s+to\b|\bnot\s+mine\b|\ball\s+rights\s+(?:go|belong|reserved)"
    r"|\bno\s+copyright\s+infringement\b|\b(?:property|copyright)\s+of\b"
    r"|\bif\s+I\s+(?:did|owned)\b.{0,60}\bwould(?:n't)?\b|\bno\s+profit\b|\bnot\s+making\s+(?:any\s+)?money"
)
HEADER = re.compile(
    r"^[\s*_~#=\-\[\(]*(?:<[^>]{1,20}>)*\s*"
    r"(?:(?:chapter|chap\.?|ch\.?|part|book|section)\s*"
    r"(?:\d+|[ivxlc]+\b|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
    r"|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[\w-]*)"
    r"|prologue|epilogue|interlude|prelude|afterword|foreword|the\s+end)"
    r"\b[^\n]{0,100}$",
    re.IGNORECASE,
)
# "[^1]: A Japanese word for ...": a Markdown footnote's definition, the writer's aside.
FOOTNOTE = re.compile(r"^\[\^[^\]\n]{1,20}\]:")
# "reposted: 8/28/08", "Updated 3-14-2011": when the chapter went up, the writer's record.
POSTING_DATE = re.compile(
    r"^(?:re-?posted|posted|updated|edited|written|completed|finished|originally\s+posted)"
    r"(?:\s+on)?\s*:?\s*\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}\.?$",
    re.IGNORECASE,
)
POV_LABEL = re.compile(
    r"^[\s*_~\[\(-]*(?:<[^>]{1,20}>)*\s*[\w.' -]{1,40}?(?:'s|s')?\s*"
    r"(?:POV|P\.O\.V\.?|point\s+of\s+view|perspective)\s*[\]\)*_~-]*\s*:?$",
    re.IGNORECASE,
)
# "by moonlitquill", "Written by: June", "Letters Home by inkfox": a handle, not a sentence.
# A sentence ends with a full stop, and "by the door", "one by one" are prose: a
# handle neither starts with a determiner nor ends the line with a period.
BYLINE = re.compile(
    r"^[^.!?\"“”]{0,80}?\b(?:written\s+)?by\s*:?\s+"
    r"(?!(?:the|a|an|one|his|her|their|my|your|its|our|this|that|now|then|far)\b)"
    r"@?[\w.-]+(?:\s+[\w.-]+)?(?<!\.)\s*$",
    re.IGNORECASE,
)
# xXx, oOo, ...: case does not matter, so each motif is written once.
_MOTIF = r"(?:xxx|ooo|o0o|0o0|xox|oxo)"
# Written so that no two parts can match the same characters (two spellings
# of one motif, two \s* side by side): a long line that is almost a break
# would otherwise try every way of sharing them out, exponentially or
# quadratically many.
BREAK_LINE = re.compile(
    r"^\s*(?:<hr\s*/?>|(?:[*~=#+_.:\-–—•°oOxX0]\s*){2,}[*~=#+_.:\-–—•°oOxX0]"
    r"|(?:~\s*)?(?:BSL|BS|LB|PB|SB|TBC)(?:\s*~)?"
    rf"|(?:[-~=*_]+\s*)?{_MOTIF}(?:\s*(?:[-~=*_]+\s*)?{_MOTIF})*(?:\s*[-~=*_]+)?)\s*$",
    re.IGNORECASE,
)
# A paragraph of only these is a break too, even when long ("*~*~*~*~*"),
# or a single one alone ("-", "~": a scene break typed by hand).
_SYMBOLS_ONLY = re.compile(r"^(?:[\s*~=#+_.\-–—•°]{3,}|\s*[*~=#+_\-–—•°]\s*)$")
_TAGS = re.compile(r"</?[a-zA-Z][^>]{0,40}>")
# "***Later that night...***": a time or place set alone in bold italics opens a scene.
SCENE_LABEL = re.compile(r"^(?:\*{3}|\*\*_|_\*\*)[^*_\n]{1,60}(?:\*{3}|_\*\*|\*\*_)$")
_MARKUP = frozenset("*_#")
_EMPHASIS = re.compile(r"^[*_#\s]+|[*_\s]+$")  # **bold**, _italic_, # heading marks at the ends
# Cues that anchor the top of a chapter: what sits above them is the work's
# title, byline or summary, not story (POV labels and disclaimer phrases do
# not: they also occur a few paragraphs into a story).
_ANCHORS = ("section label", "site line", "chapter header", "byline", "Markdown heading", "label ")
_TOP_REACH = 20  # paragraphs from the top an anchor is looked for in (verse: a line each)
_LEAD_IN_CHARS = 600  # an unlabelled paragraph above an anchor is at most this long
_SMALL_WORDS = frozenset(
    "a an and as at but by for from in into nor of on or the to with vs v".split()
)
_SENTENCE_END = re.compile(r"[.!?…][\"”’)*_\s]*$")
_TITLE_WORD = re.compile(r"[^\W\d_][\w'’-]*")
# "Evie - really? Wow!": a reply to one reviewer, named, after a dash.
_REVIEW_REPLY = re.compile(r"^[\w][\w .'’-]{0,30}?\s[-–—]\s+\S")
_REPLY_RUN = 3  # replies in a row that make a block of review replies

# Words a writer uses about the story and the site, almost never inside one.
META_WORDS = Caseless(
    r"\b(?:chapters?|chappie|fics?|fanfic(?:tion)?s?|one-?shots?|drabbles?|updates?|updated|updating"
    r"|reviews?|reviewed|reviewing|reviewers?|readers?|favs?|favorites?|favourites?|follows?|alerts?"
    r"|beta(?:'d|ed|s)?|betareader|posting|posted|sequel|prequel|prompts?|plot\s*bunn(?:y|ies)"
    r"|hiatus|writer'?s\s+block|authors?|disclaimers?|OC|OOC|AU|canon|ship(?:per|ping)?|fandom"
    r"|R\s*&\s*R|lol|omg|haha+|xoxo|xx+|enjoy|thanks|thank\s+you|sorry\s+for|oneshot|word\s*count"
    r"|cliff-?hanger|next\s+time|stay\s+tuned|to\s+be\s+continued|TBC|story|stories|wattpad|tumblr"
    r"|ao3|ff\.?net|inbox|PM|pm\s+me|cover|lyrics|song|soundtrack)\b"
)
WRITER_TALK = Caseless(
    r"\b(?:I'?m\s+(?:going\s+to|gonna)\s+(?:write|update|post|try)|I\s+am\s+going\s+to\s+write"
    r"|I\s+(?:will|'ll|might|may)\s+(?:not\s+)?(?:update|post|write|continue)"
    r"|my\s+(?:other|first|new|last)\s+(?:story|fic|fanfic|chapter|one-?shot)|this\s+(?:story|fic|chapter)"
    r"|the\s+title\s+(?:is|comes|was)|hope\s+you(?:\s+all)?\s+(?:enjoy|like)|please\s+(?:review|read)"
    r"|let\s+me\s+know|tell\s+me\s+what\s+you\s+think|read\s+and\s+review|you\s+guys"
    r"|based\s+(?:off|on)\s+(?:of\s+)?(?:what|the|a|an)|will\s+make\s+more\s+sense|in\s+later\s+chapters"
    r"|last\s+chapter|next\s+chapter|previous\s+chapter|this\s+chapter"
    r"|(?:hey|hi|hello)\s+(?:guys|everyone|all|readers|lovelies)|you\s+(?:all|guys)"
    r"|(?:is\s*n[o']?t|is\s+not)\s+an?\s+(?:update|chapter)|on\s+hiatus|R\s*&\s*R"
    r"|don'?t\s+forget\s+to\s+(?:review|comment|R)|thanks?\s+(?:you\s+)?for\s+reading"
    r"|(?:reviews?|comments?)\s+(?:please|pl[sz]|are\s+(?:love|welcome|appreciated))"
    r"|(?:reviews|comments|kudos)\s+(?:make|keep)\s+me"
    r"|(?:leave|give|send)\s+(?:me\s+)?(?:some\s+)?(?:feedback|reviews?|comments?|kudos)"
    r"|feedback\s+(?:please|is\s+(?:love|welcome|appreciated))"
    r"|(?:used|linked|posted|shared)\s+with\s+(?:the\s+)?(?:artist'?s\s+|author'?s\s+)?permission"
    r"|(?:fan\s*)?art(?:work)?\s+by|illustrations?\s+by|cover\s+(?:art\s+)?by)\b"
)
SMILEY = re.compile(r"(?:[:;=]-?[()DPp3]|<3|\^_?\^|!!!|\?\?\?|\bxD\b)")
_QUOTE_START = re.compile(r"^[\s*_]*[\"“”'‘«„]")
# A character's words in double quotation marks (single quotes would take apostrophes).
_SPEECH = re.compile(r"[\"“][^\"“”\n]{0,600}[\"”]")
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|I'll|me|my|we|our)\b")
_WORD = re.compile(r"\w+")

_NOTE_SCORE = 2.0  # a weak (unlabelled) note needs this much talk about the story
_EDGE_SCORE = 1.6  # ... or this much as the first or last paragraph of the chapter
_CONTINUE_SCORE = 0.5  # ... or this much right after another note at the same edge
_LONG_PARAGRAPH = 900  # characters: notes are rarely this long, stories often are
_STORY_EVIDENCE = 300  # characters of unlabelled narration that show the story has begun
_SECTION_CHARS = 6_000  # AO3 holds notes to 5,000 characters (summaries to 1,250)


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of the chapter of one kind, and the cue that decided it."""

    kind: SegmentKind
    span: Span
    cue: str


@dataclass(frozen=True, slots=True)
class Segmentation:
    """The segments of a chapter, in text order, and the scene breaks inside its story."""

    segments: tuple[Segment, ...]
    scene_breaks: tuple[Span, ...]

    def story_spans(self) -> tuple[Span, ...]:
        return tuple(s.span for s in self.segments if s.kind == "story")


@dataclass(slots=True)
class _Paragraph:
    """A paragraph's strong cue, read at once; its talk about the story, read when asked.

    Most paragraphs sit in the middle of the story, where only a strong cue
    makes a note, so how much they talk about the story is never asked.
    """

    span: Span
    strong_cue: tuple[_Label, str] | None  # named outright by a label, phrase or header shape
    gap_before: int  # blank lines between this paragraph and the previous one
    text: str  # the chapter (not a copy)
    opens_section: bool = False  # a site's "Summary:"/"Notes:" label: a note follows it
    _weak: tuple[_Label, str, float] | None = None  # label, cue, talk without a strong cue

    @property
    def strong(self) -> bool:
        return self.strong_cue is not None

    @property
    def label(self) -> _Label:
        return self.strong_cue[0] if self.strong_cue else self._weak_reading()[0]

    @property
    def cue(self) -> str:
        return self.strong_cue[1] if self.strong_cue else self._weak_reading()[1]

    @property
    def talk(self) -> float:
        """How much it talks about the story (see _story_talk); nothing for a strong cue."""
        return 0.0 if self.strong_cue else self._weak_reading()[2]

    def _weak_reading(self) -> tuple[_Label, str, float]:
        if self._weak is None:
            self._weak = _weak_reading(self.span.of(self.text))
        return self._weak


def segment_chapter(text: str) -> Segmentation:
    """Segment one chapter's text; see the module docstring for how."""
    found = _classify(text)
    if not found:
        return Segmentation((), ())
    labels = _settle_edges(found)
    return _assemble(text, found, labels)


def _classify(text: str) -> list[_Paragraph]:
    result: list[_Paragraph] = []
    previous_end = 0
    for span in paragraphs(text):
        if span.length == 0:
            continue
        gap = max(0, text.count("\n", previous_end, span.start) - 1) if result else 0
        previous_end = span.end
        paragraph = span.of(text)
        frame = frame_line(paragraph)
        if frame is not None:
            cue: tuple[_Label, str] | None = (frame.kind, frame.cue)
        else:
            cue = _strong_cue(paragraph)
        opens = frame is not None and frame.opens_section
        result.append(_Paragraph(span, cue, gap, text, opens_section=opens))
    return result


def _strong_cue(paragraph: str) -> tuple[_Label, str] | None:
    """The kind one paragraph names outright, and the cue that names it (None: no strong cue)."""
    head = paragraph[:300]
    plain = _TAGS.sub("", head).strip()
    marked = plain[:1] in _MARKUP or plain[-1:] in _MARKUP  # most paragraphs are not
    if marked:
        plain = _EMPHASIS.sub("", plain)
    if BREAK_LINE.match(paragraph) or (_SYMBOLS_ONLY.match(plain) and len(paragraph) < 80):
        return "break", "line of symbols"
    if marked and SCENE_LABEL.match(paragraph.strip()):
        return "break", "a time or place in bold italics"
    if DISCLAIMER_LABEL.match(head):
        return "disclaimer", "label 'Disclaimer'"
    if label := NOTE_LABEL.match(head) or BARE_NOTE_LABEL.match(head):
        return "author_note", f"label {_TAGS.sub('', label.group()).strip(' *_[(')!r}"
    if paragraph[:2] == "[^" and FOOTNOTE.match(paragraph):
        return "author_note", "a footnote's definition"
    if paragraph[:1] == "#" and MARKDOWN_HEADING.match(paragraph):
        return "header", "Markdown heading"
    if len(paragraph) < 120 and "\n" not in paragraph.strip():
        if HEADER.match(plain):
            return "header", "chapter header"
        if POV_LABEL.match(plain):
            return "header", "point-of-view label"
        if BYLINE.match(plain):
            return "header", "byline"
        if POSTING_DATE.match(plain):
            return "author_note", "a posting date"
    phrase = DISCLAIMER_PHRASE.search(head)
    if phrase and len(paragraph) < 600 and not _QUOTE_START.match(paragraph):
        return "disclaimer", f"disclaimer phrase {phrase!r}"
    return None


def _weak_reading(paragraph: str) -> tuple[_Label, str, float]:
    """Label, cue and talk of a paragraph no strong cue names: a note if it talks enough."""
    score, cue = _story_talk(paragraph)
    if score >= _NOTE_SCORE:
        return "author_note", cue, score
    return "story", "narration", score


def _story_talk(paragraph: str) -> tuple[float, str]:
    """How much a paragraph talks about the story rather than telling it."""
    if len(paragraph) > _LONG_PARAGRAPH or _QUOTE_START.match(paragraph):
        return 0.0, ""
    words = max(1, len(_WORD.findall(paragraph)))
    # What a character says ("Where were you all night?") is story, not the writer's talk.
    narration = _SPEECH.sub(" ", paragraph) if '"' in paragraph or "“" in paragraph else paragraph
    talk = WRITER_TALK.search(narration)
    meta = META_WORDS.findall(narration)
    score = 2.0 * bool(talk) + min(len(meta), 3) * 0.8
    score += 0.5 * bool(SMILEY.search(paragraph))
    score += 0.4 * bool(_FIRST_PERSON.search(paragraph)) if (talk or meta) else 0.0
    score *= 1.0 if words <= 120 else 0.6
    words_found = ", ".join(sorted({m.lower() for m in meta})[:3])
    cue = (
        f"talks about the story ({talk!r})"
        if talk
        else f"words about writing and posting ({words_found})"
    )
    return score, cue


def _settle_edges(found: list[_Paragraph]) -> list[_Label]:
    """Final labels: weak notes count only at the edges; story elsewhere."""
    labels: list[_Label] = [p.label if p.strong else "story" for p in found]
    top = _edge_extent(found)
    bottom = len(found) - _edge_extent(found[::-1])
    if top >= len(found) or _only_a_caption(found, top, bottom):
        # A chapter that is all note: a hiatus notice, or an illustration posted
        # as a chapter, whose one line of "story" is the picture's caption.
        return [_paratext_label(p) for p in found]
    for index in (*range(top), *range(bottom, len(found))):
        labels[index] = _paratext_label(found[index])
    _extend_middle_notes(found, labels, top, bottom)
    _fill_sections(found, labels)
    _label_lead_in(found, labels)
    _label_review_replies(found, labels)
    return labels


def _label_lead_in(found: list[_Paragraph], labels: list[_Label]) -> None:
    """Title, byline and summary above the chapter's heading or a site's label are paratext.

    A work copied from its page starts "Title / Author / Summary: ..." or
    "Title / by Author / Chapter 1"; the lines above the last such anchor
    near the top are header (short) or note (longer), and a title-like line
    right after the anchors is the chapter's own title.
    """
    anchor = -1
    sentences = 0  # unlabelled paragraphs above that read as sentences (a summary; or story)
    for index in range(min(len(found), _TOP_REACH)):
        paragraph = found[index]
        if paragraph.strong:
            if sentences and not paragraph.cue.startswith("site line"):
                break  # a heading or note label below sentences: the story came first
            if paragraph.cue.startswith(_ANCHORS):
                anchor = index
            continue
        if labels[index] != "story":
            continue
        text = paragraph.span.of(paragraph.text)
        if paragraph.span.length > _LEAD_IN_CHARS:
            break
        if _QUOTE_START.match(text) and not _after_note_label(found, index):
            break  # dialogue; but an epigraph a note quotes is still the note's
        sentences += _reads_as_sentence(text) and not _after_note_label(found, index)
        if sentences > 1:
            break
    for index in range(anchor):
        if labels[index] == "story":
            short = found[index].span.length <= 120
            labels[index] = "header" if short else "author_note"
    after = anchor + 1
    if (
        anchor >= 0
        and after < len(found)
        and labels[after] == "story"
        and _title_like(found[after].span.of(found[after].text))
    ):
        labels[after] = "header"


def _after_note_label(found: list[_Paragraph], index: int) -> bool:
    """Whether an author's note opened by a label ("A/N", "Notes:") is the last strong cue above."""
    for above in range(index - 1, -1, -1):
        if found[above].strong:
            return found[above].label == "author_note"
    return False


def _reads_as_sentence(paragraph: str) -> bool:
    """Narration's shape: "Wren slept." or a longer line ending a sentence (not "Enjoy!")."""
    end = _SENTENCE_END.search(paragraph)
    if end is None:
        return False
    return "!" not in end.group() or len(_WORD.findall(paragraph)) >= 5


def _title_like(paragraph: str) -> bool:
    """A short line in title case with no sentence end: "HP vs Childhood", "Social Gatherings"."""
    plain = _EMPHASIS.sub("", _TAGS.sub("", paragraph))
    if not plain or len(plain) > 80 or "\n" in plain or _QUOTE_START.match(plain):
        return False
    if plain[-1] in '.!?…"”,;:' or any(char.isdigit() for char in plain):
        return False  # a sentence, or a dateline ("May 14, 1943")
    words: list[str] = [w for w in _TITLE_WORD.findall(plain) if w.lower() not in _SMALL_WORDS]
    if not words or len(words) > 8:
        return False
    capitalised = sum(1 for word in words if word[0].isupper())
    return capitalised >= 0.6 * len(words)


def _label_review_replies(found: list[_Paragraph], labels: list[_Label]) -> None:
    """Replies to reviewers at the bottom ("Evie - really? Wow!"), and the note above them."""
    index = len(found) - 1
    while index >= 0 and labels[index] != "story":
        index -= 1
    replies = index
    while replies >= 0 and _REVIEW_REPLY.match(found[replies].span.of(found[replies].text)):
        replies -= 1
    if index - replies < _REPLY_RUN:
        return
    for inside in range(replies + 1, index + 1):
        labels[inside] = "author_note"
    while replies >= 0 and labels[replies] == "story" and found[replies].talk >= _CONTINUE_SCORE:
        labels[replies] = "author_note"
        replies -= 1


def _fill_sections(found: list[_Paragraph], labels: list[_Label]) -> None:
    """A site's section label ("Summary:", "Notes:", "Chapter End Notes") heads a note.

    Once the story has begun, the section runs to the end of the chapter
    (end notes, then the site's series links). Before it, the section runs
    to the next header or site line (the chapter's heading, "(See the end of
    the chapter for notes.)"), if one comes within what the site lets a
    summary or notes hold; without one, only the paragraph right after the
    label, and those after it that talk about the story, are note.
    """
    story_begun = False
    index = 0
    while index < len(found):
        paragraph = found[index]
        if not paragraph.opens_section:
            story_begun = story_begun or _reads_as_story(paragraph, labels[index])
            index += 1
            continue
        end = len(found) if story_begun else _section_end(found, index)
        for inside in range(index + 1, end):
            if labels[inside] == "story" and not found[inside].strong:
                labels[inside] = "author_note"
        index = max(end, index + 1)


def _reads_as_story(paragraph: _Paragraph, label: _Label) -> bool:
    """Whether a paragraph shows the story has begun: narration of some length, or dialogue."""
    if label != "story" or paragraph.strong:
        return False
    text = paragraph.span.of(paragraph.text)
    return paragraph.span.length > _STORY_EVIDENCE or bool(_QUOTE_START.match(text))


def _section_end(found: list[_Paragraph], label_index: int) -> int:
    """Where a section opened before the story ends (the index after its last paragraph)."""
    chars = 0
    for index in range(label_index + 1, len(found)):
        paragraph = found[index]
        if paragraph.strong and (paragraph.label == "header" or paragraph.opens_section):
            return index
        if _QUOTE_START.match(paragraph.span.of(paragraph.text)):
            break  # dialogue: the story began without a heading
        chars += paragraph.span.length
        if chars > _SECTION_CHARS:
            break
    end = min(label_index + 2, len(found))
    while end < len(found) and not found[end].strong and found[end].talk >= _CONTINUE_SCORE:
        end += 1
    return end


_CAPTION_CHARS = 100
_PICTURE = Caseless(
    r"\b(?:illustrations?|drawings?|drew|fan\s*art|artwork|art\s+by|sketch(?:es)?|comic|picture"
    r"|image|painting|painted)\b"
)


def _only_a_caption(found: list[_Paragraph], top: int, bottom: int) -> bool:
    """Whether a chapter is a picture: its notes speak of one and leave one short line of story.

    "An illustration of Crowley by ..." above, "Crowley in drag." and a
    credit below: the line is the picture's caption. A short story line
    between notes that speak of no picture stays story.
    """
    if top == 0 or bottom >= len(found) or bottom - top != 1:
        return False
    line = found[top].span.of(found[top].text)
    if len(line) >= _CAPTION_CHARS or _QUOTE_START.match(line):
        return False
    notes = (*found[:top], *found[bottom:])
    return any(_PICTURE.search(note.span.of(note.text)) for note in notes)


def _edge_extent(found: list[_Paragraph]) -> int:
    """How many paragraphs from this edge are paratext (headers, notes, breaks between them).

    A paragraph that only hints at talk about the story (a review reply, "See
    you soon! xoxo") counts when a note at this edge stands next to it, or
    when it is the chapter's outermost paragraph and the hint is clear.
    """
    extent = 0
    pending = 0  # hinting paragraphs waiting for a note next to them
    after_note = False
    for index, paragraph in enumerate(found):
        if paragraph.label == "story":
            if paragraph.talk >= _CONTINUE_SCORE and after_note:
                extent = index + 1
            elif index == 0 and paragraph.talk >= _EDGE_SCORE:
                extent, after_note = 1, True
            elif paragraph.talk >= _CONTINUE_SCORE:
                pending += 1
            else:
                break
            continue
        if paragraph.label != "break":
            after_note = paragraph.label == "author_note"
            if pending and after_note:
                pending = 0
            elif pending:
                break
        extent = index + 1
    # A trailing break belongs to the story's edge, not to the notes.
    while extent and found[extent - 1].label == "break":
        extent -= 1
    return extent


def _paratext_label(paragraph: _Paragraph) -> _Label:
    return "author_note" if paragraph.label == "story" else paragraph.label


def _extend_middle_notes(
    found: list[_Paragraph], labels: list[_Label], top: int, bottom: int
) -> None:
    """A labelled note in the middle carries on over the unlabelled note paragraphs after it."""
    index = top
    while index < bottom:
        if found[index].strong and labels[index] == "author_note":
            index += 1
            while (
                index < bottom and found[index].label == "author_note" and not found[index].strong
            ):
                labels[index] = "author_note"
                index += 1
        else:
            index += 1


def _assemble(text: str, found: list[_Paragraph], labels: list[_Label]) -> Segmentation:
    usual_gap = _usual_gap(found)
    spacing = _dramatic_spacing(found, labels, usual_gap)
    near = _Neighbours.of(labels)
    segments: list[Segment] = []
    breaks: list[Span] = []
    for index, (paragraph, label) in enumerate(zip(found, labels, strict=True)):
        story_before = index > 0 and labels[index - 1] in {"story", "break"}
        if label == "break":
            if near.is_scene_break(index):
                breaks.append(paragraph.span)
            # A break lives inside the story, or decorates the note next to it.
            label = "story" if story_before or near.after[index] == "story" else "break"
            if label == "break":
                _add(segments, near.decorated(index), paragraph.span, "line of symbols", joins=True)
                continue
        elif (
            label == "story"
            and story_before
            and paragraph.gap_before > usual_gap
            and labels[index - 1] == "story"
            and index not in spacing
        ):
            breaks.append(_blank_run(text, found[index - 1].span.end, paragraph.span.start))
        elif label == "header" and _between_story(labels, near, index):
            breaks.append(paragraph.span)  # a section title inside the story
        kind: SegmentKind = label
        # Story is narration whatever the paragraph alone looked like.
        cue = "narration" if label == "story" else paragraph.cue
        if label == "author_note" and not paragraph.strong and paragraph.label == "story":
            cue = "at the edge of the chapter, before or after the story"
        _add(
            segments, kind, paragraph.span, cue, joins=kind == "story" or _same_block(found, index)
        )
    return Segmentation(tuple(segments), tuple(breaks))


def _between_story(labels: list[_Label], near: _Neighbours, index: int) -> bool:
    return index > 0 and labels[index - 1] == "story" and near.text_after[index] == "story"


def _same_block(found: list[_Paragraph], index: int) -> bool:
    """Whether a paratext paragraph continues the note above it (no new label starts here)."""
    return index > 0 and not found[index].strong


def _add(segments: list[Segment], kind: SegmentKind, span: Span, cue: str, *, joins: bool) -> None:
    if segments and segments[-1].kind == kind and joins:
        last = segments[-1]
        segments[-1] = Segment(kind, Span(last.span.start, span.end), last.cue)
    else:
        segments.append(Segment(kind, span, cue))


@dataclass(frozen=True, slots=True)
class _Neighbours:
    """For each paragraph, the nearest labels around it that are not symbol lines.

    Read in two passes, so a chapter of a thousand symbol lines in a row
    does not look past every one of them for each one.
    """

    before: list[_Label | None]  # the nearest label before that is not a break
    after: list[_Label | None]  # the nearest label after that is not a break
    text_after: list[_Label | None]  # the nearest label after that is neither break nor header

    @classmethod
    def of(cls, labels: list[_Label]) -> _Neighbours:
        before: list[_Label | None] = []
        latest: _Label | None = None
        for label in labels:
            before.append(latest)
            latest = latest if label == "break" else label
        after: list[_Label | None] = [None] * len(labels)
        text_after: list[_Label | None] = [None] * len(labels)
        following: _Label | None = None
        following_text: _Label | None = None
        for index in range(len(labels) - 1, -1, -1):
            after[index], text_after[index] = following, following_text
            following = following if labels[index] == "break" else labels[index]
            if labels[index] not in {"break", "header"}:
                following_text = labels[index]
        return cls(before, after, text_after)

    def is_scene_break(self, index: int) -> bool:
        """A symbol line between two stretches of story (not at a note's edge).

        A header after it ("Draco's POV") still makes it a scene break.
        """
        return self.before[index] == "story" and self.text_after[index] == "story"

    def decorated(self, index: int) -> SegmentKind:
        """The kind of the nearest segment a decorative symbol line belongs to."""
        for label in (self.before[index], self.after[index]):
            if label is not None and label != "break":
                return label
        return "story"


_SHORT_LINE = 100  # characters: a line set apart for effect, not a scene


def _dramatic_spacing(found: list[_Paragraph], labels: list[_Label], usual_gap: int) -> set[int]:
    """Wide gaps that set a single short line apart, for effect: not scene breaks.

    "He was…" / "He was crying." each alone between wide gaps, or a refrain
    ("And the sea answers her.") spaced line by line, is a beat of the same
    scene. A gap counts as a scene break only if the stretch of story on each
    side of it, up to the next wide gap or symbol line, is more than one short line.
    Returns the indices of the paragraphs after such gaps.
    """
    edges = [
        index
        for index in range(1, len(found))
        if labels[index] != "story" or found[index].gap_before > usual_gap
    ]
    bounds = [0, *edges, len(found)]
    lone = {
        start
        for start, end in itertools.pairwise(bounds)
        if end - start == 1 and found[start].span.end - found[start].span.start < _SHORT_LINE
    }
    return {
        index
        for index in edges
        if labels[index] == "story" and (index in lone or _stretch_start(bounds, index) in lone)
    }


def _stretch_start(bounds: list[int], index: int) -> int:
    """The first paragraph of the stretch that ends just before ``index``."""
    position = bisect.bisect_left(bounds, index)
    return bounds[position - 1] if position > 0 else 0


def _usual_gap(found: list[_Paragraph]) -> int:
    """The chapter's ordinary number of blank lines between paragraphs."""
    gaps = sorted(p.gap_before for p in found[1:])
    return gaps[(len(gaps) - 1) // 2] if gaps else 0


def _blank_run(text: str, end_of_previous: int, start_of_next: int) -> Span:
    """The blank lines between two paragraphs, from the first line end to the next text."""
    first_newline = text.find("\n", end_of_previous, start_of_next)
    start = end_of_previous if first_newline < 0 else first_newline
    return Span(start, start_of_next)
