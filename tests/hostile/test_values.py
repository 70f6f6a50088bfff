"""Values that once took pages down: tag names, languages, control characters.

Each test posts or stores the value the way the hostile test did, then
walks every page the value shows up on. Values already stored by an older
Fanfold are written straight into the rows, as a migration would find them.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fanfold.archive.people.models import User
from fanfold.archive.tags.models import Tag, TagType
from fanfold.archive.works import services
from fanfold.archive.works.importing import language_for
from fanfold.archive.works.models import Series, Work
from fanfold.formats.model import ParsedChapter, ParsedWork
from fanfold.formats.readers import read_bytes
from fanfold.formats.writers import write_epub
from tests.archive.factories import make_work
from tests.archive.works.test_views import work_form_data
from tests.hostile.conftest import (
    assert_epub_parses,
    assert_pages_answer,
    author_pages_of,
    browser_path,
    pages_of,
    wrangler_pages_of,
)


def test_a_newline_in_the_fandom_field_makes_two_fandoms(as_author: Client) -> None:
    response = as_author.post(reverse("works:new"), work_form_data(fandoms="Line one\nline two"))
    assert response.status_code == 302
    work = Work.objects.get()
    fandoms = sorted(work.tags.filter(type=TagType.FANDOM).values_list("name", flat=True))
    assert fandoms == ["Line one", "line two"]
    assert_pages_answer(as_author, pages_of(work))


def test_a_stored_tag_name_with_a_newline_breaks_no_page(
    author: User, as_stranger: Client, as_admin: Client
) -> None:
    work = make_work(owner=author)
    Tag.objects.filter(type=TagType.FANDOM).update(name="Line one\nline two")
    assert_pages_answer(as_stranger, pages_of(work))
    assert_pages_answer(as_admin, wrangler_pages_of(work))
    services.delete_work(work=work, by=author)
    assert_pages_answer(
        as_stranger, iter([reverse("tags:fandoms_of_media", args=["uncategorized"])])
    )


@pytest.mark.parametrize(
    "name",
    ["..", ".", "Mark Sloan/Lexie Grey", "*s*", "a**b/", "50% & more? #1", "end/", "/start", "\\"],
)
def test_a_tag_of_any_name_links_to_its_own_page(
    author: User, as_stranger: Client, as_admin: Client, name: str
) -> None:
    make_work(owner=author, tags={TagType.FANDOM: [name]})
    tag = Tag.objects.get(type=TagType.FANDOM)
    assert tag.name == name
    page = as_stranger.get(browser_path(tag.get_absolute_url()))
    assert page.status_code == 200
    assert page.context["tag"] == tag
    wrangle = as_admin.get(browser_path(reverse("tags:wrangle", args=[tag.type, tag.name])))
    assert wrangle.context["tag"] == tag


def test_control_characters_are_removed_on_the_way_in(as_author: Client) -> None:
    data = work_form_data(
        title="A title\x0cwith a form feed",
        characters="Eliza\x1bbeth Bennet, Mr.\x7f Darcy",
        summary="Line one\x0b\x08 and more",
    )
    data["chapter-title"] = "The\x1f Lane"
    data["chapter-body"] = "Elizabeth walked\x07 out.\r\n\r\nThe lane was quiet.\x0e"
    assert as_author.post(reverse("works:new"), data).status_code == 302
    work = Work.objects.get()
    chapter = work.chapters.get()
    assert work.title == "A title with a form feed"
    assert sorted(work.tags.filter(type=TagType.CHARACTER).values_list("name", flat=True)) == [
        "Eliza beth Bennet",
        "Mr. Darcy",
    ]
    assert chapter.title == "The Lane"
    assert chapter.body == "<p>Elizabeth walked out.</p>\n<p>The lane was quiet.</p>"
    assert work.summary == "<p>Line one<br>and more</p>"


def test_a_title_with_a_form_feed_downloads_as_an_epub_that_opens(
    as_author: Client, author: User
) -> None:
    work = make_work(owner=author, title="Form\x0cfeed")
    assert work.title == "Form feed"
    book = as_author.get(reverse("works:download", args=[work.pk, "epub"]))
    assert_epub_parses(b"".join(book.streaming_content))


def test_values_stored_by_an_older_fanfold_download_as_an_epub_that_opens(
    as_author: Client, author: User
) -> None:
    work = make_work(owner=author)
    Work.objects.filter(pk=work.pk).update(title="Form\x0cfeed\x1f", summary="<p>A\x01B</p>")
    Tag.objects.filter(type=TagType.CHARACTER).update(name="Eliza\x1bbeth")
    book = as_author.get(reverse("works:download", args=[work.pk, "epub"]))
    assert_epub_parses(b"".join(book.streaming_content))


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("zh", "zh-hans"),
        ("zh-CN", "zh-hans"),
        ("zh-TW", "zh-hant"),
        ("中文-普通话 國語", "zh-hans"),
        ("中文-广东话 粵語", "yue"),
        ("en-US", "en"),
        ("pt-BR", "pt-br"),
        ("Português europeu", "pt"),
        ("Deutsch", "de"),
        ("tlhIngan-Hol", "tlh"),
        ("Elvish, probably", "und"),
        ("", "en"),
    ],
)
def test_an_imported_language_becomes_a_code_every_page_knows(given: str, code: str) -> None:
    assert language_for(given) == code


def test_an_epub_in_chinese_imports_and_lists(author: User, as_stranger: Client) -> None:
    book = write_epub(
        ParsedWork(title="雨", language="zh", chapters=(ParsedChapter(body="<p>下雨了。</p>"),))
    )
    parsed = read_bytes(book, name="rain.epub")
    from fanfold.archive.works.importing import import_work

    work = import_work(parsed=parsed, owner=author, post=True)
    assert work.language == "zh-hans"
    assert_pages_answer(as_stranger, pages_of(work))
    assert "简体中文" in as_stranger.get(reverse("search:works")).content.decode()


def test_a_stored_unknown_language_breaks_no_page(
    author: User, as_author: Client, as_stranger: Client
) -> None:
    work = make_work(owner=author)
    Work.objects.filter(pk=work.pk).update(language="中文-普通话 國語")
    assert_pages_answer(as_stranger, pages_of(work))
    assert_pages_answer(as_author, author_pages_of(work))
    assert "Unknown language" in as_stranger.get(work.get_absolute_url()).content.decode()


def test_a_language_no_one_knows_is_refused_by_the_services(author: User) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="not a language we know"):
        make_work(owner=author, language="zz-Elvish")


def test_series_titles_are_one_clean_line(author: User, as_stranger: Client) -> None:
    work = make_work(owner=author)
    series = services.create_series(owner=author, title="The\nWeather\x0c Books")
    services.join_series(work=work, by=author, series=series)
    assert Series.objects.get().title == "The Weather Books"
    assert_pages_answer(as_stranger, pages_of(work))


@pytest.mark.parametrize("username", ["..", "."])
def test_a_username_a_browser_would_read_as_a_folder_is_refused(
    as_stranger: Client, username: str
) -> None:
    response = as_stranger.post(
        reverse("people:signup"),
        {
            "username": username,
            "email": "dots@example.org",
            "password1": "a-long-test-passphrase-42",
            "password2": "a-long-test-passphrase-42",
        },
    )
    assert response.status_code == 200
    assert "A username needs a letter" in response.content.decode()
    assert not User.objects.filter(username=username).exists()
