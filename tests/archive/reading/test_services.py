"""``reading.services``: kudos, bookmarks (once per reader, saved again on a double submit,
counted on the work in the same transaction), subscriptions and their fan-out, history, hits."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fanfold.archive.inbox.models import InboxEntry, Kind
from fanfold.archive.people import services as people_services
from fanfold.archive.people.models import SubscriptionEmail, User
from fanfold.archive.reading import services
from fanfold.archive.reading.models import (
    BOOKMARK_NOTES_MAX,
    BOOKMARK_TAGS_MAX,
    Bookmark,
    DigestMark,
    Reading,
    Subscription,
)
from fanfold.archive.reading.services import BookmarkFields
from fanfold.archive.tags.models import Tag, TagType
from fanfold.archive.works import services as works
from fanfold.archive.works.models import Chapter, Series, Work
from tests.archive.factories import UserFactory, add_works_to_series, make_work


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
    by_work, by_series, by_author = (UserFactory(subscription_email="each") for _ in range(3))
    User.objects.filter(pk=reader.pk).update(subscription_email="each")
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


def test_news_of_a_new_work_never_reaches_those_who_follow_that_work_itself(
    author: User, reader: User
) -> None:
    # The worker delivers late: by then a reader may have found the work and followed it.
    work = make_work(owner=author, title="Salt")
    services.subscribe(user=reader, target=work)
    by_author = UserFactory()
    services.subscribe(user=by_author, target=author)
    assert services.tell_subscribers(work=work) == 1
    assert list(InboxEntry.objects.values_list("recipient_id", flat=True)) == [by_author.pk]


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
    User.objects.filter(pk=reader.pk).update(subscription_email="each")
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
    statements = [q["sql"].split()[0] for q in context.captured_queries]
    assert [s for s in statements if s not in {"SELECT", "SAVEPOINT", "RELEASE"}] == ["UPDATE"]


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


def test_clearing_the_later_list_keeps_the_history(author: User, reader: User) -> None:
    read, unread = make_work(owner=author, title="Read"), make_work(owner=author, title="Unread")
    services.record_reading(user=reader, work=read, chapter=None)
    for work in (read, unread):
        services.mark_for_later(user=reader, work=work)
    assert services.clear_marked_for_later(user=reader) == 2
    kept = Reading.objects.get()
    assert (kept.work, kept.marked_for_later, kept.visits) == (read, False, 1)
    assert services.clear_marked_for_later(user=reader) == 0


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


# Bookmarks --------------------------------------------------------------------


def bookmark_count(work: Work) -> int:
    """The counter, checked against the rows it counts."""
    counted = Work.objects.get(pk=work.pk).bookmark_count
    assert counted == Bookmark.objects.filter(work=work, is_private=False).count()
    return counted


def save(user: User, work: Work, **fields: Any) -> Bookmark:
    return services.save_bookmark(user=user, work=work, fields=BookmarkFields(**fields))


def a_series(owner: User) -> Series:
    series = works.create_series(owner=owner, title="Seasons")
    add_works_to_series(owner=owner, series=series, count=1)
    return series


def test_a_public_bookmark_is_counted_on_the_work_and_a_private_one_is_not(
    author: User, reader: User
) -> None:
    work = make_work(owner=author)
    save(reader, work, notes="Lovely.")
    assert bookmark_count(work) == 1
    save(UserFactory(), work, is_private=True)
    assert bookmark_count(work) == 1


def test_the_same_submit_twice_saves_one_bookmark_counted_once(author: User, reader: User) -> None:
    work = make_work(owner=author)
    first = save(reader, work, notes="Once", tags=("slow burn",))
    second = save(reader, work, notes="Once", tags=("slow burn",))
    assert first.pk == second.pk
    assert Bookmark.objects.filter(user=reader).count() == 1
    assert bookmark_count(work) == 1


def test_making_a_bookmark_private_or_public_moves_the_count(author: User, reader: User) -> None:
    work = make_work(owner=author)
    save(reader, work)
    save(reader, work, is_private=True)
    assert bookmark_count(work) == 0
    save(reader, work, is_private=True, is_rec=True)
    assert bookmark_count(work) == 0
    bookmark = save(reader, work, is_rec=True)
    assert bookmark_count(work) == 1
    assert bookmark.is_rec


def test_notes_are_sanitised_html(author: User, reader: User) -> None:
    work = make_work(owner=author)
    bookmark = save(reader, work, notes='<p onclick="x()">So <em>good</em></p><script>x()</script>')
    assert bookmark.notes == "<p>So <em>good</em></p>"
    plain = save(reader, work, notes="Line one\r\n\r\nLine two")
    assert plain.notes == "<p>Line one</p>\n<p>Line two</p>"


def test_notes_over_the_limit_are_refused_and_nothing_is_saved(author: User, reader: User) -> None:
    work = make_work(owner=author)
    with pytest.raises(ValidationError, match="at most 5,000"):
        save(reader, work, notes="x" * (BOOKMARK_NOTES_MAX + 1))
    assert not Bookmark.objects.exists()
    assert bookmark_count(work) == 0


def test_more_tags_than_the_limit_are_refused(author: User, reader: User) -> None:
    work = make_work(owner=author)
    with pytest.raises(ValidationError, match=f"at most {BOOKMARK_TAGS_MAX} tags"):
        save(reader, work, tags=tuple(f"tag {n}" for n in range(BOOKMARK_TAGS_MAX + 1)))
    assert not Bookmark.objects.exists()


def test_a_bookmarkers_tags_are_freeform_tags_found_or_created(author: User, reader: User) -> None:
    existing = Tag.objects.create(type=TagType.FREEFORM, name="Slow Burn")
    work = make_work(owner=author)
    bookmark = save(reader, work, tags=("slow  burn", "To reread", "to reread"))
    tags = sorted(bookmark.tags.all(), key=lambda tag: tag.name)
    assert [tag.name for tag in tags] == ["Slow Burn", "To reread"]
    assert tags[0] == existing
    assert {tag.type for tag in tags} == {TagType.FREEFORM}
    assert not tags[1].is_canonical
    # Editing the tags replaces them; the work's own tags are untouched.
    save(reader, work, tags=("Fluff",))
    assert [tag.name for tag in Bookmark.objects.get().tags.all()] == ["Fluff"]
    assert not work.tags.filter(name="Fluff").exists()


def test_nobody_bookmarks_a_work_they_cannot_read(author: User, reader: User, admin: User) -> None:
    draft = make_work(owner=author, post=False)
    with pytest.raises(ValidationError, match="can't bookmark a work you can't read"):
        save(reader, draft)
    hidden = make_work(owner=author, title="Hidden")
    works.set_work_hidden(work=hidden, by=admin, hidden=True)
    with pytest.raises(ValidationError, match="can't bookmark a work you can't read"):
        save(reader, hidden)
    assert not Bookmark.objects.exists()


def test_an_author_may_bookmark_their_posted_work_but_not_a_draft_or_a_hidden_one(
    author: User, admin: User
) -> None:
    assert save(author, make_work(owner=author)).pk
    with pytest.raises(ValidationError, match="once it is posted"):
        save(author, make_work(owner=author, post=False))
    hidden = make_work(owner=author, title="Hidden")
    works.set_work_hidden(work=hidden, by=admin, hidden=True)
    with pytest.raises(ValidationError, match="hidden by an admin"):
        save(author, Work.objects.get(pk=hidden.pk))
    with pytest.raises(ValidationError, match="hidden by an admin"):
        save(admin, Work.objects.get(pk=hidden.pk))


def test_a_logged_in_reader_bookmarks_a_restricted_work(author: User, reader: User) -> None:
    work = make_work(owner=author, restricted=True)
    save(reader, work)
    assert bookmark_count(work) == 1


def test_a_series_is_bookmarked_once_and_not_counted_on_its_works(
    author: User, reader: User
) -> None:
    series = a_series(author)
    fields = BookmarkFields(notes="All of it")
    first = services.save_bookmark(user=reader, series=series, fields=fields)
    second = services.save_bookmark(user=reader, series=series, fields=fields)
    assert first.pk == second.pk
    assert all(bookmark_count(work) == 0 for work in series.works.all())


def test_nobody_bookmarks_a_series_with_no_work_they_may_read(author: User, reader: User) -> None:
    empty = works.create_series(owner=author, title="Empty")
    with pytest.raises(ValidationError, match="a series you can't read"):
        services.save_bookmark(user=reader, series=empty, fields=BookmarkFields())


def test_a_bookmark_is_of_a_work_or_a_series_one_of_them(author: User, reader: User) -> None:
    work, series = make_work(owner=author), a_series(author)
    with pytest.raises(ValueError, match="one of them"):
        services.save_bookmark(user=reader, fields=BookmarkFields())
    with pytest.raises(ValueError, match="one of them"):
        services.save_bookmark(user=reader, work=work, series=series, fields=BookmarkFields())


def test_deleting_a_bookmark_takes_it_off_the_count_once(author: User, reader: User) -> None:
    work = make_work(owner=author)
    bookmark = save(reader, work)
    assert services.delete_bookmark(bookmark=bookmark, by=reader) is True
    assert services.delete_bookmark(bookmark=bookmark, by=reader) is False
    assert bookmark_count(work) == 0
    private = save(reader, work, is_private=True)
    save(author, work)
    services.delete_bookmark(bookmark=private, by=reader)
    assert bookmark_count(work) == 1


def test_only_the_bookmarker_deletes_a_bookmark(author: User, reader: User) -> None:
    bookmark = save(reader, make_work(owner=author))
    with pytest.raises(PermissionDenied, match="Only the bookmarker"):
        services.delete_bookmark(bookmark=bookmark, by=author)
    assert Bookmark.objects.filter(pk=bookmark.pk).exists()


def test_deleting_an_account_takes_its_bookmarks_off_the_counts(author: User, reader: User) -> None:
    first, second = make_work(owner=author), make_work(owner=author, title="Second")
    save(reader, first)
    save(reader, second, is_private=True)
    services.save_bookmark(user=reader, series=a_series(author), fields=BookmarkFields())
    other = UserFactory()
    save(other, first)
    reader.delete()
    assert bookmark_count(first) == 1
    assert bookmark_count(second) == 0
    assert list(Bookmark.objects.values_list("user_id", flat=True)) == [other.pk]


def test_deleting_an_authors_account_removes_the_bookmarks_of_their_works(
    author: User, reader: User
) -> None:
    save(reader, make_work(owner=author))
    save(author, make_work(owner=UserFactory(), title="Theirs"))
    author.delete()
    assert not Bookmark.objects.filter(user=reader).exists()
    assert bookmark_count(Work.objects.get(title="Theirs")) == 0


def test_deleting_a_work_or_a_series_removes_its_bookmarks(author: User, reader: User) -> None:
    work, series = make_work(owner=author), a_series(author)
    save(reader, work)
    services.save_bookmark(user=reader, series=series, fields=BookmarkFields())
    works.delete_work(work=work, by=author)
    works.delete_series(series=series, by=author)
    assert not Bookmark.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_submits_at_once_save_one_bookmark_counted_once() -> None:
    """Two requests racing past the first read: the unique constraint makes the loser an edit."""
    author, reader = UserFactory(username="author"), UserFactory(username="reader")
    work = make_work(owner=author)
    start = threading.Barrier(2)
    saved: list[int] = []

    def submit(notes: str) -> None:
        try:
            start.wait()
            saved.append(save(reader, work, notes=notes).pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(notes,)) for notes in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(saved) == 2  # neither submit failed
    assert len(set(saved)) == 1
    assert Bookmark.objects.filter(user=reader).count() == 1
    assert bookmark_count(work) == 1
