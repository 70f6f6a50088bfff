"""``page_holes``: a reader's own parts left as markers in a kept shell, filled per answer."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.test import RequestFactory

from fanfold.archive.people.models import User
from fanfold.archive.works.templatetags import page_holes

PAGE = Template(
    '{% load page_holes %}<main>{% hole "includes/_messages.html" %}'
    '{% hole "includes/_account_nav.html" number %}</main>'
)


def _request(user: object, *, shell: bool) -> object:
    request = RequestFactory().get("/works/1/")
    request.user = user
    request.session = {}
    setattr(request, page_holes.SHELL, shell)
    return request


def test_a_hole_renders_in_place_when_the_page_is_not_a_shell(reader: User) -> None:
    request = _request(reader, shell=False)
    html = PAGE.render(Context({"request": request, "user": reader, "number": 7}))
    assert f">{reader.username}</a>" in html
    assert "fanfold-hole" not in html


def test_a_shell_leaves_markers_and_keeps_the_values_its_holes_name(reader: User) -> None:
    request = _request(reader, shell=True)
    shell = PAGE.render(Context({"request": request, "user": reader, "number": 7}))
    assert shell == (
        "<main><!--fanfold-hole:includes/_messages.html-->"
        "<!--fanfold-hole:includes/_account_nav.html--></main>"
    )
    assert getattr(request, page_holes.VALUES) == {"number": 7}
    setattr(request, page_holes.SHELL, False)
    filled = page_holes.fill(shell, request, {})
    assert f">{reader.username}</a>" in filled
    assert "fanfold-hole" not in filled


def test_each_reader_gets_their_own_holes_in_the_same_shell(reader: User, author: User) -> None:
    shell = PAGE.render(Context({"request": _request(reader, shell=True), "user": reader}))
    for user, other in [(reader, author), (author, reader)]:
        filled = page_holes.fill(shell, _request(user, shell=False), {})
        assert f">{user.username}</a>" in filled
        assert f">{other.username}</a>" not in filled


def test_a_hole_names_a_template_and_plain_variables() -> None:
    with pytest.raises(TemplateSyntaxError, match="template name"):
        Template("{% load page_holes %}{% hole name %}")
    with pytest.raises(TemplateSyntaxError, match="plain variable"):
        Template('{% load page_holes %}{% hole "includes/_messages.html" a.b %}')


def test_a_page_without_holes_is_given_back_as_it_is() -> None:
    assert page_holes.fill("<p>x</p>", SimpleNamespace(), {}) == "<p>x</p>"
