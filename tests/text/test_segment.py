"""Stage ``segment``: one test per annotated dev fixture, then the cues one by one."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.fixtures import Fixture, break_hits, fixtures, predicted_labels
from fanfold.text.segment import segment_chapter
from tests.conftest import SEEDS

DEV = fixtures("dev")


@pytest.mark.parametrize("fixture", DEV, ids=[f.name for f in DEV])
def test_dev_fixture_lines_get_their_kind(fixture: Fixture) -> None:
    segmentation = segment_chapter(fixture.text)
    predicted = predicted_labels(fixture, [(s.kind, s.span) for s in segmentation.segments])
    for line, guess in zip(fixture.lines, predicted, strict=True):
        if line.label == "separator" or (line.label == "break" and not line.span.length):
            continue
        gold = "story" if line.label == "break" else line.label
        assert guess == gold, line.span.of(fixture.text)
    assert break_hits(fixture.breaks, segmentation.scene_breaks)[1:] == (0, 0)


def kinds(text: str) -> list[tuple[str, str]]:
    return [(s.kind, s.span.of(text)) for s in segment_chapter(text).segments]


def test_every_segment_says_why() -> None:
    text = "A/N: hello!\n\nI don't own Bleach.\n\nChapter 2: Rain\n\nIchigo ran."
    cues = [s.cue for s in segment_chapter(text).segments]
    assert cues[0] == "label 'A/N:'"
    assert "I don't own" in cues[1]
    assert cues[2] == "chapter header"
    assert cues[3] == "narration"


@pytest.mark.parametrize(
    "line", ["***", "* * *", "~~~", "xXx", "oOo", "~BSL~", "<hr>", "<hr />", "-----", "o0o"]
)
def test_symbol_lines_between_story_are_scene_breaks(line: str) -> None:
    text = f"Anna ran to the door.\n\n{line}\n\nBo slept until noon."
    breaks = segment_chapter(text).scene_breaks
    assert [b.of(text) for b in breaks] == [line]


def test_a_line_between_a_note_and_the_story_is_not_a_scene_break() -> None:
    text = "A/N: enjoy!\n\n~~~\n\nAnna ran to the door.\n\nBo slept."
    assert segment_chapter(text).scene_breaks == ()


def test_a_long_blank_run_is_a_break_even_when_a_line_of_dialogue_opens_the_scene() -> None:
    text = (
        "Anna ran.\n\nThe road was long.\n\nShe turned.\n\n\n\n"
        '"Stop," she said.\n\nBo slept.\n\nHe snored.\n\n\n\nThe town woke.\n\nIt rained.'
    )
    breaks = segment_chapter(text).scene_breaks
    assert [text[b.end :][:6] for b in breaks] == ['"Stop,', "The to"]


def test_a_single_short_line_set_apart_by_wide_gaps_is_a_beat_not_a_scene_break() -> None:
    text = (
        "The tide went out over the flats.\n\nGulls followed it, crying.\n\n"
        "Nell watched from the wall.\n\nHer hands were cold.\n\n\n\n"
        "And the sea forgets her name.\n\n\n\n"
        "And the sea keeps her boats.\n\n\n\n"
        "Morning came grey to the harbour.\n\nNell counted the nets.\n\n"
        "She was short by two.\n\nShe counted again."
    )
    assert segment_chapter(text).scene_breaks == ()


def test_a_wide_gap_between_two_stretches_of_story_stays_a_scene_break() -> None:
    text = (
        "Nell counted the nets.\n\nShe was short by two.\n\nShe counted again.\n\n\n\n"
        "Three days later the boats came home.\n\nNobody spoke of the nets.\n\nIt rained."
    )
    [gap] = segment_chapter(text).scene_breaks
    assert text[gap.end :].startswith("Three days later")


def test_a_closing_plea_between_symbol_lines_and_a_posting_date_is_all_note() -> None:
    text = (
        "Nell counted the nets.\n\nShe was short by two.\n\n.:O:.:O:.:O:.\n\n"
        "Please Review!\n\n.:O:.:O:.\n\nreposted: 3/14/09"
    )
    found = kinds(text)
    assert found[0] == ("story", "Nell counted the nets.\n\nShe was short by two.\n\n.:O:.:O:.:O:.")
    assert [kind for kind, _ in found[1:]] == ["author_note", "author_note"]
    assert found[-1] == ("author_note", "reposted: 3/14/09")


@pytest.mark.parametrize("header", ["Chapter Seventy-Eight", "CHAPTER NINETY-ONE", "Part Forty"])
def test_chapter_numbers_in_words_past_thirty_are_headers(header: str) -> None:
    text = f"{header}\n\nThe harbour was quiet.\n\nNell slept."
    assert kinds(text)[0] == ("header", header)


@pytest.mark.parametrize(
    "note",
    [
        "[^2]: A selkie is a seal that can take off its skin.",
        "Like it? Leave me some feedback!",
        "Fan art by tidewrack, linked with the artist's permission.",
    ],
)
def test_a_footnote_a_feedback_plea_or_an_art_credit_at_the_end_is_a_note(note: str) -> None:
    text = f"Nell counted the nets.\n\nShe was short by two.\n\n{note}"
    assert kinds(text)[-1] == ("author_note", note)


def test_an_illustration_posted_as_a_chapter_is_all_note() -> None:
    text = (
        "Chapter 4: Nell at the Harbour, a drawing\n\nA/N: I drew this for the story!\n\n"
        "Nell mending nets.\n\nArtwork by tidewrack. Thank you for reading!"
    )
    assert segment_chapter(text).story_spans() == ()


def test_one_short_line_of_story_between_notes_about_no_picture_stays_story() -> None:
    text = "A/N: my first fic!\n\nChapter 1: The Pier\n\nNell stood on the pier.\n\nA/N: Review!"
    assert ("story", "Nell stood on the pier.") in kinds(text)


def test_something_that_belonged_to_someone_in_the_story_is_no_disclaimer() -> None:
    text = "Nell found a ring.\n\nIt had belonged to her mother, once.\n\nShe kept it."
    assert {kind for kind, _ in kinds(text)} == {"story"}


def test_a_character_who_owns_nothing_is_still_story() -> None:
    text = 'Dean parked the car.\n\n"I don\'t own a single decent shirt," Sam said.\n\nThey drove.'
    assert {kind for kind, _ in kinds(text)} == {"story"}


def test_a_middle_note_needs_a_label() -> None:
    text = "Anna ran.\n\nA/N: sorry, had to stop here!\n\nBo slept.\n\nThe chapter ended well."
    assert ("author_note", "A/N: sorry, had to stop here!") in kinds(text)
    assert kinds(text)[-1] == ("story", "Bo slept.\n\nThe chapter ended well.")


def test_a_chapter_that_is_all_note_has_no_story() -> None:
    text = "Hey guys, this isn't an update, sorry!\n\nThe story is on hiatus for a month."
    assert segment_chapter(text).story_spans() == ()


def test_empty_and_blank_text() -> None:
    assert segment_chapter("").segments == ()
    assert segment_chapter("\n\n  \n").segments == ()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([*'ab *~-\n"', "A/N:", "I don't own", "Chapter 1"])).map("".join))
def test_segments_are_ordered_in_bounds_and_cover_every_non_blank_line(text: str) -> None:
    segmentation = segment_chapter(text)
    previous_end = 0
    for segment in segmentation.segments:
        assert previous_end <= segment.span.start <= segment.span.end <= len(text)
        previous_end = segment.span.end
    covered = [s.span for s in segmentation.segments] + list(segmentation.scene_breaks)
    offset = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            start = offset + line.index(stripped[0])
            assert any(span.start <= start < span.end for span in covered), line
        offset += len(line) + 1


@pytest.mark.seeds
def test_the_seeds_notes_and_disclaimers_are_segments_of_their_own() -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        found = kinds(text)
        assert found[0][0] == "author_note"
        assert found[1][0] == "disclaimer"
        assert found[1][1].startswith("I don't own anything")
        assert all(kind == "story" for kind, _ in found[2:])


@pytest.mark.parametrize("line", ["xXx--xXx--xXx--xXx--xXx", "~ xXx ~ oOo ~ XxX ~", "~ BSL ~"])
def test_motif_lines_are_scene_breaks(line: str) -> None:
    text = f"Anna ran to the door.\n\n{line}\n\nBo slept until noon."
    assert [b.of(text) for b in segment_chapter(text).scene_breaks] == [line]


def test_a_long_line_that_is_almost_a_break_is_story() -> None:
    # The break pattern once backtracked exponentially on lines like this one.
    line = "xXx--" * 40 + "the end"
    text = f"Anna ran to the door.\n\n{line}\n\nBo slept until noon."
    assert segment_chapter(text).scene_breaks == ()
    assert kinds(text) == [("story", text)]


def paratext(text: str) -> list[str]:
    """The paragraphs that are not story, in order."""
    return [
        p
        for s in segment_chapter(text).segments
        if s.kind != "story"
        for p in s.span.of(text).split("\n\n")
    ]


def story(text: str) -> str:
    return "\n\n".join(s.span.of(text) for s in segment_chapter(text).segments if s.kind == "story")


AO3_PAGE = """The Lighthouse Keeper's Daughter

