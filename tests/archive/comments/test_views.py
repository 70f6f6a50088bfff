"""``comments.views``: the comment pages with every persona, and the comments on the work page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fanfold.archive.comments.models import Comment, State
from fanfold.archive.comments.selectors import REPLIES_PER_PAGE, THREADS_PER_PAGE
from fanfold.archive.comments.services import post_comment
from fanfold.archive.people.models import User
from fanfold.archive.people.services import block_user
from fanfold.archive.works.models import Work
from fanfold.archive.works.pagecache import page_cache
from fanfold.archive.works.versions import fragment_cache
from tests.archive.comments.conftest import open_to_guests
from tests.archive.conftest import PERSONAS, queries_for
from tests.archive.factories import UserFactory, make_work


def text_of(client: Client, url: str) -> str:
    page = client.get(url)
    assert page.status_code == 200
    return page.content.decode()


def moderated(work: Work) -> Work:
    Work.objects.filter(pk=work.pk).update(comments_moderated=True)
    work.refresh_from_db()
    return work


# Who may open which page -----------------------------------------------------------

# persona -> status, for a reader's published comment (a pending one for approve/reject)
ACCESS = {
    "thread": {"as_author": 200, "as_reader": 200, "as_stranger": 200, "as_admin": 200},
    "reply": {"as_author": 200, "as_reader": 200, "as_stranger": 200, "as_admin": 200},
    "edit": {"as_author": 403, "as_reader": 200, "as_stranger": 302, "as_admin": 403},
    "delete": {"as_author": 200, "as_reader": 200, "as_stranger": 302, "as_admin": 200},
}
ACTIONS = {
    "freeze": {"as_author": 302, "as_reader": 403, "as_stranger": 302, "as_admin": 403},
    "approve": {"as_author": 302, "as_reader": 403, "as_stranger": 302, "as_admin": 403},
    "reject": {"as_author": 302, "as_reader": 403, "as_stranger": 302, "as_admin": 403},
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", list(ACCESS))
def test_who_opens_a_comments_pages(
    request: pytest.FixtureRequest, persona: str, name: str, work: Work, reader: User
) -> None:
    client: Client = request.getfixturevalue(persona)
    comment = post_comment(work=work, user=reader, body="Lovely.")
    page = client.get(reverse(f"comments:{name}", args=[comment.pk]))
    assert page.status_code == ACCESS[name][persona]
    if page.status_code == 302:
        assert page["Location"].startswith(reverse("people:login"))


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", list(ACTIONS))
def test_who_freezes_approves_and_rejects(
    request: pytest.FixtureRequest, persona: str, name: str, work: Work, reader: User
) -> None:
    client: Client = request.getfixturevalue(persona)
    comment = post_comment(work=moderated(work), user=reader, body="Lovely.")
    assert comment.state == State.PENDING
    page = client.post(reverse(f"comments:{name}", args=[comment.pk]))
    assert page.status_code == ACTIONS[name][persona]
    changed = not Comment.objects.filter(pk=comment.pk, state=State.PENDING, is_frozen=False)
    assert changed == (persona == "as_author")


@pytest.mark.parametrize(
    ("persona", "posted"),
    [("as_author", True), ("as_reader", True), ("as_stranger", False), ("as_admin", True)],
)
def test_who_comments_on_a_work_open_to_accounts(
    request: pytest.FixtureRequest, persona: str, posted: bool, work: Work
) -> None:
    client: Client = request.getfixturevalue(persona)
    page = client.post(reverse("comments:post", args=[work.pk]), {"body": "Hi", "guest_name": "X"})
    assert Comment.objects.exists() == posted
    if not posted:
        assert page.status_code == 200
        assert "accepts comments from readers with an account only" in page.content.decode()


def test_the_comment_pages_need_the_work_readable(
    as_reader: Client, as_stranger: Client, author: User
) -> None:
    restricted = make_work(owner=author, restricted=True)
    comment = post_comment(work=restricted, user=author, body="Members only.")
    reply = reverse("comments:reply", args=[comment.pk])
    assert as_stranger.get(reply)["Location"].startswith(reverse("people:login"))
    assert as_stranger.post(reverse("comments:post", args=[restricted.pk])).status_code == 302
    Work.objects.filter(pk=restricted.pk).update(is_draft=True)
    assert as_reader.get(reply).status_code == 404
    assert as_reader.post(reverse("comments:post", args=[restricted.pk])).status_code == 404
    assert as_reader.get(reverse("comments:reply", args=[999])).status_code == 404


def test_posting_needs_a_post_and_a_readable_chapter(as_reader: Client, author: User) -> None:
    work = make_work(owner=author)
    assert as_reader.get(reverse("comments:post", args=[work.pk])).status_code == 405
    other = make_work(owner=author, title="Other")
    wrong = {"body": "Hi", "chapter": str(other.chapters.get().pk)}
    assert as_reader.post(reverse("comments:post", args=[work.pk]), wrong).status_code == 404


# Posting and replying through the pages ------------------------------------------------


def test_a_reader_comments_on_a_chapter_and_lands_on_their_comment(
    as_reader: Client, work: Work
) -> None:
    chapter = work.chapters.get(position=2)
    page = as_reader.post(
        reverse("comments:post", args=[work.pk]),
        {"body": "The <em>storm</em> scene!", "chapter": str(chapter.pk)},
        follow=True,
    )
    comment = Comment.objects.get()
    assert page.redirect_chain[-1][0] == f"{chapter.get_absolute_url()}#comment-{comment.pk}"
    text = page.content.decode()
    assert "Your comment was posted." in text
    assert f'id="comment-{comment.pk}"' in text
    assert "<em>storm</em>" in text
    assert comment.chapter == chapter
    # The other chapter's page does not show it.
    assert "storm" not in text_of(as_reader, work.chapters.get(position=1).get_absolute_url())


def test_the_whole_work_view_shows_every_comment_and_takes_whole_work_comments(
    as_reader: Client, work: Work, reader: User
) -> None:
    post_comment(work=work, chapter=work.chapters.get(position=2), user=reader, body="On two.")
    full = reverse("works:full", args=[work.pk])
    text = text_of(as_reader, full)
    assert "On two." in text
    assert "Comment on the whole work" in text
    page = as_reader.post(reverse("comments:post", args=[work.pk]), {"body": "All of it!"})
    comment = Comment.objects.get(body="<p>All of it!</p>")
    assert comment.chapter is None
    assert page["Location"] == f"{full}#comment-{comment.pk}"


def test_a_guest_comments_under_a_name_when_the_author_allows_it(
    as_stranger: Client, work: Work
) -> None:
    open_to_guests(work)
    assert 'name="guest_name"' in text_of(as_stranger, work.get_absolute_url())
    page = as_stranger.post(
        reverse("comments:post", args=[work.pk]),
        {"body": "Lovely!", "guest_name": "Wren"},
        REMOTE_ADDR="203.0.113.9",
        follow=True,
    )
    assert "Wren" in page.content.decode()
    assert Comment.objects.get().guest_name == "Wren"


def test_a_refused_comment_comes_back_with_what_was_typed_and_why(
    as_reader: Client, work: Work, author: User, reader: User
) -> None:
    block_user(user=author, other=reader)
    assert "blocked you from commenting" in text_of(as_reader, work.get_absolute_url())
    page = as_reader.post(
        reverse("comments:post", args=[work.pk]), {"body": "My long careful comment"}
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "The author of this work has blocked you from commenting on it." in text
    assert "My long careful comment" in text
    assert not Comment.objects.exists()


def test_a_robot_filling_the_honeypot_posts_nothing(as_reader: Client, work: Work) -> None:
    page = as_reader.post(
        reverse("comments:post", args=[work.pk]),
        {"body": "Cheap watches", "website": "http://spam.example"},
    )
    text = page.content.decode()
    assert "a hidden box was filled in" in text
    assert "Cheap watches" in text
    assert 'name="website" id="id_website" value=""' in text
    assert not Comment.objects.exists()


def test_a_reader_replies_from_the_reply_page_without_javascript(
    as_reader: Client, work: Work, author: User
) -> None:
    first = post_comment(work=work, user=author, body="What did you think?")
    url = reverse("comments:reply", args=[first.pk])
    assert "What did you think?" in text_of(as_reader, url)
    page = as_reader.post(url, {"body": "I loved it."}, follow=True)
    reply = Comment.objects.get(parent=first)
    text = page.content.decode()
    assert f'id="comment-{reply.pk}"' in text
    assert text.index(f'id="comment-{first.pk}"') < text.index(f'id="comment-{reply.pk}"')
    assert '<ol class="comment-replies">' in text


def test_through_htmx_a_reply_is_written_and_shown_in_place(
    as_reader: Client, work: Work, author: User
) -> None:
    chapter = work.chapters.first()
    first = post_comment(work=work, chapter=chapter, user=author, body="What did you think?")
    url = reverse("comments:reply", args=[first.pk])
    page = text_of(as_reader, work.get_absolute_url())
    assert f'hx-get="{url}" hx-target="#reply-slot-{first.pk}"' in page
    assert f'id="reply-slot-{first.pk}"' in page
    form = as_reader.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in form  # the form alone, to go under the comment
    assert f'id="id_reply{first.pk}_body"' in form  # ids that stay unique on the work page
    empty = as_reader.post(url, {"body": " "}, HTTP_HX_REQUEST="true")
    assert empty.status_code == 200
    assert "This field is required." in empty.content.decode()
    assert not Comment.objects.filter(parent=first).exists()
    posted = as_reader.post(url, {"body": "I loved it."}, HTTP_HX_REQUEST="true").content.decode()
    reply = Comment.objects.get(parent=first)
    assert "Your comment was posted." in posted
    assert f'<li class="comment" id="comment-{reply.pk}">' in posted
    assert "I loved it." in posted
    assert "<html" not in posted


def test_the_reply_page_says_why_a_frozen_thread_takes_no_reply(
    as_reader: Client, as_author: Client, work: Work, reader: User
) -> None:
    first = post_comment(work=work, user=reader, body="First.")
    as_author.post(reverse("comments:freeze", args=[first.pk]), {"frozen": "1"})
    text = text_of(as_reader, reverse("comments:reply", args=[first.pk]))
    assert "This thread is frozen" in text
    assert "<textarea" not in text
    page = as_reader.post(reverse("comments:reply", args=[first.pk]), {"body": "Still?"})
    assert "This thread is frozen" in page.content.decode()
    assert "Frozen" in text_of(as_reader, reverse("works:full", args=[work.pk]))
    as_author.post(reverse("comments:freeze", args=[first.pk]), {"frozen": "0"})
    assert not Comment.objects.get(pk=first.pk).is_frozen


def test_comments_wait_for_approval_seen_by_the_author_and_the_writer_only(
    as_reader: Client, as_author: Client, as_stranger: Client, author: User
) -> None:
    work = moderated(open_to_guests(make_work(owner=author)))
    page = as_reader.post(
        reverse("comments:post", args=[work.pk]), {"body": "Hold me."}, follow=True
    )
    assert "appears once approved" in page.content.decode()
    assert "Waiting for approval" in page.content.decode()
    assert "Hold me." not in text_of(as_stranger, work.get_absolute_url())
    assert "Approve" in text_of(as_author, work.get_absolute_url())
    comment = Comment.objects.get()
    as_author.post(reverse("comments:approve", args=[comment.pk]))
    assert "Hold me." in text_of(as_stranger, work.get_absolute_url())


def test_a_reader_edits_their_comment_and_it_shows_edited(as_reader: Client, work: Work) -> None:
    as_reader.post(reverse("comments:post", args=[work.pk]), {"body": "Tpyo."})
    comment = Comment.objects.get()
    url = reverse("comments:edit", args=[comment.pk])
    assert "Tpyo." in text_of(as_reader, url)
    empty = as_reader.post(url, {"body": "<script>x</script>"})
    assert "Write something before posting your comment." in empty.content.decode()
    page = as_reader.post(url, {"body": "Typo."}, follow=True)
    text = page.content.decode()
    assert "Typo." in text
    assert "Edited" in text


def test_deleting_a_comment_with_a_reply_leaves_a_tombstone(
    as_reader: Client, work: Work, reader: User, author: User
) -> None:
    first = post_comment(work=work, user=reader, body="Regrettable.")
    post_comment(work=work, user=author, body="Answer.", parent=first)
    url = reverse("comments:delete", args=[first.pk])
    assert "Its replies stay" in text_of(as_reader, url)
    page = as_reader.post(url, follow=True)
    text = page.content.decode()
    assert "(Previous comment deleted.)" in text
    assert "Regrettable." not in text
    assert "Answer." in text


# The work page: pages of threads, queries ----------------------------------------------------


def test_threads_come_twenty_a_page(as_reader: Client, author: User) -> None:
    work = make_work(owner=author)
    for n in range(THREADS_PER_PAGE + 1):
        post_comment(work=work, user=UserFactory(), body=f"Thread number {n}.")
    first = text_of(as_reader, work.get_absolute_url())
    assert "Thread number 0." in first
    assert "Thread number 20." not in first
    assert "?comments=2#comments" in first
    second = text_of(as_reader, work.get_absolute_url() + "?comments=2")
    assert "Thread number 20." in second
    assert "Thread number 0." not in second
    late = Comment.objects.get(body="<p>Thread number 20.</p>")
    page = as_reader.post(reverse("comments:reply", args=[late.pk]), {"body": "Late reply."})
    assert page["Location"].endswith(f"?comments=2#comment-{late.pk + 1}")


def add_threads(work: Work, count: int, replies: int) -> None:
    """``count`` threads by different people on the first chapter, each ``replies`` deep."""
    chapter = work.chapters.order_by("position").first()
    for _ in range(count):
        parent = post_comment(work=work, chapter=chapter, user=UserFactory(), body="A thread.")
        for _ in range(replies):
            parent = post_comment(work=work, user=UserFactory(), body="A reply.", parent=parent)


@pytest.mark.parametrize("persona", ["as_author", "as_reader", "as_stranger"])
def test_the_work_pages_queries_stay_the_same_as_comments_grow(
    request: pytest.FixtureRequest, persona: str, author: User
) -> None:
    client: Client = request.getfixturevalue(persona)
    work = make_work(owner=author, chapters=2)
    add_threads(work, 2, replies=1)
    url = reverse("works:full", args=[work.pk])  # every thread, each saying its chapter
    queries_for(client, url)  # warm the session
    page_cache().clear()  # rendered, not a stranger's copy from the page cache
    fragment_cache().clear()  # nor kudos read for this version: new threads move it
    few = queries_for(client, url)
    add_threads(work, 6, replies=7)  # deeper than the indent limit
    assert queries_for(client, url) == few


def test_replies_deeper_than_the_indent_limit_say_whom_they_answer(
    as_reader: Client, author: User
) -> None:
    work = make_work(owner=author)
    parent = post_comment(work=work, user=author, body="Level 0.")
    for level in range(1, 8):
        writer = UserFactory(username=f"level{level}")
        parent = post_comment(work=work, user=writer, body=f"Level {level}.", parent=parent)
    text = text_of(as_reader, work.get_absolute_url())
    assert text.count('<ol class="comment-replies">') == 5
    assert "in reply to level6" in text


def test_a_thread_too_long_for_the_work_page_is_read_on_its_own_page(
    as_reader: Client, author: User, reader: User
) -> None:
    work = make_work(owner=author)
    root = post_comment(work=work, user=author, body="Tell me everything.")
    Comment.objects.bulk_create(
        Comment(work=work, user=reader, body=f"<p>Answer {n}.</p>", parent=root, root=root)
        for n in range(REPLIES_PER_PAGE + 1)
    )
    text = text_of(as_reader, work.get_absolute_url())
    thread = reverse("comments:thread", args=[root.pk])
    assert f'href="{thread}">Read the whole thread' in text
    assert f"Answer {REPLIES_PER_PAGE}." not in text
    last = text_of(as_reader, f"{thread}?replies=2")
    assert f"Answer {REPLIES_PER_PAGE}." in last
    assert "Tell me everything." in last
    reply = Comment.objects.filter(root=root).last()
    assert reply is not None
    assert "Tell me everything." in text_of(as_reader, reverse("comments:thread", args=[reply.pk]))
