"""Typed tags and their names.

``tags.models`` promises a tag name stored as one clean line of at most 150
characters; one tag per name and type whatever the case (the same name may
be a fandom and a character); no tag without a name; the display order of
AO3 covering every type; a synonym that outlives its canonical tag as a
plain tag; and each tag's page at ``/tags/<type>/<name>/``.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from fanfold.archive.tags.models import (
    TAG_NAME_MAX_LENGTH,
    TAG_TYPE_ORDER,
    Media,
    Tag,
    TagType,
    clean_tag_names,
    tag_name,
    validate_tag_name,
)


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("Lexie Grey", "Lexie Grey"),
        ("  Lexie \t Grey\n", "Lexie Grey"),
        ("Slow\x00Burn", "Slow Burn"),
        ("Cafe\u0301", "Café"),  # one spelling of each letter (NFC)
    ],
)
def test_a_tag_name_is_stored_as_one_clean_line(raw: str, stored: str) -> None:
    assert tag_name(raw) == stored


def test_blank_and_repeated_names_are_dropped_in_the_order_given() -> None:
    assert clean_tag_names(["Fluff", " ", "Angst", "Fluff ", "\n"]) == ["Fluff", "Angst"]


def test_a_name_over_the_limit_is_refused_saying_how_long_it_is() -> None:
    assert clean_tag_names(["x" * TAG_NAME_MAX_LENGTH]) == ["x" * TAG_NAME_MAX_LENGTH]
    with pytest.raises(ValidationError, match="at most 150 characters; this one has 1,000"):
        clean_tag_names(["Fine", "y" * 1000])


@pytest.mark.parametrize("name", [" Angst", "Slow  Burn", "Line\nbreak", "Bell\x07"])
def test_the_admin_refuses_a_name_not_in_its_clean_form(name: str) -> None:
    with pytest.raises(ValidationError):
        validate_tag_name(name)
    validate_tag_name(tag_name(name))


@pytest.mark.django_db
def test_a_name_is_one_tag_per_type_whatever_its_case() -> None:
    Tag.objects.create(type=TagType.CHARACTER, name="Lexie Grey")
    with pytest.raises(IntegrityError), transaction.atomic():
        Tag.objects.create(type=TagType.CHARACTER, name="LEXIE GREY")
    Tag.objects.create(type=TagType.FANDOM, name="Lexie Grey")
    assert Tag.objects.filter(name__iexact="lexie grey").count() == 2


@pytest.mark.django_db
def test_a_tag_needs_a_name() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Tag.objects.create(type=TagType.FREEFORM, name="")


@pytest.mark.django_db
def test_a_synonym_outlives_its_canonical_tag_as_a_tag_of_its_own() -> None:
    angst = Tag.objects.create(type=TagType.FREEFORM, name="Angst")
    sad = Tag.objects.create(type=TagType.FREEFORM, name="Sad", merger=angst)
    angst.delete()
    sad.refresh_from_db()
    assert sad.merger is None


@pytest.mark.django_db
def test_tags_are_ordered_by_type_then_name() -> None:
    for tag_type, name in [
        (TagType.FREEFORM, "b"),
        (TagType.CHARACTER, "z"),
        (TagType.FREEFORM, "a"),
        (TagType.CHARACTER, "y"),
    ]:
        Tag.objects.create(type=tag_type, name=name)
    assert [(tag.type, tag.name) for tag in Tag.objects.all()] == [
        ("character", "y"),
        ("character", "z"),
        ("freeform", "a"),
        ("freeform", "b"),
    ]


def test_the_display_order_names_every_type_once() -> None:
    assert sorted(TAG_TYPE_ORDER) == sorted(TagType)
    assert TAG_TYPE_ORDER[0] == TagType.WARNING
    assert TAG_TYPE_ORDER[-1] == TagType.FREEFORM


def test_a_fandom_without_media_is_uncategorized() -> None:
    assert Tag._meta.get_field("media").default == Media.UNSORTED == ""
    assert Media.UNSORTED.label == "Uncategorized Fandoms"


def test_a_tag_is_shown_by_its_name_and_lives_at_its_typed_path() -> None:
    tag = Tag(type=TagType.RELATIONSHIP, name="Mark Sloan/Lexie Grey")
    assert str(tag) == "Mark Sloan/Lexie Grey"
    assert tag.get_absolute_url() == "/tags/relationship/Mark%20Sloan*s*Lexie%20Grey/"
