"""Full-page screenshots of every page type at 1280 and 390 px wide (`make screenshots`).

Builds a throwaway archive (SQLite in a temporary folder, never ./var's archive) with
the sample works and one account that has posted, bookmarked, subscribed and been
written to; serves it with `fanfold serve`; and saves one PNG per page, width and
skin into var/screenshots/ (git-ignored), named like `work-390-light.png`.

    python tools/screenshots.py [--out DIR] [--pages home,work] [--skins light,dark,contrast]

Chromium is Debian's (/usr/bin/chromium) when it is there, else Playwright's own.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

WIDTHS = {1280: 800, 390: 844}
SKINS = {"light": ("light", "light"), "dark": ("dark", "dark"), "contrast": ("light", "contrast")}
USERNAME, PASSWORD = "screenshots", "a-lantern-on-the-quay-7"
CHROMIUM = Path("/usr/bin/chromium")


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("var/screenshots"))
    parser.add_argument("--pages", default="", help="page names, comma-separated (all if empty)")
    parser.add_argument("--skins", default="light", help="of light, dark, contrast")
    return parser.parse_args(argv)


def _prepare_archive(data_dir: Path) -> dict[str, str]:
    """Migrate, load the samples, add an account with rows on every page; the pages by name."""
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_samples", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    return _account_and_pages()


def _account_and_pages() -> dict[str, str]:
    from fanfold.archive.comments.services import post_comment
    from fanfold.archive.insights.services import analyse_work
    from fanfold.archive.people.models import User
    from fanfold.archive.reading import services as reading
    from fanfold.archive.tags.models import Tag, TagType
    from fanfold.archive.works import services, uploads
    from fanfold.archive.works.models import Series, Work
    from fanfold.formats.model import ParsedChapter, ParsedWork

    me = User.objects.create_user(USERNAME, password=PASSWORD, is_staff=True, is_superuser=True)
    sample = (
        Work.objects.filter(chapters__position=2).order_by("pk").first() or Work.objects.first()
    )
    assert sample is not None, "load_samples loaded no works"
    analyse_work(work_id=sample.pk)  # the characters page has something to chart
    chapter = sample.chapters.order_by("position").last()
    mine = services.create_work(
        owner=me,
        fields=services.WorkFields(title="A Lantern on the Quay", rating="general"),
        first_chapter=services.ChapterFields(body="<p>The lantern swung in the wind.</p>"),
        post=True,
    )
    reading.subscribe(user=me, target=sample)
    reading.mark_for_later(user=me, work=sample)
    reading.record_reading(user=me, work=sample, chapter=None)
    fields = reading.BookmarkFields(notes="Read it twice.", tags=("comfort",), is_rec=True)
    reading.save_bookmark(user=me, work=sample, fields=fields)
    theirs = post_comment(work=mine, user=sample.owner, body="The lantern made me cry.")
    parsed = ParsedWork(title="Fog", chapters=(ParsedChapter(body="<p>The fog came in.</p>"),))
    upload = uploads.store_upload(owner_id=me.pk, parsed=parsed)
    fandom = Tag.objects.filter(type=TagType.FANDOM, works__isnull=False).first()
    series = Series.objects.first()
    tag_path = f"/tags/fandom/{fandom.name}/" if fandom else "/fandoms/"
    return {
        "home": "/",
        "listing": "/works/?ratings=general&ratings=teen&sort=kudos",
        "tag": tag_path,
        "search": "/works/?q=letter",
        "work": sample.get_absolute_url(),
        "chapter": chapter.get_absolute_url() if chapter else sample.get_absolute_url(),
        "entire-work": f"/works/{sample.pk}/full/",
        "series": series.get_absolute_url() if series else "/works/",
        "author": f"/users/{sample.owner.username}/",
        "characters": f"/works/{sample.pk}/characters/",
        "sign-up": "/signup/",
        "login": "/login/",
        "not-found": "/works/999999/",
        "post-form": "/works/new/",
        "post-form-errors": "/works/new/#submit",
        "chapter-form": f"/works/{mine.pk}/chapters/new/",
        "import-form": "/works/import/",
        "import-preview": f"/works/import/{upload}/",
        "wrangling": tag_path.replace("/tags/", "/wrangle/"),
        "inbox": "/inbox/",
        "bookmarks": f"/users/{USERNAME}/bookmarks/",
        "history": "/history/",
        "subscriptions": "/subscriptions/",
        "settings": "/settings/",
        "forbidden": f"/comments/{theirs.pk}/edit/",  # another's comment: a 403
    }


# Pages seen logged in (the account's own); the rest are seen as a guest sees them.
ACCOUNT_PAGES = {
    "post-form",
    "post-form-errors",
    "chapter-form",
    "import-form",
    "import-preview",
    "wrangling",
    "inbox",
    "bookmarks",
    "history",
    "subscriptions",
    "settings",
    "forbidden",
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _serve(port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "fanfold.cli", "serve", "--bind", f"127.0.0.1:{port}"]
    server = subprocess.Popen([*command, "--workers", "1", "--task-workers", "0"], env=env)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("The archive did not start serving within 10 seconds.")


def _shoot(page: Any, base: str, path: str, out: Path) -> None:
    page.goto(base + path.removesuffix("#submit"))
    if path.endswith("#submit"):  # the form sent empty, to show its errors
        page.get_by_role("button", name="Post", exact=True).click()
        page.wait_for_load_state()
    page.screenshot(path=str(out), full_page=True)


def _log_in(page: Any, base: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill(USERNAME)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def take(base: str, pages: dict[str, str], skins: list[str], out: Path) -> list[Path]:
    """Every page at each width and skin, as a guest where a guest sees it, else logged in."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    saved = []
    with sync_playwright() as playwright:
        executable = str(CHROMIUM) if CHROMIUM.exists() else None
        browser = playwright.chromium.launch(
            executable_path=executable, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        for skin in skins:
            scheme, theme = SKINS[skin]
            for width, height in WIDTHS.items():
                for guest in (True, False):
                    mine = {n: p for n, p in pages.items() if (n in ACCOUNT_PAGES) != guest}
                    if not mine:
                        continue
                    context = browser.new_context(
                        viewport={"width": width, "height": height},
                        color_scheme=scheme,  # type: ignore[arg-type]
                    )
                    page = context.new_page()
                    if not guest:
                        _log_in(page, base)
                    context.add_cookies([{"name": "theme", "value": theme, "url": base}])
                    if not guest:  # an account's theme is on the account: the footer's switch
                        page.goto(base + "/")
                        page.get_by_label("Theme").select_option(theme)
                        page.get_by_role("button", name="Change").click()
                    for name, path in mine.items():
                        target = out / f"{name}-{width}-{skin}.png"
                        _shoot(page, base, path, target)
                        saved.append(target)
                    context.close()
        browser.close()
    return saved


def main(argv: Sequence[str] | None = None) -> int:
    args = _arguments(argv)
    data_dir = Path(tempfile.mkdtemp(prefix="fanfold-screenshots-"))
    os.environ.pop("DATABASE_URL", None)  # always a throwaway SQLite archive
    os.environ.update(
        FANFOLD_DATA_DIR=str(data_dir),
        FANFOLD_SECRET_KEY=secrets.token_urlsafe(32),
        DJANGO_SETTINGS_MODULE="fanfold.archive.settings",
    )
    pages = _prepare_archive(data_dir)
    wanted = [name for name in args.pages.split(",") if name]
    unknown = set(wanted) - set(pages)
    if unknown:
        raise SystemExit(f"No such page: {', '.join(sorted(unknown))}. Pages: {', '.join(pages)}")
    chosen = {name: path for name, path in pages.items() if not wanted or name in wanted}
    port = _free_port()
    server = _serve(port, dict(os.environ))
    try:
        saved = take(f"http://127.0.0.1:{port}", chosen, args.skins.split(","), args.out)
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(data_dir, ignore_errors=True)  # the throwaway archive
    print(f"{len(saved)} screenshots in {args.out}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
