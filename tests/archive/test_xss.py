"""Cross-site scripting: hundreds of payloads through every field a person writes, in Chromium.

The payloads are our own fixture (``fixtures/xss_payloads.txt``, written from
the patterns of the public filter-evasion lists). Each calls the canary
``fanfoldXss(N)``. A script Playwright adds before any page script defines
the canary and replaces ``alert``, ``confirm``, ``prompt`` and ``print``, so
any payload that runs reports itself, from any frame, even across a
navigation. Each page is opened twice: with the archive's Content-Security-Policy,
and with the policy bypassed (``bypass_csp``), so the escaping and the
sanitiser are proved on their own, not only behind the policy.

A page can also be unsafe without running anything yet (a ``javascript:``
link waiting for a click, an ``onmouseover``): after each load a scan of the
page's DOM flags event-handler attributes, script-bearing addresses, frames,
objects, ``<base>``, meta refreshes, foreign scripts and htmx attributes in
user content. And every page must show some payload as text, so the test
cannot pass by showing nothing.

Few pages carry many payloads each, so the run stays short: one work holds a
chapter per payload (its title, summary, notes, end notes and text); the
payloads are packed into as few titles, summaries, notes, tags, series,
bookmarks, comments and bios as their limits allow (a packed HTML value is
cleaned as one fragment, so there an unclosed ``<textarea>`` may swallow the
payloads after it; the chapters test each payload alone). The figures print
with ``pytest -s -m browser tests/archive/test_xss.py``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Dialog, FilePayload, Page, Route, expect
from playwright.sync_api import Error as PlaywrightError
from pytest_django.live_server_helper import LiveServer

from fanfold.archive.people.models import User

# Escaping and sanitising do not depend on the database: the SQLite pass runs it.
pytestmark = [pytest.mark.browser, pytest.mark.sqlite, pytest.mark.django_db(transaction=True)]

PAYLOAD_FILE = Path(__file__).parent / "fixtures" / "xss_payloads.txt"
PASSWORD = "correct-horse-battery-staple-9"


def load_payloads() -> list[str]:
    """The payloads, in order: payload N (from 1) calls ``fanfoldXss(N)``.

    Split on newlines only (a payload holds U+2028, which ``splitlines`` would
    cut at); the two characters ``\\n`` stand for a line break.
    """
    lines = PAYLOAD_FILE.read_text(encoding="utf-8").split("\n")
    return [
        line.replace("\\n", "\n")
        for line in lines
        if line.strip() and line != "#" and not line.startswith("# ")
    ]


PAYLOADS = load_payloads()

# Runs in every frame before the page's own scripts; the binding reaches Python at once.
HOOK = """
(() => {
  const report = (how, detail) => {
    try { window.fanfoldXssReport(how + ": " + String(detail)); } catch (e) {}
  };
  window.fanfoldXss = (n) => report("fanfoldXss", n);
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    window[name] = (x) => report(name, x);
  }
})();
"""

# What a page must not contain: markup that runs script now or on a click.
SCAN = r"""
() => {
  const found = [];
  const say = (el, why) => found.push(why + " on <" + el.tagName.toLowerCase() + "> "
    + el.outerHTML.slice(0, 160));
  const addressed = ["href", "src", "action", "formaction", "data", "xlink:href",
                     "background", "poster", "lowsrc", "dynsrc", "codebase"];
  const scriptish = /^(javascript|vbscript|livescript):/;
  for (const el of document.querySelectorAll("*")) {
    const tag = el.tagName.toLowerCase();
    if (["iframe", "frame", "frameset", "object", "embed", "applet", "base", "bgsound",
         "layer", "isindex"].includes(tag)) say(el, "element");
    if (tag === "meta" && (el.getAttribute("http-equiv") || "").toLowerCase() === "refresh")
      say(el, "meta refresh");
    if (tag === "script" && !(el.src && el.src.startsWith(location.origin + "/static/")))
      say(el, "script not ours");
    if (tag === "style" && /fanfoldxss|javascript:|expression\(/i.test(el.textContent))
      say(el, "style with a payload");
    if (el.attributes.length === 0) continue;
    let inUserText = null;
    const userText = () => inUserText ??= el.closest(".userstuff") !== null;
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.replace(/[\u0000-\u0020]/g, "").toLowerCase();
      if (name.startsWith("on")) say(el, "handler " + name);
      if (name === "srcdoc") say(el, "srcdoc");
      if (addressed.includes(name) && (scriptish.test(value) ||
          (value.startsWith("data:") && !/^data:image\/(png|gif|jpeg|webp)/.test(value))))
        say(el, "address " + name);
      if (name === "style" && (/fanfoldxss|expression|url\(/.test(value) || userText()))
        say(el, "style attribute");
      if (/^(data-)?(hx-|ng-|v-|x-)|^data-bind$/.test(name) && userText())
        say(el, "framework attribute " + name);
    }
  }
  return found;
}
"""

# What a reader sees: the page's text and what its form fields hold.
SHOWN_TEXT = """
() => [document.body.innerText,
       ...Array.from(document.querySelectorAll("input, textarea"), field => field.value),
      ].join("\\n")
"""
CANARY_TEXT = re.compile(r"fanfoldXss\((\d+)\)")


@dataclass
class Watch:
    """What the browser saw across every page: hits (must stay empty), flags, loads, text."""

    hits: list[str] = field(default_factory=list)
    flagged: list[str] = field(default_factory=list)
    loads: int = 0
    shown: set[int] = field(default_factory=set)
    blank: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


_OPEN: list[BrowserContext] = []


@pytest.fixture(autouse=True)
def close_contexts() -> Iterator[None]:
    """Contexts a failed test left open are closed before the live server stops.

    An open context keeps connections to the live server, whose threads would
    then close the test database's connection from the wrong thread.
    """
    yield
    while _OPEN:
        _OPEN.pop().close()


def open_context(
    browser: Browser, base: str, watch: Watch, *, bypass_csp: bool, user: User | None
) -> BrowserContext:
    """A browser (logged in as ``user``, or a guest) whose every frame reports a canary call."""
    context = browser.new_context(bypass_csp=bypass_csp)
    _OPEN.append(context)
    mode = "CSP bypassed" if bypass_csp else "CSP on"
    context.expose_binding(
        "fanfoldXssReport",
        lambda source, detail: watch.hits.append(f"{mode}: {detail} at {source['frame'].url}"),
    )
    context.add_init_script(HOOK)
    context.route("**/*", lambda route: keep_it_local(route, base))
    if user is not None:
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base}])
    return context


def keep_it_local(route: Route, base: str) -> None:
    """Pictures and anything elsewhere fail at once, as a broken picture does (firing ``onerror``).

    Planted ``<img src=x>`` would otherwise cost the live server a 404 page each,
    and addresses elsewhere a wait for a network the test machine may not have.
    """
    request = route.request
    if request.resource_type in {"image", "media", "font"} or not request.url.startswith(base):
        route.abort()
    else:
        route.continue_()


def watch_page(context: BrowserContext, watch: Watch) -> Page:
    """A page that also counts a real dialog box (should the hook ever be gone) as a hit."""
    page = context.new_page()

    def dialog_opened(dialog: Dialog) -> None:
        watch.hits.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", dialog_opened)
    return page


def visit(page: Page, url: str, watch: Watch, *, needs_text: bool = True) -> None:
    """Open ``url``, let timers, focus and animations fire, then scan every frame."""
    started = time.monotonic()
    watch.loads += 1
    try:
        page.goto(url, wait_until="load")
        page.wait_for_timeout(100)  # autofocus, animationstart, setTimeout(…, 0)
        for frame in page.frames:
            watch.flagged += [f"{url}: {problem}" for problem in frame.evaluate(SCAN)]
        numbers = {int(n) for n in CANARY_TEXT.findall(page.evaluate(SHOWN_TEXT))}
    except PlaywrightError as error:  # only a payload (meta refresh, script) moves the page
        watch.flagged.append(f"{url}: the page went elsewhere by itself ({error.message[:90]})")
        return
    watch.seconds[url] = watch.seconds.get(url, 0) + time.monotonic() - started
    watch.shown |= numbers
    if needs_text and not numbers:
        watch.blank.append(url)


def follow_pages(page: Page, url: str, watch: Watch, *, most: int = 8) -> None:
    """A listing and the pages its "Next page" link leads to."""
    visit(page, url, watch)
    for _ in range(most):
        following = page.locator("a[rel=next]").first
        if following.count() == 0:
            return
        visit(page, str(following.evaluate("a => a.href")), watch)


def grouped(payloads: list[str], limit: int, joiner: str) -> list[list[str]]:
    """The payloads in as few groups as fit within ``limit`` characters once joined.

    >>> grouped(["ab", "cd", "efgh"], 5, " ")
    [['ab', 'cd'], ['efgh']]
    """
    groups: list[list[str]] = []
    for payload in payloads:
        if groups and len(joiner.join([*groups[-1], payload])) <= limit:
            groups[-1].append(payload)
        else:
            groups.append([payload[:limit]])
    return groups


def packed(payloads: list[str], limit: int, joiner: str) -> list[str]:
    """The payloads joined into as few values as fit within ``limit`` characters each."""
    return [joiner.join(group) for group in grouped(payloads, limit, joiner)]


def as_tag(payload: str) -> str:
    return " ".join(payload.split())[:150]


@dataclass
class Planted:
    author: User
    reader: User
    bio_writers: list[User]
    carriers: list[int]  # work ids, one title's worth of payloads each
    series: list[int]
    noted: int  # the first carriers carry the notes: their pages are opened
    chapter_work: int
    chapter_ids: list[int]
    root_comments: list[int]
    tag_urls: list[str]
    fields: dict[str, int]  # each field written and how many payloads went through it


def plant() -> Planted:
    """Every payload through every field a person writes, in bulk, through the services."""
    from fanfold.archive.comments import services as comments
    from fanfold.archive.people import services as people
    from fanfold.archive.reading import services as reading
    from fanfold.archive.tags.models import Tag, TagType
    from fanfold.archive.works import services
    from fanfold.archive.works.models import CommentPermission, Rating, Work

    author = User.objects.create_user(
        "xssauthor", password=PASSWORD, is_staff=True, is_superuser=True
    )
    reader = User.objects.create_user("xssreader", password=PASSWORD)
    n = len(PAYLOADS)
    groups = grouped(PAYLOADS, 255, " ")  # one carrier work per group: its title, its tags
    titles = [" ".join(group) for group in groups]
    summaries = packed(PAYLOADS, 1250, "\n\n")
    notes = packed(PAYLOADS, 5000, "\n\n")
    carriers, series_ids = [], []
    for i, title in enumerate(titles):
        series = services.create_series(
            owner=author,
            title=title,
            summary=summaries[i] if i < len(summaries) else "",
            notes=notes[i] if i < len(notes) else "",
        )
        work = services.create_work(
            owner=author,
            fields=services.WorkFields(
                title=title,
                rating=Rating.GENERAL,
                summary=summaries[i] if i < len(summaries) else "",
                notes=notes[i] if i < len(notes) else "",
                end_notes=notes[-1 - i] if i < len(notes) else "",
                comment_permission=CommentPermission.EVERYONE,
                tags={
                    TagType.WARNING: ["No Archive Warnings Apply"],
                    TagType.FANDOM: [as_tag(p) for p in groups[i]],
                    TagType.CHARACTER: [as_tag("Char " + p) for p in groups[i]],
                    TagType.RELATIONSHIP: [as_tag("A/" + p) for p in groups[i]],
                    TagType.FREEFORM: [as_tag("Free " + p) for p in groups[i]],
                },
            ),
            first_chapter=services.ChapterFields(body="A carrier of payloads.", title="One"),
            post=True,
            series=series,
        )
        carriers.append(work.pk)
        series_ids.append(series.pk)

    chapter_work = services.create_work_with_chapters(
        owner=author,
        fields=services.WorkFields(
            title="Every payload, one a chapter",
            rating=Rating.GENERAL,
            comment_permission=CommentPermission.EVERYONE,
            tags={TagType.WARNING: ["No Archive Warnings Apply"], TagType.FANDOM: ["XSS Proof"]},
        ),
        chapters=[
            services.ChapterFields(
                body=f"Chapter {number} of the proof.\n\n{p}",
                title=" ".join(p.split())[:255],
                summary=p,
                notes=p,
                end_notes=p,
            )
            for number, p in enumerate(PAYLOADS, start=1)
        ],
        post=True,
    )
    chapter_ids = list(chapter_work.chapters.order_by("position").values_list("pk", flat=True))

    # Comments: the reader's threads carry the payloads in bulk; guests reply one payload each,
    # named by the payload, so every reply shows on the thread's first page.
    first_chapter = chapter_work.chapters.get(pk=chapter_ids[0])
    roots = []
    for number, body in enumerate(packed(PAYLOADS, 9000, "\n\n"), start=1):
        cache.clear()  # the rate limit counts real people, not a fixture's bulk
        roots.append(
            comments.post_comment(
                work=chapter_work,
                chapter=first_chapter,
                body=f"Comment {number}.\n\n{body}",
                user=reader,
            )
        )
    for number, p in enumerate(PAYLOADS, start=1):
        comments.post_comment(
            work=chapter_work,
            body=f"Reply {number}.\n\n{p}",
            guest_name=p,
            parent=roots[0],
            address=f"10.{number // 250}.{number % 250}.1",
        )

    # Bookmarks of every carrier: notes; the first four carry every payload as the reader's tags.
    for i, work_id in enumerate(carriers):
        reading.save_bookmark(
            user=reader,
            work=Work.objects.get(pk=work_id),
            fields=reading.BookmarkFields(
                notes=summaries[i % len(summaries)],
                tags=tuple(as_tag("Bm " + p) for p in PAYLOADS[i * 75 : (i + 1) * 75]),
            ),
        )
    from fanfold.archive.works.models import Series

    reading.save_bookmark(
        user=reader,
        series=Series.objects.get(pk=series_ids[0]),
        fields=reading.BookmarkFields(notes=notes[0]),
    )

    # Bios: as many accounts as it takes to carry every payload.
    bio_writers = []
    for i, bio in enumerate(packed(PAYLOADS, 3500, "\n\n")):
        person = (
            [author, reader][i]
            if i < 2
            else User.objects.create_user(f"xssbio{i}", password=PASSWORD)
        )
        people.set_bio(user=person, bio=bio)
        bio_writers.append(person)

    # Canonical tags are offered as an author types, each offer repeating what was typed.
    from fanfold.archive.tags import services as tags

    for tag in Tag.objects.filter(type=TagType.FREEFORM, name__startswith="Free ")[:10]:
        tags.set_canonical(tag=tag, by=author, canonical=True)
    tag_urls = [
        Tag.objects.filter(type=kind)
        .exclude(name="XSS Proof")
        .order_by("pk")
        .first()
        .get_absolute_url()  # type: ignore[union-attr]
        for kind in (TagType.FANDOM, TagType.CHARACTER, TagType.RELATIONSHIP, TagType.FREEFORM)
    ]
    return Planted(
        author=author,
        reader=reader,
        bio_writers=bio_writers,
        carriers=carriers,
        series=series_ids,
        noted=len(notes),
        chapter_work=chapter_work.pk,
        chapter_ids=chapter_ids,
        root_comments=[c.pk for c in roots],
        tag_urls=tag_urls,
        fields={
            "work title": n,
            "work summary": n,
            "work beginning notes": n,
            "work end notes": n,
            "fandom tags": n,
            "character tags": n,
            "relationship tags": n,
            "freeform tags": n,
            "series title": n,
            "series summary": n,
            "series notes": n,
            "chapter title": n,
            "chapter summary": n,
            "chapter beginning notes": n,
            "chapter end notes": n,
            "chapter text": n,
            "comment (signed in)": n,
            "comment (guest)": n,
            "guest name": n,
            "bookmark notes": n,
            "bookmark tags": n,
            "profile bio": n,
        },
    )


def pages_for_the_author(base: str, planted: Planted) -> Iterator[tuple[str, str]]:
    """(kind, address) of every page type that shows what was planted, seen by its author."""
    from django.urls import reverse

    work, chapters = planted.chapter_work, planted.chapter_ids
    yield "listing", base + reverse("search:home")
    yield "listings", base + reverse("search:works")
    yield "page", base + reverse("works:author", args=["xssauthor"])
    yield "quiet", base + reverse("tags:fandoms")  # the media, not yet their fandoms
    yield "page", base + reverse("tags:fandoms_of_media", args=["uncategorized"])
    for url in planted.tag_urls:
        yield "listing", base + url
    yield "page", base + planted.tag_urls[-1].replace("/tags/", "/wrangle/", 1)
    for group in grouped(PAYLOADS, 3000, ", ")[:2]:  # the offers of tags as an author types
        typed = ", ".join(group) + ", Free"
        yield (
            "quiet",
            base + reverse("tags:suggest", args=["freeform"]) + "?" + urlencode({"q": typed}),
        )
    noted = list(zip(planted.carriers, planted.series, strict=True))[: planted.noted]
    for work_id, series_id in noted:
        yield "page", base + reverse("works:work", args=[work_id])
        yield "page", base + reverse("works:series", args=[series_id])
    # The forms show the stored values back: one of each (the same template for every work).
    yield "page", base + reverse("works:edit", args=[noted[0][0]])
    yield "page", base + reverse("works:series_edit", args=[noted[0][1]])
    yield "page", base + reverse("works:full", args=[work])
    yield "page", base + reverse("works:navigate", args=[work])
    yield "page", base + reverse("works:chapter_order", args=[work])
    yield "page", base + reverse("works:chapter", args=[work, chapters[0]])
    yield "page", base + reverse("works:chapter_edit", args=[work, chapters[1]])
    yield "page", base + reverse("comments:thread", args=[planted.root_comments[0]])
    yield "page", base + reverse("inbox:inbox")
    yield "page", base + reverse("search:bookmarks", args=["xssreader"])
    yield "page", base + reverse("reading:work_bookmarks", args=[planted.carriers[0]])
    for person in planted.bio_writers:  # HTML only: a bio may show no payload as text
        yield "quiet", base + reverse("people:profile", args=[person.username])
    yield "quiet", base + reverse("people:profile_edit")
    yield "page", base + reverse("search:works") + "?q=fanfoldXss"
    yield "download", base + reverse("works:download", args=[work, "html"])
    yield "download", base + reverse("works:download", args=[planted.carriers[0], "html"])


def pages_for_the_reader(base: str, planted: Planted) -> Iterator[tuple[str, str]]:
    from django.urls import reverse

    yield "page", base + reverse("search:bookmarks", args=["xssreader"])
    yield "page", base + reverse("reading:bookmark_work", args=[planted.carriers[0]])
    yield "page", base + reverse("comments:edit", args=[planted.root_comments[0]])
    yield "page", base + reverse("comments:reply", args=[planted.root_comments[0]])
    yield "page", base + reverse("inbox:inbox")
    yield "quiet", base + reverse("people:profile_edit")


def pages_for_a_guest(base: str, planted: Planted) -> Iterator[tuple[str, str]]:
    from django.urls import reverse

    work, chapters = planted.chapter_work, planted.chapter_ids
    yield "page", base + reverse("works:chapter", args=[work, chapters[0]])
    yield "listing", base + reverse("search:works")


def open_download(page: Page, url: str, watch: Watch) -> None:
    """A download as a reader opens the saved file: as a page, with no policy at all."""

    def as_a_page(route: Route) -> None:
        response = route.fetch()
        headers = {
            name: value
            for name, value in response.headers.items()
            if name.lower() not in {"content-disposition", "content-security-policy"}
        }
        route.fulfill(response=response, headers=headers)

    page.route(url, as_a_page)
    visit(page, url, watch)
    page.unroute(url)


def render(page: Page, pages: Iterator[tuple[str, str]], watch: Watch) -> None:
    for kind, url in pages:
        # Stop at the first page something ran on: a page a payload keeps moving
        # would otherwise cost its load timeout again on every page after it.
        assert watch.hits == [], "payloads ran:\n" + "\n".join(watch.hits[:40])
        assert watch.flagged == [], "dangerous markup:\n" + "\n".join(watch.flagged[:40])
        if kind == "download":
            open_download(page, url, watch)
        elif kind == "listings":
            follow_pages(page, url, watch)
        else:
            visit(page, url, watch, needs_text=kind != "quiet")


def report(title: str, watch: Watch, **figures: Any) -> None:
    """The figures, printed (``pytest -s`` shows them) for docs/security.md."""
    lines = [f"{title}:"] + [f"  {name}: {value}" for name, value in figures.items()]
    lines += [
        f"  pages rendered in Chromium (both policies): {watch.loads}",
        f"  payloads seen as text: {len(watch.shown)} of {len(PAYLOADS)}",
        f"  canary hits: {len(watch.hits)}; dangerous markup found: {len(watch.flagged)}",
    ]
    slowest = sorted(watch.seconds.items(), key=lambda item: -item[1])[:6]
    lines += [f"  slow: {seconds:.1f} s {url[:100]}" for url, seconds in slowest]
    print("\n".join(lines))


def assert_nothing_ran(watch: Watch) -> None:
    assert watch.hits == [], "payloads ran:\n" + "\n".join(watch.hits[:40])
    assert watch.flagged == [], "dangerous markup on the page:\n" + "\n".join(watch.flagged[:40])
    assert watch.blank == [], f"pages that showed no payload at all: {watch.blank}"


def test_the_payloads_are_many_and_each_calls_the_canary_by_its_number() -> None:
    assert len(PAYLOADS) >= 200
    assert len(set(PAYLOADS)) == len(PAYLOADS)
    wrong = [n for n, p in enumerate(PAYLOADS, start=1) if f"{n})" not in p]
    assert wrong == []


def test_no_payload_runs_from_any_field_on_any_page(
    browser: Browser, live_server: LiveServer
) -> None:
    started = time.monotonic()
    planted = plant()
    planting = time.monotonic() - started
    base, watch = live_server.url, Watch()
    personas = [
        (planted.author, pages_for_the_author),
        (planted.reader, pages_for_the_reader),
        (None, pages_for_a_guest),
    ]
    for bypass_csp in (False, True):
        for user, pages in personas:
            context = open_context(browser, base, watch, bypass_csp=bypass_csp, user=user)
            render(watch_page(context, watch), pages(base, planted), watch)
            context.close()
    report(
        "XSS through every field",
        watch,
        payloads=len(PAYLOADS),
        fields=len(planted.fields),
        payload_field_pairs=sum(planted.fields.values()),
        seconds_planting=round(planting, 1),
        seconds_in_the_browser=round(time.monotonic() - started - planting, 1),
    )
    assert_nothing_ran(watch)
    # Titles, tags and names are plain text: every payload is shown as typed somewhere.
    assert len(watch.shown) >= 0.9 * len(PAYLOADS)


def reflected_addresses(base: str) -> Iterator[str]:
    """Addresses whose query string (or path) a page may show back: payloads in bulk."""
    from django.urls import reverse

    for group in grouped(PAYLOADS, 4000, " "):
        text = " ".join(group)
        yield base + reverse("search:works") + "?" + urlencode({"q": text})
        yield (
            base
            + reverse("search:works")
            + "?"
            + urlencode(
                {"other_include": text, "other_exclude": text, "sort": text, "language": text}
            )
        )
    every = {
        name: PAYLOADS[i % len(PAYLOADS)]
        for i, name in enumerate(
            ["sort", "q", "other_include", "other_exclude", "ratings", "warnings", "categories",
             "complete", "crossovers", "words_from", "words_to", "language", "updated_from",
             "updated_to", "include", "exclude", "after", "cursor", "page", "next"]
        )
    }  # fmt: skip
    query = "?" + urlencode(every)
    for path in [
        reverse("search:works"),
        reverse("search:home"),
        reverse("tags:fandoms"),
        reverse("search:bookmarks", args=["xssreader"]),
        reverse("people:login"),
        reverse("people:signup"),
        reverse("works:new"),
        reverse("inbox:inbox"),
        reverse("reading:history"),
    ]:
        yield base + path + query
    for payload in PAYLOADS[:120:40]:  # in the path: the answer is "not found", shown safely
        yield base + "/users/" + quote(payload, safe="") + "/"
        yield base + "/tags/freeform/" + quote(payload, safe="") + "/"


def test_no_payload_runs_from_a_search_or_an_address(
    browser: Browser, live_server: LiveServer
) -> None:
    from tests.archive.factories import make_work

    author = User.objects.create_user("xsssearcher", password=PASSWORD)
    make_work(owner=author, title="A quiet work")
    watch = Watch()
    for bypass_csp in (False, True):
        context = open_context(browser, live_server.url, watch, bypass_csp=bypass_csp, user=author)
        page = watch_page(context, watch)
        for url in reflected_addresses(live_server.url):
            visit(page, url, watch, needs_text=False)
        context.close()
    report("XSS through search and addresses", watch, payloads=len(PAYLOADS))
    assert_nothing_ran(watch)
    assert len(watch.shown) >= 0.9 * len(PAYLOADS)  # the search box shows what was searched


def test_a_username_made_of_a_payload_is_refused_and_shown_as_typed(
    browser: Browser, live_server: LiveServer
) -> None:
    watch = Watch()
    names = [p for p in PAYLOADS if len(p) <= 150 and "\n" not in p][::50]
    for bypass_csp in (False, True):
        context = open_context(browser, live_server.url, watch, bypass_csp=bypass_csp, user=None)
        page = watch_page(context, watch)
        for name in names:
            visit(page, f"{live_server.url}/signup/", watch, needs_text=False)
            page.get_by_label("Username").fill(name)
            page.get_by_label("Password:", exact=True).fill(PASSWORD)
            page.get_by_label("Password confirmation").fill(PASSWORD)
            page.get_by_role("button", name="Create account").click()
            expect(page.locator("#id_username_error")).to_contain_text("Enter a valid username")
            expect(page.get_by_label("Username")).to_have_value(name.strip())
            page.wait_for_timeout(120)
            watch.flagged += [f"signup: {problem}" for problem in page.evaluate(SCAN)]
        context.close()
    report("XSS through usernames", watch, usernames_tried=len(names))
    assert_nothing_ran(watch)
    assert not User.objects.exists()


def payload_files() -> list[FilePayload]:
    """An HTML file and a plain text file, every payload in each."""
    blocks = "\n".join(f"<div>{p}</div>" for p in PAYLOADS)
    title = " ".join(PAYLOADS[0].split())
    document = (
        f"<!DOCTYPE html><html><head><title>{title}</title>"
        f'<meta name="author" content="{PAYLOADS[1]}"></head>'
        f"<body><h1>{PAYLOADS[2]}</h1>{blocks}</body></html>"
    )
    text = "\n\n".join(PAYLOADS)
    return [
        {"name": "payloads.html", "mimeType": "text/html", "buffer": document.encode()},
        {"name": "payloads.txt", "mimeType": "text/plain", "buffer": text.encode()},
    ]


def test_no_payload_runs_from_an_imported_file(browser: Browser, live_server: LiveServer) -> None:
    """Both files are HTML to Fanfold (the text file names elements), and an imported page is
    read as paragraphs of text, so most payloads are cleaned away rather than shown; each page
    must still show some as text."""
    from fanfold.archive.works.models import Work

    author = User.objects.create_user("xssimporter", password=PASSWORD)
    base, watch = live_server.url, Watch()
    seen: list[str] = []
    context = open_context(browser, base, watch, bypass_csp=False, user=author)
    page = watch_page(context, watch)
    for upload in payload_files():
        visit(page, f"{base}/works/import/", watch, needs_text=False)
        page.get_by_label("Files").set_input_files(files=[upload])
        page.get_by_role("button", name="Read the files").click()
        expect(page.get_by_role("button", name="Post", exact=True)).to_be_visible()
        seen.append(page.url)
        visit(page, page.url, watch)  # the preview, with its form
        page.get_by_label("Rating").select_option(label="General Audiences")
        page.get_by_label("Fandoms").fill("XSS Proof")
        page.get_by_label("No Archive Warnings Apply").check()
        page.get_by_role("button", name="Post", exact=True).click()
        page.wait_for_url(re.compile(r"/works/\d+/$"))
        seen.append(page.url)
        visit(page, page.url, watch)  # the work page
    context.close()
    # The same pages again without the policy (the previews stay until confirmed or a day old).
    context = open_context(browser, base, watch, bypass_csp=True, user=author)
    page = watch_page(context, watch)
    for url in seen[1::2]:
        visit(page, url, watch)
        visit(page, url.rstrip("/") + "/full/", watch)
    context.close()
    report("XSS through imported files", watch, payloads=len(PAYLOADS), files=2)
    assert_nothing_ran(watch)
    assert Work.objects.filter(owner=author).count() == 2


def test_no_payload_runs_from_dialogue_coloured_by_speaker(
    browser: Browser, live_server: LiveServer
) -> None:
    """Colouring inserts spans of our own into stored HTML: payloads typed as text stay text."""
    import html

    from django.urls import reverse

    from fanfold.archive.insights.services import analyse_work
    from tests.archive.factories import make_work

    author = User.objects.create_user("xssspeaker", password=PASSWORD, colour_dialogue=True)
    speakers = ["Mara Quill", "Tobin Reyes"]
    body = "\n".join(
        f"<p>“{html.escape(p)},” {speakers[n % 2]} said, and {speakers[n % 2].split()[0]}"
        f" waited.</p>"
        for n, p in enumerate(PAYLOADS)
    )
    work = make_work(owner=author, title="Spoken payloads", body=body)
    analyse_work(work_id=work.pk)
    base, watch = live_server.url, Watch()
    for bypass_csp in (False, True):
        context = open_context(browser, base, watch, bypass_csp=bypass_csp, user=author)
        page = watch_page(context, watch)
        visit(page, base + work.get_absolute_url(), watch)
        assert page.locator(".chapter-text .said").count() > 100, "the dialogue is coloured"
        visit(page, base + reverse("insights:characters", args=[work.pk]), watch, needs_text=False)
        context.close()
    report("XSS through coloured dialogue", watch, payloads=len(PAYLOADS))
    assert_nothing_ran(watch)
    assert len(watch.shown) >= 0.9 * len(PAYLOADS)
