"""The authentication backend that stops a locked-out login before the password is checked."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class ThrottledLogin(AxesStandaloneBackend):  # type: ignore[misc]  # axes is untyped
    """django-axes' check, for every login that comes with its request.

    Every login form of the archive (the site's and the admin's, which
    leads to it) passes the request. Only code outside a request calls
    ``authenticate()`` without one (the test client's ``login()``, a shell);
    there is no visitor and no address to throttle, so it passes through to
    the password check instead of failing.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is not None:
            super().authenticate(request, username=username, password=password, **kwargs)
