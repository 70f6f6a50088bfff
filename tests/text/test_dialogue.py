"""Quotation finding on small passages written for these tests."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from fanfold.text.dialogue import find_quotes
from fanfold.text.spans import Span


def parts_of(text: str) -> list[list[str]]:
    return [[part.of(text) for part in quote.parts] for quote in find_quotes(text)]


def test_interrupted_quote_is_one_speech_with_two_parts() -> None:
    text = '"Yes," Ruby said, "I will carry the scythe."'
    assert parts_of(text) == [["Yes,", "I will carry the scythe."]]


def test_quote_span_runs_from_first_part_to_last_without_marks() -> None:
    text = '"Yes," Ruby said, "I will."'
    (quote,) = find_quotes(text)
    assert quote.span == Span(1, len(text) - 1)


def test_speech_left_open_continues_into_next_paragraph() -> None:
    text = (
        '"The Grimm came over the ridge at dawn. We held the line.\n\n'
        '"Then the wall fell," Weiss said.\n\n'
        "Nobody answered her."
    )
    assert parts_of(text) == [
        [
            "The Grimm came over the ridge at dawn. We held the line.",
            "Then the wall fell,",
        ]
    ]


def test_unclosed_quote_without_continuation_ends_at_paragraph() -> None:
    text = '"I never finished that sentence\n\nBlake closed the book.'
    assert parts_of(text) == [["I never finished that sentence"]]


def test_curly_quotes() -> None:
    text = "“Don’t move,” Blake whispered. “It hasn’t seen us.”"
    assert parts_of(text) == [["Don’t move,", "It hasn’t seen us."]]


def test_british_single_quotes_survive_apostrophes() -> None:
    text = (
        "'I don't think the Joneses' cat is ours,' said Harry. 'Fetch 'em anyway.'\n\n"
        "'Right,' said Ron.\n\n'Fine.'\n\n'Go on then.'\n\n'Now?'\n\n'Now.'"
    )
    assert parts_of(text) == [
        ["I don't think the Joneses' cat is ours,", "Fetch 'em anyway."],
        ["Right,"],
        ["Fine."],
        ["Go on then."],
        ["Now?"],
        ["Now."],
    ]


def test_double_quotes_nested_in_single_quote_mode_stay_inside() -> None:
    text = "'She said \"never\" to me,' Harry said.\n\n'Odd.'\n\n'Very.'\n\n'Yes.'\n\n'Quite.'"
    assert parts_of(text)[0] == ['She said "never" to me,']


def test_scare_quotes_and_titles_are_not_speech() -> None:
    text = 'Yang hated the word "love" and the song "Chances" alike.\n\n"Turn it off," she said.'
    assert parts_of(text) == [["Turn it off,"]]


def test_short_answer_at_paragraph_start_is_speech() -> None:
    assert parts_of('"No."\n\nHe left.') == [["No."]]


def test_separate_paragraphs_are_separate_quotes() -> None:
    text = '"Where is Ruby?" asked Weiss.\n\n"Asleep," said Blake.'
    assert parts_of(text) == [["Where is Ruby?"], ["Asleep,"]]


def test_regions_limit_the_search() -> None:
    text = '"Note to readers."\n\n"Story line," Ruby said.'
    start = text.index('"Story')
    assert parts_of(text) == [["Note to readers."], ["Story line,"]]
    quotes = find_quotes(text, [Span(start, len(text))])
    assert [q.span.of(text) for q in quotes] == ["Story line,"]


@given(st.text(alphabet=st.sampled_from("ab \"“”‘’'\n.,!?é—") | st.characters()))
def test_any_text_gives_quotes_in_bounds(text: str) -> None:
    previous_end = 0
    for quote in find_quotes(text):
        assert quote.parts
        assert quote.span.start == quote.parts[0].start
        assert quote.span.end == quote.parts[-1].end
        assert quote.span.start >= previous_end
        for part in quote.parts:
            assert 0 <= part.start <= part.end <= len(text)
            assert quote.span.contains(part)
        previous_end = quote.span.end
