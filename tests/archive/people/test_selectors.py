"""Reads of accounts and of a reader's own preferences.

``people.selectors`` promises the open account of a username (never a closed
one), whether a viewer (a stranger too) has muted an author or hidden a tag
(a synonym counts as its canonical tag), and a reader's mutes and hidden
tags in name order.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from fanfold.archive.people import selectors
from fanfold.archive.people.models import Block, HiddenTag, Mute, User
from fanfold.archive.tags.models import Tag, TagType

pytestmark = pytest.mark.django_db


def test_an_open_account_is_found_by_its_username(author: User) -> None:
    assert selectors.active_user(username="author") == author
    assert selectors.active_user(username="nobody") is None


def test_a_closed_account_is_not_found(author: User) -> None:
    author.is_active = False
    author.save()
    assert selectors.active_user(username="author") is None


def test_a_mute_is_the_muting_readers_alone(reader: User, author: User) -> None:
    other = User.objects.create(username="other")
    Mute.objects.create(user=reader, muted=author)
    assert selectors.has_muted(reader, author)
    assert not selectors.has_muted(author, reader)
    assert not selectors.has_muted(other, author)
    assert not selectors.has_muted(AnonymousUser(), author)


def test_hiding_a_canonical_tag_hides_its_synonyms_too(reader: User) -> None:
    angst = Tag.objects.create(type=TagType.FREEFORM, name="Angst")
    sad = Tag.objects.create(type=TagType.FREEFORM, name="Sad", merger=angst)
    fluff = Tag.objects.create(type=TagType.FREEFORM, name="Fluff")
    HiddenTag.objects.create(user=reader, tag=angst)
    assert selectors.hides_tag(reader, angst)
    assert selectors.hides_tag(reader, sad)
    assert not selectors.hides_tag(reader, fluff)
    assert not selectors.hides_tag(AnonymousUser(), angst)


def test_a_readers_mutes_are_listed_by_the_muted_authors_name(reader: User) -> None:
    for name in ["marlow", "anselm", "quill"]:
        Mute.objects.create(user=reader, muted=User.objects.create(username=name))
    Mute.objects.create(user=User.objects.create(username="bystander"), muted=reader)
    assert [mute.muted.username for mute in selectors.mutes_of(reader)] == [
        "anselm",
        "marlow",
        "quill",
    ]


def test_a_readers_hidden_tags_are_listed_by_name(reader: User, author: User) -> None:
    for name in ["slow burn", "angst", "hurt/comfort"]:
        HiddenTag.objects.create(
            user=reader, tag=Tag.objects.create(type=TagType.FREEFORM, name=name)
        )
    HiddenTag.objects.create(
        user=author, tag=Tag.objects.create(type=TagType.FREEFORM, name="fluff")
    )
    assert [hidden.tag.name for hidden in selectors.hidden_tags_of(reader)] == [
        "angst",
        "hurt/comfort",
        "slow burn",
    ]


def test_a_block_is_the_blockers_alone_and_never_of_a_guest(reader: User, author: User) -> None:
    Block.objects.create(user=author, blocked=reader)
    assert selectors.has_blocked(author, reader)
    assert selectors.has_blocked(author.pk, reader)
    assert not selectors.has_blocked(reader, author)
    assert not selectors.has_blocked(author, AnonymousUser())
    assert not selectors.has_blocked(None, reader)


def test_a_readers_blocks_are_listed_by_name(reader: User) -> None:
    for name in ["zed", "amy"]:
        Block.objects.create(user=reader, blocked=User.objects.create(username=name))
    assert [b.blocked.username for b in selectors.blocks_of(reader)] == ["amy", "zed"]


def test_the_time_zones_offered_are_the_machines_sorted_with_utc() -> None:
    zones = selectors.available_time_zones()
    assert "UTC" in zones
    assert "America/New_York" in zones
    assert list(zones) == sorted(zones)


def test_the_theme_is_the_accounts_else_a_valid_guest_cookie_else_the_devices(
    reader: User,
) -> None:
    reader.theme = "dark"
    assert selectors.theme_of(reader, "light") == "dark"
    assert selectors.theme_of(AnonymousUser(), "light") == "light"
    assert selectors.theme_of(AnonymousUser(), None) == "system"
    assert selectors.theme_of(AnonymousUser(), "<script>") == "system"


def test_the_reading_settings_are_the_accounts_else_valid_guest_cookies_else_medium(
    reader: User,
) -> None:
    reader.reading_size, reader.reading_width = "large", "wide"
    assert selectors.reading_of(reader, "small", "narrow") == ("large", "wide")
    assert selectors.reading_of(AnonymousUser(), "small", "narrow") == ("small", "narrow")
    assert selectors.reading_of(AnonymousUser(), None, None) == ("medium", "medium")
    assert selectors.reading_of(AnonymousUser(), "1px", "<b>") == ("medium", "medium")
    assert selectors.theme_of(AnonymousUser(), "contrast") == "contrast"
