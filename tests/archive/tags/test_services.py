"""Writes to tags: the tags a work is given, and how wranglers organise them.

``tags.services`` promises that the tags a work is given are found
whatever their case or spacing, made when missing, and refused when too
long; that only wranglers change how tags are organised; that a synonym
points at a canonical tag of its own type, never at another synonym; that
meta tags never loop; that parents are fandoms and media belong to
fandoms; and that after each change the filters and counts of the tags it
touched follow at once.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from fanfold.archive.people.models import User
from fanfold.archive.tags import services
from fanfold.archive.tags.models import Media, Tag, TagType
from fanfold.archive.works.pagecache import page_cache
from tests.archive.factories import make_work

pytestmark = pytest.mark.django_db

TAGS = {
    TagType.WARNING: ["No Archive Warnings Apply"],
    TagType.FANDOM: ["Grey's Anatomy"],
    TagType.CHARACTER: ["Lex Grey"],
}


def tag(name: str, tag_type: TagType = TagType.CHARACTER) -> Tag:
    return Tag.objects.create(type=tag_type, name=name)


def tag_named(name: str) -> Tag:
    return Tag.objects.get(name=name)


def titles_under(client: Client, tag: Tag) -> list[str]:
    # The listings' version moves once a change commits, which a test's transaction never does.
    page_cache().clear()
    page = client.get(tag.get_absolute_url())
    return sorted(work.title for work in page.context["results"].works)


# The tags a work is given ---------------------------------------------------


def test_a_works_tags_are_found_whatever_their_case_or_spacing_and_made_when_missing() -> None:
    lexie = tag("Lexie Grey")
    found = services.find_or_create_tags(
        names_by_type={
            TagType.CHARACTER: ["  lexie   GREY", "Mark Sloan", "Mark Sloan ", ""],
            TagType.FANDOM: ["Lexie Grey"],
        }
    )
    assert [(t.type, t.name) for t in found] == [
        ("character", "Lexie Grey"),
        ("character", "Mark Sloan"),
        ("fandom", "Lexie Grey"),
    ]
    assert found[0] == lexie
    assert Tag.objects.count() == 3


def test_a_tag_name_over_the_limit_is_refused_and_nothing_is_made() -> None:
    with pytest.raises(ValidationError, match="at most 150 characters"):
        services.find_or_create_tags(names_by_type={TagType.FREEFORM: ["x" * 151]})
    assert not Tag.objects.exists()


# Who may wrangle ------------------------------------------------------------


def test_only_wranglers_and_superusers_change_how_tags_are_organised(
    wrangler: User, admin: User, reader: User
) -> None:
    lex, lexie = tag("Lex Grey"), tag("Lexie Grey")
    with pytest.raises(PermissionDenied):
        services.make_synonym(tag=lex, of=lexie, by=reader)
    with pytest.raises(PermissionDenied):
        services.set_canonical(tag=lexie, by=reader, canonical=True)
    assert (tag_named("Lex Grey").merger, tag_named("Lexie Grey").is_canonical) == (None, False)
    services.set_canonical(tag=lexie, by=wrangler, canonical=True)
    services.make_synonym(tag=lex, of=lexie, by=admin)
    assert tag_named("Lex Grey").merger == lexie


@pytest.mark.parametrize(
    "change",
    [
        lambda a, b, by: services.remove_synonym(tag=a, by=by),
        lambda a, b, by: services.add_meta_tag(sub=a, meta=b, by=by),
        lambda a, b, by: services.remove_meta_tag(sub=a, meta=b, by=by),
        lambda a, b, by: services.add_parent(child=a, parent=b, by=by),
        lambda a, b, by: services.remove_parent(child=a, parent=b, by=by),
        lambda a, b, by: services.set_media(fandom=b, media=Media.TV, by=by),
    ],
    ids=["remove_synonym", "add_meta", "remove_meta", "add_parent", "remove_parent", "media"],
)
def test_every_wrangling_change_is_refused_to_a_reader(
    reader: User, change: Callable[[Tag, Tag, User], object]
) -> None:
    sub, fandom = tag("GA", TagType.FANDOM), tag("Grey's Anatomy", TagType.FANDOM)
    with pytest.raises(PermissionDenied):
        change(sub, fandom, reader)


# Canonical tags and synonyms --------------------------------------------------


def test_a_synonym_cannot_be_made_canonical(wrangler: User) -> None:
    lexie = tag("Lexie Grey")
    lex = tag("Lex Grey")
    services.make_synonym(tag=lex, of=lexie, by=wrangler)
    with pytest.raises(ValidationError, match="is a synonym of “Lexie Grey”"):
        services.set_canonical(tag=lex, by=wrangler, canonical=True)
    services.set_canonical(tag=lexie, by=wrangler, canonical=False)
    assert not tag_named("Lexie Grey").is_canonical


def test_making_a_synonym_makes_its_target_canonical_and_itself_not(wrangler: User) -> None:
    lex, lexie = tag("Lex Grey"), tag("Lexie Grey")
    services.set_canonical(tag=lex, by=wrangler, canonical=True)
    services.make_synonym(tag=lex, of=lexie, by=wrangler)
    lex, lexie = tag_named("Lex Grey"), tag_named("Lexie Grey")
    assert (lex.merger, lex.is_canonical, lexie.is_canonical) == (lexie, False, True)


def test_a_tags_synonyms_move_with_it_so_no_synonym_points_at_a_synonym(wrangler: User) -> None:
    lexie, lex, lexi = tag("Lexie Grey"), tag("Lex Grey"), tag("Lexi")
    services.make_synonym(tag=lexi, of=lex, by=wrangler)
    services.make_synonym(tag=lex, of=lexie, by=wrangler)
    assert sorted(lexie.synonyms.values_list("name", flat=True)) == ["Lex Grey", "Lexi"]
    assert not tag_named("Lex Grey").synonyms.exists()


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("itself", "cannot take synonyms"),
        ("a synonym", "cannot take synonyms"),
        ("another type", "a tag of the same type"),
    ],
)
def test_a_synonym_needs_a_canonical_tag_of_its_own_type(
    wrangler: User, target: str, message: str
) -> None:
    lex, lexie, lexi = tag("Lex Grey"), tag("Lexie Grey"), tag("Lexi")
    services.make_synonym(tag=lexi, of=lexie, by=wrangler)
    of = {"itself": lex, "a synonym": lexi, "another type": tag("Lexie", TagType.FREEFORM)}
    with pytest.raises(ValidationError, match=message):
        services.make_synonym(tag=lex, of=of[target], by=wrangler)
    assert tag_named("Lex Grey").merger is None


def test_a_synonym_finds_its_canonicals_works_and_moves_the_counts(
    wrangler: User, as_stranger: Client, author: User
) -> None:
    make_work(owner=author, title="Tagged Lex", tags=TAGS)
    make_work(owner=author, title="Tagged Lexie", tags={**TAGS, TagType.CHARACTER: ["Lexie Grey"]})
    lexie = tag_named("Lexie Grey")
    assert titles_under(as_stranger, lexie) == ["Tagged Lexie"]

    services.make_synonym(tag=tag_named("Lex Grey"), of=lexie, by=wrangler)
    assert titles_under(as_stranger, lexie) == ["Tagged Lex", "Tagged Lexie"]
    lexie.refresh_from_db()
    assert (lexie.listed_count, lexie.member_count) == (2, 2)
    # The synonym's own page lists the canonical's works too, and says whose synonym it is.
    synonym_page = as_stranger.get(reverse("search:tag", args=["character", "Lex Grey"]))
    assert "a synonym of" in synonym_page.content.decode()
    assert "Tagged Lexie<" in synonym_page.content.decode()

    services.remove_synonym(tag=tag_named("Lex Grey"), by=wrangler)
    assert titles_under(as_stranger, lexie) == ["Tagged Lexie"]
    lexie.refresh_from_db()
    assert lexie.listed_count == 1


# Meta tags, parents and media ---------------------------------------------------


def test_a_meta_tag_finds_works_of_its_sub_tags(
    wrangler: User, as_stranger: Client, author: User
) -> None:
    make_work(owner=author, title="An MCU story", tags={**TAGS, TagType.FANDOM: ["MCU"]})
    marvel = tag("Marvel", TagType.FANDOM)
    services.set_canonical(tag=marvel, by=wrangler, canonical=True)  # its page stays when empty
    services.add_meta_tag(sub=tag_named("MCU"), meta=marvel, by=wrangler)
    marvel.refresh_from_db()
    assert marvel.listed_count == 1
    assert titles_under(as_stranger, marvel) == ["An MCU story"]
    # and out again
    services.remove_meta_tag(sub=tag_named("MCU"), meta=marvel, by=wrangler)
    marvel.refresh_from_db()
    assert marvel.listed_count == 0
    assert titles_under(as_stranger, marvel) == []


def test_meta_tags_never_loop_however_far_up(wrangler: User) -> None:
    mcu, marvel, disney = (tag(name, TagType.FANDOM) for name in ["MCU", "Marvel", "Disney"])
    services.add_meta_tag(sub=mcu, meta=marvel, by=wrangler)
    services.add_meta_tag(sub=marvel, meta=disney, by=wrangler)
    for sub, meta in [(disney, mcu), (marvel, mcu), (mcu, mcu)]:
        with pytest.raises(ValidationError, match="that would loop"):
            services.add_meta_tag(sub=sub, meta=meta, by=wrangler)
    assert not disney.meta_tags.exists()
    assert list(mcu.meta_tags.all()) == [marvel]


def test_a_meta_tag_is_of_its_sub_tags_type(wrangler: User) -> None:
    with pytest.raises(ValidationError, match="same type"):
        services.add_meta_tag(sub=tag("Tony Stark"), meta=tag("MCU", TagType.FANDOM), by=wrangler)


def test_a_parent_files_a_tag_under_a_fandom_without_its_filter_growing(
    wrangler: User, author: User
) -> None:
    make_work(owner=author, tags=TAGS)
    make_work(owner=author, tags={**TAGS, TagType.FANDOM: ["GA"]})
    fandom = tag_named("Grey's Anatomy")
    services.add_parent(child=tag_named("Lex Grey"), parent=fandom, by=wrangler)
    assert list(fandom.children.all()) == [tag_named("Lex Grey")]
    fandom.refresh_from_db()
    assert fandom.listed_count == 1  # a parent is not a meta tag
    services.remove_parent(child=tag_named("Lex Grey"), parent=fandom, by=wrangler)
    assert not fandom.children.exists()


@pytest.mark.parametrize("parent", ["a character", "the tag itself"])
def test_a_parent_is_a_fandom_other_than_the_tag(wrangler: User, parent: str) -> None:
    fandom = tag("MCU", TagType.FANDOM)
    child = fandom if parent == "the tag itself" else tag("Tony Stark")
    other = fandom if parent == "the tag itself" else tag("Pepper Potts")
    with pytest.raises(ValidationError, match="must be a fandom"):
        services.add_parent(child=child, parent=other, by=wrangler)
    assert not Tag.parents.through.objects.exists()


def test_only_a_fandom_has_a_media(wrangler: User) -> None:
    fandom = services.set_media(fandom=tag("MCU", TagType.FANDOM), media=Media.MOVIES, by=wrangler)
    assert tag_named("MCU").media == fandom.media == "movies"
    with pytest.raises(ValidationError, match="Only fandoms"):
        services.set_media(fandom=tag("Tony Stark"), media=Media.MOVIES, by=wrangler)
    assert tag_named("Tony Stark").media == ""
