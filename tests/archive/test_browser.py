"""The archive in a real browser: sign up, post, read as a stranger, hide notes, kudos,
settings, email change, subscribe, bookmark, comment and reply."""

from __future__ import annotations

import re
import struct
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.archive.conftest import run_worker_until_idle

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


@pytest.fixture
def second_page(browser: Browser) -> Iterator[Page]:
    """A page in a browser context of its own (a second person), closed when the test ends.

    A context left open keeps its connections to the live server alive past
    the test, and the server's request threads then close the test database's
    connection from the wrong thread.
    """
    context = browser.new_context()
    yield context.new_page()
    context.close()


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


def test_kudos_are_left_in_place_with_javascript_and_by_a_page_without(
    browser: Browser, live_server: LiveServer
) -> None:
    from fanfold.archive.people.models import User
    from tests.archive.factories import make_work

    author = User.objects.create_user("kudoswriter", password=PASSWORD)
    work_url = live_server.url + make_work(owner=author, title="Small Lights").get_absolute_url()

    with_script = browser.new_context()
    page = with_script.new_page()
    refused: list[str] = []  # anything the strict CSP blocked (an injected style, an eval)
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    page.goto(work_url)
    page.evaluate("window.stillThisPage = true")
    page.get_by_role("button", name="Kudos").click()
    expect(
        page.get_by_role("status").filter(has_text="Thank you for leaving kudos!")
    ).to_be_visible()
    expect(page.get_by_text("1 guest left kudos on this work!")).to_be_visible()
    assert page.evaluate("window.stillThisPage === true"), "the page was reloaded, not swapped"
    assert refused == []
    with_script.close()

    # The same address again is the same guest; a reader with an account, without JavaScript:
    User.objects.create_user("kudosreader", password=PASSWORD)
    without_script = browser.new_context(java_script_enabled=False)
    page = without_script.new_page()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("kudosreader")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(work_url)
    page.get_by_role("button", name="Kudos").click()
    expect(page.get_by_text("Thank you for leaving kudos!")).to_be_visible()
    expect(page.get_by_text("kudosreader as well as 1 guest left kudos")).to_be_visible()
    without_script.close()


def test_a_reader_chooses_dark_and_notes_hidden_in_settings_and_sees_both(
    page: Page, live_server: LiveServer
) -> None:
    from fanfold.archive.people.models import User
    from tests.archive.factories import make_work

    author = User.objects.create_user("notewriter", password=PASSWORD)
    work = make_work(owner=author, title="Noted", notes="A long note before the story.")
    sign_up(page, live_server.url, "nightreader")
    light_paper = page.evaluate("getComputedStyle(document.body).backgroundColor")

    page.get_by_role("link", name="Settings").click()
    page.get_by_label("Theme:", exact=True).select_option(label="Dark")
    page.get_by_label("Hide authors' notes by default").check()
    page.get_by_label("Time zone:").select_option("Europe/Lisbon")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Your settings are saved.")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    dark_paper = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert dark_paper != light_paper
    assert dark_paper == "rgb(27, 26, 24)"

    page.goto(live_server.url + work.get_absolute_url())
    expect(page.get_by_role("heading", name="Noted")).to_be_visible()
    expect(page.get_by_text("A long note before the story.")).to_have_count(0)
    page.get_by_role("button", name="Show author's notes").click()
    expect(page.get_by_text("A long note before the story.")).to_be_visible()


def test_a_reader_changes_their_email_through_the_link_sent_to_it(
    page: Page, live_server: LiveServer
) -> None:
    from django.core import mail

    sign_up(page, live_server.url, "mover")
    page.get_by_role("link", name="Settings").click()
    page.get_by_role("link", name="Change your email address").click()
    page.get_by_label("New email address").fill("moved@example.org")
    page.get_by_label("Your current password").fill(PASSWORD)
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_text("We sent a link to moved@example.org.")).to_be_visible()
    assert [m.to for m in mail.outbox] == [["moved@example.org"]]
    link = re.search(r"http://\S+/settings/email/confirm/\S+/", mail.outbox[0].body)
    assert link is not None
    page.goto(link[0])
    page.get_by_role("button", name="Confirm the new address").click()
    expect(page.get_by_text("Your email address is now moved@example.org.")).to_be_visible()
    assert mail.outbox[-1].to == ["mover@example.org"]
    page.goto(link[0])
    expect(page.get_by_text("This link does not work")).to_be_visible()