tidewright

Summary:

Wren keeps the lamp lit while her father is away. The sea has other plans.

Notes:

For my sister, who loves storms.

Chapter 1: Salt

Wren climbed the hundred steps with the oil can knocking at her knee.

"You'll spill it," said the gull on the rail, or seemed to.

Notes:

Thank you for reading! The next part is nearly done.

Series this work belongs to:

← Previous Work Part 2 of the Tidewright Lamps series"""


def test_an_ao3_page_s_frame_is_all_paratext_and_the_story_is_all_story() -> None:
    assert story(AO3_PAGE) == (
        "Wren climbed the hundred steps with the oil can knocking at her knee.\n\n"
        '"You\'ll spill it," said the gull on the rail, or seemed to.'
    )
    assert paratext(AO3_PAGE)[:2] == ["The Lighthouse Keeper's Daughter", "tidewright"]
    assert "Thank you for reading! The next part is nearly done." in paratext(AO3_PAGE)


def test_an_ao3_download_s_labels_frame_the_chapter() -> None:
    text = (
        "Salt\n\nChapter Summary\n\nWren finds the lamp cold.\n\nChapter Notes\n\n"
        "See the end of the chapter for more notes\n\n"
        "The lamp was cold when Wren reached the top, colder than the iron rail.\n\n"
        "She struck a match and cupped it against the wind.\n\n"
        "Chapter End Notes\n\nMore soon, I promise."
    )
    assert story(text) == (
        "The lamp was cold when Wren reached the top, colder than the iron rail.\n\n"
        "She struck a match and cupped it against the wind."
    )


def test_notes_with_no_heading_after_them_end_where_the_dialogue_begins() -> None:
    text = (
        "Notes:\n\nThanks to my beta, who fixed every comma.\n\n"
        '"Hold the rope," said Wren.\n\nHer father held it, grumbling about the cold.'
    )
    assert paratext(text) == ["Notes:", "Thanks to my beta, who fixed every comma."]


def test_an_end_notes_label_after_the_story_holds_everything_below_it() -> None:
    body = "Wren watched the ships go by, one light after another, until dawn. " * 6
    text = f"{body}\n\nNotes:\n\nI wrote this on a train.\n\nIt rained the whole way."
    assert paratext(text) == ["Notes:", "I wrote this on a train.", "It rained the whole way."]


def test_a_lowercase_a_n_without_a_colon_still_opens_a_note() -> None:
    text = "a/n a short one this time, sorry\n\nWren slept through the storm."
    assert paratext(text) == ["a/n a short one this time, sorry"]


@pytest.mark.parametrize(
    "top",
    [
        "The Lighthouse Keeper\n\nby tidewright\n\nChapter 1",
        "**The Lighthouse Keeper**\n\n**By tidewright**\n\n**Chapter 1: Salt**",
        "# The Lighthouse Keeper",
    ],
)
def test_a_title_and_byline_above_the_chapter_heading_are_headers(top: str) -> None:
    text = f"{top}\n\nWren climbed the steps.\n\nThe lamp was cold."
    assert story(text) == "Wren climbed the steps.\n\nThe lamp was cold."
    assert all(s.kind == "header" for s in segment_chapter(text).segments[:-1])


@pytest.mark.parametrize(
    "line",
    ["She watched the harbour lights go out one by one.", "Wren waited by the door", "One by one."],
)
def test_a_short_sentence_with_by_in_it_is_story_not_a_byline(line: str) -> None:
    text = f"Wren climbed the steps.\n\n{line}"
    assert story(text) == text


def test_a_summary_above_a_site_line_and_the_chapter_title_below_it_are_paratext() -> None:
    text = (
        "A sequel to the lamp stories, in which Wren leaves the island.\n\n"
        "Original story on fanfiction.net: Wren Goes Inland\n\n"
        "Salt and Iron\n\n"
        "The ferry left at dawn."
    )
    assert story(text) == "The ferry left at dawn."


def test_a_short_first_sentence_is_story_not_a_title() -> None:
    text = "Rain.\n\nWren listened to it all night."
    assert paratext(text) == []


def test_replies_to_reviewers_at_the_bottom_are_a_note() -> None:
    replies = "\n\n".join(
        f"{name} - thank you so much! More soon."
        for name in ("Gullwing", "Mara K", "tidepool22", "Ostrich")
    )
    text = (
        "Wren lit the lamp and the ships turned home, one after another.\n\n"
        f"Sorry this chapter is short!\n\n{replies}"
    )
    assert story(text) == "Wren lit the lamp and the ships turned home, one after another."


def test_a_story_with_a_name_and_a_dash_in_it_keeps_its_end() -> None:
    text = "Wren ran.\n\nMara - the cook - laughed at her.\n\nThey ate together."
    assert paratext(text) == []


def breaks_before(text: str) -> list[str]:
    """The first words after each scene break."""
    return [text[b.end :].lstrip()[:9] for b in segment_chapter(text).scene_breaks]


def test_a_lone_dash_between_scenes_is_a_scene_break() -> None:
    text = "Wren slept.\n\n-\n\nMorning came grey."
    assert breaks_before(text) == ["Morning c"]


def test_a_section_title_inside_the_story_is_a_header_and_a_scene_break() -> None:
    text = "Wren slept.\n\n## The Crossing\n\nMorning came grey."
    assert breaks_before(text) == ["Morning c"]
    assert [s.kind for s in segment_chapter(text).segments] == ["story", "header", "story"]


def test_a_time_in_bold_italics_opens_a_scene_and_stays_story() -> None:
    text = "Wren slept.\n\n***Later that night...***\n\nThe lamp went out."
    assert breaks_before(text) == ["The lamp "]
    assert [s.kind for s in segment_chapter(text).segments] == ["story"]


def test_a_dateline_under_the_heading_is_story_not_a_title() -> None:
    text = "Chapter 3: Ashes\n\n***May 14, 1943***\n\nThe lamp went out."
    assert [s.kind for s in segment_chapter(text).segments] == ["header", "story"]


def test_an_epigraph_inside_a_top_note_stays_in_the_note_down_to_the_heading() -> None:
    verse = "\n".join(
        [
            "“The lamp burns low, the tide runs high,",
            "And every ship must pass me by.”",
            "-from a sea shanty my grandmother sang",
        ]
    )
    text = (
        "a/n the title comes from this:\n\n"
        f"{verse}\n\n"
        "Dedicated to everyone who waited.\n\n"
        "The Lamp\nBy tidewright\n\n"
        "Chapter one - salt\n\n"
        "It was cold on the stairs."
    )
    assert story(text) == "It was cold on the stairs."
    assert segment_chapter(text).scene_breaks == ()


@pytest.mark.parametrize(
    "plea", ["Review Please!", "Reviews make me write faster!", "Comments are love <3"]
)
def test_a_plea_for_reviews_after_the_story_is_an_author_note(plea: str) -> None:
    text = f'Wren climbed the steps.\n\n"Hello," she said.\n\nThe lamp was cold.\n\n{plea}'
    assert paratext(text) == [plea]


def test_words_to_readers_inside_a_characters_speech_are_story() -> None:
    # "you all" addresses readers in a note; inside quotation marks a character says it.
    text = (
        'Jonas looked up. "Where were you all night?" He waited.\n\n'
        "Mira shrugged and hung her coat by the door. The kettle was still warm.\n\n"
        'She sat down across from him. "Out," she said, and that was all.\n'
    )
    kinds = [segment.kind for segment in segment_chapter(text).segments]
    assert kinds == ["story"]
