"""A strict Content-Security-Policy on every response.

Templates carry no inline script or style, so the policy can forbid both.
Author HTML is sanitised on the way in (:mod:`fanfold.formats.userhtml`);
the policy is the second wall should anything slip through.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' https: data:",
        "style-src 'self'",
        "script-src 'self'",
        "font-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/admin/"):  # the admin ships inline scripts
            response.headers.setdefault("Content-Security-Policy", POLICY)
        return response
