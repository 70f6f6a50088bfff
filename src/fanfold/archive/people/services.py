"""Writes to accounts: preferences, bio, email address, mutes, blocks, imported authors."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

from django.contrib.auth.base_user import BaseUserManager
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string

from fanfold.archive.people.models import (
    Block,
    HiddenTag,
    Mute,
    ReadingSize,
    ReadingWidth,
    SubscriptionEmail,
    Theme,
    User,
)
from fanfold.archive.people.selectors import available_time_zones
from fanfold.archive.tags.models import Tag
from fanfold.formats.clean import multiline, single_line
from fanfold.formats.userhtml import to_safe_html

log = logging.getLogger(__name__)

# Like AO3's: up to 2,000 muted and 2,000 blocked accounts each.
MAX_MUTES = 2000
MAX_BLOCKS = 2000
MAX_HIDDEN_TAGS = 50  # each is one more condition in every listing query


@transaction.atomic
def mute_author(*, user: User, author: User) -> None:
    if author.pk == user.pk:
        raise ValidationError("You cannot mute yourself.")
    if user.mutes.count() >= MAX_MUTES:
        raise ValidationError(f"You can mute at most {MAX_MUTES} authors.")
    Mute.objects.get_or_create(user=user, muted=author)


@transaction.atomic
def unmute_author(*, user: User, author: User) -> None:
    Mute.objects.filter(user=user, muted=author).delete()


@transaction.atomic
def block_user(*, user: User, other: User) -> None:
    """``other`` may no longer comment on ``user``'s works or reply to ``user``'s comments."""
    if other.pk == user.pk:
        raise ValidationError("You cannot block yourself.")
    if user.blocks.count() >= MAX_BLOCKS:
        raise ValidationError(f"You can block at most {MAX_BLOCKS} accounts.")
    Block.objects.get_or_create(user=user, blocked=other)


@transaction.atomic
def unblock_user(*, user: User, other: User) -> None:
    Block.objects.filter(user=user, blocked=other).delete()


@transaction.atomic
def hide_tag(*, user: User, tag: Tag) -> None:
    if user.hidden_tags.count() >= MAX_HIDDEN_TAGS:
        raise ValidationError(f"You can hide at most {MAX_HIDDEN_TAGS} tags.")
    HiddenTag.objects.get_or_create(user=user, tag=tag.merger or tag)


@transaction.atomic
def show_tag(*, user: User, tag: Tag) -> None:
    # A row for the tag itself too: it was hidden before a wrangler made it a synonym.
    HiddenTag.objects.filter(user=user, tag__in=[tag, tag.merger or tag]).delete()


# Preferences and profile --------------------------------------------------------


@dataclass(frozen=True)
class Preferences:
    """What a person sets on the settings page (the fields of the same names on ``User``)."""

    hide_notes_by_default: bool = False
    warn_before_mature: bool = True
    theme: str = Theme.SYSTEM
    time_zone: str = "UTC"
    subscription_email: str = SubscriptionEmail.NONE
    email_comments: bool = True
    history_paused: bool = False
    colour_dialogue: bool = False
    reading_size: str = ReadingSize.MEDIUM
    reading_width: str = ReadingWidth.MEDIUM


PREFERENCE_FIELDS = tuple(field.name for field in fields(Preferences))


THEME_REFUSED = "Choose light, dark, high contrast or as your device is set."


def _check_preferences(preferences: Preferences) -> None:
    problems = {}
    if preferences.theme not in Theme.values:
        problems["theme"] = THEME_REFUSED
    problems.update(_reading_problems(preferences.reading_size, preferences.reading_width))
    if preferences.time_zone not in available_time_zones():
        problems["time_zone"] = "Choose a time zone from the list."
    if preferences.subscription_email not in SubscriptionEmail.values:
        problems["subscription_email"] = "Choose how subscriptions reach you."
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def save_preferences(*, user: User, preferences: Preferences) -> None:
    """Store every preference at once; a value the archive does not offer is refused."""
    _check_preferences(preferences)
    for name in PREFERENCE_FIELDS:
        setattr(user, name, getattr(preferences, name))
    user.save(update_fields=list(PREFERENCE_FIELDS))


def set_theme(*, user: User, theme: str) -> None:
    """The footer's theme switch, for an account."""
    if theme not in Theme.values:
        raise ValidationError(THEME_REFUSED)
    user.theme = theme
    user.save(update_fields=["theme"])


def _reading_problems(size: str, width: str) -> dict[str, str]:
    problems = {}
    if size not in ReadingSize.values:
        problems["reading_size"] = "Choose a text size from the list."
    if width not in ReadingWidth.values:
        problems["reading_width"] = "Choose a line width from the list."
    return problems


def set_reading(*, user: User, size: str, width: str) -> None:
    """The work page's reading settings (text size and line width), for an account."""
    problems = _reading_problems(size, width)
    if problems:
        raise ValidationError(problems)
    user.reading_size, user.reading_width = size, width
    user.save(update_fields=["reading_size", "reading_width"])


def set_colour_dialogue(*, user: User, on: bool) -> None:
    """The reading page's switch "Colour dialogue by speaker", for an account."""
    user.colour_dialogue = on
    user.save(update_fields=["colour_dialogue"])


BIO_MAX = User._meta.get_field("bio").max_length or 0


