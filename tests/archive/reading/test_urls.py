"""``reading.urls``: kudos and bookmarks are posted to the work's (or series') own path."""

from __future__ import annotations

from django.urls import resolve, reverse

from fanfold.archive.reading import views


def test_kudos_are_posted_to_the_works_path() -> None:
    assert reverse("reading:kudos", args=[7]) == "/works/7/kudos/"
    match = resolve("/works/7/kudos/")
    assert (match.func, match.kwargs) == (views.leave_kudos, {"work_id": 7})


def test_subscriptions_and_history_have_plain_paths() -> None:
    assert reverse("reading:subscribe_work", args=[7]) == "/works/7/subscribe/"
    assert reverse("reading:subscribe_series", args=[3]) == "/series/3/subscribe/"
    assert reverse("reading:subscribe_author", args=["kit"]) == "/users/kit/subscribe/"
    assert reverse("reading:mark_for_later", args=[7]) == "/works/7/later/"
    assert resolve("/history/").func == views.history
    assert resolve("/history/later/clear/").func == views.clear_later
    assert resolve("/subscriptions/").func == views.subscriptions


def test_bookmarks_live_under_the_work_and_the_series() -> None:
    assert reverse("reading:bookmark_work", args=[7]) == "/works/7/bookmark/"
    assert reverse("reading:delete_work_bookmark", args=[7]) == "/works/7/bookmark/delete/"
    assert reverse("reading:work_bookmarks", args=[7]) == "/works/7/bookmarks/"
    assert reverse("reading:bookmark_series", args=[3]) == "/series/3/bookmark/"
    assert reverse("reading:delete_series_bookmark", args=[3]) == "/series/3/bookmark/delete/"
    assert resolve("/works/7/bookmarks/").func == views.work_bookmarks
