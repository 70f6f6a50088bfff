"""What readers leave on works: kudos, so far.

A kudos is once per account, or once per guest per work. A guest is known
by a keyed hash of their address and the work (``guest_key``): the archive
can tell the same guest came back to the same work, but keeps no address
and cannot follow a guest from one work to another.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from fanfold.archive.works.models import Work


class Kudos(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="kudos")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    guest_key = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "kudos"
        constraints = [
            models.UniqueConstraint(
                fields=["work", "user"], condition=Q(user__isnull=False), name="kudos_once_a_reader"
            ),
            models.UniqueConstraint(
                fields=["work", "guest_key"], condition=~Q(guest_key=""), name="kudos_once_a_guest"
            ),
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(guest_key=""))
                | (Q(user__isnull=True) & ~Q(guest_key="")),
                name="kudos_from_a_reader_or_a_guest",
            ),
        ]
        indexes = [models.Index(fields=["work", "created_at"])]

    def __str__(self) -> str:
        return f"kudos on work {self.work_id}"
