"""Logging in (throttled, two steps with two-factor), resets, sign-ups, and the settings pages.

Argon2 makes each password check slow, so the tests lower the failure limit
rather than typing many wrong passwords.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult

from fanfold.archive.people import signin, signin_views
from fanfold.archive.people.models import SignInSession, User
from tests.archive.conftest import queries_for
from tests.archive.factories import PASSWORD, UserFactory
from tests.archive.people.test_signin import code_for, logged_in, with_two_factor

LOGIN = reverse("people:login")
CODE = reverse("people:login_code")
TWO_FACTOR = reverse("people:two_factor")
SESSIONS = reverse("people:sessions")


def log_in(client: Client, username: str, password: str = PASSWORD, **extra: Any) -> Any:
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def comparable(page: Any, *typed: str) -> str:
    """A page's HTML without its CSRF tokens and with what the person typed blanked out."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page.content.decode())
    for text in typed:
        html = html.replace(text, "TYPED")
    return html


@pytest.fixture
def limit_of_two(settings: Any) -> None:
    settings.AXES_FAILURE_LIMIT = 2


# Logging in ---------------------------------------------------------------------------


def test_a_wrong_password_and_an_unknown_account_get_the_same_answer(reader: User) -> None:
    known = log_in(Client(), "reader", "wrong password")
    unknown = log_in(Client(), "nobody-here", "wrong password")
    assert known.status_code == unknown.status_code == 200
    assert "Please enter a correct username and password" in known.content.decode()
    assert comparable(known, "reader") == comparable(unknown, "nobody-here")


@pytest.mark.usefixtures("limit_of_two")
def test_an_account_is_locked_after_too_many_wrong_passwords_even_for_the_right_one(
    reader: User,
) -> None:
    for address in ["10.0.0.1", "10.0.0.2"]:  # from anywhere: the account is what is locked
        log_in(Client(), "reader", "wrong", REMOTE_ADDR=address)
    page = log_in(Client(), "reader", PASSWORD, REMOTE_ADDR="10.0.0.3")
    assert page.status_code == 429
    html = page.content.decode()
    assert "Too many failed logins for this account or from your address" in html
    assert "Try again in 15 minutes" in html
    assert 'value="reader"' in html  # the form keeps the username
    assert "_auth_user_id" not in page.client.session


@pytest.mark.usefixtures("limit_of_two")
def test_an_unknown_account_is_locked_just_the_same(db: None) -> None:
    for _ in range(2):
        log_in(Client(), "nobody-here", "wrong")
    assert log_in(Client(), "nobody-here", "wrong").status_code == 429


@pytest.mark.usefixtures("limit_of_two")
def test_an_address_trying_many_accounts_is_locked(reader: User, author: User) -> None:
    for name in ["someone", "someone-else"]:
        log_in(Client(), name, "wrong", REMOTE_ADDR="10.6.6.6")
    assert log_in(Client(), "reader", PASSWORD, REMOTE_ADDR="10.6.6.6").status_code == 429
    assert log_in(Client(), "author", PASSWORD, REMOTE_ADDR="10.0.0.9").status_code == 302


@pytest.mark.usefixtures("limit_of_two")
def test_the_address_is_the_one_the_operators_proxy_saw(reader: User, settings: Any) -> None:
    settings.PROXY_COUNT = 1
    for name in ["someone", "someone-else"]:
        log_in(Client(), name, "wrong", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6")
    # Same proxy, another visitor: not locked.
    other = log_in(
        Client(), "reader", PASSWORD, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="7.7.7.7"
    )
    assert other.status_code == 302


def test_a_good_login_clears_the_count(reader: User, settings: Any) -> None:
    settings.AXES_FAILURE_LIMIT = 2
    log_in(Client(), "reader", "wrong")
    assert log_in(Client(), "reader").status_code == 302
    log_in(Client(), "reader", "wrong")
    assert log_in(Client(), "reader").status_code == 302


# Two steps ------------------------------------------------------------------------------


def test_with_two_factor_the_password_alone_does_not_log_in(reader: User) -> None:
    device, _ = with_two_factor(reader)
    client = Client()
    answer = client.post(LOGIN, {"username": "reader", "password": PASSWORD, "next": "/hidden/"})
    assert answer["Location"] == CODE
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("people:settings")).status_code == 302
    wrong = client.post(CODE, {"code": "123"})
    assert "That code is not right" in wrong.content.decode()
    assert "_auth_user_id" not in client.session
    done = client.post(CODE, {"code": code_for(device, steps_ahead=1)})
    assert done["Location"] == "/hidden/"
    assert client.get(reverse("people:settings")).status_code == 200
    assert client.session["_auth_user_id"] == str(reader.pk)


