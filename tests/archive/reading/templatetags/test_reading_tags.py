"""``reading_tags``: the kudos and bookmark blocks work and series pages render without
the works app importing them."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory

from fanfold.archive.people.models import User
from fanfold.archive.reading import services
from fanfold.archive.reading.services import BookmarkFields
from fanfold.archive.works.models import Work
from fanfold.archive.works.services import create_series
from tests.archive.factories import make_work

TEMPLATE = Template("{% load reading_tags %}{% kudos work %}")


def render(work: object, user: object) -> str:
    request = RequestFactory().get("/")
    request.user = user  # type: ignore[assignment]
    return TEMPLATE.render(Context({"request": request, "work": work}))


def test_readers_get_the_button_and_the_author_does_not(author: User, reader: User) -> None:
    work = make_work(owner=author)
    assert "Kudos" in render(work, reader)
    assert "<button" in render(work, reader)
    assert "<button" in render(work, AnonymousUser())
    assert "<button" not in render(work, author)


def test_the_block_lists_who_left_kudos(author: User, reader: User) -> None:
    work = make_work(owner=author)
    assert "left kudos" not in render(work, reader)
    services.leave_kudos(work=work, user=reader)
    services.leave_kudos(work=work, guest="k1")
    work.refresh_from_db()  # a page reads its work: who left kudos is kept per version
    html = render(work, reader)
    assert ">reader</a>" in html
    assert "1 guest" in html
    assert "left kudos on this work!" in html


def render_tag(tag: str, target: object, user: object) -> str:
    request = RequestFactory().get("/works/1/")
    request.user = user  # type: ignore[assignment]
    template = Template("{% load reading_tags %}{% " + tag + " target %}")
    return template.render(Context({"request": request, "target": target}))


def test_the_subscribe_button_for_readers_only_and_unsubscribe_once_subscribed(
    author: User, reader: User
) -> None:
    work = make_work(owner=author)
    assert "Subscribe" in render_tag("subscribe", work, reader)
    assert 'name="next" value="/works/1/"' in render_tag("subscribe", work, reader)
    assert render_tag("subscribe", work, AnonymousUser()).strip() == ""
    assert render_tag("subscribe", work, author).strip() == ""
    assert render_tag("subscribe", author, author).strip() == ""
    services.subscribe(user=reader, target=author)
    assert "Unsubscribe" in render_tag("subscribe", author, reader)
    assert f"/users/{author.username}/subscribe/" in render_tag("subscribe", author, reader)


def test_mark_for_later_and_unmark(author: User, reader: User) -> None:
    work = make_work(owner=author)
    assert "Mark for later" in render_tag("mark_for_later", work, reader)
    services.mark_for_later(user=reader, work=work)
    assert "Unmark for later" in render_tag("mark_for_later", work, reader)
    assert render_tag("mark_for_later", work, AnonymousUser()).strip() == ""


# The bookmark form ------------------------------------------------------------

BOOKMARK = Template("{% load reading_tags %}{% bookmark work %}")
BOOKMARK_SERIES = Template("{% load reading_tags %}{% bookmark_series series %}")


def render_bookmark(work: Work, user: object) -> str:
    request = RequestFactory().get(f"/works/{work.pk}/")
    request.user = user  # type: ignore[assignment]
    return BOOKMARK.render(Context({"request": request, "work": work}))


def test_a_reader_gets_bookmark_then_edit_bookmark(author: User, reader: User) -> None:
    work = make_work(owner=author)
    html = render_bookmark(work, reader)
    assert "<summary>Bookmark</summary>" in html
    assert f'action="/works/{work.pk}/bookmark/"' in html
    assert "Delete bookmark" not in html
    services.save_bookmark(user=reader, work=work, fields=BookmarkFields(tags=("mine",)))
    html = render_bookmark(work, reader)
    assert "<summary>Edit bookmark</summary>" in html
    assert 'value="mine"' in html
    assert "Delete bookmark" in html


def test_a_stranger_is_asked_to_log_in_and_drafts_get_nothing(author: User) -> None:
    work = make_work(owner=author)
    assert f"/login/?next=/works/{work.pk}/" in render_bookmark(work, AnonymousUser())
    draft = make_work(owner=author, post=False)
    assert render_bookmark(draft, author).strip() == ""


def test_a_series_gets_its_own_bookmark_form(author: User, reader: User) -> None:
    series = create_series(owner=author, title="Seasons")
    request = RequestFactory().get("/")
    request.user = reader
    html = BOOKMARK_SERIES.render(Context({"request": request, "series": series}))
    assert f'action="/series/{series.pk}/bookmark/"' in html
