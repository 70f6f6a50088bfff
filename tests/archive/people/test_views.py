"""A reader mutes authors and hides tags: listings, counts and facets leave them out."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from fanfold.archive.people.models import User
from fanfold.archive.tags import services as tag_services
from fanfold.archive.tags.models import Tag, TagType
from tests.archive.factories import UserFactory, make_work

LIST = reverse("search:works")


def titles(page: str) -> list[str]:
    return sorted(re.findall(r'<h3 id="work-\d+-title"><a [^>]*>([^<]+)</a>', page))


@pytest.fixture
def shelf(author: User) -> User:
    other = UserFactory(username="other")
    tags = {TagType.WARNING: ["No Archive Warnings Apply"], TagType.FANDOM: ["Harbour"]}
    make_work(owner=author, title="Mine Calm", tags=tags)
    make_work(owner=author, title="Mine Sad", tags={**tags, TagType.FREEFORM: ["Angst"]})
    make_work(owner=other, title="Theirs", tags=tags)
    return other


def test_a_muted_authors_works_leave_listings_counts_and_facets(
    as_reader: Client, shelf: User
) -> None:
    as_reader.post(reverse("people:mute", args=["other"]))
    page = as_reader.get(LIST).content.decode()
    assert titles(page) == ["Mine Calm", "Mine Sad"]
    assert "2 works" in page
    assert re.search(r"Harbour <span class=\"facet-count\">\(2\)", page)
    home = as_reader.get(reverse("search:home")).content.decode()
    assert "Theirs" not in home
    # Their own page still shows them, with a way back.
    author_page = as_reader.get(reverse("works:author", args=["other"])).content.decode()
    assert "Theirs" in author_page
    assert "Unmute other" in author_page
    as_reader.post(reverse("people:mute", args=["other"]), {"undo": "1"})
    assert "Theirs" in as_reader.get(LIST).content.decode()


def test_a_hidden_tag_leaves_every_listing_including_a_synonyms_works(
    as_reader: Client, shelf: User, author: User
) -> None:
    make_work(
        owner=author,
        title="Tagged Sad",
        tags={TagType.FANDOM: ["Harbour"], TagType.FREEFORM: ["Sad"]},
    )
    wrangler = UserFactory(username="wrangler", is_superuser=True)
    tag_services.make_synonym(
        tag=Tag.objects.get(name="Sad"), of=Tag.objects.get(name="Angst"), by=wrangler
    )
    as_reader.post(reverse("people:hide_tag", args=["freeform", "Sad"]))
    assert titles(as_reader.get(LIST).content.decode()) == ["Mine Calm", "Theirs"]
    harbour = reverse("search:tag", args=["fandom", "Harbour"])
    assert titles(as_reader.get(harbour).content.decode()) == ["Mine Calm", "Theirs"]
    hidden_page = as_reader.get(reverse("people:hidden")).content.decode()
    assert "Angst" in hidden_page  # hiding a synonym hides its canonical tag


def test_nobody_mutes_themselves_and_strangers_cannot_mute(
    as_author: Client, as_stranger: Client, shelf: User
) -> None:
    as_author.post(reverse("people:mute", args=["author"]))
    assert "Mine Calm" in as_author.get(LIST).content.decode()
    response = as_stranger.post(reverse("people:mute", args=["other"]))
    assert response.status_code == 302
    assert reverse("people:login") in response["Location"]
    assert as_stranger.get(reverse("people:hidden")).status_code == 302


def test_muting_needs_a_post(as_reader: Client, shelf: User) -> None:
    assert as_reader.get(reverse("people:mute", args=["other"])).status_code == 405
    assert "Theirs" in as_reader.get(LIST).content.decode()
