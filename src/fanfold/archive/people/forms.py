from __future__ import annotations

from django import forms
from django.contrib.auth.forms import UserCreationForm

from fanfold.archive.people.models import User


class SignupForm(UserCreationForm[User]):
    class Meta:
        model = User
        fields = ("username", "email")
        help_texts = {"email": "Optional. Without it a forgotten password cannot be reset."}

    def clean_username(self) -> str:
        username = str(super().clean_username())
        # "." and ".." are folders to a browser: /users/../ would lead to the home page.
        if not username.strip("."):
            raise forms.ValidationError("A username needs a letter, digit or one of @ + - _.")
        return username