def test_a_recovery_code_logs_in_once(reader: User) -> None:
    _, codes = with_two_factor(reader)
    first = Client()
    log_in(first, "reader")
    assert first.post(CODE, {"code": codes[3]}).status_code == 302
    second = Client()
    log_in(second, "reader")
    assert "That code is not right" in second.post(CODE, {"code": codes[3]}).content.decode()


def test_the_code_page_without_a_password_first_sends_back_to_the_login(db: None) -> None:
    page = Client().get(CODE, follow=True)
    assert page.redirect_chain[-1][0] == LOGIN
    assert "Log in again" in page.content.decode()


def test_the_code_page_waits_only_five_minutes(reader: User) -> None:
    with_two_factor(reader)
    client = Client()
    log_in(client, "reader")
    session = client.session
    session[signin_views.PENDING]["at"] -= signin_views.PENDING_FOR + 1
    session.save()
    assert client.get(CODE)["Location"] == LOGIN


# The admin ------------------------------------------------------------------------------


def test_the_admin_login_leads_to_the_sites(db: None) -> None:
    page = Client().get(reverse("admin:login") + "?next=/admin/people/user/")
    assert page["Location"] == LOGIN + "?next=%2Fadmin%2Fpeople%2Fuser%2F"
    posted = Client().post(reverse("admin:login"), {"username": "x", "password": "y"})
    assert posted["Location"].startswith(LOGIN)


def test_staff_with_two_factor_need_a_session_that_gave_the_code(admin: User) -> None:
    device, _ = with_two_factor(admin)
    password_only = Client()
    password_only.force_login(admin)  # a session from before two-factor was turned on
    assert password_only.get(reverse("admin:index")).status_code == 302
    client = Client()
    log_in(client, "admin")
    client.post(CODE, {"code": code_for(device, steps_ahead=1)})
    assert client.get(reverse("admin:index")).status_code == 200


def test_staff_without_two_factor_still_open_the_admin(as_admin: Client) -> None:
    assert as_admin.get(reverse("admin:index")).status_code == 200


# Resets and sign-ups ------------------------------------------------------------------------


RESET = reverse("people:password_reset")


def test_a_reset_for_a_known_and_an_unknown_address_does_the_same_work(db: None) -> None:
    UserFactory(username="wren", email="wren@example.org")
    known = Client().post(RESET, {"email": "wren@example.org"}, follow=True)
    unknown = Client().post(RESET, {"email": "nobody@example.org"}, follow=True)
    assert known.status_code == unknown.status_code == 200
    assert comparable(known) == comparable(unknown)
    # Each queued one job and sent nothing yet: the worker decides, away from the request.
    assert DBTaskResult.objects.count() == 2
    assert mail.outbox == []


@pytest.mark.usefixtures("tasks_at_once")
def test_the_queued_job_emails_only_a_known_address(db: None) -> None:
    UserFactory(username="wren", email="wren@example.org")
    Client().post(RESET, {"email": "nobody@example.org"})
    assert mail.outbox == []
    Client().post(RESET, {"email": "wren@example.org"})
    assert [message.to for message in mail.outbox] == [["wren@example.org"]]


