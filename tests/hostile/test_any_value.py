"""Any value in any field: every page answers, every download opens.

Hypothesis writes works with arbitrary Unicode in every field: control
characters, bidirectional overrides, lone surrogates, noncharacters,
newlines, URL-shaped names, very long words. Each work goes in through the
services (the door every form, import and command goes through), through
the posting form, and through an EPUB import; then every page that shows
it, its tags, its series and its author must answer 200, and each download
must be one an e-reader opens. A value the archive refuses must be refused
with a message (a ``ValidationError``), never a crash.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fanfold.archive.people.models import User
from fanfold.archive.tags.models import TagType
from fanfold.archive.works import services
from fanfold.archive.works.importing import import_work, language_for
from fanfold.archive.works.models import Rating, Work
from fanfold.formats.model import ParsedChapter, ParsedWork
from fanfold.formats.readers import read_bytes
from fanfold.formats.writers import write_epub
from tests.archive.works.test_views import work_form_data
from tests.conftest import epubcheck
from tests.hostile.conftest import (
    assert_epub_parses,
    assert_pages_answer,
    author_pages_of,
    pages_of,
    wrangler_pages_of,
)

# Characters that broke pages, URLs, XML or databases somewhere, once.
TROUBLE = [
    "\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9f", "\n", "\r", "\t",
    "\u2028", "\u2029", "\u202e", "\u2066", "\u200f", "\u200b", "\u200d", "\ufeff", "\ud800",
    "\udfff", "\ufffe", "\uffff", "\U0010ffff", "\ue000", "\ue001", "/", "\\", ".", "..", "*",
    "*s*", "**", "%", "%2F", "#", "?", "&", "<", ">", '"', "'", "{{", "}}", "{%", " ",
]  # fmt: skip
PAGE_SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def hostile_text(max_size: int, *, surrogates: bool = True) -> st.SearchStrategy[str]:
    characters = st.characters() if surrogates else st.characters(exclude_categories=["Cs"])
    pieces = st.one_of(
        st.text(characters, max_size=12),
        st.sampled_from(TROUBLE if surrogates else [t for t in TROUBLE if not _lone(t)]),
        st.just("w" * 300),  # a very long word
    )
    return (
        st.lists(pieces, max_size=max(1, max_size // 12)).map("".join).map(lambda t: t[:max_size])
    )


def _lone(text: str) -> bool:
    return any(0xD800 <= ord(c) <= 0xDFFF for c in text)


@st.composite
def work_values(draw: st.DrawFn, *, surrogates: bool = True) -> dict[str, Any]:
    text = lambda size: draw(hostile_text(size, surrogates=surrogates))  # noqa: E731
    return {
        "title": "T" + text(150),
        "summary": text(300),
        "notes": text(300),
        "end_notes": text(100),
        "language": text(20),
        "fandom": "F" + text(60),
        "relationship": text(60) + "/" + text(20),
        "character": text(60),
        "freeform": text(60),
        "chapter_title": text(100),
        "body": "Words to read " + text(600),
        "series": text(80),
    }


def create(owner: User, values: dict[str, Any]) -> Work:
    return services.create_work(
        owner=owner,
        fields=services.WorkFields(
            title=values["title"],
            rating=Rating.TEEN,
            summary=values["summary"],
            notes=values["notes"],
            end_notes=values["end_notes"],
            language=language_for(values["language"]),
            tags={
                TagType.WARNING: ["No Archive Warnings Apply"],
                TagType.FANDOM: [values["fandom"]],
                TagType.RELATIONSHIP: [values["relationship"]],
                TagType.CHARACTER: [values["character"]],
                TagType.FREEFORM: [values["freeform"]],
            },
        ),
        first_chapter=services.ChapterFields(
            body=values["body"], title=values["chapter_title"], notes=values["notes"]
        ),
        post=True,
        new_series_title="S" + values["series"],
    )


def assert_every_page_and_download(work: Work, author: Client, stranger: Client) -> None:
    assert_pages_answer(stranger, pages_of(work))
    assert_pages_answer(author, author_pages_of(work))
    for extension in ("epub", "html", "txt"):
        response = stranger.get(reverse("works:download", args=[work.pk, extension]))
        assert response.status_code == 200
        data = b"".join(response.streaming_content)  # read whole, the file is closed
        if extension == "epub":
            assert_epub_parses(data)


@PAGE_SETTINGS
@given(values=work_values())
def test_any_value_through_the_services_breaks_no_page(
    author: User, as_author: Client, as_stranger: Client, as_admin: Client, values: dict[str, Any]
) -> None:
    try:
        work = create(author, values)
    except ValidationError:
        return  # refused with a message: the form shows it next to the field
    assert_every_page_and_download(work, as_author, as_stranger)
    assert_pages_answer(as_admin, wrangler_pages_of(work))
    search = as_stranger.get(reverse("search:works"), {"q": work.title[:40]})
    assert search.status_code == 200


@PAGE_SETTINGS
@given(values=work_values(surrogates=False))
def test_any_value_through_the_posting_form_breaks_no_page(
    as_author: Client, as_stranger: Client, values: dict[str, Any]
) -> None:
    """What a browser can send (no lone surrogates): refused on the form, or posted and shown."""
    data = work_form_data(
        title=values["title"],
        summary=values["summary"],
        notes=values["notes"],
        fandoms=values["fandom"],
        relationships=values["relationship"],
        characters=values["character"],
        freeforms=values["freeform"],
    )
    data.update({"chapter-title": values["chapter_title"], "chapter-body": values["body"]})
    before = set(Work.objects.values_list("pk", flat=True))
    response = as_author.post(reverse("works:new"), data)
    assert response.status_code in (200, 302)
    for work in Work.objects.exclude(pk__in=before):
        assert_every_page_and_download(work, as_author, as_stranger)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(values=work_values())
def test_any_value_through_an_epub_import_breaks_no_page(
    author: User, as_author: Client, as_stranger: Client, values: dict[str, Any]
) -> None:
    book = write_epub(
        ParsedWork(
            title=values["title"],
            summary=values["summary"],
            language=values["language"],
            fandoms=(values["fandom"],),
            characters=(values["character"],),
            freeforms=(values["freeform"],),
            chapters=(
                ParsedChapter(body=f"<p>{values['body']}</p>", title=values["chapter_title"]),
            ),
        )
    )
    try:
        work = import_work(parsed=read_bytes(book, name="any.epub"), owner=author, post=True)
    except ValueError:  # FormatError and ValidationError both say what was wrong
        return
    assert_every_page_and_download(work, as_author, as_stranger)


def test_a_work_of_every_troublesome_character_passes_epubcheck(
    author: User, as_stranger: Client, tmp_path: Any
) -> None:
    trouble = "".join(TROUBLE)
    values = dict.fromkeys(
        ("summary", "notes", "end_notes", "language", "character", "freeform"), trouble
    )
    values.update(
        title="T" + trouble,
        fandom="F" + trouble,
        relationship=trouble + "/" + trouble,
        chapter_title=trouble,
        body="Words to read " + trouble,
        series=trouble,
    )
    work = create(author, values)
    response = as_stranger.get(reverse("works:download", args=[work.pk, "epub"]))
    path = tmp_path / "trouble.epub"
    path.write_bytes(b"".join(response.streaming_content))
    result = epubcheck(path)
    assert result.returncode == 0, result.stdout + result.stderr


pytestmark = [pytest.mark.django_db, pytest.mark.slow]
