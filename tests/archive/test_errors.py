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
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from fanfold.archive.people.models import User

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
