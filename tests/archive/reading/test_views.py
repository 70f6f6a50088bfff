"""``reading.views``: leaving kudos from the work page, as a reader, a guest and the author."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from fanfold.archive.people.models import User
from fanfold.archive.works.models import Work
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
