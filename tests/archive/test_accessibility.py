"""Every kind of page passes an axe-core audit in Chromium: WCAG 2.0, 2.1 and 2.2 A and AA rules,
at 1280 px and 390 px wide, in the light, dark and high-contrast skins.

One browser context per persona, width and skin visits that persona's pages in turn, so
the whole matrix costs a few minutes, not one browser start per page. The test prints
the number of violations per page (``pytest -s`` shows it); every one must be zero.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page
from pytest_django.live_server_helper import LiveServer

from fanfold.archive.comments.services import post_comment
from fanfold.archive.people.models import User
from fanfold.archive.reading import services as reading_services
from fanfold.archive.reading.services import BookmarkFields, save_bookmark
from fanfold.archive.works import services, uploads
from fanfold.formats.model import ParsedChapter, ParsedWork
from tests.archive.factories import PASSWORD, UserFactory, make_work

# What axe audits is the HTML and CSS, which the database does not change: the SQLite pass runs it.
pytestmark = [pytest.mark.browser, pytest.mark.sqlite, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).with_name("vendor") / "axe.min.js"
RULE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AUDIT = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(" ")),
  }));
}"""
OPEN_DISCLOSURES = "document.querySelectorAll('details').forEach(d => { d.open = true; })"
WIDTHS = {"desktop": (1280, 800), "phone": (390, 844)}
# A skin: the colour scheme the device asks for, and the theme the reader chose.
SKINS = {
    "light": ("light", "system"),
    "dark": ("dark", "system"),
    "contrast": ("light", "contrast"),
}


