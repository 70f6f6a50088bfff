"""The pages for works, chapters and series, and who may see and do what on them.

``fanfold.archive.works.views`` promises: an author posts, edits, reorders
and deletes works, chapters and series through forms that, when refused,
say why next to the field and keep what was typed; readers read a work
chapter by chapter or whole, and may hide authors' notes; listings cost
the same number of queries however many works they show. And the access
rules of the selectors hold on every page: a draft is not found for anyone
but its author, a hidden work for anyone but its author and admins, a
restricted work sends strangers to log in, and only a work's author may
change it (only an admin may hide it).

The access rules are tables, view by view, for the author, a reader, a
stranger and an admin. Each row reads as a sentence: on <view> of a
<kind> work, <persona> gets <outcome>.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fanfold.archive.comments import services as comments
from fanfold.archive.people.models import User
from fanfold.archive.reading import services as reading
from fanfold.archive.reading.services import BookmarkFields
from fanfold.archive.tags.models import TagType
from fanfold.archive.works import services, uploads
from fanfold.archive.works.models import CHAPTER_BODY_MAX, NOTES_MAX, CommentPermission, Work
from fanfold.formats.model import ParsedChapter, ParsedWork
from tests.archive.conftest import PERSONAS, listing_queries
from tests.archive.factories import UserFactory, make_work


def work_form_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "title": "The Long Walk to Longbourn",
        "rating": "teen",
        "warnings": ["No Archive Warnings Apply"],
        "categories": ["F/M"],
        "fandoms": "Pride and Prejudice - Jane Austen",
        "relationships": "Elizabeth Bennet/Fitzwilliam Darcy",
        "characters": "Elizabeth Bennet, Fitzwilliam Darcy",
        "freeforms": "Slow Burn, Letters",
        "summary": "A walk, a letter, a second chance.",
        "notes": "Thank you to my beta!",
        "end_notes": "More soon.",
        "language": "en",
        "expected_chapters": "",
        "chapter-title": "The Lane",
        "chapter-body": 'Elizabeth walked on.\n\n"You are early," said Mr. Darcy.',
        "action": "post",
    }
    data.update(overrides)
    return data


def test_an_author_posts_a_work_and_readers_see_it(as_author: Client, as_stranger: Client) -> None:
    response = as_author.post(reverse("works:new"), work_form_data())
    work = Work.objects.get()
    assert response.status_code == 302
    assert response["Location"] == work.get_absolute_url()
    assert not work.is_draft
    assert {t.name for t in work.tags.filter(type=TagType.CHARACTER)} == {
        "Elizabeth Bennet",
        "Fitzwilliam Darcy",
    }
    page = as_stranger.get(work.get_absolute_url()).content.decode()
    assert "The Long Walk to Longbourn" in page
    assert "You are early" in page
    assert "Thank you to my beta!" in page
    assert "Elizabeth Bennet/Fitzwilliam Darcy" in page


def test_saving_as_draft_keeps_the_work_private(as_author: Client, as_reader: Client) -> None:
    as_author.post(reverse("works:new"), work_form_data(action="draft"))
    work = Work.objects.get()
    assert work.is_draft
    assert as_reader.get(work.get_absolute_url()).status_code == 404
    assert "only you can see it" in as_author.get(work.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "This field is required."),
        ("chapter-body", "short", "at least 10 characters"),
        ("freeforms", ", ".join(f"tag {n}" for n in range(80)), "at most 75"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_keeps_what_was_typed(
    as_author: Client, field: str, value: Any, message: str
) -> None:
    """Each form's own messages are tested in test_forms; here, the page that shows them."""
    data = work_form_data(**{field: value})
    response = as_author.post(reverse("works:new"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert not Work.objects.exists()
    # Everything else the author typed is still in the form.
    kept = {"title": "The Long Walk to Longbourn", "chapter-body": "Elizabeth walked on."}
    for name, typed in kept.items():
        if name != field:
            assert typed in page
    if field == "chapter-body" and len(value) < 100:
        assert f">\n{value}</textarea>" in page


def test_a_chapter_of_only_script_is_refused_next_to_the_field(as_author: Client) -> None:
    response = as_author.post(
        reverse("works:new"), work_form_data(**{"chapter-body": "<script>alert('hi')</script>"})
    )
    assert "no text once its HTML is cleaned" in response.content.decode()
    assert not Work.objects.exists()


def test_an_oversized_request_is_refused_with_a_page_saying_why(as_author: Client) -> None:
    response = as_author.post(
        reverse("works:new"), work_form_data(**{"chapter-body": "x" * (9 * 1024 * 1024)})
    )
    assert response.status_code == 400
    assert "larger than the 8 MB a form may hold" in response.content.decode()
    assert not Work.objects.exists()


def test_a_chapter_at_the_limit_in_any_script_fits_in_a_browsers_form(as_author: Client) -> None:
    """A browser sends the form URL-encoded: each CJK character is nine bytes there."""
    body = "雨" * CHAPTER_BODY_MAX
    response = as_author.post(
        reverse("works:new"),
        urlencode(work_form_data(**{"chapter-body": body}), doseq=True),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 302
    assert Work.objects.get().chapters.get().body == f"<p>{body}</p>"


def test_a_form_post_without_csrf_token_is_refused(author: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)
    assert client.post(reverse("works:new"), work_form_data()).status_code == 403


def test_reading_chapter_by_chapter(as_stranger: Client, author: User) -> None:
    work = make_work(owner=author, chapters=3)
    first, second, third = work.chapters.order_by("position")
    page = as_stranger.get(work.get_absolute_url()).content.decode()
    assert "Elizabeth walked out before breakfast." in page
    assert "Chapter 2 begins here" not in page
    assert second.get_absolute_url() in page  # next chapter
    page = as_stranger.get(second.get_absolute_url()).content.decode()
    assert "Chapter 2 begins here" in page
    assert first.get_absolute_url() in page
    assert third.get_absolute_url() in page
    full = as_stranger.get(reverse("works:full", args=[work.pk])).content.decode()
    assert "Elizabeth walked out" in full
    assert "Chapter 3 begins here" in full


def test_a_chapter_of_another_work_is_not_found(as_stranger: Client, author: User) -> None:
    work = make_work(owner=author)
    other = make_work(owner=author, title="Other")
    url = reverse("works:chapter", args=[work.pk, other.chapters.get().pk])
    assert as_stranger.get(url).status_code == 404


def test_readers_can_hide_and_show_authors_notes(as_stranger: Client, author: User) -> None:
    work = make_work(owner=author, notes="A note from the author.")
    url = work.get_absolute_url()
    assert "A note from the author." in as_stranger.get(url).content.decode()
    response = as_stranger.post(reverse("works:toggle_notes"), {"hide": "1", "next": url})
    assert response["Location"] == url
    assert "A note from the author." not in as_stranger.get(url).content.decode()
    as_stranger.post(reverse("works:toggle_notes"), {"hide": "0", "next": url})
    assert "A note from the author." in as_stranger.get(url).content.decode()


def test_the_notes_toggle_never_redirects_off_site(as_stranger: Client) -> None:
    response = as_stranger.post(
        reverse("works:toggle_notes"), {"hide": "1", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_the_author_edits_a_work_and_the_form_starts_filled_in(
    as_author: Client, author: User
) -> None:
    work = make_work(owner=author, summary="Old summary.")
    form_page = as_author.get(reverse("works:edit", args=[work.pk])).content.decode()
    assert "Old summary." in form_page
    assert "Pride and Prejudice - Jane Austen" in form_page
    response = as_author.post(
        reverse("works:edit", args=[work.pk]), work_form_data(title="A Better Title")
    )
    assert response.status_code == 302
    work.refresh_from_db()
    assert work.title == "A Better Title"


def test_the_author_adds_edits_and_reorders_chapters(as_author: Client, author: User) -> None:
    work = make_work(owner=author)
    as_author.post(
        reverse("works:chapter_new", args=[work.pk]),
        {"title": "Second", "body": "The second chapter's text.", "action": "post"},
    )
    first, second = work.chapters.order_by("position")
    as_author.post(
        reverse("works:chapter_edit", args=[work.pk, second.pk]),
        {"title": "Second, revised", "body": "The revised text of it.", "action": "post"},
    )
    second.refresh_from_db()
    assert second.title == "Second, revised"
    response = as_author.post(
        reverse("works:chapter_order", args=[work.pk]),
        {f"position_{first.pk}": "2", f"position_{second.pk}": "1"},
    )
    assert response.status_code == 302
    assert list(work.chapters.order_by("position")) == [second, first]


def test_deleting_the_only_chapter_explains_why_not(as_author: Client, author: User) -> None:
    work = make_work(owner=author)
    chapter = work.chapters.get()
    response = as_author.post(reverse("works:chapter_delete", args=[work.pk, chapter.pk]))
    assert "delete the work instead" in response.content.decode()
    assert work.chapters.exists()


def test_a_reader_sees_the_work_s_place_in_its_series(as_author: Client, as_reader: Client) -> None:
    as_author.post(
        reverse("works:new"), work_form_data(title="First", new_series_title="Longbourn")
    )
    first = Work.objects.get(title="First")
    series = first.series.get()
    as_author.post(reverse("works:new"), work_form_data(title="Second", series=series.pk))
    second = Work.objects.get(title="Second")
    page = as_reader.get(second.get_absolute_url()).content.decode()
    assert "Part 2 of" in page
    assert "Longbourn" in page
    assert first.get_absolute_url() in page


# Query counts: the author page and a series cost the same number of queries for
# 2 works as for 12 (the search app's listings: tests/archive/search/test_views.py).

LISTINGS = {
    "works:author": lambda user: [user.username],
    "works:series": lambda user: [user.series.get().pk],
}


@pytest.mark.parametrize("url_name", list(LISTINGS))
def test_listings_do_not_query_per_work(as_reader: Client, author: User, url_name: str) -> None:
    with_two, with_twelve = listing_queries(
        as_reader, author, lambda user: reverse(url_name, args=LISTINGS[url_name](user))
    )
    assert with_twelve == with_two


# A logged-in reader's chapter page ---------------------------------------------

# Session, account, the work's row, the inbox count, the reader's standing
# (subscribed, marked, bookmark: one query), comments (a short first page needs
# no COUNT; a block): the rest of the page is the shell kept for every plain
# reader (pagecache, page_holes). It was 17 before issue 16, then 10.
WARM_CHAPTER_QUERIES = 7


def test_a_readers_warm_chapter_page_folds_its_queries_and_shows_only_their_own_state(
    author: User, reader: User, as_reader: Client
) -> None:
    work = make_work(owner=author, chapters=2, comment_permission=CommentPermission.EVERYONE)
    other = UserFactory(username="another")
    reading.leave_kudos(work=work, user=other)
    reading.subscribe(user=other, target=work)
    reading.mark_for_later(user=other, work=work)
    reading.save_bookmark(user=other, work=work, fields=BookmarkFields(notes="Mine."))
    comments.post_comment(work=work, body="Lovely.", user=other)
    url = reverse("works:chapter", args=[work.pk, work.chapters.order_by("position")[1].pk])
    as_other = Client()
    as_other.force_login(other)
    theirs = as_other.get(url).content.decode()  # renders, keeps the per-version parts
    as_reader.get(url)
    with CaptureQueriesContext(connection) as warm:
        mine = as_reader.get(url).content.decode()
    assert len(warm.captured_queries) <= WARM_CHAPTER_QUERIES
    assert ">another</a>" in mine  # who left kudos, from the cache
    for own, not_yet in [
        ("<summary>Edit bookmark</summary>", "<summary>Bookmark</summary>"),
        ("Unsubscribe<", "Subscribe<"),
        ("Unmark for later<", "Mark for later<"),
    ]:
        assert own in theirs
        assert not_yet not in theirs
        assert not_yet in mine
        assert own not in mine


# Who may see and do what ------------------------------------------------------

OK, NOT_FOUND, LOGIN, FORBIDDEN, REDIRECT = 200, 404, "login", 403, 302


def _work_of_kind(kind: str, author: User, admin: User) -> Work:
    work = make_work(
        owner=author, chapters=2, post=kind != "draft", restricted=kind == "restricted"
    )
    if kind == "hidden":
        services.set_work_hidden(work=work, by=admin, hidden=True)
    return work


def _assert_outcome(response: object, expected: object) -> None:
    status = getattr(response, "status_code", None)
    if expected == LOGIN:
        assert status == 302
        assert reverse("people:login") in response["Location"]  # type: ignore[index]
    else:
        assert status == expected


READING_VIEWS = ["works:work", "works:full", "works:navigate", "works:chapter", "works:download"]
READING_RULES = {
    #             author     reader     stranger   admin
    "posted": [OK, OK, OK, OK],
    "draft": [OK, NOT_FOUND, NOT_FOUND, NOT_FOUND],
    "restricted": [OK, OK, LOGIN, OK],
    "hidden": [OK, NOT_FOUND, NOT_FOUND, OK],
}


@pytest.mark.parametrize("view", READING_VIEWS)
@pytest.mark.parametrize("kind", list(READING_RULES))
@pytest.mark.parametrize("persona_index", range(4), ids=PERSONAS)
def test_reading_a_work(
    request: pytest.FixtureRequest,
    author: User,
    admin: User,
    view: str,
    kind: str,
    persona_index: int,
) -> None:
    work = _work_of_kind(kind, author, admin)
    client: Client = request.getfixturevalue(PERSONAS[persona_index])
    args: list[object] = [work.pk]
    if view == "works:chapter":
        args.append(work.chapters.last().pk)  # type: ignore[union-attr]
    elif view == "works:download":
        args.append("epub")
    response = client.get(reverse(view, args=args))
    response.close()  # a download streams its file: the test client leaves closing to us
    _assert_outcome(response, READING_RULES[kind][persona_index])


EDITING_VIEWS = [
    "works:edit",
    "works:delete",
    "works:chapter_new",
    "works:chapter_order",
    "works:chapter_edit",
    "works:chapter_delete",
]
#              author reader     stranger admin
EDITING_RULE = [OK, NOT_FOUND, LOGIN, NOT_FOUND]


@pytest.mark.parametrize("view", EDITING_VIEWS)
@pytest.mark.parametrize("persona_index", range(4), ids=PERSONAS)
def test_editing_a_work_is_for_its_author_only(
    request: pytest.FixtureRequest, author: User, view: str, persona_index: int
) -> None:
    work = make_work(owner=author, chapters=2)
    client: Client = request.getfixturevalue(PERSONAS[persona_index])
    args = (
        [work.pk]
        if "chapter_" not in view or view.endswith(("new", "order"))
        else [
            work.pk,
            work.chapters.first().pk,  # type: ignore[union-attr]
        ]
    )
    _assert_outcome(client.get(reverse(view, args=args)), EDITING_RULE[persona_index])


@pytest.mark.parametrize(
    ("persona_index", "expected"), [(0, REDIRECT), (1, NOT_FOUND), (2, LOGIN), (3, NOT_FOUND)]
)
def test_only_the_author_posts_a_draft(
    request: pytest.FixtureRequest, author: User, persona_index: int, expected: object
) -> None:
    work = make_work(owner=author, post=False)
    client: Client = request.getfixturevalue(PERSONAS[persona_index])
    _assert_outcome(client.post(reverse("works:post", args=[work.pk])), expected)
    work.refresh_from_db()
    assert work.is_draft is (expected != REDIRECT)


@pytest.mark.parametrize(
    ("persona_index", "expected"), [(0, FORBIDDEN), (1, FORBIDDEN), (2, LOGIN), (3, REDIRECT)]
)
def test_only_an_admin_hides_a_work(
    request: pytest.FixtureRequest, author: User, persona_index: int, expected: object
) -> None:
    work = make_work(owner=author)
    client: Client = request.getfixturevalue(PERSONAS[persona_index])
    _assert_outcome(client.post(reverse("works:hide", args=[work.pk]), {"hidden": "1"}), expected)
    work.refresh_from_db()
    assert work.is_hidden is (expected == REDIRECT)


@pytest.mark.parametrize(
    ("persona_index", "expected"), [(0, REDIRECT), (1, NOT_FOUND), (2, LOGIN), (3, NOT_FOUND)]
)
def test_only_the_author_deletes_a_work(
    request: pytest.FixtureRequest, author: User, persona_index: int, expected: object
) -> None:
    work = make_work(owner=author)
    client: Client = request.getfixturevalue(PERSONAS[persona_index])
    _assert_outcome(client.post(reverse("works:delete", args=[work.pk])), expected)
    assert Work.objects.filter(pk=work.pk).exists() is (expected != REDIRECT)


SERIES_VIEWS = {
    "works:series": [OK, OK, OK, OK],
    "works:series_edit": EDITING_RULE,
    "works:series_delete": EDITING_RULE,
}


@pytest.mark.parametrize("view", list(SERIES_VIEWS))
@pytest.mark.parametrize("persona_index", range(4), ids=PERSONAS)
def test_series_pages(
    request: pytest.FixtureRequest, author: User, view: str, persona_index: int
) -> None:
    series = services.create_series(owner=author, title="Letters from Netherfield")
    work = make_work(owner=author)
    services.update_work(work=work, by=author, fields=_same_fields(work), series=series)
    client: Client = request.getfixturevalue(PERSONAS[persona_index])
    _assert_outcome(client.get(reverse(view, args=[series.pk])), SERIES_VIEWS[view][persona_index])


def test_a_series_of_drafts_is_not_found_by_a_stranger(as_stranger: Client, author: User) -> None:
    series = services.create_series(owner=author, title="Unfinished")
    work = make_work(owner=author, post=False)
    services.update_work(work=work, by=author, fields=_same_fields(work), series=series)
    assert as_stranger.get(reverse("works:series", args=[series.pk])).status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_author_page_is_open_for_everyone(
    request: pytest.FixtureRequest, persona: str, author: User
) -> None:
    # The search app's listings have the same test in tests/archive/search/test_views.py.
    make_work(owner=author, title="Visible to all")
    client: Client = request.getfixturevalue(persona)
    page = client.get(reverse("works:author", args=["author"]))
    assert page.status_code == 200
    assert "Visible to all" in page.content.decode()


def test_the_author_page_shows_drafts_to_the_author_only(
    as_author: Client, as_reader: Client, author: User
) -> None:
    make_work(owner=author, title="Posted Piece")
    make_work(owner=author, title="Secret Draft", post=False)
    url = reverse("works:author", args=[author.username])
    assert "Secret Draft" in as_author.get(url).content.decode()
    page = as_reader.get(url).content.decode()
    assert "Posted Piece" in page
    assert "Secret Draft" not in page


def test_an_unknown_author_is_not_found(as_stranger: Client, db: None) -> None:
    assert as_stranger.get(reverse("works:author", args=["nobody"])).status_code == 404


def _same_fields(work: Work) -> services.WorkFields:
    return services.WorkFields(title=work.title, rating=work.rating)


def _waiting_upload(owner: User) -> str:
    parsed = ParsedWork(title="Fog", chapters=(ParsedChapter(body="<p>The fog came in.</p>"),))
    return reverse(
        "works:import_preview", args=[uploads.store_upload(owner_id=owner.pk, parsed=parsed)]
    )


def test_importing_needs_an_account(as_stranger: Client) -> None:
    response = as_stranger.get(reverse("works:import"))
    assert response.status_code == 302
    assert reverse("people:login") in response["Location"]


def test_another_authors_upload_is_not_found(
    as_author: Client, as_reader: Client, author: User
) -> None:
    preview_url = _waiting_upload(author)
    assert as_reader.get(preview_url).status_code == 404
    assert as_author.get(preview_url).status_code == 200


def test_another_author_cannot_cancel_an_upload(
    as_author: Client, as_reader: Client, author: User
) -> None:
    preview_url = _waiting_upload(author)
    as_reader.post(f"{preview_url}cancel/")
    assert as_author.get(preview_url).status_code == 200
    assert as_author.post(f"{preview_url}cancel/")["Location"] == reverse("works:import")
    assert as_author.get(preview_url).status_code == 404


def test_a_made_up_upload_token_is_not_found(as_author: Client) -> None:
    for token in ["nope", "..", "a%2F..%2Fb"]:
        response = as_author.get(f"/works/import/{token}/")
        assert response.status_code == 404


# The warning before adult content, and notes hidden by default ---------------------

ADULT_WARNING = "This work could have adult content."


@pytest.mark.parametrize(
    ("persona", "warned"),
    [("as_author", False), ("as_reader", True), ("as_stranger", True), ("as_admin", True)],
)
def test_a_mature_work_warns_before_its_text_except_its_author(
    request: pytest.FixtureRequest, author: User, persona: str, warned: bool
) -> None:
    client: Client = request.getfixturevalue(persona)
    work = make_work(owner=author, rating="explicit", chapters=2, body="Secret text.")
    chapter = work.chapters.last()
    assert chapter is not None
    for url in (chapter.get_absolute_url(), reverse("works:full", args=[work.pk])):
        assert (ADULT_WARNING in client.get(url).content.decode()) is warned
    page = client.get(work.get_absolute_url()).content.decode()
    assert (ADULT_WARNING in page) is warned
    assert ("Secret text." in page) is not warned


def test_proceeding_is_remembered_for_the_session_and_downloads_are_never_gated(
    as_stranger: Client, author: User
) -> None:
    work = make_work(owner=author, rating="mature", body="Secret text.")
    warning = as_stranger.get(work.get_absolute_url()).content.decode()
    assert f'href="{work.get_absolute_url()}?view_adult=true">Proceed</a>' in warning
    assert "Back</a>" in warning
    assert (
        "Secret text."
        in as_stranger.get(work.get_absolute_url(), {"view_adult": "true"}).content.decode()
    )
    other = make_work(owner=author, rating="explicit", title="Another", body="Also secret.")
    assert "Also secret." in as_stranger.get(other.get_absolute_url()).content.decode()
    download = Client().get(reverse("works:download", args=[work.pk, "txt"]))
    assert download.status_code == 200
    download.close()  # a download streams its file: the test client leaves closing to us


def test_an_account_that_turned_the_warning_off_reads_straight_away(
    as_reader: Client, reader: User, author: User
) -> None:
    work = make_work(owner=author, rating="explicit", body="Secret text.")
    reader.warn_before_mature = False
    reader.save()
    assert "Secret text." in as_reader.get(work.get_absolute_url()).content.decode()
    general = make_work(owner=author, title="Calm", body="Calm text.")
    assert "Calm text." in Client().get(general.get_absolute_url()).content.decode()


def test_notes_start_hidden_for_an_account_that_chose_so_until_the_button_shows_them(
    as_reader: Client, reader: User, author: User
) -> None:
    work = make_work(owner=author, notes="A note from the author.")
    assert "A note from the author." in as_reader.get(work.get_absolute_url()).content.decode()
    reader.hide_notes_by_default = True
    reader.save()
    page = as_reader.get(work.get_absolute_url()).content.decode()
    assert "A note from the author." not in page
    as_reader.post(reverse("works:toggle_notes"), {"hide": "0", "next": "/"})
    assert "A note from the author." in as_reader.get(work.get_absolute_url()).content.decode()


def test_the_author_chooses_who_may_comment_and_whether_comments_wait(
    as_author: Client, author: User
) -> None:
    work = make_work(owner=author)
    form = as_author.get(reverse("works:edit", args=[work.pk])).content.decode()
    assert "Who may comment" in form
    assert "Hold new comments until I approve them" in form
    data = work_form_data(comment_permission="everyone", comments_moderated="on")
    as_author.post(reverse("works:edit", args=[work.pk]), data)
    work.refresh_from_db()
    assert (work.comment_permission, work.comments_moderated) == ("everyone", True)
    as_author.post(reverse("works:edit", args=[work.pk]), work_form_data())
    work.refresh_from_db()
    assert (work.comment_permission, work.comments_moderated) == ("accounts", False)


# Notes pasted into the chapter text ------------------------------------------

PASTED_STORY = (
    "The orchard gate was open, and Perpetua walked straight through it.\n\n"
    '"Nobody locks it any more," said her brother.\n\n'
    "She counted the rows of trees until she reached the old well."
)
PASTED_TOP = (
    "A/N: Thank you for every comment on the first part!\n\n"
    "Disclaimer: I don't own the orchard; it belongs to my aunt."
)
PASTED_END = "A/N: The next chapter comes on Sunday, please review!"
PASTED = f"{PASTED_TOP}\n\n{PASTED_STORY}\n\n{PASTED_END}"
OFFER_HEADING = "Fanfold found author's notes in your chapter text"


def test_new_work_with_pasted_notes_is_not_saved_but_offers_to_move_them(
    as_author: Client,
) -> None:
    response = as_author.post(reverse("works:new"), work_form_data(**{"chapter-body": PASTED}))
    page = response.content.decode()
    assert response.status_code == 200
    assert not Work.objects.exists()
    assert OFFER_HEADING in page
    assert 'aria-labelledby="notes-offer-heading"' in page
    assert "To the beginning notes" in page
    assert "To the end notes" in page
    assert "it starts with “A/N:”" in page
    assert "Disclaimer: I don&#x27;t own the orchard; it belongs to my aunt." in page
    assert "Move them into the notes fields" in page
    assert "Keep my text as it is" in page
    assert "The Long Walk to Longbourn" in page  # every field keeps what was typed
    assert 'name="pasted-intent" value="post"' in page


def test_moving_puts_a_new_work_s_pasted_notes_in_the_work_s_notes(as_author: Client) -> None:
    data = work_form_data(**{"chapter-body": PASTED, "pasted-decision": "move"})
    del data["action"]  # the offer's button was clicked, not Post: the intent is kept
    data["pasted-intent"] = "draft"
    response = as_author.post(reverse("works:new"), data)
    work = Work.objects.get()
    chapter = work.chapters.get()
    assert response.status_code == 302
    assert work.is_draft
    assert "Thank you to my beta!" in work.notes
    assert "A/N: Thank you for every comment" in work.notes
    assert "it belongs to my aunt" in work.notes
    assert "More soon." in work.end_notes
    assert "comes on Sunday" in work.end_notes
    assert "A/N" not in chapter.body
    assert "Disclaimer" not in chapter.body
    assert "The orchard gate was open" in chapter.body


def test_keeping_saves_a_new_work_s_text_as_typed(as_author: Client) -> None:
    data = work_form_data(**{"chapter-body": PASTED, "pasted-decision": "keep"})
    response = as_author.post(reverse("works:new"), data)
    chapter = Work.objects.get().chapters.get()
    assert response.status_code == 302
    assert "A/N: Thank you for every comment" in chapter.body
    assert "comes on Sunday" in chapter.body


def test_a_new_work_without_notes_in_its_text_saves_at_once(as_author: Client) -> None:
    response = as_author.post(
        reverse("works:new"), work_form_data(**{"chapter-body": PASTED_STORY})
    )
    assert response.status_code == 302
    assert Work.objects.get().chapters.get().body.startswith("<p>The orchard gate")


def test_a_new_chapter_with_pasted_notes_offers_then_moves_them_into_its_notes(
    as_author: Client, author: User
) -> None:
    work = make_work(owner=author)
    url = reverse("works:chapter_new", args=[work.pk])
    data = {"title": "Orchard", "notes": "", "body": PASTED, "action": "post"}
    page = as_author.post(url, data).content.decode()
    assert OFFER_HEADING in page
    assert work.chapters.count() == 1
    response = as_author.post(url, {**data, "pasted-decision": "move", "pasted-intent": "post"})
    chapter = work.chapters.get(title="Orchard")
    assert response.status_code == 302
    assert not chapter.is_draft
    assert "A/N: Thank you for every comment" in chapter.notes
    assert "comes on Sunday" in chapter.end_notes
    assert "A/N" not in chapter.body


def test_keeping_a_new_chapter_s_text_saves_it_as_typed(as_author: Client, author: User) -> None:
    work = make_work(owner=author)
    response = as_author.post(
        reverse("works:chapter_new", args=[work.pk]),
        {"body": PASTED, "action": "post", "pasted-decision": "keep", "pasted-intent": "post"},
    )
    assert response.status_code == 302
    chapter = work.chapters.order_by("position").last()
    assert chapter is not None
    assert "A/N: Thank you for every comment" in chapter.body
    assert chapter.notes == ""


def test_moving_that_would_overflow_the_notes_says_so_and_keeps_the_text(
    as_author: Client, author: User
) -> None:
    work = make_work(owner=author)
    data = {
        "body": PASTED,
        "end_notes": "x" * (NOTES_MAX - 20),
        "pasted-decision": "move",
        "pasted-intent": "post",
    }
    response = as_author.post(reverse("works:chapter_new", args=[work.pk]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert work.chapters.count() == 1
    assert "Moving them would make the end notes" in page
    assert "kept as you typed it" in page
    assert "A/N: Thank you for every comment on the first part!" in page  # still in the text box


def test_editing_an_old_chapter_that_held_its_notes_does_not_ask(
    as_author: Client, author: User
) -> None:
    work = make_work(owner=author, body=PASTED)
    chapter = work.chapters.get()
    url = reverse("works:chapter_edit", args=[work.pk, chapter.pk])
    form = as_author.get(url).context["form"]
    body = form.initial["body"].replace("old well", "old stone well")
    response = as_author.post(url, {"title": "Morning", "body": body, "action": "post"})
    assert response.status_code == 302
    chapter.refresh_from_db()
    assert "old stone well" in chapter.body


def test_editing_a_chapter_to_paste_new_notes_offers_them_until_declined(
    as_author: Client, author: User
) -> None:
    work = make_work(owner=author, body=PASTED_STORY)
    chapter = work.chapters.get()
    url = reverse("works:chapter_edit", args=[work.pk, chapter.pk])
    data = {"title": "Morning", "body": PASTED, "action": "post"}
    response = as_author.post(url, data)
    assert OFFER_HEADING in response.content.decode()
    digest = response.context["notes_offer"].digest
    response = as_author.post(url, {**data, "pasted-declined": digest})
    assert response.status_code == 302  # declined lines are not offered again
    chapter.refresh_from_db()
    assert "A/N: Thank you for every comment" in chapter.body


def test_editing_a_chapter_and_moving_its_new_notes(as_author: Client, author: User) -> None:
    work = make_work(owner=author, body=PASTED_STORY)
    chapter = work.chapters.get()
    response = as_author.post(
        reverse("works:chapter_edit", args=[work.pk, chapter.pk]),
        {"body": PASTED, "end_notes": "Thanks, Jo.", "pasted-decision": "move"},
    )
    assert response.status_code == 302
    chapter.refresh_from_db()
    assert "A/N" not in chapter.body
    assert "Thanks, Jo." in chapter.end_notes
    assert "comes on Sunday" in chapter.end_notes


def test_the_offer_shows_the_author_s_markup_as_text(as_author: Client, author: User) -> None:
    work = make_work(owner=author)
    body = (
        "<p>A/N: thanks for reading &lt;3 <i>loves</i><img src=x onerror=alert(1)></p>"
        f"\n\n{PASTED_STORY}"
    )
    page = as_author.post(
        reverse("works:chapter_new", args=[work.pk]), {"body": body, "action": "post"}
    ).content.decode()
    offer = page[page.index('id="notes-offer"') : page.index("</section>")]
    assert "A/N: thanks for reading &lt;3 loves" in offer
    assert "<i>loves" not in offer
    assert "onerror" not in offer


@pytest.mark.parametrize("persona_index", range(4), ids=PERSONAS)
def test_only_the_author_is_offered_to_move_notes_in_their_work(
    request: pytest.FixtureRequest, author: User, persona_index: int
) -> None:
    work = make_work(owner=author)
    client: Client = request.getfixturevalue(PERSONAS[persona_index])
    response = client.post(
        reverse("works:chapter_new", args=[work.pk]), {"body": PASTED, "action": "post"}
    )
    expected = [OK, NOT_FOUND, LOGIN, NOT_FOUND][persona_index]
    _assert_outcome(response, expected)
    assert (OFFER_HEADING in response.content.decode()) == (expected == OK)
    assert work.chapters.count() == 1


# Issue 14: the writing side --------------------------------------------------


def test_a_draft_shows_its_author_its_real_word_and_chapter_counts(
    as_author: Client, author: User
) -> None:
    work = make_work(owner=author, post=False, chapters=2, body="Four words are here.")
    page = as_author.get(work.get_absolute_url()).content.decode()
    assert "<dt>Words</dt><dd>11</dd>" in page
    assert "<dt>Chapters</dt><dd>2/?</dd>" in page


def test_the_notes_button_shows_only_on_works_with_notes(as_stranger: Client, author: User) -> None:
    without = make_work(owner=author, title="No notes")
    assert "author's notes" not in as_stranger.get(without.get_absolute_url()).content.decode()
    for notes in ({"notes": "Before."}, {"end_notes": "After."}):
        work = make_work(owner=author, **notes)
        assert "Hide author's notes" in as_stranger.get(work.get_absolute_url()).content.decode()


def test_the_notes_button_shows_when_only_a_chapter_has_notes(
    as_stranger: Client, author: User
) -> None:
    work = make_work(owner=author, chapters=2)
    services.update_chapter(
        chapter=work.chapters.get(position=2),
        by=author,
        fields=services.ChapterFields(body="The second chapter's text.", end_notes="Thanks!"),
    )
    assert "Hide author's notes" in as_stranger.get(work.get_absolute_url()).content.decode()


def test_a_summary_pasted_too_long_is_refused_and_kept_in_the_form(as_author: Client) -> None:
    summary = "A very long summary. " * 70  # 1,470 characters
    response = as_author.post(reverse("works:new"), work_form_data(summary=summary))
    page = response.content.decode()
    assert not Work.objects.exists()
    assert "The summary has 1,469 characters; at most 1,250 are allowed." in page
    assert summary.strip() in page


def test_a_refused_form_starts_with_a_summary_linking_to_each_field_in_error(
    as_author: Client,
) -> None:
    data = work_form_data(title="", **{"chapter-body": "short"})
    page = as_author.post(reverse("works:new"), data).content.decode()
    summary = page[page.index("There is a problem") : page.index("<fieldset")]
    assert '<a href="#id_title">Title: This field is required.</a>' in summary
    assert '<a href="#id_chapter-body">Chapter text: Ensure this value has at least' in summary
    # First on the page after the heading, and given focus.
    assert page.index("There is a problem") < page.index('class="work-form"')
    assert 'tabindex="-1" autofocus data-error-summary' in page


def test_the_error_summary_links_a_group_of_boxes_to_the_group(as_author: Client) -> None:
    page = as_author.post(reverse("works:new"), work_form_data(warnings=[])).content.decode()
    assert '<a href="#id_warnings">Archive warnings: This field is required.</a>' in page
    assert 'id="id_warnings"' in page


@pytest.mark.parametrize("url_name", ["works:chapter_new", "works:import"])
def test_the_chapter_and_import_forms_have_the_error_summary_too(
    as_author: Client, author: User, url_name: str
) -> None:
    work = make_work(owner=author)
    url = reverse(url_name, args=[work.pk] if url_name == "works:chapter_new" else [])
    page = as_author.post(url, {"body": "short"}).content.decode()
    assert "There is a problem" in page
    assert page.count("data-error-summary") == 1


def test_a_valid_page_has_no_error_summary(as_author: Client) -> None:
    assert "There is a problem" not in as_author.get(reverse("works:new")).content.decode()


def test_posting_names_the_html_the_sanitiser_removed(as_author: Client) -> None:
    body = '<p>She pressed play.</p><iframe src="https://video.example/1"></iframe><script>x()</script>'
    response = as_author.post(
        reverse("works:new"), work_form_data(**{"chapter-body": body}), follow=True
    )
    page = response.content.decode()
    assert "Work posted." in page
    assert (
        "Chapter text: Fanfold removed what HTML here may not contain:"
        " &lt;iframe&gt;, &lt;script&gt; (2 elements)."
    ) in page
    assert "Summary:" not in page


def test_a_chapter_and_a_work_edit_name_what_was_removed_too(
    as_author: Client, author: User
) -> None:
    work = make_work(owner=author)
    response = as_author.post(
        reverse("works:chapter_new", args=[work.pk]),
        {"body": '<p>Here is the map.</p><p><img src="data:image/png;base64,AAAA"></p>'},
        follow=True,
    )
    assert "Fanfold removed what HTML here may not contain: &lt;img src&gt; (1)." in (
        response.content.decode()
    )
    response = as_author.post(
        reverse("works:edit", args=[work.pk]),
        work_form_data(summary='<p style="color: red">Red.</p>'),
        follow=True,
    )
    assert "Summary: Fanfold removed what HTML here may not contain: &lt;p style&gt; (1)." in (
        response.content.decode()
    )


def test_saving_plain_text_says_nothing_was_removed(as_author: Client) -> None:
    response = as_author.post(reverse("works:new"), work_form_data(), follow=True)
    assert "Fanfold removed" not in response.content.decode()


def test_preview_shows_the_new_work_as_readers_will_and_saves_nothing(as_author: Client) -> None:
    data = work_form_data(
        summary="A walk, <em>a letter</em>.",
        action="preview",
        **{"chapter-body": "<p>She walked on.</p><script>alert(1)</script>"},
    )
    response = as_author.post(reverse("works:new"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert not Work.objects.exists()
    preview = page[page.index('id="preview-heading"') : page.index('class="work-form"')]
    assert "<h3>The Long Walk to Longbourn</h3>" in preview
    assert "<p>A walk, <em>a letter</em>.</p>" in preview
    assert "<p>She walked on.</p>" in preview
    assert "<h3>Chapter 1: The Lane</h3>" in preview
    assert "<p>Thank you to my beta!</p>" in preview
    assert "alert(1)" not in preview
    assert "Chapter text: Fanfold removed what HTML here may not contain: &lt;script&gt;" in preview
    # The form is still filled in below, with the text as typed.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;</textarea>" in page


def test_preview_of_a_chapter_saves_nothing_and_keeps_the_form(
    as_author: Client, author: User
) -> None:
    work = make_work(owner=author)
    url = reverse("works:chapter_new", args=[work.pk])
    page = as_author.post(
        url, {"title": "Rain", "body": "It rained all day.", "action": "preview"}
    ).content.decode()
    assert "<h3>Chapter 2: Rain</h3>" in page
    assert "<p>It rained all day.</p>" in page
    assert 'value="Rain"' in page
    assert work.chapters.count() == 1
    chapter = work.chapters.get()
    edit = reverse("works:chapter_edit", args=[work.pk, chapter.pk])
    page = as_author.post(
        edit, {"body": "Changed text here.", "action": "preview"}
    ).content.decode()
    assert "<h3>Chapter 1</h3>" in page
    chapter.refresh_from_db()
    assert "Changed" not in chapter.body


def test_a_preview_with_errors_shows_the_errors_not_a_preview(as_author: Client) -> None:
    page = as_author.post(
        reverse("works:new"), work_form_data(title="", action="preview")
    ).content.decode()
    assert "There is a problem" in page
    assert 'id="preview-heading"' not in page


def test_only_the_author_previews_a_chapter_of_their_work(
    as_reader: Client, as_stranger: Client, author: User
) -> None:
    work = make_work(owner=author)
    url = reverse("works:chapter_new", args=[work.pk])
    data = {"body": "Not my chapter at all.", "action": "preview"}
    assert as_reader.post(url, data).status_code == 404
    assert as_stranger.post(url, data).status_code == 302


def test_an_author_back_after_a_save_that_showed_an_error_sees_when_it_last_arrived(
    as_author: Client, author: User
) -> None:
    """A save can commit while its answer is lost (the server died before replying):
    the edit page says when the chapter was last saved, so the author knows."""
    work = make_work(owner=author)
    chapter = work.chapters.get()
    url = reverse("works:chapter_edit", args=[work.pk, chapter.pk])
    as_author.post(url, {"title": "Morning", "body": "A later version.", "action": "post"})
    chapter.refresh_from_db()
    page = as_author.get(url).content.decode()
    assert "Last saved now" in " ".join(page.split())
    assert f'datetime="{chapter.updated_at.isoformat()}"' in page


# Issue 15: a series part is numbered as the reader counts the series.


def downloaded(client: Client, work: Work, extension: str) -> str:
    import io
    import zipfile

    response = client.get(reverse("works:download", args=[work.pk, extension]))
    assert response.status_code == 200
    # Read to its end, the test client closes it (a second close would end the
    # test's PostgreSQL connection through request_finished).
    data = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    if extension != "epub":
        return data.decode()
    with zipfile.ZipFile(io.BytesIO(data)) as epub:
        return "".join(epub.read(name).decode(errors="replace") for name in epub.namelist())


def test_the_work_page_and_its_downloads_number_the_part_as_the_reader_counts(
    author: User, as_stranger: Client, as_author: Client
) -> None:
    series = services.create_series(owner=author, title="The Long Road")
    parts = [
        make_work(owner=author, title=t, post=t == "Posted") for t in ["One", "Posted", "Three"]
    ]
    for work in parts:
        services.join_series(work=work, by=author, series=series)
    posted = parts[1]
    page = as_stranger.get(reverse("works:work", args=[posted.pk])).content.decode()
    assert "Part 1 of" in page
    assert "Part 2 of" not in page
    assert "Part 1 of" in downloaded(as_stranger, posted, "html")
    epub = downloaded(as_stranger, posted, "epub")
    assert '"group-position">1<' in epub
    assert 'content="1"' in epub
    assert "Part 2 of" in downloaded(as_author, posted, "html")  # its author counts the drafts
    series_page = as_stranger.get(reverse("works:series", args=[series.pk])).content.decode()
    assert "Part 1 of" in series_page
    assert "Part 2 of" not in series_page


def test_a_draft_between_posted_chapters_leaves_readers_no_gap_in_the_numbering(
    author: User, as_reader: Client, as_author: Client
) -> None:
    """Readers count the chapters they can read: "Chapter 1", "Chapter 2", never a
    "Chapter 3" that betrays a draft in between; the author sees where the draft sits."""
    work = make_work(owner=author, chapters=2, title="The Gap")
    first, second = work.chapters.order_by("position")
    draft = services.add_chapter(
        work=work,
        by=author,
        fields=services.ChapterFields(body="Unfinished.", title="Hush"),
        post=False,
    )
    services.reorder_chapters(work=work, by=author, chapter_ids=[first.pk, draft.pk, second.pk])
    pages = {
        "index": as_reader.get(reverse("works:navigate", args=[work.pk])),
        "chapter": as_reader.get(reverse("works:chapter", args=[work.pk, second.pk])),
        "whole": as_reader.get(reverse("works:full", args=[work.pk])),
    }
    for name, page in pages.items():
        text = page.content.decode()
        assert page.status_code == 200, name
        assert "Chapter 2" in text, name
        assert "Chapter 3" not in text, name
        assert "Hush" not in text, name
    author_index = as_author.get(reverse("works:navigate", args=[work.pk])).content.decode()
    order = [author_index.index(c.get_absolute_url()) for c in (first, draft, second)]
    assert order == sorted(order)
    assert "Chapter 2: Hush" in author_index  # the number it would take if posted now
