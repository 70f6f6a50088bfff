"""Forms for works, chapters, series and imports: parse and validate, never save.

``fanfold.archive.works.forms`` promises AO3's limits, each checked on
what the author typed with a message next to the field: a title of at most
255 characters, a summary of 1,250, notes of 5,000, chapter text of 10 to
510,000, tags of at most 150 characters and at most 75 fandom,
relationship, character and additional tags together. Tags may be typed
with commas or on lines of their own. A work form offers only the
author's own series and hands the services its fields by tag type; an
order form takes each position from 1 to n once; an upload form takes one
or more files within the count and size limits; a notes form keeps the
notes apart unless the author unticks them; the answer to the offer to move
pasted notes is move, keep, or not yet (anything else asks again).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict

from fanfold.archive.people.models import User
from fanfold.archive.tags.models import TagType
from fanfold.archive.works import services
from fanfold.archive.works.forms import (
    MAX_USER_TAGS,
    ChapterForm,
    ChapterNotesForm,
    ImportUploadForm,
    OrderForm,
    PastedNotesForm,
    SeriesForm,
    WorkForm,
    split_tags,
)
from fanfold.archive.works.models import CHAPTER_BODY_MAX, NOTES_MAX, SUMMARY_MAX, TITLE_MAX
from fanfold.archive.works.services import ChapterFields, WorkFields


def work_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "The Long Walk to Longbourn",
        "rating": "teen",
        "warnings": ["No Archive Warnings Apply"],
        "categories": ["F/M"],
        "fandoms": "Pride and Prejudice - Jane Austen",
        "relationships": "Elizabeth Bennet/Fitzwilliam Darcy",
        "characters": "Elizabeth Bennet, Fitzwilliam Darcy",
        "freeforms": "Slow Burn\nLetters",
        "summary": "A walk, a letter, a second chance.",
        "notes": "Thank you to my beta!",
        "end_notes": "More soon.",
        "language": "en",
        "expected_chapters": "3",
        "is_complete": "",
        "is_restricted": "on",
        "analysis_enabled": "on",
    }
    data.update(overrides)
    return data


def work_form(owner_id: int | None = None, **overrides: Any) -> WorkForm:
    return WorkForm(work_data(**overrides), owner_id=owner_id)


def chapter_form(**overrides: Any) -> ChapterForm:
    data = {"title": "The Lane", "body": "Elizabeth walked on.", **overrides}
    return ChapterForm(data)


def test_tags_typed_with_commas_or_on_lines_are_split_and_cleaned() -> None:
    typed = "Mark Sloan, Lexie  Grey ,,\nMeredith Grey\r\nMark Sloan\n\n"
    assert split_tags(typed) == ["Mark Sloan", "Lexie Grey", "Meredith Grey"]


def test_a_complete_work_form_hands_the_services_its_fields_by_tag_type() -> None:
    form = work_form()
    assert form.is_valid(), form.errors
    assert form.to_fields() == WorkFields(
        title="The Long Walk to Longbourn",
        rating="teen",
        summary="A walk, a letter, a second chance.",
        notes="Thank you to my beta!",
        end_notes="More soon.",
        language="en",
        expected_chapters=3,
        is_complete=False,
        is_restricted=True,
        analysis_enabled=True,
        tags={
            TagType.WARNING: ["No Archive Warnings Apply"],
            TagType.CATEGORY: ["F/M"],
            TagType.FANDOM: ["Pride and Prejudice - Jane Austen"],
            TagType.RELATIONSHIP: ["Elizabeth Bennet/Fitzwilliam Darcy"],
            TagType.CHARACTER: ["Elizabeth Bennet", "Fitzwilliam Darcy"],
            TagType.FREEFORM: ["Slow Burn", "Letters"],
        },
    )


def test_a_work_form_without_the_reading_box_ticked_turns_reading_off() -> None:
    form = work_form(analysis_enabled="")
    assert form.is_valid(), form.errors
    assert form.to_fields().analysis_enabled is False
    assert WorkForm().fields["analysis_enabled"].initial is True  # a new work is read


def test_optional_work_fields_may_be_left_empty() -> None:
    form = work_form(
        categories=[], relationships="", characters=" ,, ", freeforms="", expected_chapters=""
    )
    assert form.is_valid(), form.errors
    fields = form.to_fields()
    assert fields.expected_chapters is None
    assert fields.tags[TagType.CHARACTER] == []
    assert fields.tags[TagType.CATEGORY] == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "This field is required."),
        ("title", "t" * (TITLE_MAX + 1), f"at most {TITLE_MAX} characters"),
        ("fandoms", " , ", "This field is required."),
        ("warnings", [], "This field is required."),
        ("warnings", ["Mild Peril"], "Select a valid choice."),
        ("rating", "", "This field is required."),
        ("rating", "ages 3+", "Select a valid choice."),
        ("categories", ["Romance"], "Select a valid choice."),
        ("language", "xx", "Select a valid choice."),
        ("summary", "x" * (SUMMARY_MAX + 1), f"at most {SUMMARY_MAX:,} are allowed"),
        ("notes", "n" * (NOTES_MAX + 1), f"at most {NOTES_MAX:,} are allowed"),
        ("end_notes", "n" * (NOTES_MAX + 1), f"at most {NOTES_MAX:,} are allowed"),
        ("characters", "c" * 151, "at most 150 characters"),
        ("expected_chapters", "0", "greater than or equal to 1"),
    ],
)
def test_a_work_field_over_its_limit_is_refused_with_a_message_next_to_it(
    field: str, value: Any, message: str
) -> None:
    form = work_form(**{field: value})
    assert not form.is_valid()
    assert list(form.errors) == [field]
    assert message in " ".join(form.errors[field])


def test_at_most_75_user_tags_are_allowed_across_the_four_tag_fields() -> None:
    def tags(prefix: str, count: int) -> str:
        return ", ".join(f"{prefix} {n}" for n in range(count))

    at_limit = work_form(
        fandoms=tags("fandom", 1),
        relationships="",
        characters=tags("c", 40),
        freeforms=tags("f", 34),
    )
    assert at_limit.is_valid(), at_limit.errors
    over = work_form(
        fandoms=tags("fandom", 1),
        relationships="",
        characters=tags("c", 40),
        freeforms=tags("f", 35),
    )
    assert not over.is_valid()
    assert over.non_field_errors() == [
        f"A work can have at most {MAX_USER_TAGS} fandom, relationship, character "
        f"and additional tags together; this one has {MAX_USER_TAGS + 1}."
    ]


def test_a_tag_typed_twice_counts_once() -> None:
    form = work_form(freeforms=", ".join(["Slow Burn"] * 100))
    assert form.is_valid(), form.errors
    assert form.to_fields().tags[TagType.FREEFORM] == ["Slow Burn"]


def test_the_work_form_offers_only_the_authors_own_series(author: User, reader: User) -> None:
    walks = services.create_series(owner=author, title="Walks")
    letters = services.create_series(owner=author, title="Letters")
    theirs = services.create_series(owner=reader, title="Not yours")
    form = work_form(owner_id=author.pk, series=str(theirs.pk))
    assert list(form.fields["series"].queryset) == [letters, walks]  # type: ignore[attr-defined]
    assert not form.is_valid()
    assert list(form.errors) == ["series"]
    chosen = work_form(owner_id=author.pk, series=str(walks.pk))
    assert chosen.is_valid(), chosen.errors
    assert chosen.cleaned_data["series"] == walks


def test_a_stranger_is_offered_no_series(author: User) -> None:
    services.create_series(owner=author, title="Walks")
    assert not WorkForm(owner_id=None).fields["series"].queryset.exists()  # type: ignore[attr-defined]


def test_a_chapter_form_hands_the_services_its_fields() -> None:
    form = chapter_form(notes="Hello!", summary="", end_notes="Bye.")
    assert form.is_valid(), form.errors
    assert form.to_fields() == ChapterFields(
        body="Elizabeth walked on.", title="The Lane", summary="", notes="Hello!", end_notes="Bye."
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("body", "", "This field is required."),
        ("body", "short", "at least 10 characters"),
        ("body", "w " * (CHAPTER_BODY_MAX // 2 + 1), f"at most {CHAPTER_BODY_MAX:,} are allowed"),
        ("title", "t" * (TITLE_MAX + 1), f"at most {TITLE_MAX} characters"),
        ("notes", "n" * (NOTES_MAX + 1), f"at most {NOTES_MAX:,} are allowed"),
    ],
)
def test_a_chapter_field_over_its_limit_is_refused_with_a_message_next_to_it(
    field: str, value: str, message: str
) -> None:
    form = chapter_form(**{field: value})
    assert not form.is_valid()
    assert list(form.errors) == [field]
    assert message in " ".join(form.errors[field])


def test_a_chapter_at_the_length_limits_is_accepted() -> None:
    assert chapter_form(body="x" * 10).is_valid()
    assert chapter_form(body="x" * CHAPTER_BODY_MAX).is_valid()


ITEMS = [(11, "Chapter 1", 1), (22, "Chapter 2", 2), (33, "Chapter 3", 3)]


def test_an_order_form_starts_at_the_current_positions() -> None:
    form = OrderForm(items=ITEMS)
    assert [(name, field.label, field.initial) for name, field in form.fields.items()] == [
        ("position_11", "Chapter 1", 1),
        ("position_22", "Chapter 2", 2),
        ("position_33", "Chapter 3", 3),
    ]


def test_an_order_form_gives_the_ids_in_their_new_order() -> None:
    form = OrderForm({"position_11": "3", "position_22": "1", "position_33": "2"}, items=ITEMS)
    assert form.is_valid(), form.errors
    assert form.ordered_ids() == [22, 33, 11]


def test_reordering_with_a_repeated_position_is_refused() -> None:
    form = OrderForm({"position_11": "1", "position_22": "1", "position_33": "3"}, items=ITEMS)
    assert not form.is_valid()
    assert form.non_field_errors() == ["Use each position from 1 to the number of items once."]


def test_a_position_past_the_number_of_items_is_refused_next_to_it() -> None:
    form = OrderForm({"position_11": "1", "position_22": "2", "position_33": "4"}, items=ITEMS)
    assert not form.is_valid()
    assert list(form.errors) == ["position_33"]


def test_a_series_form_needs_a_title() -> None:
    assert not SeriesForm({"title": ""}).is_valid()
    form = SeriesForm({"title": "Letters", "is_complete": "on"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {
        "title": "Letters",
        "summary": "",
        "notes": "",
        "is_complete": True,
    }


def upload_form(*files: tuple[str, bytes], max_files: int = 3, max_bytes: int = 100) -> Any:
    uploads = [SimpleUploadedFile(name, data) for name, data in files]
    return ImportUploadForm(
        {}, MultiValueDict({"upload": uploads}), max_files=max_files, max_bytes=max_bytes
    )


def test_an_upload_form_gives_each_files_name_and_bytes() -> None:
    form = upload_form(("ch2.txt", b"Second."), ("ch1.txt", b"First."))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["upload"] == [("ch2.txt", b"Second."), ("ch1.txt", b"First.")]


def test_the_upload_field_takes_a_single_file_as_a_list_of_one() -> None:
    field = ImportUploadForm.base_fields["upload"]
    one = SimpleUploadedFile("whole.epub", b"PK")
    assert field.clean(one) == [one]


def test_an_upload_form_without_files_asks_for_one() -> None:
    form = upload_form()
    assert not form.is_valid()
    assert form.errors["upload"] == ["Choose at least one file."]


def test_an_upload_of_too_many_files_is_refused() -> None:
    form = upload_form(*((f"{n}.txt", b"x") for n in range(4)))
    assert not form.is_valid()
    assert form.errors["upload"] == ["At most 3 files at once; you chose 4."]


def test_an_upload_too_large_together_is_refused() -> None:
    form = upload_form(("a.txt", b"x" * 60), ("b.txt", b"x" * 60), max_bytes=2_000_000)
    assert form.is_valid(), form.errors
    over = upload_form(("a.txt", b"x" * 1_500_000), ("b.txt", b"x" * 600_000), max_bytes=2_000_000)
    assert not over.is_valid()
    assert over.errors["upload"] == ["The files come to 2.1 MB; the limit is 2 MB."]


def test_the_notes_form_keeps_notes_apart_unless_unticked() -> None:
    form = ChapterNotesForm({"notes_0": "on", "notes_2": "on"}, chapters=3)
    assert form.is_valid()
    assert [form.kept(i) for i in range(3)] == [True, False, True]
    assert all(field.initial is True for field in ChapterNotesForm(chapters=3).fields.values())


def test_the_answer_to_the_notes_offer_is_move_keep_or_not_yet() -> None:
    def answer(**data: str) -> PastedNotesForm:
        return PastedNotesForm({f"pasted-{k}": v for k, v in data.items()}, prefix="pasted")

    assert answer(decision="move").choice() == PastedNotesForm.MOVE
    assert answer(decision="keep", declined="abc123").choice() == PastedNotesForm.KEEP
    assert answer(declined="abc123").declined_digest() == "abc123"
    assert answer().choice() == ""
    assert answer(decision="delete everything").choice() == ""  # a made-up answer asks again


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", [WorkForm, ChapterForm])
def test_the_html_help_shows_tag_names_as_text_not_as_markup(form_class: type) -> None:
    # Django does not escape help text: "<em>" in it would italicise the rest of the page.
    page = str(form_class().as_div())
    assert "&lt;p&gt;, &lt;em&gt;, &lt;strong&gt;" in page
    assert "<em>" not in page


# Issue 14: a summary pasted past its limit was cut by the browser (maxlength) without a word.


def test_long_text_fields_have_a_counter_and_no_maxlength_that_cuts_a_paste() -> None:
    html = str(work_form()["summary"]) + str(chapter_form()["body"])
    assert "maxlength" not in html
    assert f'data-counter-max="{SUMMARY_MAX}"' in html
    assert f'data-counter-max="{CHAPTER_BODY_MAX}"' in html


def test_a_summary_pasted_past_its_limit_is_refused_whole_with_its_count() -> None:
    form = work_form(summary="x" * (SUMMARY_MAX + 50))
    assert not form.is_valid()
    assert form.errors["summary"] == [
        f"The summary has {SUMMARY_MAX + 50:,} characters; at most {SUMMARY_MAX:,} are allowed."
    ]
    assert form["summary"].value() == "x" * (SUMMARY_MAX + 50)


def test_line_breaks_count_once_as_the_browser_counts_them() -> None:
    # Browsers send a textarea's line breaks as CR LF; the counter shows them as one.
    summary = "\r\n".join(["x" * 49] * 25)  # 1,249 characters with one-character breaks
    form = work_form(summary=summary)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["summary"] == summary.replace("\r\n", "\n")
