"""Stage ``ordering``: one test per dev fixture work, then headers and robustness."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fanfold.text.ordering import header_number, order_chapters
from tests.conftest import SEEDS

FIXTURES = Path(__file__).parent / "fixtures" / "ordering" / "dev"
CASES = sorted(p for p in FIXTURES.iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_dev_fixture_work_comes_out_in_story_order(case: Path) -> None:
    files = sorted(case.glob("*.txt"))
    result = order_chapters([(p.name, p.read_text(encoding="utf-8")) for p in files])
    expected = json.loads((case / "expected.json").read_text())["order"]
    assert [files[i].name for i in result.order] == expected
    assert 0.0 < result.confidence <= 1.0
    assert result.cues


@pytest.mark.parametrize(
    ("opening", "number"),
    [
        ("Chapter 12", 12),
        ("Chapter Three: The Lighthouse", 3),
        ("CHAPTER XIV", 14),
        ("Part II - Winter", 2),
        ("Ch. 7", 7),
        ("**Chapter Twenty-Two**", 22),
        (".:O:.:O:.\n\nChapter Seventy-Eight\n\n.:O:.:O:.", 78),
        ("Chapter Ninety Nine", 99),
        ("Chapter Forty-First", 41),
        ("Prologue", 0),
        ("Epilogue", math.inf),
        ("4.", 4),
        ("The rain fell.", None),
    ],
)
def test_header_numbers(opening: str, number: float | None) -> None:
    assert header_number(f"{opening}\n\nSome story text.") == number


def test_headers_beat_file_names() -> None:
    result = order_chapters([("01.txt", "Chapter 2\n\nLater."), ("02.txt", "Chapter 1\n\nFirst.")])
    assert result.order == (1, 0)
    assert result.confidence > 0.9


def test_without_evidence_file_names_decide_with_low_confidence() -> None:
    result = order_chapters([("b2.txt", "Rain."), ("a1.txt", "Snow.")])
    assert result.order == (1, 0)
    assert result.confidence < 0.5


@pytest.mark.seeds
def test_the_seeds_come_out_001_before_000_from_their_content() -> None:
    files = sorted(SEEDS.glob("*.txt"))
    result = order_chapters([(p.name, p.read_text(encoding="utf-8")) for p in files])
    assert [files[i].name[:3] for i in result.order] == ["001", "000"]


def test_no_chapters_and_one_chapter() -> None:
    assert order_chapters([]).order == ()
    assert order_chapters([("a", "")]).order == (0,)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=10), st.text(max_size=300)), max_size=10))
def test_any_chapters_give_a_permutation(chapters: list[tuple[str, str]]) -> None:
    result = order_chapters(chapters)
    assert sorted(result.order) == list(range(len(chapters)))
    assert 0.0 <= result.confidence <= 1.0


def test_a_heading_under_long_opening_notes_still_numbers_the_chapter() -> None:
    notes = "**Thanks to everyone who reviewed! My beta fixed every comma.** " * 20
    later = f"{notes}\n\n**Chapter 12: Ashes**\n\nWren walked on."
    earlier = f"{notes}\n\n**Chapter 11: Salt**\n\nWren set out."
    assert order_chapters([("a.txt", later), ("b.txt", earlier)]).order == (1, 0)


def test_a_chapter_mentioned_inside_long_notes_is_not_a_heading() -> None:
    notes = "Thanks to everyone who reviewed! " * 30
    plans = "chapter 40 will take a while, since I am moving house."
    text = f"{notes}\n{plans}\n\nWren walked on."
    assert header_number(text) is None
