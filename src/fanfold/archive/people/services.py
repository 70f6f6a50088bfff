"""Writes to accounts imported from other archives, and to a reader's preferences."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction

from fanfold.archive.people.models import Block, HiddenTag, Mute, User
from fanfold.archive.tags.models import Tag
from fanfold.formats.clean import multiline, single_line

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
