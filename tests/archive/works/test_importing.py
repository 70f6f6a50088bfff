"""Turning what any reader read into a work: through the import pages, and directly.

``fanfold.archive.works.importing`` promises: one transaction per work
(the work, its chapters, tags and series places, or nothing); tags from
other archives mapped onto ours (ratings by name, AO3's warnings and
categories kept, anything else kept as an additional tag); the author's
corrections on the preview (order, notes put back in the story) applied;
only a file's base name kept; and tag suggestions from the reading engine,
each chapter read once. ``fanfold import`` is tested in
management/commands/test_import_works.py.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fanfold.archive.people.models import User
from fanfold.archive.tags.models import TagType
from fanfold.archive.works import services, uploads
from fanfold.archive.works.importing import (
    Suggestions,
    analyse_parsed,
    earlier_copies,
    import_work,
    parse_files,
    suggest_tags,
)
from fanfold.archive.works.models import Chapter, Work
from fanfold.formats.errors import FormatError
from fanfold.formats.model import ParsedChapter, ParsedWork, SeriesRef
from fanfold.formats.readers import read_bytes
from fanfold.formats.writers import write_epub
from fanfold.text import analyse_work
from tests.archive.factories import make_work
from tests.conftest import SEEDS, epubcheck

# Two chapters of our own, named in the reverse of story order, each with notes.
CHAPTER_ONE = """A/N: My first fic for this fandom! Be gentle.

Disclaimer: I don't own Pride and Prejudice.

Chapter 1: The Lane

Elizabeth walked out before breakfast, as she always did when the house was too full.

The lane was quiet. She had almost reached the stile when she heard a horse behind her.

"You are early," said Mr. Darcy, and dismounted.

"And you are lost, sir. Pemberley is a long way from here."

A/N: Please review! The next chapter is already half written.
"""
CHAPTER_TWO = """A/N: Thank you for all the reviews on the last chapter!

Chapter 2: The Stile

Mr. Darcy led the horse a little way behind her, as though it had been his idea to walk.

"I came to apologise," he said at last.

Elizabeth stopped at the stile and turned. "For which part?"

He considered it seriously, which she had not expected. "For all of it, I think."
"""


def upload(client: Client, *files: tuple[str, bytes]) -> Any:
    return client.post(
        reverse("works:import"),
        {"upload": [SimpleUploadedFile(name, data) for name, data in files]},
    )


def preview_form(client: Client, preview_url: str) -> dict[str, Any]:
    """The preview form's fields as the page fills them in (what a browser would send)."""
    page = client.get(preview_url).content.decode()
    data: dict[str, Any] = {}
    for match in re.finditer(r"<input [^>]*>", page):
        tag = match.group(0)
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name is None or name.group(1) == "csrfmiddlewaretoken":
            continue
        if 'type="checkbox"' in tag:
            if "checked" in tag:
                data.setdefault(name.group(1), []).append(value.group(1) if value else "on")
            continue
        data[name.group(1)] = unescape(value.group(1)) if value else ""
    for match in re.finditer(r'<textarea name="([^"]+)"[^>]*>\s*([^<]*)</textarea>', page):
        data[match.group(1)] = unescape(match.group(2))
    for match in re.finditer(r'<select name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', match.group(2))
        data[match.group(1)] = chosen.group(1) if chosen else ""
    return data


