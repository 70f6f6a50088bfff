"""``Span``: a half-open range of offsets into a text, the value every stage passes on.

A span promises to be a valid range (``0 <= start <= end``, refused
otherwise), to slice the text it points into without copying it anywhere
else (``of``), and to answer containment and overlap the half-open way:
spans that only touch do not overlap. Spans sort by start, then end.
"""

from __future__ import annotations

from dataclasses import FrozenInstanceError

import pytest

from fanfold.text.spans import Span

TEXT = 'Anna said, "Come in."'


def test_a_span_slices_the_text_it_points_into() -> None:
    assert Span(12, 20).of(TEXT) == "Come in."
    assert Span(0, 4).of(TEXT) == "Anna"
    assert Span(4, 4).of(TEXT) == ""


def test_length_is_end_minus_start() -> None:
    assert Span(12, 20).length == 8
    assert Span(3, 3).length == 0


@pytest.mark.parametrize(("start", "end"), [(-1, 3), (5, 4), (-2, -1)])
def test_a_backwards_or_negative_span_is_refused(start: int, end: int) -> None:
    with pytest.raises(ValueError, match=rf"bad span \[{start}, {end}\)"):
        Span(start, end)


def test_a_span_contains_itself_and_the_spans_inside_it() -> None:
    outer = Span(10, 20)
    assert outer.contains(outer)
    assert outer.contains(Span(10, 15))
    assert outer.contains(Span(15, 15))
    assert not outer.contains(Span(9, 15))
    assert not outer.contains(Span(15, 21))


def test_spans_that_only_touch_do_not_overlap() -> None:
    assert not Span(0, 5).overlaps(Span(5, 9))
    assert not Span(5, 9).overlaps(Span(0, 5))
    assert Span(0, 6).overlaps(Span(5, 9))
    assert Span(2, 3).overlaps(Span(0, 9))


def test_spans_sort_by_start_then_end() -> None:
    spans = [Span(4, 9), Span(0, 3), Span(4, 5)]
    assert sorted(spans) == [Span(0, 3), Span(4, 5), Span(4, 9)]


def test_a_span_is_a_value_that_cannot_change() -> None:
    span = Span(1, 2)
    assert span == Span(1, 2)
    assert len({span, Span(1, 2)}) == 1
    with pytest.raises(FrozenInstanceError):
        span.start = 0  # type: ignore[misc]
