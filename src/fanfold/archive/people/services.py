"""Writes to a reader's own preferences: muting authors, hiding tags."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from fanfold.archive.people.models import HiddenTag, Mute, User
from fanfold.archive.tags.models import Tag

MAX_MUTES = 1000
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
def hide_tag(*, user: User, tag: Tag) -> None:
    if user.hidden_tags.count() >= MAX_HIDDEN_TAGS:
        raise ValidationError(f"You can hide at most {MAX_HIDDEN_TAGS} tags.")
    HiddenTag.objects.get_or_create(user=user, tag=tag.merger or tag)


@transaction.atomic
def show_tag(*, user: User, tag: Tag) -> None:
    HiddenTag.objects.filter(user=user, tag=tag.merger or tag).delete()
