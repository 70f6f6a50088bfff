"""Notes pasted into a chapter's text: what the posting forms offer to move, and the moving.

``fanfold.archive.works.pasted_notes`` promises: author's notes and
disclaimers at the top and bottom of the text are found with the reason
for each, in plain text and in HTML alike; headings and notes in the middle
stay in the story; nothing is offered for a story without notes, for a
text that is all note, or again for notes already declined or already in
the stored text; moving appends to the notes fields and refuses, saying
why, to take a field over its limit; whatever the text, moving loses and
adds no word, and the offer shows exactly the words that move.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fanfold.archive.works.models import NOTES_MAX
from fanfold.archive.works.pasted_notes import (
    NotesTooLongError,
    find_pasted_notes,
    move_into_notes,
    offer_for,
    reason_in_words,
    top_level_blocks,
)
from fanfold.formats.userhtml import to_plain_text, to_safe_html

STORY = (
    "The ferry left at six, and Ottoline was the only passenger who stayed on deck.\n\n"
    '"You will freeze out here," said the mate.\n\n'
    "She pulled her scarf tighter and watched the harbour lights go out, one after another."
)
PASTED = (
    "A/N: Thank you so much for the kind reviews on the last chapter!\n\n"
    "Disclaimer: I don't own the ferry or the harbour; they belong to the county.\n\n"
    f"{STORY}\n\n"
    "A/N: Next chapter is nearly written, so please review!"
)


def test_notes_and_a_disclaimer_at_the_edges_are_found_with_their_reasons() -> None:
    found = find_pasted_notes(PASTED)
    assert found is not None
    assert found.body == STORY
    assert [(n.kind, n.reason, n.lines) for n in found.beginning] == [
        (
            "Author's note",
            "it starts with “A/N:”",
            ("A/N: Thank you so much for the kind reviews on the last chapter!",),
        ),
        (
            "Disclaimer",
            "it starts with “Disclaimer”",
            ("Disclaimer: I don't own the ferry or the harbour; they belong to the county.",),
        ),
    ]
    assert [n.lines for n in found.end] == [
        ("A/N: Next chapter is nearly written, so please review!",)
    ]
    assert found.end_text == "A/N: Next chapter is nearly written, so please review!"


def test_a_story_without_notes_offers_nothing() -> None:
    assert find_pasted_notes(STORY) is None
    assert offer_for(STORY) is None


def test_a_text_that_is_all_note_is_the_chapter_and_offers_nothing() -> None:
    assert find_pasted_notes("A/N: Sorry, this is not an update! I am on hiatus until May.") is None


def test_notes_in_the_middle_and_a_heading_above_the_story_stay_in_the_text() -> None:
    text = (
        "A/N: Short one today, sorry!\n\n"
        "Chapter 4: Low Tide\n\n"
        f"{STORY}\n\n"
        "A/N: the mate is based on my uncle\n\n"
        "The ferry docked before dawn and Ottoline stepped off first."
    )
    found = find_pasted_notes(text)
    assert found is not None
    assert found.body.startswith("Chapter 4: Low Tide\n\nThe ferry left at six")
    assert "A/N: the mate is based on my uncle" in found.body
    assert [n.lines for n in found.beginning] == [("A/N: Short one today, sorry!",)]
    assert found.end == ()


def test_a_line_of_symbols_between_a_note_and_the_story_goes_too_and_is_named() -> None:
    found = find_pasted_notes(f"A/N: Enjoy this one!!\n\n* * *\n\n{STORY}")
    assert found is not None
    assert found.body == STORY
    assert found.separators == ("* * *",)


def test_plain_text_is_kept_exactly_as_typed_around_the_notes() -> None:
    story = "Line one of a poem,\nline two of it.\n\n  Indented third stanza line."
    found = find_pasted_notes(f"A/N: a poem this week, thanks for reading!\r\n\r\n{story}")
    assert found is not None
    assert found.body == story


def test_html_is_cut_between_its_blocks_and_gives_the_same_digest_as_plain_text() -> None:
    html = to_safe_html(PASTED)
    found = find_pasted_notes(html)
    plain = find_pasted_notes(PASTED)
    assert found is not None
    assert plain is not None
    assert found.is_html
    assert found.body == to_safe_html(STORY)
    assert found.beginning_text.startswith("<p>A/N: Thank you so much")
    assert found.digest == plain.digest


def test_html_from_the_author_is_shown_as_its_text_never_as_markup() -> None:
    found = find_pasted_notes(
        '<p><b>A/N:</b> <script>alert(1)</script>thanks for <a href="https://example.org">'
        "reading</a>!</p>\n" + to_safe_html(STORY)
    )
    assert found is not None
    assert found.beginning[0].lines == ("A/N: thanks for reading!",)
    assert "script" not in found.beginning_text


def test_an_offer_the_author_declined_is_not_made_again() -> None:
    found = find_pasted_notes(PASTED)
    assert found is not None
    assert offer_for(PASTED, declined=found.digest) is None
    assert offer_for(PASTED, declined="something else") == found


def test_editing_a_chapter_whose_stored_text_held_the_same_notes_offers_nothing() -> None:
    stored = to_safe_html(PASTED)
    assert offer_for(stored.replace("harbour lights", "harbour's lights"), before=stored) is None


def test_editing_a_chapter_to_add_new_notes_offers_them() -> None:
    stored = to_safe_html(STORY)
    offer = offer_for(to_safe_html(PASTED), before=stored)
    assert offer is not None
    assert len(offer.beginning) == 2


def test_moving_appends_to_what_the_notes_fields_hold() -> None:
    found = find_pasted_notes(PASTED)
    assert found is not None
    body, notes, end_notes = move_into_notes(found, notes="For Jo.", end_notes="")
    assert body == STORY
    assert notes == (
        "For Jo.\n\nA/N: Thank you so much for the kind reviews on the last chapter!\n\n"
        "Disclaimer: I don't own the ferry or the harbour; they belong to the county."
    )
    assert end_notes == "A/N: Next chapter is nearly written, so please review!"


def test_moving_html_notes_into_a_plain_field_keeps_both_as_paragraphs() -> None:
    found = find_pasted_notes(to_safe_html(PASTED))
    assert found is not None
    _, notes, _ = move_into_notes(found, notes="For Jo.", end_notes="")
    assert notes.startswith("<p>For Jo.</p>\n<p>A/N: Thank you so much")


def test_moving_refuses_to_take_a_notes_field_over_the_limit() -> None:
    found = find_pasted_notes(PASTED)
    assert found is not None
    with pytest.raises(NotesTooLongError) as refused:
        move_into_notes(found, notes="", end_notes="x" * (NOTES_MAX - 10))
    assert refused.value.field == "end_notes"
    assert "end notes" in str(refused.value)
    assert "kept as you typed it" in str(refused.value)


@pytest.mark.parametrize(
    ("cue", "words"),
    [
        ("label 'A/N:'", "it starts with “A/N:”"),
        ("section label 'Chapter End Notes'", "it starts with “Chapter End Notes”"),
        ("chapter header", "the engine read it as chapter header"),
        ("talks about the story ('please review')", "it talks about the story (“please review”)"),
        (
            "at the edge of the chapter, before or after the story",
            "it sits with the notes at the edge of the chapter, outside the story",
        ),
    ],
)
def test_each_reason_reads_as_plain_words(cue: str, words: str) -> None:
    assert reason_in_words(cue) == words


def test_top_level_blocks_keep_nested_blocks_whole() -> None:
    html = "<blockquote><p>One</p><p>Two</p></blockquote>\n<p>Three<br>four</p>"
    assert top_level_blocks(html) == [
        "<blockquote><p>One</p><p>Two</p></blockquote>",
        "<p>Three<br>four</p>",
    ]


PIECES = (
    "A/N: Thanks for reading, everyone!",
    "Disclaimer: the lighthouse is not mine.",
    "Author's Note: sorry this took so long :)",
    "Chapter 7: Fog",
    "* * *",
    "Please review!! Let me know what you think.",
    "Wren trimmed the wick and waited for the fog to lift.",
    '"Is anyone out there?" she called across the water.',
    "The keeper's log said nothing about the night before.",
)


@settings(max_examples=60, deadline=None)
@given(
    pieces=st.lists(st.sampled_from(PIECES), min_size=1, max_size=12),
    joiner=st.sampled_from(["\n\n", "\n", "\n\n\n"]),
    as_html=st.booleans(),
)
def test_moving_loses_and_adds_no_word(pieces: list[str], joiner: str, as_html: bool) -> None:
    text = joiner.join(pieces)
    body = to_safe_html(text) if as_html else text
    found = find_pasted_notes(body)
    if found is None:
        return
    before = to_plain_text(to_safe_html(body)).split()
    parts = (found.body, found.beginning_text, found.end_text)
    after = [w for part in parts for w in to_plain_text(to_safe_html(part)).split()]
    after += [w for line in found.separators for w in line.split()]
    assert sorted(after) == sorted(before)
    shown = [
        w for note in (*found.beginning, *found.end) for line in note.lines for w in line.split()
    ]
    moved = to_plain_text(to_safe_html(f"{found.beginning_text}\n\n{found.end_text}")).split()
    assert sorted(shown) == sorted(moved)  # the offer shows exactly the lines that move
