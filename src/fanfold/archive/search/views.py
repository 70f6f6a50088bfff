"""Listings: the home page's recent works, and with the "Sort and Filter" sidebar all
works, the works of a tag and the works a reader bookmarked.

Views parse the query string, call the search selectors and render; a bad
value in the URL is shown next to its field, and the listing still runs
with the rest of the filter.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

from fanfold.archive.pages import found
from fanfold.archive.people import selectors as people_selectors
from fanfold.archive.reading import selectors as reading_selectors
from fanfold.archive.search import selectors
from fanfold.archive.search.feeds import filter_query
from fanfold.archive.search.filters import FilterError, WorkFilter
from fanfold.archive.search.forms import FilterForm, ReaderChoices
from fanfold.archive.search.selectors import Results
from fanfold.archive.tags.models import Tag
from fanfold.archive.tags.selectors import find_visible_tag
from fanfold.archive.works.models import Rating
from fanfold.archive.works.pagecache import listing_page


def _page_query(query: QueryDict, key: str, cursor: str | None, page_number: int) -> str | None:
    """The query string of a neighbouring page: the same filter, the cursor under ``key``.

    >>> _page_query(QueryDict("sort=title&after=x|1&page=2"), "before", "a|3", 1)
    'sort=title&page=1&before=a%7C3'
    """
    if cursor is None:
        return None
    neighbour = query.copy()
    for stale in ("after", "before"):
        neighbour.pop(stale, None)
    neighbour["page"] = str(page_number)
    neighbour[key] = cursor
    return neighbour.urlencode()


def _previous_page_query(query: QueryDict, cursor: str | None, page_number: int) -> str | None:
    """The page before: none for the first, the plain address (no cursor) for the second."""
    if cursor is None or page_number < 2:
        return None
    if page_number == 2:
        return filter_query(query)
    return _page_query(query, "before", cursor, page_number - 1)


TOO_MANY_VALUES = "The address held too many filter values; here are the works without them."


def render_listing(
    request: HttpRequest,
    *,
    base: WorkFilter,
    template: str,
    context: dict[str, Any],
    more: Callable[[Results], dict[str, Any]] | None = None,
) -> HttpResponse:
    """Run the reader's filter on top of the listing's own and render one page.

    ``more`` adds what a listing shows beside each work, read for the page's works at once.
    """
    messages: list[str] = []
    try:
        query = request.GET
    except TooManyFieldsSent:  # thousands of values: answer, rather than Django's bare 400
        query = QueryDict()
        messages.append(TOO_MANY_VALUES)
    form = FilterForm(query)
    form.is_valid()  # an invalid field is shown with its error; the rest still filters
    choices = form.choices()
    page_text = query.get("page", "1")
    page_number = int(page_text) if page_text.isdigit() and len(page_text) < 7 else 1
    try:
        results = selectors.find(
            choices,
            viewer=request.user,
            cursor_text=query.get("before") or query.get("after", ""),
            backward=bool(query.get("before")),
            base=base,
            messages=messages,
        )
    except FilterError as error:
        form.add_error(None, str(error))
        results = selectors.find(ReaderChoices(), viewer=request.user, base=base, messages=messages)
    if results.previous_cursor is None:  # nothing before it: the first page, whatever the URL said
        page_number = 1
    shown = {entry.tag.pk for _, entries in results.facets for entry in entries}
    chosen_ratings = set(choices.ratings)
    context.update(
        form=form,
        search_text=choices.query,  # kept in the header's search box (base.html)
        results=results,
        facet_groups=[
            (label, entries[: selectors.FACETS_SHOWN], entries[selectors.FACETS_SHOWN :])
            for label, entries in results.facets
        ],
        kept_includes=[tag for tag in results.included if tag.pk not in shown],
        kept_excludes=[tag for tag in results.excluded if tag.pk not in shown],
        rating_facets=[
            (value, label, results.rating_counts.get(value, 0), value in chosen_ratings)
            for value, label in Rating.choices
        ],
        page_number=page_number,
        next_query=_page_query(query, "after", results.next_cursor, page_number + 1),
        previous_query=_previous_page_query(query, results.previous_cursor, page_number),
        filter_query=filter_query(query),  # the first page's, and the feed's
    )
    if more is not None:
        context.update(more(results))
    return render(request, template, context)


@listing_page
def home(request: HttpRequest) -> HttpResponse:
    """The most recently updated works the reader may read."""
    works = selectors.recent_works(viewer=request.user)
    return render(request, "search/home.html", {"works": works})


@listing_page
def work_list(request: HttpRequest) -> HttpResponse:
    return render_listing(
        request, base=WorkFilter(), template="search/works.html", context={"tag": None}
    )


@listing_page
def tag_works(request: HttpRequest, type: str, name: str) -> HttpResponse:
    """A tag's page: its works, synonyms' and sub-tags' included, filterable like any listing."""
    tag: Tag = found(find_visible_tag(type=type, name=name, viewer=request.user), "tag")
    canonical = tag.merger or tag
    return render_listing(
        request,
        base=WorkFilter(include_tags=(canonical.pk,)),
        template="search/works.html",
        context={
            "tag": tag,
            "canonical": canonical,
            "tag_hidden": people_selectors.hides_tag(request.user, tag),
        },
    )


def bookmarks(request: HttpRequest, username: str) -> HttpResponse:
    """A reader's bookmarks: the works, filterable like any listing, each with its bookmark.

    Their own page shows their private bookmarks too; anyone else's, the
    public ones of works the viewer may read. Series bookmarks follow, unfiltered.
    """
    person = found(people_selectors.active_user(username=username), "reader")
    is_self = request.user.pk == person.pk

    def with_bookmarks(results: Results) -> dict[str, Any]:
        shown = reading_selectors.bookmarks_of_works(
            bookmarker=person, work_ids=[work.pk for work in results.works], viewer=request.user
        )
        return {
            "bookmarked": [
                (work, snippet, shown[work.pk])
                for work, snippet in results.entries
                if work.pk in shown
            ]
        }

    return render_listing(
        request,
        base=WorkFilter(bookmarker=person.pk, private_bookmarks=is_self),
        template="search/bookmarks.html",
        context={
            "person": person,
            "is_self": is_self,
            "series_bookmarks": reading_selectors.series_bookmarks(
                bookmarker=person, viewer=request.user
            ),
        },
        more=with_bookmarks,
    )
