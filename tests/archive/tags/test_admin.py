"""The admin for tags.

``tags.admin`` promises that an admin editing or deleting tags directly
(not through the wrangling services) keeps listings, searches and counts
honest, as wrangling does, and cannot set the counters the index keeps.
"""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from fanfold.archive.people.models import User
from fanfold.archive.search.indexing import works_finding
from fanfold.archive.tags import services
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


def _under_marvel(author: User, admin: User, *fandoms: str) -> Tag:
    """Works tagged with each fandom, each fandom a sub-tag of "Marvel"."""
    marvel = Tag.objects.create(type=TagType.FANDOM, name="Marvel")
    for fandom in fandoms:
        make_work(owner=author, title=fandom, tags={TagType.FANDOM: [fandom]})
        services.add_meta_tag(sub=Tag.objects.get(name=fandom), meta=marvel, by=admin)
    marvel.refresh_from_db()
    assert marvel.listed_count == len(fandoms)
    return marvel


def test_a_sub_tag_deleted_in_the_admin_takes_its_works_from_the_meta_tags_filter(
    author: User, admin: User, as_admin: Client
) -> None:
    marvel = _under_marvel(author, admin, "MCU")
    mcu = Tag.objects.get(name="MCU")
    response = as_admin.post(reverse("admin:tags_tag_delete", args=[mcu.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert works_finding(marvel) == []
    marvel.refresh_from_db()
    assert (marvel.listed_count, marvel.member_count) == (0, 0)


def test_sub_tags_deleted_together_in_the_admin_take_their_works_from_the_filter(
    author: User, admin: User, as_admin: Client
) -> None:
    marvel = _under_marvel(author, admin, "MCU", "X-Men")
    selected = Tag.objects.filter(name__in=["MCU", "X-Men"]).values_list("pk", flat=True)
    response = as_admin.post(
        reverse("admin:tags_tag_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [str(pk) for pk in selected],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert works_finding(marvel) == []
    marvel.refresh_from_db()
    assert marvel.listed_count == 0
