"""The permission matrix: every URL the project defines, for every persona.

Every URL pattern is read from the URL conf (``get_resolver``, recursively,
the admin's included), its arguments filled from one archive built for the
purpose: a public work, a restricted one, a draft, a hidden one, a draft
chapter in the public work, a series whose parts include the draft and the
hidden work, comments, tags each carried only by one kind of work, users.
Each GET is asked by seven personas and its status checked against RULES; a
pattern without a rule fails the test, so a new view cannot slip in without
someone deciding who may open it. Every answer (pages, feeds, downloads,
EPUBs unzipped) is scanned for markers planted in the private works' titles,
summaries, notes, chapter texts and tags, where the persona may not see them.
Every URL is then posted to without a CSRF token (refused, 403), and every URL
that takes a POST is posted to, with a token, by personas without the right
(refused). The figures are printed (``pytest -s``) and in failure messages.

The admin: every admin pattern is checked too. Object pages (change,
history, delete) are filled with the first object of their model, or an id
no object has when the model holds none; the staff persona, a superuser,
sees them all, everyone else is sent to the admin's login.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch
from django_otp.plugins.otp_totp.models import TOTPDevice

from fanfold.archive.comments import services as comments
from fanfold.archive.inbox import services as inbox
from fanfold.archive.inbox.models import Kind
from fanfold.archive.moderation.middleware import allowed_while_suspended
from fanfold.archive.moderation.services import suspend_account
from fanfold.archive.people.models import SignInSession, User
from fanfold.archive.personal_data.services import build_export, create_export
from fanfold.archive.reading import services as reading
from fanfold.archive.reading.services import BookmarkFields
from fanfold.archive.tags.models import Media, Tag, TagType
from fanfold.archive.works import services as works
from fanfold.archive.works import uploads
from fanfold.archive.works.models import Chapter, PendingUpload, Series, Work
from fanfold.formats.model import ParsedChapter, ParsedWork
from tests.archive.factories import UserFactory, make_work

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "reader", "author", "other_author", "wrangler", "staff", "suspended"]
LOGGED_IN = [p for p in PERSONAS if p != "anonymous"]

# Markers planted in the private works, one per kind of privacy.
DRAFT = "zqdraftzq"
HIDDEN = "zqhiddenzq"
RESTRICTED = "zqrestrictedzq"
DRAFT_CHAPTER = "zqdraftchapterzq"  # a draft chapter of the public work


def may_see(persona: str, marker: str, url_name: str) -> bool:
    """Whether ``persona`` may meet ``marker`` on the page ``url_name``.

    Drafts and draft chapters are their author's alone; hidden works their
    author's and the admins'; restricted works any logged-in reader's. In
    the admin, staff see everything; a wrangler's page for a tag shows the tag
    (and its relations) whatever carries it.
    """
    if persona == "author":
        return True
    if persona == "staff" and (marker == HIDDEN or url_name.startswith("admin:")):
        return True
    if persona == "wrangler" and url_name == "tags:wrangle":
        return True
    return marker == RESTRICTED and persona != "anonymous"


def suspended_persona(staff: User) -> User:
    """A reader whom staff suspended: reads as a reader, and may not write."""
    person = UserFactory(username="suspended")
    suspend_account(user=person, by=staff, reason="Spam in comments")
    return person


# The archive --------------------------------------------------------------------


def private_fields(marker: str) -> dict[str, Any]:
    return {
        "title": f"Title {marker}",
        "summary": f"<p>Summary {marker}</p>",
        "notes": f"<p>Notes {marker}</p>",
        "end_notes": f"<p>End notes {marker}</p>",
        "body": f"The text of {marker} goes on for a while.\n\nAnd on.",
        "tags": {
            TagType.WARNING: ["No Archive Warnings Apply"],
            TagType.FANDOM: [f"Fandom of {marker.strip('z')}"],
            TagType.FREEFORM: [f"tag {marker}"],
        },
    }


@dataclass
class Archive:
    users: dict[str, User]
    works: dict[str, Work]
    chapters: dict[str, Chapter]
    series: Series
    comment_id: int
    restricted_comment_id: int
    upload_token: str
    export_id: int = 0
    tags: dict[str, Tag] = field(default_factory=dict)


def build_archive() -> Archive:
    users = {
        "reader": UserFactory(username="reader"),
        "author": UserFactory(username="author"),
        "other_author": UserFactory(username="other_author"),
        "wrangler": UserFactory(username="wrangler"),
        "staff": UserFactory(username="staff", is_staff=True, is_superuser=True),
    }
    users["suspended"] = suspended_persona(users["staff"])
    users["wrangler"].groups.add(Group.objects.get(name="Tag wranglers"))
    author, reader = users["author"], users["reader"]
    reading.subscribe(user=reader, target=author)
    public = make_work(
        owner=author,
        title="The Public Work",
        chapters=2,
        tags={
            TagType.WARNING: ["No Archive Warnings Apply"],
            TagType.FANDOM: ["Public Fandom"],
        },
    )
    draft_chapter = works.add_chapter(
        work=public,
        by=author,
        fields=works.ChapterFields(
            title=f"Chapter {DRAFT_CHAPTER}",
            body=f"The draft chapter {DRAFT_CHAPTER} text.",
            notes=f"<p>{DRAFT_CHAPTER} notes</p>",
        ),
        post=False,
    )
    restricted = make_work(owner=author, restricted=True, **private_fields(RESTRICTED))
    hidden = make_work(owner=author, **private_fields(HIDDEN))
    draft = make_work(owner=author, post=False, **private_fields(DRAFT))
    make_work(owner=users["other_author"], title="Another Author's Work")
    series = works.create_series(owner=author, title="The Series")
    for work in [draft, public, hidden, restricted]:
        works.join_series(work=work, by=author, series=series)
    for work in [public, hidden, restricted]:
        reading.save_bookmark(user=reader, work=work, fields=BookmarkFields(notes="Liked it"))
        reading.leave_kudos(work=work, user=reader)
        reading.record_reading(user=reader, work=work, chapter=None)
        inbox.deliver(recipients=[reader], kind=Kind.WORK, work=work, actor=author)
    reading.save_bookmark(user=reader, series=series, fields=BookmarkFields(notes="A series"))
    comment = comments.post_comment(work=public, body="A kind word.", user=reader)
    on_restricted = comments.post_comment(work=restricted, body="Restricted word.", user=reader)
    on_hidden = comments.post_comment(work=hidden, body="A word on the hidden one.", user=reader)
    comments.post_comment(work=hidden, body="Thanks.", user=author, parent=on_hidden)
    works.set_work_hidden(work=hidden, by=users["staff"], hidden=True)
    for tag in Tag.objects.filter(type=TagType.FANDOM):
        Tag.objects.filter(pk=tag.pk).update(media=Media.BOOKS)
    token = uploads.store_upload(
        owner_id=author.pk,
        parsed=ParsedWork(title=f"Upload {DRAFT}", chapters=(ParsedChapter(body="Text here."),)),
    )
    TOTPDevice.objects.create(user=users["staff"], name="phone", confirmed=False)
    export, _ = create_export(user=author)
    build_export(export_id=export.pk)
    works_ = {"public": public, "restricted": restricted, "hidden": hidden, "draft": draft}
    chapters = {name: work.chapters.order_by("position").first() for name, work in works_.items()}
    chapters["draft_chapter"] = draft_chapter
    return Archive(
        users=users,
        works=works_,
        chapters={k: v for k, v in chapters.items() if v is not None},
        series=series,
        comment_id=comment.pk,
        restricted_comment_id=on_restricted.pk,
        upload_token=token,
        export_id=export.pk,
        tags={
            "public": Tag.objects.get(name="Public Fandom"),
            "restricted": Tag.objects.get(name=f"Fandom of {RESTRICTED.strip('z')}"),
            "hidden": Tag.objects.get(name=f"Fandom of {HIDDEN.strip('z')}"),
            "draft": Tag.objects.get(name=f"Fandom of {DRAFT.strip('z')}"),
        },
    )


def clients(archive: Archive, *, enforce_csrf: bool = False) -> dict[str, Client]:
    made = {"anonymous": Client(enforce_csrf_checks=enforce_csrf)}
    for persona in LOGGED_IN:
        client = Client(enforce_csrf_checks=enforce_csrf)
        client.force_login(archive.users[persona])
        made[persona] = client
    return made


# The URL conf -------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    name: str  # "works:work", or the route itself for an unnamed pattern
    route: str
    arguments: tuple[str, ...]


def patterns(
    resolver: URLResolver | None = None, prefix: str = "", namespace: str = ""
) -> Iterator[Pattern]:
    """Every URL pattern of the project, with its full route and argument names."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from patterns(entry, route, inner)
        elif isinstance(entry, URLPattern):
            arguments = tuple(re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route))
            names = tuple(a or b for a, b in arguments)  # type: ignore[misc]
            name = f"{namespace}{entry.name}" if entry.name else route
            yield Pattern(name=name, route=route, arguments=names)


