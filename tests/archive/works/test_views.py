"""Posting, reading and editing works through the pages."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fanfold.archive.people.models import User
from fanfold.archive.tags.models import TagType
from fanfold.archive.works import services
from fanfold.archive.works.models import CHAPTER_BODY_MAX, SUMMARY_MAX, Work
from tests.archive.factories import make_work


def work_form_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "title": "The Long Walk to Longbourn",
        "rating": "teen",
        "warnings": ["No Archive Warnings Apply"],
        "categories": ["F/M"],
        "fandoms": "Pride and Prejudice - Jane Austen",
        "relationships": "Elizabeth Bennet/Fitzwilliam Darcy",
        "characters": "Elizabeth Bennet, Fitzwilliam Darcy",
        "freeforms": "Slow Burn, Letters",
        "summary": "A walk, a letter, a second chance.",
        "notes": "Thank you to my beta!",
        "end_notes": "More soon.",
        "language": "en",
        "expected_chapters": "",
        "chapter-title": "The Lane",
        "chapter-body": 'Elizabeth walked on.\n\n"You are early," said Mr. Darcy.',
        "action": "post",
    }
    data.update(overrides)
    return data


def test_an_author_posts_a_work_and_readers_see_it(as_author: Client, as_stranger: Client) -> None:
    response = as_author.post(reverse("works:new"), work_form_data())
    work = Work.objects.get()
    assert response.status_code == 302
    assert response["Location"] == work.get_absolute_url()
    assert not work.is_draft
    assert {t.name for t in work.tags.filter(type=TagType.CHARACTER)} == {
        "Elizabeth Bennet",
        "Fitzwilliam Darcy",
    }
    page = as_stranger.get(work.get_absolute_url()).content.decode()
    assert "The Long Walk to Longbourn" in page
    assert "You are early" in page
    assert "Thank you to my beta!" in page
    assert "Elizabeth Bennet/Fitzwilliam Darcy" in page


def test_saving_as_draft_keeps_the_work_private(as_author: Client, as_reader: Client) -> None:
    as_author.post(reverse("works:new"), work_form_data(action="draft"))
    work = Work.objects.get()
    assert work.is_draft
    assert as_reader.get(work.get_absolute_url()).status_code == 404
    assert "only you can see it" in as_author.get(work.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "This field is required."),
        ("fandoms", " , ", "This field is required."),
        ("warnings", [], "This field is required."),
        ("rating", "", "This field is required."),
        ("summary", "x" * (SUMMARY_MAX + 1), f"at most {SUMMARY_MAX} characters"),
        ("notes", "n" * 5001, "at most 5000 characters"),
        ("chapter-body", "short", "at least 10 characters"),
        (
            "chapter-body",
            "w " * (CHAPTER_BODY_MAX // 2 + 1),
            f"at most {CHAPTER_BODY_MAX} characters",
        ),
        ("freeforms", ", ".join(f"tag {n}" for n in range(80)), "at most 75"),
        ("characters", "c" * 151, "at most 150 characters"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_keeps_what_was_typed(
    as_author: Client, field: str, value: Any, message: str
) -> None:
    data = work_form_data(**{field: value})
    response = as_author.post(reverse("works:new"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert not Work.objects.exists()
    # Everything else the author typed is still in the form.
    kept = {"title": "The Long Walk to Longbourn", "chapter-body": "Elizabeth walked on."}
    for name, typed in kept.items():
        if name != field:
            assert typed in page
    if field == "chapter-body" and len(value) < 100:
        assert f">\n{value}</textarea>" in page


def test_a_chapter_of_only_script_is_refused_next_to_the_field(as_author: Client) -> None:
    response = as_author.post(
        reverse("works:new"), work_form_data(**{"chapter-body": "<script>alert('hi')</script>"})
    )
    assert "no text once its HTML is cleaned" in response.content.decode()
    assert not Work.objects.exists()


def test_an_oversized_request_is_refused_with_a_page_saying_why(as_author: Client) -> None:
    response = as_author.post(
        reverse("works:new"), work_form_data(**{"chapter-body": "x" * (9 * 1024 * 1024)})
    )
    assert response.status_code == 400
    assert "larger than the 8 MB a form may hold" in response.content.decode()
    assert not Work.objects.exists()


def test_a_chapter_at_the_limit_in_any_script_fits_in_a_browsers_form(as_author: Client) -> None:
    """A browser sends the form URL-encoded: each CJK character is nine bytes there."""
    body = "雨" * CHAPTER_BODY_MAX
    response = as_author.post(
        reverse("works:new"),
        urlencode(work_form_data(**{"chapter-body": body}), doseq=True),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 302
    assert Work.objects.get().chapters.get().body == f"<p>{body}</p>"


def test_a_form_post_without_csrf_token_is_refused(author: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)
    assert client.post(reverse("works:new"), work_form_data()).status_code == 403


def test_reading_chapter_by_chapter(as_stranger: Client, author: User) -> None:
    work = make_work(owner=author, chapters=3)
    first, second, third = work.chapters.order_by("position")
    page = as_stranger.get(work.get_absolute_url()).content.decode()
    assert "Elizabeth walked out before breakfast." in page
    assert "Chapter 2 begins here" not in page
    assert second.get_absolute_url() in page  # next chapter
    page = as_stranger.get(second.get_absolute_url()).content.decode()
    assert "Chapter 2 begins here" in page
    assert first.get_absolute_url() in page
    assert third.get_absolute_url() in page
    full = as_stranger.get(reverse("works:full", args=[work.pk])).content.decode()
    assert "Elizabeth walked out" in full
    assert "Chapter 3 begins here" in full


def test_a_chapter_of_another_work_is_not_found(as_stranger: Client, author: User) -> None:
    work = make_work(owner=author)
    other = make_work(owner=author, title="Other")
    url = reverse("works:chapter", args=[work.pk, other.chapters.get().pk])
    assert as_stranger.get(url).status_code == 404


def test_readers_can_hide_and_show_authors_notes(as_stranger: Client, author: User) -> None:
    work = make_work(owner=author, notes="A note from the author.")
    url = work.get_absolute_url()
    assert "A note from the author." in as_stranger.get(url).content.decode()
    response = as_stranger.post(reverse("works:toggle_notes"), {"hide": "1", "next": url})
    assert response["Location"] == url
    assert "A note from the author." not in as_stranger.get(url).content.decode()
    as_stranger.post(reverse("works:toggle_notes"), {"hide": "0", "next": url})
    assert "A note from the author." in as_stranger.get(url).content.decode()


def test_the_notes_toggle_never_redirects_off_site(as_stranger: Client) -> None:
    response = as_stranger.post(
        reverse("works:toggle_notes"), {"hide": "1", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_the_author_edits_a_work_and_the_form_starts_filled_in(
    as_author: Client, author: User
) -> None:
    work = make_work(owner=author, summary="Old summary.")
    form_page = as_author.get(reverse("works:edit", args=[work.pk])).content.decode()
    assert "Old summary." in form_page
    assert "Pride and Prejudice - Jane Austen" in form_page
    response = as_author.post(
        reverse("works:edit", args=[work.pk]), work_form_data(title="A Better Title")
    )
    assert response.status_code == 302
    work.refresh_from_db()
    assert work.title == "A Better Title"


def test_the_author_adds_edits_and_reorders_chapters(as_author: Client, author: User) -> None:
    work = make_work(owner=author)
    as_author.post(
        reverse("works:chapter_new", args=[work.pk]),
        {"title": "Second", "body": "The second chapter's text.", "action": "post"},
    )
    first, second = work.chapters.order_by("position")
    as_author.post(
        reverse("works:chapter_edit", args=[work.pk, second.pk]),
        {"title": "Second, revised", "body": "The revised text of it.", "action": "post"},
    )
    second.refresh_from_db()
    assert second.title == "Second, revised"
    response = as_author.post(
        reverse("works:chapter_order", args=[work.pk]),
        {f"position_{first.pk}": "2", f"position_{second.pk}": "1"},
    )
    assert response.status_code == 302
    assert list(work.chapters.order_by("position")) == [second, first]


def test_reordering_with_a_repeated_position_is_refused(as_author: Client, author: User) -> None:
    work = make_work(owner=author, chapters=2)
    first, second = work.chapters.order_by("position")
    response = as_author.post(
        reverse("works:chapter_order", args=[work.pk]),
        {f"position_{first.pk}": "1", f"position_{second.pk}": "1"},
    )
    assert "each position" in response.content.decode()
    assert list(work.chapters.order_by("position")) == [first, second]


def test_deleting_the_only_chapter_explains_why_not(as_author: Client, author: User) -> None:
    work = make_work(owner=author)
    chapter = work.chapters.get()
    response = as_author.post(reverse("works:chapter_delete", args=[work.pk, chapter.pk]))
    assert "delete the work instead" in response.content.decode()
    assert work.chapters.exists()


def test_a_reader_sees_the_work_s_place_in_its_series(as_author: Client, as_reader: Client) -> None:
    as_author.post(
        reverse("works:new"), work_form_data(title="First", new_series_title="Longbourn")
    )
    first = Work.objects.get(title="First")
    series = first.series.get()
    as_author.post(reverse("works:new"), work_form_data(title="Second", series=series.pk))
    second = Work.objects.get(title="Second")
    page = as_reader.get(second.get_absolute_url()).content.decode()
    assert "Part 2 of" in page
    assert "Longbourn" in page
    assert first.get_absolute_url() in page


def test_a_tag_page_lists_its_works(as_stranger: Client, author: User) -> None:
    make_work(
        owner=author,
        title="Jane and Charles",
        tags={TagType.RELATIONSHIP: ["Jane Bennet/Charles Bingley"]},
    )
    make_work(owner=author, title="Someone Else Entirely")
    url = reverse("search:tag", args=["relationship", "Jane Bennet/Charles Bingley"])
    page = as_stranger.get(url).content.decode()
    assert "Jane and Charles" in page
    assert "Someone Else Entirely" not in page
    assert as_stranger.get(reverse("search:tag", args=["colour", "Blue"])).status_code == 404


# Query counts: listings cost the same number of queries for 2 works as for 12.

LISTINGS = {
    "search:home": lambda user: [],
    "search:works": lambda user: [],
    "works:author": lambda user: [user.username],
    "search:tag": lambda user: ["fandom", "Pride and Prejudice - Jane Austen"],
    "works:series": lambda user: [user.series.get().pk],
}


def _queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("url_name", list(LISTINGS))
def test_listings_do_not_query_per_work(as_reader: Client, author: User, url_name: str) -> None:
    series = services.create_series(owner=author, title="A Series")

    def add_works(count: int) -> None:
        for n in range(count):
            work = make_work(owner=author, title=f"Work {Work.objects.count()}", chapters=2)
            services.update_work(
                work=work,
                by=author,
                fields=services.WorkFields(
                    title=work.title,
                    rating=work.rating,
                    tags={
                        TagType.FANDOM: ["Pride and Prejudice - Jane Austen"],
                        TagType.CHARACTER: [f"Character {n}"],
                    },
                ),
                series=series,
            )

    add_works(2)
    url = reverse(url_name, args=LISTINGS[url_name](author))
    _queries_for(as_reader, url)  # warm the session and caches
    with_two = _queries_for(as_reader, url)
    add_works(10)
    assert _queries_for(as_reader, url) == with_two
