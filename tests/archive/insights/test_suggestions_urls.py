"""``insights.suggestions_urls``: a suggestion is added at the work's own path."""

from __future__ import annotations

from django.urls import resolve, reverse

from fanfold.archive.insights import suggestions_views


def test_a_suggestion_is_added_under_the_work() -> None:
    assert reverse("suggestions:add", args=[7]) == "/works/7/suggestions/add/"
    match = resolve("/works/7/suggestions/add/")
    assert (match.func, match.kwargs) == (suggestions_views.add_suggestion, {"work_id": 7})
