"""AO3-shaped markup for a work, and the HTML and plain-text writers built on it.

The pieces (``preface``, ``chapter_block``, ``afterword``) are XHTML
fragments: the EPUB writer puts each in its own document, the HTML writer
puts them all on one page.
"""

from __future__ import annotations

import textwrap
from html import escape

from lxml import etree
from lxml import html as lxml_html

from fanfold.formats.model import ParsedChapter, ParsedWork
from fanfold.formats.safety import MAX_HTML_DEPTH, flatten_deep_html
from fanfold.formats.userhtml import to_plain_text

TAG_ROWS = (
    ("Rating", "rating"),
    ("Archive Warning", "warnings"),
    ("Category", "categories"),
    ("Fandom", "fandoms"),
    ("Relationship", "relationships"),
    ("Character", "characters"),
    ("Additional Tags", "freeforms"),
)
STYLE = """
body { font-family: Georgia, "Times New Roman", serif; line-height: 1.5; margin: 0 auto;
  max-width: 40em; padding: 0 1em; }
h1, h2, h3 { font-family: system-ui, sans-serif; line-height: 1.25; }
h1 { text-align: center; }
.byline { text-align: center; margin-bottom: 2em; }
dl.tags { display: grid; grid-template-columns: max-content 1fr; gap: .2em 1em;
  font-family: system-ui, sans-serif; font-size: .9em; }
dl.tags dt { font-weight: bold; }
dl.tags dd { margin: 0; }
blockquote.userstuff { margin: .5em 1.5em 1em; }
.userstuff p { margin: 0 0 .9em; text-indent: 0; }
.userstuff hr { border: none; text-align: center; margin: 1.5em 0; }
.userstuff hr::after { content: "* * *"; }
h2.heading { text-align: center; margin-top: 2.5em; page-break-before: always; }
.message { font-size: .85em; color: #555; }
"""


def xhtml(fragment: str) -> str:
    """Sanitised HTML (``<br>``, ``&nbsp;``) as well-formed XHTML for EPUB documents."""
    if not fragment.strip():
        return ""
    # Wrapping keeps leading text (lxml returns it as a bare string otherwise).
    # libxml2 would drop text past depth 255 (HTML stored before nesting was
    # bounded on the way in: flattened here) and, unless "huge", a whole
    # fragment holding over 10 MB of text in one node.
    flat = flatten_deep_html(fragment, MAX_HTML_DEPTH)
    parser = lxml_html.HTMLParser(huge_tree=True)
    wrapper = lxml_html.fragment_fromstring(flat, create_parent="div", parser=parser)
    inner = etree.tostring(wrapper, encoding="unicode", method="xml")
    return inner[len("<div>") : -len("</div>")] if inner.startswith("<div>") else inner


def _anchors(values: tuple[str, ...] | str) -> str:
    items = (values,) if isinstance(values, str) else values
    return ", ".join(f'<a class="tag">{escape(v)}</a>' for v in items if v)


def stats_line(work: ParsedWork) -> str:
    parts = []
    if work.published:
        parts.append(f"Published: {work.published.isoformat()}")
    if work.updated and work.updated != work.published:
        label = "Completed" if work.complete else "Updated"
        parts.append(f"{label}: {work.updated.isoformat()}")
    expected = work.expected_chapters or (len(work.chapters) if work.complete else None)
    parts.append(f"Words: {work.word_count:,}")
    parts.append(f"Chapters: {len(work.chapters)}/{expected if expected else '?'}")
    return " ".join(parts)


