"""The "Your data" pages, as a person uses them.

``personal_data.views`` promises a page (for the logged-in; strangers are
sent to log in) showing the latest download and a button asking for a new
one; a POST that queues it and says so; and the zip itself to its owner
only: another person's download is not found, for everyone.
"""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from fanfold.archive.people.models import User
from fanfold.archive.personal_data import services
from fanfold.archive.personal_data.models import DataExport, ExportState
from fanfold.archive.works.models import Work
from tests.archive.conftest import PERSONAS, queries_for
from tests.archive.factories import PASSWORD, make_work

PAGE = reverse("personal_data:your_data")
ASK = reverse("personal_data:request_export")


def test_strangers_are_sent_to_log_in(as_stranger: Client) -> None:
    for url in [PAGE, reverse("personal_data:download", args=[1])]:
        response = as_stranger.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("people:login"))
    assert as_stranger.post(ASK).status_code == 302
    assert DataExport.objects.count() == 0


def test_asking_queues_a_download_and_the_page_says_it_is_being_prepared(
    as_author: Client, author: User
) -> None:
    assert "Prepare my download" in as_author.get(PAGE).content.decode()
    page = as_author.post(ASK, follow=True).content.decode()
    assert "being prepared" in page
    assert "Prepare" not in page.split("<h1>")[1]  # no second button while one waits
    assert as_author.post(ASK, follow=True).status_code == 200
    assert DataExport.objects.filter(user=author).count() == 1


def test_asking_again_too_soon_is_refused_saying_why(as_author: Client, author: User) -> None:
    export, _ = services.create_export(user=author)
    services.build_export(export_id=export.pk)
    page = as_author.post(ASK, follow=True).content.decode()
    assert "less than 15 minutes ago" in page


def test_the_owner_downloads_the_zip(as_author: Client, author: User) -> None:
    make_work(owner=author, title="Salt Roads")
    export, _ = services.create_export(user=author)
    services.build_export(export_id=export.pk)
    page = as_author.get(PAGE).content.decode()
    assert reverse("personal_data:download", args=[export.pk]) in page
    response = as_author.get(reverse("personal_data:download", args=[export.pk]))
    assert response.status_code == 200
    assert "fanfold-author-data.zip" in response["Content-Disposition"]
    book = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[arg-type]
    assert any(name.endswith("Salt_Roads.epub") for name in book.namelist())


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "as_author"])
def test_nobody_else_reaches_the_authors_download(
    persona: str, author: User, request: pytest.FixtureRequest
) -> None:
    export, _ = services.create_export(user=author)
    services.build_export(export_id=export.pk)
    client: Client = request.getfixturevalue(persona)
    response = client.get(reverse("personal_data:download", args=[export.pk]))
    assert response.status_code in {302, 404}  # strangers log in first; then not found
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("people:login"))


def test_a_download_still_being_prepared_is_not_found(as_author: Client, author: User) -> None:
    export, _ = services.create_export(user=author)
    assert export.state == ExportState.QUEUED
    assert as_author.get(reverse("personal_data:download", args=[export.pk])).status_code == 404


def test_the_page_costs_the_same_queries_however_much_was_posted(
    as_author: Client, author: User
) -> None:
    queries_for(as_author, PAGE)
    few = queries_for(as_author, PAGE)
    for n in range(5):
        make_work(owner=author, title=f"Work {n}")
    assert queries_for(as_author, PAGE) == few


# Deleting the account ----------------------------------------------------------------

DELETE = reverse("personal_data:delete_account")


def test_strangers_are_sent_to_log_in_before_deleting(as_stranger: Client) -> None:
    response = as_stranger.get(DELETE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("people:login"))


@pytest.mark.parametrize("persona", ["as_author", "as_reader", "as_admin"])
def test_each_person_sees_the_page_for_their_own_account(
    persona: str, request: pytest.FixtureRequest
) -> None:
    client: Client = request.getfixturevalue(persona)
    assert "Delete my account" in client.get(DELETE).content.decode()


def test_a_wrong_password_deletes_nothing_and_keeps_the_choice(
    as_author: Client, author: User
) -> None:
    make_work(owner=author)
    response = as_author.post(DELETE, {"works": "delete", "password": "wrong"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "That is not your password: nothing was deleted." in page
    assert re.search(r'<input [^>]*value="delete"[^>]*checked', page)
    assert User.objects.filter(pk=author.pk).exists()


def test_deleting_logs_out_and_the_account_is_gone_everywhere(
    as_author: Client, author: User
) -> None:
    elsewhere = Client()
    elsewhere.force_login(author)  # another browser, still logged in
    make_work(owner=author, title="Salt Roads")
    response = as_author.post(DELETE, {"works": "orphan", "password": PASSWORD}, follow=True)
    assert "Your account is deleted" in response.content.decode()
    assert not User.objects.filter(username="author").exists()
    for client in [as_author, elsewhere]:
        assert client.get(reverse("people:settings")).status_code == 302  # logged out
    work = Work.objects.get(title="Salt Roads")
    page = Client().get(work.get_absolute_url()).content.decode()
    assert "orphan_account" in page