# Variants: the objects a pattern is asked about, each with the visibility it has.
Variant = tuple[str, dict[str, Any]]


def variants(pattern: Pattern, archive: Archive) -> list[Variant]:
    """The argument sets a pattern is checked with, each named by what it shows."""
    args = set(pattern.arguments)
    if pattern.name.startswith(("admin:", "admin/")):
        return admin_variants(pattern)
    if {"work_id", "chapter_id"} <= args:
        return [
            (name, {"work_id": chapter.work_id, "chapter_id": chapter.pk})
            for name, chapter in archive.chapters.items()
        ]
    if "work_id" in args:
        found = [(name, {"work_id": work.pk}) for name, work in archive.works.items()]
        if "extension" in args:
            return [
                (name, {**kwargs, "extension": extension})
                for name, kwargs in found
                for extension in ["epub", "html", "txt"]
            ]
        return found
    if "series_id" in args:
        return [("series", {"series_id": archive.series.pk})]
    if "export_id" in args:
        return [("public", {"export_id": archive.export_id})]
    if "session_id" in args:  # the author's own session (logging in recorded it)
        session = SignInSession.objects.filter(user__username="author").order_by("pk").first()
        return [("public", {"session_id": session.pk if session else 0})]
    if "comment_id" in args:
        return [
            ("public", {"comment_id": archive.comment_id}),
            ("restricted", {"comment_id": archive.restricted_comment_id}),
        ]
    if "username" in args:
        return [("public", {"username": "author"}), ("reader_page", {"username": "reader"})]
    if {"type", "name"} <= args:
        return [
            (name, {"type": TagType.FANDOM, "name": tag.name}) for name, tag in archive.tags.items()
        ]
    if "type" in args:
        return [("public", {"type": TagType.CHARACTER})]
    if "media" in args:
        return [("public", {"media": "books"})]
    if "token" in args and "uidb64" in args:
        return [("public", {"uidb64": "MQ", "token": "set-password"})]
    if "token" in args and pattern.name.startswith("works:"):
        return [("upload", {"token": archive.upload_token})]
    if "token" in args:
        return [("public", {"token": "not-a-real-token"})]
    assert not args, f"{pattern.name}: no way to fill {sorted(args)}"
    return [("public", {})]


