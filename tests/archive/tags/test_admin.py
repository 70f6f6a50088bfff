"""An admin editing a tag directly keeps listings and counts honest, as wrangling does."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from fanfold.archive.people.models import User
from fanfold.archive.tags.models import Tag, TagType
from tests.archive.factories import make_work


def _change(as_admin: Client, tag: Tag, **fields: object) -> None:
    data = {
        "type": tag.type,
        "name": tag.name,
        "media": tag.media,
        "merger": "",
        "meta_tags": [],
        "parents": [],
        **fields,
    }
    response = as_admin.post(reverse("admin:tags_tag_change", args=[tag.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]


def test_a_synonym_made_in_the_admin_is_found_under_its_canonical_tag(
    author: User, as_admin: Client, as_stranger: Client
) -> None:
    work = make_work(owner=author, tags={TagType.CHARACTER: ["Lex Grey"], TagType.FANDOM: ["GA"]})
    make_work(owner=author, tags={TagType.CHARACTER: ["Lexie Grey"], TagType.FANDOM: ["GA"]})
    lex = Tag.objects.get(name="Lex Grey")
    lexie = Tag.objects.get(name="Lexie Grey")
    _change(as_admin, lex, merger=str(lexie.pk))
    page = as_stranger.get(lexie.get_absolute_url())
    assert work.pk in [w.pk for w in page.context["results"].works]
    lexie.refresh_from_db()
    assert lexie.listed_count == 2


def test_a_tag_renamed_in_the_admin_is_searched_by_its_new_name(
    author: User, as_admin: Client, as_stranger: Client
) -> None:
    work = make_work(owner=author, tags={TagType.FREEFORM: ["Slow Brun"], TagType.FANDOM: ["GA"]})
    _change(as_admin, Tag.objects.get(name="Slow Brun"), name="Slow Burn")
    found = as_stranger.get(reverse("search:works"), {"q": 'tag:"slow burn"'})
    assert [w.pk for w in found.context["results"].works] == [work.pk]


def test_the_admin_cannot_set_a_tags_counters(author: User, as_admin: Client) -> None:
    make_work(owner=author, tags={TagType.FANDOM: ["GA"]})
    tag = Tag.objects.get(name="GA")
    _change(as_admin, tag, listed_count="999", member_count="999")
    tag.refresh_from_db()
    assert (tag.listed_count, tag.member_count) == (1, 1)
