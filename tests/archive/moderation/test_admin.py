"""The admin shows moderation's records but never adds, changes or deletes them."""

from __future__ import annotations

from django.test import Client

from fanfold.archive.moderation.models import AuditEntry, Report
from fanfold.archive.moderation.services import file_report, set_work_hidden
from fanfold.archive.people.models import User
from fanfold.archive.works.models import Work


def test_staff_read_the_audit_log_and_reports_in_the_admin(
    as_admin: Client, admin: User, work: Work
) -> None:
    file_report(work=work, category="spam", details="x")
    set_work_hidden(work=work, by=admin, reason="Spam.", hidden=True)
    assert "Spam." in as_admin.get("/admin/moderation/auditentry/").text
    assert as_admin.get("/admin/moderation/report/").status_code == 200
    assert as_admin.get("/admin/moderation/suspension/").status_code == 200


def test_no_one_adds_changes_or_deletes_them_there(
    as_admin: Client, admin: User, work: Work
) -> None:
    set_work_hidden(work=work, by=admin, reason="Spam.", hidden=True)
    entry = AuditEntry.objects.get()
    assert as_admin.get("/admin/moderation/auditentry/add/").status_code == 403
    as_admin.post(f"/admin/moderation/auditentry/{entry.pk}/change/", {"reason": "Nothing."})
    entry.refresh_from_db()
    assert entry.reason == "Spam."
    assert (
        as_admin.post(
            f"/admin/moderation/auditentry/{entry.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    assert as_admin.get("/admin/moderation/report/add/").status_code == 403
    assert not Report.objects.exists()
