"""``search.feeds``: a listing's works as an Atom feed (a tag's, or all works), filtered as the
listing is, synonyms' too, as strangers see them, newest updates first."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta

from django.test import Client
from django.urls import reverse

from fanfold.archive.people.models import User
from fanfold.archive.search.indexing import index_works
from fanfold.archive.tags import services as tag_services
from fanfold.archive.tags.models import Tag, TagType
from fanfold.archive.works.models import Rating, Work
from tests.archive.factories import make_work

ATOM = "{http://www.w3.org/2005/Atom}"
FANDOM = "Tidewright Lamps"


def entries(client: Client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    feed = ET.fromstring(response.content)
    return sorted(entry.findtext(f"{ATOM}title", "") for entry in feed.iter(f"{ATOM}entry"))


def test_a_tags_feed_lists_the_works_anyone_may_read(as_reader: Client, author: User) -> None:
    tags = {TagType.FANDOM: [FANDOM]}
    make_work(owner=author, title="Salt", tags=tags)
    make_work(owner=author, title="Members", tags=tags, restricted=True)
    make_work(owner=author, title="Draft", tags=tags, post=False)
    make_work(owner=author, title="Elsewhere", tags={TagType.FANDOM: ["Other Seas"]})
    url = reverse("search:tag_feed", args=["fandom", FANDOM])
    assert entries(as_reader, url) == ["Salt by author"]


def test_a_synonyms_feed_is_its_canonical_tags_feed(
    client: Client, author: User, admin: User
) -> None:
    make_work(owner=author, title="Salt", tags={TagType.FANDOM: [FANDOM]})
    make_work(owner=author, title="Iron", tags={TagType.FANDOM: ["Lamps (Tidewright)"]})
    canonical = Tag.objects.get(name=FANDOM)
    synonym = Tag.objects.get(name="Lamps (Tidewright)")
    tag_services.make_synonym(tag=synonym, of=canonical, by=admin)
    url = reverse("search:tag_feed", args=["fandom", "Lamps (Tidewright)"])
    assert entries(client, url) == ["Iron by author", "Salt by author"]


def test_the_tag_page_links_its_feed(client: Client, author: User) -> None:
    make_work(owner=author, tags={TagType.FANDOM: [FANDOM]})
    page = client.get(reverse("search:tag", args=["fandom", FANDOM])).content.decode()
    assert reverse("search:tag_feed", args=["fandom", FANDOM]) in page


def test_an_unknown_tags_feed_is_not_found(client: Client, db: None) -> None:
    assert client.get(reverse("search:tag_feed", args=["fandom", "Nowhere"])).status_code == 404


def test_a_tags_feed_keeps_the_listings_filter(client: Client, author: User) -> None:
    make_work(owner=author, title="Salt", tags={TagType.FANDOM: [FANDOM]})
    make_work(owner=author, title="Storm", tags={TagType.FANDOM: [FANDOM]}, rating=Rating.EXPLICIT)
    url = reverse("search:tag_feed", args=["fandom", FANDOM]) + "?ratings=explicit"
    assert entries(client, url) == ["Storm by author"]


def test_all_works_have_a_filtered_feed_the_listing_links(client: Client, author: User) -> None:
    make_work(owner=author, title="Salt", tags={TagType.FANDOM: [FANDOM]})
    make_work(owner=author, title="Iron", tags={TagType.FANDOM: ["Other Seas"]})
    make_work(owner=author, title="Members", tags={TagType.FANDOM: [FANDOM]}, restricted=True)
    fandom = Tag.objects.get(name=FANDOM)
    query = f"include={fandom.pk}&sort=title"
    assert entries(client, f"{reverse('search:works_feed')}?{query}") == ["Salt by author"]
    assert entries(client, reverse("search:works_feed")) == ["Iron by author", "Salt by author"]
    page = client.get(f"{reverse('search:works')}?{query}&page=2&after=x").content.decode()
    assert f'href="{reverse("search:works_feed")}?include={fandom.pk}&amp;sort=title"' in page


def test_a_feed_lists_newest_updates_first_whatever_the_listings_sort(
    client: Client, author: User
) -> None:
    first = make_work(owner=author, title="Alpha")
    second = make_work(owner=author, title="Beta")
    Work.objects.filter(pk=first.pk).update(updated_at=second.updated_at + timedelta(days=1))
    index_works([first.pk])
    response = client.get(f"{reverse('search:works_feed')}?sort=title")
    feed = ET.fromstring(response.content)
    titles = [entry.findtext(f"{ATOM}title", "") for entry in feed.iter(f"{ATOM}entry")]
    assert titles == ["Alpha by author", "Beta by author"]
    links = [link.get("href", "") for link in feed.iter(f"{ATOM}link")]
    assert any(link.endswith(f"{reverse('search:works')}?sort=title") for link in links)


def test_a_bad_filter_in_a_feeds_address_is_left_out(client: Client, author: User) -> None:
    make_work(owner=author, title="Salt")
    assert entries(client, f"{reverse('search:works_feed')}?ratings=nonsense") == ["Salt by author"]


def test_a_filtered_tag_page_links_the_feed_of_its_view(client: Client, author: User) -> None:
    make_work(owner=author, tags={TagType.FANDOM: [FANDOM]})
    url = reverse("search:tag", args=["fandom", FANDOM])
    page = client.get(f"{url}?ratings=general").content.decode()
    feed = reverse("search:tag_feed", args=["fandom", FANDOM])
    assert f'{feed}?ratings=general">Atom feed of this view' in page
