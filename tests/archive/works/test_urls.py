"""The addresses of works, chapters, series and authors.

``fanfold.archive.works.urls`` promises the public paths readers bookmark
and share (``/works/12/``, ``/works/12/chapters/34/``, ``/series/5/``,
``/users/name/``): each named URL reverses to its path, and each path
resolves back to the view that serves it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import NoReverseMatch, resolve, reverse

from fanfold.archive.works import feeds, views
from fanfold.archive.works.urls import urlpatterns

ROUTES: list[tuple[str, list[Any], str, Callable[..., Any]]] = [
    ("works:new", [], "/works/new/", views.work_new),
    ("works:import", [], "/works/import/", views.work_import),
    ("works:import_preview", ["Ab_c-9"], "/works/import/Ab_c-9/", views.work_import_preview),
    ("works:import_cancel", ["Ab_c-9"], "/works/import/Ab_c-9/cancel/", views.work_import_cancel),
    ("works:work", [12], "/works/12/", views.work_detail),
    ("works:full", [12], "/works/12/full/", views.work_full),
    ("works:navigate", [12], "/works/12/navigate/", views.work_navigate),
    ("works:hit", [12], "/works/12/hit.gif", views.work_hit),
    ("works:download", [12, "epub"], "/works/12/download/epub/", views.work_download),
    ("works:edit", [12], "/works/12/edit/", views.work_edit),
    ("works:delete", [12], "/works/12/delete/", views.work_delete),
    ("works:post", [12], "/works/12/post/", views.work_post),
    ("works:hide", [12], "/works/12/hide/", views.work_hide),
    ("works:chapter_new", [12], "/works/12/chapters/new/", views.chapter_new),
    ("works:chapter_order", [12], "/works/12/chapters/order/", views.chapter_order),
    ("works:chapter", [12, 34], "/works/12/chapters/34/", views.chapter_detail),
    ("works:chapter_edit", [12, 34], "/works/12/chapters/34/edit/", views.chapter_edit),
    ("works:chapter_delete", [12, 34], "/works/12/chapters/34/delete/", views.chapter_delete),
    ("works:series", [5], "/series/5/", views.series_detail),
    ("works:series_edit", [5], "/series/5/edit/", views.series_edit),
    ("works:series_delete", [5], "/series/5/delete/", views.series_delete),
    ("works:toggle_notes", [], "/preferences/notes/", views.toggle_notes),
    ("works:author", ["lexie.grey"], "/users/lexie.grey/", views.author),
    ("works:work_feed", [12], "/works/12/feed/", feeds.WorkChaptersFeed),
    ("works:author_feed", ["lexie.grey"], "/users/lexie.grey/feed/", feeds.AuthorWorksFeed),
]


@pytest.mark.parametrize(("name", "args", "path", "view"), ROUTES, ids=[r[0] for r in ROUTES])
def test_a_named_url_reverses_to_its_public_path_and_back_to_its_view(
    name: str, args: list[Any], path: str, view: Callable[..., Any]
) -> None:
    assert reverse(name, args=args) == path
    match = resolve(path)
    assert match.view_name == name
    # A view function, or a feed: an instance of its class.
    assert match.func is view or (isinstance(view, type) and isinstance(match.func, view))
    assert match.args == ()
    assert list(match.kwargs.values()) == args


def test_every_route_of_the_app_is_in_the_table() -> None:
    assert {f"works:{p.name}" for p in urlpatterns} == {name for name, *_ in ROUTES}


@pytest.mark.parametrize(
    ("name", "args"),
    [("works:work", ["twelve"]), ("works:chapter", [12, "x"]), ("works:series", [-1])],
)
def test_a_work_chapter_or_series_is_addressed_by_number_only(name: str, args: list[Any]) -> None:
    with pytest.raises(NoReverseMatch):
        reverse(name, args=args)


def test_the_new_and_import_pages_are_not_read_as_work_numbers() -> None:
    assert resolve("/works/new/").func is views.work_new
    assert resolve("/works/import/").func is views.work_import
