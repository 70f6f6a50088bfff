"""AO3-shaped markup, and the one-page HTML and plain-text writers built on it.

The pieces promise AO3's download layout: a preface (``dl.tags`` with a row
for each kind of tag the work has, the title, the byline, summary and
notes, the stats line), each chapter's heading, summary, notes, text and
end notes, and an afterword only when there are end notes. ``xhtml`` turns
stored HTML into well-formed XHTML, keeping all its text however deep or
long. ``write_html`` is the whole work on one page that reads back as the
same work; ``write_text`` the whole work as plain text wrapped at 78
columns, without markup. Every text from the work is escaped.
"""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import date

import pytest
from lxml import etree

from fanfold.formats.model import ParsedChapter, ParsedWork
from fanfold.formats.readers import read_bytes
from fanfold.formats.writers.markup import (
    afterword,
    chapter_block,
    chapter_heading,
    preface,
    stats_line,
    write_html,
    write_text,
    xhtml,
)

ROUND_TRIP_FIELDS = [
    f.name
    for f in fields(ParsedWork)
    if f.name not in {"source", "source_format", "messages", "chapters"}
]
BARE = ParsedWork(title="Rain", chapters=(ParsedChapter(body="<p>It rained.</p>"),))


def test_a_written_page_reads_back_the_same(full_work: ParsedWork) -> None:
    back = read_bytes(write_html(full_work).encode(), name="book.html")
    for name in ROUND_TRIP_FIELDS:
        assert getattr(back, name) == getattr(full_work, name), name
    assert back.chapters == full_work.chapters


def test_the_preface_has_a_tag_row_for_each_kind_of_tag_the_work_has(
    full_work: ParsedWork,
) -> None:
    labels = [
        "Rating", "Archive Warning", "Category", "Fandom", "Relationship", "Character",
        "Additional Tags", "Language", "Series", "Stats",
    ]  # fmt: skip
    rows = etree.fromstring(preface(full_work)).findall(".//dl/dt")
    assert [row.text for row in rows] == [f"{label}:" for label in labels]
    bare = etree.fromstring(preface(BARE))
    assert [row.text for row in bare.findall(".//dl/dt")] == ["Stats:"]
    assert bare.find(".//div[@class='byline']") is None


def test_the_stats_line_says_completed_or_updated_and_the_chapters_expected() -> None:
    two = (ParsedChapter(body="<p>One two.</p>"), ParsedChapter(body="<p>Three.</p>"))
    work = ParsedWork(title="T", chapters=two, published=date(2026, 1, 1), updated=date(2026, 2, 1))
    assert stats_line(work) == "Published: 2026-01-01 Updated: 2026-02-01 Words: 3 Chapters: 2/?"
    assert stats_line(replace(work, complete=True)) == (
        "Published: 2026-01-01 Completed: 2026-02-01 Words: 3 Chapters: 2/2"
    )
    same_day = replace(work, updated=date(2026, 1, 1), expected_chapters=5)
    assert stats_line(same_day) == "Published: 2026-01-01 Words: 3 Chapters: 2/5"


def test_a_chapter_block_holds_its_heading_notes_text_and_end_notes(
    full_work: ParsedWork,
) -> None:
    first, second = full_work.chapters
    assert chapter_heading(1, first) == "Chapter 1: The First Letter"
    assert chapter_heading(3, ParsedChapter(body="x")) == "Chapter 3"
    block = chapter_block(1, first)
    assert '<h2 class="heading" id="chapter-1">Chapter 1: The First Letter</h2>' in block
    assert "<p>Chapter Summary</p>" in block
    assert "<p>Chapter Notes</p>" in block
    assert "endnotes1" not in block
    assert '<div class="meta group" id="endnotes2">' in chapter_block(2, second)


def test_the_afterword_is_there_only_for_end_notes(full_work: ParsedWork) -> None:
    assert "Thank you for reading." in afterword(full_work)
    assert afterword(replace(full_work, end_notes=" \n")) == ""


def test_xhtml_is_well_formed_and_keeps_loose_text() -> None:
    assert xhtml("<p>One<br>two&nbsp;three</p>") == "<p>One<br/>two\xa0three</p>"
    assert xhtml("Loose <em>text</em> first") == "Loose <em>text</em> first"
    assert xhtml("  \n ") == ""


def test_every_text_of_the_work_is_escaped() -> None:
    work = replace(
        BARE,
        title="<script>alert(1)</script>",
        creators=("a&b",),
        freeforms=("<b>",),
        chapters=(ParsedChapter(title="<i>", body="<p>Safe.</p>"),),
    )
    page = write_html(work)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '<a class="author">a&amp;b</a>' in page
    assert '<a class="tag">&lt;b&gt;</a>' in page
    assert "Chapter 1: &lt;i&gt;" in page


def test_a_chapter_stored_deeply_nested_is_written_with_all_its_text() -> None:
    # Stored before nesting was bounded: libxml2 would drop all past depth 255.
    body = "<blockquote>" * 1000 + "<p>Who is there?</p>" + "</blockquote>" * 1000
    work = ParsedWork(title="Echo", chapters=(ParsedChapter(body=body),))
    assert "Who is there?" in write_html(work)


@pytest.mark.slow
def test_a_paragraph_longer_than_libxml2s_text_limit_is_written_whole() -> None:
    # libxml2 alone drops a fragment holding more than 10 MB of text in one node.
    body = "<p>" + "word " * 2_100_000 + "</p><p>The end.</p>"
    work = ParsedWork(title="Long", chapters=(ParsedChapter(body=body),))
    assert "The end." in write_html(work)


def test_text_has_the_preface_chapters_and_notes(full_work: ParsedWork) -> None:
    text = write_text(full_work)
    assert text.startswith("Letters & Kent\nby inkwell\n")
    assert (
        "Relationship: Elizabeth Bennet/Fitzwilliam Darcy, Elizabeth Bennet & Jane Bennet" in text
    )
    assert "Chapter 1: The First Letter" in text
    assert "* * *" in text
    assert "More letters soon." in text
    assert "End notes:\nThank you for reading." in text
    assert "<p>" not in text


def test_text_is_wrapped_at_78_columns_with_paragraphs_apart() -> None:
    long = " ".join(["The tide went out and the gulls came down."] * 10)
    work = replace(BARE, chapters=(ParsedChapter(body=f"<p>{long}</p><p>Then night.</p>"),))
    text = write_text(work)
    assert max(len(line) for line in text.splitlines()) <= 78
    paragraph = text[text.index("The tide") : text.index("\n\nThen night.")]
    assert paragraph.count("\n") >= 5  # 430 characters: one paragraph over six lines
    assert " ".join(paragraph.split()) == long
    assert "\n\nThen night.\n" in text
    assert "Chapters: 1/?" in text
