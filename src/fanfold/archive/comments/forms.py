"""The comment form: what was typed, a guest's name, and a honeypot for robots."""

from __future__ import annotations

from typing import Any

from django import forms

from fanfold.archive.comments.models import COMMENT_BODY_MAX, GUEST_NAME_MAX

HONEYPOT = "website"
BODY_HELP = (
    f"Up to {COMMENT_BODY_MAX:,} characters: plain text, or simple HTML (emphasis, bold, links)."
)


class CommentForm(forms.Form):
    """A comment or a reply; guests also give a name.

    ``website`` is the honeypot: the page hides it from people (and from
    screen readers), so only a robot filling every box types into it.
    """

    body = forms.CharField(
        label="Comment",
        max_length=COMMENT_BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=BODY_HELP,
    )
    guest_name = forms.CharField(label="Your name", max_length=GUEST_NAME_MAX)
    chapter = forms.IntegerField(required=False, widget=forms.HiddenInput)
    website = forms.CharField(label="Leave this empty", required=False)

    def __init__(self, *args: Any, guest: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not guest:
            del self.fields["guest_name"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get(HONEYPOT):
            raise forms.ValidationError(
                "This looks like a robot's comment (a hidden box was filled in). "
                "If you are a person, please post it again."
            )
        return data


class EditCommentForm(forms.Form):
    body = forms.CharField(
        label="Comment",
        max_length=COMMENT_BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=BODY_HELP,
    )