def set_bio(*, user: User, bio: str) -> None:
    """Store the bio as sanitised HTML (plain text becomes paragraphs), as chapters are."""
    cleaned = to_safe_html(bio)
    if len(cleaned) > BIO_MAX:
        raise ValidationError(
            {"bio": f"A bio holds at most {BIO_MAX:,} characters once formatted; shorten it."}
        )
    user.bio = cleaned
    user.save(update_fields=["bio"])


# Changing the email address, confirmed at the new one ---------------------------

EMAIL_CHANGE_SALT = "fanfold.people.email-change"
EMAIL_CHANGE_MAX_AGE = 24 * 60 * 60  # seconds: a link works for a day
LINK_NOT_VALID = (
    "This link does not work: it was used already, is more than a day old,"
    " or another change came after it. Ask for a new one on the settings page."
)


def email_change_token(*, user: User, new_email: str) -> str:
    """A signed note of the change; it holds the current address, so it works only once.

    Once followed, the account's address is no longer the ``old`` inside, and
    every link made before (this one, or an earlier request's) stops working.
    """
    payload = {"user": user.pk, "old": user.email, "new": new_email}
    return signing.dumps(payload, salt=EMAIL_CHANGE_SALT, compress=True)


def _email_taken(email: str, by_other_than: User) -> bool:
    return User.objects.filter(email__iexact=email).exclude(pk=by_other_than.pk).exists()


def request_email_change(*, user: User, new_email: str, link_for: Callable[[str], str]) -> None:
    """Email ``new_email`` a link (``link_for(token)``) that makes it the account's address.

    Nothing changes until the link is followed. The caller has checked the
    person's password. An email that cannot be sent is a clear refusal.
    """
    new_email = BaseUserManager.normalize_email(single_line(new_email))
    if new_email.lower() == user.email.lower():
        raise ValidationError({"new_email": "That is already your address."})
    if _email_taken(new_email, user):
        raise ValidationError({"new_email": "Another account uses that address."})
    token = email_change_token(user=user, new_email=new_email)
    context = {"user": user, "new_email": new_email, "link": link_for(token)}
    _send(
        "people/email_change_email.txt",
        context,
        subject="Confirm your new email address",
        to=new_email,
    )


def _pending_change(token: str) -> dict[str, Any]:
    try:
        payload = signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=EMAIL_CHANGE_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is one too
        raise ValidationError(LINK_NOT_VALID) from None
    if not isinstance(payload, dict) or set(payload) != {"user", "old", "new"}:
        raise ValidationError(LINK_NOT_VALID)
    return payload


def pending_email_change(token: str) -> tuple[User, str]:
    """The account and new address a link would set, or ValidationError when it cannot."""
    change = _pending_change(token)
    user = User.objects.filter(pk=change["user"], is_active=True, email=change["old"]).first()
    if user is None:
        raise ValidationError(LINK_NOT_VALID)
    return user, str(change["new"])


def confirm_email_change(*, token: str) -> User:
    """Follow a link: the address changes, and the old address hears of it."""
    with transaction.atomic():
        user, new_email = pending_email_change(token)
        changed = User.objects.filter(pk=user.pk, email=user.email).update(email=new_email)
        if not changed:  # the same link followed twice at once
            raise ValidationError(LINK_NOT_VALID)
        old_email, user.email = user.email, new_email
    if old_email:
        context = {"user": user, "new_email": new_email}
        try:
            _send(
                "people/email_changed_notice.txt",
                context,
                subject="Your email address was changed",
                to=old_email,
            )
        except ValidationError:
            log.warning("The notice of an email change to account %s was not sent.", user.pk)
    return user


def _send(template: str, context: dict[str, Any], *, subject: str, to: str) -> None:
    try:
        send_mail(f"[Fanfold] {subject}", render_to_string(template, context), None, [to])
    except OSError as error:  # smtplib's errors are OSErrors
        log.warning("An email (%s) was not sent: %s", subject, error)
        raise ValidationError("The email could not be sent just now; try again later.") from None


# Accounts of authors imported from another archive -------------------------------

_NOT_IN_USERNAMES = re.compile(r"[^\w.@+-]+")
NAMELESS_AUTHOR = "efiction-author"


def username_for(pen_name: str) -> str:
    """A pen name as a username the archive's pages and URLs accept (as sign-up would).

    >>> username_for("Lady / Of the Lake"), username_for("\\x00"), username_for("kit.kat")
    ('Lady_Of_the_Lake', 'efiction-author', 'kit.kat')
    >>> username_for("..")  # a folder to a browser: /users/../ is the home page
    'efiction-author'
    """
    cleaned = _NOT_IN_USERNAMES.sub("_", single_line(pen_name)).strip("_")[:150]
    return cleaned if cleaned.strip(".") else NAMELESS_AUTHOR


def account_for_imported_author(*, pen_name: str, email: str, bio: str, save: bool) -> User:
    """The account an imported author's works belong to: theirs if it exists, else a new one.

    A new account has no usable password: its author sets one by resetting
    it. ``save=False`` (a dry run) returns it unsaved.
    """
    username = username_for(pen_name)
    user = User.objects.filter(username=username).first()
    if user is None:
        bio_limit = User._meta.get_field("bio").max_length or 0
        user = User(
            username=username, email=single_line(email)[:254], bio=multiline(bio)[:bio_limit]
        )
        user.set_unusable_password()
        if save:
            user.save()
    return user


# A reader's preferences ------------------------------------------------------------


def set_history_paused(*, user: User, paused: bool) -> None:
    """Stop keeping ``user``'s reading history (or start again); what is kept stays."""
    user.history_paused = paused
    User.objects.filter(pk=user.pk).update(history_paused=paused)
