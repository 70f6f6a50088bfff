from __future__ import annotations

from django.contrib.auth.forms import UserCreationForm

from fanfold.archive.people.models import User


class SignupForm(UserCreationForm[User]):
    class Meta:
        model = User
        fields = ("username", "email")
