"""User HTML: accept limited HTML or plain text, store only sanitised HTML.

Authors paste either HTML (from AO3's rich text editor, a word processor or
hand-written tags) or plain text with blank lines between paragraphs. Both
end up as the same safe HTML subset, cleaned by nh3 (Ammonia): no scripts,
no event handlers, no ``javascript:`` links, no inline styles.

>>> to_safe_html("Hello <b>there</b>")
'<p>Hello <b>there</b></p>'
>>> to_safe_html("One.\\n\\nTwo,\\nstill two.")
'<p>One.</p>\\n<p>Two,<br>still two.</p>'
>>> to_safe_html('<p onclick="x()">Hi <a href="javascript:alert(1)">you</a></p>')
'<p>Hi <a rel="noopener noreferrer nofollow">you</a></p>'
>>> to_safe_html("<Where are you?> she texted.")
'<p>&lt;Where are you?&gt; she texted.</p>'

Nesting deeper than ``MAX_HTML_DEPTH`` is flattened before nh3 sees it
(its parser, html5ever, spends time proportional to the depth on each
element), so cleaning takes time linear in the length, whatever the markup.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass

import nh3

from fanfold.formats.safety import MAX_HTML_DEPTH, flatten_deep_html

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "acronym", "address", "b", "big", "blockquote", "br", "caption",
        "center", "cite", "code", "col", "colgroup", "dd", "del", "details", "dfn",
        "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5",
        "h6", "hr", "i", "img", "ins", "kbd", "li", "ol", "p", "pre", "q", "rp", "rt",
        "ruby", "s", "samp", "small", "span", "strike", "strong", "sub", "summary",
        "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "tt", "u", "ul",
        "var",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "name"},
    "abbr": {"title"},
    "acronym": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start", "type"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "*": {"class", "dir", "lang", "title"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})

# Elements we drop, but whose presence still means "this is HTML" (so they are
# removed, not shown as text). Angle brackets around other words stay text:
# fan fiction uses <Where are you?> for texts and telepathy.
_DROPPED_TAGS = frozenset(
    {"script", "style", "iframe", "object", "embed", "form", "input", "button", "svg",
     "math", "link", "meta", "base", "frame", "frameset", "textarea", "select", "html",
     "head", "body", "title", "font", "video", "audio", "source", "noscript", "template"}
)  # fmt: skip
# Any opening or closing tag of a known element: its presence means "this is HTML".
_HTML_TAG = re.compile(
    r"</?(?:{})\b[^>]*>".format("|".join(sorted(ALLOWED_TAGS | _DROPPED_TAGS))), re.IGNORECASE
)
_BLANK_LINES = re.compile(r"\n[ \t]*\n+")


def looks_like_html(text: str) -> bool:
    """Whether ``text`` uses any HTML tag we keep (else it is plain text)."""
    return _HTML_TAG.search(text) is not None


def sanitise(fragment: str) -> str:
    """Clean an HTML fragment down to the allowed subset."""
    return nh3.clean(
        flatten_deep_html(fragment, MAX_HTML_DEPTH),
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


def plain_text_to_html(text: str) -> str:
    """Blank lines separate paragraphs; a single newline is a line break."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return ""
    paragraphs = _BLANK_LINES.split(text)
    return "\n".join(
        "<p>"
        + "<br>".join(html.escape(line.strip(), quote=False) for line in p.split("\n"))
        + "</p>"
        for p in paragraphs
        if p.strip()
    )


def to_safe_html(text: str) -> str:
    """User input (HTML or plain text) to sanitised HTML ready to store."""
    if not text.strip():
        return ""
    if looks_like_html(text):
        fragment = (
            text
            if _has_block_tag(text)
            else plain_text_to_html(text)
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
        )
        return sanitise(fragment)
    return sanitise(plain_text_to_html(text))


# A start tag as html5ever reads one: "<" then a letter (end tags, comments and "&lt;" are not),
# and the names of the attributes given a value in it.
_START_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>?")
_ATTRIBUTE = re.compile(r"""(?:^|[\s"'])([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=""")