def admin_variants(pattern: Pattern) -> list[Variant]:
    args = set(pattern.arguments)
    if not args:
        return [("admin", {})]
    if args == {"app_label"}:
        return [("admin", {"app_label": "works"})]
    if args == {"url"}:  # the catch-all: any other address under /admin/
        return [("admin", {"url": "nowhere/"})]
    if args == {"content_type_id", "object_id"}:
        from django.contrib.contenttypes.models import ContentType

        kind = ContentType.objects.get_for_model(Work)
        return [("admin", {"content_type_id": kind.pk, "object_id": Work.objects.first().pk})]  # type: ignore[union-attr]
    if args == {"object_id"}:
        model = admin_model(pattern)
        first = model.objects.order_by("pk").first()
        if model is Work:
            first = Work.objects.get(title__contains=DRAFT)
        if not pattern.name.startswith("admin:"):  # the bare object address: a redirect
            return [("admin_redirect", {"object_id": first.pk if first else 0})]
        return [("admin" if first else "admin_missing", {"object_id": first.pk if first else 0})]
    if args == {"pk"}:  # an authenticator device's setup pages
        device = TOTPDevice.objects.order_by("pk").first()
        return [("admin" if device else "admin_missing", {"pk": device.pk if device else 0})]
    if args == {"id"}:  # a user's password form
        return [("admin", {"id": User.objects.get(username="author").pk})]
    raise AssertionError(f"{pattern.name}: no way to fill {sorted(args)}")


def admin_model(pattern: Pattern) -> Any:
    """admin/works/work/<path:object_id>/... -> the Work model."""
    app_label, model_name = pattern.route.split("/")[1:3]
    return apps.get_model(app_label, model_name)


