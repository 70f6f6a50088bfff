"""The admin for accounts.

``people.admin`` promises that staff manage the archive's own accounts with
Django's user admin (passwords set through its forms, hashed), and that
nobody else can.
"""

from __future__ import annotations

from django.contrib import admin as django_admin
from django.contrib.auth.admin import UserAdmin
from django.core import mail
from django.test import Client
from django.urls import reverse

from fanfold.archive.people.models import Invitation, InvitationRequest, User
from fanfold.archive.people.services import account_for_imported_author
from tests.archive.factories import PASSWORD


def test_accounts_are_managed_with_djangos_user_admin() -> None:
    assert isinstance(django_admin.site._registry[User], UserAdmin)


def test_the_admin_lists_and_searches_accounts(
    as_admin: Client, author: User, reader: User
) -> None:
    listing = as_admin.get(reverse("admin:people_user_changelist"), {"q": "read"})
    assert listing.status_code == 200
    assert [user.username for user in listing.context["cl"].result_list] == ["reader"]


def test_an_account_added_in_the_admin_can_log_in(as_admin: Client) -> None:
    response = as_admin.post(
        reverse("admin:people_user_add"),
        {
            "username": "quill",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    quill = User.objects.get(username="quill")
    assert quill.check_password(PASSWORD)
    assert Client().login(username="quill", password=PASSWORD)


def test_readers_cannot_open_the_account_admin(as_reader: Client) -> None:
    response = as_reader.get(reverse("admin:people_user_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_invite_chosen_requests_from_the_queue(as_admin: Client) -> None:
    early = InvitationRequest.objects.create(email="early@example.org")
    InvitationRequest.objects.create(email="late@example.org")
    response = as_admin.post(
        reverse("admin:people_invitationrequest_changelist"),
        {"action": "send_invitations", "_selected_action": [early.pk]},
    )
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [["early@example.org"]]
    assert Invitation.objects.get().request == early


def test_the_queue_admin_is_for_staff_only(as_reader: Client) -> None:
    url = reverse("admin:people_invitationrequest_changelist")
    assert as_reader.get(url).status_code == 302  # to the admin's login


def test_staff_email_claim_links_to_the_selected_imported_accounts(
    as_admin: Client, reader: User
) -> None:
    quill = account_for_imported_author(pen_name="Quill", email="q@example.org", bio="", save=True)
    response = as_admin.post(
        reverse("admin:people_user_changelist"),
        {"action": "send_claim_links", "_selected_action": [quill.pk, reader.pk]},
        follow=True,
    )
    assert "Emailed 1 claim link(s) (1 skipped" in response.content.decode()
    assert [message.to for message in mail.outbox] == [["q@example.org"]]
