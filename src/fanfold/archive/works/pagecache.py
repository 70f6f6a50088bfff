"""Whole pages for strangers: a work's pages and the listings, cached per version.

A visitor with no session (no login, no messages waiting) sees the same
page as every other such visitor with the same theme and reading settings,
except for the CSRF token in its forms. So the page is rendered once per
version of what it shows and kept in Django's cache (``caches["default"]``:
local memory per process, or Redis shared by every app server):

- a work's pages (the work, a chapter, the whole work, the chapter index)
  under the work's version (:mod:`fanfold.archive.works.versions`);
- the listings (home, works, a tag's works) under the listings' version.

The key holds the version read from the database on each request, the
host, the full path with its query string, the visitor's theme and reading
settings and a stamp of the code (templates change with a deploy): an
entry is never deleted, it stops being asked for. Every page carries
``ETag`` (the key's digest) and ``Last-Modified`` (when that version was
first rendered) and is answered with 304 when the browser has it.

The CSRF token: the stored copy holds a placeholder where each form's token
was, replaced on every answer by a token for that visitor (setting the CSRF
cookie as the page rendered afresh would), so no visitor ever gets another's
token and every form on the page still works. Mature and Explicit works
show strangers the adult-content warning, which depends on the session and
the referring page: it is never stored (marked ``private`` by its view).

Hits: a work page answered from the cache still tells the apps above that
the work was viewed (``works.signals.work_viewed``), as a rendered one does.
Writing hits moves no version (no page shows a count); a listing ordered by
hits is kept under the listings' version and a ``HITS_ORDER_SECONDS`` window.

Signed-in readers (decision 0018): a reader who is neither the work's author
nor staff sees the same work page as every such reader with the same
appearance and preferences, except for the parts the templates mark as
``{% hole %}`` (:mod:`~fanfold.archive.works.templatetags.page_holes`): the
account's links, messages, their own boxes and the comments. The page is
kept once per version and variant as a *shell* with markers where the holes
are, and every answer renders only the holes (``_readers_page``).

For nginx: the default variant of a work page (no query string, no theme or
reading cookies) is also written to ``FANFOLD_DATA_DIR/pages/<path>/index.html``
(written whole then renamed into place), with a 1x1 image from
``/works/<id>/hit.gif`` before ``</main>`` so that pages nginx serves count
their hits, and removed once a change to the work commits; a file written
by a render that raced with a change is removed by the writer itself (it
reads the version again after writing). Decision 0016 gives the reasons;
``docs/nginx/pages-http.conf`` and ``docs/nginx/pages-server.conf`` are the
nginx configuration (checked with Debian's nginx; ``bench.load --nginx-http
--nginx-server`` takes them), in short (``/var/lib/fanfold`` standing for
FANFOLD_DATA_DIR, ``@fanfold`` a location proxying to the app)::

    map $cookie_csrftoken $fanfold_csrf {
        "~^[A-Za-z0-9]{32}$" $cookie_csrftoken;
        default $request_id;  # 32 hex characters: a new CSRF secret
    }
    map $cookie_csrftoken $fanfold_csrf_cookie {
        "~^[A-Za-z0-9]{32}$" "";
        default "csrftoken=$request_id; Path=/; Max-Age=31449600; SameSite=Lax";
    }
    map "$cookie_sessionid$cookie_messages$args" $fanfold_own { "" ""; default 1; }
    map "$fanfold_own$cookie_theme$cookie_reading_size$cookie_reading_width" $fanfold_page {
        "" /pages$uri/index.html;
        default /no-page;
    }
    location ~ ^/works/[0-9]+/((chapters/[0-9]+|full|navigate)/)?$ {
        root /var/lib/fanfold;
        try_files $fanfold_page @fanfold;
        sendfile off;  # with sub_filter, sendfile stalls pages over ~16 KB (see the .conf)
        sub_filter_types text/html;
        sub_filter_once off;
        sub_filter "fanfoldcsrfplaceholder" $fanfold_csrf;
        add_header Set-Cookie $fanfold_csrf_cookie;
        add_header Cache-Control "private, no-cache";
        add_header Vary Cookie;
        # ... and the app's security headers (CSP and the rest): see the .conf
    }

(A form's token may be the bare 32-character secret: Django accepts it.)
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import get_token
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

import fanfold
from fanfold.archive.people.context_processors import (
    READING_SIZE_COOKIE,
    READING_WIDTH_COOKIE,
    THEME_COOKIE,
    appearance,
)
from fanfold.archive.people.models import User
from fanfold.archive.works import versions
from fanfold.archive.works.context_processors import reading_preferences
from fanfold.archive.works.models import Chapter, Rating, Work
from fanfold.archive.works.signals import tell_work_viewed
from fanfold.archive.works.templatetags import page_holes

log = logging.getLogger(__name__)

PAGE_TTL = 24 * 60 * 60  # seconds: only to give the memory back; versions decide what is current
# Local memory per process holds this many pages, none larger than PAGE_MAX_BYTES
# (a long work's whole-work page is rendered each time rather than held).
LOCAL_PAGES = 200
MACHINE_PAGES = 10_000  # in files, for all the machine's processes (~10 KB each, compressed)
PAGE_MAX_BYTES = 1_000_000
CSRF_PLACEHOLDER = "fanfoldcsrfplaceholder"  # not a token (22 letters): replaced on every answer
_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{32,64}(")')
PAGES_DIR = "pages"  # under FANFOLD_DATA_DIR
BEACON_PATH = "/works/{work_id}/hit.gif"
# Hits move no version: a listing ordered by hits is rendered again this often (seconds).
HITS_ORDER_SECONDS = 10 * 60

View = Callable[..., HttpResponseBase]


_LOCAL = LocMemCache(
    "fanfold-pages", {"TIMEOUT": PAGE_TTL, "OPTIONS": {"MAX_ENTRIES": LOCAL_PAGES}}
)


def page_cache() -> BaseCache:
    """Where pages are kept: the default cache when it is shared (Redis), else their own.

    Django's local-memory cache holds 300 entries and culls a third when
    full: pages in it would push out the rate limits' counters, which share
    the default cache. So without Redis, pages get a cache of their own: files
    under ``FANFOLD_DATA_DIR/cache/pages`` that every process of the machine
    reads (``FANFOLD_PAGE_STORE=files``, the default), or each process's memory.
    """
    cache = caches["default"]
    if not isinstance(cache, LocMemCache):
        return cache
    return (
        versions.machine_cache("pages", MACHINE_PAGES) if settings.PAGE_STORE == "files" else _LOCAL
    )


def _allowed_cookies() -> frozenset[str]:
    return frozenset(
        {settings.CSRF_COOKIE_NAME, THEME_COOKIE, READING_SIZE_COOKIE, READING_WIDTH_COOKIE}
    )


def for_strangers(request: HttpRequest) -> bool:
    """Whether the request may get a page cached for everyone: a GET without session or messages.

    Only the CSRF cookie and the guest's theme and reading settings may come
    with it (the key holds the last three); any other cookie (a session, the
    messages of a redirect) means a page of its own.
    """
    return request.method in ("GET", "HEAD") and set(request.COOKIES) <= _allowed_cookies()


def _code_stamp() -> str:
    """Changes when the templates do (a deploy): pages of the old code are not served."""
    root = Path(fanfold.__file__).parent / "archive"
    stamps = sorted(
        f"{path.relative_to(root)}:{path.stat().st_mtime_ns}:{path.stat().st_size}"
        for path in root.glob("**/templates/**/*.html")
    )
    digest = hashlib.sha256("\n".join(stamps).encode()).hexdigest()[:12]
    return f"{fanfold.__version__}-{digest}"


CODE_STAMP = _code_stamp()


def _variant(request: HttpRequest) -> str:
    shown = appearance(request)
    return f"{shown['theme']}.{shown['reading_size']}.{shown['reading_width']}"


def is_default_variant(request: HttpRequest) -> bool:
    return not ({THEME_COOKIE, READING_SIZE_COOKIE, READING_WIDTH_COOKIE} & set(request.COOKIES))


def page_key(request: HttpRequest, version: str, *, variant: str | None = None) -> str:
    """The cache key of this page at this version, for this kind of visitor.

    >>> from django.test import RequestFactory
    >>> one = page_key(RequestFactory().get("/works/1/"), "w1.5")
    >>> one == page_key(RequestFactory().get("/works/1/"), "w1.6"), one.startswith("page:")
    (False, True)
    """
    what = "|".join(
        [
            CODE_STAMP,
            version,
            request.get_host(),
            request.get_full_path(),
            variant or _variant(request),
        ]
    )
    return "page:" + hashlib.sha256(what.encode()).hexdigest()[:40]


@dataclass(frozen=True, slots=True)
class Entry:
    """A stored page: its bytes (tokens replaced by the placeholder), type, first render time."""

    body: bytes
    content_type: str
    rendered_at: float
    hole_values: dict[str, Any] | None = None  # a reader's shell: what its holes are filled from


def _storable(request: HttpRequest, response: HttpResponseBase) -> bool:
    """A plain 200 page that set nothing of the visitor's own (session, cookie, private)."""
    if response.status_code != 200 or response.streaming or not isinstance(response, HttpResponse):
        return False
    if "private" in response.get("Cache-Control", "") or response.cookies:
        return False
    session = getattr(request, "session", None)
    return not (session is not None and session.modified)


