"""Sign-in security's writes: attempt counters, two-factor devices, signed-in sessions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import login
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from fanfold.archive.people import selectors, signin
from fanfold.archive.people.models import SignInSession, User
from tests.archive.factories import PASSWORD


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """What the person's app shows (``steps_ahead`` 30-second steps later: a code is used once)."""
    return str(totp(device.bin_key, drift=steps_ahead)).zfill(6)


def with_two_factor(user: User) -> tuple[TOTPDevice, list[str]]:
    device = signin.start_two_factor(user=user)
    on = signin.confirm_two_factor(user=user, code=code_for(device))
    return on.device, on.recovery_codes


# Counters ---------------------------------------------------------------------------


def test_attempts_past_the_limit_are_refused_until_the_window_ends() -> None:
    assert [signin.count_attempt("test", "1.2.3.4", limit=3) for _ in range(3)] == [None] * 3
    until = signin.count_attempt("test", "1.2.3.4", limit=3)
    assert until is not None
    assert until - timezone.now() > settings.THROTTLE_WINDOW - timedelta(minutes=1)
    assert signin.count_attempt("test", "5.6.7.8", limit=3) is None  # another address counts apart
    assert signin.blocked_until("test", "1.2.3.4", limit=3) is not None
    signin.forget_attempts("test", "1.2.3.4")
    assert signin.blocked_until("test", "1.2.3.4", limit=3) is None


def test_an_email_is_counted_whatever_its_case() -> None:
    for _ in range(2):
        signin.count_attempt("test", "Wren@Example.org", limit=2)
    assert signin.count_attempt("test", "wren@example.org ", limit=2) is not None


# Two-factor --------------------------------------------------------------------------


def test_two_factor_is_on_only_once_a_code_from_the_app_is_confirmed(reader: User) -> None:
    device = signin.start_two_factor(user=reader)
    assert not selectors.has_two_factor(reader)
    with pytest.raises(ValidationError, match="not right"):
        signin.confirm_two_factor(
            user=reader, code="000000" if code_for(device) != "000000" else "1"
        )
    assert not selectors.has_two_factor(reader)
    on = signin.confirm_two_factor(user=reader, code=code_for(device))
    assert selectors.has_two_factor(reader)
    assert len(on.recovery_codes) == signin.RECOVERY_CODES == 10
    assert len(set(on.recovery_codes)) == 10
    assert selectors.recovery_codes_left(reader) == 10


def test_starting_again_replaces_the_unconfirmed_secret(reader: User) -> None:
    first = signin.start_two_factor(user=reader)
    second = signin.start_two_factor(user=reader)
    assert list(TOTPDevice.objects.filter(user=reader)) == [second]
    assert first.key != second.key


def test_the_apps_code_is_accepted_once_and_a_recovery_code_once(reader: User) -> None:
    device, codes = with_two_factor(reader)
    assert signin.verify_code(user=reader, code=code_for(device, steps_ahead=1)) == device
    with pytest.raises(ValidationError):  # the same code again: someone watching replays it
        signin.verify_code(user=reader, code=code_for(device, steps_ahead=1))
    recovery = signin.verify_code(user=reader, code=codes[0].upper())
    assert recovery.persistent_id != device.persistent_id
    with pytest.raises(ValidationError, match="not right"):
        signin.verify_code(user=reader, code=codes[0])
    assert selectors.recovery_codes_left(reader) == 9


def test_wrong_codes_are_counted_per_account_and_then_even_the_right_one_waits(
    reader: User, author: User, settings: Any
) -> None:
    settings.OTP_CODE_LIMIT = 3
    device, _ = with_two_factor(reader)
    for _ in range(3):
        with pytest.raises(ValidationError, match="not right"):
            signin.verify_code(user=reader, code="abc")
    with pytest.raises(ValidationError, match=r"Too many wrong codes.*Try again in 60 minutes"):
        signin.verify_code(user=reader, code="abc")
    with pytest.raises(ValidationError, match="Too many wrong codes"):
        signin.verify_code(user=reader, code=code_for(device, steps_ahead=1))
    other, _ = with_two_factor(author)  # another account is not held up
    assert signin.verify_code(user=author, code=code_for(other, steps_ahead=1)) == other


