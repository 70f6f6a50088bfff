"""``boilerplate``: the lines sites and download tools frame a chapter with."""

from __future__ import annotations

import pytest

from fanfold.text.boilerplate import frame_line


@pytest.mark.parametrize(
    "line",
    [
        "Summary:",
        "Notes:",
        "Chapter Summary",
        "Chapter Notes",
        "Chapter End Notes",
        "End Notes",
        "**Author's Endnote:**",
        "Work Notes",
    ],
)
def test_section_labels_open_a_note(line: str) -> None:
    frame = frame_line(line)
    assert frame is not None
    assert (frame.kind, frame.opens_section) == ("author_note", True)


@pytest.mark.parametrize(
    "line",
    [
        "(See the end of the chapter for notes.)",
        "(See the end of the work for notes.)",
        "See the end of the chapter for more notes",
        "(See the end of the work for other works inspired by this one.)",
        "Works inspired by this one:",
        "Series this work belongs to:",
        "← Previous Work Part 2 of the Tidewright Lamps series",
        "Part 3 of the Tidewright Lamps series Next Work →",
        "Edit Chapter",
        "Original story on fanfiction.net: Wren Goes Inland",
        "Cross-posted to Wattpad under the same name",
    ],
)
def test_site_lines_stand_alone_as_headers(line: str) -> None:
    frame = frame_line(line)
    assert frame is not None
    assert (frame.kind, frame.opens_section) == ("header", False)


@pytest.mark.parametrize(
    "line",
    [
        "Notes on the map said the island had no name.",
        "Summary judgement was swift.",
        "She saw the end of the chapter coming.",
        "Edit the chapter later, she told herself.",
        "Notes:\nThe second line makes this a paragraph, not a label.",
    ],
)
def test_story_sentences_that_start_like_frame_lines_are_not(line: str) -> None:
    assert frame_line(line) is None


def test_a_long_paragraph_is_never_a_frame_line() -> None:
    assert frame_line("Part 2 of the " + "very " * 60 + "long series") is None
