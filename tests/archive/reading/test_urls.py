"""``reading.urls``: kudos are posted to the work's own path."""

from __future__ import annotations

from django.urls import resolve, reverse

from fanfold.archive.reading import views


def test_kudos_are_posted_to_the_works_path() -> None:
    assert reverse("reading:kudos", args=[7]) == "/works/7/kudos/"
    match = resolve("/works/7/kudos/")
    assert (match.func, match.kwargs) == (views.leave_kudos, {"work_id": 7})
