"""``reading.services``: kudos, subscriptions and their fan-out, history, hits."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fanfold.archive.inbox.models import InboxEntry, Kind
from fanfold.archive.people import services as people_services
from fanfold.archive.people.models import SubscriptionEmail, User
from fanfold.archive.reading import services
from fanfold.archive.reading.models import DigestMark, Reading, Subscription
from fanfold.archive.works import services as works
from fanfold.archive.works.models import Chapter, Work
from tests.archive.factories import UserFactory, make_work


def kudos_count(work: Work) -> int:
    return Work.objects.get(pk=work.pk).kudos_count


def test_kudos_are_counted_on_the_work_once_per_reader(author: User, reader: User) -> None:
    work = make_work(owner=author)
    assert services.leave_kudos(work=work, user=reader) is True
    assert services.leave_kudos(work=work, user=reader) is False
    assert kudos_count(work) == 1


def test_guests_count_once_per_address_and_apart_from_accounts(author: User, reader: User) -> None:
    work = make_work(owner=author)
    one = services.guest_key(address="203.0.113.9", work=work)
    other = services.guest_key(address="198.51.100.7", work=work)
    assert services.leave_kudos(work=work, guest=one)
    assert not services.leave_kudos(work=work, guest=one)
    assert services.leave_kudos(work=work, guest=other)
    assert services.leave_kudos(work=work, user=reader)
    assert kudos_count(work) == 3


def test_an_author_cannot_leave_kudos_on_their_own_work(author: User) -> None:
    work = make_work(owner=author)
    with pytest.raises(ValidationError, match="your own work"):
        services.leave_kudos(work=work, user=author)
    assert kudos_count(work) == 0


def test_a_guest_key_keeps_no_address_and_differs_from_work_to_work(author: User) -> None:
    first, second = make_work(owner=author), make_work(owner=author, title="Another")
    key = services.guest_key(address="203.0.113.9", work=first)
    assert "203.0.113.9" not in key
    assert len(key) == 64
    assert key == services.guest_key(address="203.0.113.9", work=first)
    assert key != services.guest_key(address="203.0.113.9", work=second)


def test_kudos_come_from_an_account_or_a_guest(author: User, reader: User) -> None:
    work = make_work(owner=author)
    with pytest.raises(ValueError, match="one of them"):
        services.leave_kudos(work=work)
    with pytest.raises(ValueError, match="one of them"):
        services.leave_kudos(work=work, user=reader, guest="k")


# Subscriptions and their fan-out ------------------------------------------------


def _chapter(work: Work, *, post: bool = True, by: User | None = None) -> Chapter:
    return works.add_chapter(
        work=work,
        by=by or work.owner,
        fields=works.ChapterFields(body="The rain came in off the sea at last."),
        post=post,
    )


def test_subscribing_is_once_and_never_to_oneself(author: User, reader: User) -> None:
    work = make_work(owner=author)
    assert services.subscribe(user=reader, target=work) is True
    assert services.subscribe(user=reader, target=work) is False
    assert services.subscribe(user=reader, target=author) is True
    with pytest.raises(ValidationError, match="your own"):
        services.subscribe(user=author, target=work)
    with pytest.raises(ValidationError, match="your own"):
        services.subscribe(user=author, target=author)
    assert services.unsubscribe(user=reader, target=work) is True
    assert services.unsubscribe(user=reader, target=work) is False
    assert list(Subscription.objects.values_list("author_id", flat=True)) == [author.pk]


def test_a_new_chapter_reaches_work_series_and_author_subscribers_once_each(
    author: User, reader: User, mailoutbox: list[EmailMessage]
) -> None:
    work = make_work(owner=author, title="Salt")
    series = works.create_series(owner=author, title="Tides")
    works.join_series(work=work, by=author, series=series)
    by_work, by_series, by_author = (UserFactory() for _ in range(3))
    services.subscribe(user=by_work, target=work)
    services.subscribe(user=by_series, target=series)
    services.subscribe(user=by_author, target=author)
    for target in (work, series, author):
        services.subscribe(user=reader, target=target)  # one person following three ways
    chapter = _chapter(work)
    assert services.tell_subscribers(work=work, chapter=chapter) == 4
    entries = InboxEntry.objects.filter(kind=Kind.CHAPTER, chapter=chapter)
    assert sorted(entries.values_list("recipient_id", flat=True)) == sorted(
        [by_work.pk, by_series.pk, by_author.pk, reader.pk]
    )
    assert {e.actor_id for e in entries} == {author.pk}
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        u.email for u in (by_work, by_series, by_author, reader)
    )
    assert mailoutbox[0].subject == "New chapter of Salt: Chapter 2"
    # Told again (a replayed signal), nobody hears twice.
    assert services.tell_subscribers(work=work, chapter=chapter) == 0
    assert entries.count() == 4
    assert len(mailoutbox) == 4


def test_drafts_and_hidden_works_reach_nobody(
    author: User, reader: User, admin: User, mailoutbox: list[EmailMessage]
) -> None:
    work = make_work(owner=author)
    services.subscribe(user=reader, target=author)
    draft_chapter = _chapter(work, post=False)
    assert services.tell_subscribers(work=work, chapter=draft_chapter) == 0
    draft_work = make_work(owner=author, post=False, title="Unfinished")
    assert services.tell_subscribers(work=draft_work) == 0
    works.set_work_hidden(work=work, by=admin, hidden=True)
    assert services.tell_subscribers(work=work, chapter=_chapter(work)) == 0
    assert not InboxEntry.objects.exists()
    assert mailoutbox == []


def test_each_reader_gets_email_as_they_chose(author: User, mailoutbox: list[EmailMessage]) -> None:
    work = make_work(owner=author)
    wants = {choice: UserFactory(subscription_email=choice) for choice in SubscriptionEmail}
    for user in wants.values():
        services.subscribe(user=user, target=work)
    services.tell_subscribers(work=work, chapter=_chapter(work))
    assert InboxEntry.objects.count() == 3
    assert [m.to for m in mailoutbox] == [[wants[SubscriptionEmail.EACH].email]]


def test_a_mail_server_that_fails_loses_neither_the_chapter_nor_the_entry(
    author: User, reader: User, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.EMAIL_BACKEND = "tests.archive.reading.test_services.BrokenMailServer"
    work = make_work(owner=author)
    services.subscribe(user=reader, target=work)
    chapter = _chapter(work)
    assert services.tell_subscribers(work=work, chapter=chapter) == 1
    assert InboxEntry.objects.filter(recipient=reader, chapter=chapter).exists()
    assert Chapter.objects.get(pk=chapter.pk).is_draft is False
    assert "could not send new-post emails" in caplog.text


class BrokenMailServer(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise ConnectionRefusedError("the mail server is down")


def test_a_daily_digest_sends_each_post_once(author: User, mailoutbox: list[EmailMessage]) -> None:
    daily = UserFactory(subscription_email=SubscriptionEmail.DAILY)
    work = make_work(owner=author, title="Salt")
    services.subscribe(user=daily, target=work)
    services.tell_subscribers(work=work, chapter=_chapter(work))
    assert mailoutbox == []
    assert services.send_digests() == (1, 1)
    assert services.send_digests() == (0, 0)
    services.tell_subscribers(work=work, chapter=_chapter(work))
    assert services.send_digests() == (1, 1)
    assert [m.subject for m in mailoutbox] == ["Your daily digest: 1 new post"] * 2
    assert "Chapter 3" in mailoutbox[1].body
    assert "Chapter 2" not in mailoutbox[1].body


def test_a_failed_digest_is_sent_on_the_next_run(
    author: User, settings: Any, mailoutbox: list[EmailMessage]
) -> None:
    daily = UserFactory(subscription_email=SubscriptionEmail.DAILY)
    work = make_work(owner=author)
    services.subscribe(user=daily, target=work)
    services.tell_subscribers(work=work, chapter=_chapter(work))
    settings.EMAIL_BACKEND = "tests.archive.reading.test_services.BrokenMailServer"
    assert services.send_digest(user=daily) == 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.send_digest(user=daily) == 1
    assert len(mailoutbox) == 1


def test_a_digest_leaves_out_works_hidden_since(
    author: User, admin: User, mailoutbox: list[EmailMessage]
) -> None:
    daily = UserFactory(subscription_email=SubscriptionEmail.DAILY)
    work = make_work(owner=author)
    services.subscribe(user=daily, target=work)
    services.tell_subscribers(work=work, chapter=_chapter(work))
    works.set_work_hidden(work=work, by=admin, hidden=True)
    assert services.send_digest(user=daily) == 0
    assert mailoutbox == []
    assert DigestMark.objects.get(user=daily).last_entry_id == InboxEntry.objects.get().pk


# History and "marked for later" -------------------------------------------------


def test_reading_keeps_the_last_chapter_and_counts_visits(author: User, reader: User) -> None:
    work = make_work(owner=author, chapters=3)
    first, _, third = work.chapters.order_by("position")
    services.record_reading(user=reader, work=work, chapter=first)
    services.record_reading(user=reader, work=work, chapter=third)
    services.record_reading(user=reader, work=work, chapter=None)  # the whole work
    reading = Reading.objects.get(user=reader, work=work)
    assert (reading.last_chapter, reading.visits) == (third, 3)


def test_a_returning_reader_costs_one_update(author: User, reader: User) -> None:
    work = make_work(owner=author)
    chapter = work.chapters.get()
    services.record_reading(user=reader, work=work, chapter=chapter)
    with CaptureQueriesContext(connection) as context:
        services.record_reading(user=reader, work=work, chapter=chapter)
    assert [q["sql"].split()[0] for q in context.captured_queries] == ["UPDATE"]


def test_paused_history_and_the_authors_own_visits_are_not_kept(author: User, reader: User) -> None:
    work = make_work(owner=author)
    people_services.set_history_paused(user=reader, paused=True)
    services.record_reading(user=reader, work=work, chapter=None)
    services.record_reading(user=author, work=work, chapter=None)
    assert not Reading.objects.exists()


def test_marking_for_later_survives_clearing_history(author: User, reader: User) -> None:
    kept, read = make_work(owner=author, title="Kept"), make_work(owner=author, title="Read")
    services.record_reading(user=reader, work=kept, chapter=None)
    services.record_reading(user=reader, work=read, chapter=None)
    services.mark_for_later(user=reader, work=kept)
    services.mark_for_later(user=reader, work=kept)  # twice: still one row
    assert services.forget_reading(user=reader) == 2
    later = Reading.objects.get()
    assert (later.work, later.marked_for_later, later.last_read_at, later.visits) == (
        kept,
        True,
        None,
        0,
    )
    services.mark_for_later(user=reader, work=kept, marked=False)
    assert Reading.objects.get().marked_for_later is False


def test_forgetting_one_work_leaves_the_others(author: User, reader: User) -> None:
    one, two = make_work(owner=author, title="One"), make_work(owner=author, title="Two")
    for work in (one, two):
        services.record_reading(user=reader, work=work, chapter=None)
    assert services.forget_reading(user=reader, work_ids=[one.pk]) == 1
    assert list(Reading.objects.values_list("work_id", flat=True)) == [two.pk]


# Hits ---------------------------------------------------------------------------


def test_hits_for_many_works_are_added_in_one_update(author: User) -> None:
    one, two, three = (make_work(owner=author, title=t) for t in ("One", "Two", "Three"))
    with CaptureQueriesContext(connection) as context:
        assert services.add_hits({one.pk: 3, two.pk: 1, three.pk: 0}) == 2
    assert len(context.captured_queries) == 1
    services.add_hits({one.pk: 2})
    counts = dict(Work.objects.values_list("title", "hit_count"))
    assert counts == {"One": 5, "Two": 1, "Three": 0}
