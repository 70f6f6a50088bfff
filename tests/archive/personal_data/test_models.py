"""A download's row names its account and state; an account has one waiting at a time."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from fanfold.archive.people.models import User
from fanfold.archive.personal_data.models import DataExport

pytestmark = pytest.mark.django_db


def test_one_waiting_export_per_account(author: User) -> None:
    export = DataExport.objects.create(user=author)
    assert str(export) == f"export {export.pk} of {author.pk} (queued)"
    with pytest.raises(IntegrityError):
        DataExport.objects.create(user=author)
