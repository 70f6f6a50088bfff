"""The report pages (anyone who may see the target) and the moderators' pages (staff only)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from fanfold.archive.comments.models import Comment, State
from fanfold.archive.moderation import services
from fanfold.archive.moderation.models import Action, AuditEntry, Category, Report, ReportState
from fanfold.archive.moderation.selectors import suspension_of
from fanfold.archive.people.models import User
from fanfold.archive.works.models import Work
from tests.archive.conftest import PERSONAS, queries_for
from tests.archive.factories import UserFactory, make_work

REPORT = {"category": Category.HARASSMENT, "details": "Slurs in chapter 2."}


# Reporting -----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_who_may_read_a_work_may_report_it(
    persona: str, request: pytest.FixtureRequest, work: Work
) -> None:
    client: Client = request.getfixturevalue(persona)
    url = reverse("moderation:report_work", args=[work.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert ("Your email (optional)" in page.text) is (persona == "as_stranger")
    answer = client.post(url, REPORT | {"email": "g@example.org"})
    assert answer.status_code == 302
    assert answer["Location"] == work.get_absolute_url()
    report = Report.objects.get()
    assert (report.work, report.category) == (work, Category.HARASSMENT)
    assert bool(report.email) is (persona == "as_stranger")


@pytest.mark.parametrize("persona", ["as_reader", "as_stranger"])
def test_a_draft_or_hidden_work_cannot_be_reported_by_who_cannot_see_it(
    persona: str, request: pytest.FixtureRequest, author: User, admin: User
) -> None:
    client: Client = request.getfixturevalue(persona)
    draft = make_work(owner=author, post=False)
    hidden = make_work(owner=author, title="Gone")
    services.set_work_hidden(work=hidden, by=admin, reason="x", hidden=True)
    for work in (draft, hidden):
        url = reverse("moderation:report_work", args=[work.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, REPORT).status_code == 404
    assert not Report.objects.exists()


def test_a_stranger_at_a_restricted_work_logs_in_first(author: User, as_stranger: Client) -> None:
    work = make_work(owner=author, restricted=True)
    answer = as_stranger.get(reverse("moderation:report_work", args=[work.pk]))
    assert answer.status_code == 302
    assert "/login/" in answer["Location"]


def test_a_report_without_details_shows_the_form_again_with_what_was_typed(
    as_reader: Client, work: Work
) -> None:
    page = as_reader.post(
        reverse("moderation:report_work", args=[work.pk]), {"category": "spam", "details": ""}
    )
    assert page.status_code == 200
    assert "There is a problem" in page.text
    assert 'value="spam" checked' in page.text.replace("\n", " ") or "checked" in page.text
    assert not Report.objects.exists()


def test_too_many_reports_are_refused_with_a_clear_message(as_reader: Client, work: Work) -> None:
    url = reverse("moderation:report_work", args=[work.pk])
    for _ in range(services.REPORT_LIMIT):
        as_reader.post(url, REPORT)
    page = as_reader.post(url, REPORT)
    assert page.status_code == 200
    assert "10 reports in the last hour" in page.text
    assert "Slurs in chapter 2." in page.text  # kept what was typed


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_may_report_a_comment_and_an_account(
    persona: str, request: pytest.FixtureRequest, comment: Comment, author: User
) -> None:
    client: Client = request.getfixturevalue(persona)
    answer = client.post(reverse("moderation:report_comment", args=[comment.pk]), REPORT)
    assert answer.status_code == 302
    assert f"#comment-{comment.pk}" in answer["Location"]
    answer = client.post(reverse("moderation:report_person", args=[author.username]), REPORT)
    assert answer.status_code == 302
    assert answer["Location"] == f"/users/{author.username}/profile/"
    assert Report.objects.filter(comment=comment).count() == 1
    assert Report.objects.filter(person=author).count() == 1


def test_unknown_or_closed_targets_answer_404(as_reader: Client) -> None:
    closed = UserFactory(username="gone", is_active=False)
    for url in (
        reverse("moderation:report_work", args=[999]),
        reverse("moderation:report_comment", args=[999]),
        reverse("moderation:report_person", args=[closed.username]),
    ):
        assert as_reader.get(url).status_code == 404


def test_the_work_page_comments_and_profile_link_to_reporting(
    as_reader: Client, work: Work, comment: Comment, author: User
) -> None:
    page = as_reader.get(work.get_absolute_url()).text
    assert reverse("moderation:report_work", args=[work.pk]) in page
    assert reverse("moderation:report_comment", args=[comment.pk]) in page
    assert "Moderate" not in page
    profile = as_reader.get(reverse("people:profile", args=[author.username])).text
    assert reverse("moderation:report_person", args=[author.username]) in profile


# The moderators' pages -----------------------------------------------------------------

STAFF_PAGES = ["moderation:queue", "moderation:log"]


@pytest.mark.parametrize("name", STAFF_PAGES)
@pytest.mark.parametrize(
    ("persona", "status"),
    [("as_author", 403), ("as_reader", 403), ("as_stranger", 302), ("as_admin", 200)],
)
def test_only_staff_see_the_queue_and_the_log(
    name: str, persona: str, status: int, request: pytest.FixtureRequest
) -> None:
    client: Client = request.getfixturevalue(persona)
    assert client.get(reverse(name)).status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [("as_author", 403), ("as_reader", 403), ("as_stranger", 302), ("as_admin", 200)],
)
def test_only_staff_open_a_target_or_act_on_it(
    persona: str,
    status: int,
    request: pytest.FixtureRequest,
    work: Work,
    comment: Comment,
    reader: User,
) -> None:
    client: Client = request.getfixturevalue(persona)
    for url in (
        reverse("moderation:work", args=[work.pk]),
        reverse("moderation:comment", args=[comment.pk]),
        reverse("moderation:person", args=[reader.username]),
    ):
        assert client.get(url).status_code == status
    client.post(reverse("moderation:work", args=[work.pk]), {"action": "hide", "reason": "x"})
    work.refresh_from_db()
    assert work.is_hidden is (persona == "as_admin")


def test_the_queue_groups_open_reports_by_target_with_the_content_and_author(
    as_admin: Client, work: Work, comment: Comment, reader: User
) -> None:
    for _ in range(2):
        services.file_report(work=work, category=Category.SPAM, details="Adverts everywhere.")
    services.file_report(comment=comment, category=Category.HARASSMENT, details="Rude.")
    services.file_report(person=reader, category=Category.OTHER, details="A bot.")
    page = as_admin.get(reverse("moderation:queue")).text
    assert "3 reported things" in page
    assert page.count("Adverts everywhere.") == 2
    assert "You are a terrible writer." in page  # the reported comment's text
    assert "A work by <a" in page
    assert ">author</a>" in page
    assert "Suspend the account" in page


def test_the_queue_costs_the_same_however_many_reports(
    as_admin: Client, author: User, reader: User
) -> None:
    from fanfold.archive.comments import services as comments

    def add_reports() -> None:
        work = make_work(owner=author, title="More")
        said = comments.post_comment(work=work, body="Hm.", user=reader)
        person = UserFactory()
        cache.clear()  # these guests would otherwise meet the report limit
        for target in ({"work": work}, {"comment": said}, {"person": person}):
            services.file_report(category=Category.SPAM, details="x", **target)  # type: ignore[arg-type]

    add_reports()
    url = reverse("moderation:queue")
    queries_for(as_admin, url)
    few = queries_for(as_admin, url)
    for _ in range(4):
        add_reports()
    assert queries_for(as_admin, url) == few


def test_staff_hide_a_work_from_the_queue_with_a_reason(
    as_admin: Client, admin: User, work: Work, as_reader: Client
) -> None:
    services.file_report(work=work, category=Category.SPAM, details="x")
    url = reverse("moderation:work", args=[work.pk])
    answer = as_admin.post(
        url, {"action": "hide", "reason": "Adverts.", "next": "queue"}, follow=True
    )
    assert answer.redirect_chain[-1][0] == reverse("moderation:queue")
    assert "“Salt” is now hidden; the author has been told." in answer.text
    assert "No open reports" in answer.text
    assert as_reader.get(work.get_absolute_url()).status_code == 404
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.reason, entry.actor_name) == (Action.HIDE_WORK, "Adverts.", "admin")
    log = as_admin.get(reverse("moderation:log")).text
    assert "Hid a work" in log
    assert "Adverts." in log
    assert "“Salt”" in log


def test_an_action_without_a_reason_is_refused_keeping_the_choice(
    as_admin: Client, work: Work
) -> None:
    page = as_admin.post(
        reverse("moderation:work", args=[work.pk]), {"action": "hide", "reason": ""}
    )
    assert page.status_code == 200
    assert "There is a problem" in page.text
    work.refresh_from_db()
    assert not work.is_hidden
    assert not AuditEntry.objects.exists()


def test_a_hidden_comment_shows_as_hidden_to_others_and_its_text_to_staff(
    as_admin: Client, as_reader: Client, as_stranger: Client, comment: Comment, work: Work
) -> None:
    as_admin.post(
        reverse("moderation:comment", args=[comment.pk]), {"action": "hide", "reason": "Abuse."}
    )
    comment.refresh_from_db()
    assert comment.state == State.HIDDEN
    for client in (as_reader, as_stranger):
        page = client.get(work.get_absolute_url()).text
        assert "hidden by a moderator" in page
        assert "terrible writer" not in page
    assert "terrible writer" in as_admin.get(work.get_absolute_url()).text
    as_admin.post(
        reverse("moderation:comment", args=[comment.pk]), {"action": "restore", "reason": "Ok."}
    )
    assert "terrible writer" in as_stranger.get(work.get_absolute_url()).text


def test_staff_suspend_and_lift_an_account(as_admin: Client, reader: User) -> None:
    url = reverse("moderation:person", args=[reader.username])
    as_admin.post(url, {"action": "suspend", "reason": "Spam.", "until": "2999-01-01"})
    suspension = suspension_of(reader)
    assert suspension is not None
    assert suspension.until is not None
    assert suspension.until.year == 2999
    assert "Suspended until" in as_admin.get(url).text
    as_admin.post(url, {"action": "lift", "reason": "Appeal."})
    assert suspension_of(reader) is None


def test_a_suspension_ending_in_the_past_is_refused(as_admin: Client, reader: User) -> None:
    url = reverse("moderation:person", args=[reader.username])
    page = as_admin.post(url, {"action": "suspend", "reason": "Spam.", "until": "2001-01-01"})
    assert "Choose a day after today" in page.text
    assert suspension_of(reader) is None


def test_staff_dismiss_the_reports_on_a_target(as_admin: Client, work: Work) -> None:
    services.file_report(work=work, category=Category.SPAM, details="x")
    services.file_report(work=work, category=Category.SPAM, details="y")
    answer = as_admin.post(
        reverse("moderation:work", args=[work.pk]),
        {"action": "dismiss", "reason": "Fine."},
        follow=True,
    )
    assert "Dismissed 2 reports" in answer.text
    assert set(Report.objects.values_list("state", flat=True)) == {ReportState.DISMISSED}
    assert AuditEntry.objects.filter(action=Action.DISMISS_REPORT).count() == 2


def test_the_log_has_no_way_to_change_an_entry(as_admin: Client, work: Work, admin: User) -> None:
    services.set_work_hidden(work=work, by=admin, reason="x", hidden=True)
    entry = AuditEntry.objects.get()
    log = as_admin.get(reverse("moderation:log")).text
    assert "<form" not in log.split("<main", 1)[-1].split("</main>")[0]
    change = f"/admin/moderation/auditentry/{entry.pk}/delete/"
    assert as_admin.get(change).status_code == 403
    assert as_admin.post(change, {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_the_author_reads_the_notice_in_their_inbox(
    as_admin: Client, as_author: Client, work: Work
) -> None:
    as_admin.post(reverse("moderation:work", args=[work.pk]), {"action": "hide", "reason": "Spam."})
    inbox = as_author.get(reverse("inbox:inbox")).text
    assert "A moderator&#x27;s notice" in inbox or "A moderator's notice" in inbox
    assert "Your work “Salt” was hidden. The moderator&#x27;s reason: Spam." in inbox