def test_new_recovery_codes_replace_the_old(reader: User) -> None:
    _, old = with_two_factor(reader)
    new = signin.replace_recovery_codes(user=reader)
    assert not set(old) & set(new)
    with pytest.raises(ValidationError):
        signin.verify_code(user=reader, code=old[1])
    assert StaticToken.objects.filter(device__user=reader).count() == 10


def test_turning_two_factor_off_takes_the_password_and_a_code(reader: User) -> None:
    _device, codes = with_two_factor(reader)
    with pytest.raises(ValidationError) as refused:
        signin.disable_two_factor(user=reader, password="not it", code=codes[0])
    assert "password" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        signin.disable_two_factor(user=reader, password=PASSWORD, code="nope")
    assert "code" in refused.value.message_dict
    assert selectors.has_two_factor(reader)
    signin.disable_two_factor(user=reader, password=PASSWORD, code=codes[0])
    assert not selectors.has_two_factor(reader)
    assert selectors.recovery_codes_left(reader) == 0


# Sessions ------------------------------------------------------------------------------


def logged_in(user: User, agent: str = "Firefox") -> Client:
    """A browser logged in to ``user`` (as the login page does it, minus the password hash)."""
    request = RequestFactory().get("/", HTTP_USER_AGENT=agent)
    request.session = SessionStore()
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session.save()
    client = Client(HTTP_USER_AGENT=agent)
    client.cookies[settings.SESSION_COOKIE_NAME] = request.session.session_key
    return client


def test_a_login_is_listed_and_signing_it_out_ends_its_session(reader: User) -> None:
    _phone, laptop = logged_in(reader, "Phone"), logged_in(reader, "Laptop")
    rows = list(selectors.sessions_of(reader))
    assert {row.user_agent for row in rows} == {"Phone", "Laptop"}
    phone_row = next(row for row in rows if row.user_agent == "Phone")
    assert signin.sign_out_session(user=reader, session_id=phone_row.pk)
    assert not SessionStore().exists(phone_row.session_key)
    assert [row.user_agent for row in selectors.sessions_of(reader)] == ["Laptop"]
    assert laptop.session.session_key
    assert SessionStore().exists(laptop.session.session_key)


def test_nobody_signs_out_another_persons_session(reader: User, author: User) -> None:
    logged_in(reader)
    row = SignInSession.objects.get(user=reader)
    assert not signin.sign_out_session(user=author, session_id=row.pk)
    assert SessionStore().exists(row.session_key)


def test_signing_out_everywhere_else_keeps_this_session(reader: User, author: User) -> None:
    here = logged_in(reader)
    for _ in range(3):
        logged_in(reader)
    logged_in(author)
    assert signin.sign_out_everywhere_else(user=reader, current_key=here.session.session_key) == 3
    assert [row.session_key for row in selectors.sessions_of(reader)] == [here.session.session_key]
    assert SignInSession.objects.filter(user=author).count() == 1


def test_an_expired_session_is_not_listed(reader: User) -> None:
    client = logged_in(reader)
    store = SessionStore(client.session.session_key)
    store.set_expiry(-1)
    store.save()
    assert list(selectors.sessions_of(reader)) == []


def test_a_long_user_agent_is_cut_and_its_control_characters_dropped(reader: User) -> None:
    request = RequestFactory().get("/", HTTP_USER_AGENT="Evil\x00Agent\n" + "x" * 1000)
    request.session = SessionStore()
    request.session.create()
    signin.record_sign_in(request=request, user=reader)
    row = SignInSession.objects.get(user=reader)
    assert row.user_agent.startswith("Evil Agent x")
    assert len(row.user_agent) == SignInSession.USER_AGENT_MAX
    assert row.address == "127.0.0.1"
