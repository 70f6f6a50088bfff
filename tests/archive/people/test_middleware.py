"""Dates in the reader's own time zone.

``people.middleware.TimeZoneMiddleware`` promises that a logged-in person's
pages show times in the time zone of their settings, a guest's in UTC, and
that the zone is let go after each request.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fanfold.archive.people import signin
from fanfold.archive.people.middleware import TimeZoneMiddleware, zone_of
from fanfold.archive.people.models import SignInSession, User
from tests.archive.factories import PASSWORD, UserFactory
from tests.archive.people.test_signin import logged_in


def active_zone_during(user: object) -> str:
    seen: list[str] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(str(timezone.get_current_timezone()))
        return HttpResponse()

    request = RequestFactory().get("/")
    request.user = user  # type: ignore[assignment]
    TimeZoneMiddleware(view)(request)
    return seen[0]


def test_an_account_sees_its_zone_and_a_guest_utc() -> None:
    assert active_zone_during(User(time_zone="Asia/Kolkata")) == "Asia/Kolkata"
    assert active_zone_during(None) == "UTC"
    assert str(timezone.get_current_timezone()) == "UTC"  # let go afterwards


def test_a_zone_the_machine_does_not_know_falls_back_to_utc() -> None:
    assert zone_of(User(time_zone="Atlantis/Capital")) is None
    assert active_zone_during(User(time_zone="../../etc/passwd")) == "UTC"


def test_dates_on_a_page_are_shown_in_the_accounts_zone(db: None) -> None:
    person = UserFactory(username="kiri", time_zone="Pacific/Auckland")
    person.date_joined = datetime(2024, 1, 1, 20, 30, tzinfo=UTC)
    person.save()
    client = Client()
    client.force_login(person)
    page = client.get("/users/kiri/profile/").content.decode()
    assert "2024-01-02T09:30:00+13:00" in page  # 20:30 UTC is the next morning there
    assert "2024-01-01T20:30:00+00:00" in Client().get("/users/kiri/profile/").content.decode()


# When a signed-in session was last seen ---------------------------------------------


def test_a_session_is_seen_again_only_after_an_hour_and_pages_within_it_write_nothing(
    db: None,
) -> None:
    reader = UserFactory(username="reader")
    client = logged_in(reader)
    row = SignInSession.objects.get(user=reader)
    with CaptureQueriesContext(connection) as context:
        client.get("/settings/")
    writes = [
        q["sql"] for q in context.captured_queries if q["sql"].startswith(("UPDATE", "INSERT"))
    ]
    assert writes == []
    session = client.session
    session[signin.SEEN_KEY] -= signin.SEEN_EVERY + 1
    session.save()
    client.get("/settings/")
    row_after = SignInSession.objects.get(pk=row.pk)
    assert row_after.last_seen_at > row.last_seen_at


def test_a_password_change_keeps_the_session_listed_as_this_device(db: None) -> None:
    reader = UserFactory(username="reader")
    client = logged_in(reader)
    before = client.session.session_key
    client.post(
        "/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "x-lantern-9-quay",
            "new_password2": "x-lantern-9-quay",
        },
    )
    after = client.session.session_key
    assert after != before  # Django cycles the key
    assert list(SignInSession.objects.values_list("session_key", flat=True)) == [after]
