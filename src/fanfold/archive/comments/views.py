"""Comment pages: post, reply, edit, delete, freeze, approve and reject.

Everything works as plain forms: a POST, then a redirect to the comment on
its page with a message. A refused or invalid comment comes back on a form
page with what was typed and why. With JavaScript, replying happens in place:
htmx fetches the reply form under the comment and swaps in the posted reply
(or the form again, with what was typed and why).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from fanfold.archive.comments import selectors, services
from fanfold.archive.comments.forms import CommentForm, EditCommentForm
from fanfold.archive.comments.models import Comment, State
from fanfold.archive.pages import found, in_place
from fanfold.archive.people.models import User
from fanfold.archive.security import client_address
from fanfold.archive.works import selectors as works
from fanfold.archive.works.models import Chapter, Work
from fanfold.archive.works.views import strangers_log_in_to_read


def _commenter(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # behind login_required
    return request.user


def _chapter_of(request: HttpRequest, work: Work, chapter_id: int | None) -> Chapter | None:
    if chapter_id is None:
        return None
    readable = works.readable_chapters(work=work, viewer=request.user)
    chapter = next((c for c in readable if c.pk == chapter_id), None)
    if chapter is None:
        raise Http404("No such chapter")
    return chapter


def _comment(request: HttpRequest, comment_id: int) -> Comment:
    return found(selectors.comment_for(comment_id=comment_id, viewer=request.user), "comment")


def _post(
    request: HttpRequest,
    form: CommentForm,
    *,
    work: Work,
    chapter: Chapter | None,
    parent: Comment | None,
) -> Comment | None:
    """Post what the form holds; None (with the reason on the form) if it was refused."""
    if not form.is_valid():
        return None
    try:
        return services.post_comment(
            work=work,
            chapter=chapter,
            parent=parent,
            body=form.cleaned_data["body"],
            user=_commenter(request),
            guest_name=form.cleaned_data.get("guest_name", ""),
            address=client_address(request),
        )
    except ValidationError as refused:
        form.add_error(None, refused.messages[0])
        return None


def _posted(request: HttpRequest, comment: Comment) -> HttpResponse:
    if comment.state == State.PENDING:
        messages.info(request, "Your comment was sent to the author and appears once approved.")
    else:
        messages.success(request, "Your comment was posted.")
    return redirect(selectors.comment_url(comment))


@require_POST
@strangers_log_in_to_read
def post_comment(request: HttpRequest, work_id: int) -> HttpResponse:
    work = found(works.work_for_reading(work_id=work_id, viewer=request.user), "work")
    form = CommentForm(request.POST, guest=_commenter(request) is None)
    raw_chapter = request.POST.get("chapter", "")
    chapter = _chapter_of(request, work, int(raw_chapter) if raw_chapter.isdigit() else None)
    comment = _post(request, form, work=work, chapter=chapter, parent=None)
    if comment is not None:
        return _posted(request, comment)
    context = {"form": form, "work": work, "chapter": chapter, "parent": None}
    return render(request, "comments/comment_form.html", context)


@strangers_log_in_to_read
def thread(request: HttpRequest, comment_id: int) -> HttpResponse:
    """A whole thread on pages of its own (for threads longer than a page of threads shows)."""
    comment = _comment(request, comment_id)
    root = _comment(request, comment.thread_id) if comment.root_id else comment
    raw = request.GET.get("replies", "")
    page = selectors.one_thread(
        root=root, viewer=request.user, page=int(raw) if raw.isdigit() and len(raw) < 8 else 1
    )
    user = _commenter(request)
    context = {
        "work": root.work,
        "root": root,
        "page": page,
        "node": page.node,
        "viewer_id": request.user.pk,
        "is_work_author": request.user.pk == root.work.owner_id,
        "is_staff": request.user.is_staff,
        "form": selectors.comment_refusal(work=root.work, chapter=root.chapter, user=user) is None,
    }
    return render(request, "comments/thread.html", context)


@strangers_log_in_to_read
def reply(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Reply to one comment, on a page of its own (it needs no JavaScript), or in place."""
    parent = _comment(request, comment_id)
    guest = _commenter(request) is None
    swapped = in_place(request)
    prefix = {"auto_id": f"id_reply{parent.pk}_%s"} if swapped else {}  # unique on the work page
    form = CommentForm(request.POST or None, guest=guest, **prefix)
    if request.method == "POST":
        comment = _post(request, form, work=parent.work, chapter=parent.chapter, parent=parent)
        if comment is not None:
            return _posted_in_place(request, comment) if swapped else _posted(request, comment)
    refusal = selectors.reply_refusal(parent=parent, user=_commenter(request))
    context = {
        "form": form,
        "work": parent.work,
        "chapter": parent.chapter,
        "parent": parent,
        "refusal": refusal,
    }
    template = "comments/_reply_form.html" if swapped else "comments/comment_form.html"
    return render(request, template, context)


def _posted_in_place(request: HttpRequest, comment: Comment) -> HttpResponse:
    """The posted reply as its thread shows it, with the message, for htmx to put in place."""
    viewer = _commenter(request)
    waiting = comment.state == State.PENDING
    context = {
        "node": selectors.Node(comment=comment),
        "viewer_id": viewer.pk if viewer else None,
        "is_work_author": viewer is not None and viewer.pk == comment.work.owner_id,
        "is_staff": viewer is not None and viewer.is_staff,
        "form": None,  # no reply link on the reply just posted: its page has one
        "message": (
            "Your comment was sent to the author and appears once approved."
            if waiting
            else "Your comment was posted."
        ),
    }
    return render(request, "comments/_reply_posted.html", context)


@login_required
@strangers_log_in_to_read
def edit(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _comment(request, comment_id)
    if comment.user_id != request.user.pk:
        raise PermissionDenied("You can only edit your own comments.")
    form = EditCommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_comment(
                comment=comment, by=_user(request), body=form.cleaned_data["body"]
            )
        except ValidationError as refused:
            form.add_error(None, refused.messages[0])
        else:
            messages.success(request, "Your comment was changed.")
            return redirect(selectors.comment_url(comment))
    return render(request, "comments/edit.html", {"form": form, "comment": comment})


@login_required
@strangers_log_in_to_read
def delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _comment(request, comment_id)
    user = _user(request)
    if not services.may_delete(comment, user):
        raise PermissionDenied("Only the comment's writer or the work's author can delete it.")
    if request.method == "POST":
        after = selectors.comment_url(comment).split("#")[0] + "#comments"
        services.delete_comment(comment=comment, by=user)
        messages.success(request, "The comment was deleted.")
        return redirect(after)
    return render(request, "comments/confirm_delete.html", {"comment": comment})


@require_POST
@login_required
@strangers_log_in_to_read
def freeze(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _comment(request, comment_id)
    frozen = request.POST.get("frozen") != "0"
    services.set_thread_frozen(comment=comment, by=_user(request), frozen=frozen)
    messages.success(
        request, "The thread is frozen." if frozen else "The thread takes replies again."
    )
    return redirect(selectors.comment_url(comment))


@require_POST
@login_required
@strangers_log_in_to_read
def approve(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _comment(request, comment_id)
    if services.approve_comment(comment=comment, by=_user(request)):
        messages.success(request, "The comment is published.")
    return redirect(selectors.comment_url(comment))


@require_POST
@login_required
@strangers_log_in_to_read
def reject(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _comment(request, comment_id)
    after = selectors.comment_url(comment).split("#")[0] + "#comments"
    if services.reject_comment(comment=comment, by=_user(request)):
        messages.success(request, "The comment was rejected and deleted.")
    return redirect(after)