def _tokens_out(body: bytes) -> bytes:
    return _TOKEN.sub(rf"\g<1>{CSRF_PLACEHOLDER}\g<2>", body.decode()).encode()


def _etag(key: str) -> str:
    return f'"{key.removeprefix("page:")}"'


def _mark(response: HttpResponseBase, *, key: str, rendered_at: float) -> HttpResponseBase:
    response["ETag"] = _etag(key)
    response["Last-Modified"] = http_date(int(rendered_at))
    # The browser asks again each time (and gets 304); no shared cache keeps it:
    # the same URL is another page for a logged-in reader.
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ["Cookie"])
    return response


def _answer(request: HttpRequest, key: str, entry: Entry) -> HttpResponseBase:
    """The stored page for this visitor: 304 if they have it, else with their own CSRF token."""
    not_modified = get_conditional_response(
        request, etag=_etag(key), last_modified=int(entry.rendered_at)
    )
    if not_modified is not None:
        return _mark(not_modified, key=key, rendered_at=entry.rendered_at)
    body = entry.body.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
    return _mark(
        HttpResponse(body, content_type=entry.content_type), key=key, rendered_at=entry.rendered_at
    )


@dataclass(frozen=True, slots=True)
class Answer:
    """A page for a stranger: from the cache (``hit``), or rendered (``stored`` if kept)."""

    response: HttpResponseBase
    hit: bool = False
    stored: Entry | None = None