def url_of(pattern: Pattern, kwargs: dict[str, Any]) -> str:
    try:
        return reverse(pattern.name, kwargs=kwargs)
    except NoReverseMatch:  # an unnamed pattern: fill its route by hand
        route = pattern.route
        for key, value in kwargs.items():
            route = re.sub(rf"<(?:\w+:)?{key}>", str(value), route)
            route = re.sub(rf"\^?\(\?P<{key}>[^)]*\)\$?", str(value), route)
        return "/" + route


# The rules ----------------------------------------------------------------------

# What a persona gets: a status, or "login" (a redirect to the login page).
Expect = int | str
Rule = Callable[[str, str], Expect]  # (persona, variant) -> what they get


def everyone(status: Expect = 200) -> Rule:
    return lambda persona, variant: status


def members(status: int = 200) -> Rule:
    """Logged-in readers get ``status``; strangers are asked to log in."""
    return lambda persona, variant: "login" if persona == "anonymous" else status


def guests_only(persona: str, variant: str) -> Expect:
    """Signing up or in: a logged-in reader is sent home."""
    return 200 if persona == "anonymous" else 302


def readable(ok: int = 200, *, login_first: bool = False) -> Rule:
    """Pages of a work (or chapter, or comment) as its visibility decides.

    ``login_first``: the view wants an account before it looks at the work.
    """

    def rule(persona: str, variant: str) -> Expect:
        if login_first and persona == "anonymous":
            return "login"
        if variant in ("draft", "draft_chapter"):
            return ok if persona == "author" else 404
        if variant == "hidden":
            return ok if persona in ("author", "staff") else 404
        if variant == "restricted" and persona == "anonymous":
            return "login"
        return ok

    return rule


def owner_only(ok: int = 200) -> Rule:
    """The author's own pages: strangers log in, everyone else is told it is not there."""

    def rule(persona: str, variant: str) -> Expect:
        if persona == "anonymous":
            return "login"
        return ok if persona == "author" else 404

    return rule


def wranglers(persona: str, variant: str) -> Expect:
    if persona == "anonymous":
        return "login"
    return 200 if persona in ("wrangler", "staff") else 403


def tag_page(persona: str, variant: str) -> Expect:
    """A tag exists for whoever may see a work that carries it, and for admins; for the
    rest it is a name never typed (404, never a login page that would confirm it)."""
    if persona in ("author", "staff") or variant == "public":
        return 200
    return 200 if variant == "restricted" and persona != "anonymous" else 404


def public_only(persona: str, variant: str) -> Expect:
    """Feeds are read by programs without an account: public works only, else no such feed."""
    return 200 if variant == "public" else 404


def comment_writer(*also: str) -> Rule:
    """A comment's own pages (edit, delete): its writer (the reader) and ``also``."""

    def rule(persona: str, variant: str) -> Expect:
        if persona == "anonymous":
            return "login"
        return 200 if persona in ("reader", *also) else 403

    return rule


def moderators(persona: str, variant: str) -> Expect:
    if persona == "anonymous":
        return "login"
    return 200 if persona == "staff" else 403


def moderators_of_what_readers_meet(persona: str, variant: str) -> Expect:
    """A work's moderation page: staff's, for any work but an author's draft."""
    expected = moderators(persona, variant)
    return 404 if expected == 200 and variant == "draft" else expected


def admin(persona: str, variant: str) -> Expect:
    if persona != "staff":
        return "admin_login"
    return 302 if variant in ("admin_missing", "admin_redirect") else 200


POST_ONLY = 405


def post_only_members(persona: str, variant: str) -> Expect:
    return "login" if persona == "anonymous" else POST_ONLY


