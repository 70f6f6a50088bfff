"""Writes to a reader's preferences, bio, email, mutes and blocks, and imported accounts.

``people.services`` promises that a reader mutes anyone but themselves, up
to a limit, and hides up to a limit of tags, a synonym as its canonical tag;
that undoing either leaves nothing behind; and that an imported author's pen
name becomes a username the archive's URLs accept, on an account of their
own that nobody can log in to until its author resets the password.
Preferences are saved together and only with values the archive offers; a
bio is stored sanitised; blocks are once each, never of oneself. A new email
address takes effect only through the link sent to it, which works once,
for a day, and the old address is told.
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.core import mail, signing
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


# Preferences, bio and theme ---------------------------------------------------


def test_preferences_are_saved_together_and_a_value_not_offered_is_refused(
    reader: User,
) -> None:
    chosen = services.Preferences(theme="dark", time_zone="Asia/Tokyo", history_paused=True)
    services.save_preferences(user=reader, preferences=chosen)
    reader.refresh_from_db()
    assert (reader.theme, reader.time_zone, reader.history_paused) == ("dark", "Asia/Tokyo", True)
    with pytest.raises(ValidationError) as refused:
        services.save_preferences(
            user=reader, preferences=services.Preferences(time_zone="Mars/Olympus", theme="x")
        )
    assert set(refused.value.message_dict) == {"time_zone", "theme"}
    reader.refresh_from_db()
    assert reader.time_zone == "Asia/Tokyo"


def test_the_theme_switch_takes_only_the_themes_there_are(reader: User) -> None:
    services.set_theme(user=reader, theme="light")
    with pytest.raises(ValidationError):
        services.set_theme(user=reader, theme="neon")
    reader.refresh_from_db()
    assert reader.theme == "light"


def test_high_contrast_is_a_theme_an_account_keeps(reader: User) -> None:
    services.set_theme(user=reader, theme="contrast")
    reader.refresh_from_db()
    assert reader.theme == "contrast"


def test_the_reading_settings_take_only_the_sizes_and_widths_there_are(reader: User) -> None:
    services.set_reading(user=reader, size="x-large", width="narrow")
    with pytest.raises(ValidationError) as refused:
        services.set_reading(user=reader, size="huge", width="very")
    assert set(refused.value.message_dict) == {"reading_size", "reading_width"}
    reader.refresh_from_db()
    assert (reader.reading_size, reader.reading_width) == ("x-large", "narrow")


def test_the_reading_settings_are_saved_with_the_other_preferences(reader: User) -> None:
    chosen = services.Preferences(reading_size="small", reading_width="wide")
    services.save_preferences(user=reader, preferences=chosen)
    reader.refresh_from_db()
    assert (reader.reading_size, reader.reading_width) == ("small", "wide")
    with pytest.raises(ValidationError) as refused:
        services.save_preferences(user=reader, preferences=services.Preferences(reading_size="1px"))
    assert set(refused.value.message_dict) == {"reading_size"}


def test_a_bio_is_stored_sanitised_and_plain_text_becomes_paragraphs(reader: User) -> None:
    services.set_bio(
        user=reader, bio='Hi!<script>alert(1)</script>\n\n<a href="javascript:x">me</a>'
    )
    reader.refresh_from_db()
    assert "<script>" not in reader.bio
    assert "javascript:" not in reader.bio
    services.set_bio(user=reader, bio="Line one.\n\nLine two.")
    reader.refresh_from_db()
    assert reader.bio == "<p>Line one.</p>\n<p>Line two.</p>"


def test_a_bio_too_long_once_formatted_is_refused(reader: User) -> None:
    with pytest.raises(ValidationError):
        services.set_bio(user=reader, bio="a\n\n" * 2000)  # 4,000 typed, 18,000 stored


def test_blocking_nobody_twice_and_never_oneself(reader: User, author: User) -> None:
    services.block_user(user=reader, other=author)
    services.block_user(user=reader, other=author)
    assert Block.objects.filter(user=reader).count() == 1
    with pytest.raises(ValidationError, match="cannot block yourself"):
        services.block_user(user=reader, other=reader)
    services.unblock_user(user=reader, other=author)
    assert not Block.objects.filter(user=reader).exists()


def test_mutes_and_blocks_are_limited_to_two_thousand_like_ao3s() -> None:
    assert (services.MAX_MUTES, services.MAX_BLOCKS) == (2000, 2000)


# Changing the email address ---------------------------------------------------


def link_for(token: str) -> str:
    return f"https://archive.example/confirm/{token}/"


def sent_token() -> str:
    match = re.search(r"https://archive.example/confirm/([^/]+)/", mail.outbox[-1].body)
    assert match is not None
    return match[1]


def test_a_new_address_gets_a_link_and_nothing_changes_until_it_is_followed(
    reader: User,
) -> None:
    services.request_email_change(user=reader, new_email="New@EXAMPLE.org", link_for=link_for)
    assert [m.to for m in mail.outbox] == [["New@example.org"]]
    reader.refresh_from_db()
    assert reader.email == "reader@example.org"
    changed = services.confirm_email_change(token=sent_token())
    reader.refresh_from_db()
    assert changed == reader
    assert reader.email == "New@example.org"
    assert mail.outbox[-1].to == ["reader@example.org"]  # the old address hears of it
    assert "New@example.org" in mail.outbox[-1].body


def test_a_link_works_once_and_an_earlier_link_stops_working(reader: User) -> None:
    services.request_email_change(user=reader, new_email="first@example.org", link_for=link_for)
    first = sent_token()
    services.request_email_change(user=reader, new_email="second@example.org", link_for=link_for)
    second = sent_token()
    services.confirm_email_change(token=second)
    for used in (second, first):
        with pytest.raises(ValidationError, match="used already"):
            services.confirm_email_change(token=used)
    reader.refresh_from_db()
    assert reader.email == "second@example.org"


def test_a_link_older_than_a_day_or_tampered_with_does_not_work(
    reader: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = time.time()
    monkeypatch.setattr(signing.time, "time", lambda: now - services.EMAIL_CHANGE_MAX_AGE - 60)
    old = services.email_change_token(user=reader, new_email="late@example.org")
    monkeypatch.undo()
    fresh = services.email_change_token(user=reader, new_email="x@example.org")
    for token in (old, fresh[:-2] + "xx", "nonsense"):
        with pytest.raises(ValidationError):
            services.confirm_email_change(token=token)
    reader.refresh_from_db()
    assert reader.email == "reader@example.org"


def test_an_address_already_ones_own_or_anothers_is_refused(reader: User, author: User) -> None:
    for taken in ("reader@example.org", "AUTHOR@example.org"):
        with pytest.raises(ValidationError):
            services.request_email_change(user=reader, new_email=taken, link_for=link_for)
    assert mail.outbox == []


def test_an_email_that_cannot_be_sent_is_a_clear_refusal(reader: User, settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    with pytest.raises(ValidationError, match="could not be sent"):
        services.request_email_change(user=reader, new_email="new@example.org", link_for=link_for)


def test_pausing_history_is_kept_on_the_account(reader: User) -> None:
    services.set_history_paused(user=reader, paused=True)
    assert reader.history_paused is True
    assert User.objects.get(pk=reader.pk).history_paused is True
    services.set_history_paused(user=reader, paused=False)
    assert User.objects.get(pk=reader.pk).history_paused is False


def test_colouring_dialogue_is_kept_on_the_account(reader: User) -> None:
    services.set_colour_dialogue(user=reader, on=True)
    reader.refresh_from_db()
    assert reader.colour_dialogue is True
    services.save_preferences(user=reader, preferences=services.Preferences())
    reader.refresh_from_db()
    assert reader.colour_dialogue is False  # the settings page's unticked box
