"""The tag wrangler's forms.

``tags.forms`` promises that a wrangler names a tag as they would type it
(any case, stray spaces) and gets the tag, of the right type only, or an
error naming what they typed; that parents are fandoms; and that a fandom's
media is one of AO3's, or none.
"""

from __future__ import annotations

import pytest

from fanfold.archive.tags.forms import (
    CanonicalForm,
    MediaForm,
    MetaTagForm,
    ParentForm,
    SynonymForm,
    TagNameField,
)
from fanfold.archive.tags.models import Media, Tag, TagType

pytestmark = pytest.mark.django_db


@pytest.fixture
def lexie() -> Tag:
    return Tag.objects.create(type=TagType.CHARACTER, name="Lexie Grey")


def test_a_tag_is_found_as_the_wrangler_types_it(lexie: Tag) -> None:
    form = SynonymForm({"of": "  lexie   GREY "}, tag_type=TagType.CHARACTER)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["of"] == lexie


def test_a_tag_of_another_type_is_not_offered(lexie: Tag) -> None:
    Tag.objects.create(type=TagType.FANDOM, name="Grey's Anatomy")
    form = MetaTagForm({"meta": "Grey's Anatomy"}, tag_type=TagType.CHARACTER)
    assert not form.is_valid()
    assert form.errors["meta"] == ["No tag is called “Grey's Anatomy”."]


def test_a_field_without_a_type_finds_a_tag_of_any_type(lexie: Tag) -> None:
    assert TagNameField().clean("Lexie Grey") == lexie


def test_a_name_longer_than_any_tag_is_refused_before_looking(lexie: Tag) -> None:
    form = SynonymForm({"of": "x" * 151}, tag_type=TagType.CHARACTER)
    assert not form.is_valid()
    assert "at most 150 characters" in form.errors["of"][0]


def test_a_blank_name_is_required(lexie: Tag) -> None:
    form = SynonymForm({"of": "  "}, tag_type=TagType.CHARACTER)
    assert not form.is_valid()
    assert form.errors["of"] == ["This field is required."]


def test_a_parent_is_a_fandom(lexie: Tag) -> None:
    fandom = Tag.objects.create(type=TagType.FANDOM, name="Grey's Anatomy")
    assert not ParentForm({"parent": "Lexie Grey"}).is_valid()
    form = ParentForm({"parent": "grey's anatomy"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["parent"] == fandom


@pytest.mark.parametrize(("sent", "kept"), [("tv", "tv"), ("", "")])
def test_a_fandoms_media_is_one_of_ao3s_or_none(sent: str, kept: str) -> None:
    form = MediaForm({"media_type": sent})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["media_type"] == kept
    assert not MediaForm({"media_type": "radio"}).is_valid()
    assert [value for value, _ in form.fields["media_type"].choices] == list(Media.values)


def test_an_unticked_canonical_box_means_not_canonical() -> None:
    form = CanonicalForm({})
    assert form.is_valid()
    assert form.cleaned_data["canonical"] is False
    ticked = CanonicalForm({"canonical": "on"})
    assert ticked.is_valid()
    assert ticked.cleaned_data["canonical"] is True
