"""The inbox's address: ``/inbox/``, leading to its one view."""

from __future__ import annotations

from django.urls import resolve, reverse

from fanfold.archive.inbox import views


def test_the_inbox_is_at_its_public_path() -> None:
    assert reverse("inbox:inbox") == "/inbox/"
    assert resolve("/inbox/").func is views.inbox
