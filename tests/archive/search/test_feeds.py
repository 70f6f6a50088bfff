"""``search.feeds``: a tag's works as an Atom feed, synonyms' too, as strangers see them."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from django.test import Client
from django.urls import reverse

from fanfold.archive.people.models import User
from fanfold.archive.tags import services as tag_services
from fanfold.archive.tags.models import Tag, TagType
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
