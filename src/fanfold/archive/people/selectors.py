"""Reads of accounts and of a reader's own preferences."""

from __future__ import annotations

import zoneinfo
from functools import cache

from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.models import Session
from django.db.models import QuerySet
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from fanfold.archive.people.models import (
    Block,
    HiddenTag,
    Mute,
    ReadingSize,
    ReadingWidth,
    SignInSession,
    Theme,
    User,
)
from fanfold.archive.tags.models import Tag


def active_user(*, username: str) -> User | None:
    """The account called ``username``, unless it is closed."""
    return User.objects.filter(username=username, is_active=True).first()


def has_muted(viewer: User | AnonymousUser, author: User) -> bool:
    return isinstance(viewer, User) and Mute.objects.filter(user=viewer, muted=author).exists()


def has_blocked(owner: User | int | None, other: User | AnonymousUser) -> bool:
    """True when ``owner`` (an account or its id) has blocked ``other``.

    A guest is never blocked by account: authors who want no guests say so in
    their works' comment settings.
    """
    if owner is None or not isinstance(other, User):
        return False
    owner_id = owner.pk if isinstance(owner, User) else owner
    return Block.objects.filter(user_id=owner_id, blocked=other).exists()


def hides_tag(viewer: User | AnonymousUser, tag: Tag) -> bool:
    target = tag.merger or tag
    return isinstance(viewer, User) and HiddenTag.objects.filter(user=viewer, tag=target).exists()


def mutes_of(user: User) -> QuerySet[Mute]:
    return Mute.objects.filter(user=user).select_related("muted").order_by("muted__username")


def hidden_tags_of(user: User) -> QuerySet[HiddenTag]:
    return HiddenTag.objects.filter(user=user).select_related("tag").order_by("tag__name")


def blocks_of(user: User) -> QuerySet[Block]:
    return Block.objects.filter(user=user).select_related("blocked").order_by("blocked__username")


@cache
def available_time_zones() -> tuple[str, ...]:
    """Every IANA time zone this machine knows, sorted; "UTC" always among them.

    >>> "Europe/Paris" in available_time_zones(), "Mars/Olympus" in available_time_zones()
    (True, False)
    """
    return tuple(sorted(zoneinfo.available_timezones() | {"UTC"}))


def theme_of(user: User | AnonymousUser, cookie: str | None) -> str:
    """The theme a page is drawn in: the account's, or a guest's cookie, else the device's.

    >>> theme_of(AnonymousUser(), "dark"), theme_of(AnonymousUser(), "neon")
    ('dark', 'system')
    """
    if isinstance(user, User):
        return user.theme
    return cookie if cookie in Theme.values else Theme.SYSTEM.value


def reading_of(
    user: User | AnonymousUser, size_cookie: str | None, width_cookie: str | None
) -> tuple[str, str]:
    """A work's text size and line width: the account's, or a guest's cookies, else medium.

    >>> reading_of(AnonymousUser(), "x-large", "huge")
    ('x-large', 'medium')
    """
    if isinstance(user, User):
        return user.reading_size, user.reading_width
    size = size_cookie if size_cookie in ReadingSize.values else ReadingSize.MEDIUM.value
    width = width_cookie if width_cookie in ReadingWidth.values else ReadingWidth.MEDIUM.value
    return size, width


# Sign-in security ------------------------------------------------------------------


def has_two_factor(user: User) -> bool:
    """Whether logging in to ``user`` takes a code after the password."""
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def pending_authenticator(user: User) -> TOTPDevice | None:
    """The authenticator secret shown while two-factor sign-in is being turned on."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).first()


def recovery_codes_left(user: User) -> int:
    return int(StaticToken.objects.filter(device__user=user, device__confirmed=True).count())


def sessions_of(user: User) -> QuerySet[SignInSession]:
    """``user``'s signed-in sessions that have not ended, most recently seen first."""
    live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    return SignInSession.objects.filter(user=user, session_key__in=live).order_by(
        "-last_seen_at", "-pk"
    )