def test_a_reader_subscribes_and_hears_of_the_next_chapter(
    page: Page, live_server: LiveServer
) -> None:
    from django.core import mail

    from fanfold.archive.inbox.models import InboxEntry, Kind
    from fanfold.archive.people.models import User
    from fanfold.archive.works import services
    from tests.archive.conftest import run_worker_until_idle
    from tests.archive.factories import make_work

    author = User.objects.create_user("tidewriter", password=PASSWORD)
    work = make_work(owner=author, title="The Tide Tables")

    sign_up(page, live_server.url, "harbourreader")
    page.get_by_role("link", name="Settings").click()  # new posts email only when asked for
    page.get_by_label("Email about works and authors I follow").select_option("each")
    page.get_by_role("button", name="Save settings").click()
    page.goto(f"{live_server.url}/works/{work.pk}/")
    page.get_by_role("button", name="Subscribe to this work").click()
    expect(page.get_by_text("You are subscribed to “The Tide Tables”")).to_be_visible()
    expect(page.get_by_role("button", name="Unsubscribe from this work")).to_be_visible()

    chapter = services.add_chapter(
        work=work,
        by=author,
        fields=services.ChapterFields(body="The spring tide came in higher than ever."),
        post=True,
    )
    run_worker_until_idle()  # what `fanfold worker` does beside the server
    reader = User.objects.get(username="harbourreader")
    entry = InboxEntry.objects.get(recipient=reader)
    assert (entry.kind, entry.chapter_id, entry.actor_id) == (Kind.CHAPTER, chapter.pk, author.pk)
    assert [m.to for m in mail.outbox] == [["harbourreader@example.org"]]
    assert mail.outbox[0].subject == "New chapter of The Tide Tables: Chapter 2"

    page.reload()  # the header counts what is new, and the inbox links the chapter
    page.get_by_role("link", name="Inbox (1 unread)").click()
    expect(page.get_by_text("A new chapter of")).to_be_visible()
    page.get_by_role("link", name="The Tide Tables, Chapter 2").click()
    expect(page.get_by_text("The spring tide came in higher than ever.")).to_be_visible()


def test_a_reader_bookmarks_a_work_with_notes_and_finds_it_on_their_bookmarks_page(
    page: Page, live_server: LiveServer
) -> None:
    from fanfold.archive.people.models import User
    from tests.archive.factories import make_work

    author = User.objects.create_user("tidewriter", password=PASSWORD)
    make_work(owner=author, title="Low Tide", body="The water went out and stayed out.")
    make_work(owner=author, title="High Tide", body="The water came in over the wall.")
    sign_up(page, live_server.url, "shellkeeper")

    page.goto(f"{live_server.url}/works/")
    page.get_by_role("link", name="Low Tide").click()
    page.locator("summary", has_text="Bookmark").click()  # opens the form, no script needed
    page.get_by_label("Notes").fill("Read it on the train, twice.")
    page.get_by_label("Your tags").fill("comfort read, seaside")
    page.get_by_label("Rec (recommend it to others)").check()
    page.get_by_role("button", name="Create bookmark").click()
    expect(page.get_by_text("Bookmarked!")).to_be_visible()
    expect(page.locator("summary", has_text="bookmark")).to_have_text("Edit bookmark")

    page.get_by_role("navigation", name="Site").get_by_role("link", name="Bookmarks").click()
    expect(page.get_by_role("heading", name="Your bookmarks")).to_be_visible()
    expect(page.get_by_text("1 bookmarked work")).to_be_visible()
    expect(page.get_by_role("heading", name="Low Tide")).to_be_visible()
    expect(page.get_by_role("heading", name="High Tide")).to_have_count(0)
    expect(page.get_by_text("Read it on the train, twice.")).to_be_visible()
    expect(page.get_by_role("link", name="seaside")).to_be_visible()


