"""The "Your data" pages live under the settings."""

from __future__ import annotations

from django.urls import resolve, reverse

from fanfold.archive.personal_data import views


def test_the_pages_are_at_their_paths() -> None:
    assert reverse("personal_data:your_data") == "/settings/data/"
    assert resolve("/settings/data/").func is views.your_data
    assert reverse("personal_data:download", args=[3]) == "/settings/data/3/download/"
