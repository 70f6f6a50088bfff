"""A tag's page: the works tagged with it."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fanfold.archive.tags.selectors import get_tag
from fanfold.archive.works import selectors as work_selectors

WORKS_PER_PAGE = 20


def tag_works(request: HttpRequest, type: str, name: str) -> HttpResponse:
    tag = get_tag(type=type, name=name)
    works = work_selectors.works_with_tag(tag=tag, viewer=request.user)
    page = Paginator(works, WORKS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "tags/tag.html", {"tag": tag, "page": page, "works": page.object_list})