def import_reversed_chapters(client: Client) -> str:
    response = upload(
        client, ("002_part.txt", CHAPTER_ONE.encode()), ("001_part.txt", CHAPTER_TWO.encode())
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return str(response["Location"])


def test_an_author_imports_chapter_files_in_story_order_with_notes_apart(
    as_author: Client, author: User
) -> None:
    preview_url = import_reversed_chapters(as_author)
    page = as_author.get(preview_url).content.decode()
    assert page.index("The Lane") < page.index("The Stile")
    assert "My first fic for this fandom" in page
    assert not Work.objects.exists()  # nothing is created before the author confirms

    data = preview_form(as_author, preview_url)
    data.update(
        {"work-fandoms": "Pride and Prejudice - Jane Austen", "work-rating": "general"},
        action="post",
    )
    response = as_author.post(preview_url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    work = Work.objects.get()
    first, second = work.chapters.order_by("position")
    assert "Elizabeth walked out before breakfast" in first.body
    assert "My first fic" not in first.body
    assert "My first fic" in first.notes
    assert "Please review" in first.end_notes
    assert "I came to apologise" in second.body
    assert not work.is_draft


def test_the_author_can_put_notes_back_into_the_story_and_reorder(
    as_author: Client, author: User
) -> None:
    preview_url = import_reversed_chapters(as_author)
    data = preview_form(as_author, preview_url)
    positions = sorted(k for k in data if k.startswith("order-position_"))
    data[positions[0]], data[positions[1]] = data[positions[1]], data[positions[0]]
    data.pop("notes-notes_0", None)  # untick: chapter 1's notes are story after all
    data.update({"work-fandoms": "Pride and Prejudice - Jane Austen", "work-rating": "general"})
    data["action"] = "draft"
    assert as_author.post(preview_url, data).status_code == 302
    work = Work.objects.get()
    first, second = work.chapters.order_by("position")
    assert "I came to apologise" in first.body
    assert "My first fic" in second.body
    assert not second.notes
    assert work.is_draft


def test_a_bad_correction_keeps_what_was_typed_and_creates_nothing(as_author: Client) -> None:
    preview_url = import_reversed_chapters(as_author)
    data = preview_form(as_author, preview_url)
    data.update({"work-fandoms": "", "work-title": "My corrected title", "action": "post"})
    response = as_author.post(preview_url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "This field is required" in page
    assert "My corrected title" in page
    assert not Work.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("picture.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "picture.png"),
        ("book.epub", b"PK\x03\x04 not really a zip", "book.epub"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_by_name(
    as_author: Client, name: str, data: bytes, reason: str
) -> None:
    response = upload(as_author, (name, data))
    assert response.status_code == 200
    assert reason in response.content.decode()
    assert not Work.objects.exists()


def test_an_exported_epub_imports_with_its_tags_notes_and_series(
    as_author: Client, author: User
) -> None:
    book = write_epub(
        ParsedWork(
            title="Letters from Kent",
            creators=("someone",),
            summary="<p>Letters, mostly.</p>",
            rating="Teen And Up Audiences",
            warnings=("No Archive Warnings Apply",),
            categories=("F/M",),
            fandoms=("Pride and Prejudice - Jane Austen",),
            relationships=("Elizabeth Bennet/Fitzwilliam Darcy",),
            characters=("Elizabeth Bennet", "Fitzwilliam Darcy"),
            freeforms=("Epistolary",),
            language="en",
            series=(SeriesRef("Kent Letters", 1),),
            chapters=(
                ParsedChapter(
                    title="The First Letter",
                    notes="<p>Written in one sitting.</p>",
                    body="<p>Dear Jane, the rectory is very small and very clean.</p>",
                ),
                ParsedChapter(
                    title="The Second Letter",
                    body="<p>Dear Jane, I have had a most extraordinary morning.</p>",
                    end_notes="<p>More letters soon.</p>",
                ),
            ),
        )
    )
    response = upload(as_author, ("letters.epub", book))
    assert response.status_code == 302
    data = preview_form(as_author, str(response["Location"]))
    data["action"] = "post"
    assert as_author.post(str(response["Location"]), data).status_code == 302
    work = Work.objects.get()
    names = {(t.type, t.name) for t in work.tags.all()}
    assert (TagType.RELATIONSHIP, "Elizabeth Bennet/Fitzwilliam Darcy") in names
    assert (TagType.FREEFORM, "Epistolary") in names
    assert work.rating == "teen"
    first, second = work.chapters.order_by("position")
    assert first.title == "The First Letter"
    assert "one sitting" in first.notes
    assert "More letters soon" in second.end_notes


@pytest.mark.seeds
def test_the_seeds_import_through_the_web_form(as_author: Client) -> None:
    seeds = sorted(SEEDS.glob("*.txt"))
    response = upload(as_author, *((p.name, p.read_bytes()) for p in seeds))
    assert response.status_code == 302
    preview_url = str(response["Location"])
    page = as_author.get(preview_url).content.decode()
    assert page.index("Mark Sloan turned the key") < page.index("Mark cornered Derek")
    assert 'value="Mark Sloan/Lexie Grey"' in page  # the engine's relationship, offered
    assert "Mark Sloan/Lexie Grey (they meet in 10 paragraphs)" in page  # with its evidence
    data = preview_form(as_author, preview_url)
    assert "Mark Sloan/Lexie Grey" not in data["work-relationships"]  # not tagged unasked
    data.update({"work-fandoms": "Grey's Anatomy", "work-rating": "teen", "action": "post"})
    data["suggested-relationships"] = ["Mark Sloan/Lexie Grey"]  # the author ticks it
    assert as_author.post(preview_url, data).status_code == 302
    work = Work.objects.get()
    assert work.title == "Taking Chances"
    first, second = work.chapters.order_by("position")
    assert first.body.startswith("<p>Mark Sloan turned the key")
    assert "my other story" in first.notes
    assert second.body.startswith("<p>Mark cornered Derek")
    relationships = work.tags.filter(type=TagType.RELATIONSHIP).values_list("name", flat=True)
    assert "Mark Sloan/Lexie Grey" in relationships


def test_a_path_in_an_uploaded_files_name_is_not_kept() -> None:
    parsed = parse_files(
        [("../../etc/ch2.txt", CHAPTER_TWO.encode()), ("C:\\docs\\ch1.txt", CHAPTER_ONE.encode())]
    )
    assert parsed.source == "ch2.txt, ch1.txt"
    assert [chapter.source for chapter in parsed.chapters] == ["ch1.txt", "ch2.txt"]


# Two more of our own whose characters are named often enough to be suggested.
PIER = """A/N: My first fic for this fandom! Be gentle.

Chapter 1: The Pier

Tove Lund stood on the pier with her bag while the gulls argued over the nets.

"Is this the ferry to the island?" Tove asked.

"The last one today," said Nils Moen, and took her bag. Nils looked at the sky.

Tove followed him aboard. She had not expected Nils Moen to smile.

A/N: Please review!
"""
ISLAND = """A/N: Thank you for the reviews on the last chapter!

Chapter 2: The Island

Nils Moen was waiting at the ferry again when Tove Lund came down the path.

"You came back," said Nils.

"I said I would," Tove answered.
"""
REVERSED_FILES = [("002_part.txt", PIER), ("001_part.txt", ISLAND)]


def test_suggestions_for_chapter_files_analyse_the_readers_segmentation() -> None:
    parsed = parse_files([(name, text.encode()) for name, text in REVERSED_FILES])
    assert parsed.segmented is not None
    analysis = analyse_parsed(parsed)
    for analysed, cut_from in zip(analysis.chapters, parsed.segmented.chapters, strict=True):
        assert analysed.segmentation is cut_from.segmentation  # segmented once, by the reader
    fresh = analyse_work(REVERSED_FILES)
    assert analysis == fresh  # reading once changes nothing that is read
    assert suggest_tags(parsed) == Suggestions(fresh.character_tags, fresh.relationship_tags)
    assert suggest_tags(parsed).characters == ("Tove Lund", "Nils Moen")


def test_suggestions_for_an_epub_read_its_chapter_bodies() -> None:
    bodies = [
        "".join(f"<p>{line}</p>" for line in text.split("\n\n") if "A/N" not in line)
        for _, text in reversed(REVERSED_FILES)
    ]
    book = ParsedWork(title="The Pier", chapters=tuple(ParsedChapter(body=b) for b in bodies))
    parsed = read_bytes(write_epub(book), name="pier.epub")
    assert parsed.segmented is None  # an EPUB keeps its notes apart itself
    analysis = analyse_parsed(parsed)
    assert ["gulls argued" in chapter.text for chapter in analysis.chapters] == [True, False]
    assert suggest_tags(parsed).characters == ("Tove Lund", "Nils Moen")


@pytest.mark.slow
def test_a_work_downloaded_as_epub_imports_back_the_same(
    as_author: Client, author: User, tmp_path: Path
) -> None:
    """The round trip through the archive: download, upload, confirm."""
    original = make_work(
        owner=author,
        title="The Long Walk",
        chapters=3,
        notes="<p>Written on a train.</p>",
        tags={
            TagType.WARNING: ["No Archive Warnings Apply"],
            TagType.FANDOM: ["Pride and Prejudice - Jane Austen"],
            TagType.RELATIONSHIP: ["Elizabeth Bennet/Fitzwilliam Darcy"],
            TagType.CHARACTER: ["Elizabeth Bennet", "Fitzwilliam Darcy"],
            TagType.FREEFORM: ["Walking", "Rain"],
        },
    )
    chapter = original.chapters.order_by("position").last()
    services.update_chapter(
        chapter=chapter,
        by=author,
        fields=services.ChapterFields(
            title="Home",
            notes="<p>The last one.</p>",
            end_notes="<p>Thank you for reading.</p>",
            body="<p>They came home in the rain.</p>",
        ),
    )
    response = as_author.get(reverse("works:download", args=[original.pk, "epub"]))
    book = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    (tmp_path / "walk.epub").write_bytes(book)
    result = epubcheck(tmp_path / "walk.epub")
    assert result.returncode == 0, result.stdout + result.stderr

    response = upload(as_author, ("walk.epub", book))
    data = preview_form(as_author, str(response["Location"]))
    data["action"] = "post"
    assert as_author.post(str(response["Location"]), data).status_code == 302
    copy = Work.objects.exclude(pk=original.pk).get()

    def shape(work: Work) -> list[tuple[str, str, str, str]]:
        return [(c.title, c.notes, c.end_notes, c.body) for c in work.chapters.order_by("position")]

    assert shape(copy) == shape(original)
    assert copy.notes == original.notes
    assert set(copy.tags.values_list("type", "name")) == set(
        original.tags.values_list("type", "name")
    )
    assert (copy.title, copy.rating, copy.language) == (
        original.title,
        original.rating,
        original.language,
    )


# Whatever the file, an import makes a whole work or nothing ------------------

FUZZ_SEEDS = [
    write_epub(
        ParsedWork(
            title="Fog",
            fandoms=("Original Work",),
            chapters=(
                ParsedChapter(title="One", notes="<p>Hi!</p>", body="<p>The fog came in.</p>"),
                ParsedChapter(title="Two", body='<p>"Who is there?" she asked.</p>'),
            ),
        )
    ),
    b"<html><body><h2>One</h2><p>The fog came in.</p><h2>Two</h2><p>It stayed.</p></body></html>",
    CHAPTER_ONE.encode(),
]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_a_mutated_file_imports_whole_or_not_at_all(author: User, data: st.DataObject) -> None:
    mutated = bytearray(data.draw(st.sampled_from(FUZZ_SEEDS)))
    for _ in range(data.draw(st.integers(1, 6))):
        mutated[data.draw(st.integers(0, len(mutated) - 1))] = data.draw(st.integers(0, 255))
    before = (Work.objects.count(), Chapter.objects.count())
    refusal: Exception | None = None
    try:
        parsed = read_bytes(bytes(mutated), name="fuzzed")
        work = import_work(parsed=parsed, owner=author, post=True)
    except (FormatError, ValidationError) as error:
        refusal = error
    if refusal is None:
        assert work.chapters.exists()
        assert work.chapters.count() == Chapter.objects.count() - before[1]
        return
    assert (Work.objects.count(), Chapter.objects.count()) == before
    if isinstance(refusal, FormatError):
        assert str(refusal).startswith("fuzzed: ")


def test_the_preview_offers_the_fandoms_canonical_tags_and_tags_only_what_is_ticked(
    as_author: Client,
) -> None:
    from tests.archive.tags.test_selectors import greys_canon

    greys_canon()
    story = (
        'Lexie ran to Derek. "Derek, help me," Lexie said. Derek smiled at Lexie.\n\n'
        '"Lexie," Derek said. Lexie laughed and Derek laughed with Lexie.'
    )
    response = upload(as_author, ("ferry.txt", story.encode()))
    preview_url = str(response["Location"])
    first = as_author.get(preview_url).content.decode()
    assert re.search(r"value=\"Lexie\"[^>]*>\s*Lexie \(named 6 times\)</label>", first)
    data = preview_form(as_author, preview_url)
    data.update({"work-fandoms": "Grey's Anatomy", "work-rating": "teen", "action": "draft"})
    page = as_author.post(preview_url, data | {"work-title": ""}).content.decode()
    assert re.search(r"value=\"Lexie\"[^>]*>\s*Lexie Grey \(named 6 times\)</label>", page)
    assert re.search(r"value=\"Derek\"[^>]*>\s*Derek Shepherd \(named", page)
    data["suggested-characters"] = ["Derek", "Lexie"]  # ticked before the fandom was typed
    assert as_author.post(preview_url, data).status_code == 302
    characters = Work.objects.get().tags.filter(type=TagType.CHARACTER)
    assert sorted(characters.values_list("name", flat=True)) == ["Derek Shepherd", "Lexie Grey"]


# Issue 14: importing the same work twice gave no warning.


def _fog(title: str = "Fog", body: str = "<p>The fog came in.</p>") -> ParsedWork:
    return ParsedWork(title=title, chapters=(ParsedChapter(body=body),))


def test_an_earlier_work_with_the_title_and_first_chapter_is_found(author: User) -> None:
    import_work(owner=author, parsed=_fog(), post=False)
    [copy] = earlier_copies(owner_id=author.pk, parsed=_fog(title="FOG"))
    assert copy.work.title == "Fog"
    assert copy.same_first_chapter


def test_a_work_of_the_same_title_with_other_text_is_found_but_not_called_the_same(
    author: User,
) -> None:
    import_work(owner=author, parsed=_fog(body="<p>Another story entirely.</p>"), post=True)
    [copy] = earlier_copies(owner_id=author.pk, parsed=_fog())
    assert not copy.same_first_chapter


def test_other_titles_and_other_authors_works_are_not_earlier_copies(
    author: User, reader: User
) -> None:
    import_work(owner=author, parsed=_fog(title="Mist"), post=True)
    import_work(owner=reader, parsed=_fog(), post=True)
    assert earlier_copies(owner_id=author.pk, parsed=_fog()) == []


def test_the_import_preview_warns_of_an_earlier_copy_and_lets_the_author_go_on(
    as_author: Client,
) -> None:
    story = ("fog.txt", b"The fog came in over the harbour before dawn.")

    def import_as_draft() -> str:
        preview_url = str(upload(as_author, story)["Location"])
        page = as_author.get(preview_url).content.decode()
        data = preview_form(as_author, preview_url)
        data.update({"work-fandoms": "Original Work", "work-rating": "general", "action": "draft"})
        assert as_author.post(preview_url, data).status_code == 302
        return page

    assert "You may have imported this before" not in import_as_draft()
    first = Work.objects.get()
    page = import_as_draft()
    assert "You may have imported this before" in page
    assert f'titled <a href="{first.get_absolute_url()}">“{first.title}”</a> (a draft)' in page
    assert "whose first chapter has the same text" in page
    assert Work.objects.filter(title=first.title).count() == 2


def test_the_earlier_copies_cost_the_same_queries_however_many_share_the_title(
    as_author: Client, author: User
) -> None:
    from tests.archive.conftest import queries_for

    import_work(owner=author, parsed=_fog(), post=True)
    url = reverse(
        "works:import_preview",
        args=[uploads.store_upload(owner_id=author.pk, parsed=_fog())],
    )
    queries_for(as_author, url)
    one = queries_for(as_author, url)
    for _ in range(4):
        import_work(owner=author, parsed=_fog(), post=True)
    assert queries_for(as_author, url) == one


def test_a_refused_import_preview_starts_with_one_error_summary(as_author: Client) -> None:
    preview_url = import_reversed_chapters(as_author)
    data = preview_form(as_author, preview_url)
    data.update({"work-fandoms": "", "work-title": "", "action": "post"})
    page = as_author.post(preview_url, data).content.decode()
    assert page.count("There is a problem") == 1
    summary = page[page.index("There is a problem") : page.index("Chapters (")]
    assert '<a href="#id_work-title">Title: This field is required.</a>' in summary
    assert '<a href="#id_work-fandoms">Fandoms: This field is required.</a>' in summary
