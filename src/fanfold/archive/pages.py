"""What every app's views share: turning "not found" into the 404 page, and
telling a form posted in place (htmx) from one posted as a page.

Selectors answer with data or ``None``; whether "none" is a 404, a redirect
or an empty list is the view's decision, made with ``found``.
"""

from __future__ import annotations

from typing import TypeVar

from django.http import Http404, HttpRequest

_T = TypeVar("_T")


def found(value: _T | None, what: str) -> _T:
    """``value``, or the 404 page when there is none ("No such work").

    >>> found(3, "work")
    3
    >>> found(None, "work")
    Traceback (most recent call last):
    ...
    django.http.response.Http404: No such work
    """
    if value is None:
        raise Http404(f"No such {what}")
    return value


def in_place(request: HttpRequest) -> bool:
    """True when htmx sent the request and swaps the answer into the page.

    Such a request gets the fragment it replaces; every other gets the whole
    page (or a redirect to it), so each form works without JavaScript.

    >>> from django.test import RequestFactory
    >>> from django_htmx.middleware import HtmxDetails
    >>> request = RequestFactory().post("/", HTTP_HX_REQUEST="true")
    >>> in_place(request)  # the middleware has not looked yet
    False
    >>> request.htmx = HtmxDetails(request)
    >>> in_place(request)
    True
    """
    return bool(getattr(request, "htmx", False))
