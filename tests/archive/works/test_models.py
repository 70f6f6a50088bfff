"""Works, chapters, series and waiting uploads as rows.

``fanfold.archive.works.models`` promises: each row names itself readably
(a work and a series by their titles, a chapter by its heading); each has
the public address readers bookmark; a work shows AO3's "posted/expected"
chapter label; a chapter's heading numbers it and adds its title; a work
cannot sit twice in one series; a new work is listed nowhere until the
index says otherwise; an upload's token names one upload only; an
account deleted takes its works, series and waiting uploads with it.
"""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from fanfold.archive.people.models import User
from fanfold.archive.works import services
from fanfold.archive.works.models import (
    Chapter,
    Listing,
    PendingUpload,
    Rating,
    Series,
    SeriesPart,
    Work,
)
from tests.archive.factories import make_work


def test_a_work_is_named_by_its_title(author: User) -> None:
    assert str(make_work(owner=author, title="The Long Walk")) == "The Long Walk"


def test_a_works_address_is_its_reading_page(author: User) -> None:
    work = make_work(owner=author)
    assert work.get_absolute_url() == f"/works/{work.pk}/"


@pytest.mark.parametrize(
    ("posted", "expected", "label"),
    [(2, 3, "2/3"), (2, None, "2/?"), (0, None, "0/?"), (1, 1, "1/1")],
)
def test_the_chapters_label_is_posted_over_expected_with_a_question_mark_when_unknown(
    posted: int, expected: int | None, label: str
) -> None:
    work = Work(title="Unsaved", chapter_count=posted, expected_chapters=expected)
    assert work.chapters_label == label


def test_a_new_work_row_is_listed_nowhere_until_it_is_indexed(author: User) -> None:
    work = Work.objects.create(owner=author, title="Raw row", rating=Rating.GENERAL)
    assert work.listing == Listing.UNLISTED
    assert work.is_draft


@pytest.mark.parametrize(
    ("number", "title", "heading"),
    [
        (2, "The Garden", "Chapter 2: The Garden"),
        (2, "", "Chapter 2"),
        (10, "End", "Chapter 10: End"),
    ],
)
def test_a_chapter_is_named_by_its_number_and_title(number: int, title: str, heading: str) -> None:
    chapter = Chapter(position=number + 1, number=number, title=title)  # a draft sits before it
    assert chapter.heading == heading
    assert str(chapter) == heading


def test_a_chapters_address_names_its_work_and_itself(author: User) -> None:
    work = make_work(owner=author, chapters=2)
    second = work.chapters.get(position=2)
    assert second.get_absolute_url() == f"/works/{work.pk}/chapters/{second.pk}/"


def test_a_works_chapters_come_in_position_order(author: User) -> None:
    work = make_work(owner=author, chapters=3)
    first, second, third = work.chapters.order_by("position")
    services.reorder_chapters(work=work, by=author, chapter_ids=[third.pk, first.pk, second.pk])
    assert list(work.chapters.all()) == [third, first, second]  # Meta.ordering, no order_by


def test_a_series_is_named_by_its_title_and_found_at_its_page(author: User) -> None:
    series = services.create_series(owner=author, title="Letters from Netherfield")
    assert str(series) == "Letters from Netherfield"
    assert series.get_absolute_url() == f"/series/{series.pk}/"
    assert Series._meta.verbose_name_plural == "series"


def test_a_series_part_names_its_position_and_series(author: User) -> None:
    series = services.create_series(owner=author, title="Letters")
    work = make_work(owner=author)
    services.join_series(work=work, by=author, series=series)
    part = series.parts.get()
    assert str(part) == f"Part 1 of {series.pk}"


def test_a_work_cannot_be_in_one_series_twice(author: User) -> None:
    series = services.create_series(owner=author, title="Letters")
    work = make_work(owner=author)
    SeriesPart.objects.create(series=series, work=work, position=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        SeriesPart.objects.create(series=series, work=work, position=2)
    assert series.parts.count() == 1


def test_a_work_may_be_in_two_series(author: User) -> None:
    work = make_work(owner=author)
    for title in ("Letters", "Walks"):
        SeriesPart.objects.create(
            series=services.create_series(owner=author, title=title), work=work, position=1
        )
    assert sorted(s.title for s in work.series.all()) == ["Letters", "Walks"]


def test_a_waiting_upload_names_its_token_and_owner(author: User) -> None:
    upload = PendingUpload.objects.create(owner=author, token="abc123", parsed="{}")
    assert str(upload) == f"upload abc123 by {author.pk}"


def test_two_waiting_uploads_cannot_share_a_token(author: User, reader: User) -> None:
    PendingUpload.objects.create(owner=author, token="same", parsed="{}")
    with pytest.raises(IntegrityError), transaction.atomic():
        PendingUpload.objects.create(owner=reader, token="same", parsed="{}")


def test_deleting_an_author_deletes_their_works_series_and_uploads(author: User) -> None:
    make_work(owner=author)
    services.create_series(owner=author, title="Letters")
    PendingUpload.objects.create(owner=author, token="t", parsed="{}")
    author.delete()
    assert not Work.objects.exists()
    assert not Chapter.objects.exists()
    assert not Series.objects.exists()
    assert not PendingUpload.objects.exists()
