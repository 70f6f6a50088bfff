"""The Content-Security-Policy, and the visitor's address behind the operator's proxies.

``security.ContentSecurityPolicyMiddleware`` promises a strict policy on
every response, the admin's pages and static files included (no inline
script or style, nothing from elsewhere but images, no framing, no plugins),
with a Permissions-Policy refusing camera, microphone, location and the
like; a policy a view set itself is kept. The templates keep their side:
no inline script, style or event handler, which the policy would block.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from fanfold.archive.security import (
    PERMISSIONS_POLICY,
    POLICY,
    ContentSecurityPolicyMiddleware,
    client_address,
)
from tests.archive.factories import UserFactory, make_work

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "fanfold" / "archive"


def directives() -> dict[str, list[str]]:
    return {name: sources for name, *sources in (part.split() for part in POLICY.split("; "))}


def test_the_policy_forbids_inline_code_framing_plugins_and_other_sites() -> None:
    policy = directives()
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "https:", "data:"]  # covers and author images
    assert not any("unsafe" in source for sources in policy.values() for source in sources)


@pytest.mark.parametrize(
    "url",
    [reverse("search:home"), reverse("people:login"), reverse("tags:fandoms"), "/no/such/page/"],
)
def test_every_page_carries_the_policy(as_stranger: Client, url: str) -> None:
    assert as_stranger.get(url)["Content-Security-Policy"] == POLICY


@pytest.mark.parametrize(
    "url",
    [reverse("admin:index"), reverse("admin:works_work_changelist"), "/admin/works/work/add/"],
)
def test_the_admins_pages_carry_it_and_the_features_policy(as_admin: Client, url: str) -> None:
    response = as_admin.get(url)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == POLICY
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY


@pytest.mark.parametrize("url", ["/static/fanfold/site.css", "/static/admin/js/core.js"])
def test_static_files_carry_it_and_refuse_framing(as_stranger: Client, url: str) -> None:
    response = as_stranger.get(url)
    b"".join(response.streaming_content)  # read to its end: the test client closes the file
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == POLICY
    assert response["X-Frame-Options"] == "DENY"
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY


def test_no_page_may_use_the_camera_microphone_or_location(as_stranger: Client) -> None:
    refused = as_stranger.get(reverse("search:home"))["Permissions-Policy"].split(", ")
    assert {"camera=()", "microphone=()", "geolocation=()", "payment=()"} <= set(refused)


def test_a_policy_a_view_set_itself_is_kept() -> None:
    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse(headers={"Content-Security-Policy": "sandbox"})

    response = ContentSecurityPolicyMiddleware(view)(RequestFactory().get("/works/1/download/"))
    assert response["Content-Security-Policy"] == "sandbox"


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=lambda path: path.name)
def test_no_template_carries_inline_script_or_style(template: Path) -> None:
    html = template.read_text(encoding="utf-8")
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)
    assert "javascript:" not in html


def request_through(forwarded: str | None, remote: str = "10.0.0.2") -> HttpRequest:
    extra = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


def test_without_proxies_the_connections_address_is_the_visitors(settings: Any) -> None:
    settings.PROXY_COUNT = 0
    assert client_address(request_through("203.0.113.9")) == "10.0.0.2"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "visitor"),
    [
        (1, "203.0.113.9", "203.0.113.9"),
        # A visitor's own X-Forwarded-For is the left part: never trusted.
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.1", "203.0.113.9"),
        (2, " 203.0.113.9 ,10.0.0.1 ", "203.0.113.9"),
        # Fewer hops than promised (a request that bypassed the proxy): the connection's.
        (2, "203.0.113.9", "10.0.0.2"),
        (1, None, "10.0.0.2"),
        (1, "", "10.0.0.2"),
    ],
)
def test_behind_proxies_the_visitor_is_counted_from_the_right(
    settings: Any, proxies: int, forwarded: str | None, visitor: str
) -> None:
    settings.PROXY_COUNT = proxies
    assert client_address(request_through(forwarded)) == visitor


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_admin_works_under_the_policy_in_a_real_browser(page: Any, live_server: Any) -> None:
    """Chromium reports every blocked script or style on the console: the admin has none."""
    staff = UserFactory(username="staffer", is_staff=True, is_superuser=True)
    staff.set_password("correct-horse-battery-staple-9")
    staff.save()
    work = make_work(owner=staff)
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(f"{live_server.url}{reverse('people:login')}")
    page.get_by_label("Username").fill("staffer")
    page.get_by_label("Password").fill("correct-horse-battery-staple-9")
    page.get_by_role("button", name="Log in").click()
    for url in (
        reverse("admin:index"),
        reverse("admin:works_work_changelist"),
        reverse("admin:works_work_change", args=[work.pk]),
        reverse("admin:people_user_add"),
    ):
        answer = page.goto(f"{live_server.url}{url}")
        assert answer is not None
        assert answer.status == 200, url
        assert answer.headers["content-security-policy"] == POLICY
    page.goto(f"{live_server.url}{reverse('admin:works_work_changelist')}")
    page.locator("#action-toggle").check()  # the admin's own script ticks every row
    assert page.locator("input.action-select:checked").count() >= 1
    assert refused == []
