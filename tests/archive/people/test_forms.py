"""The sign-up, settings, bio and email change forms.

``people.forms.SignupForm`` promises an account from a username, an email
and a password typed twice; a username no other account has, in any case;
and never a username a browser would read as a folder ("." or "..").
``SettingsForm`` starts from the account and offers only the themes, time
zones and email choices there are; ``EmailChangeForm`` wants a valid new
address and the current password; ``BioForm`` what a bio holds.
"""

from __future__ import annotations

import pytest

from fanfold.archive.people.forms import (
    BioForm,
    EmailChangeForm,
    InvitedSignupForm,
    ReadingForm,
    SettingsForm,
    SignupForm,
)
from fanfold.archive.people.models import User
from fanfold.archive.people.services import Preferences
from tests.archive.factories import PASSWORD

pytestmark = pytest.mark.django_db


def signup(username: str, **fields: str) -> SignupForm:
    return SignupForm(
        {
            "username": username,
            "email": f"{username.strip('.') or 'dots'}@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            **fields,
        }
    )


def test_signing_up_makes_an_account_with_a_hashed_password() -> None:
    form = signup("kit.kat")
    assert form.is_valid(), form.errors
    user = form.save()
    user.refresh_from_db()
    assert (user.username, user.email) == ("kit.kat", "kit.kat@example.org")
    assert user.password.startswith("argon2$")
    assert user.check_password(PASSWORD)


def test_the_form_asks_only_for_a_username_an_email_and_the_password_twice() -> None:
    assert list(SignupForm().fields) == ["username", "email", "password1", "password2"]


@pytest.mark.parametrize("username", [".", "..", "..."])
def test_a_username_of_only_dots_is_refused(username: str) -> None:
    form = signup(username)
    assert not form.is_valid()
    assert form.errors["username"] == ["A username needs a letter, digit or one of @ + - _."]


def test_a_username_taken_in_another_case_is_refused(author: User) -> None:
    form = signup("AUTHOR")
    assert not form.is_valid()
    assert "username" in form.errors
    assert User.objects.count() == 1


def test_two_different_passwords_are_refused() -> None:
    form = signup("quill", password2=PASSWORD + "!")
    assert not form.is_valid()
    assert list(form.errors) == ["password2"]


def test_a_username_with_a_slash_is_refused() -> None:
    """A "/" would split the author's page address in two."""
    form = signup("lady/lake")
    assert not form.is_valid()
    assert "username" in form.errors


def settings_data(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "hide_notes_by_default": "on",
        "theme": "dark",
        "time_zone": "Europe/Berlin",
        "subscription_email": "daily",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_the_settings_form_starts_from_the_account_and_gives_its_preferences(
    reader: User,
) -> None:
    initial = SettingsForm.for_user(reader)
    assert initial["warn_before_mature"].value() is True
    assert initial["time_zone"].value() == "UTC"
    form = SettingsForm.for_user(reader, settings_data())
    assert form.is_valid(), form.errors
    assert form.to_preferences() == Preferences(
        hide_notes_by_default=True,
        warn_before_mature=False,  # an unticked box
        theme="dark",
        time_zone="Europe/Berlin",
        subscription_email="daily",
        email_comments=False,  # an unticked box
        history_paused=False,
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [("time_zone", "Mars/Olympus"), ("time_zone", None), ("theme", "neon")],
)
def test_the_settings_form_refuses_what_it_does_not_offer(
    reader: User, field: str, value: str | None
) -> None:
    form = SettingsForm.for_user(reader, settings_data(**{field: value}))
    assert not form.is_valid()
    assert field in form.errors


def test_the_settings_form_gives_the_reading_settings_or_keeps_the_accounts(
    reader: User,
) -> None:
    chosen = SettingsForm.for_user(reader, settings_data(reading_size="large", theme="contrast"))
    assert chosen.is_valid(), chosen.errors
    assert (chosen.to_preferences().reading_size, chosen.to_preferences().theme) == (
        "large",
        "contrast",
    )
    reader.reading_width = "wide"
    left_out = SettingsForm.for_user(reader, settings_data())
    assert left_out.is_valid(), left_out.errors
    assert left_out.to_preferences().reading_width == "wide"
    refused = SettingsForm.for_user(reader, settings_data(reading_size="1px"))
    assert "reading_size" in refused.errors


def test_the_reading_form_offers_only_the_sizes_and_widths_there_are() -> None:
    assert ReadingForm({"size": "x-large", "width": "narrow"}).is_valid()
    refused = ReadingForm({"size": "huge", "width": ""})
    assert set(refused.errors) == {"size", "width"}


def test_the_email_change_form_wants_the_current_password(reader: User) -> None:
    wrong = EmailChangeForm({"new_email": "new@example.org", "password": "guess"}, user=reader)
    assert not wrong.is_valid()
    assert wrong.errors["password"] == ["That is not your current password."]
    bad = EmailChangeForm({"new_email": "not an address", "password": PASSWORD}, user=reader)
    assert "new_email" in bad.errors
    good = EmailChangeForm({"new_email": "new@example.org", "password": PASSWORD}, user=reader)
    assert good.is_valid(), good.errors


def test_a_bio_longer_than_an_account_holds_is_refused() -> None:
    assert not BioForm({"bio": "b" * 5001}).is_valid()
    assert BioForm({"bio": ""}).is_valid()


@pytest.mark.django_db
def test_the_invited_signup_form_asks_for_the_code_first_and_checks_it() -> None:
    form = InvitedSignupForm({"invitation": "unknown", "username": "ivy"})
    assert next(iter(form.fields)) == "invitation"
    assert not form.is_valid()
    assert "not one we sent" in form.errors["invitation"][0]


@pytest.mark.django_db
def test_nobody_signs_up_as_the_orphan_account() -> None:
    form = SignupForm({"username": "Orphan_Account", "password1": PASSWORD, "password2": PASSWORD})
    assert not form.is_valid()
    assert "the archive's own" in form.errors["username"][0]