def test_a_reader_comments_and_the_author_replies_in_a_thread(
    page: Page, second_page: Page, live_server: LiveServer
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

    author_page = second_page
    author_page.goto(f"{live_server.url}/login/")
    author_page.get_by_label("Username").fill("lanternwriter")
    author_page.get_by_label("Password").fill(PASSWORD)
    author_page.get_by_role("button", name="Log in").click()
    author_page.goto(f"{live_server.url}/works/{work.pk}/")
    author_page.evaluate("window.stillThisPage = true")
    thread = author_page.locator("li.comment").first
    thread.get_by_role("link", name="Reply").click()  # the form opens under the comment
    thread.locator(".reply-slot").get_by_label("Comment:").fill("Thank you for reading!")
    thread.get_by_role("button", name="Post reply").click()
    expect(thread.get_by_role("status")).to_have_text("Your comment was posted.")
    expect(thread.locator("ol.comment-replies")).to_contain_text("Thank you for reading!")
    assert author_page.evaluate("window.stillThisPage === true"), "reloaded, not swapped"

    page.reload()
    reply = page.locator("li.comment ol.comment-replies li.comment")
    expect(reply).to_contain_text("Thank you for reading!")
    expect(reply.get_by_role("link", name="lanternwriter")).to_be_visible()
    expect(page.locator("#comments-heading")).to_contain_text("(2)")


def test_an_author_answers_from_the_inbox_then_blocks_the_commenter(
    page: Page, second_page: Page, live_server: LiveServer
) -> None:
    from fanfold.archive.people.models import User
    from tests.archive.factories import make_work

    author = User.objects.create_user("quaywriter", password=PASSWORD)
    work = make_work(owner=author, title="The Quay", body="Boats knocked against the quay.")
    sign_up(page, live_server.url, "rudereader")
    page.goto(f"{live_server.url}/works/{work.pk}/")
    page.get_by_label("Comment:", exact=True).fill("First comment, nothing to say.")
    page.get_by_role("button", name="Post comment").click()
    expect(page.get_by_text("Your comment was posted.")).to_be_visible()

    writer = second_page
    writer.goto(f"{live_server.url}/login/")
    writer.get_by_label("Username").fill("quaywriter")
    writer.get_by_label("Password").fill(PASSWORD)
    writer.get_by_role("button", name="Log in").click()
    writer.get_by_role("link", name="Inbox (1 unread)").click()
    expect(writer.get_by_text("First comment, nothing to say.")).to_be_visible()
    writer.locator("summary", has_text="Reply").click()
    writer.get_by_label("Your reply to rudereader").fill("Then why comment?")
    writer.get_by_role("button", name="Post reply").click()
    expect(writer.get_by_text("Your comment was posted.")).to_be_visible()
    expect(writer.locator("ol.comment-replies")).to_contain_text("Then why comment?")

    writer.goto(f"{live_server.url}/users/rudereader/")
    writer.get_by_role("button", name="Block rudereader").click()
    expect(writer.get_by_text("rudereader is blocked")).to_be_visible()

    page.goto(f"{live_server.url}/works/{work.pk}/")
    expect(
        page.get_by_text("The author of this work has blocked you from commenting on it.")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Post comment")).to_have_count(0)


def test_a_forgotten_password_is_reset_through_the_emailed_link(
    page: Page, live_server: LiveServer
) -> None:
    from django.core import mail

    from fanfold.archive.people.models import User

    User.objects.create_user("forgetter", email="forgetter@example.org", password=PASSWORD)
    page.goto(f"{live_server.url}/login/")
    page.get_by_role("link", name="Reset it by email").click()
    page.get_by_label("Email").fill("forgetter@example.org")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    run_worker_until_idle()  # the email goes from the task queue
    link = re.search(r"http://\S+/password/reset/\S+/", mail.outbox[0].body)
    assert link is not None

    new_password = "a-new-lantern-for-the-quay-7"
    page.goto(link[0])
    page.get_by_label("New password:", exact=True).fill(new_password)
    page.get_by_label("New password confirmation").fill(new_password)
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_role("heading", name="Password set")).to_be_visible()

    page.get_by_role("link", name="Log in").last.click()
    page.get_by_label("Username").fill("forgetter")
    page.get_by_label("Password").fill(new_password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="forgetter")).to_be_visible()
    page.goto(link[0])  # used once: it no longer works
    expect(page.get_by_role("heading", name="This link no longer works")).to_be_visible()


