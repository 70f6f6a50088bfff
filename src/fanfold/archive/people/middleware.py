"""Dates in the reader's own time zone, and when a signed-in session was last seen.

Django stores and compares times in UTC; templates show them in the time
zone active for the request. This middleware activates the account's (set
on the settings page); guests see UTC, the archive's own.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from fanfold.archive.people import signin
from fanfold.archive.people.models import User


def zone_of(user: object) -> zoneinfo.ZoneInfo | None:
    """The account's time zone, or None for a guest or a zone this machine does not know.

    >>> zone_of(User(time_zone="Asia/Tokyo")).key, zone_of(User(time_zone="Nowhere/Else"))
    ('Asia/Tokyo', None)
    """
    if not isinstance(user, User) or user.time_zone == "UTC":
        return None
    try:
        return zoneinfo.ZoneInfo(user.time_zone)  # cached by zoneinfo itself
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


class TimeZoneMiddleware:
    """Activate the logged-in person's time zone for the request (after authentication)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        zone = zone_of(getattr(request, "user", None))
        if zone is None:
            timezone.deactivate()
        else:
            timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()  # a worker thread's next request starts in UTC


class SignInSessionMiddleware:
    """Note when a signed-in session was last used, at most once an hour.

    The time of the last note is kept in the session itself, so a page view
    within the hour reads nothing more and writes nothing.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if hasattr(request, "session"):
            signin.seen(request=request)
        return response
