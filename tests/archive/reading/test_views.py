"""``reading.views``: kudos, subscriptions, history and "marked for later", persona by persona."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from fanfold.archive.people.models import User
from fanfold.archive.reading import services
from fanfold.archive.reading.models import Reading, Subscription
from fanfold.archive.works import services as works
from fanfold.archive.works.models import Work
from tests.archive.conftest import PERSONAS, queries_for
from tests.archive.factories import make_work


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