def test_resets_are_counted_per_email_and_per_address(db: None, settings: Any) -> None:
    settings.PASSWORD_RESET_LIMIT = 2
    for address in ["10.0.0.1", "10.0.0.2"]:
        Client().post(RESET, {"email": "wren@example.org"}, REMOTE_ADDR=address)
    refused = Client().post(RESET, {"email": "wren@example.org"}, REMOTE_ADDR="10.0.0.3")
    assert refused.status_code == 200
    assert "Too many password resets asked for. Try again in 60 minutes." in (
        refused.content.decode()
    )
    assert 'value="wren@example.org"' in refused.content.decode()
    for email in ["a@example.org", "b@example.org"]:
        Client().post(RESET, {"email": email}, REMOTE_ADDR="10.0.0.9")
    by_address = Client().post(RESET, {"email": "c@example.org"}, REMOTE_ADDR="10.0.0.9")
    assert "Too many password resets" in by_address.content.decode()
    assert DBTaskResult.objects.count() == 4


def test_sign_ups_are_counted_per_address(db: None, settings: Any) -> None:
    settings.SIGNUP_LIMIT = 1
    form = {"username": "first", "password1": PASSWORD, "password2": PASSWORD}
    assert Client().post(reverse("people:signup"), form).status_code == 302
    refused = Client().post(reverse("people:signup"), {**form, "username": "second"})
    assert refused.status_code == 429
    assert "Too many sign-ups from your address" in refused.content.decode()
    assert 'value="second"' in refused.content.decode()
    assert not User.objects.filter(username="second").exists()
    elsewhere = Client().post(
        reverse("people:signup"), {**form, "username": "third"}, REMOTE_ADDR="10.1.1.1"
    )
    assert elsewhere.status_code == 302


# Two-factor settings -------------------------------------------------------------------------


def test_turning_two_factor_on_shows_a_qr_code_then_the_recovery_codes_once(
    as_reader: Client, reader: User
) -> None:
    assert "is <strong>off</strong>" in as_reader.get(TWO_FACTOR).content.decode()
    as_reader.post(reverse("people:two_factor_start"))
    page = as_reader.get(TWO_FACTOR).content.decode()
    assert 'src="data:image/svg+xml;base64,' in page
    device = TOTPDevice.objects.get(user=reader)
    assert signin_views.readable_secret(device) in page
    assert "style=" not in page
    assert "<script>" not in page
    wrong = as_reader.post(reverse("people:two_factor_confirm"), {"code": "12"})
    assert "That code is not right" in wrong.content.decode()
    confirmed = as_reader.post(reverse("people:two_factor_confirm"), {"code": code_for(device)})
    assert confirmed["Location"] == TWO_FACTOR
    shown = as_reader.get(TWO_FACTOR).content.decode()
    codes = re.findall(r"<code>([0-9a-f]{5}-[0-9a-f]{5})</code>", shown)
    assert len(codes) == 10
    assert codes[0] not in as_reader.get(TWO_FACTOR).content.decode()  # shown once
    as_reader.post(reverse("people:two_factor_codes"))
    again = as_reader.get(TWO_FACTOR).content.decode()
    new_codes = re.findall(r"<code>([0-9a-f]{5}-[0-9a-f]{5})</code>", again)
    assert len(new_codes) == 10
    assert not set(codes) & set(new_codes)


def test_turning_two_factor_off_needs_password_and_code(as_reader: Client, reader: User) -> None:
    _, codes = with_two_factor(reader)
    url = reverse("people:two_factor_disable")
    refused = as_reader.post(url, {"password": "wrong", "code": codes[0]})
    assert refused.status_code == 400
    assert "That is not your password" in refused.content.decode()
    assert as_reader.post(url, {"password": PASSWORD, "code": codes[0]}).status_code == 302
    assert "is <strong>off</strong>" in as_reader.get(TWO_FACTOR).content.decode()


