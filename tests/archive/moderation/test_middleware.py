"""A suspended person reads but every write is refused with why and until when."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fanfold.archive.moderation.middleware import allowed_while_suspended
from fanfold.archive.moderation.services import lift_suspension, suspend_account
from fanfold.archive.people.models import User
from fanfold.archive.reading.models import Kudos
from fanfold.archive.works.models import Work


@pytest.fixture
def suspended(reader: User, admin: User) -> User:
    until = timezone.now() + timedelta(days=3)
    suspend_account(user=reader, by=admin, reason="Spamming comments.", until=until)
    return reader


def test_a_suspended_person_still_reads(as_reader: Client, suspended: User, work: Work) -> None:
    assert as_reader.get(work.get_absolute_url()).status_code == 200


def test_a_suspended_persons_writes_are_refused_saying_why_and_until(
    as_reader: Client, suspended: User, work: Work
) -> None:
    answer = as_reader.post(reverse("reading:kudos", args=[work.pk]))
    assert answer.status_code == 403
    assert "Your account is suspended" in answer.text
    assert "Spamming comments." in answer.text
    assert (timezone.now() + timedelta(days=3)).strftime("%-d %B %Y") in answer.text
    assert not Kudos.objects.exists()
    answer = as_reader.post(reverse("comments:post", args=[work.pk]), {"body": "Hi"})
    assert answer.status_code == 403
    assert not work.comments.exists()


def test_an_indefinite_suspension_says_until_lifted(
    reader: User, admin: User, as_reader: Client
) -> None:
    suspend_account(user=reader, by=admin, reason="Threats.")
    answer = as_reader.post(reverse("people:settings"))
    assert answer.status_code == 403
    assert "until they lift it" in answer.text


def test_a_suspended_person_may_still_log_out(as_reader: Client, suspended: User) -> None:
    assert as_reader.post(reverse("people:logout")).status_code == 302


def test_others_and_lifted_suspensions_are_not_refused(
    as_author: Client, as_reader: Client, reader: User, admin: User, work: Work
) -> None:
    suspend_account(user=reader, by=admin, reason="x")
    assert (
        as_author.post(reverse("people:settings")).status_code != 403
    )  # the author is not suspended
    lift_suspension(user=reader, by=admin, reason="ok")
    assert as_reader.post(reverse("reading:kudos", args=[work.pk])).status_code == 302


def test_what_stays_open_to_a_suspended_person() -> None:
    assert allowed_while_suspended(reverse("people:logout"))
    assert allowed_while_suspended(reverse("people:password_change"))
    assert not allowed_while_suspended(reverse("people:settings"))
    assert not allowed_while_suspended("/no/such/page/")
