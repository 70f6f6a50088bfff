"""Writes to a reader's preferences, and accounts for authors imported from elsewhere.

``people.services`` promises that a reader mutes anyone but themselves, up
to a limit, and hides up to a limit of tags, a synonym as its canonical tag;
that undoing either leaves nothing behind; and that an imported author's pen
name becomes a username the archive's URLs accept, on an account of their
own that nobody can log in to until its author resets the password.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from fanfold.archive.people import services
from fanfold.archive.people.models import Block, HiddenTag, Mute, User
from fanfold.archive.tags import services as tag_services
from fanfold.archive.tags.models import Tag, TagType
from tests.archive.factories import UserFactory

pytestmark = pytest.mark.django_db


def muted_names(user: User) -> list[str]:
    return sorted(Mute.objects.filter(user=user).values_list("muted__username", flat=True))


def hidden_names(user: User) -> list[str]:
    return sorted(HiddenTag.objects.filter(user=user).values_list("tag__name", flat=True))


def test_muting_an_author_twice_keeps_one_mute_and_unmuting_removes_it(
    reader: User, author: User
) -> None:
    services.mute_author(user=reader, author=author)
    services.mute_author(user=reader, author=author)
    assert muted_names(reader) == ["author"]
    services.unmute_author(user=reader, author=author)
    assert muted_names(reader) == []
    services.unmute_author(user=reader, author=author)  # undoing nothing is no error


def test_nobody_mutes_themselves(author: User) -> None:
    with pytest.raises(ValidationError, match="You cannot mute yourself"):
        services.mute_author(user=author, author=author)
    assert muted_names(author) == []


def test_a_reader_mutes_at_most_two_thousand_authors(reader: User, author: User) -> None:
    others = User.objects.bulk_create(User(username=f"muted{n}") for n in range(services.MAX_MUTES))
    Mute.objects.bulk_create(Mute(user=reader, muted=other) for other in others)
    with pytest.raises(ValidationError, match="at most 2000 authors"):
        services.mute_author(user=reader, author=author)
    assert not Mute.objects.filter(user=reader, muted=author).exists()


def test_hiding_a_tag_twice_keeps_one_row_and_showing_it_removes_it(reader: User) -> None:
    angst = Tag.objects.create(type=TagType.FREEFORM, name="Angst")
    services.hide_tag(user=reader, tag=angst)
    services.hide_tag(user=reader, tag=angst)
    assert hidden_names(reader) == ["Angst"]
    services.show_tag(user=reader, tag=angst)
    assert hidden_names(reader) == []


def test_hiding_a_synonym_hides_its_canonical_tag_and_showing_it_shows_it_again(
    reader: User,
) -> None:
    angst = Tag.objects.create(type=TagType.FREEFORM, name="Angst")
    sad = Tag.objects.create(type=TagType.FREEFORM, name="Sad", merger=angst)
    services.hide_tag(user=reader, tag=sad)
    assert hidden_names(reader) == ["Angst"]
    services.show_tag(user=reader, tag=sad)
    assert hidden_names(reader) == []


def test_showing_a_tag_again_clears_a_hide_made_before_it_became_a_synonym(
    reader: User,
) -> None:
    """A wrangler may merge a tag a reader hid; the reader's "Show again" must still work."""
    sad = Tag.objects.create(type=TagType.FREEFORM, name="Sad")
    services.hide_tag(user=reader, tag=sad)
    angst = Tag.objects.create(type=TagType.FREEFORM, name="Angst")
    wrangler = UserFactory(username="wrangler", is_superuser=True)
    tag_services.make_synonym(tag=sad, of=angst, by=wrangler)
    services.show_tag(user=reader, tag=sad)
    assert hidden_names(reader) == []


