"""The archive in a real browser: sign up, post, read as a stranger, hide notes."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-staple-9"


def sign_up(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/signup/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(f"{username}@example.org")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text(f"Welcome to the archive, {username}.")).to_be_visible()


def test_an_author_posts_a_two_chapter_work_and_a_stranger_reads_it(
    page: Page, browser: Browser, live_server: LiveServer
) -> None:
    base = live_server.url
    sign_up(page, base, "quillwright")

    page.get_by_role("link", name="Post a work").click()
    page.get_by_label("Rating").select_option(label="Teen And Up Audiences")
    page.get_by_label("No Archive Warnings Apply").check()
    page.get_by_label("Fandoms").fill("Pride and Prejudice - Jane Austen")
    page.get_by_label("Relationships").fill("Elizabeth Bennet/Fitzwilliam Darcy")
    page.get_by_label("Title:", exact=True).fill("A Letter at Rosings")
    page.get_by_label("Beginning notes:", exact=True).fill(
        "Written for a friend who loves letters."
    )
    page.get_by_label("Chapter title").fill("The Letter")
    page.get_by_label("Chapter text").fill(
        'Elizabeth read the letter twice.\n\n"You are not what I expected," she said.'
    )
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="A Letter at Rosings")).to_be_visible()

    page.get_by_role("link", name="Add chapter").click()
    page.get_by_label("Chapter title").fill("The Answer")
    page.get_by_label("Chapter beginning notes").fill("The chapter I rewrote four times.")
    page.get_by_label("Chapter text:", exact=True).fill("Darcy waited by the gate until evening.")
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.get_by_text("Darcy waited by the gate")).to_be_visible()
    work_url = re.sub(r"/chapters/.*", "/", page.url)

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()

    # A stranger, on a phone with JavaScript off, reads chapter by chapter.
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(work_url)
    expect(page.get_by_text("Elizabeth read the letter twice.")).to_be_visible()
    expect(page.get_by_text("Written for a friend who loves letters.")).to_be_visible()
    expect(page.get_by_text("Darcy waited by the gate")).to_have_count(0)
    page.get_by_role("link", name="Next chapter →").first.click()
    expect(page.get_by_text("Darcy waited by the gate until evening.")).to_be_visible()
    expect(page.get_by_text("The chapter I rewrote four times.")).to_be_visible()

    # ...hides the author's notes, and they stay hidden on the next page.
    page.get_by_role("button", name="Hide author's notes").click()
    expect(page.get_by_text("The chapter I rewrote four times.")).to_have_count(0)
    expect(page.get_by_text("Darcy waited by the gate until evening.")).to_be_visible()
    page.get_by_role("link", name="← Previous chapter").first.click()
    expect(page.get_by_text("Written for a friend who loves letters.")).to_have_count(0)
    page.get_by_role("button", name="Show author's notes").click()
    expect(page.get_by_text("Written for a friend who loves letters.")).to_be_visible()

    # ...and reads the entire work on one page.
    page.get_by_role("link", name="Entire work").first.click()
    expect(page.get_by_text("Elizabeth read the letter twice.")).to_be_visible()
    expect(page.get_by_text("Darcy waited by the gate until evening.")).to_be_visible()
    context.close()


def test_pages_fit_a_phone_screen(browser: Browser, live_server: LiveServer) -> None:
    from fanfold.archive.people.models import User
    from tests.archive.factories import make_work

    author = User.objects.create_user("phonewriter", password=PASSWORD)
    work = make_work(owner=author, chapters=2, title="A Title Long Enough To Wrap On A Phone")
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    for path in ["/", "/works/", work.get_absolute_url(), f"/users/{author.username}/", "/signup/"]:
        page.goto(live_server.url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a 360px screen"
    context.close()


def test_a_bad_form_keeps_what_was_typed_in_the_browser(
    page: Page, live_server: LiveServer
) -> None:
    sign_up(page, live_server.url, "forgetful")
    page.get_by_role("link", name="Post a work").click()
    page.get_by_label("Title:", exact=True).fill("Missing a fandom")
    page.get_by_label("Chapter text").fill("Some words that must not be lost.")
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.get_by_text("This field is required.").first).to_be_visible()
    expect(page.get_by_label("Title:", exact=True)).to_have_value("Missing a fandom")
    expect(page.get_by_label("Chapter text")).to_have_value("Some words that must not be lost.")


def test_a_reader_filters_by_facet_and_searches_the_text(
    page: Page, live_server: LiveServer
) -> None:
    from fanfold.archive.people.models import User
    from fanfold.archive.tags.models import TagType
    from tests.archive.factories import make_work

    author = User.objects.create_user("harbourwriter", password=PASSWORD)
    harbour = {TagType.WARNING: ["No Archive Warnings Apply"], TagType.FANDOM: ["Harbour Town"]}
    make_work(owner=author, title="The Keeper", tags=harbour, body="The lighthouse keeper slept.")
    make_work(owner=author, title="The Ferry", tags=harbour, body="The ferry was late again.")
    make_work(
        owner=author,
        title="Fields",
        tags={**harbour, TagType.FANDOM: ["Mill Stories"]},
        body="Wheat, and then more wheat.",
    )

    page.goto(f"{live_server.url}/works/")
    expect(page.get_by_text("3 works")).to_be_visible()
    include_harbour = page.get_by_role("checkbox", name=re.compile(r"^Harbour Town \(2\)"))
    include_harbour.check()
    page.get_by_role("button", name="Sort and filter").click()
    expect(page.get_by_text("2 works")).to_be_visible()
    expect(page.get_by_role("heading", name="The Ferry")).to_be_visible()
    expect(page.get_by_role("heading", name="Fields")).to_have_count(0)
    expect(include_harbour).to_be_checked()  # the filter stays on

    page.get_by_label("Search:", exact=True).fill('"lighthouse keeper"')
    page.get_by_role("button", name="Sort and filter").click()
    expect(page.get_by_role("heading", name="The Keeper")).to_be_visible()
    expect(page.get_by_role("heading", name="The Ferry")).to_have_count(0)
    expect(page.locator(".snippet mark").first).to_have_text("lighthouse keeper")


def test_a_reader_comments_and_the_author_replies_in_a_thread(
    page: Page, browser: Browser, live_server: LiveServer
) -> None:
    from fanfold.archive.people.models import User
    from tests.archive.factories import make_work

    author = User.objects.create_user("lanternwriter", password=PASSWORD)
    work = make_work(owner=author, title="Lantern Light", body="The lantern swung in the wind.")
    sign_up(page, live_server.url, "nightreader")
    page.goto(f"{live_server.url}/works/{work.pk}/")
    page.get_by_label("Comment:", exact=True).fill("The lantern made me cry.")
    page.get_by_role("button", name="Post comment").click()
    expect(page.get_by_text("Your comment was posted.")).to_be_visible()
    comment = page.locator("li.comment").filter(has_text="The lantern made me cry.")
    expect(comment.get_by_role("link", name="nightreader")).to_be_visible()

    author_page = browser.new_context().new_page()
    author_page.goto(f"{live_server.url}/login/")
    author_page.get_by_label("Username").fill("lanternwriter")
    author_page.get_by_label("Password").fill(PASSWORD)
    author_page.get_by_role("button", name="Log in").click()
    author_page.goto(f"{live_server.url}/works/{work.pk}/")
    author_page.locator("li.comment").get_by_role("link", name="Reply").click()
    expect(
        author_page.get_by_role("heading", name=re.compile("Reply to nightreader"))
    ).to_be_visible()
    author_page.get_by_label("Comment:", exact=True).fill("Thank you for reading!")
    author_page.get_by_role("button", name="Post reply").click()
    expect(author_page.get_by_text("Your comment was posted.")).to_be_visible()

    page.reload()
    reply = page.locator("li.comment ol.comment-replies li.comment")
    expect(reply).to_contain_text("Thank you for reading!")
    expect(reply.get_by_role("link", name="lanternwriter")).to_be_visible()
    expect(page.locator("#comments-heading")).to_contain_text("(2)")
