"""What every app's views share: turning "not found" into the 404 page.

Selectors answer with data or ``None``; whether "none" is a 404, a redirect
or an empty list is the view's decision, made with ``found``.
"""

from __future__ import annotations

from typing import TypeVar

from django.http import Http404

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