def test_subscribe_mark_for_later_and_bookmark_happen_in_place_with_javascript(
    page: Page, live_server: LiveServer
) -> None:
    from fanfold.archive.people.models import User
    from fanfold.archive.reading.models import Bookmark, Subscription
    from tests.archive.factories import make_work

    author = User.objects.create_user("placewriter", password=PASSWORD)
    work = make_work(owner=author, title="Still Water")
    sign_up(page, live_server.url, "placereader")
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    page.goto(f"{live_server.url}/works/{work.pk}/")
    page.evaluate("window.stillThisPage = true")

    page.get_by_role("button", name="Subscribe to this work").click()
    expect(page.get_by_role("status").filter(has_text="You are subscribed")).to_be_visible()
    expect(page.get_by_role("button", name="Unsubscribe from this work")).to_be_visible()
    page.get_by_role("button", name="Mark for later").click()
    expect(page.get_by_role("button", name="Unmark for later")).to_be_visible()

    page.locator("summary", has_text="Bookmark").click()
    page.get_by_label("Notes").fill("Calm and short.")
    page.get_by_label("Your tags").fill(", ".join(f"t{n}" for n in range(80)))
    page.get_by_role("button", name="Create bookmark").click()
    expect(page.get_by_text("A bookmark can have at most 75 tags.", exact=True)).to_be_visible()
    expect(page.get_by_label("Notes")).to_have_value("Calm and short.")  # kept as typed
    page.get_by_label("Your tags").fill("calm")
    page.get_by_role("button", name="Create bookmark").click()
    expect(page.get_by_role("status").filter(has_text="Bookmarked!")).to_be_visible()
    expect(page.locator("summary", has_text="Edit bookmark")).to_be_visible()

    assert page.evaluate("window.stillThisPage === true"), "the page was reloaded, not swapped"
    assert refused == []
    assert Subscription.objects.filter(work=work).count() == 1
    assert Bookmark.objects.get().notes == "<p>Calm and short.</p>"


def test_an_author_moves_notes_pasted_into_the_chapter_text_into_the_notes(
    page: Page, live_server: LiveServer
) -> None:
    sign_up(page, live_server.url, "pastewriter")
    page.get_by_role("link", name="Post a work").click()
    page.get_by_label("Rating").select_option(label="General Audiences")
    page.get_by_label("No Archive Warnings Apply").check()
    page.get_by_label("Fandoms").fill("Original Work")
    page.get_by_label("Title:", exact=True).fill("The Lamplighter's Round")
    page.get_by_label("Chapter text").fill(
        "A/N: Thanks for waiting so long for this one!\n\n"
        "Disclaimer: I don't own the town; it belongs to its cartographer.\n\n"
        "Teodor lit the first lamp at the corner of Rope Street.\n\n"
        '"You are late tonight," called the baker from her doorway.\n\n'
        "He lit the second lamp without answering her.\n\n"
        "A/N: More lamps next week, let me know what you think!"
    )
    page.get_by_role("button", name="Post", exact=True).click()

    offer = page.get_by_role("region", name="Fanfold found author's notes in your chapter text")
    expect(offer).to_be_visible()
    expect(offer).to_be_focused()  # a keyboard or screen reader user starts at the offer
    expect(offer.get_by_text("A/N: Thanks for waiting so long for this one!")).to_be_visible()
    expect(offer.get_by_role("heading", name="To the end notes")).to_be_visible()
    expect(page.get_by_label("Title:", exact=True)).to_have_value("The Lamplighter's Round")
    offer.get_by_role("button", name="Move them into the notes fields").click()

    expect(page.get_by_role("heading", level=1, name="The Lamplighter's Round")).to_be_visible()
    notes = page.locator("section.notes").first
    expect(notes).to_contain_text("A/N: Thanks for waiting so long for this one!")
    expect(notes).to_contain_text("it belongs to its cartographer")
    expect(page.locator("section.end-notes")).to_contain_text("More lamps next week")
    story = page.locator(".chapter-text")
    expect(story).to_contain_text("Teodor lit the first lamp")
    expect(story).not_to_contain_text("A/N")
    expect(story).not_to_contain_text("Disclaimer")


