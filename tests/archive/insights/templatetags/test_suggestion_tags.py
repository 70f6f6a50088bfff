"""``suggestion_tags``: the works app's edit page shows the author's suggestions without
importing the insights app; nobody else is shown anything."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory

from fanfold.archive.people.models import User
from tests.archive.insights.test_suggestions import ferry_work
from tests.archive.tags.test_selectors import greys_canon

TEMPLATE = Template("{% load suggestion_tags %}{% tag_suggestions work %}")


def render(work: object, user: object) -> str:
    request = RequestFactory().get("/works/1/edit/")
    request.user = user  # type: ignore[assignment]
    return TEMPLATE.render(Context({"request": request, "work": work}))


def test_the_author_sees_the_panel_and_nobody_else_does(author: User, reader: User) -> None:
    greys_canon()
    work = ferry_work(author)
    html = render(work, author)
    assert "Suggested tags" in html
    assert "Derek Shepherd" in html
    assert 'name="next" value="/works/1/edit/"' in html
    assert render(work, reader).strip() == ""
    assert render(work, AnonymousUser()).strip() == ""


def test_the_panel_is_empty_when_reading_is_off(author: User) -> None:
    work = ferry_work(author, read=False, analysis_enabled=False)
    assert render(work, author).strip() == ""
