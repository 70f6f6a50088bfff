"""Every kind of page passes an axe-core audit (WCAG 2.1 A and AA rules) in Chromium."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser
from pytest_django.live_server_helper import LiveServer

from fanfold.archive.comments.services import post_comment
from fanfold.archive.people.models import User
from fanfold.archive.reading import services as reading_services
from fanfold.archive.reading.services import BookmarkFields, save_bookmark
from fanfold.archive.works import services
from tests.archive.factories import PASSWORD, UserFactory, make_work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).with_name("vendor") / "axe.min.js"
AUDIT = """async () => {
  const rules = {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21aa"]}};
  const result = await axe.run(document, rules);
  return result.violations.map(v => ({
    id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(" ")),
  }));
}"""


def _audit(browser: Browser, url: str, storage_state: Any, *, dark: bool) -> list[dict[str, Any]]:
    # The archive's CSP forbids inline scripts (rightly); the audit script is ours.
    context = browser.new_context(
        bypass_csp=True, storage_state=storage_state, color_scheme="dark" if dark else "light"
    )
    page = context.new_page()
    page.goto(url)
    page.add_script_tag(path=str(AXE))
    violations: list[dict[str, Any]] = page.evaluate(AUDIT)
    context.close()
    return violations


def _logged_in_state(browser: Browser, base: str, user: User) -> Any:
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    state = context.storage_state()
    context.close()
    return state


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_pages_have_no_accessibility_violations(
    browser: Browser, live_server: LiveServer, dark: bool
) -> None:
    author = UserFactory(username="a11y")
    work = make_work(owner=author, chapters=2, notes="Beginning note.", end_notes="End note.")
    series = services.create_series(owner=author, title="A Series")
    services.update_work(
        work=work,
        by=author,
        fields=services.WorkFields(title=work.title, rating=work.rating),
        series=series,
    )
    # What another author wrote, followed and marked for later: the readers' side has rows.
    followed = make_work(owner=UserFactory(username="a11y-other"), title="Followed")
    reading_services.subscribe(user=author, target=followed)
    reading_services.mark_for_later(user=author, work=followed)
    reading_services.record_reading(user=author, work=followed, chapter=None)
    bookmark_fields = BookmarkFields(notes="A note.", tags=("a tag",), is_rec=True)
    save_bookmark(user=author, work=work, fields=bookmark_fields)
    save_bookmark(user=author, series=series, fields=bookmark_fields)
    first = post_comment(work=work, chapter=work.chapters.first(), user=author, body="Hi all.")
    post_comment(work=work, user=UserFactory(username="a11y-reader"), body="Hi!", parent=first)
    base = live_server.url
    public = [
        "/",
        f"/comments/{first.pk}/reply/",
        "/works/",
        work.get_absolute_url(),
        work.chapters.last().get_absolute_url(),  # type: ignore[union-attr]
        f"/works/{work.pk}/full/",
        f"/works/{work.pk}/navigate/",
        f"/users/{author.username}/",
        series.get_absolute_url(),
        "/tags/fandom/Pride and Prejudice - Jane Austen/",
        "/login/",
        "/signup/",
        f"/users/{author.username}/profile/",
        f"/users/{author.username}/bookmarks/",
        f"/works/{work.pk}/bookmarks/",
    ]
    private = [
        "/works/new/",
        f"/works/{work.pk}/edit/",
        f"/works/{work.pk}/chapters/new/",
        f"/works/{work.pk}/chapters/order/",
        f"/series/{series.pk}/edit/",
        "/settings/",
        "/settings/email/",
        "/inbox/",
        "/hidden/",
        followed.get_absolute_url(),
        "/history/",
        "/history/?show=later",
        "/subscriptions/",
        f"/works/{work.pk}/bookmark/",
    ]
    state = _logged_in_state(browser, base, author)
    if dark:
        browser_pages = [(path, state) for path in public[:3] + private[:1]]
    else:
        browser_pages = [(path, None) for path in public] + [(path, state) for path in private]
    problems = {}
    for path, storage in browser_pages:
        violations = _audit(browser, base + path, storage, dark=dark)
        if violations:
            problems[path] = violations
    assert problems == {}


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_the_characters_page_and_coloured_dialogue_have_no_accessibility_violations(
    browser: Browser, live_server: LiveServer, dark: bool
) -> None:
    from tests.archive.insights.conftest import read_work

    author = UserFactory(username="a11y-insights")
    work = read_work(author, draft_chapter=True)
    User.objects.filter(pk=author.pk).update(colour_dialogue=True)
    state = _logged_in_state(browser, live_server.url, author)
    paths = [f"/works/{work.pk}/characters/", work.get_absolute_url(), f"/works/{work.pk}/full/"]
    problems = {}
    for path in paths:
        violations = _audit(browser, live_server.url + path, state, dark=dark)
        if violations:
            problems[path] = violations
    assert problems == {}
