"""Accounts, and a reader's mutes and hidden tags: each kept once, gone with its account.

``people.models`` promises an account shown by its username with a bio of
bounded length, at most one mute per reader and author, and at most one
hidden-tag row per reader and tag.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from fanfold.archive.people.models import Block, HiddenTag, Mute, User
from fanfold.archive.tags.models import Tag, TagType

pytestmark = pytest.mark.django_db


def test_an_account_is_shown_by_its_username(reader: User) -> None:
    assert str(reader) == "reader"


def test_a_bio_is_limited_to_five_thousand_characters_in_every_form() -> None:
    """A TextField's limit is its forms' (the admin's too), not the database's."""
    field = User._meta.get_field("bio").formfield()
    assert field is not None
    assert field.clean("a" * 5000) == "a" * 5000
    with pytest.raises(ValidationError, match="at most 5000 characters"):
        field.clean("a" * 5001)


def test_a_reader_mutes_an_author_only_once(reader: User, author: User) -> None:
    Mute.objects.create(user=reader, muted=author)
    with pytest.raises(IntegrityError), transaction.atomic():
        Mute.objects.create(user=reader, muted=author)
    # The other way round is another mute.
    Mute.objects.create(user=author, muted=reader)
    assert Mute.objects.count() == 2


def test_a_reader_hides_a_tag_only_once(reader: User, author: User) -> None:
    tag = Tag.objects.create(type=TagType.FREEFORM, name="Angst")
    HiddenTag.objects.create(user=reader, tag=tag)
    with pytest.raises(IntegrityError), transaction.atomic():
        HiddenTag.objects.create(user=reader, tag=tag)
    HiddenTag.objects.create(user=author, tag=tag)
    assert HiddenTag.objects.count() == 2


def test_mutes_and_hidden_tags_name_who_and_what(reader: User, author: User) -> None:
    mute = Mute.objects.create(user=reader, muted=author)
    tag = Tag.objects.create(type=TagType.FREEFORM, name="Angst")
    hidden = HiddenTag.objects.create(user=reader, tag=tag)
    assert str(mute) == f"{reader.pk} mutes {author.pk}"
    assert str(hidden) == f"{reader.pk} hides tag {tag.pk}"


def test_a_closed_account_takes_its_mutes_both_ways_and_its_hidden_tags_with_it(
    reader: User, author: User
) -> None:
    other = User.objects.create(username="other")
    tag = Tag.objects.create(type=TagType.FREEFORM, name="Angst")
    Mute.objects.create(user=reader, muted=author)
    Mute.objects.create(user=other, muted=reader)
    Mute.objects.create(user=other, muted=author)
    HiddenTag.objects.create(user=reader, tag=tag)
    reader.delete()
    assert list(Mute.objects.values_list("user__username", "muted__username")) == [
        ("other", "author")
    ]
    assert not HiddenTag.objects.exists()
    assert Tag.objects.filter(pk=tag.pk).exists()  # the tag stays for everyone else


def test_a_block_is_once_and_never_of_oneself(reader: User, author: User) -> None:
    block = Block.objects.create(user=author, blocked=reader)
    assert str(block) == f"{author.pk} blocks {reader.pk}"
    with pytest.raises(IntegrityError), transaction.atomic():
        Block.objects.create(user=author, blocked=reader)
    with pytest.raises(IntegrityError), transaction.atomic():
        Block.objects.create(user=author, blocked=author)
    Block.objects.create(user=reader, blocked=author)  # the other way round is another block
    assert Block.objects.count() == 2


def test_new_account_defaults_show_notes_warn_keep_history_email_no_post() -> None:
    person = User(username="new")
    assert (person.hide_notes_by_default, person.warn_before_mature) == (False, True)
    assert not person.history_paused
    assert (person.theme, person.time_zone, person.subscription_email) == ("system", "UTC", "none")
    assert person.email_comments  # comment email on, as AO3's; subscription email opted into