def test_a_reader_colours_dialogue_by_speaker_and_opens_the_characters_page(
    page: Page, live_server: LiveServer
) -> None:
    from fanfold.archive.people.models import User
    from tests.archive.insights.conftest import read_work

    author = User.objects.create_user("lightkeeper", password=PASSWORD)
    work = read_work(author)  # posted, and read by the engine
    sign_up(page, live_server.url, "colourreader")
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    page.goto(live_server.url + work.get_absolute_url())
    ink = page.evaluate("getComputedStyle(document.body).color")

    page.get_by_role("button", name="Colour dialogue by speaker").click()
    legend = page.locator(".dialogue-legend")
    expect(legend.get_by_text("Mara Quill")).to_be_visible()
    expect(legend.get_by_text("Tobin Reyes")).to_be_visible()
    mara = page.locator(".chapter-text .said-0").first
    expect(mara).to_have_attribute("title", "Mara Quill")
    assert mara.evaluate("e => getComputedStyle(e).color") not in {ink, ""}
    expect(page.locator(".chapter-text .speaker-mark").first).to_have_text("MQ")

    page.reload()
    expect(page.get_by_role("button", name="Stop colouring dialogue")).to_be_visible()
    expect(page.locator(".chapter-text .said-1").first).to_have_attribute("title", "Tobin Reyes")

    page.get_by_role("link", name="Characters & dialogue").click()
    expect(page.get_by_role("heading", name="Characters & dialogue")).to_be_visible()
    expect(page.locator("svg.chart")).to_have_count(4)
    expect(page.get_by_role("img", name="Who talks to whom")).to_be_visible()
    expect(page.get_by_role("img", name="Words spoken by each character")).to_be_visible()
    page.locator("summary", has_text="Exchanges, as a table").click()
    exchanges = page.get_by_role("table").filter(has_text="Exchanges")
    expect(exchanges.get_by_role("row").filter(has_text="Tobin Reyes").first).to_be_visible()
    assert refused == []


