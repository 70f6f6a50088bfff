"""Reads of tags.

``tags.selectors`` promises a tag found by type and name in any case (none
for a type there is not); tags grouped in AO3's display order, by name
within a type; how many fandoms each media holds, synonyms left out; a
media's fandoms by name with the count a stranger or a member finds; and
what a wrangler sees around one tag, in name order.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from fanfold.archive.reading.services import BookmarkFields, save_bookmark
from fanfold.archive.tags import selectors
from fanfold.archive.tags.models import Media, Tag, TagType
from fanfold.archive.tags.selectors import SUGGEST_LIMIT, canonical_tags_starting
from tests.archive.factories import UserFactory, make_work

pytestmark = pytest.mark.django_db


def test_a_tag_is_found_by_type_and_name_in_any_case() -> None:
    lexie = Tag.objects.create(type=TagType.CHARACTER, name="Lexie Grey")
    Tag.objects.create(type=TagType.FANDOM, name="Lexie Grey")
    assert selectors.find_tag(type="character", name="lexie grey") == lexie
    assert selectors.find_tag(type="relationship", name="Lexie Grey") is None
    assert selectors.find_tag(type="rating", name="Lexie Grey") is None
    assert selectors.find_tag(type="character", name="Lexie") is None


def test_tags_are_grouped_in_ao3s_order_and_by_name_within_a_type() -> None:
    tags = [
        Tag(type=TagType.FREEFORM, name="slow burn"),
        Tag(type=TagType.CHARACTER, name="Mark Sloan"),
        Tag(type=TagType.WARNING, name="No Archive Warnings Apply"),
        Tag(type=TagType.FREEFORM, name="Angst"),
        Tag(type=TagType.CHARACTER, name="lexie Grey"),
    ]
    grouped = selectors.group_by_type(tags)
    assert [(tag_type, [tag.name for tag in group]) for tag_type, group in grouped] == [
        (TagType.WARNING, ["No Archive Warnings Apply"]),
        (TagType.CHARACTER, ["lexie Grey", "Mark Sloan"]),
        (TagType.FREEFORM, ["Angst", "slow burn"]),
    ]


def canonical(tag_type: TagType, name: str, **fields: Any) -> Tag:
    return Tag.objects.create(type=tag_type, name=name, is_canonical=True, **fields)


def test_each_media_counts_its_fandoms_but_not_their_synonyms() -> None:
    tv = canonical(TagType.FANDOM, "Grey's Anatomy", media=Media.TV)
    Tag.objects.create(type=TagType.FANDOM, name="GA", media=Media.TV, merger=tv, listed_count=1)
    canonical(TagType.FANDOM, "Doctor Who", media=Media.TV)
    canonical(TagType.FANDOM, "Persuasion", media=Media.BOOKS)
    Tag.objects.create(type=TagType.FANDOM, name="Something New", listed_count=1)
    canonical(TagType.CHARACTER, "Lexie Grey", media=Media.TV)
    assert selectors.fandom_counts_by_media(viewer=AnonymousUser()) == {
        "tv": 2,
        "books": 1,
        "": 1,
    }


def test_media_count_only_the_fandoms_that_exist_for_the_reader() -> None:
    Tag.objects.create(type=TagType.FANDOM, name="Drafts Only", media=Media.TV)
    Tag.objects.create(type=TagType.FANDOM, name="Members Only", media=Media.TV, member_count=1)
    reader = UserFactory()
    assert selectors.fandom_counts_by_media(viewer=AnonymousUser()) == {}
    assert selectors.fandom_counts_by_media(viewer=reader) == {"tv": 1}
    admin = UserFactory(is_staff=True)
    assert selectors.fandom_counts_by_media(viewer=admin) == {"tv": 2}


@pytest.mark.parametrize(("members", "counts"), [(False, [1, 4]), (True, [2, 7])])
def test_a_medias_fandoms_come_by_name_with_what_the_reader_finds(
    members: bool, counts: list[int]
) -> None:
    Tag.objects.create(
        type=TagType.FANDOM, name="greys anatomy", media="tv", listed_count=4, member_count=7
    )
    Tag.objects.create(
        type=TagType.FANDOM, name="Doctor Who", media="tv", listed_count=1, member_count=2
    )
    Tag.objects.create(type=TagType.FANDOM, name="Persuasion", media="books", listed_count=9)
    viewer = UserFactory() if members else AnonymousUser()
    listed = selectors.fandoms_of(media="tv", viewer=viewer)
    assert [(tag.name, count) for tag, count in listed] == list(
        zip(["Doctor Who", "greys anatomy"], counts, strict=True)
    )


def test_a_wrangler_sees_every_link_around_a_tag_in_name_order() -> None:
    def tag(name: str, tag_type: TagType = TagType.FANDOM) -> Tag:
        return Tag.objects.create(type=tag_type, name=name)

    mcu = tag("MCU")
    for synonym in ["Marvel Movies", "Marvel Films"]:
        Tag.objects.create(type=TagType.FANDOM, name=synonym, merger=mcu)
    mcu.meta_tags.add(tag("Marvel"), tag("Disney"))
    tag("Iron Man Films").meta_tags.add(mcu)
    tag("Avengers (2012)").meta_tags.add(mcu)
    mcu.parents.add(tag("Comics Universe"))
    tag("Tony Stark", TagType.CHARACTER).parents.add(mcu)
    tag("Tony/Pepper", TagType.RELATIONSHIP).parents.add(mcu)
    tag("Bucky Barnes", TagType.CHARACTER).parents.add(mcu)

    def names(tags: list[Tag]) -> list[str]:
        return [t.name for t in tags]

    seen = selectors.wrangling_of(mcu)
    assert {key: names(value) for key, value in seen.items()} == {
        "synonyms": ["Marvel Films", "Marvel Movies"],
        "meta_tags": ["Disney", "Marvel"],
        "sub_tags": ["Avengers (2012)", "Iron Man Films"],
        "parents": ["Comics Universe"],
        "children": ["Bucky Barnes", "Tony Stark", "Tony/Pepper"],
    }


# A fandom's canon, as a wrangler leaves it: used by the suggestion tests too.
GREYS = "Grey's Anatomy"


def greys_canon() -> Tag:
    """Grey's Anatomy with canonical Lexie Grey ("Lex Grey" her synonym), Mark Sloan,
    Derek Shepherd, Meredith Grey and "Lexie Grey/Mark Sloan"; a synonym fandom "GA"."""
    fandom = Tag.objects.create(type=TagType.FANDOM, name=GREYS, is_canonical=True)
    Tag.objects.create(type=TagType.FANDOM, name="GA", merger=fandom)
    for kind, name in [
        (TagType.CHARACTER, "Lexie Grey"),
        (TagType.CHARACTER, "Mark Sloan"),
        (TagType.CHARACTER, "Derek Shepherd"),
        (TagType.CHARACTER, "Meredith Grey"),
        (TagType.RELATIONSHIP, "Lexie Grey/Mark Sloan"),
    ]:
        Tag.objects.create(type=kind, name=name, is_canonical=True).parents.add(fandom)
    lexie = Tag.objects.get(type=TagType.CHARACTER, name="Lexie Grey")
    Tag.objects.create(type=TagType.CHARACTER, name="Lex Grey", merger=lexie)
    return fandom


def test_a_fandoms_canon_is_its_canonical_characters_and_relationships_with_synonyms(
    django_assert_max_num_queries: Any,
) -> None:
    greys_canon()
    other = Tag.objects.create(type=TagType.FANDOM, name="House M.D.", is_canonical=True)
    Tag.objects.create(type=TagType.CHARACTER, name="Gregory House", is_canonical=True).parents.add(
        other
    )
    Tag.objects.create(type=TagType.CHARACTER, name="Addison Montgomery")  # not wrangled
    with django_assert_max_num_queries(3):
        canon = selectors.fandom_canon(fandom_names=["grey's anatomy"])
    assert [t.name for t in canon.characters] == [
        "Derek Shepherd",
        "Lexie Grey",
        "Mark Sloan",
        "Meredith Grey",
    ]
    assert canon.characters[1].synonyms == ("Lex Grey",)
    assert [t.name for t in canon.relationships] == ["Lexie Grey/Mark Sloan"]


def test_a_fandom_named_by_its_synonym_has_its_canonicals_canon() -> None:
    greys_canon()
    assert len(selectors.fandom_canon(fandom_names=["GA"]).characters) == 4
    assert selectors.fandom_canon(fandom_names=["Unspecified Fandom"]).characters == ()
    assert selectors.fandom_canon(fandom_names=[]).characters == ()


# Issue 14: tag autocomplete offers canonical tags.


def _tags(type: TagType, *names: str, canonical: bool = True) -> None:
    for name in names:
        Tag.objects.create(type=type, name=name, is_canonical=canonical)


def test_canonical_tags_starting_offers_canonical_tags_of_the_type_in_any_case(
    db: None,
) -> None:
    _tags(TagType.CHARACTER, "Lexie Grey", "Lexa", "Alex Karev", "Mark Sloan")
    _tags(TagType.CHARACTER, "Lex Grey", "Lexie G.", canonical=False)
    _tags(TagType.RELATIONSHIP, "Lexie Grey/Mark Sloan")
    assert canonical_tags_starting(type=TagType.CHARACTER, prefix="lEx") == ["Lexa", "Lexie Grey"]
    assert canonical_tags_starting(type=TagType.CHARACTER, prefix="  Lexie   Gr") == ["Lexie Grey"]


def test_canonical_tags_starting_is_bounded(db: None) -> None:
    _tags(TagType.FANDOM, *(f"Star Trek {n:02}" for n in range(15)), "S_ar", "S%ar")
    assert len(canonical_tags_starting(type=TagType.FANDOM, prefix="Star")) == SUGGEST_LIMIT
    assert canonical_tags_starting(type=TagType.FANDOM, prefix="S") == []  # too short
    assert canonical_tags_starting(type=TagType.FANDOM, prefix="S_") == ["S_ar"]  # no wildcards
    assert canonical_tags_starting(type=TagType.FANDOM, prefix="x" * 151) == []
    assert canonical_tags_starting(type="rating", prefix="Star") == []


# Private work leaves no trace (issue 15): which tags exist for whom.


def seen_names(viewer: Any) -> set[str]:
    return set(Tag.objects.filter(selectors.tags_seen_by(viewer)).values_list("name", flat=True))


def test_a_tag_exists_for_a_reader_when_a_work_they_may_find_carries_it() -> None:
    Tag.objects.create(type=TagType.FREEFORM, name="public", listed_count=1, member_count=1)
    Tag.objects.create(type=TagType.FREEFORM, name="restricted", member_count=1)
    Tag.objects.create(type=TagType.FREEFORM, name="drafts only")
    canonical(TagType.FREEFORM, "wrangled, unused")
    assert seen_names(AnonymousUser()) == {"public", "wrangled, unused"}
    assert seen_names(UserFactory()) == {"public", "restricted", "wrangled, unused"}
    assert "drafts only" in seen_names(UserFactory(is_staff=True))


def test_an_author_sees_the_tags_of_their_own_drafts_and_nobody_else_does() -> None:
    writer = UserFactory()
    tags = {TagType.FANDOM: ["Secret Fandom"]}
    make_work(owner=writer, post=False, tags=tags)
    assert "Secret Fandom" in seen_names(writer)
    assert "Secret Fandom" not in seen_names(UserFactory())
    assert "Secret Fandom" not in seen_names(AnonymousUser())
    assert selectors.find_visible_tag(type="fandom", name="secret fandom", viewer=writer)
    stranger = AnonymousUser()
    assert selectors.find_visible_tag(type="fandom", name="Secret Fandom", viewer=stranger) is None
    assert selectors.find_visible_tag(type="rating", name="Secret Fandom", viewer=writer) is None


def test_a_bookmarks_tags_exist_for_others_only_when_the_bookmark_is_public() -> None:
    work = make_work(owner=UserFactory())
    bookmarker = UserFactory()
    private = BookmarkFields(tags=("my secret shelf",), is_private=True)
    save_bookmark(user=bookmarker, work=work, fields=private)
    assert "my secret shelf" in seen_names(bookmarker)
    assert "my secret shelf" not in seen_names(UserFactory())
    public = BookmarkFields(tags=("my secret shelf",), is_private=False)
    save_bookmark(user=bookmarker, work=work, fields=public)
    assert "my secret shelf" in seen_names(AnonymousUser())
