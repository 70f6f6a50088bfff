"""Who moderates, the queue's grouping, the audit log's pages, suspensions in force."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, Group

from fanfold.archive.comments.models import Comment
from fanfold.archive.moderation import selectors, services
from fanfold.archive.moderation.models import Category
from fanfold.archive.people.models import User
from fanfold.archive.works.models import Work
from tests.archive.factories import UserFactory, make_work


def test_staff_and_the_moderators_group_moderate(reader: User, admin: User) -> None:
    assert selectors.is_moderator(admin)
    assert not selectors.is_moderator(reader)
    assert not selectors.is_moderator(AnonymousUser())
    reader.groups.add(Group.objects.get(name="Moderators"))
    assert selectors.is_moderator(User.objects.get(pk=reader.pk))
    assert not selectors.is_moderator(UserFactory(is_staff=True, is_active=False))


def test_open_cases_group_by_target_oldest_first_and_skip_closed(
    work: Work, comment: Comment, reader: User, admin: User
) -> None:
    first = services.file_report(comment=comment, category=Category.SPAM, details="a")
    services.file_report(work=work, category=Category.SPAM, details="b")
    services.file_report(comment=comment, category=Category.SPAM, details="c")
    closed = services.file_report(person=reader, category=Category.SPAM, details="d")
    services.dismiss_report(report=closed, by=admin, reason="x")
    cases = selectors.open_cases()
    assert [(c.kind, len(c.reports)) for c in cases] == [("comment", 2), ("work", 1)]
    assert cases[0].reports[0] == first
    assert cases[0].author == reader
    assert cases[1].author == work.owner
    assert cases[0].target == comment


def test_suspended_among_names_only_those_in_force(reader: User, author: User, admin: User) -> None:
    assert selectors.suspended_among([]) == set()
    services.suspend_account(user=reader, by=admin, reason="x")
    assert selectors.suspended_among([reader.pk, author.pk]) == {reader.pk}
    assert selectors.suspension_of(AnonymousUser()) is None


def test_the_audit_log_pages_newest_first(work: Work, admin: User) -> None:
    for hidden in [True, False] * 30:
        services.set_work_hidden(work=work, by=admin, reason=str(hidden), hidden=hidden)
    first = selectors.audit_page(page=1)
    assert len(first.object_list) == selectors.LOG_PER_PAGE
    assert first.object_list[0].reason == "False"  # the last restore
    assert len(selectors.audit_page(page="2").object_list) == 10


def test_an_authors_draft_is_no_moderators_business(author: User, admin: User) -> None:
    draft = make_work(owner=author, post=False)
    hidden = make_work(owner=author, title="Hidden")
    Work.objects.filter(pk=hidden.pk).update(is_hidden=True)
    assert selectors.work_for_moderation(draft.pk) is None
    assert selectors.work_for_moderation(hidden.pk) == hidden
