"""Who left kudos on a work, as the work page shows it."""

from __future__ import annotations

from dataclasses import dataclass

from fanfold.archive.people.models import User
from fanfold.archive.reading.models import Kudos
from fanfold.archive.works.models import Work

SHOWN_NAMES = 50  # names listed under a work; the rest are counted


@dataclass(frozen=True, slots=True)
class KudosSummary:
    names: list[str]  # accounts, alphabetical, at most SHOWN_NAMES
    more_accounts: int  # accounts beyond those names
    guests: int


def kudos_summary(*, work: Work) -> KudosSummary:
    accounts = Kudos.objects.filter(work=work, user__isnull=False)
    names = list(
        User.objects.filter(pk__in=accounts.values("user_id"))
        .order_by("username")
        .values_list("username", flat=True)[:SHOWN_NAMES]
    )
    total_accounts = accounts.count()
    guests = Kudos.objects.filter(work=work, user__isnull=True).count()
    return KudosSummary(names, total_accounts - len(names), guests)


def has_left_kudos(*, work: Work, user: User | None = None, guest: str = "") -> bool:
    if user is not None:
        return Kudos.objects.filter(work=work, user=user).exists()
    return bool(guest) and Kudos.objects.filter(work=work, guest_key=guest).exists()
