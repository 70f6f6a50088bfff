from __future__ import annotations

from typing import Any

from django import forms

from fanfold.archive.people.models import User
from fanfold.archive.personal_data.services import WorksChoice


class DeleteAccountForm(forms.Form):
    """What becomes of the works, and the password to confirm it is really the person."""

    works = forms.ChoiceField(
        label="Your works",
        choices=[
            (
                WorksChoice.ORPHAN.value,
                "Orphan them: they stay on the archive under the name “orphan_account”",
            ),
            (WorksChoice.DELETE.value, "Delete them, with their comments, kudos and bookmarks"),
        ],
        widget=forms.RadioSelect,
    )
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = str(self.cleaned_data["password"])
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password: nothing was deleted.")
        return password

    def choice(self) -> WorksChoice:
        return WorksChoice(self.cleaned_data["works"])