RULES: dict[str, Rule] = {
    # search
    "search:home": everyone(),
    "search:works": everyone(),
    "search:works_feed": everyone(),
    "search:tag": tag_page,
    "search:tag_feed": tag_page,
    "search:bookmarks": everyone(),
    # works
    "works:new": members(),
    "works:import": members(),
    "works:import_preview": owner_only(),
    "works:import_cancel": post_only_members,
    "works:work": readable(),
    "works:full": readable(),
    "works:work_feed": public_only,
    "works:navigate": readable(),
    # The same pixel whatever the work and whoever asks: it counts a hit only
    # where the page would have, and tells nobody whether a work exists.
    "works:hit": everyone(),
    "works:download": readable(),
    "works:edit": owner_only(),
    "works:delete": owner_only(),
    "works:post": post_only_members,
    "works:hide": post_only_members,
    "works:chapter_new": owner_only(),
    "works:chapter_order": owner_only(),
    "works:chapter": readable(),
    "works:chapter_edit": owner_only(),
    "works:chapter_delete": owner_only(),
    "works:series": everyone(),
    "works:series_edit": owner_only(),
    "works:series_delete": owner_only(),
    "works:toggle_notes": everyone(POST_ONLY),
    "works:author": everyone(),
    "works:author_feed": everyone(),
    # inbox
    "inbox:inbox": members(),
    # reading
    "reading:kudos": everyone(POST_ONLY),
    "reading:subscribe_work": post_only_members,
    "reading:subscribe_series": post_only_members,
    "reading:subscribe_author": post_only_members,
    "reading:subscriptions": members(),
    "reading:mark_for_later": post_only_members,
    "reading:history": members(),
    "reading:clear_history": post_only_members,
    "reading:clear_later": post_only_members,
    "reading:pause_history": post_only_members,
    "reading:forget_work": post_only_members,
    "reading:bookmark_work": readable(login_first=True),
    "reading:delete_work_bookmark": everyone(POST_ONLY),
    "reading:work_bookmarks": readable(),
    "reading:bookmark_series": members(),
    "reading:delete_series_bookmark": everyone(POST_ONLY),
    # comments
    "comments:post": everyone(POST_ONLY),
    "comments:thread": readable(),
    "comments:reply": readable(),
    "comments:edit": comment_writer(),
    "comments:delete": comment_writer("author", "staff"),  # the work's author, an admin
    "comments:freeze": everyone(POST_ONLY),
    "comments:approve": everyone(POST_ONLY),
    "comments:reject": everyone(POST_ONLY),
    # insights
    "insights:characters": readable(),
    "insights:colour_dialogue": everyone(POST_ONLY),
    "suggestions:add": post_only_members,
    # people
    "people:signup": guests_only,
    "people:login": guests_only,
    "people:logout": everyone(POST_ONLY),
    "people:password_change": members(),
    "people:password_changed": members(),
    "people:password_reset": everyone(),
    "people:password_reset_sent": everyone(),
    "people:password_reset_confirm": everyone(),
    "people:password_reset_done": everyone(),
    "people:settings": members(),
    "people:profile_edit": members(),
    "people:email_change": members(),
    "people:email_confirm": everyone(400),  # a link that is not one
    "people:theme": everyone(POST_ONLY),
    "people:reading": everyone(POST_ONLY),
    "people:profile": everyone(),
    "people:mute": post_only_members,
    "people:block": post_only_members,
    "people:hidden": members(),
    "people:hide_tag": post_only_members,
    "people:queue_join": everyone(404),  # registration is open: there is no queue
    "people:queue_place": everyone(404),
    "people:login_code": everyone("login"),  # no password given first: back to it
    "people:claim_request": everyone(),
    "people:claim": everyone(400),  # a link that is not one: the page says so
    "people:two_factor": members(),
    "people:two_factor_start": post_only_members,
    "people:two_factor_confirm": post_only_members,
    "people:two_factor_codes": post_only_members,
    "people:two_factor_disable": post_only_members,
    "people:sessions": members(),
    "people:session_sign_out": post_only_members,
    "people:sessions_sign_out_others": post_only_members,
    # personal data
    "personal_data:your_data": members(),
    "personal_data:request_export": post_only_members,
    "personal_data:download": owner_only(),
    "personal_data:delete_account": members(),
    # moderation
    "moderation:report_work": readable(),
    "moderation:report_comment": readable(),
    "moderation:report_person": everyone(),
    "moderation:queue": moderators,
    "moderation:log": moderators,
    "moderation:work": moderators_of_what_readers_meet,
    "moderation:comment": moderators,
    "moderation:person": moderators,
    # tags
    "tags:fandoms": everyone(),
    "tags:fandoms_of_media": everyone(),
    "tags:wrangle": wranglers,
    "tags:suggest": members(),
}


def admin_login_page(persona: str, variant: str) -> Expect:
    """The admin's login page leads to the site's (password, then a code if set up)."""
    return "login" if persona == "anonymous" else 302


def staff_status(status: int) -> Rule:
    return lambda persona, variant: status if persona == "staff" else "admin_login"


