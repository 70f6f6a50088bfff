"""Stage ``normalise``: bytes become text, and text is cut into line and paragraph spans.

It promises never to rewrite the text: ``decode`` turns a file's bytes into
the string every later stage reads (UTF-8 first, a byte order mark obeyed,
Windows-1252 for short files, detection for long ones, and a
``NotTextError`` naming the file for anything that is not text), and
``lines``, ``paragraphs`` and ``paragraphs_within`` give spans into that
string as stored, line endings and smart quotes untouched.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fanfold.text.normalise import NotTextError, decode, lines, paragraphs, paragraphs_within

# --- decode --------------------------------------------------------------------------------


def test_utf8_is_read_as_utf8_with_or_without_a_byte_order_mark() -> None:
    text = "Åsa’s “boat” — naïve café"
    assert decode(text.encode("utf-8")) == text
    assert decode(b"\xef\xbb\xbf" + text.encode("utf-8")) == text


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_is_read_by_its_byte_order_mark_either_way_round(codec: str) -> None:
    text = "Two lines,\nboth “quoted”."
    assert decode(("\ufeff" + text).encode(codec)) == text


def test_a_short_file_that_is_not_utf8_is_read_as_windows_1252() -> None:
    assert decode("“Hej,” sa hon på kaféet.".encode("cp1252")) == "“Hej,” sa hon på kaféet."


def test_a_long_file_in_another_encoding_is_detected() -> None:
    text = "Вечером они пошли к морю, и ветер был холодным, как в ноябре. " * 3
    assert decode(text.encode("cp1251")) == text


def test_nul_bytes_mean_a_binary_file_and_the_error_names_it() -> None:
    with pytest.raises(NotTextError, match=r"^cover\.png: not a text file \(it contains NUL"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", name="cover.png")


def test_broken_utf16_after_its_mark_is_not_text() -> None:
    with pytest.raises(NotTextError, match=r"^odd\.txt: .*broken UTF-16"):
        decode(b"\xff\xfeA", name="odd.txt")


def test_bytes_no_encoding_fits_are_not_text() -> None:
    # 0x81, 0x8d, 0x8f, 0x90 and 0x9d are unassigned in Windows-1252, and too few to detect.
    with pytest.raises(NotTextError, match="no text encoding fits"):
        decode(b"ab\x81\x8d\x8f\x90\x9d")


@given(st.text(max_size=300))
def test_any_utf8_text_decodes_to_itself(text: str) -> None:
    if text.startswith("\ufeff") or "\x00" in text:
        return  # a leading mark is read as a mark; NUL means binary
    assert decode(text.encode("utf-8")) == text


# --- lines ---------------------------------------------------------------------------------


def test_lines_exclude_their_terminators_whichever_they_are() -> None:
    text = "one\r\ntwo\rthree\nfour"
    assert [span.of(text) for span in lines(text)] == ["one", "two", "three", "four"]


def test_empty_lines_are_lines_but_no_line_follows_the_last_terminator() -> None:
    text = "one\n\nthree\n"
    assert [span.of(text) for span in lines(text)] == ["one", "", "three"]
    assert list(lines("")) == []


# --- paragraphs ----------------------------------------------------------------------------


def test_one_line_per_paragraph_gives_a_paragraph_per_line() -> None:
    text = "Anna woke early.\nThe house was cold.\n\nShe lit the stove."
    assert [s.of(text) for s in paragraphs(text)] == [
        "Anna woke early.",
        "The house was cold.",
        "She lit the stove.",
    ]


WRAPPED = (
    "The ferry left the harbour a little after six, later than the timetable\n"
    "promised, and the wind had already turned by the time it cleared the\n"
    "breakwater, so that the few passengers on deck went below.\n"
    "\n"
    "Nobody on the island expected it before eight, and nobody was waiting\n"
    "on the pier when it came in, except the harbourmaster's old dog, which\n"
    "met every boat.\n"
)


def test_hard_wrapped_blocks_are_one_paragraph_each() -> None:
    found = [s.of(WRAPPED) for s in paragraphs(WRAPPED)]
    assert len(found) == 2
    assert found[0].startswith("The ferry left")
    assert found[0].endswith("went below.")
    assert found[1].endswith("met every boat.")
    assert "\n" in found[0]  # the text is not rewritten: the wrapping is still there


def test_short_lines_in_a_wrapped_text_stay_apart() -> None:
    verse = "Salt on the sill,\nsalt on the tongue,\nthe tide comes in.\n"
    text = WRAPPED + "\n" + verse
    found = [s.of(text) for s in paragraphs(text)]
    assert found[-3:] == ["Salt on the sill,", "salt on the tongue,", "the tide comes in."]


def test_paragraph_spans_trim_white_space_and_keep_windows_line_endings() -> None:
    text = "  Indented start.  \r\n\r\n\tTabbed second.\r\n"
    spans = paragraphs(text)
    assert [s.of(text) for s in spans] == ["Indented start.", "Tabbed second."]
    assert text[spans[0].end :].startswith("  \r\n")


def test_a_text_of_white_space_has_no_paragraphs() -> None:
    assert paragraphs(" \n\t\n\r\n") == ()
    assert paragraphs("") == ()


def test_paragraphs_within_read_a_stretch_as_its_own_text_with_offsets_into_the_whole() -> None:
    note = "A/N: short note here, nothing to see.\n\n"
    text = note + WRAPPED
    inside = paragraphs_within(text, len(note), len(text))
    assert [s.of(text) for s in inside] == [s.of(WRAPPED) for s in paragraphs(WRAPPED)]
    assert inside[0].start == len(note)


@given(st.text(alphabet="ab \n\r\t“é", max_size=400))
def test_paragraphs_are_ordered_in_bounds_and_never_start_or_end_with_white_space(
    text: str,
) -> None:
    spans = paragraphs(text)
    previous_end = 0
    for span in spans:
        assert previous_end <= span.start < span.end <= len(text)
        piece = span.of(text)
        assert piece == piece.strip()
        previous_end = span.end
