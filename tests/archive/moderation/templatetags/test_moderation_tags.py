"""The "Report" and "Moderate" links other apps' templates show."""

from __future__ import annotations

from django.template import Context, Template
from django.test import RequestFactory

from fanfold.archive.people.models import User
from fanfold.archive.works.models import Work


def render(text: str, user: User, **context: object) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load moderation_tags %}" + text).render(
        Context({"request": request} | context)
    )


def test_readers_see_report_and_moderators_also_moderate(
    work: Work, reader: User, admin: User
) -> None:
    shown = render("{% report_link work %}", reader, work=work)
    assert f"/report/works/{work.pk}/" in shown
    assert "Moderate" not in shown
    shown = render("{% report_link person %}", admin, person=reader)
    assert "/report/users/reader/" in shown
    assert "/moderation/users/reader/" in shown


def test_a_comments_links_read_staff_from_the_comments_context(
    reader: User, comment: object
) -> None:
    template = Template("{% load moderation_tags %}{% report_comment_link comment %}")
    staff = template.render(Context({"comment": comment, "is_staff": True}))
    assert "/moderation/comments/" in staff
    assert "/moderation/" not in template.render(Context({"comment": comment, "is_staff": False}))
