"""The backend that stops locked-out logins: it needs the request, or lets the check pass."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.test import RequestFactory

from fanfold.archive.people.backends import ThrottledLogin
from fanfold.archive.people.models import User
from tests.archive.factories import PASSWORD


def test_a_login_without_a_request_is_left_to_the_password_check(reader: User) -> None:
    assert ThrottledLogin().authenticate(None, username="reader", password=PASSWORD) is None
    assert authenticate(username="reader", password=PASSWORD) == reader


def test_a_locked_out_login_is_refused_before_the_password_is_checked(
    reader: User, settings: Any
) -> None:
    settings.AXES_FAILURE_LIMIT = 1
    request = RequestFactory().post("/login/")
    assert authenticate(request, username="reader", password="wrong") is None
    again = RequestFactory().post("/login/")
    assert authenticate(again, username="reader", password=PASSWORD) is None
    assert again.axes_locked_out  # type: ignore[attr-defined]