def _counted(fragment: str) -> tuple[Counter[str], Counter[str]]:
    """How many of each element, and of each attribute of each element ("img src")."""
    elements: Counter[str] = Counter()
    attributes: Counter[str] = Counter()
    for name, rest in _START_TAG.findall(fragment):
        element = name.lower()
        elements[element] += 1
        attributes.update(f"{element} {a.lower()}" for a in _ATTRIBUTE.findall(rest))
    return elements, attributes


def _fewer(before: Counter[str], after: Counter[str]) -> dict[str, int]:
    return {name: n - after[name] for name, n in sorted(before.items()) if n > after[name]}


@dataclass(frozen=True)
class Removed:
    """What sanitising took out of what an author typed: names to how many went.

    ``attributes`` are named with their element ("img src"), and only those of
    elements kept: an element removed takes its attributes with it.
    """

    elements: dict[str, int]
    attributes: dict[str, int]

    def __bool__(self) -> bool:
        return bool(self.elements or self.attributes)

    def describe(self) -> str:
        """In words for the author ("" if nothing went).

        >>> Removed({"iframe": 1, "video": 2}, {"p style": 3}).describe()[48:]
        '<iframe>, <video> (3 elements); <p style> (3).'
        """
        parts = []
        if self.elements:
            total = sum(self.elements.values())
            names = ", ".join(f"<{name}>" for name in self.elements)
            parts.append(f"{names} ({total} element{'' if total == 1 else 's'})")
        if self.attributes:
            total = sum(self.attributes.values())
            names = ", ".join(f"<{name}>" for name in self.attributes)
            parts.append(f"{names} ({total})")
        if not parts:
            return ""
        return f"Fanfold removed what HTML here may not contain: {'; '.join(parts)}."


def removed_html(typed: str, stored: str) -> Removed:
    """The elements and attributes the author typed that sanitising removed.

    ``stored`` is what :func:`to_safe_html` made of ``typed``. Plain text
    loses nothing (its angle brackets are shown as typed); HTML loses the
    elements and attributes it may not contain, and the links and pictures
    whose address is not http, https or mailto (their ``href`` or ``src``).

    >>> typed = '<p style="color: red">Look:</p><iframe src="x"></iframe><script>x()</script>'
    >>> removed_html(typed, to_safe_html(typed))
    Removed(elements={'iframe': 1, 'script': 1}, attributes={'p style': 1})
    >>> removed_html("<Where are you?> she texted.", "<p>&lt;Where are you?&gt;</p>")
    Removed(elements={}, attributes={})
    """
    if not looks_like_html(typed):
        return Removed({}, {})
    elements_before, attributes_before = _counted(typed)
    elements_after, attributes_after = _counted(stored)
    attributes = _fewer(attributes_before, attributes_after)
    kept = {name: n for name, n in attributes.items() if elements_after[name.split()[0]]}
    return Removed(_fewer(elements_before, elements_after), kept)


def to_plain_text(fragment: str) -> str:
    """Visible text of stored HTML, paragraphs separated by blank lines."""
    with_breaks = re.sub(r"(?i)<br\s*/?>", "\n", fragment)
    # Breaks go inside the ends of blocks, not in their place: blocks still closed
    # do not nest (sibling <div>s would, thousands deep), and markup that closes
    # what it opens is measured for depth in one quick pass.
    with_paragraphs = _BLOCK_END.sub(lambda end: "\n\n" + end.group(), with_breaks)
    flat = flatten_deep_html(with_paragraphs, MAX_HTML_DEPTH)
    text = html.unescape(nh3.clean(flat, tags=set()))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


_BLOCK_END = re.compile(r"(?i)</(?:p|div|h[1-6]|li|blockquote|pre|tr)>")
_BLOCK_TAG = re.compile(r"<(?:p|div|blockquote|ol|ul|table|h[1-6]|pre|hr|dl)\b", re.IGNORECASE)


def _has_block_tag(text: str) -> bool:
    return _BLOCK_TAG.search(text) is not None
