"""A suspended account may read, but not write: every unsafe request is refused with why.

Only what a person needs to leave or keep their account safe goes through:
logging out, changing their password, and the pages of the ``personal_data``
app (downloading what they posted, deleting their account). Reads cost
nothing: the suspension is looked up only for a signed-in person's POST.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import Resolver404, resolve

from fanfold.archive.moderation.selectors import suspension_of

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
ALLOWED_VIEWS = {"people:logout", "people:password_change"}
ALLOWED_NAMESPACES = {"personal_data"}


def allowed_while_suspended(path: str) -> bool:
    """Whether a suspended person may still POST to ``path``.

    >>> allowed_while_suspended("/logout/"), allowed_while_suspended("/works/new/")
    (True, False)
    """
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.view_name in ALLOWED_VIEWS or bool(set(match.namespaces) & ALLOWED_NAMESPACES)


class SuspensionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in SAFE_METHODS and request.user.is_authenticated:
            suspension = suspension_of(request.user)
            if suspension is not None and not allowed_while_suspended(request.path_info):
                response = TemplateResponse(
                    request, "moderation/suspended.html", {"suspension": suspension}, status=403
                )
                return response.render()
        return self.get_response(request)
