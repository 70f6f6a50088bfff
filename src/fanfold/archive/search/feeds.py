"""Atom feeds of listings, so a feed reader follows a fandom, a pairing or any filtered view.

A feed is its listing's address with ``feed/`` added, the query string
included: ``/tags/fandom/Good Omens/feed/?ratings=general`` follows what
``/tags/fandom/Good Omens/?ratings=general`` lists. The works are the
listing as a stranger sees it (synonyms' and sub-tags' works included), so
restricted, draft and hidden works never appear. Whatever the listing's
sort, a feed lists the newest updates first: that is what a feed reader
asks for. A filter value the form refuses is left out, as the listing
leaves it out.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from fanfold.archive.pages import found
from fanfold.archive.search import selectors
from fanfold.archive.search.filters import FilterError, WorkFilter
from fanfold.archive.search.forms import FilterForm, ReaderChoices
from fanfold.archive.tags.models import Tag
from fanfold.archive.tags.selectors import find_visible_tag
from fanfold.archive.works.models import Work

# Keys of a listing's address that are about its page, not what it lists.
PAGE_KEYS = ("after", "before", "page")


@dataclass(frozen=True)
class Listing:
    """What a feed follows: a tag's works or all works, and the reader's filter on them."""

    tag: Tag | None
    choices: ReaderChoices
    query: str  # the filter as a query string, page keys left out

    @property
    def base(self) -> WorkFilter:
        return WorkFilter(include_tags=(self.tag.pk,)) if self.tag else WorkFilter()


def filter_query(query: QueryDict) -> str:
    """A listing's query string without its page keys, for the feed's address and link.

    >>> filter_query(QueryDict("ratings=general&after=abc&page=2"))
    'ratings=general'
    """
    kept = query.copy()
    for key in PAGE_KEYS:
        kept.pop(key, None)
    return kept.urlencode()


def _listing(request: HttpRequest, tag: Tag | None) -> Listing:
    form = FilterForm(request.GET)
    form.is_valid()  # a refused field is left out; the rest still filters
    choices = replace(form.choices(), sort="updated")
    return Listing(tag=tag, choices=choices, query=filter_query(request.GET))


class WorksFeed(Feed[Work, Listing]):
    """All works, filtered as the reader's listing was."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest) -> Listing:
        return _listing(request, None)

    def title(self, obj: Listing) -> str:
        return "Works, filtered" if obj.query else "Works"

    def link(self, obj: Listing) -> str:
        address = reverse("search:works")
        return f"{address}?{obj.query}" if obj.query else address

    def items(self, obj: Listing) -> list[Work]:
        try:
            results = selectors.find(obj.choices, viewer=AnonymousUser(), base=obj.base)
        except FilterError:  # as the listing does: the works without the reader's filter
            results = selectors.find(
                ReaderChoices(sort="updated"), viewer=AnonymousUser(), base=obj.base
            )
        return results.works

    def item_title(self, item: Work) -> str:
        return f"{item.title} by {item.owner.username}"

    def item_description(self, item: Work) -> str:
        return item.summary or f"Chapters: {item.chapters_label}"

    def item_pubdate(self, item: Work) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Work) -> datetime | None:
        return item.updated_at


class TagWorksFeed(WorksFeed):
    """A tag's works (a synonym's feed is its canonical tag's), filtered as its page was."""

    def get_object(self, request: HttpRequest, type: str, name: str) -> Listing:  # type: ignore[override]
        tag: Tag = found(find_visible_tag(type=type, name=name, viewer=request.user), "tag")
        return _listing(request, tag.merger or tag)

    def title(self, obj: Listing) -> str:
        assert obj.tag is not None
        return f"Works in {obj.tag.name}" + (", filtered" if obj.query else "")

    def link(self, obj: Listing) -> str:
        assert obj.tag is not None
        address = obj.tag.get_absolute_url()
        return f"{address}?{obj.query}" if obj.query else address
