"""The people app's own signal receivers: a session's row on login, its removal on logout."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest

from fanfold.archive.people import signin
from fanfold.archive.people.models import User


@receiver(user_logged_in, dispatch_uid="fanfold.people.record_sign_in")
def on_login(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        signin.record_sign_in(request=request, user=user)


@receiver(user_logged_out, dispatch_uid="fanfold.people.record_sign_out")
def on_logout(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        signin.record_sign_out(request=request, user=user)
