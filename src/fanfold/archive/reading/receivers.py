"""Counters kept right when rows go by cascade, not through a service.

Closing an account deletes its kudos by cascade (Django sends ``post_delete``
for each cascaded row once a receiver listens): the works they were on
count one fewer, so a listing sorted by kudos never counts a reader who
is gone. A work deleted with its kudos has nothing left to update.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.db.models.signals import post_delete
from django.dispatch import receiver

from fanfold.archive.reading.models import Kudos
from fanfold.archive.works.models import Work


@receiver(post_delete, sender=Kudos, dispatch_uid="reading.uncount_kudos")
def uncount_kudos(sender: type[Kudos], instance: Kudos, **kwargs: Any) -> None:
    Work.objects.filter(pk=instance.work_id, kudos_count__gt=0).update(
        kudos_count=F("kudos_count") - 1
    )
