"""The page for requests Django refuses before any view runs.

``errors.bad_request`` promises the site's own 400 page (not a bare "Bad
Request") saying what was too much: too many files (and the limit), too
much form data (and the limit in MB), too many fields; or, for anything
else Django refuses, that the request could not be understood. Nothing is
saved.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, ProgrammingError
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import path, reverse
from django.views.decorators.csrf import csrf_protect

from fanfold.archive import urls as site_urls
from fanfold.archive.people.models import User
from tests.archive.conftest import PERSONAS

SIGNUP = reverse("people:signup")


def refused(response: Any) -> str:
    assert response.status_code == 400
    page = str(response.content.decode())
    assert "The request was refused" in page
    assert "Nothing was saved." in page
    assert "Fanfold" in page  # the site's own page
    return page


def test_too_many_files_are_refused_naming_the_limit(as_stranger: Client, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    files = [SimpleUploadedFile(f"{n}.txt", b"text") for n in range(4)]
    page = refused(as_stranger.post(SIGNUP, {"username": "quill", "upload": files}))
    assert "more files than can be uploaded at once: at most 3." in page
    assert not User.objects.exists()


def test_too_much_form_data_is_refused_naming_the_limit_in_megabytes(
    as_stranger: Client, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2_000_000
    page = refused(as_stranger.post(SIGNUP, {"username": "quill", "bio": "x" * 2_100_000}))
    assert "larger than the 2 MB a form may hold" in page
    assert not User.objects.exists()


def test_too_many_fields_are_refused(as_stranger: Client, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    data = {f"field{n}": "x" for n in range(11)}
    page = refused(as_stranger.post(SIGNUP, data))
    assert "more fields than any form here has" in page


@pytest.mark.django_db
def test_anything_else_refused_is_said_to_be_not_understood() -> None:
    """A host the archive does not serve is refused before any view, as too much data is."""
    page = refused(Client(HTTP_HOST="elsewhere.example").get(reverse("search:home")))
    assert "The request could not be understood." in page


# The site's own 403, 404, 500 and CSRF failure pages (issue 14) ---------------


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


def database_away(request: HttpRequest) -> HttpResponse:
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


def wrong_query(request: HttpRequest) -> HttpResponse:
    raise ProgrammingError('column "nope" does not exist')


def forbidden_with_reason(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("Only the work's author can change it.")


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


@csrf_protect
def guarded(request: HttpRequest) -> HttpResponse:
    return HttpResponse("posted")


# This module is also the URLconf of the tests below: the site's own, with views that fail.
urlpatterns = [
    path("test-errors/boom/", boom),
    path("test-errors/database-away/", database_away),
    path("test-errors/wrong-query/", wrong_query),
    path("test-errors/forbidden/", forbidden),
    path("test-errors/forbidden-why/", forbidden_with_reason),
    path("test-errors/guarded/", guarded),
    *site_urls.urlpatterns,
]
handler400 = site_urls.handler400
handler403 = site_urls.handler403
handler404 = site_urls.handler404
handler500 = site_urls.handler500

HERE = "tests.archive.test_errors"


def in_the_site(page: str) -> None:
    """The page has the site around it: its header, navigation and footer."""
    assert '<header class="site-header">' in page
    assert 'aria-label="Site"' in page
    assert '<footer class="site-footer">' in page
    assert '<main id="main"' in page


@pytest.mark.urls(HERE)
@pytest.mark.parametrize("persona", PERSONAS)
def test_a_missing_page_is_the_sites_own_404_saying_what_to_do(
    request: pytest.FixtureRequest, persona: str
) -> None:
    client: Client = request.getfixturevalue(persona)
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    page = response.content.decode()
    in_the_site(page)
    assert "Page not found" in page
    assert "search" in page.lower()  # what to do: search, or start from the home page
    assert f'href="{reverse("search:home")}"' in page


@pytest.mark.urls(HERE)
def test_a_missing_work_is_a_404_in_the_site(as_reader: Client) -> None:
    response = as_reader.get(reverse("works:work", args=[999_999]))
    assert response.status_code == 404
    page = response.content.decode()
    in_the_site(page)
    assert "No such work" in page  # the view's own words for what is missing


@pytest.mark.urls(HERE)
def test_a_refusal_says_why_when_the_view_gave_a_reason(as_reader: Client) -> None:
    response = as_reader.get("/test-errors/forbidden-why/")
    assert response.status_code == 403
    page = response.content.decode()
    in_the_site(page)
    assert "You may not do that" in page
    assert "Only the work’s author can change it." in page or (
        "Only the work&#x27;s author can change it." in page
    )


@pytest.mark.urls(HERE)
def test_a_refusal_without_a_reason_still_says_what_to_do(as_stranger: Client) -> None:
    response = as_stranger.get("/test-errors/forbidden/")
    assert response.status_code == 403
    page = response.content.decode()
    in_the_site(page)
    assert "You may not do that" in page
    assert reverse("people:login") in page


@pytest.mark.urls(HERE)
@pytest.mark.django_db
def test_a_server_error_is_the_sites_own_500() -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/test-errors/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    in_the_site(page)
    assert "Something went wrong" in page
    assert "a bug" not in page  # nothing of the error itself is shown


def test_the_500_page_renders_without_the_database() -> None:
    """No database marker: any query here fails the test, as a database that is down would."""
    from fanfold.archive import errors

    response = errors.server_error(RequestFactory().get("/anything/"))
    assert response.status_code == 500
    page = response.content.decode()
    in_the_site(page)
    assert "Something went wrong" in page


@pytest.mark.urls(HERE)
@pytest.mark.django_db
def test_a_database_that_cannot_be_reached_is_a_503_asking_to_retry() -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/test-errors/database-away/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    page = response.content.decode()
    in_the_site(page)
    assert "cannot reach its database" in page
    assert "Connection refused" not in page  # nothing of the error itself is shown


@pytest.mark.urls(HERE)
@pytest.mark.django_db
def test_a_wrong_query_is_a_bug_and_stays_a_500() -> None:
    response = Client(raise_request_exception=False).get("/test-errors/wrong-query/")
    assert response.status_code == 500
    assert "Retry-After" not in response


@pytest.mark.urls(HERE)
@pytest.mark.django_db
def test_a_failed_csrf_check_is_explained_in_the_site() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/test-errors/guarded/", {"x": "1"})
    assert response.status_code == 403
    page = response.content.decode()
    in_the_site(page)
    assert "form had expired" in page
    assert "cookies" in page.lower()
