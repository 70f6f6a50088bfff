"""Writing works, chapters and series through the services."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fanfold.archive.people.models import User
from fanfold.archive.tags.models import Tag, TagType
from fanfold.archive.works import services
from fanfold.archive.works.models import Chapter, Series, Work
from tests.archive.factories import make_work


def test_create_work_sanitises_html_and_counts_words(author: User) -> None:
    work = make_work(
        owner=author,
        body='<p onclick="steal()">Mr. Darcy bowed.</p><script>alert(1)</script>',
        summary='<a href="javascript:alert(1)">click</a> me',
    )
    chapter = work.chapters.get()
    assert chapter.body == "<p>Mr. Darcy bowed.</p>"
    assert "javascript" not in work.summary
    assert chapter.word_count == 3
    assert work.word_count == 3
    assert work.chapter_count == 1


def test_create_work_turns_plain_text_into_paragraphs(author: User) -> None:
    work = make_work(owner=author, body="One line.\nSame paragraph.\n\nSecond <paragraph> & more.")
    assert work.chapters.get().body == (
        "<p>One line.<br>Same paragraph.</p>\n<p>Second &lt;paragraph&gt; &amp; more.</p>"
    )


def test_create_work_leaves_nothing_behind_when_the_chapter_is_empty_once_cleaned(
    author: User,
) -> None:
    with pytest.raises(ValidationError):
        make_work(owner=author, body="<script>only a script</script>")
    assert not Work.objects.exists()
    assert not Chapter.objects.exists()
    assert not Tag.objects.exists()


def test_tags_match_existing_names_whatever_their_case(author: User) -> None:
    make_work(owner=author, tags={TagType.CHARACTER: ["Lexie Grey"]})
    make_work(owner=author, tags={TagType.CHARACTER: ["lexie grey", "LEXIE GREY"]})
    assert list(Tag.objects.values_list("name", flat=True)) == ["Lexie Grey"]


def test_a_draft_work_has_no_published_date_until_posted(author: User) -> None:
    work = make_work(owner=author, post=False, chapters=2)
    assert work.published_at is None
    services.post_work(work=work, by=author)
    assert work.published_at is not None
    assert work.chapter_count == 2
    assert not work.chapters.filter(is_draft=True).exists()


def test_a_draft_work_counts_its_words_and_chapters_for_its_author(author: User) -> None:
    # Issue 14: drafts showed "Words: 0, Chapters: 0/?" while their text was there.
    work = make_work(owner=author, post=False, chapters=2, body="Four words are here.")
    assert (work.word_count, work.chapters_label) == (4 + 7, "2/?")
    services.post_work(work=work, by=author)
    assert (work.word_count, work.chapters_label) == (11, "2/?")


def test_a_posted_work_counts_only_its_posted_chapters(author: User) -> None:
    work = make_work(owner=author, body="Four words are here.")
    services.add_chapter(
        work=work,
        by=author,
        fields=services.ChapterFields(body="A draft of five words."),
        post=False,
    )
    assert (work.word_count, work.chapters_label) == (4, "1/?")


def test_chapter_counts_follow_posting_and_deleting(author: User) -> None:
    work = make_work(owner=author, expected_chapters=None)
    draft = services.add_chapter(
        work=work,
        by=author,
        fields=services.ChapterFields(body="A draft chapter here."),
        post=False,
    )
    assert work.chapters_label == "1/?"
    services.post_chapter(chapter=draft, by=author)
    assert work.chapters_label == "2/?"
    services.delete_chapter(chapter=draft, by=author)
    assert work.chapters_label == "1/?"
    assert list(work.chapters.values_list("position", flat=True)) == [1]


def test_the_last_chapter_cannot_be_deleted(author: User) -> None:
    work = make_work(owner=author)
    with pytest.raises(ValidationError):
        services.delete_chapter(chapter=work.chapters.get(), by=author)


def test_reorder_chapters_needs_every_chapter_once(author: User) -> None:
    work = make_work(owner=author, chapters=3)
    first, second, third = work.chapters.order_by("position")
    services.reorder_chapters(work=work, by=author, chapter_ids=[third.pk, first.pk, second.pk])
    assert list(work.chapters.order_by("position")) == [third, first, second]
    with pytest.raises(ValidationError):
        services.reorder_chapters(work=work, by=author, chapter_ids=[first.pk, first.pk, second.pk])


def test_only_the_owner_may_change_a_work(author: User, reader: User) -> None:
    work = make_work(owner=author)
    with pytest.raises(PermissionDenied):
        services.post_work(work=work, by=reader)
    with pytest.raises(PermissionDenied):
        services.add_chapter(
            work=work, by=reader, fields=services.ChapterFields(body="Not my story."), post=True
        )
    with pytest.raises(PermissionDenied):
        services.set_work_hidden(work=work, by=reader, hidden=True)


def test_a_completed_work_without_an_expected_count_shows_its_posted_count(author: User) -> None:
    work = make_work(owner=author, chapters=2, is_complete=True)
    assert work.chapters_label == "2/2"


def test_series_parts_number_in_order_and_close_gaps(author: User) -> None:
    series = services.create_series(owner=author, title="Netherfield Letters")
    works = [make_work(owner=author, title=f"Letter {n}") for n in range(1, 4)]
    for work in works:
        services.update_work(
            work=work,
            by=author,
            fields=services.WorkFields(title=work.title, rating=work.rating),
            series=series,
        )
    assert [p.work.title for p in series.parts.all()] == ["Letter 1", "Letter 2", "Letter 3"]
    services.delete_work(work=works[1], by=author)
    assert [(p.position, p.work.title) for p in series.parts.all()] == [
        (1, "Letter 1"),
        (2, "Letter 3"),
    ]
    services.update_series(
        series=series, by=author, title="Renamed", work_ids=[works[2].pk, works[0].pk]
    )
    assert [p.work.title for p in series.parts.all()] == ["Letter 3", "Letter 1"]


def test_a_new_series_can_be_started_from_the_work_form(author: User) -> None:
    work = make_work(owner=author)
    services.update_work(
        work=work,
        by=author,
        fields=services.WorkFields(title=work.title, rating=work.rating),
        new_series_title="Brand New",
    )
    assert Series.objects.get().parts.get().work == work


def test_a_work_cannot_join_someone_elses_series(author: User, reader: User) -> None:
    theirs = services.create_series(owner=reader, title="Not yours")
    work = make_work(owner=author)
    with pytest.raises(PermissionDenied):
        services.update_work(
            work=work,
            by=author,
            fields=services.WorkFields(title=work.title, rating=work.rating),
            series=theirs,
        )


def test_add_tag_adds_one_tag_once_and_only_for_the_author(author: User, reader: User) -> None:
    work = make_work(owner=author)
    updated = work.updated_at
    assert services.add_tag(work=work, by=author, tag_type=TagType.CHARACTER, name="Mr. Darcy")
    assert not services.add_tag(work=work, by=author, tag_type=TagType.CHARACTER, name="mr. darcy")
    characters = work.tags.filter(type=TagType.CHARACTER).values_list("name", flat=True)
    assert sorted(characters) == ["Elizabeth Bennet", "Mr. Darcy"]
    work.refresh_from_db()
    assert work.updated_at == updated  # a tag is not an update readers are told of
    with pytest.raises(PermissionDenied):
        services.add_tag(work=work, by=reader, tag_type=TagType.CHARACTER, name="Wickham")
    with pytest.raises(ValidationError):
        services.add_tag(work=work, by=author, tag_type=TagType.CHARACTER, name="  ")
    assert not Tag.objects.filter(name="Wickham").exists()


def test_chapter_numbers_count_posted_chapters_through_posting_reordering_and_deleting(
    author: User,
) -> None:
    work = make_work(owner=author, chapters=2)
    first, second = work.chapters.order_by("position")
    draft = services.add_chapter(
        work=work, by=author, fields=services.ChapterFields(body="Not yet."), post=False
    )

    def numbers() -> list[tuple[int, int, bool]]:
        rows = work.chapters.order_by("position").values_list("pk", "number", "is_draft")
        return list(rows)

    assert numbers() == [(first.pk, 1, False), (second.pk, 2, False), (draft.pk, 3, True)]
    services.reorder_chapters(work=work, by=author, chapter_ids=[first.pk, draft.pk, second.pk])
    assert numbers() == [(first.pk, 1, False), (draft.pk, 2, True), (second.pk, 2, False)]
    services.post_chapter(chapter=Chapter.objects.get(pk=draft.pk), by=author)
    assert numbers() == [(first.pk, 1, False), (draft.pk, 2, False), (second.pk, 3, False)]
    services.delete_chapter(chapter=Chapter.objects.get(pk=first.pk), by=author)
    assert numbers() == [(draft.pk, 1, False), (second.pk, 2, False)]
