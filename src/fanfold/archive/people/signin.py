"""Writes of sign-in security: attempt counters, two-factor devices, signed-in sessions.

Failed passwords are counted by django-axes (see the settings); this module
counts what axes does not see: sign-ups and password resets per address and
per email, and wrong two-factor codes per account. It also keeps the list of
browsers signed in to an account, which its owner may sign out one by one.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from fanfold.archive.people.models import SignInSession, User
from fanfold.archive.security import client_address
from fanfold.formats.clean import single_line

# Attempt counters ------------------------------------------------------------------


def _counter(scope: str, key: str) -> str:
    # Hashed: an email address or a username never sits in the cache as itself.
    digest = hashlib.sha256(key.strip().lower().encode()).hexdigest()[:32]
    return f"fanfold:attempts:{scope}:{digest}"


def blocked_until(scope: str, key: str, *, limit: int) -> datetime | None:
    """When ``key`` may try ``scope`` again, if it used up its ``limit``; else None."""
    counter = _counter(scope, key)
    if int(cache.get(counter, 0)) < limit:
        return None
    until = cache.get(f"{counter}:until")
    return timezone.now() if until is None else datetime.fromtimestamp(until, tz=UTC)


def count_attempt(scope: str, key: str, *, limit: int) -> datetime | None:
    """Count one attempt; when it is over ``limit`` in the window, the time the wait ends.

    The window (``THROTTLE_WINDOW``) starts with the first attempt, as in a
    fixed-window limiter; the counters live in the default cache.

    >>> from django.test import override_settings
    >>> forget_attempts("doctest", "10.0.0.9")
    >>> [count_attempt("doctest", "10.0.0.9", limit=2) is None for _ in range(3)]
    [True, True, False]
    >>> forget_attempts("doctest", "10.0.0.9")
    """
    counter = _counter(scope, key)
    window = int(settings.THROTTLE_WINDOW.total_seconds())
    if cache.add(counter, 0, window):
        cache.set(f"{counter}:until", time.time() + window, window)
    try:
        count = cache.incr(counter)
    except ValueError:  # expired between add() and incr()
        cache.set(counter, 1, window)
        count = 1
    return blocked_until(scope, key, limit=limit) if count > limit else None


def forget_attempts(scope: str, key: str) -> None:
    counter = _counter(scope, key)
    cache.delete_many([counter, f"{counter}:until"])


def wait_message(until: datetime, *, what: str) -> str:
    """The refusal shown when a counter is used up, saying when to try again.

    >>> from datetime import timedelta
    >>> wait_message(timezone.now() + timedelta(minutes=14, seconds=30), what="Too many codes")
    'Too many codes. Try again in 15 minutes.'
    """
    minutes = max(1, -(-int((until - timezone.now()).total_seconds()) // 60))
    return f"{what}. Try again in {minutes} minute{'s' if minutes != 1 else ''}."


# Two-factor sign-in ------------------------------------------------------------------

RECOVERY_CODES = 10
CODE_SCOPE = "two-factor-code"
WRONG_CODE = "That code is not right. Use the 6 digits your app shows now, or a recovery code."


def normalise_code(code: str) -> str:
    """A code as typed, without spaces and dashes, in lower case.

    >>> normalise_code(" 123 456 "), normalise_code("AB12C-DE34F")
    ('123456', 'ab12cde34f')
    """
    return "".join(code.split()).replace("-", "").lower()


def format_recovery_code(code: str) -> str:
    """>>> format_recovery_code("ab12cde34f")
    'ab12c-de34f'
    """
    return f"{code[:5]}-{code[5:]}"


def start_two_factor(*, user: User) -> TOTPDevice:
    """A new authenticator secret for ``user``, inactive until a code from it is confirmed."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def replace_recovery_codes(*, user: User) -> list[str]:
    """Ten new single-use recovery codes; the earlier ones stop working."""
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODES)]
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(
            user=user, name="Recovery codes", defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return [format_recovery_code(code) for code in codes]


@dataclass(frozen=True)
class TwoFactorOn:
    device: TOTPDevice
    recovery_codes: list[str]


def confirm_two_factor(*, user: User, code: str) -> TwoFactorOn:
    """Turn two-factor sign-in on with the first code the app shows; recovery codes come with it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        raise ValidationError("Start again: press “Turn on two-factor sign-in”.")
    if not device.verify_token(normalise_code(code)):
        raise ValidationError(
            "That code is not right. Check that your device's clock is set, and type the"
            " 6 digits the app shows now."
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = replace_recovery_codes(user=user)
    return TwoFactorOn(device=device, recovery_codes=codes)


def verify_code(*, user: User, code: str) -> Device:
    """The device that accepts ``code`` (the app's 6 digits or an unused recovery code).

    A recovery code is used up as it is accepted. Wrong codes are counted per
    account; past ``OTP_CODE_LIMIT`` in the window every code is refused
    until the wait ends, so guessing the 6 digits is hopeless.
    """
    limit = settings.OTP_CODE_LIMIT
    key = str(user.pk)
    until = blocked_until(CODE_SCOPE, key, limit=limit)
    if until is not None:
        raise ValidationError(wait_message(until, what="Too many wrong codes for this account"))
    token = normalise_code(code)
    with transaction.atomic():
        for device in _confirmed_devices(user):
            if device.verify_token(token):
                forget_attempts(CODE_SCOPE, key)
                return device
    until = count_attempt(CODE_SCOPE, key, limit=limit)
    if until is not None:
        raise ValidationError(wait_message(until, what="Too many wrong codes for this account"))
    raise ValidationError(WRONG_CODE)


def _confirmed_devices(user: User) -> list[Device]:
    totp: list[Device] = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    static: list[Device] = list(
        StaticDevice.objects.select_for_update().filter(user=user, confirmed=True)
    )
    return totp + static


def disable_two_factor(*, user: User, password: str, code: str) -> None:
    """Turn two-factor sign-in off; it takes the password and a current code."""
    if not user.check_password(password):
        raise ValidationError({"password": "That is not your password."})
    try:
        verify_code(user=user, code=code)
    except ValidationError as error:
        raise ValidationError({"code": error.messages}) from None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


# Signed-in sessions ------------------------------------------------------------------

SEEN_KEY = "_fanfold_seen"  # in the session: when its row's last_seen_at was last moved
NOTED_KEY = "_fanfold_seen_as"  # the session key its row was written under
SEEN_EVERY = 60 * 60  # seconds: a page view writes nothing unless an hour has passed


def _session_store(session_key: str | None = None) -> object:
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key)


def _user_agent(request: HttpRequest) -> str:
    agent = single_line(str(request.META.get("HTTP_USER_AGENT", "")))
    return agent[: SignInSession.USER_AGENT_MAX]


def record_sign_in(*, request: HttpRequest, user: User) -> None:
    """Note the session a login has just made (``user_logged_in``)."""
    session_key = request.session.session_key
    if not session_key:
        return
    now = timezone.now()
    SignInSession.objects.update_or_create(
        session_key=session_key,
        defaults={
            "user": user,
            "last_seen_at": now,
            "user_agent": _user_agent(request),
            "address": client_address(request)[:45],
        },
    )
    _note(request.session, session_key)


def seen(*, request: HttpRequest) -> None:
    """Move the session's ``last_seen_at``, at most once an hour (the session remembers when).

    A session whose key changed since (a password change cycles it) takes its
    row along at once, so the list keeps showing it as this device.
    """
    session = request.session
    key = session.session_key
    if SESSION_KEY not in session or not key:
        return
    noted = session.get(NOTED_KEY)
    if noted == key and time.time() - float(session.get(SEEN_KEY, 0)) < SEEN_EVERY:
        return
    now = timezone.now()
    if noted and noted != key:
        SignInSession.objects.filter(session_key=noted).update(session_key=key)
    SignInSession.objects.update_or_create(  # a session from before the list existed joins it
        session_key=key,
        defaults={"last_seen_at": now},
        create_defaults={
            "user_id": session[SESSION_KEY],
            "last_seen_at": now,
            "user_agent": _user_agent(request),
            "address": client_address(request)[:45],
        },
    )
    _note(session, key)


def _note(session: SessionBase, key: str) -> None:
    session[SEEN_KEY] = time.time()
    session[NOTED_KEY] = key


def _ended_sessions(user: User) -> list[str]:
    keys = list(user.sign_in_sessions.values_list("session_key", flat=True))
    live = set(
        Session.objects.filter(session_key__in=keys, expire_date__gt=timezone.now()).values_list(
            "session_key", flat=True
        )
    )
    return [key for key in keys if key not in live]


def record_sign_out(*, request: HttpRequest, user: User | None) -> None:
    """Forget the session a logout ends, and the user's sessions that have expired."""
    ended = [request.session.session_key] if request.session.session_key else []
    if isinstance(user, User):
        ended += _ended_sessions(user)
    SignInSession.objects.filter(session_key__in=ended).delete()


def _end(sessions: list[SignInSession]) -> int:
    for row in sessions:
        _session_store(row.session_key).delete()  # type: ignore[attr-defined]
    SignInSession.objects.filter(pk__in=[row.pk for row in sessions]).delete()
    return len(sessions)


def sign_out_session(*, user: User, session_id: int) -> bool:
    """End one of ``user``'s sessions; False when it is not theirs (or already ended)."""
    return bool(_end(list(SignInSession.objects.filter(user=user, pk=session_id))))


def sign_out_everywhere_else(*, user: User, current_key: str | None) -> int:
    """End every session of ``user`` except the one asking; how many ended."""
    return _end(list(SignInSession.objects.filter(user=user).exclude(session_key=current_key)))