def test_a_session_without_the_code_cannot_change_two_factor(
    as_reader: Client, reader: User
) -> None:
    _, codes = with_two_factor(reader)  # as_reader logged in before: its session gave no code
    page = as_reader.post(reverse("people:two_factor_codes"), follow=True)
    assert "log in again with your two-factor code" in page.content.decode()
    as_reader.post(reverse("people:two_factor_start"))
    assert TOTPDevice.objects.filter(user=reader, confirmed=False).count() == 0
    assert signin.verify_code(user=reader, code=codes[0])  # the codes are as they were


# Sessions ------------------------------------------------------------------------------------


def test_the_sessions_page_marks_this_device(reader: User) -> None:
    here = logged_in(reader, "This Browser")
    logged_in(reader, "Other Browser")
    page = here.get(SESSIONS).content.decode()
    assert "This Browser <strong>(this device)</strong>" in page
    assert "Other Browser" in page
    assert "Other Browser <strong>" not in page


def test_signing_out_a_session_from_the_page(reader: User) -> None:
    here, there = logged_in(reader, "Here"), logged_in(reader, "There")
    row = SignInSession.objects.get(user_agent="There")
    answer = here.post(reverse("people:session_sign_out", args=[row.pk]), follow=True)
    assert "That session is signed out" in answer.content.decode()
    assert there.get(reverse("people:settings")).status_code == 302  # logged out there
    assert here.get(reverse("people:settings")).status_code == 200


def test_signing_out_everywhere_else_from_the_page(reader: User) -> None:
    here, there = logged_in(reader, "Here"), logged_in(reader, "There")
    answer = here.post(reverse("people:sessions_sign_out_others"), follow=True)
    assert "Signed out everywhere else (1 session)" in answer.content.decode()
    assert there.get(reverse("people:settings")).status_code == 302


def test_nobody_sees_or_ends_another_persons_sessions(reader: User, author: User) -> None:
    theirs = logged_in(reader, "Readers Browser")
    mine = logged_in(author, "Authors Browser")
    assert "Readers Browser" not in mine.get(SESSIONS).content.decode()
    row = SignInSession.objects.get(user=reader)
    answer = mine.post(reverse("people:session_sign_out", args=[row.pk]), follow=True)
    assert "already ended" in answer.content.decode()
    assert SessionStore().exists(row.session_key)
    assert theirs.get(reverse("people:settings")).status_code == 200


def test_the_sessions_page_costs_the_same_with_more_sessions(reader: User) -> None:
    here = logged_in(reader)
    first = queries_for(here, SESSIONS)
    for _ in range(5):
        logged_in(reader)
    assert queries_for(here, SESSIONS) == first


@pytest.mark.parametrize(
    ("name", "args", "method"),
    [
        ("people:two_factor", [], "get"),
        ("people:two_factor_start", [], "post"),
        ("people:two_factor_confirm", [], "post"),
        ("people:two_factor_codes", [], "post"),
        ("people:two_factor_disable", [], "post"),
        ("people:sessions", [], "get"),
        ("people:session_sign_out", [1], "post"),
        ("people:sessions_sign_out_others", [], "post"),
    ],
)
def test_strangers_are_sent_to_log_in(
    as_stranger: Client, name: str, args: list[int], method: str
) -> None:
    answer = getattr(as_stranger, method)(reverse(name, args=args))
    assert answer.status_code == 302
    assert answer["Location"].startswith(LOGIN)


@pytest.mark.parametrize("persona", ["as_author", "as_reader", "as_admin"])
def test_every_account_has_its_own_settings_pages(persona: str, request: Any) -> None:
    client: Client = request.getfixturevalue(persona)
    for url in [TWO_FACTOR, SESSIONS]:
        assert client.get(url).status_code == 200
    for name in ["two_factor_start", "two_factor_codes", "sessions_sign_out_others"]:
        assert client.get(reverse(f"people:{name}")).status_code == 405  # changes take a POST
