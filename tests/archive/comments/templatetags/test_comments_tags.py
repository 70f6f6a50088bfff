"""``comments_tags``: the comments section under a work's text, for the chapters shown."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory

from fanfold.archive.comments.services import post_comment
from fanfold.archive.comments.templatetags.comments_tags import page_number
from fanfold.archive.people.models import User
from fanfold.archive.works.models import CommentPermission, Work


def render(work: Work, viewer: User | AnonymousUser, query: str = "", **context: object) -> str:
    request = RequestFactory().get(f"/works/{work.pk}/{query}")
    request.user = viewer
    template = Template(
        "{% load comments_tags %}{% comments_scope as scope %}{% comments work scope %}"
    )
    return template.render(Context({"request": request, "work": work, **context}))


def test_one_chapter_of_several_shows_its_comments_and_a_form_for_it(
    work: Work, reader: User
) -> None:
    one, two = work.chapters.order_by("position")
    post_comment(work=work, chapter=one, user=reader, body="On one.")
    post_comment(work=work, chapter=two, user=reader, body="On two.")
    html = render(work, reader, chapters=[one], all_chapters=[one, two])
    assert "On one." in html
    assert "On two." not in html
    assert "Comment on this chapter" in html
    assert f'name="chapter" value="{one.pk}"' in html


def test_all_chapters_show_every_comment_and_take_whole_work_comments(
    work: Work, reader: User
) -> None:
    one, two = work.chapters.order_by("position")
    post_comment(work=work, chapter=two, user=reader, body="On two.")
    html = render(work, reader, chapters=[one, two], all_chapters=[one, two])
    assert "On two." in html
    assert f'on <a href="{two.get_absolute_url()}">' in html
    assert "Comment on the whole work" in html


def test_a_closed_work_says_so_instead_of_a_form(work: Work, reader: User) -> None:
    Work.objects.filter(pk=work.pk).update(comment_permission=CommentPermission.NOBODY)
    work.refresh_from_db()
    html = render(work, AnonymousUser(), chapters=list(work.chapters.all()))
    assert "The author has closed comments on this work." in html
    assert "<textarea" not in html
    assert "No comments yet." in html


def test_the_page_number_comes_from_the_query(work: Work, reader: User) -> None:
    assert render(work, reader, "?comments=abc", chapters=[]).count("No comments yet.") == 1
    assert page_number("2") == 2
