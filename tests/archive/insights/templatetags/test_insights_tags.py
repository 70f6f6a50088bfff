"""``insights_tags``: the works app's reading page shows the switch, the legend and coloured
dialogue through these tags, without importing the insights app."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory

from fanfold.archive.people.models import User
from fanfold.archive.works.models import Work
from tests.archive.insights.conftest import read_work

TEMPLATE = Template(
    "{% load insights_tags %}{% dialogue_colours work chapters as dialogue %}"
    "{% reading_tools dialogue %}{% for chapter in chapters %}"
    "{% dialogue_note chapter dialogue %}{% chapter_body chapter dialogue %}{% endfor %}"
)


def render(work: Work, user: object, cookies: dict[str, str] | None = None) -> str:
    request = RequestFactory().get(work.get_absolute_url())
    request.user = user  # type: ignore[assignment]
    request.COOKIES.update(cookies or {})
    chapters = list(work.chapters.filter(is_draft=False).order_by("position"))
    return TEMPLATE.render(Context({"request": request, "work": work, "chapters": chapters}))


def test_the_tags_show_the_chapters_as_they_are_until_a_reader_asks(
    author: User, reader: User
) -> None:
    work = read_work(author)
    plain = render(work, reader)
    assert "Colour dialogue by speaker" in plain
    assert f'href="/works/{work.pk}/characters/"' in plain
    assert "<em>ferry</em>" in plain
    assert 'class="said' not in plain
    reader.colour_dialogue = True
    coloured = render(work, reader)
    assert "Stop colouring dialogue" in coloured
    assert 'class="said said-0" title="Mara Quill"' in coloured
    assert render(work, AnonymousUser(), {"colour_dialogue": "1"}).count('class="said ') > 3


def test_the_tags_add_nothing_to_a_work_not_read(author: User, reader: User) -> None:
    work = read_work(author, analysed=False)
    reader.colour_dialogue = True
    shown = render(work, reader)
    assert "Colour dialogue" not in shown
    assert "Characters &amp; dialogue" not in shown
    assert "<em>ferry</em>" in shown
