"""Filing reports and every staff action: its audit entry, its notice, its email."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from fanfold.archive.comments.models import Comment, State
from fanfold.archive.inbox.models import InboxEntry, Kind
from fanfold.archive.moderation import services
from fanfold.archive.moderation.models import (
    Action,
    AuditEntry,
    Category,
    Report,
    ReportState,
    Suspension,
)
from fanfold.archive.moderation.selectors import suspension_of
from fanfold.archive.people.models import User
from fanfold.archive.search.models import FilterTag
from fanfold.archive.works.models import Listing, Work


def report_on(**target: object) -> Report:
    return services.file_report(category=Category.SPAM, details="Adverts.", **target)  # type: ignore[arg-type]


def test_a_guest_reports_a_work_with_an_email_to_answer(work: Work) -> None:
    report = services.file_report(
        work=work,
        category=Category.PLAGIARISM,
        details=" Copied. ",
        email="g@example.org",
        address="10.0.0.1",
    )
    assert (report.state, report.details, report.email) == (
        ReportState.OPEN,
        "Copied.",
        "g@example.org",
    )
    assert report.target_key == ("work", work.pk)


def test_a_report_needs_details_and_exactly_one_target(work: Work, reader: User) -> None:
    with pytest.raises(ValidationError, match="Say what is wrong"):
        services.file_report(work=work, category=Category.OTHER, details="  ")
    with pytest.raises(ValueError, match="exactly one"):
        services.file_report(work=work, person=reader, category=Category.OTHER, details="x")


def test_reports_are_limited_per_account_with_a_clear_message(work: Work, reader: User) -> None:
    for _ in range(services.REPORT_LIMIT):
        report_on(work=work, reporter=reader)
    with pytest.raises(ValidationError, match="10 reports in the last hour"):
        report_on(work=work, reporter=reader)
    report_on(work=work, address="10.0.0.9")  # a guest elsewhere is counted apart
    assert Report.objects.count() == services.REPORT_LIMIT + 1


def test_reports_are_limited_per_guest_address(work: Work) -> None:
    for _ in range(services.REPORT_LIMIT):
        report_on(work=work, address="10.0.0.2")
    with pytest.raises(ValidationError):
        report_on(work=work, address="10.0.0.2")


def test_hiding_a_work_unlists_it_records_tells_and_resolves(work: Work, admin: User) -> None:
    report = report_on(work=work)
    assert services.set_work_hidden(work=work, by=admin, reason="Spam links.", hidden=True)
    work.refresh_from_db()
    assert work.is_hidden
    assert work.listing == Listing.UNLISTED
    assert not FilterTag.objects.filter(work=work).exclude(listing=Listing.UNLISTED).exists()
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.target_id, entry.reason) == (
        Action.HIDE_WORK,
        admin,
        work.pk,
        "Spam links.",
    )
    notice = InboxEntry.objects.get(kind=Kind.NOTICE)
    assert (notice.recipient_id, notice.work_id, notice.notice_id) == (
        work.owner_id,
        work.pk,
        entry.pk,
    )
    assert "Your work “Salt” was hidden" in notice.excerpt
    assert "Spam links." in notice.excerpt
    report.refresh_from_db()
    assert report.state == ReportState.RESOLVED


def test_the_author_is_emailed_once_the_hiding_commits(
    work: Work, admin: User, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        services.set_work_hidden(work=work, by=admin, reason="Spam links.", hidden=True)
    (email,) = mail.outbox
    assert email.to == [work.owner.email]
    assert email.subject == "Your work “Salt” was hidden"
    assert "Spam links." in email.body


def test_hiding_twice_records_once_and_restoring_lists_it_again(work: Work, admin: User) -> None:
    assert services.set_work_hidden(work=work, by=admin, reason="x", hidden=True)
    assert not services.set_work_hidden(work=work, by=admin, reason="x", hidden=True)
    assert services.set_work_hidden(work=work, by=admin, reason="Fixed.", hidden=False)
    work.refresh_from_db()
    assert not work.is_hidden
    assert work.listing == Listing.PUBLIC
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
        Action.HIDE_WORK,
        Action.RESTORE_WORK,
    ]
    assert InboxEntry.objects.filter(kind=Kind.NOTICE, recipient=work.owner).count() == 2


def test_only_moderators_act_and_always_with_a_reason(
    work: Work, reader: User, admin: User
) -> None:
    with pytest.raises(PermissionDenied):
        services.set_work_hidden(work=work, by=reader, reason="x", hidden=True)
    with pytest.raises(ValidationError, match="Write the reason"):
        services.set_work_hidden(work=work, by=admin, reason=" ", hidden=True)
    assert not AuditEntry.objects.exists()


def test_a_member_of_the_moderators_group_may_act(work: Work, reader: User) -> None:
    from django.contrib.auth.models import Group

    reader.groups.add(Group.objects.get(name="Moderators"))
    moderator = User.objects.get(pk=reader.pk)  # permissions are cached per object
    assert services.set_work_hidden(work=work, by=moderator, reason="x", hidden=True)


def test_hiding_a_comment_keeps_its_place_and_counts(comment: Comment, admin: User) -> None:
    work = comment.work
    work.refresh_from_db()
    assert work.comment_count == 1
    assert services.set_comment_hidden(comment=comment, by=admin, reason="Abuse.", hidden=True)
    comment.refresh_from_db()
    work.refresh_from_db()
    assert (comment.state, work.comment_count) == (State.HIDDEN, 0)
    notice = InboxEntry.objects.get(kind=Kind.NOTICE)
    assert notice.recipient_id == comment.user_id
    assert "Abuse." in notice.excerpt
    assert services.set_comment_hidden(comment=comment, by=admin, reason="Ok.", hidden=False)
    comment.refresh_from_db()
    work.refresh_from_db()
    assert (comment.state, work.comment_count) == (State.PUBLISHED, 1)
    assert AuditEntry.objects.filter(target_type="comment", target_id=comment.pk).count() == 2


def test_suspending_records_tells_and_lifting_ends_it(reader: User, admin: User) -> None:
    until = timezone.now() + timedelta(days=7)
    services.suspend_account(user=reader, by=admin, reason="Harassment.", until=until)
    suspension = suspension_of(reader)
    assert suspension is not None
    assert suspension.until == until
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.until, entry.target_label) == (Action.SUSPEND, until, "reader")
    notice = InboxEntry.objects.get(kind=Kind.NOTICE)
    assert notice.work_id is None
    assert "suspended until" in notice.excerpt
    assert services.lift_suspension(user=reader, by=admin, reason="Apologised.")
    assert suspension_of(reader) is None
    assert not services.lift_suspension(user=reader, by=admin, reason="again")
    assert AuditEntry.objects.filter(action=Action.LIFT_SUSPENSION).count() == 1


def test_a_suspension_ends_by_itself(reader: User, admin: User) -> None:
    services.suspend_account(
        user=reader, by=admin, reason="x", until=timezone.now() + timedelta(days=1)
    )
    Suspension.objects.update(until=timezone.now() - timedelta(seconds=1))
    assert suspension_of(reader) is None


def test_suspending_again_replaces_the_suspension_in_force(reader: User, admin: User) -> None:
    services.suspend_account(user=reader, by=admin, reason="first")
    services.suspend_account(user=reader, by=admin, reason="second")
    suspension = suspension_of(reader)
    assert suspension is not None
    assert suspension.reason == "second"
    assert Suspension.objects.filter(person=reader, lifted_at__isnull=True).count() == 1


def test_a_suspension_refuses_a_past_end_and_oneself(reader: User, admin: User) -> None:
    with pytest.raises(ValidationError, match="in the future"):
        services.suspend_account(user=reader, by=admin, reason="x", until=timezone.now())
    with pytest.raises(ValidationError, match="your own account"):
        services.suspend_account(user=admin, by=admin, reason="x")


def test_dismissing_a_report_records_it_once(work: Work, admin: User) -> None:
    report = report_on(work=work)
    assert services.dismiss_report(report=report, by=admin, reason="Not spam.")
    assert not services.dismiss_report(report=report, by=admin, reason="Not spam.")
    report.refresh_from_db()
    assert report.state == ReportState.DISMISSED
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.target_type, entry.target_id) == (
        Action.DISMISS_REPORT,
        "report",
        report.pk,
    )
    assert not InboxEntry.objects.filter(kind=Kind.NOTICE).exists()  # nothing happened to anyone