def test_a_reader_hides_at_most_fifty_tags(reader: User) -> None:
    tags = Tag.objects.bulk_create(
        Tag(type=TagType.FREEFORM, name=f"Tag {n}") for n in range(services.MAX_HIDDEN_TAGS)
    )
    HiddenTag.objects.bulk_create(HiddenTag(user=reader, tag=tag) for tag in tags)
    one_more = Tag.objects.create(type=TagType.FREEFORM, name="One More")
    with pytest.raises(ValidationError, match="at most 50 tags"):
        services.hide_tag(user=reader, tag=one_more)
    assert "One More" not in hidden_names(reader)


@pytest.mark.parametrize(
    ("pen_name", "username"),
    [
        ("Ærin Dúnadan", "Ærin_Dúnadan"),  # letters of any script stay
        ("kit@home+1-2", "kit@home+1-2"),
        ("  Lady\nof the   Lake  ", "Lady_of_the_Lake"),
        ("///", "efiction-author"),
        ("", "efiction-author"),
        (".", "efiction-author"),
        ("x" * 200, "x" * 150),
    ],
)
def test_a_pen_name_becomes_a_username_signup_would_accept(pen_name: str, username: str) -> None:
    assert services.username_for(pen_name) == username


def test_an_imported_author_gets_a_new_account_without_a_usable_password() -> None:
    user = services.account_for_imported_author(
        pen_name="Lady / Of the Lake", email="lady@example.org\n", bio="Writes.", save=True
    )
    user.refresh_from_db()
    assert (user.username, user.email, user.bio) == (
        "Lady_Of_the_Lake",
        "lady@example.org",
        "Writes.",
    )
    assert not user.has_usable_password()


def test_an_imported_authors_existing_account_is_reused_untouched(author: User) -> None:
    user = services.account_for_imported_author(
        pen_name="author", email="new@example.org", bio="A new bio.", save=True
    )
    assert user.pk == author.pk
    author.refresh_from_db()
    assert (author.email, author.bio) == ("author@example.org", "")
    assert author.has_usable_password()
    assert User.objects.count() == 1


def test_a_dry_run_makes_the_account_without_saving_it() -> None:
    user = services.account_for_imported_author(pen_name="Quill", email="", bio="", save=False)
    assert user.pk is None
    assert user.username == "Quill"
    assert not User.objects.exists()


def test_an_imported_bio_and_email_are_cut_to_what_an_account_holds() -> None:
    user = services.account_for_imported_author(
        pen_name="Verbose",
        email="a" * 300 + "@example.org",
        bio="Line one.\r\nLine two.\x00" + "b" * 6000,
        save=True,
    )
    user.refresh_from_db()
    assert len(user.email) == 254
    assert len(user.bio) == 5000
    assert user.bio.startswith("Line one.\nLine two.b")


def blocked_names(user: User) -> list[str]:
    return sorted(user.blocks.values_list("blocked__username", flat=True))


def test_blocking_twice_keeps_one_block_and_unblocking_removes_it(
    reader: User, author: User
) -> None:
    services.block_user(user=author, other=reader)
    services.block_user(user=author, other=reader)
    assert blocked_names(author) == ["reader"]
    services.unblock_user(user=author, other=reader)
    assert blocked_names(author) == []


def test_nobody_blocks_themselves(author: User) -> None:
    with pytest.raises(ValidationError, match="You cannot block yourself"):
        services.block_user(user=author, other=author)


def test_a_person_blocks_at_most_two_thousand_accounts(reader: User, author: User) -> None:
    others = User.objects.bulk_create(
        User(username=f"blocked{n}") for n in range(services.MAX_BLOCKS)
    )
    Block.objects.bulk_create(Block(user=author, blocked=other) for other in others)
    with pytest.raises(ValidationError, match="at most 2000 accounts"):
        services.block_user(user=author, other=reader)
    assert "reader" not in blocked_names(author)


def test_pausing_history_is_kept_on_the_account(reader: User) -> None:
    services.set_history_paused(user=reader, paused=True)
    assert reader.history_paused is True
    assert User.objects.get(pk=reader.pk).history_paused is True
    services.set_history_paused(user=reader, paused=False)
    assert User.objects.get(pk=reader.pk).history_paused is False
