"""Reporting (anyone) and the moderators' pages: the queue, one target, the audit log.

Every form is a plain POST answered by a redirect with a message; an error
shows the form again with what was typed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse

from fanfold.archive.comments import selectors as comments
from fanfold.archive.comments.models import Comment, State
from fanfold.archive.moderation import selectors, services
from fanfold.archive.moderation.forms import (
    DISMISS,
    HIDE,
    LIFT,
    RESTORE,
    SUSPEND,
    ActionForm,
    ReportForm,
)
from fanfold.archive.moderation.models import Report
from fanfold.archive.pages import found
from fanfold.archive.people import selectors as people
from fanfold.archive.people.models import User
from fanfold.archive.security import client_address
from fanfold.archive.works import selectors as works
from fanfold.archive.works.models import Work
from fanfold.archive.works.views import strangers_log_in_to_read

View = Callable[..., HttpResponseBase]


# Reporting ---------------------------------------------------------------------------


def _report(
    request: HttpRequest, *, target: Work | Comment | User, back: str, what: str
) -> HttpResponse:
    reporter = request.user if isinstance(request.user, User) else None
    form = ReportForm(request.POST or None, guest=reporter is None)
    if request.method == "POST" and form.is_valid():
        try:
            services.file_report(
                work=target if isinstance(target, Work) else None,
                comment=target if isinstance(target, Comment) else None,
                person=target if isinstance(target, User) else None,
                category=form.cleaned_data["category"],
                details=form.cleaned_data["details"],
                reporter=reporter,
                email=form.cleaned_data.get("email", ""),
                address=client_address(request),
            )
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, "Thank you: the moderators will look at your report.")
            return redirect(back)
    return render(request, "moderation/report.html", {"form": form, "what": what, "back": back})


@strangers_log_in_to_read
def report_work(request: HttpRequest, work_id: int) -> HttpResponse:
    work = found(works.work_for_reading(work_id=work_id, viewer=request.user), "work")
    return _report(
        request, target=work, back=work.get_absolute_url(), what=f"the work “{work.title}”"
    )


@strangers_log_in_to_read
def report_comment(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = found(comments.comment_for(comment_id=comment_id, viewer=request.user), "comment")
    back = comments.comment_url(comment)
    return _report(request, target=comment, back=back, what=f"{comment.author_name}’s comment")


def report_person(request: HttpRequest, username: str) -> HttpResponse:
    person = found(people.active_user(username=username), "person")
    back = reverse("people:profile", args=[person.username])
    return _report(request, target=person, back=back, what=f"the account {person.username}")


# The moderators' pages -------------------------------------------------------------


def moderators_only(view: View) -> View:
    """Strangers log in first; signed-in people who do not moderate are refused."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not selectors.is_moderator(request.user):
            raise PermissionDenied("Only moderators may see this page.")
        return view(request, *args, **kwargs)

    return wrapper


def _me(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # behind moderators_only
    return request.user


@moderators_only
def queue(request: HttpRequest) -> HttpResponse:
    cases = selectors.open_cases()
    suspended = selectors.suspended_among([c.person.pk for c in cases if c.person is not None])
    rows = [
        (case, ActionForm(actions=_actions_for(case.target, suspended=case.target.pk in suspended)))
        for case in cases
    ]
    return render(request, "moderation/queue.html", {"rows": rows})


@moderators_only
def audit_log(request: HttpRequest) -> HttpResponse:
    page = selectors.audit_page(page=request.GET.get("page"))
    return render(request, "moderation/log.html", {"page": page})


def _actions_for(target: Work | Comment | User, *, suspended: bool = False) -> list[str]:
    """What may be done to a target now: the opposite of its state, and dismissing its reports.

    ``suspended``: whether a person's account is suspended now.
    """
    if isinstance(target, Work):
        return [RESTORE if target.is_hidden else HIDE, DISMISS]
    if isinstance(target, Comment):
        if target.state == State.HIDDEN:
            return [RESTORE, DISMISS]
        return [HIDE, DISMISS] if target.state == State.PUBLISHED else [DISMISS]
    return [LIFT, SUSPEND, DISMISS] if suspended else [SUSPEND, DISMISS]


def _act(
    request: HttpRequest,
    *,
    target: Work | Comment | User,
    reports: list[Report],
    context: dict[str, Any],
) -> HttpResponse:
    """The target's page: its open reports and the action form; POST does the action."""
    suspended = isinstance(target, User) and selectors.suspension_of(target) is not None
    form = ActionForm(request.POST or None, actions=_actions_for(target, suspended=suspended))
    if request.method == "POST" and form.is_valid():
        try:
            message = _do(_me(request), target, reports, form.cleaned_data)
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, message)
            back_to_queue = request.POST.get("next") == "queue"
            return redirect("moderation:queue" if back_to_queue else request.path)
    context |= {"form": form, "reports": reports}
    return render(request, "moderation/target.html", context)


def _do(
    by: User, target: Work | Comment | User, reports: list[Report], data: dict[str, Any]
) -> str:
    """Carry out one action; the message that says what happened."""
    action, reason = data["action"], data["reason"]
    label = services.label_of(target)
    if action == DISMISS:
        dismissed = sum(services.dismiss_report(report=r, by=by, reason=reason) for r in reports)
        return f"Dismissed {dismissed} report{'s' if dismissed != 1 else ''} on {label}."
    if isinstance(target, Work):
        done = services.set_work_hidden(work=target, by=by, reason=reason, hidden=action == HIDE)
    elif isinstance(target, Comment):
        done = services.set_comment_hidden(
            comment=target, by=by, reason=reason, hidden=action == HIDE
        )
    elif action == SUSPEND:
        services.suspend_account(user=target, by=by, reason=reason, until=data.get("until"))
        done = True
    else:
        done = services.lift_suspension(user=target, by=by, reason=reason)
    past = {HIDE: "hidden", RESTORE: "restored", SUSPEND: "suspended", LIFT: "no longer suspended"}
    if not done:
        return f"Nothing to do: {label} was already {past[action]}."
    return f"{label[0].upper()}{label[1:]} is now {past[action]}; the author has been told."


@moderators_only
def moderate_work(request: HttpRequest, work_id: int) -> HttpResponse:
    work = found(selectors.work_for_moderation(work_id), "work")
    reports = selectors.open_reports_on(work=work)
    return _act(request, target=work, reports=reports, context={"work": work, "kind": "work"})


@moderators_only
def moderate_comment(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = found(selectors.comment_for_moderation(comment_id), "comment")
    reports = selectors.open_reports_on(comment=comment)
    context = {"comment": comment, "kind": "comment", "where": comments.comment_url(comment)}
    return _act(request, target=comment, reports=reports, context=context)


@moderators_only
def moderate_person(request: HttpRequest, username: str) -> HttpResponse:
    person = found(selectors.person_for_moderation(username), "person")
    reports = selectors.open_reports_on(person=person)
    context = {"person": person, "kind": "person", "suspension": selectors.suspension_of(person)}
    return _act(request, target=person, reports=reports, context=context)