# Records nobody adds or deletes by hand: sign-in logs, invitations (sent from the
# queue), reports, suspensions and the audit log (made by the moderation pages).
READ_ONLY_IN_ADMIN = [
    f"admin:{model}_{action}"
    for model in ["axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"]
    for action in ["add"]
] + [
    "admin:people_invitation_add",
    *(
        f"admin:moderation_{model}_{action}"
        for model in ["auditentry", "report", "suspension"]
        for action in ["add", "delete"]
    ),
]

ADMIN_RULES: dict[str, Rule] = {
    **{name: staff_status(403) for name in READ_ONLY_IN_ADMIN},
    "admin:login": admin_login_page,
    "admin:logout": lambda persona, variant: POST_ONLY if persona == "staff" else 302,
    "admin:autocomplete": staff_status(403),  # asked without the field it completes
    "admin:view_on_site": staff_status(302),
    # Task results are written by workers: the admin offers no adding.
    "admin:django_tasks_database_dbtaskresult_add": staff_status(403),
    "admin:django_tasks_database_dbtaskresult_delete": staff_status(403),
    "admin/(?P<url>.*)$": staff_status(404),
}


def rule_for(name: str) -> Rule | None:
    if name in ADMIN_RULES:
        return ADMIN_RULES[name]
    if name.startswith(("admin:", "admin/")):
        return admin
    return RULES.get(name)


# Checking -----------------------------------------------------------------------


def what_came(response: Any) -> Expect:
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("admin:login")):
            return "admin_login"
        if location.startswith(reverse("people:login")):
            return "login"
    return int(response.status_code)


def body_of(response: Any) -> str:
    """The answer's text: a page, a feed, a download, every file of an EPUB."""
    if getattr(response, "streaming", False):
        # Read to its end, the test client closes it; closing it again would send
        # request_finished, whose handler closes PostgreSQL's connection mid-test.
        data = b"".join(response.streaming_content)
    else:
        data = response.content
    if data.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(data)) as epub:
            return "\n".join(epub.read(n).decode("utf-8", "replace") for n in epub.namelist())
    return data.decode("utf-8", "replace")


def markers_shown(text: str, url: str) -> set[str]:
    """The private markers on the page, less the page's own address (a 404 repeats it)."""
    for form in {url, quote(url), html.escape(url), html.escape(quote(url))}:
        text = text.replace(form, "")
    return {marker for marker in (DRAFT, DRAFT_CHAPTER, HIDDEN, RESTRICTED) if marker in text}


@dataclass
class Figures:
    patterns: int = 0
    urls: int = 0
    answers: int = 0
    forged: int = 0
    refused: int = 0


def test_every_url_answers_each_persona_as_its_rule_says_and_leaks_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    archive = build_archive()
    personas = clients(archive)
    figures = Figures()
    unruled: list[str] = []
    wrong: list[str] = []
    leaks: list[str] = []
    for pattern in patterns():
        rule = rule_for(pattern.name)
        if rule is None:
            unruled.append(pattern.name)
            continue
        figures.patterns += 1
        for variant, kwargs in variants(pattern, archive):
            url = url_of(pattern, kwargs)
            figures.urls += 1
            for persona, client in personas.items():
                response = client.get(url)
                figures.answers += 1
                came, expected = what_came(response), rule(persona, variant)
                if came != expected:
                    wrong.append(
                        f"{persona} GET {url} ({pattern.name}, {variant}):"
                        f" {came}, expected {expected}"
                    )
                for marker in markers_shown(body_of(response), url):
                    if not may_see(persona, marker, pattern.name):
                        leaks.append(f"{persona} GET {url} ({pattern.name}): shows {marker}")
    summary = (
        f"{figures.patterns} URL patterns, {figures.urls} URLs x {len(PERSONAS)} personas ="
        f" {figures.answers} answers checked and scanned for private markers"
    )
    with capsys.disabled():
        print(f"\npermission matrix: {summary}")
    assert not unruled, f"URL patterns without a rule in RULES: {unruled}"
    failures = wrong + leaks
    assert not failures, f"{summary}; {len(wrong)} wrong, {len(leaks)} leaks:\n" + "\n".join(
        failures
    )


# POSTs ------------------------------------------------------------------------------

REFUSALS = {403, 404, 405, "login", "admin_login"}


def staff_only(persona: str, variant: str) -> Expect:
    if persona == "anonymous":
        return "login"
    return 200 if persona == "staff" else 403


