"""A strict Content-Security-Policy on every response, and the visitor's address.

Templates carry no inline script or style, so the policy can forbid both.
Author HTML is sanitised on the way in (:mod:`fanfold.formats.userhtml`);
the policy is the second wall should anything slip through. Django 5.2's
admin ships no inline script either, so it gets the same policy; the
middleware sits outside WhiteNoise so that static files carry it too.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
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


# Powerful browser features no page of an archive needs, refused for every
# page and for anything a page might embed.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)
HEADERS = {
    "Content-Security-Policy": POLICY,
    "Permissions-Policy": PERMISSIONS_POLICY,
    "X-Frame-Options": "DENY",
}


class ContentSecurityPolicyMiddleware:
    """The policy, the refused features and no framing, on every response.

    A header a view set itself is kept (downloads sandbox themselves).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response


def client_address(request: HttpRequest) -> str:
    """The visitor's address, as the operator's own proxies saw it.

    Behind ``PROXY_COUNT`` trusted proxies, each appends the address it was
    called from to X-Forwarded-For, so the visitor's is that many entries from
    the right; anything further left was written by the visitor and is not
    trusted. Without proxies (or with a header shorter than promised) the
    connection's own address is the answer. Guests' kudos, hits and comment
    rate limits key on it.

    >>> from django.test import RequestFactory
    >>> request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2",
    ...     HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    >>> client_address(request)
    '10.0.0.2'
    >>> from django.test import override_settings
    >>> with override_settings(PROXY_COUNT=1):
    ...     client_address(request)
    '203.0.113.9'
    """
    direct = str(request.META.get("REMOTE_ADDR", ""))
    proxies: int = settings.PROXY_COUNT
    if not proxies:
        return direct
    forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [hop for hop in forwarded if hop]
    return forwarded[-proxies] if len(forwarded) >= proxies else direct
