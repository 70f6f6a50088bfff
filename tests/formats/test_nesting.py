"""The nesting model: ordinary markup is left alone, deep markup is bounded in both parsers."""

from __future__ import annotations

import re

import nh3
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html

from fanfold.formats import nesting
from fanfold.formats.nesting import TAG_OR_COMMENT, cuts_for_depth, nests_shallowly

PARAGRAPH = "The rain came down over the harbour and nobody went out."


def cut(html: str, max_depth: int) -> str:
    pieces, last = [], 0
    for start, end in cuts_for_depth(html, max_depth):
        pieces.append(html[last:start])
        last = end
    return "".join(pieces) + html[last:]


def lxml_depth(html: str) -> int:
    """How deep libxml2 nests ``html`` inside its body (html and body not counted)."""
    body = lxml_html.document_fromstring(f"<html><body>{html}</body></html>").find("body")
    assert body is not None
    return max(len(list(element.iterancestors())) - 1 for element in body.iter())


_VOID = "area base br col embed hr img input link meta param source track wbr"


def html5ever_depth(html: str) -> int:
    """How deep html5ever nests ``html``, read from what nh3 writes back (it closes every tag)."""
    names = set(re.findall(r"</?([a-z0-9]+)", html.lower())) - {"html", "head", "body"}
    written = nh3.clean(html, tags=names - {"script", "style"}, attributes={})
    depth = deepest = 0
    for slash, name in re.findall(r"<(/?)([a-z0-9]+)", written):
        if name not in _VOID.split():
            depth += -1 if slash else 1
            deepest = max(deepest, depth)
    return deepest


@pytest.mark.parametrize(
    "html",
    [
        f"<p>{PARAGRAPH}" * 2000,  # paragraphs never closed
        "<ul>" + f"<li>{PARAGRAPH}" * 2000 + "</ul>",
        "<dl>" + f"<dt>Term<dd>{PARAGRAPH}" * 1000 + "</dl>",
        "<table>" + f"<tr><td>{PARAGRAPH}<td>{PARAGRAPH}" * 1000 + "</table>",
        f"<p>{PARAGRAPH}<br>{PARAGRAPH}<img src=x><hr>" * 2000,
        f"<p><b>{PARAGRAPH}</p>" * 1000,  # bold left open at each paragraph's end
        f"<div><p><i>{PARAGRAPH}</div>" * 1000,
        f"<p>{PARAGRAPH}<!-- <div><div><div> -->" * 2000,
        f'<p title="a > b">{PARAGRAPH}</p>' * 2000,
    ],
)
def test_ordinary_markup_is_never_cut_however_long(html: str) -> None:
    assert list(cuts_for_depth(html, max_depth=100)) == []


def test_well_nested_markup_is_judged_without_the_parser_models() -> None:
    nested = "<div>" * 33 + PARAGRAPH + "</div>" * 33
    assert nests_shallowly(nested, limit=33)
    assert not nests_shallowly(nested, limit=32)
    assert nests_shallowly("<p>one<p>two", limit=33)  # left open: no deeper than counted
    assert not nests_shallowly("<p>one</div>", limit=33)  # a stray end: the models decide


def test_a_quoted_attribute_can_hold_a_tag_end_and_a_comment_can_hold_tags() -> None:
    tokens = [m.group() for m in TAG_OR_COMMENT.finditer('<a title="x>y">z</a><!-- <b> -->')]
    assert tokens == ['<a title="x>y">', "</a>", "<!-- <b> -->"]


def test_a_tag_or_comment_that_never_ends_runs_to_the_end() -> None:
    assert [m.group() for m in TAG_OR_COMMENT.finditer("x<div a='1>y<p>")] == ["<div a='1>y<p>"]
    assert [m.group() for m in TAG_OR_COMMENT.finditer("<!-- <p> <p>")] == ["<!-- <p> <p>"]


def test_deep_divs_are_cut_to_the_limit_and_their_end_tags_with_them() -> None:
    html = "<div>x" * 300 + "</div>" * 300 + "<p>END</p>"
    flattened = cut(html, max_depth=100)
    assert flattened.count("<div>") == flattened.count("</div>") == 100
    assert flattened.count("x") == 300
    assert lxml_depth(flattened) <= 100


@pytest.mark.parametrize(
    "html",
    [
        "<i>x" * 600 + "<p>END</p>" * 600,  # formatting reopened in every paragraph
        "<div><b a=1><b a=2><b a=3></div>x" * 200,  # formatting closed by a block, reopened
        "<table><tr><td>" * 200 + "x",  # table bodies and rows the parser adds
        "<li><blockquote>" * 300 + "x",  # a new item does not end one that holds a block
        "<b><div></b>x" * 300,  # formatting ended inside a block (adoption agency)
        "<span><wbr>" * 300 + "x",  # libxml2 keeps wbr open
    ],
)
def test_tricky_nesting_stays_within_the_limit_in_both_parsers(html: str) -> None:
    flattened = cut(html, max_depth=40)
    assert lxml_depth(flattened) <= 40
    assert html5ever_depth(flattened) <= 40 + 1  # a stray </p> can add one empty leaf


@pytest.mark.parametrize(
    ("closed", "closer"),
    sorted(
        (closed, closer) for closer, closes in nesting._LIBXML2_CLOSES.items() for closed in closes
    ),
)
def test_libxml2_ends_each_element_its_table_says_it_ends(closed: str, closer: str) -> None:
    # The libxml2 model is only safe while lxml's libxml2 still behaves as measured.
    root = lxml_html.document_fromstring(f"<div><{closed} id=a>A<{closer} id=b>B</div>")
    inner = root.get_element_by_id("b")
    outer = root.get_element_by_id("a")
    assert outer not in list(inner.iterancestors()), etree.tostring(root)


TAGS = "p div li ul dd dt dl h1 h2 blockquote section table tr td th tbody caption option select"
TAGS += " span b i a em strong u font pre center form nobr wbr embed source button"
ATTRIBUTES = ["", " class=x", f' title="{"long " * 20}"']
SOUP = st.lists(
    st.one_of(
        st.tuples(st.sampled_from(TAGS.split()), st.sampled_from(ATTRIBUTES)).map(
            lambda tag: f"<{tag[0]}{tag[1]}>"
        ),
        st.sampled_from(TAGS.split()).map(lambda name: f"</{name}>"),
        st.integers(0, 9).map(lambda n: f"w{n} "),
    ),
    max_size=400,
).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(soup=SOUP)
def test_any_tag_soup_cut_to_a_depth_nests_within_it_in_both_parsers(soup: str) -> None:
    flattened = cut(soup, max_depth=8)
    assert lxml_depth(flattened) <= 8
    assert html5ever_depth(flattened) <= 8 + 2  # a stray </p> adds an empty leaf, and more


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(unit=SOUP, times=st.integers(1, 30))
def test_html5ever_writes_back_no_more_than_a_few_times_any_soup_cut(unit: str, times: int) -> None:
    soup = unit * times  # repeats are how reopened formatting multiplies
    attributes = {"*": {"class", "title"}}
    written = nh3.clean(cut(soup, max_depth=100), attributes=attributes, link_rel=None)
    # Each tag may come back closed, or twice ("<a>" as "<a></a><a></a>"), no more.
    assert len(written) <= 6 * len(soup) + 200
