"""``reading.views``: kudos, bookmarks, subscriptions, history and "marked for later",
persona by persona."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from fanfold.archive.people.models import User
from fanfold.archive.reading import history, services
from fanfold.archive.reading.models import BOOKMARK_NOTES_MAX, Bookmark, Reading, Subscription
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


def test_behind_a_proxy_guests_are_known_by_their_forwarded_address(
    as_stranger: Client, author: User, settings: Any
) -> None:
    settings.PROXY_COUNT = 1
    work = make_work(owner=author)
    url = reverse("reading:kudos", args=[work.pk])
    for guest in ["203.0.113.9", "203.0.113.9", "198.51.100.7"]:  # all through one proxy
        as_stranger.post(url, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=guest)
    assert kudos_count(work) == 2


def test_through_htmx_the_answer_is_the_kudos_box_with_its_message(
    as_reader: Client, author: User
) -> None:
    work = make_work(owner=author)
    url = reverse("reading:kudos", args=[work.pk])
    first = as_reader.post(url, HTTP_HX_REQUEST="true")
    again = as_reader.post(url, HTTP_HX_REQUEST="true")
    assert first.status_code == again.status_code == 200
    box = first.content.decode()
    assert box.lstrip().startswith('<section class="kudos" id="kudos"')
    assert "Thank you for leaving kudos!" in box
    assert ">reader</a>" in box
    assert "already left kudos" in again.content.decode()
    # Nothing waits in the session for the next page: the message was shown in place.
    assert "Thank you" not in as_reader.get(work.get_absolute_url()).content.decode()


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


# Subscriptions ------------------------------------------------------------------


def subscribed(user: User) -> list[tuple[int | None, int | None, int | None]]:
    return list(
        Subscription.objects.filter(user=user).values_list("work_id", "series_id", "author_id")
    )


@pytest.mark.parametrize(
    ("persona", "outcome"),
    [
        ("as_author", "You can&#x27;t subscribe to your own work"),
        ("as_reader", "You are subscribed to “Salt”"),
        ("as_stranger", "login"),
        ("as_admin", "You are subscribed to “Salt”"),
    ],
)
def test_who_may_subscribe_to_a_work(
    persona: str, outcome: str, author: User, request: pytest.FixtureRequest
) -> None:
    client: Client = request.getfixturevalue(persona)
    work = make_work(owner=author, title="Salt")
    page = client.post(reverse("reading:subscribe_work", args=[work.pk]), follow=True)
    shown = page.redirect_chain[-1][0] if outcome == "login" else page.content.decode()
    assert outcome in shown
    assert Subscription.objects.count() == (1 if persona in ("as_reader", "as_admin") else 0)


def test_subscribing_from_the_work_page_and_back(
    as_reader: Client, reader: User, author: User
) -> None:
    work = make_work(owner=author, title="Salt")
    url = reverse("works:work", args=[work.pk])
    page = as_reader.get(url).content.decode()
    assert reverse("reading:subscribe_work", args=[work.pk]) in page
    done = as_reader.post(
        reverse("reading:subscribe_work", args=[work.pk]), {"next": url}, follow=True
    )
    assert done.redirect_chain[-1][0] == url
    assert "Unsubscribe" in done.content.decode()
    again = as_reader.post(reverse("reading:subscribe_work", args=[work.pk]), follow=True)
    assert "You were already subscribed" in again.content.decode()
    as_reader.post(reverse("reading:subscribe_work", args=[work.pk]), {"undo": "1"})
    assert subscribed(reader) == []


def test_nobody_subscribes_to_what_they_cannot_read(as_reader: Client, author: User) -> None:
    draft = make_work(owner=author, post=False)
    assert as_reader.post(reverse("reading:subscribe_work", args=[draft.pk])).status_code == 404
    assert as_reader.get(reverse("reading:subscribe_work", args=[draft.pk])).status_code == 405
    assert as_reader.post(reverse("reading:subscribe_series", args=[999])).status_code == 404
    assert as_reader.post(reverse("reading:subscribe_author", args=["nobody"])).status_code == 404
    assert Subscription.objects.count() == 0


def test_a_reader_follows_a_series_and_an_author_from_their_pages(
    as_reader: Client, reader: User, author: User
) -> None:
    work = make_work(owner=author)
    series = works.create_series(owner=author, title="Tides")
    works.join_series(work=work, by=author, series=series)
    series_page = as_reader.get(reverse("works:series", args=[series.pk])).content.decode()
    assert reverse("reading:subscribe_series", args=[series.pk]) in series_page
    author_page = as_reader.get(reverse("works:author", args=["author"])).content.decode()
    assert reverse("reading:subscribe_author", args=["author"]) in author_page
    as_reader.post(reverse("reading:subscribe_series", args=[series.pk]))
    back = as_reader.post(reverse("reading:subscribe_author", args=["author"]))
    assert back["Location"] == reverse("works:author", args=["author"])
    assert sorted(subscribed(reader), key=str) == sorted(
        [(None, series.pk, None), (None, None, author.pk)], key=str
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_logged_in_sees_only_their_own_subscriptions(
    persona: str, author: User, reader: User, request: pytest.FixtureRequest
) -> None:
    client: Client = request.getfixturevalue(persona)
    services.subscribe(user=reader, target=make_work(owner=author, title="Followed by reader"))
    page = client.get(reverse("reading:subscriptions"))
    if persona == "as_stranger":
        assert page.status_code == 302
        assert page["Location"].startswith(reverse("people:login"))
        return
    assert ("Followed by reader" in page.content.decode()) == (persona == "as_reader")


def test_the_subscriptions_page_costs_the_same_with_more_rows(
    as_reader: Client, reader: User, author: User
) -> None:
    def follow_more(count: int) -> None:
        for n in range(count):
            work = make_work(owner=author, title=f"Work {n}")
            series = works.create_series(owner=author, title=f"Series {n}")
            services.subscribe(user=reader, target=work)
            services.subscribe(user=reader, target=series)

    follow_more(1)
    services.subscribe(user=reader, target=author)
    url = reverse("reading:subscriptions")
    queries_for(as_reader, url)
    few = queries_for(as_reader, url)
    follow_more(8)
    assert queries_for(as_reader, url) == few


def test_a_hidden_work_is_named_no_more_on_the_subscriptions_page(
    as_reader: Client, reader: User, author: User, admin: User
) -> None:
    work = make_work(owner=author, title="Secret Now")
    services.subscribe(user=reader, target=work)
    works.set_work_hidden(work=work, by=admin, hidden=True)
    page = as_reader.get(reverse("reading:subscriptions")).content.decode()
    assert "Secret Now" not in page
    assert "A work that is no longer shown" in page


# History and "marked for later" -------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_reader_sees_only_their_own_history(
    persona: str, author: User, reader: User, request: pytest.FixtureRequest
) -> None:
    client: Client = request.getfixturevalue(persona)
    work = make_work(owner=author, title="Read by reader")
    services.record_reading(user=reader, work=work, chapter=work.chapters.get())
    page = client.get(reverse("reading:history"))
    if persona == "as_stranger":
        assert page["Location"].startswith(reverse("people:login"))
        return
    text = page.content.decode()
    assert ("Read by reader" in text) == (persona == "as_reader")
    if persona == "as_reader":
        assert "Last read chapter 1 of 1," in text
        assert f'href="{work.chapters.get().get_absolute_url()}">Resume' in text


def test_reading_a_chapter_puts_it_in_the_history_with_a_resume_link(
    as_reader: Client, author: User
) -> None:
    work = make_work(owner=author, title="Salt", chapters=3)
    second = work.chapters.get(position=2)
    as_reader.get(reverse("works:chapter", args=[work.pk, second.pk]))
    text = as_reader.get(reverse("reading:history")).content.decode()
    assert "Last read chapter 2 of 3," in text
    assert f'href="{second.get_absolute_url()}">Resume' in text


def test_the_history_page_costs_the_same_with_more_rows(
    as_reader: Client, reader: User, author: User
) -> None:
    def read_more(count: int) -> None:
        for _ in range(count):
            work = make_work(owner=author, title=f"Work {Work.objects.count()}", chapters=2)
            services.record_reading(user=reader, work=work, chapter=work.chapters.last())
            services.mark_for_later(user=reader, work=work)

    read_more(2)
    urls = [reverse("reading:history"), reverse("reading:history") + "?show=later"]
    for url in urls:
        queries_for(as_reader, url)
    few = [queries_for(as_reader, url) for url in urls]
    read_more(10)
    assert [queries_for(as_reader, url) for url in urls] == few


def test_a_reader_pauses_clears_and_removes_history(
    as_reader: Client, reader: User, author: User
) -> None:
    one, two = make_work(owner=author, title="One"), make_work(owner=author, title="Two")
    as_reader.get(reverse("works:work", args=[one.pk]))
    as_reader.get(reverse("works:work", args=[two.pk]))
    as_reader.post(reverse("reading:forget_work", args=[one.pk]))
    history.flush()  # page views are noted in memory and written in batches
    assert list(Reading.objects.values_list("work__title", flat=True)) == ["Two"]
    paused = as_reader.post(reverse("reading:pause_history"), {"paused": "1"}, follow=True)
    assert "Your history is paused" in paused.content.decode()
    assert "Resume history" in paused.content.decode()
    as_reader.get(reverse("works:work", args=[one.pk]))
    assert Reading.objects.count() == 1
    cleared = as_reader.post(reverse("reading:clear_history"), follow=True)
    assert "Your history is cleared (1 work)." in cleared.content.decode()
    assert not Reading.objects.exists()
    as_reader.post(reverse("reading:pause_history"), {"paused": "0"})
    assert User.objects.get(pk=reader.pk).history_paused is False


def test_a_reader_clears_the_later_list_and_nobody_else_does(
    as_reader: Client, as_stranger: Client, reader: User, author: User
) -> None:
    work = make_work(owner=author, title="Someday")
    as_reader.post(reverse("reading:mark_for_later", args=[work.pk]))
    later = f"{reverse('reading:history')}?show=later"
    assert "Clear the list" in as_reader.get(later).content.decode()
    assert as_stranger.post(reverse("reading:clear_later")).status_code == 302
    assert Reading.objects.filter(marked_for_later=True).count() == 1
    cleared = as_reader.post(reverse("reading:clear_later"), follow=True)
    assert "Your list is cleared (1 work)." in cleared.content.decode()
    assert cleared.redirect_chain[-1][0] == later
    assert not Reading.objects.exists()
    assert as_reader.get(reverse("reading:clear_later")).status_code == 405


def test_a_reader_marks_a_work_for_later_and_unmarks_it(
    as_reader: Client, reader: User, author: User
) -> None:
    work = make_work(owner=author, title="Someday")
    url = reverse("works:work", args=[work.pk])
    assert reverse("reading:mark_for_later", args=[work.pk]) in as_reader.get(url).content.decode()
    done = as_reader.post(reverse("reading:mark_for_later", args=[work.pk]), follow=True)
    assert "“Someday” is marked for later." in done.content.decode()
    later = as_reader.get(reverse("reading:history"), {"show": "later"}).content.decode()
    assert "Someday" in later
    as_reader.post(reverse("reading:mark_for_later", args=[work.pk]), {"undo": "1"})
    after = as_reader.get(reverse("reading:history"), {"show": "later"}).content.decode()
    assert "Nothing marked for later." in after


@pytest.mark.parametrize(
    "name", ["clear_history", "pause_history", "forget_work", "mark_for_later"]
)
def test_history_changes_need_an_account_and_a_post(
    name: str, as_stranger: Client, as_reader: Client, author: User
) -> None:
    work = make_work(owner=author)
    url = reverse(f"reading:{name}", args=[work.pk] if "work" in name or "later" in name else [])
    assert as_stranger.post(url)["Location"].startswith(reverse("people:login"))
    assert as_reader.get(url).status_code == 405


def test_nobody_marks_a_draft_for_later(as_reader: Client, author: User) -> None:
    draft = make_work(owner=author, post=False)
    assert as_reader.post(reverse("reading:mark_for_later", args=[draft.pk])).status_code == 404


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


# In place through htmx ----------------------------------------------------------

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_through_htmx_subscribing_answers_with_the_button_and_its_message(
    as_reader: Client, reader: User, author: User
) -> None:
    work = make_work(owner=author, title="Salt")
    url = reverse("reading:subscribe_work", args=[work.pk])
    box = as_reader.post(url, {"next": work.get_absolute_url()}, **HTMX)
    assert box.status_code == 200
    text = box.content.decode()
    assert text.lstrip().startswith('<div class="reader-action">')
    assert "You are subscribed to “Salt”" in text
    assert "Unsubscribe" in text
    assert f'name="next" value="{work.get_absolute_url()}"' in text
    assert subscribed(reader) == [(work.pk, None, None)]
    undone = as_reader.post(url, {"undo": "1"}, **HTMX).content.decode()
    assert "You have unsubscribed" in undone
    assert ">Subscribe<" in undone
    # Nothing waits in the session for the next page: the message was shown in place.
    assert "subscribed" not in as_reader.get(work.get_absolute_url()).content.decode().lower()


def test_through_htmx_marking_for_later_answers_with_the_button(
    as_reader: Client, author: User
) -> None:
    work = make_work(owner=author, title="Salt")
    url = reverse("reading:mark_for_later", args=[work.pk])
    text = as_reader.post(url, **HTMX).content.decode()
    assert "“Salt” is marked for later." in text
    assert "Unmark for later" in text


def test_through_htmx_a_bookmark_is_saved_in_place_and_a_refused_one_keeps_what_was_typed(
    as_reader: Client, author: User
) -> None:
    work = make_work(owner=author)
    url = reverse("reading:bookmark_work", args=[work.pk])
    saved = as_reader.post(url, {"notes": "Lovely.", "tags": "cosy"}, **HTMX)
    assert saved.status_code == 200
    text = saved.content.decode()
    assert text.lstrip().startswith('<section class="bookmark"')
    assert "Bookmarked!" in text
    assert "Edit bookmark" in text
    assert 'id="id_bookmark_notes"' in text  # the work page's ids, not the form page's
    typed = "y" * (BOOKMARK_NOTES_MAX + 1)
    refused = as_reader.post(url, {"notes": typed, "tags": "kept tag"}, **HTMX)
    assert refused.status_code == 200  # htmx swaps only successful answers
    text = refused.content.decode()
    assert '<details class="bookmark-form" open>' in text
    assert typed in text
    assert "at most 5000 characters" in text
    assert Bookmark.objects.get().notes == "<p>Lovely.</p>"
