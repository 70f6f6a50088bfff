"""Signing up, logging in and out, muting authors and hiding tags, as a reader does it.

``people.views`` promises a sign-up page that logs the new account in; login
and sign-up pages for strangers only, and a logout that takes a POST; that
a logged-in reader mutes (and unmutes) an author and hides (and shows again)
a tag with a POST, after which listings, counts and facets leave them out;
a page listing what they muted and hid, to undo it; a message saying what
happened or why it could not; and a 404 for an author or tag there is not.
Passwords: a reader changes theirs knowing the old one, or resets a
forgotten one through a link sent by email that works once, for a day,
without the page ever telling whether an address has an account.
Settings, profile editing and email change are for the logged-in; settings
take effect at once; a profile shows a sanitised bio to anyone; a new email
address counts only once its link is confirmed (a POST, so mail scanners
opening links change nothing); a reader blocks and unblocks from an author's
page and sees their blocks with their mutes.
Joining: with registration closed, signup says so; by invitation, the
emailed link fills in the code, a used or expired code is refused keeping
what was typed, and visitors join a queue whose page shows their place and
no one else's. An imported author claims their account through the emailed
link, once, and is logged in.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fanfold.archive.people import claims, invitations
from fanfold.archive.people.models import (
    Block,
    HiddenTag,
    Invitation,
    InvitationRequest,
    Mute,
    User,
)
from fanfold.archive.people.services import MAX_HIDDEN_TAGS, account_for_imported_author
from fanfold.archive.tags import services as tag_services
from fanfold.archive.tags.models import Tag, TagType
from tests.archive.conftest import PERSONAS, queries_for
from tests.archive.factories import PASSWORD, UserFactory, make_work

LIST = reverse("search:works")


def titles(page: str) -> list[str]:
    return sorted(re.findall(r'<h3 id="work-\d+-title"><a [^>]*>([^<]+)</a>', page))


@pytest.fixture
def shelf(author: User) -> User:
    other = UserFactory(username="other")
    tags = {TagType.WARNING: ["No Archive Warnings Apply"], TagType.FANDOM: ["Harbour"]}
    make_work(owner=author, title="Mine Calm", tags=tags)
    make_work(owner=author, title="Mine Sad", tags={**tags, TagType.FREEFORM: ["Angst"]})
    make_work(owner=other, title="Theirs", tags=tags)
    return other


def test_a_muted_authors_works_leave_listings_counts_and_facets(
    as_reader: Client, shelf: User
) -> None:
    as_reader.post(reverse("people:mute", args=["other"]))
    page = as_reader.get(LIST).content.decode()
    assert titles(page) == ["Mine Calm", "Mine Sad"]
    assert "2 works" in page
    assert re.search(r"Harbour <span class=\"facet-count\">\(2\)", page)
    home = as_reader.get(reverse("search:home")).content.decode()
    assert "Theirs" not in home
    # Their own page still shows them, with a way back.
    author_page = as_reader.get(reverse("works:author", args=["other"])).content.decode()
    assert "Theirs" in author_page
    assert "Unmute other" in author_page
    as_reader.post(reverse("people:mute", args=["other"]), {"undo": "1"})
    assert "Theirs" in as_reader.get(LIST).content.decode()


def test_a_hidden_tag_leaves_every_listing_including_a_synonyms_works(
    as_reader: Client, shelf: User, author: User
) -> None:
    make_work(
        owner=author,
        title="Tagged Sad",
        tags={TagType.FANDOM: ["Harbour"], TagType.FREEFORM: ["Sad"]},
    )
    wrangler = UserFactory(username="wrangler", is_superuser=True)
    tag_services.make_synonym(
        tag=Tag.objects.get(name="Sad"), of=Tag.objects.get(name="Angst"), by=wrangler
    )
    as_reader.post(reverse("people:hide_tag", args=["freeform", "Sad"]))
    assert titles(as_reader.get(LIST).content.decode()) == ["Mine Calm", "Theirs"]
    harbour = reverse("search:tag", args=["fandom", "Harbour"])
    assert titles(as_reader.get(harbour).content.decode()) == ["Mine Calm", "Theirs"]
    hidden_page = as_reader.get(reverse("people:hidden")).content.decode()
    assert "Angst" in hidden_page  # hiding a synonym hides its canonical tag


def test_nobody_mutes_themselves_and_strangers_cannot_mute(
    as_author: Client, as_stranger: Client, shelf: User
) -> None:
    refused = as_author.post(reverse("people:mute", args=["author"]), follow=True)
    assert "You cannot mute yourself." in refused.content.decode()
    assert "Mine Calm" in as_author.get(LIST).content.decode()
    response = as_stranger.post(reverse("people:mute", args=["other"]))
    assert response.status_code == 302
    assert reverse("people:login") in response["Location"]
    assert as_stranger.get(reverse("people:hidden")).status_code == 302


def test_muting_needs_a_post(as_reader: Client, shelf: User) -> None:
    assert as_reader.get(reverse("people:mute", args=["other"])).status_code == 405
    assert "Theirs" in as_reader.get(LIST).content.decode()


@pytest.mark.parametrize(("persona", "expected"), [("as_stranger", 200), ("as_reader", 302)])
@pytest.mark.parametrize("url_name", ["people:login", "people:signup"])
def test_login_and_signup_are_for_strangers(
    request: pytest.FixtureRequest, persona: str, expected: int, url_name: str
) -> None:
    client: Client = request.getfixturevalue(persona)
    assert client.get(reverse(url_name)).status_code == expected


def test_logging_out_takes_a_post(as_reader: Client) -> None:
    assert as_reader.get(reverse("people:logout")).status_code == 405
    assert as_reader.post(reverse("people:logout")).status_code == 302
    assert as_reader.get(reverse("works:new")).status_code == 302  # logged out now


def test_signing_up_logs_the_new_account_in_and_welcomes_it(as_stranger: Client) -> None:
    response = as_stranger.post(
        reverse("people:signup"),
        {
            "username": "quill",
            "email": "quill@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        follow=True,
    )
    assert response.redirect_chain == [(reverse("search:home"), 302)]
    assert response.context["user"].username == "quill"
    assert "Welcome to the archive, quill." in response.content.decode()


def test_a_refused_sign_up_shows_the_form_again_with_why(as_stranger: Client) -> None:
    response = as_stranger.post(
        reverse("people:signup"),
        {"username": "quill", "email": "quill@example.org", "password1": PASSWORD},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["password2"]
    assert 'value="quill"' in response.content.decode()
    assert not User.objects.filter(username="quill").exists()
    assert not response.context["user"].is_authenticated


def test_the_muted_and_hidden_page_lists_both_to_undo_them(
    as_reader: Client, reader: User, author: User
) -> None:
    assert "Nobody." in as_reader.get(reverse("people:hidden")).content.decode()
    angst = Tag.objects.create(type=TagType.FREEFORM, name="Angst", is_canonical=True)
    as_reader.post(reverse("people:mute", args=["author"]))
    as_reader.post(reverse("people:hide_tag", args=["freeform", "Angst"]))
    page = as_reader.get(reverse("people:hidden")).content.decode()
    assert f'action="{reverse("people:mute", args=["author"])}"' in page
    assert f'action="{reverse("people:hide_tag", args=["freeform", "Angst"])}"' in page

    as_reader.post(reverse("people:hide_tag", args=["freeform", "angst"]), {"undo": "1"})
    as_reader.post(reverse("people:mute", args=["author"]), {"undo": "1"})
    page = as_reader.get(reverse("people:hidden")).content.decode()
    assert "Nobody." in page
    assert "None." in page
    assert angst.get_absolute_url() not in page


def test_hiding_a_tag_says_so_and_leads_back_to_the_tags_page(as_reader: Client) -> None:
    angst = Tag.objects.create(type=TagType.FREEFORM, name="Angst", is_canonical=True)
    hide = reverse("people:hide_tag", args=["freeform", "Angst"])
    response = as_reader.post(hide, follow=True)
    assert response.redirect_chain[0] == (angst.get_absolute_url(), 302)
    assert "Works tagged “Angst” are hidden from your listings." in response.content.decode()
    response = as_reader.post(hide, {"undo": "1"}, follow=True)
    assert "Works tagged “Angst” are shown again." in response.content.decode()


def test_muting_says_so_and_leads_back_to_the_authors_page(as_reader: Client, author: User) -> None:
    mute = reverse("people:mute", args=["author"])
    response = as_reader.post(mute, follow=True)
    assert response.redirect_chain == [(reverse("works:author", args=["author"]), 302)]
    assert "author’s works are hidden from your listings." in response.content.decode()
    response = as_reader.post(mute, {"undo": "1"}, follow=True)
    assert "author is no longer muted." in response.content.decode()


def test_a_reader_past_the_limit_of_hidden_tags_is_told_so(as_reader: Client, reader: User) -> None:
    tags = Tag.objects.bulk_create(
        Tag(type=TagType.FREEFORM, name=f"Tag {n}") for n in range(MAX_HIDDEN_TAGS)
    )
    HiddenTag.objects.bulk_create(HiddenTag(user=reader, tag=tag) for tag in tags)
    Tag.objects.create(type=TagType.FREEFORM, name="One More", is_canonical=True)
    response = as_reader.post(
        reverse("people:hide_tag", args=["freeform", "One More"]), follow=True
    )
    assert "You can hide at most 50 tags." in response.content.decode()
    assert not HiddenTag.objects.filter(user=reader, tag__name="One More").exists()


@pytest.mark.parametrize(
    "url",
    [
        reverse("people:mute", args=["nobody"]),
        reverse("people:hide_tag", args=["freeform", "No Such Tag"]),
        reverse("people:hide_tag", args=["ratings", "Angst"]),
    ],
)
def test_muting_or_hiding_what_is_not_there_is_not_found(as_reader: Client, url: str) -> None:
    Tag.objects.create(type=TagType.FREEFORM, name="Angst")
    assert as_reader.post(url).status_code == 404
    assert not Mute.objects.exists()
    assert not HiddenTag.objects.exists()


def test_a_closed_account_cannot_be_muted(as_reader: Client, author: User) -> None:
    author.is_active = False
    author.save()
    assert as_reader.post(reverse("people:mute", args=["author"])).status_code == 404
    assert not Mute.objects.exists()


# Passwords: changing one, and resetting a forgotten one by email ------------


def reset_link() -> str:
    """The path of the reset link in the one email sent.

    Read from ``mail.outbox`` when asked: the test database's set-up gives
    Django a new outbox after pytest-django's ``mailoutbox`` was handed out.
    """
    [message] = mail.outbox
    match = re.search(r"https?://[^/\s]+(/password/reset/\S+/)", message.body)
    assert match is not None, message.body
    return match.group(1)


def test_a_reader_changes_their_password_and_logs_in_with_the_new_one(
    as_reader: Client, reader: User
) -> None:
    page = as_reader.post(
        reverse("people:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a lantern by the harbour",
            "new_password2": "a lantern by the harbour",
        },
        follow=True,
    )
    assert "Password changed" in page.content.decode()
    assert Client().login(username="reader", password="a lantern by the harbour")
    assert not Client().login(username="reader", password=PASSWORD)


def test_a_wrong_old_password_changes_nothing_and_says_why(as_reader: Client, reader: User) -> None:
    page = as_reader.post(
        reverse("people:password_change"),
        {"old_password": "not it", "new_password1": "x" * 12, "new_password2": "x" * 12},
    )
    assert page.status_code == 200
    assert "Your old password was entered incorrectly" in page.content.decode()
    assert Client().login(username="reader", password=PASSWORD)


def test_changing_a_password_needs_an_account(client: Client, db: None) -> None:
    page = client.get(reverse("people:password_change"))
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("people:login"))


@pytest.mark.usefixtures("tasks_at_once")
def test_a_forgotten_password_is_reset_through_a_link_sent_by_email(
    client: Client, db: None
) -> None:
    UserFactory(username="wren", email="wren@example.org")
    sent = client.post(reverse("people:password_reset"), {"email": "wren@example.org"})
    assert sent["Location"] == reverse("people:password_reset_sent")
    assert mail.outbox[0].to == ["wren@example.org"]
    assert "wren" in mail.outbox[0].body
    form = client.get(reset_link(), follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "salt and iron and rope", "new_password2": "salt and iron and rope"},
    )
    assert done["Location"] == reverse("people:password_reset_done")
    assert Client().login(username="wren", password="salt and iron and rope")


@pytest.mark.usefixtures("tasks_at_once")
def test_a_reset_link_works_once(client: Client, db: None) -> None:
    UserFactory(username="wren", email="wren@example.org")
    client.post(reverse("people:password_reset"), {"email": "wren@example.org"})
    link = reset_link()
    form = client.get(link, follow=True)
    new = {"new_password1": "salt and iron and rope", "new_password2": "salt and iron and rope"}
    client.post(form.redirect_chain[-1][0], new)
    again = Client().get(link, follow=True)
    assert "This link no longer works" in again.content.decode()


@pytest.mark.usefixtures("tasks_at_once")
def test_a_reset_link_expires(client: Client, settings: Any, db: None) -> None:
    UserFactory(username="wren", email="wren@example.org")
    client.post(reverse("people:password_reset"), {"email": "wren@example.org"})
    settings.PASSWORD_RESET_TIMEOUT = -1  # the day has passed
    page = client.get(reset_link(), follow=True)
    assert "This link no longer works" in page.content.decode()


@pytest.mark.usefixtures("tasks_at_once")
def test_asking_for_a_reset_never_says_whether_an_address_has_an_account(
    client: Client, db: None
) -> None:
    UserFactory(username="wren", email="wren@example.org")
    known = client.post(reverse("people:password_reset"), {"email": "wren@example.org"})
    unknown = client.post(reverse("people:password_reset"), {"email": "nobody@example.org"})
    assert known["Location"] == unknown["Location"] == reverse("people:password_reset_sent")
    assert len(mail.outbox) == 1


def test_the_login_page_offers_the_reset(client: Client, db: None) -> None:
    assert reverse("people:password_reset") in client.get(reverse("people:login")).content.decode()


def test_the_login_page_shows_imported_authors_how_to_claim_their_accounts(
    client: Client, db: None
) -> None:
    assert reverse("people:claim_request") in client.get(reverse("people:login")).content.decode()


# Settings, profile, email change, blocking ---------------------------------------

SETTINGS = reverse("people:settings")


def settings_form(**changes: str) -> dict[str, str]:
    return {"theme": "dark", "time_zone": "Europe/Paris", "subscription_email": "daily", **changes}


@pytest.mark.parametrize(
    "url_name", ["people:settings", "people:profile_edit", "people:email_change"]
)
@pytest.mark.parametrize(
    ("persona", "expected"),
    [("as_author", 200), ("as_reader", 200), ("as_admin", 200), ("as_stranger", 302)],
)
def test_the_account_pages_are_for_the_logged_in_only(
    request: pytest.FixtureRequest, persona: str, expected: int, url_name: str
) -> None:
    client: Client = request.getfixturevalue(persona)
    response = client.get(reverse(url_name))
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("people:login"))
        assert client.post(reverse(url_name), settings_form()).status_code == 302


def test_saving_settings_changes_only_ones_own_account(
    as_reader: Client, reader: User, author: User
) -> None:
    response = as_reader.post(SETTINGS, settings_form(hide_notes_by_default="on"), follow=True)
    assert "Your settings are saved." in response.content.decode()
    reader.refresh_from_db()
    author.refresh_from_db()
    assert (reader.theme, reader.time_zone, reader.warn_before_mature) == (
        "dark",
        "Europe/Paris",
        False,
    )
    assert (reader.hide_notes_by_default, reader.subscription_email) == (True, "daily")
    assert reader.email_comments is False  # an unticked box is a choice too
    assert (author.theme, author.time_zone, author.subscription_email) == ("system", "UTC", "none")
    assert '<html lang="en" data-theme="dark"' in response.content.decode()


def test_a_bad_setting_is_refused_and_the_form_keeps_what_was_chosen(
    as_reader: Client, reader: User
) -> None:
    response = as_reader.post(SETTINGS, settings_form(time_zone="Mars/Olympus", theme="light"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice." in page
    assert '<option value="light" selected>' in page
    reader.refresh_from_db()
    assert reader.time_zone == "UTC"


def test_the_footer_switch_keeps_the_theme_on_the_account_or_in_a_guests_cookie(
    as_reader: Client, as_stranger: Client, reader: User
) -> None:
    as_reader.post(reverse("people:theme"), {"theme": "light", "next": "/works/"})
    reader.refresh_from_db()
    assert reader.theme == "light"
    response = as_stranger.post(
        reverse("people:theme"), {"theme": "dark", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
    assert response.cookies["theme"].value == "dark"
    assert as_stranger.get(reverse("people:theme")).status_code == 405


READING = reverse("people:reading")


@pytest.mark.parametrize("persona", ["as_author", "as_reader", "as_admin"])
def test_an_account_keeps_its_reading_settings_from_a_work_page(
    request: pytest.FixtureRequest, persona: str, author: User
) -> None:
    client: Client = request.getfixturevalue(persona)
    work = make_work(owner=author, title="Set in Large Type")
    response = client.post(
        READING, {"size": "x-large", "width": "narrow", "next": work.get_absolute_url()}
    )
    assert response["Location"] == work.get_absolute_url()
    assert "reading_size" not in response.cookies  # kept on the account, not the browser
    page = client.get(work.get_absolute_url()).content.decode()
    assert 'data-reading-size="x-large" data-reading-width="narrow"' in page
    assert "Your reading settings are saved." in page
    assert '<option value="x-large" selected>Extra large</option>' in page


def test_a_guest_keeps_the_reading_settings_in_cookies(as_stranger: Client, author: User) -> None:
    work = make_work(owner=author, title="Set Wide")
    response = as_stranger.post(
        READING, {"size": "large", "width": "wide", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
    assert (response.cookies["reading_size"].value, response.cookies["reading_width"].value) == (
        "large",
        "wide",
    )
    page = as_stranger.get(work.get_absolute_url()).content.decode()
    assert 'data-reading-size="large" data-reading-width="wide"' in page
    assert '<option value="wide" selected>Wide</option>' in page
    assert as_stranger.get(READING).status_code == 405


def test_a_reading_setting_not_offered_is_refused_with_a_message(
    as_reader: Client, reader: User
) -> None:
    response = as_reader.post(
        READING, {"size": "9999px", "width": "wide", "next": "/"}, follow=True
    )
    assert "Choose a text size and a line width from the lists." in response.content.decode()
    reader.refresh_from_db()
    assert (reader.reading_size, reader.reading_width) == ("medium", "medium")


def test_the_settings_page_offers_high_contrast_and_the_reading_settings(
    as_reader: Client, reader: User
) -> None:
    page = as_reader.get(SETTINGS).content.decode()
    assert '<option value="contrast">High contrast</option>' in page
    assert "Text size of works" in page
    as_reader.post(
        SETTINGS, settings_form(theme="contrast", reading_size="small", reading_width="wide")
    )
    reader.refresh_from_db()
    assert (reader.theme, reader.reading_size, reader.reading_width) == (
        "contrast",
        "small",
        "wide",
    )


def test_a_profile_shows_the_sanitised_bio_and_when_its_owner_joined(
    as_reader: Client, as_stranger: Client, reader: User
) -> None:
    as_reader.post(
        reverse("people:profile_edit"),
        {"bio": 'I write <em>quietly</em>.<script>alert(1)</script><img src=x onerror="y">'},
    )
    page = as_stranger.get(reverse("people:profile", args=["reader"])).content.decode()
    assert "I write <em>quietly</em>." in page
    assert "<script>alert" not in page
    assert "onerror" not in page
    assert f'datetime="{reader.date_joined.isoformat()}"' in page
    assert "Edit your profile" not in page
    assert (
        "Edit your profile"
        in as_reader.get(reverse("people:profile", args=["reader"])).content.decode()
    )
    assert as_stranger.get(reverse("people:profile", args=["nobody"])).status_code == 404


def test_an_imported_plain_text_bio_is_shown_escaped(as_stranger: Client) -> None:
    UserFactory(username="imported", bio="Fan of <b>bold</b> & <script>x</script>")
    page = as_stranger.get(reverse("people:profile", args=["imported"])).content.decode()
    assert "<script>x" not in page


def test_changing_email_is_confirmed_at_the_new_address(
    as_reader: Client, as_stranger: Client, reader: User
) -> None:
    change = reverse("people:email_change")
    wrong = as_reader.post(change, {"new_email": "new@example.org", "password": "guess"})
    assert "That is not your current password." in wrong.content.decode()
    assert 'value="new@example.org"' in wrong.content.decode()  # kept as typed
    sent = as_reader.post(
        change, {"new_email": "new@example.org", "password": PASSWORD}, follow=True
    )
    assert "We sent a link to new@example.org" in sent.content.decode()
    assert [m.to for m in mail.outbox] == [["new@example.org"]]
    link = re.search(r"http://testserver(/settings/email/confirm/[^/]+/)", mail.outbox[0].body)
    assert link is not None
    # Opening the link (a mail scanner does) changes nothing; the button does, from any browser.
    assert "Confirm the new address" in as_stranger.get(link[1]).content.decode()
    reader.refresh_from_db()
    assert reader.email == "reader@example.org"
    done = as_stranger.post(link[1], follow=True)
    assert "Your email address is now new@example.org." in done.content.decode()
    reader.refresh_from_db()
    assert reader.email == "new@example.org"
    assert mail.outbox[-1].to == ["reader@example.org"]
    again = as_stranger.post(link[1])
    assert again.status_code == 400
    assert "used already" in again.content.decode()


def test_a_made_up_confirmation_link_is_refused(as_stranger: Client) -> None:
    response = as_stranger.get(reverse("people:email_confirm", args=["made-up"]))
    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()


def test_a_reader_blocks_and_unblocks_an_author_from_the_authors_page(
    as_reader: Client, reader: User, author: User
) -> None:
    author_page = reverse("works:author", args=["author"])
    assert "Block author" in as_reader.get(author_page).content.decode()
    page = as_reader.post(reverse("people:block", args=["author"]), follow=True).content.decode()
    assert "author is blocked" in page
    assert "Unblock author" in page
    assert Block.objects.filter(user=reader, blocked=author).exists()
    hidden_page = as_reader.get(reverse("people:hidden")).content.decode()
    assert "Blocked accounts" in hidden_page
    assert "Unblock<span" in hidden_page
    as_reader.post(reverse("people:block", args=["author"]), {"undo": "1"})
    assert not Block.objects.filter(user=reader).exists()


def test_blocking_needs_an_account_a_post_and_someone_else(
    as_stranger: Client, as_reader: Client, as_author: Client, author: User
) -> None:
    assert as_stranger.post(reverse("people:block", args=["author"])).status_code == 302
    assert (
        "Block author"
        not in as_stranger.get(reverse("works:author", args=["author"])).content.decode()
    )
    assert (
        "Block author"
        not in as_author.get(reverse("works:author", args=["author"])).content.decode()
    )
    assert as_reader.get(reverse("people:block", args=["author"])).status_code == 405
    refused = as_author.post(reverse("people:block", args=["author"]), follow=True)
    assert "You cannot block yourself." in refused.content.decode()
    assert as_reader.post(reverse("people:block", args=["nobody"])).status_code == 404
    assert not Block.objects.exists()


def test_the_settings_page_offers_colouring_dialogue_by_speaker(
    as_reader: Client, reader: User
) -> None:
    assert "Colour dialogue by speaker" in as_reader.get(SETTINGS).content.decode()
    as_reader.post(SETTINGS, settings_form(colour_dialogue="on"))
    reader.refresh_from_db()
    assert reader.colour_dialogue is True


# Joining by invitation (FANFOLD_REGISTRATION=invite) and closed registration ------


@pytest.fixture
def by_invitation(settings: Any) -> None:
    settings.REGISTRATION = "invite"


def _invitation(code: str = "c0de", **fields: Any) -> Invitation:
    fields.setdefault("expires_at", timezone.now() + timedelta(days=1))
    return Invitation.objects.create(code=code, email="ivy@example.org", **fields)


def _signup_data(code: str) -> dict[str, str]:
    return {
        "invitation": code,
        "username": "ivy",
        "email": "ivy@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }


def test_closed_registration_says_so_and_makes_no_account(
    as_stranger: Client, settings: Any
) -> None:
    settings.REGISTRATION = "closed"
    page = as_stranger.get(reverse("people:signup"))
    assert "not taking new accounts" in page.content.decode()
    as_stranger.post(reverse("people:signup"), _signup_data("x"))
    assert not User.objects.filter(username="ivy").exists()


@pytest.mark.usefixtures("by_invitation")
def test_the_invitation_link_fills_in_the_code_and_address(as_stranger: Client) -> None:
    _invitation()
    page = as_stranger.get(reverse("people:signup"), {"code": "c0de"}).content.decode()
    assert 'value="c0de"' in page
    assert 'value="ivy@example.org"' in page


@pytest.mark.usefixtures("by_invitation")
def test_an_invited_signup_makes_the_account_and_logs_it_in(as_stranger: Client) -> None:
    _invitation()
    response = as_stranger.post(reverse("people:signup"), _signup_data("c0de"))
    assert response.status_code == 302
    ivy = User.objects.get(username="ivy")
    assert Invitation.objects.get().used_by == ivy
    assert as_stranger.get(reverse("people:settings")).status_code == 200


@pytest.mark.usefixtures("by_invitation")
@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"used_at": timezone.now()}, "used already"),
        ({"expires_at": timezone.now() - timedelta(seconds=1)}, "has expired"),
    ],
)
def test_a_used_or_expired_code_is_refused_keeping_what_was_typed(
    as_stranger: Client, fields: dict[str, Any], message: str
) -> None:
    _invitation(**fields)
    response = as_stranger.post(reverse("people:signup"), _signup_data("c0de"))
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert 'value="ivy"' in page  # the username stays as typed
    assert not User.objects.filter(username="ivy").exists()


@pytest.mark.usefixtures("by_invitation")
def test_an_expired_code_in_the_link_is_explained_at_once(as_stranger: Client) -> None:
    _invitation(expires_at=timezone.now() - timedelta(seconds=1))
    page = as_stranger.get(reverse("people:signup"), {"code": "c0de"}).content.decode()
    assert "has expired" in page


@pytest.mark.usefixtures("by_invitation")
def test_signup_without_a_code_is_refused(as_stranger: Client) -> None:
    data = _signup_data("")
    page = as_stranger.post(reverse("people:signup"), data).content.decode()
    assert "This field is required" in page
    assert not User.objects.filter(username="ivy").exists()


@pytest.mark.usefixtures("by_invitation")
def test_a_visitor_joins_the_queue_and_follows_the_emailed_link_to_their_place(
    as_stranger: Client,
) -> None:
    for n in range(2):
        as_stranger.post(reverse("people:queue_join"), {"email": f"early{n}@example.org"})
    response = as_stranger.post(reverse("people:queue_join"), {"email": "Ivy@Example.org"})
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["ivy@example.org"]
    link = re.search(r"http://testserver(\S+)", mail.outbox[-1].body)
    assert link is not None
    page = Client().get(link.group(1)).content.decode()  # opened from the email, later
    assert "number 3 in the queue" in page
    assert "early0" not in page
    assert "early1" not in page


@pytest.mark.usefixtures("by_invitation")
def test_a_bad_queue_address_is_refused_keeping_what_was_typed(as_stranger: Client) -> None:
    page = as_stranger.post(reverse("people:queue_join"), {"email": "not-an-address"})
    assert 'value="not-an-address"' in page.content.decode()
    assert InvitationRequest.objects.count() == 0


@pytest.mark.usefixtures("by_invitation")
def test_a_forged_queue_link_is_not_found(as_stranger: Client) -> None:
    response = as_stranger.get(reverse("people:queue_place", args=["forged"]))
    assert response.status_code == 404
    assert "does not work" in response.content.decode()


def test_the_queue_is_not_found_unless_registration_is_by_invitation(
    as_stranger: Client,
) -> None:
    assert as_stranger.get(reverse("people:queue_join")).status_code == 404


# Claiming an imported account -----------------------------------------------------


def _claim_url(email: str = "quill@example.org") -> str:
    quill = account_for_imported_author(pen_name="Quill", email=email, bio="", save=True)
    return claims.claim_path(quill)


def test_an_imported_author_claims_the_account_and_is_logged_in(as_stranger: Client) -> None:
    url = _claim_url()
    assert "Quill" in as_stranger.get(url).content.decode()
    response = as_stranger.post(url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 302
    assert as_stranger.get(reverse("people:settings")).status_code == 200
    assert User.objects.get(username="Quill").check_password(PASSWORD)
    again = Client().get(url)  # the link died with the first password
    assert again.status_code == 400
    assert "used already" in again.content.decode()


def test_a_weak_or_mismatched_password_is_refused_on_the_claim_page(as_stranger: Client) -> None:
    url = _claim_url()
    page = as_stranger.post(url, {"new_password1": "123", "new_password2": "123"})
    assert page.status_code == 200
    assert "too short" in page.content.decode()
    assert not User.objects.get(username="Quill").has_usable_password()


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_claim_link_works_for_whoever_holds_it_and_a_forged_one_for_nobody(
    persona: str, request: pytest.FixtureRequest
) -> None:
    client: Client = request.getfixturevalue(persona)
    url = _claim_url()
    assert client.get(url).status_code == 200
    assert client.get(url[:-3] + "xx/").status_code == 400


def test_the_claim_page_sends_a_new_link_without_saying_whether_an_account_exists(
    as_stranger: Client,
) -> None:
    _claim_url()
    for email in ["quill@example.org", "nobody@example.org"]:
        response = as_stranger.post(reverse("people:claim_request"), {"email": email}, follow=True)
        assert f"If an imported account has the address {email}" in response.content.decode()
    assert [message.to for message in mail.outbox] == [["quill@example.org"]]


@pytest.mark.usefixtures("by_invitation")
def test_the_queue_page_costs_the_same_queries_however_long_the_queue(
    as_stranger: Client,
) -> None:
    mine = invitations.join_queue(email="ivy@example.org", link_for=str)
    url = reverse("people:queue_place", args=[invitations.queue_token(mine)])
    queries_for(as_stranger, url)
    short = queries_for(as_stranger, url)
    for n in range(20):
        invitations.join_queue(email=f"later{n}@example.org", link_for=str)
    assert queries_for(as_stranger, url) == short