def audit_page(page: Page) -> list[dict[str, Any]]:
    """The axe violations on the page as it is now (axe is injected once per page load)."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    violations: list[dict[str, Any]] = page.evaluate(AUDIT, RULE_TAGS)
    return violations


def _audit(browser: Browser, url: str, storage_state: Any, *, dark: bool) -> list[dict[str, Any]]:
    """One page audited in a context of its own (for tests that audit a page they reached)."""
    # The archive's CSP forbids inline scripts (rightly); the audit script is ours.
    context = browser.new_context(
        bypass_csp=True, storage_state=storage_state, color_scheme="dark" if dark else "light"
    )
    page = context.new_page()
    page.goto(url)
    violations = audit_page(page)
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


@dataclass(frozen=True)
class Visit:
    """A page type: where it is, and what to do there before the audit (submit a form)."""

    name: str
    path: str
    then: Callable[[Page], Any] | None = None
    status: int = 200


def _submit_empty(page: Page) -> None:
    page.get_by_role("button", name="Post", exact=True).click()
    page.wait_for_load_state()


def _archive() -> dict[str, list[Visit]]:
    """Works, series, comments, bookmarks, follows and an upload: each page type has rows."""
    from tests.archive.insights.conftest import read_work

    author = UserFactory(username="a11y")
    UserFactory(username="a11y-admin", is_staff=True, is_superuser=True)
    work = make_work(owner=author, chapters=2, notes="Beginning note.", end_notes="End note.")
    series = services.create_series(owner=author, title="A Series")
    services.update_work(
        work=work,
        by=author,
        fields=services.WorkFields(title=work.title, rating=work.rating),
        series=series,
    )
    read = read_work(author)  # read by the engine: the characters page has charts
    User.objects.filter(pk=author.pk).update(colour_dialogue=True)
    followed = make_work(owner=UserFactory(username="a11y-other"), title="Followed")
    reading_services.subscribe(user=author, target=followed)
    reading_services.mark_for_later(user=author, work=followed)
    reading_services.record_reading(user=author, work=followed, chapter=None)
    fields = BookmarkFields(notes="A note.", tags=("a tag",), is_rec=True)
    save_bookmark(user=author, work=followed, fields=fields)
    save_bookmark(user=author, series=series, fields=fields)
    first = post_comment(work=work, chapter=work.chapters.first(), user=author, body="Hi all.")
    post_comment(work=work, user=UserFactory(username="a11y-reader"), body="Hi!", parent=first)
    parsed = ParsedWork(title="Fog", chapters=(ParsedChapter(body="<p>The fog came in.</p>"),))
    upload = uploads.store_upload(owner_id=author.pk, parsed=parsed)
    chapter = work.chapters.last()
    assert chapter is not None
    fandom = "/tags/fandom/Pride and Prejudice - Jane Austen/"
    return {
        "a11y": [
            Visit("post form", "/works/new/"),
            Visit("post form with errors", "/works/new/", _submit_empty),
            Visit("edit form", f"/works/{work.pk}/edit/"),
            Visit("chapter form", f"/works/{work.pk}/chapters/new/"),
            Visit("import form", "/works/import/"),
            Visit("import preview", f"/works/import/{upload}/"),
            Visit("characters", f"/works/{read.pk}/characters/"),
            Visit("work, dialogue coloured", read.get_absolute_url()),
            Visit("inbox", "/inbox/"),
            Visit("bookmarks", "/users/a11y/bookmarks/"),
            Visit("history", "/history/"),
            Visit("subscriptions", "/subscriptions/"),
            Visit("settings", "/settings/"),
            Visit("two-factor sign-in", "/settings/two-factor/"),
            Visit("signed-in sessions", "/settings/sessions/"),
            Visit(
                "403 (wrangling, not a wrangler)", fandom.replace("/tags/", "/wrangle/"), None, 403
            ),
        ],
        "a11y-admin": [Visit("wrangling", fandom.replace("/tags/", "/wrangle/"))],
        "guest": [
            Visit("home", "/"),
            Visit("listing with filters", "/works/?ratings=teen&sort=kudos&words_from=1"),
            Visit("tag page", fandom),
            Visit("search results", "/works/?q=words"),
            Visit("work", work.get_absolute_url()),
            Visit("chapter", chapter.get_absolute_url()),
            Visit("entire work", f"/works/{work.pk}/full/"),
            Visit("series", series.get_absolute_url()),
            Visit("author", "/users/a11y/"),
            Visit("sign-up", "/signup/"),
            Visit("login", "/login/"),
            Visit("404", "/works/999999/", None, 404),
        ],
    }


def _context(browser: Browser, base: str, state: Any, width: str, skin: str) -> BrowserContext:
    scheme, theme = SKINS[skin]
    context = browser.new_context(
        bypass_csp=True,  # the archive's CSP forbids inline scripts (rightly); axe is ours
        storage_state=state,
        viewport=dict(zip(("width", "height"), WIDTHS[width], strict=True)),  # type: ignore[arg-type]
        color_scheme=scheme,  # type: ignore[arg-type]
    )
    context.add_cookies([{"name": "theme", "value": theme, "url": base}])  # a guest's choice
    return context


def _audit_matrix(
    browser: Browser, base: str, visits: dict[str, list[Visit]], skins: list[str]
) -> dict[str, dict[str, int]]:
    """Violations per page, per "skin width" column, and the details of any there are."""
    states = {
        persona: None if persona == "guest" else _logged_in_state(browser, base, persona_user)
        for persona in visits
        for persona_user in [User.objects.filter(username=persona).first()]
    }
    counts: dict[str, dict[str, int]] = {}
    details: dict[str, list[dict[str, Any]]] = {}
    for skin in skins:
        User.objects.update(theme=SKINS[skin][1])  # an account's theme is on the account
        for width in WIDTHS:
            column = f"{skin} {width}"
            for persona, pages in visits.items():
                context = _context(browser, base, states[persona], width, skin)
                page = context.new_page()
                for visit in pages:
                    response = page.goto(base + visit.path)
                    assert response is not None, visit
                    assert response.status == visit.status, visit
                    if visit.status == 200:  # drawn in the skin asked for
                        assert page.get_attribute("html", "data-theme") == SKINS[skin][1]
                    if visit.then is not None:
                        visit.then(page)
                    page.evaluate(OPEN_DISCLOSURES)  # what they hold is audited too
                    violations = audit_page(page)
                    counts.setdefault(visit.name, {})[column] = len(violations)
                    if violations:
                        details[f"{visit.name} ({column})"] = violations
                context.close()
    _print_counts(counts)
    assert not details, "\n".join(
        f"{where}: {v['id']} ({v['impact']}) {v['help']}: {', '.join(v['nodes'][:5])}"
        for where, violations in details.items()
        for v in violations
    )
    return counts


def _print_counts(counts: dict[str, dict[str, int]]) -> None:
    columns = list(next(iter(counts.values())))
    print(f"\naxe-core violations ({', '.join(RULE_TAGS)}) per page:")
    print(f"{'page':34}" + "".join(f"{c:>17}" for c in columns))
    for name, row in counts.items():
        print(f"{name:34}" + "".join(f"{row[c]:>17}" for c in columns))


@pytest.mark.parametrize("skin", ["light", "dark"])
def test_every_page_type_has_no_accessibility_violations_at_both_widths(
    browser: Browser, live_server: LiveServer, skin: str
) -> None:
    counts = _audit_matrix(browser, live_server.url, _archive(), [skin])
    assert len(counts) == 29  # every page type was audited, in both widths
    assert all(len(row) == 2 for row in counts.values())


def test_the_high_contrast_skin_has_no_accessibility_violations(
    browser: Browser, live_server: LiveServer
) -> None:
    everything = _archive()
    some = {
        "guest": [
            v for v in everything["guest"] if v.name in {"home", "work", "listing with filters"}
        ],
        "a11y": [v for v in everything["a11y"] if v.name in {"post form with errors", "settings"}],
    }
    counts = _audit_matrix(browser, live_server.url, some, ["contrast"])
    assert len(counts) == 5


def test_the_audit_finds_violations_where_there_are_some(browser: Browser) -> None:
    """The audit can fail: a page without a language, a title or an image's text is caught."""
    page = browser.new_page()
    page.set_content("<html><body><img src='x.png'><input type='checkbox'></body></html>")
    found = {violation["id"] for violation in audit_page(page)}
    page.close()
    assert {"html-has-lang", "document-title", "image-alt", "label"} <= found