def _cached(request: HttpRequest, version: str, render: Callable[[], HttpResponseBase]) -> Answer:
    """The page from the cache, or rendered (and stored when it is everyone's)."""
    key = page_key(request, version)
    cache = page_cache()
    entry = cache.get(key)
    if isinstance(entry, Entry):
        return Answer(_answer(request, key, entry), hit=True)
    response = render()
    if not _storable(request, response):
        return Answer(response)
    assert isinstance(response, HttpResponse)
    entry = Entry(_tokens_out(response.content), response["Content-Type"], time.time())
    if len(entry.body) <= PAGE_MAX_BYTES:
        cache.set(key, entry, PAGE_TTL)
    not_modified = get_conditional_response(
        request, etag=_etag(key), last_modified=int(entry.rendered_at)
    )
    marked = _mark(not_modified or response, key=key, rendered_at=entry.rendered_at)
    return Answer(marked, stored=entry)


# A work's pages -------------------------------------------------------------------


def _readable_by_strangers(work: Work) -> bool:
    return not (work.is_draft or work.is_hidden or work.is_restricted)


def work_page(*, counts_hit: bool) -> Callable[[View], View]:
    """Serve a work's page (``view(request, work_id, ...)``) to strangers from the cache.

    ``counts_hit``: the page counts a hit (chapters and the whole work; not the index).
    """

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, work_id: int, **kwargs: Any) -> HttpResponseBase:
            if not for_strangers(request):
                return _readers_page(request, view, work_id, kwargs, counts_hit=counts_hit)
            work = (
                Work.objects.only(
                    "id", "owner_id", "is_draft", "is_hidden", "is_restricted", "version"
                )
                .filter(pk=work_id)
                .first()
            )
            if work is None or not _readable_by_strangers(work):
                return view(request, work_id, **kwargs)  # it says what strangers get instead
            version = f"w{work.pk}.{work.version}"
            answer = _cached(request, version, lambda: view(request, work_id, **kwargs))
            if answer.hit and counts_hit:
                # The view did not run: the page counts its hit as a rendered one does.
                # (The chapter is for a reader's history; strangers have none.)
                tell_work_viewed(request, work, None)
            if answer.stored is not None:
                _write_file(request, work, answer.stored, counts_hit=counts_hit)
            return answer.response

        return wrapper

    return decorate


