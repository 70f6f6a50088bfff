"""Leaving kudos: once, never on one's own work, counted on the work in the same transaction."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F

from fanfold.archive.people.models import User
from fanfold.archive.reading.models import Kudos
from fanfold.archive.works.models import Work


def guest_key(*, address: str, work: Work) -> str:
    """A guest's key for one work: a keyed hash of their address and the work, not the address.

    >>> from fanfold.archive.works.models import Work
    >>> one, two = Work(pk=1), Work(pk=2)
    >>> guest_key(address="203.0.113.9", work=one) == guest_key(address="203.0.113.9", work=two)
    False
    """
    message = f"kudos:{work.pk}:{address}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def leave_kudos(*, work: Work, user: User | None = None, guest: str = "") -> bool:
    """Leave kudos from an account or a guest key; False if they already had.

    Raises ``ValidationError`` on the author's own work.
    """
    if user is not None and user.pk == work.owner_id:
        raise ValidationError("You can't leave kudos on your own work.")
    if (user is None) == (not guest):
        raise ValueError("kudos come from an account or a guest, one of them")
    try:
        with transaction.atomic():
            Kudos.objects.create(work=work, user=user, guest_key="" if user else guest)
            Work.objects.filter(pk=work.pk).update(kudos_count=F("kudos_count") + 1)
    except IntegrityError:
        return False  # already left: the unique constraint says so, even in a race
    return True
