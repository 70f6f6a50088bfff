"""The report form anyone fills in, and the form staff act with."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from django import forms
from django.utils import timezone

from fanfold.archive.moderation.models import AUDIT_REASON_MAX, DETAILS_MAX, Category


class ReportForm(forms.Form):
    """What is wrong, in a category and in words; a guest may leave an address to hear back."""

    category = forms.ChoiceField(
        label="What is wrong?", choices=Category.choices, widget=forms.RadioSelect
    )
    details = forms.CharField(
        label="Details",
        max_length=DETAILS_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Where in the text, what happened, links to the original for plagiarism.",
    )
    email = forms.EmailField(
        label="Your email (optional)",
        required=False,
        help_text="Only the moderators see it, to ask you more or tell you what was done.",
    )

    def __init__(self, *args: Any, guest: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not guest:
            del self.fields["email"]


# What staff may do to each kind of target, by its state.
HIDE, RESTORE, SUSPEND, LIFT, DISMISS = "hide", "restore", "suspend", "lift", "dismiss"
ACTION_LABELS = {
    HIDE: "Hide it",
    RESTORE: "Restore it",
    SUSPEND: "Suspend the account",
    LIFT: "Lift the suspension",
    DISMISS: "Dismiss the open reports (nothing wrong)",
}


class ActionForm(forms.Form):
    """One staff action on one target, with the reason the audit log and the person are given."""

    action = forms.ChoiceField(label="Action", widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Reason",
        max_length=AUDIT_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Recorded in the audit log; the person concerned is told it.",
    )
    until = forms.DateField(
        label="Suspended until (optional)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Empty: until a moderator lifts it.",
    )

    def __init__(self, *args: Any, actions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        action = self.fields["action"]
        assert isinstance(action, forms.ChoiceField)
        action.choices = [(a, ACTION_LABELS[a]) for a in actions]
        if SUSPEND not in actions:
            del self.fields["until"]

    def clean_until(self) -> datetime | None:
        """The start (UTC) of the day given, which must be after today."""
        day = self.cleaned_data.get("until")
        if day is None:
            return None
        if day <= timezone.now().date():
            raise forms.ValidationError("Choose a day after today, or leave it empty.")
        return datetime.combine(day, time(0, 0), tzinfo=UTC)