def test_an_author_adds_suggested_tags_from_the_edit_page_in_place(
    page: Page, live_server: LiveServer, browser: Browser
) -> None:
    from fanfold.archive.people.models import User
    from tests.archive.insights.test_suggestions import ferry_work
    from tests.archive.tags.test_selectors import greys_canon
    from tests.archive.test_accessibility import _audit

    greys_canon()
    author = User.objects.create_user("ferrywriter", password=PASSWORD)
    work = ferry_work(author)  # posted, and read by the engine
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("ferrywriter")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    page.goto(f"{live_server.url}/works/{work.pk}/edit/")
    page.evaluate("window.stillThisPage = true")

    panel = page.locator("#tag-suggestions")
    expect(panel.get_by_role("heading", name="Suggested tags")).to_be_visible()
    expect(panel.get_by_text("named 9 times (as Lexie)")).to_be_visible()
    expect(panel.get_by_text("they meet in 7 paragraphs")).to_be_visible()
    expect(
        panel.get_by_text("Mark Sloan waited by the ferry rail until Lexie came up the ramp.")
    ).to_be_visible()
    panel.get_by_role("button", name="Add the character Lexie Grey").click()
    expect(page.get_by_role("status").filter(has_text="Added “Lexie Grey”")).to_be_visible()
    expect(page.get_by_label("Characters")).to_have_value("Lexie Grey")
    panel.get_by_role("button", name="Add the relationship Lexie Grey/Mark Sloan").click()
    expect(
        page.get_by_role("status").filter(has_text="Added “Lexie Grey/Mark Sloan”")
    ).to_be_visible()
    expect(page.get_by_label("Relationships")).to_have_value("Lexie Grey/Mark Sloan")
    assert page.evaluate("window.stillThisPage === true"), "the page was reloaded, not swapped"

    page.get_by_role("button", name="Save").click()  # the form keeps what was added
    expect(page.get_by_role("link", name="Lexie Grey", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Lexie Grey/Mark Sloan", exact=True)).to_be_visible()
    assert refused == []
    edit_page = f"{live_server.url}/works/{work.pk}/edit/"
    assert _audit(browser, edit_page, page.context.storage_state(), dark=False) == []


# Finding on a phone and a wide screen (issue 14, find) ------------------------------


def _five_works() -> None:
    from fanfold.archive.people.models import User
    from fanfold.archive.tags.models import TagType
    from tests.archive.factories import make_work

    author = User.objects.create_user("shelfwriter", password=PASSWORD)
    for n in range(5):
        make_work(
            owner=author,
            title=f"Harbour Story {n}",
            tags={TagType.FANDOM: ["Harbour Town"], TagType.FREEFORM: ["Rain"]},
            summary="A summary long enough to fill a few lines of a blurb on any screen. " * 3,
        )


def test_on_a_phone_sort_and_filter_opens_above_the_results(
    browser: Browser, live_server: LiveServer
) -> None:
    _five_works()
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/works/")
    disclosure = page.locator("summary", has_text="Sort and filter")
    first_result = page.locator("article.blurb").first
    toggle, result = disclosure.bounding_box(), first_result.bounding_box()
    assert toggle is not None
    assert result is not None
    assert toggle["y"] + toggle["height"] <= result["y"]  # above the first result
    assert toggle["y"] < 844  # on the first screen, not 3,000 px down
    sort_by = page.get_by_label("Sort by")
    expect(sort_by).to_be_hidden()  # closed: the results come first
    disclosure.click()
    expect(sort_by).to_be_visible()
    box = sort_by.bounding_box()
    result = first_result.bounding_box()
    assert box is not None
    assert result is not None
    assert box["y"] < result["y"]  # opened above the results
    page.get_by_role("checkbox", name=re.compile(r"^Rain \(5\)")).check()
    page.get_by_role("button", name="Sort and filter", exact=True).click()
    expect(page.get_by_text("5 works")).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    context.close()


def test_on_a_wide_screen_the_filters_sit_beside_blurbs_of_a_comfortable_width(
    browser: Browser, live_server: LiveServer
) -> None:
    _five_works()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/works/")
    sort_by = page.get_by_label("Sort by")
    expect(sort_by).to_be_visible()  # open without a click
    blurb = page.locator("article.blurb").first.bounding_box()
    box = sort_by.bounding_box()
    assert blurb is not None
    assert box is not None
    assert box["x"] >= blurb["x"] + blurb["width"]  # beside the results, to the right
    assert blurb["width"] >= 700  # not a narrow column at 1280 px
    for path in ["/", "/users/shelfwriter/"]:  # a grid: two blurbs side by side
        page.goto(f"{live_server.url}{path}")
        first = page.locator("article.blurb").nth(0).bounding_box()
        second = page.locator("article.blurb").nth(1).bounding_box()
        assert first is not None
        assert second is not None
        assert second["y"] == first["y"], path
        assert second["x"] >= first["x"] + first["width"], path
    page.goto(f"{live_server.url}/works/?q=harbour")
    expect(page.get_by_label("Search works")).to_have_value("harbour")
    context.close()


def test_a_writer_sees_the_summary_counted_and_a_long_paste_refused_not_cut(
    page: Page, live_server: LiveServer
) -> None:
    sign_up(page, live_server.url, "counter")
    page.get_by_role("link", name="Post a work").click()
    summary = page.get_by_label("Summary:", exact=True)
    counter = page.locator("#id_summary-counter")
    expect(counter).to_have_text("0 of 1,250 characters")
    summary.fill("Twelve chars")
    expect(counter).to_have_text("12 of 1,250 characters")
    long = "A summary that goes on. " * 55  # 1,320 characters, none cut by the browser
    summary.fill(long)
    expect(summary).to_have_value(long)
    expect(counter).to_have_text("70 characters too many (1,320 of 1,250)")
    page.get_by_label("Title:", exact=True).fill("Too Long a Summary")
    page.get_by_role("button", name="Post", exact=True).click()
    expect(
        page.get_by_text("The summary has 1,319 characters; at most 1,250 are allowed.").first
    ).to_be_visible()
    expect(page.get_by_label("Summary:", exact=True)).to_have_value(long)  # kept as typed


def test_focus_moves_to_the_error_summary_and_its_links_lead_to_the_fields(
    page: Page, live_server: LiveServer
) -> None:
    sign_up(page, live_server.url, "hasty")
    page.get_by_role("link", name="Post a work").click()
    page.get_by_label("Chapter text").fill("Enough words to be a chapter.")
    page.get_by_role("button", name="Post", exact=True).click()
    summary = page.locator("[data-error-summary]")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="Title: This field is required.").click()
    expect(page.get_by_label("Title:", exact=True)).to_be_focused()
    expect(page.get_by_label("Chapter text")).to_have_value("Enough words to be a chapter.")


def test_the_characters_box_offers_a_canonical_tag_as_the_writer_types(
    page: Page, live_server: LiveServer
) -> None:
    from fanfold.archive.tags.models import Tag, TagType

    Tag.objects.create(type=TagType.CHARACTER, name="Lexie Grey", is_canonical=True)
    Tag.objects.create(type=TagType.CHARACTER, name="Lex Grey")  # not wrangled
    sign_up(page, live_server.url, "tagger")
    page.get_by_role("link", name="Post a work").click()
    page.get_by_label("Characters").press_sequentially("Mark Sloan, lex", delay=30)
    options = page.locator("#id_characters-suggestions option")
    expect(options).to_have_count(1)
    expect(options.first).to_have_attribute("value", "Mark Sloan, Lexie Grey")


def test_checkboxes_on_the_listing_are_big_enough_to_tap_on_a_phone(
    browser: Browser, live_server: LiveServer
) -> None:
    """WCAG 2.2's target size (2.5.8): every checkbox and radio at least 24 by 24 CSS px."""
    from fanfold.archive.people.models import User
    from fanfold.archive.tags.models import TagType
    from tests.archive.factories import make_work

    author = User.objects.create_user("tapwriter", password=PASSWORD)
    tags = {TagType.WARNING: ["No Archive Warnings Apply"], TagType.FANDOM: ["Harbour Town"]}
    make_work(owner=author, title="Small Boxes", tags=tags)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/works/")
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    boxes = page.locator("input[type=checkbox], input[type=radio]")
    assert boxes.count() >= 5  # ratings, warnings, fandoms: include and exclude
    sizes = {}
    for index in range(boxes.count()):
        box = boxes.nth(index).bounding_box()
        assert box is not None, f"checkbox {index} is not shown"
        sizes[boxes.nth(index).evaluate("e => e.name + '=' + e.value")] = (
            box["width"],
            box["height"],
        )
    context.close()
    small = {name: size for name, size in sizes.items() if min(size) < 24}
    assert small == {}, f"smaller than 24x24 px: {small}"


def _focused(page: Page) -> dict[str, str]:
    """The focused element: its id, tag, text, and whether a focus ring is drawn around it."""
    focused: dict[str, str] = page.evaluate(
        """() => {
          const e = document.activeElement, s = getComputedStyle(e);
          const ring = (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0)
                       || s.boxShadow !== "none";
          return {id: e.id, tag: e.tagName.toLowerCase(), text: (e.innerText || "").trim(),
                  ring: String(ring)};
        }"""
    )
    return focused


def test_an_author_posts_a_work_with_the_keyboard_alone(
    page: Page, live_server: LiveServer
) -> None:
    """From the skip link, Tab walks the new-work form in order, each stop with a visible
    focus ring; fields are filled by typing, a box ticked with Space, the form sent by Enter."""
    sign_up(page, live_server.url, "keyboardwriter")
    page.goto(f"{live_server.url}/works/new/")
    page.keyboard.press("Tab")
    skip_link = _focused(page)
    assert (skip_link["text"], skip_link["ring"]) == ("Skip to content", "true")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    no_warnings = page.get_by_label("No Archive Warnings Apply").get_attribute("id")
    typed = {
        "id_fandoms": "Original Work",
        "id_title": "Typed Without a Mouse",
        "id_chapter-body": "Every key was pressed on purpose.",
    }
    visited: list[str] = []
    for _ in range(80):
        page.keyboard.press("Tab")
        now = _focused(page)
        assert now["ring"] == "true", f"no visible focus on {now}"
        visited.append(now["id"] or now["text"])
        if now["id"] == "id_rating":
            page.keyboard.type("General")  # a select's type-ahead
        elif now["id"] == no_warnings:
            page.keyboard.press("Space")
        elif now["id"] in typed:
            page.keyboard.type(typed[now["id"]])
        elif now["tag"] == "button" and now["text"] == "Post":
            break
    else:
        pytest.fail(f"Tab never reached the Post button: {visited}")
    stops = ["id_rating", no_warnings, "id_fandoms", "id_title", "id_chapter-body", "Post"]
    assert [stop for stop in visited if stop in stops] == stops  # each once, in this order
    expect(page.get_by_label("Rating")).to_have_value("general")

    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Typed Without a Mouse")).to_be_visible()
    expect(page.get_by_text("Every key was pressed on purpose.")).to_be_visible()


def test_a_guest_sets_larger_text_narrower_lines_and_high_contrast_and_they_stay(
    page: Page, live_server: LiveServer
) -> None:
    from fanfold.archive.people.models import User
    from tests.archive.factories import make_work

    author = User.objects.create_user("typesetter", password=PASSWORD)
    work = make_work(owner=author, title="Set Large", chapters=2)
    page.goto(live_server.url + work.get_absolute_url())
    text = page.locator(".chapter-text").first
    size_before = text.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    width_before = page.locator("main").evaluate("e => e.getBoundingClientRect().width")

    page.locator("summary", has_text="Reading settings").click()
    page.get_by_label("Text size").select_option(label="Extra large")
    page.get_by_label("Line width").select_option(label="Narrow")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_text("Your reading settings are saved.")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("data-reading-size", "x-large")
    assert text.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") > size_before * 1.3
    narrow = page.locator("main").evaluate("e => e.getBoundingClientRect().width")
    assert narrow < width_before

    page.get_by_label("Theme").select_option(label="High contrast")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("data-theme", "contrast")
    colours = page.evaluate(
        "[getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]"
    )
    assert colours == ["rgb(255, 255, 255)", "rgb(0, 0, 0)"]
    page.get_by_role("link", name="Next chapter →").first.click()  # a guest's cookies keep both
    expect(page.locator("html")).to_have_attribute("data-reading-width", "narrow")
    expect(page.locator("html")).to_have_attribute("data-theme", "contrast")


def test_make_screenshots_saves_full_pages_at_both_widths(tmp_path: Path) -> None:
    """`make screenshots` runs tools/screenshots.py; two pages here keep it from rotting."""
    script = Path(__file__).parents[2] / "tools" / "screenshots.py"
    command = [sys.executable, str(script), "--out", str(tmp_path), "--pages", "home,settings"]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert finished.returncode == 0, finished.stderr[-2000:]
    shots = sorted(path.name for path in tmp_path.iterdir())
    assert shots == [
        "home-1280-light.png",
        "home-390-light.png",
        "settings-1280-light.png",
        "settings-390-light.png",
    ]
    sizes = {}
    for name in shots:
        png = (tmp_path / name).read_bytes()
        assert png.startswith(b"\x89PNG"), name
        sizes[name] = struct.unpack(">II", png[16:24])  # the PNG header's IHDR chunk
    assert [width for width, _ in sizes.values()] == [1280, 390, 1280, 390]
    assert sizes["settings-390-light.png"][1] > 1500  # the full page, not only the window


def test_a_reader_reports_a_work_staff_hide_it_and_the_author_is_told(
    page: Page, second_page: Page, live_server: LiveServer
) -> None:
    from fanfold.archive.people.models import User
    from tests.archive.factories import make_work

    author = User.objects.create_user("copycat", email="copycat@example.org", password=PASSWORD)
    User.objects.create_user("warden", password=PASSWORD, is_staff=True)
    work_url = live_server.url + make_work(owner=author, title="Borrowed Words").get_absolute_url()

    # A reader reports the work.
    sign_up(page, live_server.url, "sharpeyes")
    page.goto(work_url)
    page.get_by_role("link", name="Report this work").click()
    page.get_by_label("Plagiarism").check()
    page.get_by_label("Details").fill("Copied word for word from another archive.")
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_text("Thank you: the moderators will look at your report.")).to_be_visible()

    # Staff hide it from the queue, with a reason.
    log_in(second_page, live_server.url, "warden")
    second_page.get_by_role("link", name="Moderation").click()
    expect(second_page.get_by_text("Copied word for word from another archive.")).to_be_visible()
    second_page.get_by_label("Hide it").check()
    second_page.get_by_label("Reason").fill("Plagiarised from another archive.")
    second_page.get_by_role("button", name="Do it").click()
    expect(second_page.get_by_text("“Borrowed Words” is now hidden")).to_be_visible()
    page.goto(work_url)
    expect(page.get_by_role("heading", name="Borrowed Words")).to_have_count(0)

    # The author finds the notice in their inbox.
    page.get_by_role("button", name="Log out").click()
    log_in(page, live_server.url, "copycat")
    page.goto(f"{live_server.url}/inbox/")
    expect(page.get_by_text("A moderator's notice", exact=True)).to_be_visible()
    expect(page.get_by_text("Plagiarised from another archive.")).to_be_visible()


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_a_person_turns_on_two_factor_and_then_logs_in_with_password_and_code(
    page: Page, live_server: LiveServer
) -> None:
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    base = live_server.url
    sign_up(page, base, "twostep")
    page.goto(f"{base}/settings/")
    page.get_by_role("link", name="Two-factor sign-in").click()
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("img", name="A QR code holding the secret below")).to_be_visible()
    device = TOTPDevice.objects.get(user__username="twostep")
    page.get_by_label("Code").fill(str(totp(device.bin_key)).zfill(6))  # what the app shows
    page.get_by_role("button", name="Turn on with this code").click()
    expect(page.get_by_text("Two-factor sign-in is on.", exact=True)).to_be_visible()
    expect(page.locator(".recovery-code-list li")).to_have_count(10)

    page.get_by_role("button", name="Log out").click()
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill("twostep")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Your two-factor code")).to_be_visible()
    expect(page.get_by_role("link", name="twostep")).to_have_count(0)  # not logged in yet
    next_code = str(totp(device.bin_key, drift=1)).zfill(6)  # each code works once
    page.get_by_label("Code").fill(next_code)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="twostep")).to_be_visible()
