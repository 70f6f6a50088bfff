"""Strangers' pages cached whole per version: served, revalidated, never shared wrongly."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fanfold.archive.comments import services as comments
from fanfold.archive.people import services as people
from fanfold.archive.people.models import User
from fanfold.archive.reading import hits
from fanfold.archive.reading import services as reading
from fanfold.archive.reading.services import BookmarkFields
from fanfold.archive.works import pagecache, services, versions
from fanfold.archive.works.models import Rating, Work
from tests.archive.factories import make_work

TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')


def _queries(client: Client, url: str, **headers: Any) -> tuple[Any, int]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, **headers)
    return response, len(context.captured_queries)


def _chapter_url(work: Work) -> str:
    first = work.chapters.first()
    assert first is not None
    return reverse("works:chapter", args=[work.pk, first.pk])


@pytest.fixture
def work(author: User) -> Work:
    return make_work(owner=author, chapters=2)


WORK_PAGES = ["works:work", "works:full", "works:navigate", "chapter"]


def _url(name: str, work: Work) -> str:
    return _chapter_url(work) if name == "chapter" else reverse(name, args=[work.pk])


@pytest.mark.parametrize("name", WORK_PAGES)
def test_a_strangers_second_view_is_one_query_and_the_same_page(work: Work, name: str) -> None:
    url = _url(name, work)
    first, cold = _queries(Client(), url)
    second, warm = _queries(Client(), url)
    assert (first.status_code, second.status_code) == (200, 200)
    assert warm == 1 < cold  # the work's version, nothing else
    assert TOKEN.sub(b"", first.content) == TOKEN.sub(b"", second.content)
    assert second["ETag"] == first["ETag"]
    assert second["Last-Modified"]
    assert "private" in second["Cache-Control"]
    assert "no-cache" in second["Cache-Control"]


def test_a_browser_that_has_the_page_gets_304(work: Work, as_stranger: Client) -> None:
    url = _chapter_url(work)
    page = as_stranger.get(url)
    again = as_stranger.get(url, headers={"if-none-match": page["ETag"]})
    assert again.status_code == 304
    assert not again.content
    since = as_stranger.get(url, headers={"if-modified-since": page["Last-Modified"]})
    assert since.status_code == 304


def test_a_change_shows_at_once_with_a_new_etag(work: Work, reader: User) -> None:
    url = _chapter_url(work)
    before = Client().get(url)
    reading.leave_kudos(work=work, user=reader)
    after = Client().get(url, headers={"if-none-match": before["ETag"]})
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert b'href="/users/reader/"' in after.content


def test_each_stranger_gets_a_token_of_their_own_that_works(work: Work) -> None:
    url = _chapter_url(work)
    Client().get(url)  # cached now
    one, two = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    tokens = []
    for client in (one, two):
        page = client.get(url)
        assert pagecache.CSRF_PLACEHOLDER.encode() not in page.content
        tokens.append(set(TOKEN.findall(page.content)))
        assert "csrftoken" in page.cookies  # as the page rendered afresh would set it
    assert tokens[0]
    assert tokens[0] != tokens[1]
    token = next(iter(tokens[0]))
    kudos = one.post(
        reverse("reading:kudos", args=[work.pk]), {"csrfmiddlewaretoken": token.decode()}
    )
    assert kudos.status_code == 302
    assert Work.objects.get(pk=work.pk).kudos_count == 1


def test_pages_from_the_cache_count_their_hits(work: Work) -> None:
    url = _chapter_url(work)
    for address in ("203.0.113.1", "203.0.113.2", "203.0.113.3"):
        Client(REMOTE_ADDR=address).get(url)
    Client(REMOTE_ADDR="203.0.113.3").get(url)  # the same visitor again: once a day
    assert hits.BUFFER.pending() == {work.pk: 3}


def test_a_hit_flush_moves_no_version_and_the_cached_page_is_served_unrendered(
    work: Work, django_capture_on_commit_callbacks: Any
) -> None:
    url = _chapter_url(work)
    with django_capture_on_commit_callbacks(execute=True):
        first = Client().get(url)  # rendered, stored, written for nginx
        before = (Work.objects.get(pk=work.pk).version, versions.listings_version())
        hits.BUFFER.record(work_id=work.pk, visitor="g-someone")
        assert hits.flush() == 1
    after = Work.objects.get(pk=work.pk)
    assert after.hit_count == 2  # the first view's and someone's
    assert (after.version, versions.listings_version()) == before
    second, queries = _queries(Client(), url)
    assert queries == 1  # the version, then the stored page: nothing rendered again
    assert second["ETag"] == first["ETag"]
    path = pagecache.file_for(url)
    assert path is not None
    assert path.exists()  # nginx keeps serving its copy


def test_a_listing_stays_cached_across_a_hit_flush(
    work: Work, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = Client().get("/works/")
        hits.BUFFER.record(work_id=work.pk, visitor="g-someone")
        hits.flush()
    second, queries = _queries(Client(), "/works/")
    assert queries == 1
    assert second["ETag"] == first["ETag"]


def test_the_chapter_index_counts_no_hit_cached_or_not(work: Work) -> None:
    for _ in range(2):
        Client().get(reverse("works:navigate", args=[work.pk]))
    assert hits.BUFFER.pending() == {}


def test_logged_in_readers_get_their_own_page(work: Work, as_reader: Client) -> None:
    url = _chapter_url(work)
    Client().get(url)
    page = as_reader.get(url)
    assert b"Log out" in page.content
    assert "ETag" not in page


def test_a_guests_theme_and_reading_settings_are_their_own_page(work: Work) -> None:
    url = _chapter_url(work)
    Client().get(url)
    dark = Client()
    dark.cookies["theme"] = "dark"
    dark.cookies["reading_size"] = "large"
    page = dark.get(url)
    assert b'data-theme="dark"' in page.content
    assert b'data-reading-size="large"' in page.content
    assert b'data-theme="system"' in Client().get(url).content


def test_a_visitor_with_messages_waiting_is_not_served_the_cached_page(work: Work) -> None:
    url = _chapter_url(work)
    Client().get(url)
    guest = Client()
    guest.post(reverse("reading:kudos", args=[work.pk]))  # "Thank you" waits for the next page
    assert b"Thank you for leaving kudos" in guest.get(url).content
    assert b"Thank you for leaving kudos" not in Client().get(url).content


def test_the_adult_content_warning_and_proceeding_past_it_are_never_cached(author: User) -> None:
    mature = make_work(owner=author, rating=Rating.MATURE)
    url = reverse("works:work", args=[mature.pk])
    for _ in range(2):
        warned = Client().get(url, HTTP_REFERER="http://testserver/works/")
        assert b"adult content" in warned.content.lower()
    assert "ETag" not in warned
    proceeding = Client().get(url + "?view_adult=true")
    assert b"adult content" not in proceeding.content.lower()
    assert "ETag" not in proceeding
    assert proceeding.cookies.get("sessionid")


@pytest.mark.parametrize("kind", ["draft", "restricted", "hidden"])
def test_works_strangers_may_not_read_are_never_cached(
    author: User, admin: User, kind: str
) -> None:
    work = make_work(owner=author, post=kind != "draft", restricted=kind == "restricted")
    if kind == "hidden":
        services.set_work_hidden(work=work, by=admin, hidden=True)
    url = reverse("works:work", args=[work.pk])
    for _ in range(2):
        assert Client().get(url).status_code in (302, 404)


def test_a_page_is_not_served_for_a_work_hidden_since(work: Work, admin: User) -> None:
    url = _chapter_url(work)
    assert Client().get(url).status_code == 200
    services.set_work_hidden(work=work, by=admin, hidden=True)
    assert Client().get(url).status_code == 404


# nginx's copies -------------------------------------------------------------------


def test_the_default_page_is_written_for_nginx_with_its_beacon(work: Work, settings: Any) -> None:
    url = _chapter_url(work)
    Client().get(url)
    path = pagecache.file_for(url)
    assert path is not None
    assert path.is_relative_to(Path(settings.DATA_DIR))
    text = path.read_bytes()
    assert pagecache.CSRF_PLACEHOLDER.encode() in text
    assert not TOKEN.findall(text.replace(pagecache.CSRF_PLACEHOLDER.encode(), b""))
    assert f'src="/works/{work.pk}/hit.gif"'.encode() in text
    assert b"hit.gif" not in Client().get(url).content  # the app's own answer counts itself


def test_no_file_for_a_query_string_or_a_guests_own_settings(work: Work) -> None:
    url = reverse("works:work", args=[work.pk])
    Client().get(url + "?comments=2")
    dark = Client()
    dark.cookies["theme"] = "dark"
    dark.get(url)
    path = pagecache.file_for(url)
    assert path is not None
    assert not path.exists()


def test_an_operator_with_several_app_machines_turns_the_files_off(
    work: Work, settings: Any
) -> None:
    settings.PAGE_FILES = False
    url = _chapter_url(work)
    first, second = Client().get(url), Client().get(url)
    assert first.status_code == second.status_code == 200
    path = pagecache.file_for(url)
    assert path is not None
    assert not path.exists()


def test_a_change_removes_the_file_once_committed(
    work: Work, reader: User, django_capture_on_commit_callbacks: Any
) -> None:
    url = _chapter_url(work)
    Client().get(url)
    path = pagecache.file_for(url)
    assert path is not None
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        reading.leave_kudos(work=work, user=reader)
    assert not path.exists()


def test_a_file_written_after_a_change_it_raced_is_removed_by_its_writer(work: Work) -> None:
    url = reverse("works:work", args=[work.pk])
    stale = Work.objects.get(pk=work.pk)
    Work.objects.filter(pk=work.pk).update(version=stale.version + 1)  # committed meanwhile
    request = Client().get(url).wsgi_request
    entry = pagecache.Entry(b"<main>old</main>", "text/html", 0.0)
    pagecache._write_file(request, stale, entry, counts_hit=True)
    path = pagecache.file_for(url)
    assert path is not None
    assert not path.exists()


def test_the_beacon_counts_a_hit_for_works_strangers_may_read(author: User) -> None:
    public, restricted = make_work(owner=author), make_work(owner=author, restricted=True)
    for work in (public, restricted):
        response = Client().get(reverse("works:hit", args=[work.pk]))
        assert response["Content-Type"] == "image/gif"
        assert response.content.startswith(b"GIF89a")
        assert "no-store" in response["Cache-Control"]
    assert Client().get(reverse("works:hit", args=[999_999])).status_code == 200
    assert hits.BUFFER.pending() == {public.pk: 1}


# Listings -----------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/", "/works/", "/works/?q=quiet"])
def test_a_listing_is_cached_until_any_work_changes(
    author: User, url: str, django_capture_on_commit_callbacks: Any
) -> None:
    make_work(owner=author, title="A Quiet Start")
    with django_capture_on_commit_callbacks(execute=True):
        first, cold = _queries(Client(), url)
        second, warm = _queries(Client(), url)
        assert warm == 1 < cold
        assert second["ETag"] == first["ETag"]
        make_work(owner=author, title="Quiet Later")
    third = Client().get(url)
    assert b"Quiet Later" in third.content
    assert third["ETag"] != first["ETag"]


def test_a_tag_listing_is_cached_too(work: Work) -> None:
    url = reverse("search:tag", args=["fandom", "Pride and Prejudice - Jane Austen"])
    _, cold = _queries(Client(), url)
    _, warm = _queries(Client(), url)
    assert warm == 1 < cold


def test_a_logged_in_reader_gets_their_own_listing(work: Work, as_reader: Client) -> None:
    Client().get("/works/")
    page = as_reader.get("/works/")
    assert b"Log out" in page.content
    assert "ETag" not in page


def test_a_page_too_large_to_hold_is_rendered_each_time(
    work: Work, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pagecache, "PAGE_MAX_BYTES", 100)
    url = _chapter_url(work)
    _queries(Client(), url)
    _, again = _queries(Client(), url)
    assert again > 1  # rendered again, not the stored page's one query


def test_pages_never_push_the_rate_limits_out_of_local_memory(work: Work) -> None:
    """Local memory culls a third of its entries when full: pages live in a cache of their own."""
    url = reverse("works:work", args=[work.pk])
    request = Client().get(url).wsgi_request
    key = pagecache.page_key(request, f"w{work.pk}.{Work.objects.get(pk=work.pk).version}")
    assert isinstance(pagecache.page_cache().get(key), pagecache.Entry)
    assert cache.get(key) is None


# A signed-in reader's page: one shell per version, their own parts filled in ------


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _kept_shells() -> list[pagecache.Entry]:
    cache = pagecache.page_cache()
    assert isinstance(cache, pagecache.LocMemCache)
    entries = [cache.get(key.split(":", 2)[-1]) for key in list(cache._cache)]
    return [e for e in entries if isinstance(e, pagecache.Entry) and e.hole_values is not None]


@pytest.mark.parametrize("name", WORK_PAGES)
def test_readers_share_one_shell_and_each_sees_only_their_own_parts(
    work: Work, reader: User, name: str
) -> None:
    other = User.objects.create_user("wren", "wren@example.com", "a long passphrase 1")
    reading.subscribe(user=other, target=work)
    reading.mark_for_later(user=other, work=work)
    reading.save_bookmark(user=other, work=work, fields=BookmarkFields(notes="Mine."))
    comments.post_comment(
        work=work, chapter=work.chapters.order_by("position")[0], body="Wren was here.", user=other
    )
    url = _url(name, work)
    theirs = _signed_in(other).get(url).content.decode()
    assert len(_kept_shells()) == 1
    with CaptureQueriesContext(connection) as mine_queries:
        mine = _signed_in(reader).get(url).content.decode()
    assert len(_kept_shells()) == 1  # the same shell, filled for the second reader
    assert not any('FROM "works_chapter"' in q["sql"] for q in mine_queries.captured_queries)
    assert f">{reader.username}</a>" in mine
    assert ">wren</a>" not in mine.split("</header>")[0]
    assert ">wren</a>" in theirs.split("</header>")[0]
    assert "fanfoldcsrfplaceholder" not in mine
    assert "fanfold-hole" not in mine
    if name != "works:navigate":
        assert "Unsubscribe<" in theirs
        assert "Unsubscribe<" not in mine
        assert "Unmark for later<" in theirs
        assert "Unmark for later<" not in mine
        assert "Edit bookmark" in theirs
        assert "Edit bookmark" not in mine
        assert "Wren was here." in mine  # the comment, but not its author's own links
        assert theirs.count(">Edit</a>") == 1
        assert mine.count(">Edit</a>") == 0


def test_the_author_and_staff_get_their_own_page_not_a_readers_shell(
    work: Work, reader: User, author: User, admin: User
) -> None:
    url = _chapter_url(work)
    _signed_in(reader).get(url)
    assert "Edit work" in _signed_in(author).get(url).content.decode()
    assert "Hide work (admin)" in _signed_in(admin).get(url).content.decode()
    assert "Edit work" not in _signed_in(reader).get(url).content.decode()


def test_a_reader_who_keeps_the_adult_warning_gets_it_after_another_read_the_work(
    author: User, reader: User
) -> None:
    work = make_work(owner=author, chapters=2, rating=Rating.EXPLICIT)
    bold = User.objects.create_user("bold", "bold@example.com", "a long passphrase 1")
    bold.warn_before_mature = False
    bold.save()
    url = _chapter_url(work)
    assert "work-title" in _signed_in(bold).get(url).content.decode()
    assert _kept_shells()
    as_reader = _signed_in(reader)
    warned = as_reader.get(url).content.decode()
    assert "work-title" not in warned
    assert "view_adult=true" in warned
    proceeded = as_reader.get(url + "?view_adult=true").content.decode()
    assert "work-title" in proceeded
    assert "work-title" in as_reader.get(url).content.decode()  # remembered for the session


def test_a_readers_own_settings_get_a_shell_of_their_own(work: Work, reader: User) -> None:
    work.chapters.update(notes="A note from the author.")
    versions.moved([work.pk])
    url = _chapter_url(work)
    other = User.objects.create_user("wren", "wren@example.com", "a long passphrase 1")
    people.set_theme(user=other, theme="dark")
    other.hide_notes_by_default = True
    other.save()
    theirs = _signed_in(other).get(url).content.decode()
    mine = _signed_in(reader).get(url).content.decode()
    assert 'data-theme="dark"' in theirs
    assert 'data-theme="dark"' not in mine
    assert "A note from the author." not in theirs
    assert "A note from the author." in mine
    assert len(_kept_shells()) == 2


def test_a_readers_message_shows_once_and_a_change_at_once(work: Work, reader: User) -> None:
    url = _chapter_url(work)
    as_reader = _signed_in(reader)
    as_reader.get(url)
    subscribed = as_reader.post(reverse("reading:subscribe_work", args=[work.pk]), {"next": url})
    assert subscribed.status_code == 302
    page = as_reader.get(url).content.decode()
    assert "You are subscribed to" in page
    assert "Unsubscribe<" in page
    assert "You are subscribed to" not in as_reader.get(url).content.decode()  # shown once
    other = User.objects.create_user("wren", "wren@example.com", "a long passphrase 1")
    reading.leave_kudos(work=work, user=other)
    assert ">wren</a>" in as_reader.get(url).content.decode()  # a new version, a new shell


def test_a_muted_or_blocked_reader_sees_what_the_page_shows_them(
    work: Work, reader: User, author: User
) -> None:
    url = _chapter_url(work)
    assert "Post comment" in _signed_in(reader).get(url).content.decode()
    blocked = User.objects.create_user("wren", "wren@example.com", "a long passphrase 1")
    people.block_user(user=author, other=blocked)
    page = _signed_in(blocked).get(url).content.decode()
    assert "blocked you from commenting" in page
    assert "Post comment" not in page
    assert len(_kept_shells()) == 1


# Without Redis: the machine's processes share pages through files ---------------


def test_a_page_rendered_by_one_process_serves_the_machines_others(
    work: Work, reader: User, settings: Any, tmp_path: Path
) -> None:
    settings.PAGE_STORE = "files"
    settings.DATA_DIR = tmp_path
    url = _chapter_url(work)
    _signed_in(reader).get(url)
    Client().get(url)
    stored = list((tmp_path / "cache" / "pages").iterdir())
    assert len(stored) == 2  # a reader's shell and a stranger's page
    versions.MACHINE_CACHES.clear()  # another process: nothing of this one's in memory
    with CaptureQueriesContext(connection) as warm:
        page = _signed_in(reader).get(url).content.decode()
    assert not any('FROM "works_chapter"' in q["sql"] for q in warm.captured_queries)
    assert f">{reader.username}</a>" in page
    stranger, queries = _queries(Client(), url)
    assert stranger.status_code == 200
    assert queries == 1


def test_the_page_store_is_files_or_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess
    import sys

    monkeypatch.setenv("FANFOLD_PAGE_STORE", "disk")
    run = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "fanfold.archive.settings"},
    )
    assert run.returncode != 0
    assert "FANFOLD_PAGE_STORE must be files or memory" in run.stderr