def work_author(persona: str, variant: str) -> Expect:
    """What only the work's author does to its comments (freeze, approve, reject)."""
    if persona == "anonymous":
        return "login"
    return 200 if persona == "author" else 403


# Who may POST to the views that only take POSTs (their GET rule says 405 for all);
# every other view's POST is refused to whoever its GET rule refuses.
POST_RULES: dict[str, Rule] = {
    "works:post": owner_only(),
    "works:hide": staff_only,
    # Anyone else's cancel is a quiet no-op (their own waiting imports are none):
    # the upload surviving is checked below.
    "works:import_cancel": everyone(),
    "works:toggle_notes": everyone(),
    "reading:kudos": readable(),
    "reading:subscribe_work": readable(login_first=True),
    "reading:subscribe_series": members(),
    "reading:subscribe_author": members(),
    "reading:mark_for_later": readable(login_first=True),
    "reading:clear_history": members(),
    "reading:clear_later": members(),
    "reading:pause_history": members(),
    "reading:forget_work": members(),
    "reading:delete_work_bookmark": members(),
    "reading:delete_series_bookmark": members(),
    "comments:post": readable(),
    "comments:freeze": work_author,
    "comments:approve": work_author,
    "comments:reject": work_author,
    "insights:colour_dialogue": everyone(),
    "suggestions:add": owner_only(),
    "people:logout": everyone(),
    "admin:logout": everyone(),
    "people:theme": everyone(),
    "people:reading": everyone(),
    "people:mute": members(),
    "people:block": members(),
    "people:two_factor_start": members(),
    "people:two_factor_codes": members(),
    "people:session_sign_out": members(),  # only one's own: someone else's is not found
    "people:sessions_sign_out_others": members(),
    "personal_data:request_export": members(),
    "people:two_factor_confirm": members(),
    "people:two_factor_disable": members(),
    "people:hide_tag": lambda persona, variant: (
        "login" if persona == "anonymous" else tag_page(persona, variant)
    ),
}


def post_rule_for(name: str) -> Rule:
    rule = POST_RULES.get(name) or rule_for(name)
    assert rule is not None, f"{name}: no rule"
    return rule


def test_every_forged_post_is_refused_and_so_is_every_post_without_the_right(
    capsys: pytest.CaptureFixture[str],
) -> None:
    archive = build_archive()
    forgers = clients(archive, enforce_csrf=True)
    personas = clients(archive)
    figures = Figures()
    accepted: list[str] = []
    for pattern in patterns():
        figures.patterns += 1
        rule = post_rule_for(pattern.name)
        for variant, kwargs in variants(pattern, archive):
            url = url_of(pattern, kwargs)
            figures.urls += 1
            # The token is checked before any view runs: one address of each pattern does.
            forging = () if kwargs != variants(pattern, archive)[0][1] else ("anonymous", "author")
            if pattern.name.startswith(("admin:", "admin/")):
                forging = ("staff",) if forging else ()
            for persona in forging:
                figures.forged += 1
                response = forgers[persona].post(url, {"body": "forged", "hidden": "1"})
                if response.status_code != 403:
                    accepted.append(f"forged POST {url} as {persona}: {response.status_code}")
            for persona, client in personas.items():
                # A suspended account writes nothing but what it needs to leave.
                suspended = persona == "suspended" and not allowed_while_suspended(url)
                refused = rule(persona, variant) in REFUSALS or suspended
                if not refused or pattern.name == "works:import_cancel":
                    continue
                figures.refused += 1
                came = what_came(client.post(url, {"body": "no right", "hidden": "1"}))
                if came not in REFUSALS:
                    accepted.append(f"{persona} POST {url} ({pattern.name}, {variant}): {came}")
            if pattern.name == "works:import_cancel":
                for persona in PERSONAS:
                    if persona != "author":
                        figures.refused += 1
                        personas[persona].post(url)
                if not PendingUpload.objects.filter(token=archive.upload_token).exists():
                    accepted.append(f"POST {url}: someone else cancelled the author's import")
    summary = (
        f"{figures.forged} forged POSTs (no CSRF token) to the {figures.patterns} URL patterns,"
        f" {figures.refused} POSTs to {figures.urls} URLs by personas without the right"
    )
    with capsys.disabled():
        print(f"\npermission matrix: {summary}")
    assert not accepted, f"{summary}; {len(accepted)} accepted:\n" + "\n".join(accepted)
