"""The report form and the staff action form."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.utils import timezone

from fanfold.archive.moderation.forms import DISMISS, HIDE, SUSPEND, ActionForm, ReportForm


def test_guests_may_leave_an_email_and_accounts_are_not_asked() -> None:
    assert "email" in ReportForm(guest=True).fields
    assert "email" not in ReportForm(guest=False).fields
    form = ReportForm({"category": "spam", "details": "x", "email": "nope"}, guest=True)
    assert not form.is_valid()
    assert "email" in form.errors


def test_a_category_must_be_one_of_the_list() -> None:
    form = ReportForm({"category": "boring", "details": "x"}, guest=False)
    assert "category" in form.errors


def test_an_action_must_be_one_offered_and_have_a_reason() -> None:
    form = ActionForm({"action": SUSPEND, "reason": "x"}, actions=[HIDE, DISMISS])
    assert "action" in form.errors
    assert "until" not in form.fields
    assert "reason" in ActionForm({"action": HIDE, "reason": ""}, actions=[HIDE]).errors


def test_a_suspension_ends_at_the_start_of_a_later_day() -> None:
    tomorrow = timezone.now().date() + timedelta(days=1)
    form = ActionForm({"action": SUSPEND, "reason": "x", "until": tomorrow}, actions=[SUSPEND])
    assert form.is_valid()
    assert form.cleaned_data["until"] == datetime(
        tomorrow.year, tomorrow.month, tomorrow.day, tzinfo=UTC
    )
    today = ActionForm(
        {"action": SUSPEND, "reason": "x", "until": timezone.now().date()}, actions=[SUSPEND]
    )
    assert "until" in today.errors
    assert ActionForm({"action": SUSPEND, "reason": "x"}, actions=[SUSPEND]).is_valid()
