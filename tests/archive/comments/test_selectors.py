"""``comments.selectors``: pages of threads, who sees which comment, where a comment lives."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fanfold.archive.comments.models import Comment, State
from fanfold.archive.comments.selectors import (
    MAX_INDENT,
    REPLIES_PER_PAGE,
    THREADS_PER_PAGE,
    comment_for,
    comment_refusal,
    comment_url,
    one_thread,
    reads_like_anyone,
    reply_refusal,
    thread_page,
)
from fanfold.archive.comments.services import post_comment
from fanfold.archive.people.models import User
from fanfold.archive.works import services as works
from fanfold.archive.works.models import Work
from fanfold.archive.works.selectors import RestrictedWorkError
from tests.archive.factories import UserFactory, make_work


def bodies(work: Work, viewer: User | AnonymousUser, **scope: object) -> list[str]:
    page = thread_page(work=work, viewer=viewer, **scope)  # type: ignore[arg-type]
    return [node.comment.body for node in page.threads]


def test_a_chapter_shows_its_threads_the_whole_work_shows_all(work: Work, reader: User) -> None:
    one, two = work.chapters.order_by("position")
    post_comment(work=work, chapter=one, user=reader, body="On one.")
    post_comment(work=work, chapter=two, user=reader, body="On two.")
    post_comment(work=work, user=reader, body="On all.")
    assert bodies(work, reader, chapter=one, whole_work=False) == ["<p>On one.</p>"]
    assert bodies(work, reader, chapter=None, whole_work=False) == ["<p>On all.</p>"]
    everything = bodies(work, reader, chapter=None, whole_work=True)
    assert everything == ["<p>On one.</p>", "<p>On two.</p>", "<p>On all.</p>"]


def test_waiting_comments_are_seen_by_the_author_admins_and_their_writer(
    work: Work, author: User, reader: User, admin: User
) -> None:
    Work.objects.filter(pk=work.pk).update(comments_moderated=True)
    work.refresh_from_db()
    post_comment(work=work, user=reader, body="Waiting.")
    scope = {"chapter": None, "whole_work": True}
    assert bodies(work, author, **scope) == ["<p>Waiting.</p>"]
    assert bodies(work, admin, **scope) == ["<p>Waiting.</p>"]
    assert bodies(work, reader, **scope) == ["<p>Waiting.</p>"]
    assert bodies(work, UserFactory(), **scope) == []
    assert bodies(work, AnonymousUser(), **scope) == []


def test_pages_hold_twenty_threads_and_an_odd_page_number_is_clamped(
    author: User, reader: User
) -> None:
    work = make_work(owner=author)
    for n in range(THREADS_PER_PAGE + 1):
        Comment.objects.create(work=work, user=reader, body=f"<p>{n}</p>")
    first = thread_page(work=work, viewer=reader, chapter=None, whole_work=True, page=0)
    assert (first.number, first.pages, first.total_threads) == (1, 2, THREADS_PER_PAGE + 1)
    assert (first.previous, first.next) == (None, 2)
    last = thread_page(work=work, viewer=reader, chapter=None, whole_work=True, page=99)
    assert (last.number, len(last.threads), last.previous, last.next) == (2, 1, 1, None)


@pytest.mark.parametrize(("threads", "queries"), [(0, 1), (1, 2), (THREADS_PER_PAGE, 3)])
def test_a_short_first_page_counts_its_threads_itself(
    author: User, reader: User, threads: int, queries: int
) -> None:
    work = make_work(owner=author)
    for n in range(threads):
        Comment.objects.create(work=work, user=reader, body=f"<p>{n}</p>")
    with CaptureQueriesContext(connection) as captured:
        page = thread_page(work=work, viewer=reader, chapter=None, whole_work=True)
    assert (page.total_threads, page.pages, len(page.threads)) == (threads, 1, threads)
    assert len(captured.captured_queries) == queries  # threads, their replies, a COUNT if full


def test_replies_hang_under_their_parents_down_to_the_indent_limit(
    author: User, reader: User
) -> None:
    work = make_work(owner=author)
    root = parent = Comment.objects.create(work=work, user=reader, body="<p>0</p>")
    for level in range(1, MAX_INDENT + 3):
        parent = Comment.objects.create(
            work=work, user=reader, body=f"<p>{level}</p>", parent=parent, root=root
        )
    page = thread_page(work=work, viewer=reader, chapter=None, whole_work=True)
    node, depths = page.threads[0], []
    while node.replies:
        depths.append([(n.depth, n.in_reply_to) for n in node.replies])
        node = node.replies[0]
    assert depths[-1] == [(MAX_INDENT, ""), (MAX_INDENT, "reader"), (MAX_INDENT, "reader")]
    assert len(depths) == MAX_INDENT


def test_comment_for_hides_what_the_viewer_may_not_see(author: User, reader: User) -> None:
    work = make_work(owner=author, chapters=2)
    draft = works.add_chapter(
        work=work, by=author, fields=works.ChapterFields(body="Drafted text here."), post=False
    )
    on_draft = Comment.objects.create(work=work, chapter=draft, user=author, body="<p>x</p>")
    waiting = Comment.objects.create(work=work, user=author, body="<p>y</p>", state=State.PENDING)
    assert comment_for(comment_id=on_draft.pk, viewer=author) == on_draft
    assert comment_for(comment_id=on_draft.pk, viewer=reader) is None
    assert comment_for(comment_id=waiting.pk, viewer=reader) is None
    assert comment_for(comment_id=waiting.pk, viewer=author) == waiting
    assert comment_for(comment_id=0, viewer=author) is None
    Work.objects.filter(pk=work.pk).update(is_restricted=True)
    with pytest.raises(RestrictedWorkError):
        comment_for(comment_id=waiting.pk, viewer=AnonymousUser())
    Work.objects.filter(pk=work.pk).update(is_draft=True)
    assert comment_for(comment_id=waiting.pk, viewer=reader) is None


def test_comment_url_names_the_chapter_and_the_page_of_the_thread(work: Work, reader: User) -> None:
    chapter = work.chapters.get(position=2)
    threads = [
        Comment.objects.create(work=work, chapter=chapter, user=reader, body="<p>t</p>")
        for _ in range(THREADS_PER_PAGE + 1)
    ]
    reply = Comment.objects.create(
        work=work, chapter=chapter, user=reader, body="<p>r</p>", parent=threads[-1],
        root=threads[-1],
    )  # fmt: skip
    base = chapter.get_absolute_url()
    assert comment_url(threads[0]) == f"{base}#comment-{threads[0].pk}"
    assert comment_url(reply) == f"{base}?comments=2#comment-{reply.pk}"
    whole = Comment.objects.create(work=work, user=reader, body="<p>w</p>")
    assert (
        comment_url(whole)
        == f"{reverse('works:full', args=[work.pk])}?comments=2#comment-{whole.pk}"
    )


def test_refusals_are_none_when_commenting_is_allowed(work: Work, reader: User) -> None:
    assert comment_refusal(work=work, chapter=None, user=reader) is None
    first = post_comment(work=work, user=reader, body="First.")
    assert reply_refusal(parent=first, user=UserFactory()) is None


def flat_replies(work: Work, root: Comment, count: int, user: User) -> None:
    Comment.objects.bulk_create(
        Comment(work=work, user=user, body=f"<p>r{n}</p>", parent=root, root=root)
        for n in range(count)
    )


def test_one_enormous_thread_is_cut_short_and_continues_on_its_own_pages(
    author: User, reader: User
) -> None:
    work = make_work(owner=author)
    before, huge, after = (
        Comment.objects.create(work=work, user=reader, body=f"<p>{n}</p>") for n in range(3)
    )
    flat_replies(work, before, 2, reader)
    flat_replies(work, huge, REPLIES_PER_PAGE + 5, reader)
    flat_replies(work, after, 1, reader)
    page = thread_page(work=work, viewer=reader, chapter=None, whole_work=True)
    shown = [(len(node.replies), node.continues) for node in page.threads]
    assert shown == [(2, False), (REPLIES_PER_PAGE - 2, True), (0, True)]
    first = one_thread(root=huge, viewer=reader)
    assert (len(first.node.replies), first.number, first.pages) == (REPLIES_PER_PAGE, 1, 2)
    last = one_thread(root=huge, viewer=reader, page=5)
    assert (len(last.node.replies), last.number) == (5, 2)


def test_a_reader_reads_the_comments_like_anyone_until_they_write_one(
    work: Work, reader: User, author: User, admin: User
) -> None:
    assert reads_like_anyone(work=work, user=reader)
    assert not reads_like_anyone(work=work, user=author)
    assert not reads_like_anyone(work=work, user=admin)
    post_comment(work=work, body="Mine.", user=reader)
    assert not reads_like_anyone(work=work, user=reader)
