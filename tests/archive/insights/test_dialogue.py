"""``insights.dialogue``: the engine's quotes, read from plain text, marked in the stored HTML."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from fanfold.archive.insights import findings
from fanfold.archive.insights.dialogue import Speaker, colour_body, quote_parts, trace
from fanfold.formats.userhtml import to_safe_html

ANN, BOB = Speaker(0, "Ann Moss"), Speaker(1, "Bob Finch")


def engine_quotes(body: str) -> tuple[list[list[int]], dict[int, Speaker]]:
    """The quotes the engine finds in the body, and a speaker for each of its cast."""
    found = findings.read_work([(1, body)])
    speakers = {n: Speaker(n, person["name"]) for n, person in enumerate(found.cast)}
    return found.chapters[0].quotes, speakers


class _Said(HTMLParser):
    """The text inside each speaker's spans, markers left out; fails on badly nested tags."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str]] = []
        self.said: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            return
        self.stack.append((tag, dict(attrs).get("class") or ""))

    def handle_endtag(self, tag: str) -> None:
        assert self.stack, f"</{tag}> closes nothing"
        assert self.stack[-1][0] == tag, f"</{tag}> closes {self.stack[-1]}"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        classes = [c for _, c in self.stack]
        if any("speaker-mark" in c for c in classes):
            return
        said = [c.split()[1] for c in classes if c.startswith("said ")]
        if said:
            self.said[said[-1]] = self.said.get(said[-1], "") + data


def said(coloured: str) -> dict[str, str]:
    parser = _Said()
    parser.feed(coloured)
    parser.close()
    assert parser.stack == [], "every tag opened is closed"
    return parser.said


@pytest.mark.parametrize(
    "body",
    [
        "<p>One &amp; two.</p>\n<p>Three&nbsp;four &lt;five&gt;.</p>",
        "<p>Line one<br>line two</p><p>After.</p>",
        "<div>Intro<p>Inner “quote,” she said.</p></div><blockquote><p>Cited.</p></blockquote>",
        "<ul><li>One</li><li>Two</li></ul><table><tbody><tr><td>A</td><td>B</td></tr></tbody></table>",
        '<p>A <a href="https://example.org/?a=1&amp;b=2" title="x > y">link</a>.</p>',
        to_safe_html("Plain text.\n\nWith “quotes,” said Ann.\nAnd a break."),
        "<pre>\n\nKept as typed.\n</pre><p>After.</p>",  # a parser drops <pre>'s first break
        "<pre><br>“Hi,” she said.</pre><pre></pre><p>After.</p>",
    ],
)
def test_the_traced_text_is_the_text_the_engine_reads(body: str) -> None:
    traced = trace(body)
    assert traced.text == findings.chapter_text(body)
    for char, start, end in zip(traced.text, traced.starts, traced.ends, strict=True):
        if start >= 0 and body[start] != "&":
            assert body[start:end] == char


def test_each_quote_in_paragraphs_is_coloured_by_its_speaker() -> None:
    body = to_safe_html(
        "“Where were you?” Ann Moss asked.\n\n“Out,” Bob Finch said.\n\n“Out where?” Ann asked."
    )
    quotes, speakers = engine_quotes(body)
    coloured = colour_body(body, quotes, speakers)
    assert coloured is not None
    assert said(coloured) == {"said-0": "“Where were you?”“Out where?”", "said-1": "“Out,”"}
    assert coloured.count('class="speaker-mark" aria-hidden="true">AM</span>') == 2
    assert re.sub(r"<[^>]+>|AM|BF", "", coloured) == re.sub(r"<[^>]+>", "", body)


def test_a_quote_with_emphasis_inside_is_marked_around_it_and_stays_well_nested() -> None:
    body = (
        "<p>“I <em>said</em> no, <strong>twice</strong>,” Ann Moss told him.</p>\n"
        "<p>“Fine,” Bob Finch said.</p>"
    )
    quotes, speakers = engine_quotes(body)
    coloured = colour_body(body, quotes, speakers)
    assert coloured is not None
    assert said(coloured) == {"said-0": "“I said no, twice,”", "said-1": "“Fine,”"}
    assert '<em><span class="said said-0" title="Ann Moss">said</span></em>' in coloured


def test_quotes_either_side_of_a_line_break_are_each_coloured() -> None:
    body = "<p>“Stay,” Ann Moss said.<br>“No,” Bob Finch said.</p>"
    quotes, speakers = engine_quotes(body)
    coloured = colour_body(body, quotes, speakers)
    assert coloured is not None
    assert said(coloured) == {"said-0": "“Stay,”", "said-1": "“No,”"}


def test_the_narration_between_two_parts_of_a_quote_is_not_coloured() -> None:
    text = "“Go,” he said. “Now.”"
    assert [text[a:b] for a, b in quote_parts(text, 1, 20)] == ["“Go,”", "“Now.”"]
    body = f"<p>{text}</p>"
    coloured = colour_body(body, [[0, 1, 20, 0]], {0: ANN})
    assert coloured is not None
    assert said(coloured) == {"said-0": "“Go,”“Now.”"}


def test_quotes_without_a_known_speaker_are_left_as_they_are() -> None:
    body = "<p>“Hello,” someone said.</p>"
    assert colour_body(body, [[0, 1, 7, -1]], {0: ANN}) == body


def test_names_from_the_analysis_are_escaped() -> None:
    body = "<p>“Hi,” she said.</p>"
    coloured = colour_body(body, [[0, 1, 4, 0]], {0: Speaker(0, '<b onclick="x">Eve</b>')})
    assert coloured is not None
    assert "<b onclick" not in coloured
    assert 'title="&lt;b onclick=&quot;x&quot;&gt;Eve&lt;/b&gt;"' in coloured


def test_quotes_that_do_not_fit_the_text_leave_the_chapter_uncoloured() -> None:
    body = "<p>“Hi,” she said.</p>"
    assert colour_body(body, [[3, 1, 4, 0]], {0: ANN}) is None  # no such paragraph
    assert colour_body(body, [[0, 1, 99, 0]], {0: ANN}) is None  # past the paragraph's end
    assert colour_body(body, [[0, 1, 4]], {0: ANN}) is None  # not a quote row


def test_html_whose_blocks_do_not_line_up_with_the_text_read_is_left_uncoloured() -> None:
    # Not what the sanitiser stores: the engine's text drops the script's content, so the
    # characters cannot be traced one to one and nothing is coloured rather than the wrong words.
    body = "<p>“Hi,” she said.</p><script>alert(1)</script><p>“Bye,” he said.</p>"
    assert trace(body).text != findings.chapter_text(body)
    assert colour_body(body, [[0, 1, 4, 0], [1, 1, 5, 1]], {0: ANN, 1: BOB}) is None


def test_speakers_beyond_the_palette_share_one_look_and_keep_their_initials() -> None:
    late = Speaker(None, "Zed Quinn")
    assert late.css_class == "said-other"
    coloured = colour_body("<p>“Hi,” she said.</p>", [[0, 1, 4, 0]], {0: late})
    assert coloured is not None
    assert 'class="said said-other"' in coloured
    assert ">ZQ</span>" in coloured
