"""A work of our own, with every field set, for the readers' and writers' tests."""

from __future__ import annotations

from datetime import date

import pytest

from fanfold.formats.model import ParsedChapter, ParsedWork, SeriesRef


@pytest.fixture
def full_work() -> ParsedWork:
    return ParsedWork(
        title="Letters & Kent",
        creators=("inkwell",),
        summary="<p>Letters, mostly. Some of them <em>cross</em>.</p>",
        notes="<p>For my sister, who likes letters.</p>",
        end_notes="<p>Thank you for reading.</p>",
        rating="Teen And Up Audiences",
        warnings=("No Archive Warnings Apply",),
        categories=("F/M",),
        fandoms=("Pride and Prejudice - Jane Austen",),
        relationships=("Elizabeth Bennet/Fitzwilliam Darcy", "Elizabeth Bennet & Jane Bennet"),
        characters=("Elizabeth Bennet", "Fitzwilliam Darcy", "Jane Bennet"),
        freeforms=("Epistolary", "Rain"),
        language="en",
        series=(SeriesRef("Kent Letters", 2),),
        expected_chapters=2,
        complete=True,
        published=date(2026, 1, 2),
        updated=date(2026, 2, 3),
        chapters=(
            ParsedChapter(
                title="The First Letter",
                summary="<p>Elizabeth writes from Hunsford.</p>",
                notes="<p>Written in one sitting.</p>",
                body="<p>Dear Jane, the rectory is very small &amp; very clean.</p>\n<hr>\n"
                "<p>Later: it rained.<br>It is still raining.</p>",
            ),
            ParsedChapter(
                title="The Second Letter",
                body="<p>Dear Jane, I have had a most extraordinary morning.</p>",
                end_notes="<p>More letters soon.</p>",
            ),
        ),
    )