# A signed-in reader's work page: a shell per version, their own parts filled in -------

ADULT_RATINGS = frozenset({Rating.MATURE, Rating.EXPLICIT})


def _plain_reader(request: HttpRequest, work: Work) -> User | None:
    """The reader, if the work's page is the same for them as for every such reader but its holes.

    Not the work's author (drafts, author's links), not staff (moderation
    links), a work every account may read (not a draft, not hidden), no
    adult-content warning still to show, a GET with no query string but a
    page of comments (``?view_adult=true`` is the view's).
    """
    user = request.user
    if request.method not in ("GET", "HEAD") or not isinstance(user, User):
        return None
    if user.is_staff or user.is_superuser or user.pk == work.owner_id:
        return None
    if work.is_draft or work.is_hidden or set(request.GET) - {"comments"}:
        return None
    warned = work.rating in ADULT_RATINGS and user.warn_before_mature
    if warned and not request.session.get("view_adult"):
        return None
    return user


def _readers_variant(request: HttpRequest, reader: User) -> str:
    """What else a plain reader's shell depends on: appearance, notes hidden, dialogue colours."""
    hide_notes = reading_preferences(request)["hide_notes"]
    return f"reader.{_variant(request)}.{int(hide_notes)}.{int(reader.colour_dialogue)}"


def _readers_page(
    request: HttpRequest, view: View, work_id: int, kwargs: dict[str, Any], *, counts_hit: bool
) -> HttpResponseBase:
    """A signed-in reader's work page: the kept shell with their own parts (``page_holes``).

    The shell is rendered by the view with its holes left as markers, kept
    under the work's version and the reader's variant, and filled on every
    answer; anyone else (the author, staff, a draft) gets the view itself.
    """
    work = Work.objects.filter(pk=work_id).first()
    reader = _plain_reader(request, work) if work is not None else None
    if work is None or reader is None:
        return view(request, work_id, **kwargs)
    key = page_key(request, f"w{work.pk}.{work.version}", variant=_readers_variant(request, reader))
    cache = page_cache()
    entry = cache.get(key)
    if isinstance(entry, Entry) and entry.hole_values is not None:
        if counts_hit:
            chapter_id = entry.hole_values.get("comments_scope", (None, True))[0]
            chapter = Chapter(pk=chapter_id, work_id=work.pk) if chapter_id else None
            tell_work_viewed(request, work, chapter)
        token = get_token(request)  # masked once, for the shell and its holes alike
        body = entry.body.decode().replace(CSRF_PLACEHOLDER, token)
        values = entry.hole_values | {"work": work, "csrf_token": token}
        return HttpResponse(page_holes.fill(body, request, values), content_type=entry.content_type)
    setattr(request, page_holes.SHELL, True)
    try:
        response = view(request, work_id, **kwargs)
    finally:
        setattr(request, page_holes.SHELL, False)
    if not isinstance(response, HttpResponse) or response.streaming:
        return response
    values = getattr(request, page_holes.VALUES, {})
    shell = response.content.decode()
    if _storable(request, response):
        kept = Entry(_tokens_out(response.content), response["Content-Type"], time.time(), values)
        if len(kept.body) <= PAGE_MAX_BYTES:
            cache.set(key, kept, PAGE_TTL)
    response.content = page_holes.fill(shell, request, values | {"work": work}).encode()
    return response


