"""An Atom feed of a tag's works, so a feed reader follows a fandom or a pairing.

The works are the tag's listing as a stranger sees it (synonyms' and
sub-tags' works included), newest first: restricted, draft and hidden works
never appear.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils.feedgenerator import Atom1Feed

from fanfold.archive.pages import found
from fanfold.archive.search import selectors
from fanfold.archive.search.filters import WorkFilter
from fanfold.archive.search.forms import ReaderChoices
from fanfold.archive.tags.models import Tag
from fanfold.archive.tags.selectors import find_tag
from fanfold.archive.works.models import Work


class TagWorksFeed(Feed[Work, Tag]):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, type: str, name: str) -> Tag:
        tag: Tag = found(find_tag(type=type, name=name), "tag")
        return tag.merger or tag

    def title(self, obj: Tag) -> str:
        return f"Works in {obj.name}"

    def link(self, obj: Tag) -> str:
        return obj.get_absolute_url()

    def items(self, obj: Tag) -> list[Work]:
        results = selectors.find(
            ReaderChoices(), viewer=AnonymousUser(), base=WorkFilter(include_tags=(obj.pk,))
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
