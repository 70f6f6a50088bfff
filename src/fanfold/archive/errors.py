"""The site's own error pages, each saying what happened and what to do.

400: Django refuses a request with more files than ``DATA_UPLOAD_MAX_NUMBER_FILES``,
more fields than ``DATA_UPLOAD_MAX_NUMBER_FIELDS`` or more form data than
``DATA_UPLOAD_MAX_MEMORY_SIZE`` while it reads the form (often in the CSRF
check, before the view). Its own page for that is a bare "Bad Request";
this one says what was too much and what to do.

403 says why when the view gave a reason (``PermissionDenied("Only the
work's author can change it.")``); 404 names what is missing when a view
said so through ``pages.found`` ("No such work"); a failed CSRF check says
the form expired or cookies are off. 500 is rendered from the template
alone, without the request's context processors (they read the database,
which may be what failed), so it shows even when the database is down; when
the database is what failed (restarting, unreachable, out of connections),
the answer is a 503 with ``Retry-After`` instead, so proxies and readers
know to try again; once the database is back, requests succeed again by
themselves (the connection pool, or Django's health checks, reconnect),
with no restart of Fanfold.
"""

from __future__ import annotations

import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader

# The words our views give a 404 start so (pages.found); Django's own carry
# technical detail (the URL patterns tried) and are not shown.
OWN_NOT_FOUND = "No such "


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


def _said(exception: Exception | None) -> str:
    """The message a view raised with, or "" when it gave none.

    >>> _said(PermissionError("Only the bookmarker can delete a bookmark."))
    'Only the bookmarker can delete a bookmark.'
    >>> _said(None)
    ''
    """
    if exception is None or not exception.args:
        return ""
    first = exception.args[0]
    return first if isinstance(first, str) else ""


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", {"reason": _said(exception)}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    said = _said(exception) if isinstance(exception, Http404) else ""
    reason = said if said.startswith(OWN_NOT_FOUND) else ""
    return render(request, "404.html", {"reason": reason}, status=404)


# Seconds a reader (or a proxy) is asked to wait when the database is away.
RETRY_AFTER_SECONDS = 10


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page from its template alone: no context processors, no queries.

    Django calls this inside its ``except`` block, so the exception being
    handled is at hand: a database that cannot be reached is a 503.
    """
    if _database_unavailable(sys.exc_info()[1]):
        page = loader.get_template("503.html").render({"retry_after": RETRY_AFTER_SECONDS})
        response = HttpResponse(page, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponse(loader.get_template("500.html").render({}), status=500)


def _database_unavailable(exception: BaseException | None) -> bool:
    """Whether the request failed because the database could not be used at all.

    Django wraps each driver's errors in its own classes: an ``OperationalError``
    is a connection refused, lost or timed out, a server shutting down, a pool
    that gave no connection in time, or SQLite's file locked for too long;
    ``InterfaceError`` a connection already closed. A bug (a wrong column, a
    broken constraint) is a ``ProgrammingError`` or ``IntegrityError``: 500.

    >>> _database_unavailable(OperationalError("connection refused"))
    True
    >>> _database_unavailable(ValueError("a bug"))
    False
    """
    return isinstance(exception, OperationalError | InterfaceError)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form refused by the CSRF check: usually one left open too long, or cookies off."""
    return render(request, "403_csrf.html", status=403)
