"""How deep HTML nests once a parser has read it, and which start tags to cut to bound it.

Two HTML parsers read what users upload and paste: libxml2 (through lxml)
silently drops everything nested deeper than 255 elements, and html5ever
(through nh3) takes time proportional to the depth for many of its steps,
so a deeply nested page costs the square of its length. Cutting the start
tags that would nest past a maximum depth (and the end tags that match them)
keeps every word and bounds both.

How deep a tag lands is not how many tags are open before it: both parsers
close elements the markup leaves open (a new ``<p>`` ends the open one),
ignore end tags that match nothing, and html5ever reopens formatting
elements (``<b>``, ``<i>``) that a block's end tag closed. So we simulate
each parser on the tags we keep, in one pass, with amortised O(1) work per
tag, and keep a start tag only while both simulations stay within the
maximum. ``_Libxml2`` and ``_Html5ever`` close what their parser closes
where we know it for sure (measured, for libxml2) and keep elements open
where unsure, so they err deep. tests/formats/test_nesting.py throws tag
soup at both parsers to hold them to it, and ``safety.parse_html`` refuses
a document if libxml2 reaches its limit all the same, rather than lose text.
Markup that closes every element it opens (most of it) is measured by
``nests_shallowly`` in a quicker pass with no simulation.

Reopening has a cost of its own: html5ever makes each open formatting
element again, attributes and all, after every block that closed it, so
short markup can make long output. A tag that would have it reopen more
tag text than the whole input holds is cut as well (``cuts_for_depth``).

>>> list(cuts_for_depth("<div><div><div>deep</div></div></div>", max_depth=2))
[(10, 15), (19, 25)]
>>> list(cuts_for_depth("<p>one<p>two<p>three", max_depth=1))  # each <p> closes the last
[]
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping

# A tag, comment or bogus comment as a browser's tokenizer reads it (WHATWG
# HTML 13.2.5): only a quoted attribute value (after "=") can hide a ">", and a
# tag or comment that never ends runs to the end of the input. Possessive
# quantifiers keep every match linear. Anything else starting with "<" is text.
_TAG_OR_COMMENT = r"""
    <(?P<slash>/?)(?P<name>[A-Za-z][^\t\n\f\r />]*+)
    (?:[\t\n\f\r /]++
      |=?[^\t\n\f\r />=]*+
       (?:[\t\n\f\r ]*+=[\t\n\f\r ]*+(?:"[^"]*+(?:"|\Z)|'[^']*+(?:'|\Z)|[^\t\n\f\r >]*+))?+
    )*+
    (?:>|\Z)
  | <!--(?:-?>|.*?--!?>|.*+)
  | <[!?/][^>]*+(?:>|\Z)
"""
TAG_OR_COMMENT = re.compile(_TAG_OR_COMMENT, re.VERBOSE | re.DOTALL)


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Never open in libxml2; html5ever also never opens these others (libxml2 keeps them open).
LIBXML2_VOID = _names("area base basefont br col frame hr img input isindex link meta param")
HTML5_VOID = LIBXML2_VOID | _names("bgsound embed image keygen source track wbr")
# html, head and body exist once, whatever the markup says: we neither count nor cut them.
_ROOTS = _names("html head body")
_FORMATTING = _names("a b big code em font i nobr s small strike strong tt u")
_HEADINGS = _names("h1 h2 h3 h4 h5 h6")
_TABLE_PARTS = _names("table caption colgroup tbody thead tfoot tr td th")
# html5ever's "special" elements (end tags of other elements stop at them).
_SPECIAL = (
    _names(
        """address applet article aside blockquote button caption center colgroup dd
        details dir div dl dt fieldset figcaption figure footer form frameset h1 h2 h3 h4 h5 h6
        header hgroup iframe li listing main marquee menu nav noembed noframes noscript object
        ol p plaintext pre script search section select style summary table tbody td template
        textarea tfoot th thead title tr ul xmp"""
    )
    - HTML5_VOID
)
_DEFAULT_SCOPE = _names("applet caption table td th marquee object template")
# Start tags after which html5ever may close (and later reopen) open formatting elements.
_ENDS_FORMATTING = _SPECIAL | _names("hr nobr")
_NOTHING: frozenset[str] = frozenset()


class _Stack:
    """Open elements, with where each name and each barrier group last sits (O(1) each).

    ``groups`` name sets of elements that stop something (an end tag, an
    implied close); ``reachable(index, group)`` says whether none of that
    group is open above ``index``.
    """

    def __init__(self, groups: Mapping[str, frozenset[str]]) -> None:
        self.names: list[str] = []
        self._at: defaultdict[str, list[int]] = defaultdict(list)
        self._groups = groups
        self._barriers: dict[str, list[int]] = {group: [] for group in groups}
        # Only names in some group are remembered: made-up names are countless.
        self._member_of: dict[str, tuple[list[int], ...]] = {}
        self._in_a_group = frozenset().union(*groups.values())

    def _lists(self, name: str) -> tuple[list[int], ...]:
        if name not in self._in_a_group:
            return ()
        lists = self._member_of.get(name)
        if lists is None:
            lists = tuple(self._barriers[g] for g, names in self._groups.items() if name in names)
            self._member_of[name] = lists
        return lists

    def push(self, name: str) -> None:
        index = len(self.names)
        self.names.append(name)
        self._at[name].append(index)
        for barrier in self._lists(name):
            barrier.append(index)

    def pop(self) -> str:
        name = self.names.pop()
        self._forget(name)
        for barrier in self._lists(name):
            barrier.pop()
        return name

    def retire(self, index: int) -> None:
        """Keep the element at ``index`` (the innermost of its name) open, matched by no end tag."""
        self._forget(self.names[index])
        self.names[index] = ""
        self._at[""].append(index)

    def _forget(self, name: str) -> None:
        """Drop the innermost position of ``name``, and the name once none is open."""
        positions = self._at[name]
        positions.pop()
        if not positions:
            del self._at[name]

    def last(self, name: str) -> int:
        """Where the innermost open ``name`` sits, or -1."""
        positions = self._at.get(name)
        return positions[-1] if positions else -1

    def reachable(self, index: int, group: str) -> bool:
        barrier = self._barriers[group]
        return not barrier or barrier[-1] <= index

    def closable_run(self, closes: frozenset[str], limit: int = 6) -> int:
        """How many elements from the top a start tag closing ``closes`` ends."""
        run = 0
        limit = min(limit, len(self.names))
        while run < limit and self.names[-1 - run] in closes:
            run += 1
        return run


def _closing_table(rows: dict[str, str]) -> dict[str, frozenset[str]]:
    """``{"p": "li dd"}`` (p is closed by li and dd) turned into ``{"li": {p}, "dd": {p}}``."""
    table: defaultdict[str, set[str]] = defaultdict(set)
    for closed, closers in rows.items():
        for closer in closers.split():
            table[closer].add(closed)
    return {closer: frozenset(closed) for closer, closed in table.items()}


_P_CLOSERS = """p div li dd dt h1 h2 h3 h4 h5 h6 blockquote ul ol dl pre listing xmp address
    center form fieldset menu dir table tr td th tbody tfoot caption"""

# libxml2 2.14 (measured, and checked against the installed libxml2 by
# tests/formats/test_nesting.py): the current element, when it is one of these,
# ends when one of the listed start tags comes, again and again down the stack.
_LIBXML2_CLOSES = _closing_table(
    {
        "p": _P_CLOSERS + " colgroup",
        "a": "a fieldset table td th",
        "address": "dd dl dt form li ul",
        "b": "center p td th",
        "i": "center p td th",
        "font": "center td th",
        "u": "p td th",
        "span": "td th",
        **dict.fromkeys(("big", "s", "small", "strike", "tt"), "p"),
        "caption": "colgroup tbody tfoot thead tr",
        "colgroup": "colgroup tbody tfoot thead tr",
        "dd": "dt",
        "dt": "dd dl",
        "dir": "dd dl dt form ul",
        "menu": "dd dl dt form ul",
        "dl": "form li",
        "form": "form",
        **dict.fromkeys(sorted(_HEADINGS), "fieldset form li p table"),
        "legend": "fieldset",
        "li": "li",
        "ol": "form",
        "ul": "address form menu pre",
        "option": "optgroup option",
        "pre": "dd dl dt fieldset form li table ul",
        "listing": "dd dl dt fieldset form li table ul",
        "tbody": "tbody tfoot",
        "thead": "tbody tfoot",
        "tfoot": "tbody",
        "tr": "tbody tfoot tr",
        "td": "tbody td tfoot th tr",
        "th": "tbody td tfoot th tr",
    }
)
# libxml2's end tag closes through elements of no higher priority (htmlGetEndPriority).
_LIBXML2_PRIORITY = {"div": 150, "td": 160, "th": 160, "tr": 170, "thead": 180, "tbody": 180}
_LIBXML2_PRIORITY |= {"tfoot": 180, "table": 190}
_LIBXML2_GROUPS = {
    f"over {level}": frozenset(n for n, p in _LIBXML2_PRIORITY.items() if p > level)
    for level in (100, *_LIBXML2_PRIORITY.values())
}


class _Libxml2:
    """libxml2's HTML parser (lxml): a start tag ends only the current element, reopens nothing."""

    def __init__(self) -> None:
        self.stack = _Stack(_LIBXML2_GROUPS)
        self._closing = 0  # how many elements the start tag last measured would end

    def depth_if_started(self, name: str) -> int:
        self._closing = self.stack.closable_run(_LIBXML2_CLOSES.get(name, _NOTHING))
        return len(self.stack.names) - self._closing + 1

    def start(self, name: str) -> None:
        """Start the element ``depth_if_started`` just measured."""
        for _ in range(self._closing):
            self.stack.pop()
        self.stack.push(name)

    def end(self, name: str) -> None:
        index = self.stack.last(name)
        priority = _LIBXML2_PRIORITY.get(name, 100)
        if index >= 0 and self.stack.reachable(index, f"over {priority}"):
            while len(self.stack.names) > index:
                self.stack.pop()


_BUTTON_SCOPE = _DEFAULT_SCOPE | {"button"}
# In a select, html5ever ignores the end tags of elements outside it: a barrier to all.
_HTML5EVER_GROUPS = {
    "special": _SPECIAL,
    "li": _SPECIAL - _names("address div p"),
    "default": _DEFAULT_SCOPE | {"select"},
    "button": _BUTTON_SCOPE | {"select"},
    "list": _DEFAULT_SCOPE | _names("ol ul select"),
    "table": _names("table template select"),
}
_HTML5EVER_P_CLOSERS = (_names(_P_CLOSERS) - _TABLE_PARTS) | _names(
    "article aside details dialog figcaption figure footer header hgroup main nav plaintext"
    " search section summary"
)
# Cells, rows and options: ended only when current (html5ever ends more; we stay on the safe side).
_HTML5EVER_CLOSES_CURRENT = _closing_table(
    {
        "p": "td th tr tbody tfoot",
        "td": "td th tr tbody tfoot",
        "th": "td th tr tbody tfoot",
        "tr": "tr tbody tfoot",
        "tbody": "tbody tfoot",
        "thead": "tbody tfoot",
        "option": "option optgroup",
        "optgroup": "optgroup",
    }
)


def _html5ever_end_group(name: str) -> str:
    """What stops an end tag from closing the elements open inside its element."""
    if name not in _SPECIAL:
        return "special"  # formatting and other elements stop at any special element
    if name in _TABLE_PARTS:
        return "table"
    return {"p": "button", "li": "list"}.get(name, "default")


class _Html5ever:
    """html5ever (nh3): closes in scope, and reopens formatting elements a block's end closed.

    Those formatting elements wait (``_waiting``) until the next text or
    inline tag reopens them; they count in the depth while they wait. Like
    html5ever ("Noah's Ark"), no more than three alike (same tag, same
    attributes) wait at once, so a ``<b>`` left open in every paragraph
    nests three deep, not once per paragraph. ``reopened`` adds up the
    markup html5ever writes again that way (``</div><div>x`` repeated
    inside forty ``<b title="...">`` would have it copy all forty, and their
    attributes, for every twelve characters read).
    """

    def __init__(self) -> None:
        self.stack = _Stack(_HTML5EVER_GROUPS)
        self._formatting_below: list[int] = [0]  # formatting elements in stack.names[:i]
        self._formatting_text_below: list[int] = [0]  # and the length of their tags
        self._keys: list[str] = []  # each open element's tag as written (formatting only)
        self.reopened = 0  # characters of formatting tags reopened so far
        self._waiting: list[tuple[str, str]] = []  # (name, tag as written)
        self._waiting_by_name: Counter[str] = Counter()
        self._waiting_alike: Counter[str] = Counter()
        self._cancelled: Counter[str] = Counter()  # waiting ones whose end tag came first
        self._closing_to = 0  # the stack length the start tag last measured would close to

    def depth_if_started(self, name: str) -> int:
        down_to = self._closing_to = self._closed_down_to(name)
        reopened = self._formatting_below[-1] - self._formatting_below[down_to]
        if down_to < len(self.stack.names) and self.stack.names[down_to] in _FORMATTING:
            reopened -= 1  # what a start tag ends on purpose (a link) is not reopened
        waiting = len(self._waiting) - self._cancelled.total()
        return down_to + len(self._implied(name, down_to)) + waiting + reopened + 1

    def reopening_if_started(self) -> int:
        """Characters of formatting tags the start tag just measured would have reopened."""
        return self._formatting_text_below[-1] - self._formatting_text_below[self._closing_to]

    def reopening_if_ended(self, name: str) -> int:
        """Characters of formatting tags the end tag ``name`` would send to be reopened."""
        index = self._end_index(name)
        if index < 0:
            return 0
        return self._formatting_text_below[-1] - self._formatting_text_below[index + 1]

    def start(self, name: str, tag: str = "") -> None:
        """Start the element ``depth_if_started`` measured; ``tag`` is its text if formatting."""
        if name in _TABLE_PARTS and name != "table" and self.stack.last("table") < 0:
            return  # html5ever ignores a row or cell outside a table
        open_link = self.stack.last("a")
        if name == "a" and open_link >= 0 and not self.stack.reachable(open_link, "special"):
            self._adopt(open_link)  # a link inside a link ends the outer one
        down_to = self._closing_to
        ends_a_select = name == "select" and 0 <= self._open_in_its_mode("select") == down_to
        self._close_down_to(down_to)
        if ends_a_select:
            return  # a select inside a select only ends the first
        if name not in _SPECIAL:
            self.text()
        if name not in HTML5_VOID:
            for part in self._implied(name, down_to):
                self._push(part, "")
            self._push(name, tag)

    def end(self, name: str) -> None:
        index = self._innermost(name)
        if index < 0:
            if self._waiting_by_name[name] > self._cancelled[name]:
                self._cancelled[name] += 1  # a closed formatting element's end: not reopened
        elif self._end_index(name) == index:
            self._close_down_to(index)
        elif name in _FORMATTING:
            self._adopt(index)

    def _innermost(self, name: str) -> int:
        """Where the element an end tag ``name`` would end sits, or -1."""
        if name == "form":
            return -1  # html5ever takes the form out of the stack, leaving what it holds open
        if name in _HEADINGS:  # any heading's end tag ends the innermost heading
            return max(self.stack.last(h) for h in _HEADINGS)
        return self.stack.last(name)

    def _end_index(self, name: str) -> int:
        """Where an end tag ``name`` would close the stack down to, or -1 if it closes nothing."""
        index = self._innermost(name)
        if index >= 0 and self.stack.reachable(index, _html5ever_end_group(name)):
            return index
        return -1

    def text(self) -> None:
        """Text reopens the formatting elements waiting to be."""
        if not self._waiting:
            return
        for name, tag in self._waiting:
            if self._cancelled[name]:
                self._cancelled[name] -= 1
            else:
                self._push(name, tag)
        self._waiting.clear()
        self._waiting_by_name.clear()
        self._waiting_alike.clear()
        self._cancelled.clear()

    def _closed_down_to(self, name: str) -> int:
        """The stack length once a start tag ``name`` has closed what it closes."""
        stack = self.stack
        down_to = len(stack.names) - stack.closable_run(
            _HTML5EVER_CLOSES_CURRENT.get(name, _NOTHING)
        )
        candidates = []
        if name == "li":
            candidates.append((stack.last("li"), "li"))
        elif name in ("dd", "dt"):
            candidates.append((max(stack.last("dd"), stack.last("dt")), "li"))
        elif name == "a":
            candidates.append((stack.last("a"), "special"))
        elif name in ("table", "select"):
            candidates.append((self._open_in_its_mode(name), "default"))
        if name in _HTML5EVER_P_CLOSERS:
            candidates.append((stack.last("p"), "button"))
        for index, group in candidates:
            if index >= 0 and stack.reachable(index, group):
                down_to = min(down_to, index)
        if name in _HEADINGS and down_to and stack.names[down_to - 1] in _HEADINGS:
            down_to -= 1
        return down_to

    def _open_in_its_mode(self, name: str) -> int:
        """The open table or select a new one would end (unless in a cell), or -1."""
        index = self.stack.last(name)
        cell = max(self.stack.last("td"), self.stack.last("th"), self.stack.last("caption"))
        return index if index > cell else -1

    def _implied(self, name: str, down_to: int) -> tuple[str, ...]:
        """The table body and row html5ever adds around a row or cell put straight in a table."""
        if name not in ("tr", "td", "th"):
            return ()
        parts = [(self.stack.last(p), p) for p in ("table", "tbody", "thead", "tfoot", "tr")]
        index, innermost = max((i, p) for i, p in parts if i < down_to)
        if index < 0:
            return ()
        if innermost == "table":
            return ("tbody",) if name == "tr" else ("tbody", "tr")
        return ("tr",) if name != "tr" and innermost != "tr" else ()

    def _close_down_to(self, length: int) -> None:
        """Pop to ``length``; formatting elements above the one closed wait to be reopened."""
        reopen = []
        while len(self.stack.names) > length + 1:
            name, tag = self._pop()
            if name in _FORMATTING:
                reopen.append((name, tag))
        if len(self.stack.names) > length:
            self._pop()
        for name, tag in reversed(reopen):
            if self._waiting_alike[tag] < 3:
                self._waiting_alike[tag] += 1
                self._waiting_by_name[name] += 1
                self._waiting.append((name, tag))
                self.reopened += len(tag)

    def _adopt(self, index: int) -> None:
        """A formatting element ended inside a block it holds (the adoption agency).

        html5ever moves a copy of it inside the block: the depth stays, but
        no end tag matches it any more.
        """
        self.stack.retire(index)

    def _pop(self) -> tuple[str, str]:
        self._formatting_below.pop()
        self._formatting_text_below.pop()
        return self.stack.pop(), self._keys.pop()

    def _push(self, name: str, tag: str) -> None:
        self.stack.push(name)
        self._keys.append(tag)
        self._formatting_below.append(self._formatting_below[-1] + (name in _FORMATTING))
        self._formatting_text_below.append(self._formatting_text_below[-1] + len(tag))


def nests_shallowly(html: str, limit: int) -> bool:
    """Whether every end tag closes the element opened last, with never more than ``limit`` open.

    Such markup needs no simulation: a parser makes no element the markup
    does not name, bar a table body and row around a cell and an empty
    ``<p>`` for a stray ``</p>``, so it nests no deeper than three times
    ``limit``, plus one. Nor does html5ever reopen formatting elements in it,
    as long as no block (nor a link in a link) starts inside one: that would
    close them early, so we leave such markup to the models.
    """
    open_names: list[str] = []
    push, pop = open_names.append, open_names.pop  # bound once: this loop runs per tag
    formatting = links = 0  # formatting elements open, links among them
    for slash, raw_name in TAG_OR_COMMENT.findall(html):
        name = raw_name.lower()
        if not name or name in _ROOTS:
            continue
        if slash:
            if name in LIBXML2_VOID:
                continue
            if not open_names or open_names[-1] != name:
                return False
            pop()
        elif formatting and (name in _ENDS_FORMATTING or (name == "a" and links)):
            return False
        elif name not in LIBXML2_VOID:
            push(name)
            if len(open_names) > limit:
                return False
        if name in _FORMATTING:
            change = -1 if slash else 1
            formatting += change
            links += change if name == "a" else 0
    return True


def cuts_for_depth(html: str, max_depth: int) -> Iterator[tuple[int, int]]:
    """Where the tags to cut sit in ``html`` (in order) so nothing nests deeper than ``max_depth``.

    A tag that would have html5ever reopen formatting elements past a budget
    (as many characters of tags as ``html`` holds) is cut as well: an end
    tag then leaves its element open, a start tag is not started. Cuts come
    one at a time: a hostile page can need a million.
    """
    if nests_shallowly(html, (max_depth - 1) // 3):
        return
    libxml2, html5ever = _Libxml2(), _Html5ever()
    reopening_budget = len(html)
    # Start tags cut whose end tags must go too, by name: only names open in a
    # model count (an end tag matching nothing open is ignored anyway, bar a
    # stray </p>, which html5ever makes an empty <p> of), so a million made-up
    # names cost nothing here.
    cut_open: Counter[str] = Counter()
    end_of_last = 0
    for match in TAG_OR_COMMENT.finditer(html):
        if match.start() > end_of_last:
            html5ever.text()
        end_of_last = match.end()
        name = match.group("name")
        if name is None:
            continue  # a comment
        name = name.lower()
        if name in _ROOTS:
            continue
        if name in LIBXML2_VOID:
            html5ever.depth_if_started(name)
            html5ever.start(name)  # reopens formatting; a void element itself adds no depth
        elif match.group("slash"):
            if cut_open[name]:
                cut_open[name] -= 1
                yield match.span()
            elif html5ever.reopened + html5ever.reopening_if_ended(name) > reopening_budget:
                yield match.span()
            else:
                libxml2.end(name)
                html5ever.end(name)
        elif (
            libxml2.depth_if_started(name) <= max_depth
            and html5ever.depth_if_started(name) <= max_depth
            and html5ever.reopened + html5ever.reopening_if_started() <= reopening_budget
        ):
            libxml2.start(name)
            html5ever.start(name, match.group() if name in _FORMATTING else "")
        else:
            if name == "p" or libxml2.stack.last(name) >= 0 or html5ever.stack.last(name) >= 0:
                cut_open[name] += 1
            yield match.span()
