"""A report names exactly one target; suspensions know whether they are in force."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from fanfold.archive.moderation.models import AuditEntry, Category, Report, Suspension
from fanfold.archive.people.models import User
from fanfold.archive.works.models import Work


def test_a_report_with_two_targets_or_none_is_refused_by_the_database(
    work: Work, reader: User
) -> None:
    with pytest.raises(IntegrityError):
        Report.objects.create(work=work, person=reader, category=Category.SPAM, details="x")


def test_a_report_with_no_target_is_refused_by_the_database(db: None) -> None:
    with pytest.raises(IntegrityError):
        Report.objects.create(category=Category.SPAM, details="x")


def test_target_keys_name_the_kind_and_id(work: Work, reader: User) -> None:
    assert Report(person=reader).target_key == ("person", reader.pk)
    assert str(Report(pk=3, category=Category.SPAM)) == "Report 3 (spam)"


def test_a_suspension_is_in_force_until_it_ends_or_is_lifted(reader: User) -> None:
    now = timezone.now()
    assert Suspension(person=reader).is_in_force
    assert Suspension(person=reader, until=now + timedelta(hours=1)).is_in_force
    assert not Suspension(person=reader, until=now - timedelta(hours=1)).is_in_force
    assert not Suspension(person=reader, lifted_at=now).is_in_force


def test_an_audit_entry_reads_as_a_sentence() -> None:
    entry = AuditEntry(actor_name="admin", action="hide_work", target_label="“Salt”")
    assert str(entry) == "admin: Hid a work “Salt”"