def preface(work: ParsedWork) -> str:
    rows = []
    for label, field in TAG_ROWS:
        value = getattr(work, field)
        if value:
            rows.append(f"<dt>{label}:</dt><dd>{_anchors(value)}</dd>")
    if work.language:
        rows.append(f"<dt>Language:</dt><dd>{escape(work.language)}</dd>")
    if work.series:
        parts = " ".join(
            f'Part {ref.position} of <a class="series">{escape(ref.title)}</a>'
            for ref in work.series
        )
        rows.append(f"<dt>Series:</dt><dd>{parts}</dd>")
    rows.append(f"<dt>Stats:</dt><dd>{escape(stats_line(work))}</dd>")
    byline = ", ".join(f'<a class="author">{escape(c)}</a>' for c in work.creators)
    return (
        '<div id="preface">\n<h2 class="toc-heading">Preface</h2>\n'
        '<p class="message">Downloaded from a Fanfold archive.</p>\n'
        f'<div class="meta">\n<dl class="tags">\n{"".join(rows)}\n</dl>\n'
        f"<h1>{escape(work.title)}</h1>\n"
        + (f'<div class="byline">by {byline}</div>\n' if byline else "")
        + _labelled("Summary", work.summary)
        + _labelled("Notes", work.notes)
        + "</div>\n</div>"
    )


def _labelled(label: str, content: str) -> str:
    if not content.strip():
        return ""
    return f'<p>{label}</p>\n<blockquote class="userstuff">{xhtml(content)}</blockquote>\n'


def chapter_heading(number: int, chapter: ParsedChapter) -> str:
    return f"Chapter {number}" + (f": {chapter.title}" if chapter.title else "")


def chapter_block(number: int, chapter: ParsedChapter) -> str:
    """One chapter as AO3 lays it out; ``number`` counts from 1 across the work."""
    ends = (
        f'<div class="meta group" id="endnotes{number}">\n'
        + _labelled("Chapter End Notes", chapter.end_notes)
        + "</div>\n"
        if chapter.end_notes.strip()
        else ""
    )
    return (
        f'<div class="meta group">\n<h2 class="heading" id="chapter-{number}">'
        f"{escape(chapter_heading(number, chapter))}</h2>\n"
        + _labelled("Chapter Summary", chapter.summary)
        + _labelled("Chapter Notes", chapter.notes)
        + "</div>\n"
        + f'<div class="userstuff">{xhtml(chapter.body)}</div>\n'
        + ends
    )


def afterword(work: ParsedWork) -> str:
    if not work.end_notes.strip():
        return ""
    return (
        '<div id="afterword">\n<div id="endnotes">\n'
        + _labelled("End Notes", work.end_notes)
        + "</div>\n</div>"
    )


def write_html(work: ParsedWork) -> str:
    """The whole work as one self-contained HTML page."""
    chapters = "".join(chapter_block(n, c) for n, c in enumerate(work.chapters, start=1))
    lang = escape(work.language or "en")
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8"/>\n'
        f"<title>{escape(work.title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"{preface(work)}\n"
        f'<div id="chapters" class="userstuff">\n{chapters}</div>\n'
        f"{afterword(work)}\n</body>\n</html>\n"
    )


def write_text(work: ParsedWork) -> str:
    """The whole work as plain text, wrapped at 78 columns, paragraphs apart."""
    lines = [work.title]
    if work.creators:
        lines.append("by " + ", ".join(work.creators))
    lines.append("")
    for label, field in TAG_ROWS:
        value = getattr(work, field)
        if value:
            lines.append(f"{label}: {value if isinstance(value, str) else ', '.join(value)}")
    lines.append(stats_line(work))
    lines.append("")
    for label, content in (("Summary", work.summary), ("Notes", work.notes)):
        if content.strip():
            lines += [f"{label}:", _wrapped(content), ""]
    for number, chapter in enumerate(work.chapters, start=1):
        lines += ["", chapter_heading(number, chapter), "=" * 20, ""]
        for label, content in (("Summary", chapter.summary), ("Notes", chapter.notes)):
            if content.strip():
                lines += [f"{label}:", _wrapped(content), ""]
        lines += [_wrapped(chapter.body), ""]
        if chapter.end_notes.strip():
            lines += ["End notes:", _wrapped(chapter.end_notes), ""]
    if work.end_notes.strip():
        lines += ["", "End notes:", _wrapped(work.end_notes), ""]
    return "\n".join(lines).rstrip() + "\n"


def _wrapped(fragment: str) -> str:
    paragraphs = to_plain_text(fragment.replace("<hr>", "<p>* * *</p>")).split("\n\n")
    return "\n\n".join(textwrap.fill(p, width=78) for p in paragraphs if p.strip())
