"""Moderation's reads: who moderates, the queue of open reports, the audit log, suspensions."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.utils import timezone

from fanfold.archive.comments.models import Comment
from fanfold.archive.moderation.models import AuditEntry, Report, ReportState, Suspension
from fanfold.archive.people.models import User
from fanfold.archive.works.models import Work

Viewer = User | AnonymousUser

QUEUE_REPORTS_MAX = 500  # the oldest open reports shown at once; the rest wait their turn
LOG_PER_PAGE = 50


def is_moderator(user: Viewer) -> bool:
    """Staff, and members of the "moderators" group (the ``moderation.moderate`` permission)."""
    if not (user.is_authenticated and user.is_active):
        return False
    return bool(user.is_staff or user.has_perm("moderation.moderate"))


@dataclass
class Case:
    """The open reports on one target, with the target itself and its author."""

    kind: str  # work, comment, person
    work: Work | None = None
    comment: Comment | None = None
    person: User | None = None
    reports: list[Report] = field(default_factory=list)

    @property
    def target(self) -> Work | Comment | User:
        found = self.work or self.comment or self.person
        assert found is not None
        return found

    @property
    def author(self) -> User | None:
        """Whose content it is: the work's owner, the comment's writer, the person."""
        if self.work is not None:
            return self.work.owner
        if self.comment is not None:
            return self.comment.user
        return self.person


def open_cases() -> list[Case]:
    """Open reports grouped by target, the longest-waiting target first, in one query."""
    reports = (
        Report.objects.filter(state=ReportState.OPEN)
        .select_related(
            "work__owner",
            "comment__user",
            "comment__work",
            "comment__chapter",
            "person",
            "reporter",
        )
        .order_by("id")[:QUEUE_REPORTS_MAX]
    )
    cases: dict[tuple[str, int], Case] = {}
    for report in reports:
        key = report.target_key
        if key not in cases:
            cases[key] = Case(
                kind=key[0], work=report.work, comment=report.comment, person=report.person
            )
        cases[key].reports.append(report)
    return list(cases.values())


def open_reports_on(
    *, work: Work | None = None, comment: Comment | None = None, person: User | None = None
) -> list[Report]:
    """The open reports on one target, oldest first."""
    target = Q(work=work) if work else Q(comment=comment) if comment else Q(person=person)
    return list(
        Report.objects.filter(target, state=ReportState.OPEN)
        .select_related("reporter")
        .order_by("id")
    )


def audit_page(*, page: str | int | None) -> Page[AuditEntry]:
    """A page of the audit log, newest first."""
    entries = AuditEntry.objects.select_related("actor").order_by("-created_at", "-id")
    return Paginator(entries, LOG_PER_PAGE).get_page(page)


def suspension_of(user: Viewer) -> Suspension | None:
    """The suspension in force on ``user`` now, or None (one indexed query; none for guests)."""
    if not user.is_authenticated:
        return None
    return (
        Suspension.objects.filter(person_id=user.pk, lifted_at__isnull=True)
        .filter(Q(until__isnull=True) | Q(until__gt=timezone.now()))
        .order_by("-id")
        .first()
    )


def suspended_among(person_ids: list[int]) -> set[int]:
    """Which of these accounts are suspended now, in one query."""
    if not person_ids:
        return set()
    in_force = Q(until__isnull=True) | Q(until__gt=timezone.now())
    rows = Suspension.objects.filter(in_force, person_id__in=person_ids, lifted_at__isnull=True)
    return set(rows.values_list("person_id", flat=True))


def comment_for_moderation(comment_id: int) -> Comment | None:
    return (
        Comment.objects.select_related("work__owner", "chapter", "user")
        .filter(pk=comment_id)
        .first()
    )


def work_for_moderation(work_id: int) -> Work | None:
    """A work moderators may act on: anything readers could meet, never an author's draft
    (nobody can report one, and staff have no business reading it)."""
    return Work.objects.select_related("owner").filter(pk=work_id, is_draft=False).first()


def person_for_moderation(username: str) -> User | None:
    return User.objects.filter(username=username).first()