# Listings -------------------------------------------------------------------------


def listing_page(view: View) -> View:
    """Serve a listing (any URL, any query string) to strangers from the cache.

    One version for every listing (:func:`versions.listings_version`): any
    work's change may show on any of them, and it is one row to read.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not for_strangers(request):
            return view(request, *args, **kwargs)
        try:
            sort = request.GET.get("sort", "")
        except TooManyFieldsSent:  # the view answers thousands of values itself; not kept
            return view(request, *args, **kwargs)
        version = listing_version(versions.listings_version(), sort=sort, now=time.time())
        return _cached(request, version, lambda: view(request, *args, **kwargs)).response

    return wrapper


def listing_version(listings: int, *, sort: str, now: float) -> str:
    """The version a listing is kept under; ordered by hits, it also moves with the clock.

    Hits move no version (decision 0016), so a listing ordered by them is
    rendered again at least every ``HITS_ORDER_SECONDS`` to follow the counts.

    >>> listing_version(7, sort="kudos", now=1000.0)
    'l7'
    >>> listing_version(7, sort="Hits", now=1000.0) == listing_version(7, sort="hits", now=1001.0)
    True
    >>> listing_version(7, sort="hits", now=1000.0) == listing_version(7, sort="hits", now=1700.0)
    False
    """
    if sort.lower() == "hits":
        return f"l{listings}.h{int(now // HITS_ORDER_SECONDS)}"
    return f"l{listings}"


# Files for nginx -------------------------------------------------------------------


def pages_dir() -> Path:
    return Path(settings.DATA_DIR) / PAGES_DIR


def file_for(path: str) -> Path | None:
    """Where nginx finds the page of a work URL path; None for any other path.

    >>> str(file_for("/works/12/chapters/3/")).endswith("pages/works/12/chapters/3/index.html")
    True
    >>> file_for("/works/12/../../etc/"), file_for("/search/")
    (None, None)
    """
    if not re.fullmatch(r"/works/[0-9]+/((chapters/[0-9]+|full|navigate)/)?", path):
        return None
    return pages_dir() / path.strip("/") / "index.html"


def _with_beacon(body: bytes, work_id: int) -> bytes:
    """A 1x1 image from the app where the page ends: nginx's copy counts its hit by it."""
    src = BEACON_PATH.format(work_id=work_id)
    beacon = f'<img class="hit-beacon" src="{src}" alt="" width="1" height="1"></main>'
    return body.replace(b"</main>", beacon.encode(), 1)


def _write_file(request: HttpRequest, work: Work, entry: Entry, *, counts_hit: bool) -> None:
    """Write the default variant for nginx (atomically); remove it again if the work moved on."""
    target = file_for(request.path)
    if not settings.PAGE_FILES or target is None or request.GET or not is_default_variant(request):
        return
    body = _with_beacon(entry.body, work.pk) if counts_hit else entry.body
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".page-")
        with os.fdopen(handle, "wb") as out:
            out.write(body)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except OSError:
        log.exception("could not write the page file %s", target)
        return
    # A change that committed while this page rendered removed the files before
    # this one was written: the version read now tells. Read on the primary: a
    # replica that has not replayed the change would agree with the stale render,
    # and nginx would serve it until the next change.
    if versions.work_version(work.pk, primary=True) != work.version:
        target.unlink(missing_ok=True)


def remove_files(work_ids: Iterable[int]) -> None:
    """Remove nginx's copies of these works' pages (after a change to them committed)."""
    root = pages_dir() / "works"
    for work_id in work_ids:
        shutil.rmtree(root / str(int(work_id)), ignore_errors=True)
