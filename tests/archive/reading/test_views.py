"""``reading.views``: kudos from the work page, as a reader, a guest and the author; the
bookmark form of works and series, and a work's public bookmarks, for every persona."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fanfold.archive.people.models import User
from fanfold.archive.reading import services
from fanfold.archive.reading.models import BOOKMARK_NOTES_MAX, Bookmark
from fanfold.archive.reading.services import BookmarkFields
from fanfold.archive.works import services as works
from fanfold.archive.works.models import Series, Work
from tests.archive.conftest import PERSONAS, queries_for
from tests.archive.factories import UserFactory, add_works_to_series, make_work


def kudos_count(work: Work) -> int:
    return Work.objects.get(pk=work.pk).kudos_count


def test_a_reader_leaves_kudos_and_sees_their_name_under_the_work(
    as_reader: Client, author: User
) -> None:
    work = make_work(owner=author, title="Salt")
    page = as_reader.post(reverse("reading:kudos", args=[work.pk]), follow=True)
    text = page.content.decode()
    assert page.redirect_chain[-1][0] == reverse("works:work", args=[work.pk])
    assert "Thank you for leaving kudos!" in text
    assert "reader</a>" in text
    assert "left kudos on this work!" in text
    again = as_reader.post(reverse("reading:kudos", args=[work.pk]), follow=True)
    assert "You have already left kudos here." in again.content.decode()
    assert kudos_count(work) == 1


def test_guests_leave_kudos_once_from_one_address(as_stranger: Client, author: User) -> None:
    work = make_work(owner=author)
    as_stranger.post(reverse("reading:kudos", args=[work.pk]), REMOTE_ADDR="203.0.113.9")
    as_stranger.post(reverse("reading:kudos", args=[work.pk]), REMOTE_ADDR="203.0.113.9")
    page = Client().post(
        reverse("reading:kudos", args=[work.pk]), REMOTE_ADDR="198.51.100.7", follow=True
    )
    assert kudos_count(work) == 2
    assert "2 guests" in page.content.decode()


def test_the_author_gets_no_button_and_is_told_if_they_post_anyway(
    as_author: Client, author: User
) -> None:
    work = make_work(owner=author)
    page = as_author.get(reverse("works:work", args=[work.pk]))
    assert reverse("reading:kudos", args=[work.pk]) not in page.content.decode()
    refused = as_author.post(reverse("reading:kudos", args=[work.pk]), follow=True)
    assert "You can&#x27;t leave kudos on your own work." in refused.content.decode()
    assert kudos_count(work) == 0


def test_kudos_need_a_post(as_reader: Client, author: User) -> None:
    work = make_work(owner=author)
    assert as_reader.get(reverse("reading:kudos", args=[work.pk])).status_code == 405


def test_nobody_leaves_kudos_on_a_work_they_cannot_read(
    as_reader: Client, as_stranger: Client, author: User
) -> None:
    draft = make_work(owner=author, post=False)
    assert as_reader.post(reverse("reading:kudos", args=[draft.pk])).status_code == 404
    restricted = make_work(owner=author, title="Members", restricted=True)
    sent = as_stranger.post(reverse("reading:kudos", args=[restricted.pk]))
    assert sent.status_code == 302
    assert sent["Location"].startswith(reverse("people:login"))
    assert kudos_count(draft) == kudos_count(restricted) == 0


def test_listings_sorted_by_kudos_put_the_most_loved_first(
    as_reader: Client, as_stranger: Client, author: User
) -> None:
    quiet = make_work(owner=author, title="Quiet")
    loved = make_work(owner=author, title="Loved")
    as_reader.post(reverse("reading:kudos", args=[loved.pk]))
    as_stranger.post(reverse("reading:kudos", args=[loved.pk]), REMOTE_ADDR="203.0.113.9")
    as_stranger.post(reverse("reading:kudos", args=[quiet.pk]), REMOTE_ADDR="203.0.113.9")
    page = as_reader.get(reverse("search:works"), {"sort": "kudos"}).content.decode()
    assert page.index("Loved") < page.index("Quiet")


# Bookmarks --------------------------------------------------------------------

LOGIN = reverse("people:login")


def bookmark_count(work: Work) -> int:
    return Work.objects.get(pk=work.pk).bookmark_count


def status(response: object) -> int | str:
    """The status, or "login" for a redirect to the login page."""
    code: int = response.status_code  # type: ignore[attr-defined]
    if code == 302 and response["Location"].startswith(LOGIN):  # type: ignore[index]
        return "login"
    return code


@pytest.fixture
def shelf(author: User, admin: User) -> dict[str, Work]:
    """A posted, a restricted, a draft and a hidden work by the author."""
    hidden = make_work(owner=author, title="Hidden")
    works.set_work_hidden(work=hidden, by=admin, hidden=True)
    return {
        "posted": make_work(owner=author, title="Posted"),
        "restricted": make_work(owner=author, title="Members", restricted=True),
        "draft": make_work(owner=author, title="Draft", post=False),
        "hidden": Work.objects.get(pk=hidden.pk),
    }


# Who may open a work's bookmark form (author, reader, stranger, admin).
FORM_ACCESS = {
    "posted": [200, 200, "login", 200],
    "restricted": [200, 200, "login", 200],
    "draft": [200, 404, "login", 404],
    "hidden": [200, 404, "login", 200],
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("kind", list(FORM_ACCESS))
def test_who_may_open_the_bookmark_form_of_a_work(
    request: pytest.FixtureRequest, shelf: dict[str, Work], persona: str, kind: str
) -> None:
    client: Client = request.getfixturevalue(persona)
    response = client.get(reverse("reading:bookmark_work", args=[shelf[kind].pk]))
    assert status(response) == FORM_ACCESS[kind][PERSONAS.index(persona)]


# Who may see a work's public bookmarks: whoever may read the work.
LIST_ACCESS = {
    "posted": [200, 200, 200, 200],
    "restricted": [200, 200, "login", 200],
    "draft": [200, 404, 404, 404],
    "hidden": [200, 404, 404, 200],
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("kind", list(LIST_ACCESS))
def test_who_may_see_a_works_bookmarks(
    request: pytest.FixtureRequest, shelf: dict[str, Work], persona: str, kind: str
) -> None:
    client: Client = request.getfixturevalue(persona)
    response = client.get(reverse("reading:work_bookmarks", args=[shelf[kind].pk]))
    assert status(response) == LIST_ACCESS[kind][PERSONAS.index(persona)]


def test_a_reader_bookmarks_a_work_from_its_page_and_edits_it(
    as_reader: Client, author: User
) -> None:
    work = make_work(owner=author, title="Salt")
    page = as_reader.get(reverse("works:work", args=[work.pk])).content.decode()
    assert "<summary>Bookmark</summary>" in page
    url = reverse("reading:bookmark_work", args=[work.pk])
    saved = as_reader.post(
        url, {"notes": "The <b>best</b>", "tags": "slow burn, reread", "is_rec": "on"}, follow=True
    )
    text = saved.content.decode()
    assert saved.redirect_chain[-1][0] == work.get_absolute_url()
    assert "Bookmarked!" in text
    assert "<summary>Edit bookmark</summary>" in text
    assert "reread, slow burn" in text
    assert bookmark_count(work) == 1
    again = as_reader.post(url, {"notes": "Changed", "tags": "", "is_private": "on"}, follow=True)
    assert "Bookmark saved." in again.content.decode()
    bookmark = Bookmark.objects.get()
    assert (bookmark.notes, bookmark.is_private, bookmark.tags.count()) == (
        "<p>Changed</p>",
        True,
        0,
    )
    assert bookmark_count(work) == 0


def test_the_bookmark_page_shows_the_form_alone_filled_in(
    as_reader: Client, reader: User, author: User
) -> None:
    work = make_work(owner=author, title="Salt")
    services.save_bookmark(user=reader, work=work, fields=BookmarkFields(notes="Kept"))
    page = as_reader.get(reverse("reading:bookmark_work", args=[work.pk])).content.decode()
    assert "Edit your bookmark of" in page
    assert "&lt;p&gt;Kept&lt;/p&gt;" in page
    assert reverse("reading:delete_work_bookmark", args=[work.pk]) in page


def test_a_refused_bookmark_keeps_what_was_typed(as_reader: Client, author: User) -> None:
    work = make_work(owner=author)
    typed = "y" * (BOOKMARK_NOTES_MAX + 1)
    response = as_reader.post(
        reverse("reading:bookmark_work", args=[work.pk]), {"notes": typed, "tags": "kept tag"}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert typed in text
    assert 'value="kept tag"' in text
    assert "at most 5000 characters" in text
    assert not Bookmark.objects.exists()


def test_a_service_refusal_is_shown_on_the_form(as_author: Client, author: User) -> None:
    draft = make_work(owner=author, post=False)
    response = as_author.post(reverse("reading:bookmark_work", args=[draft.pk]), {"notes": "Mine"})
    assert response.status_code == 400
    assert "A draft can be bookmarked once it is posted." in response.content.decode()
    too_many = ", ".join(f"t{n}" for n in range(80))
    posted = make_work(owner=author)
    response = as_author.post(
        reverse("reading:bookmark_work", args=[posted.pk]), {"tags": too_many}
    )
    assert "at most 75 tags" in response.content.decode()
    assert not Bookmark.objects.exists()


def test_strangers_are_asked_to_log_in_to_bookmark(as_stranger: Client, author: User) -> None:
    work = make_work(owner=author)
    page = as_stranger.get(reverse("works:work", args=[work.pk])).content.decode()
    assert "Log in to bookmark" in page
    posted = as_stranger.post(reverse("reading:bookmark_work", args=[work.pk]), {"notes": "x"})
    assert status(posted) == "login"
    assert not Bookmark.objects.exists()


def test_drafts_and_hidden_works_show_no_bookmark_form(
    as_author: Client, shelf: dict[str, Work]
) -> None:
    for kind in ("draft", "hidden"):
        page = as_author.get(reverse("works:work", args=[shelf[kind].pk])).content.decode()
        assert "<summary>Bookmark" not in page


def test_deleting_a_bookmark_twice_says_the_same_and_counts_once(
    as_reader: Client, reader: User, author: User
) -> None:
    work = make_work(owner=author)
    services.save_bookmark(user=reader, work=work, fields=BookmarkFields())
    url = reverse("reading:delete_work_bookmark", args=[work.pk])
    first = as_reader.post(url)
    assert first["Location"] == work.get_absolute_url()
    second = as_reader.post(url, follow=True)
    assert second.redirect_chain[-1][0] == reverse("search:bookmarks", args=["reader"])
    assert "Bookmark deleted." in second.content.decode()
    assert bookmark_count(work) == 0
    assert as_reader.get(url).status_code == 405


def test_nobody_deletes_anothers_bookmark(as_author: Client, reader: User, author: User) -> None:
    work = make_work(owner=author)
    services.save_bookmark(user=reader, work=work, fields=BookmarkFields())
    as_author.post(reverse("reading:delete_work_bookmark", args=[work.pk]))
    assert Bookmark.objects.filter(user=reader).exists()
    assert bookmark_count(work) == 1


def test_a_reader_bookmarks_a_series_and_deletes_it_from_their_bookmarks_page(
    as_reader: Client, author: User
) -> None:
    series = works.create_series(owner=author, title="Seasons")
    add_works_to_series(owner=author, series=series, count=1)
    page = as_reader.get(series.get_absolute_url()).content.decode()
    assert "<summary>Bookmark</summary>" in page
    saved = as_reader.post(
        reverse("reading:bookmark_series", args=[series.pk]), {"notes": "All"}, follow=True
    )
    assert saved.redirect_chain[-1][0] == series.get_absolute_url()
    assert Bookmark.objects.get().series == series
    deleted = as_reader.post(
        reverse("reading:delete_series_bookmark", args=[series.pk]), {"back": "bookmarks"}
    )
    assert deleted["Location"] == reverse("search:bookmarks", args=["reader"])
    assert not Bookmark.objects.exists()


def test_nobody_bookmarks_a_series_they_cannot_see(
    as_reader: Client, as_stranger: Client, author: User
) -> None:
    empty: Series = works.create_series(owner=author, title="Nothing posted")
    url = reverse("reading:bookmark_series", args=[empty.pk])
    assert as_reader.get(url).status_code == 404
    assert status(as_stranger.get(url)) == "login"


def test_a_works_bookmarks_page_shows_public_bookmarks_only(
    as_stranger: Client, reader: User, author: User
) -> None:
    work = make_work(owner=author, title="Salt")
    services.save_bookmark(
        user=reader,
        work=work,
        fields=BookmarkFields(notes="Read it twice", tags=("comfort read",), is_rec=True),
    )
    services.save_bookmark(
        user=UserFactory(username="secretive"),
        work=work,
        fields=BookmarkFields(notes="hush", is_private=True),
    )
    work_page = as_stranger.get(work.get_absolute_url()).content.decode()
    assert f'<a href="{reverse("reading:work_bookmarks", args=[work.pk])}">1</a>' in work_page
    page = as_stranger.get(reverse("reading:work_bookmarks", args=[work.pk])).content.decode()
    assert "1 public bookmark." in page
    assert ">reader</a>" in page
    assert "Read it twice" in page
    assert "comfort read" in page
    assert "Rec" in page
    assert "secretive" not in page
    assert "hush" not in page


def test_a_works_bookmarks_come_in_pages(as_stranger: Client, author: User) -> None:
    work = make_work(owner=author)
    for n in range(25):
        services.save_bookmark(
            user=UserFactory(username=f"r{n:02}"), work=work, fields=BookmarkFields()
        )
    url = reverse("reading:work_bookmarks", args=[work.pk])
    first = as_stranger.get(url)
    after = first.context["page"].next_after
    assert ">r24</a>" in first.content.decode()
    assert ">r04</a>" not in first.content.decode()
    second = as_stranger.get(url, {"after": after}).content.decode()
    assert ">r04</a>" in second
    assert ">r24</a>" not in second
    assert as_stranger.get(url, {"after": "junk"}).status_code == 200


def test_a_works_bookmarks_page_costs_the_same_with_more_bookmarks(
    as_reader: Client, author: User
) -> None:
    work = make_work(owner=author)

    def add(count: int) -> None:
        for _ in range(count):
            services.save_bookmark(
                user=UserFactory(), work=work, fields=BookmarkFields(tags=("a", "b"))
            )

    url = reverse("reading:work_bookmarks", args=[work.pk])
    add(2)
    queries_for(as_reader, url)
    with_two = queries_for(as_reader, url)
    add(10)
    assert queries_for(as_reader, url) == with_two
