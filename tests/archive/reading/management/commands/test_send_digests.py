"""``fanfold send_digests``: each daily subscriber's new posts, once."""

from __future__ import annotations

from io import StringIO

from django.core.mail import EmailMessage
from django.core.management import call_command

from fanfold.archive.people.models import SubscriptionEmail, User
from fanfold.archive.reading import services
from fanfold.archive.works import services as works
from tests.archive.factories import UserFactory, make_work


def run() -> str:
    out = StringIO()
    call_command("send_digests", stdout=out)
    return out.getvalue()


def test_the_command_sends_each_digest_once(author: User, mailoutbox: list[EmailMessage]) -> None:
    daily = UserFactory(subscription_email=SubscriptionEmail.DAILY)
    UserFactory(subscription_email=SubscriptionEmail.DAILY)  # follows nothing: no email
    work = make_work(owner=author)
    services.subscribe(user=daily, target=author)
    services.tell_subscribers(work=work)
    chapter = works.add_chapter(
        work=work, by=author, fields=works.ChapterFields(body="And then the storm."), post=True
    )
    services.tell_subscribers(work=work, chapter=chapter)
    assert run() == "Sent 1 digest(s) with 2 new post(s).\n"
    assert run() == "Sent 0 digest(s) with 0 new post(s).\n"
    assert [m.to for m in mailoutbox] == [[daily.email]]
