"""The moderation URLs resolve to their views."""

from __future__ import annotations

from django.urls import resolve, reverse

from fanfold.archive.moderation import views


def test_the_pages_have_their_addresses() -> None:
    assert reverse("moderation:queue") == "/moderation/"
    assert reverse("moderation:log") == "/moderation/log/"
    assert resolve("/report/works/3/").func is views.report_work
    assert resolve("/report/users/kit/").func is views.report_person
    assert resolve("/moderation/comments/4/").func is views.moderate_comment
