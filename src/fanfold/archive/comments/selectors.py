"""Reads of comments: a page of threads, one comment, and whether someone may comment.

Who sees what: published comments, tombstones and comments hidden by a
moderator (their place, not their text) are seen by everyone who may read
the work; a comment waiting for approval by the work's author, admins and
the person who wrote it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.urls import reverse

from fanfold.archive.comments.models import Comment, State
from fanfold.archive.people.models import User
from fanfold.archive.people.selectors import has_blocked
from fanfold.archive.works import selectors as works
from fanfold.archive.works.models import Chapter, CommentPermission, Work

Viewer = User | AnonymousUser

THREADS_PER_PAGE = 20
# A page shows at most this many replies, so one enormous thread cannot make
# it slow; a thread cut short continues on its own pages.
REPLIES_PER_PAGE = 200
MAX_INDENT = 5  # deeper replies are shown at this depth, saying whom they answer


def _visible_to(viewer: Viewer, work: Work) -> Q:
    if viewer.pk == work.owner_id or viewer.is_staff:
        return Q()
    visible = Q(state__in=[State.PUBLISHED, State.DELETED, State.HIDDEN])
    if isinstance(viewer, User):
        visible |= Q(state=State.PENDING, user_id=viewer.pk)
    return visible


# Whether someone may comment ---------------------------------------------------


def reads_like_anyone(*, work: Work, user: User) -> bool:
    """Whether the work's comments look to ``user`` as to any reader: not its author, not
    staff, and none of the comments theirs (their own carry links; pending ones show to them
    alone). One indexed query.
    """
    if user.pk == work.owner_id or user.is_staff:
        return False
    return not Comment.objects.filter(user_id=user.pk, work_id=work.pk).exists()


def comment_refusal(*, work: Work, chapter: Chapter | None, user: User | None) -> str | None:
    """Why ``user`` (None: a guest) may not comment here, or None if they may.

    The work's author may always answer on their own posted work; everyone
    else meets the author's policy and blocks.
    """
    if work.is_draft or (chapter is not None and chapter.is_draft):
        return "Comments open once this is posted."
    if work.is_hidden:
        return "Comments are closed while an admin has hidden this work."
    if user is not None and user.pk == work.owner_id:
        return None
    if work.comment_permission == CommentPermission.NOBODY:
        return "The author has closed comments on this work."
    if user is None and work.is_restricted:
        return "Log in to comment on this work."
    if user is None and work.comment_permission == CommentPermission.ACCOUNTS:
        return "The author accepts comments from readers with an account only: log in to comment."
    if user is not None and has_blocked(work.owner_id, user):
        return "The author of this work has blocked you from commenting on it."
    return None


def reply_refusal(*, parent: Comment, user: User | None) -> str | None:
    """Why ``user`` may not reply to ``parent``, or None if they may."""
    if parent.state == State.DELETED:
        return "This comment was deleted, so it takes no replies."
    if parent.state == State.HIDDEN:
        return "A moderator hid this comment, so it takes no replies."
    if parent.state != State.PUBLISHED:
        return "This comment is waiting for the author's approval; reply once it is published."
    if parent.is_frozen:
        return "This thread is frozen: it takes no more replies."
    refusal = comment_refusal(work=parent.work, chapter=parent.chapter, user=user)
    if refusal is None and user is not None and has_blocked(parent.user_id, user):
        return "The person who wrote this comment has blocked you from replying to them."
    return refusal


# A page of threads ---------------------------------------------------------------


@dataclass
class Node:
    """A comment in a thread, with the replies shown under it.

    ``in_reply_to`` names whom a reply answers when it is shown shallower
    than it stands (past ``MAX_INDENT``).
    """

    comment: Comment
    depth: int = 0
    replies: list[Node] = field(default_factory=list)
    in_reply_to: str = ""
    holder: Node | None = None
    continues: bool = False  # more replies than the page shows: see the thread's own page


@dataclass(frozen=True)
class ThreadPage:
    threads: list[Node]
    number: int
    pages: int
    total_threads: int

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.pages else None


def _threads_in_scope(work: Work, chapter: Chapter | None, whole_work: bool) -> Q:
    scope = Q(work=work, parent__isnull=True)
    return scope if whole_work else scope & Q(chapter=chapter)


def thread_page(
    *, work: Work, viewer: Viewer, chapter: Chapter | None, whole_work: bool, page: int = 1
) -> ThreadPage:
    """A page of threads (oldest first) with every reply they have, in three queries at most.

    ``whole_work`` shows the threads of every chapter and of the whole
    work; otherwise those of ``chapter`` (None: comments on the whole work).
    The first page of a short list counts its threads itself (no COUNT), and
    no threads ask for no replies.
    """
    visible = _visible_to(viewer, work)
    roots = Comment.objects.filter(_threads_in_scope(work, chapter, whole_work), visible)
    ordered = roots.select_related("user", "chapter").order_by("id")
    page_roots = list(ordered[:THREADS_PER_PAGE]) if page <= 1 else None
    if page_roots is not None and len(page_roots) < THREADS_PER_PAGE:
        total = len(page_roots)  # all of them: one page
    else:
        total = roots.count()
    pages = max(1, -(-total // THREADS_PER_PAGE))
    number = min(max(page, 1), pages)
    if page_roots is None or number != 1:
        start = (number - 1) * THREADS_PER_PAGE
        page_roots = list(ordered[start : start + THREADS_PER_PAGE])
    replies = list(
        Comment.objects.filter(visible, root_id__in=[r.pk for r in page_roots])
        .select_related("user")
        .order_by("root_id", "id")[: REPLIES_PER_PAGE + 1]
    )
    threads = _build_threads(page_roots, replies[:REPLIES_PER_PAGE])
    if len(replies) > REPLIES_PER_PAGE:  # this thread and the ones after it go on elsewhere
        cut_at = replies[REPLIES_PER_PAGE - 1].thread_id
        for node in threads:
            node.continues = node.comment.pk >= cut_at
    return ThreadPage(threads=threads, number=number, pages=pages, total_threads=total)


@dataclass(frozen=True)
class OneThread:
    node: Node
    number: int
    pages: int


def one_thread(*, root: Comment, viewer: Viewer, page: int = 1) -> OneThread:
    """A thread on its own, ``REPLIES_PER_PAGE`` replies a page, oldest first.

    A reply whose parent is on an earlier page hangs under the thread's first comment.
    """
    replies = Comment.objects.filter(_visible_to(viewer, root.work), root=root)
    pages = max(1, -(-replies.count() // REPLIES_PER_PAGE))
    number = min(max(page, 1), pages)
    start = (number - 1) * REPLIES_PER_PAGE
    shown = replies.select_related("user").order_by("id")[start : start + REPLIES_PER_PAGE]
    return OneThread(node=_build_threads([root], shown)[0], number=number, pages=pages)


def _build_threads(roots: list[Comment], replies: Iterable[Comment]) -> list[Node]:
    """Hang each reply under its parent (replies come oldest first, after their parents)."""
    nodes = {root.pk: Node(root) for root in roots}
    threads = list(nodes.values())
    for reply in replies:
        parent = nodes.get(reply.parent_id or 0) or nodes[reply.thread_id]
        if parent.depth < MAX_INDENT:
            node = Node(reply, depth=parent.depth + 1, holder=parent)
        else:  # too deep to indent further: shown beside its parent
            holder = parent.holder or parent
            node = Node(reply, parent.depth, holder=holder, in_reply_to=parent.comment.author_name)
        (node.holder or parent).replies.append(node)
        nodes[reply.pk] = node
    return threads


# One comment ---------------------------------------------------------------------


def comment_for(*, comment_id: int, viewer: Viewer) -> Comment | None:
    """The comment, if the viewer may see it and the work it is on.

    Raises ``works.selectors.RestrictedWorkError`` for a stranger at a
    restricted work, as reading it would.
    """
    comment = (
        Comment.objects.select_related("work", "chapter", "user", "parent__user")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None:
        return None
    work = works.work_for_reading(work_id=comment.work_id, viewer=viewer)
    if work is None:
        return None
    if comment.chapter is not None and comment.chapter.is_draft and viewer.pk != work.owner_id:
        return None
    visible = Comment.objects.filter(_visible_to(viewer, work), pk=comment.pk).exists()
    return comment if visible else None


def comment_url(comment: Comment) -> str:
    """Where a comment is shown: its chapter (or the whole work), the page of its thread."""
    if comment.chapter_id is not None:
        base = reverse("works:chapter", args=[comment.work_id, comment.chapter_id])
        scope = Q(work_id=comment.work_id, chapter_id=comment.chapter_id, parent__isnull=True)
    else:
        base = reverse("works:full", args=[comment.work_id])
        scope = Q(work_id=comment.work_id, parent__isnull=True)
    earlier = Comment.objects.filter(scope, id__lt=comment.thread_id).count()
    page = earlier // THREADS_PER_PAGE + 1
    query = f"?comments={page}" if page > 1 else ""
    return f"{base}{query}#comment-{comment.pk}"
