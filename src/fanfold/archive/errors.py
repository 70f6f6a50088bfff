"""Pages for requests Django refuses before any view runs, saying why.

Django refuses a request with more files than ``DATA_UPLOAD_MAX_NUMBER_FILES``,
more fields than ``DATA_UPLOAD_MAX_NUMBER_FIELDS`` or more form data than
``DATA_UPLOAD_MAX_MEMORY_SIZE`` while it reads the form (often in the CSRF
check, before the view). Its own page for that is a bare "Bad Request";
this one says what was too much and what to do.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def _reason(exception: Exception | None) -> str:
    if isinstance(exception, TooManyFilesSent):
        return (
            f"You chose more files than can be uploaded at once: at most "
            f"{settings.DATA_UPLOAD_MAX_NUMBER_FILES}. Go back and choose fewer, or put "
            "the chapters in one EPUB or Word file."
        )
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1e6
        return (
            f"What you sent is larger than the {limit:.0f} MB a form may hold. A chapter may "
            "have at most 510,000 characters; go back and split it into two chapters."
        )
    if isinstance(exception, TooManyFieldsSent):
        return "The form you sent has more fields than any form here has."
    return "The request could not be understood."


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", {"reason": _reason(exception)}, status=400)
