"""Forms for works, chapters and series: parse and validate, never save.

Limits are AO3's: title 255 characters, summary 1,250, notes 5,000,
chapter text 10 to 510,000, at most 75 fandom/relationship/character/
additional tags, each at most 150 characters. Each is checked on what the
author typed, with a message next to the field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator
from django.urls import reverse

from fanfold.archive.tags.models import CATEGORIES, WARNINGS, TagType, clean_tag_names
from fanfold.archive.works import languages
from fanfold.archive.works.models import (
    CHAPTER_BODY_MAX,
    CHAPTER_BODY_MIN,
    NOTES_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
    CommentPermission,
    Rating,
    Series,
)
from fanfold.archive.works.services import ChapterFields, WorkFields, too_long

MAX_USER_TAGS = 75
FREE_TAG_FIELDS = {
    "fandoms": TagType.FANDOM,
    "relationships": TagType.RELATIONSHIP,
    "characters": TagType.CHARACTER,
    "freeforms": TagType.FREEFORM,
}
# Django renders help text as HTML: the tag names are written escaped, or the
# browser would open an <em> that italicises the rest of the page.
HTML_HELP = (
    "Plain text (blank lines between paragraphs) or HTML such as &lt;p&gt;, &lt;em&gt;,"
    " &lt;strong&gt;."
)


def _textarea(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class CountedTextField(forms.CharField):
    """Long text within a limit the author sees counted as they type, and never cut.

    A browser's ``maxlength`` silently drops whatever is pasted past the
    limit, so the widget has none: ``data-counter-max`` asks
    ``static/fanfold/forms.js`` for a live counter, and a text that is too
    long is refused here with the wording of every limit, kept in the form
    to be shortened. Line breaks count once, as the browser counts them (it
    sends each as CR LF) and as the text is stored.

    >>> CountedTextField(max_length=5, what="The summary").clean("ab\\r\\ncd")
    'ab\\ncd'
    """

    def __init__(self, *, max_length: int, what: str, **kwargs: Any) -> None:
        kwargs.setdefault("widget", _textarea(4))
        super().__init__(max_length=max_length, **kwargs)
        self.what = what
        self.validators = [v for v in self.validators if not isinstance(v, MaxLengthValidator)]

    def to_python(self, value: Any) -> str:
        text = super().to_python(value) or ""
        return text.replace("\r\n", "\n").replace("\r", "\n")

    def validate(self, value: Any) -> None:
        super().validate(value)
        if self.max_length is not None and len(value) > self.max_length:
            raise forms.ValidationError(
                too_long(self.what, len(value), self.max_length), code="max_length"
            )

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        if self.max_length is not None:
            attrs["data-counter-max"] = str(self.max_length)
        return attrs


_TAG_SEPARATORS = re.compile(r"[,\n\r]")


def split_tags(raw: str) -> list[str]:
    """Tag names typed with commas or on lines of their own, cleaned.

    >>> split_tags("Mark Sloan, Lexie Grey ,,\\nMeredith  Grey")
    ['Mark Sloan', 'Lexie Grey', 'Meredith Grey']
    """
    return clean_tag_names(_TAG_SEPARATORS.split(raw))


class TagInput(forms.TextInput):
    """A comma-separated tag box that offers canonical tags as the author types.

    With htmx it asks ``tags:suggest`` for the last name typed and lists the
    answer in its own <datalist>; without JavaScript it is a plain text box.
    """

    template_name = "works/widgets/tag_input.html"

    def __init__(self, tag_type: TagType, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"autocomplete": "off", **(attrs or {})})
        self.tag_type = tag_type

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        list_id = f"{widget['attrs'].get('id') or name}-suggestions"
        widget["list_id"] = list_id
        widget["attrs"].update(
            {
                "list": list_id,
                "hx-get": reverse("tags:suggest", args=[self.tag_type.value]),
                "hx-trigger": "input changed delay:250ms",
                "hx-target": f"#{list_id}",
                "hx-swap": "innerHTML",
                "hx-sync": "this:replace",
            }
        )
        return context


class TagListField(forms.CharField):
    """Tag names separated by commas (or newlines), each within the tag name limit."""

    def clean(self, value: Any) -> list[str]:
        names = split_tags(super().clean(value))
        if self.required and not names:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return names


class WorkForm(forms.Form):
    title = forms.CharField(max_length=TITLE_MAX)
    rating = forms.ChoiceField(choices=[("", "Choose a rating"), *Rating.choices])
    warnings = forms.MultipleChoiceField(
        label="Archive warnings",
        choices=[(w, w) for w in WARNINGS],
        widget=forms.CheckboxSelectMultiple,
    )
    categories = forms.MultipleChoiceField(
        choices=[(c, c) for c in CATEGORIES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    fandoms = TagListField(help_text="Separate tags with commas.", widget=TagInput(TagType.FANDOM))
    relationships = TagListField(
        required=False,
        help_text='"A/B" for romantic, "A & B" for platonic; commas between.',
        widget=TagInput(TagType.RELATIONSHIP),
    )
    characters = TagListField(
        required=False,
        help_text="Separate tags with commas.",
        widget=TagInput(TagType.CHARACTER),
    )
    freeforms = TagListField(
        label="Additional tags",
        required=False,
        help_text="Separate tags with commas.",
        widget=TagInput(TagType.FREEFORM),
    )
    summary = CountedTextField(
        max_length=SUMMARY_MAX, what="The summary", required=False, help_text=HTML_HELP
    )
    notes = CountedTextField(
        label="Beginning notes", max_length=NOTES_MAX, what="The notes", required=False
    )
    end_notes = CountedTextField(max_length=NOTES_MAX, what="The end notes", required=False)
    language = forms.ChoiceField(choices=languages.language_choices, initial="en")
    expected_chapters = forms.IntegerField(
        min_value=1,
        max_value=10_000,
        required=False,
        help_text="Leave empty when you don't know yet (shown as ?).",
    )
    is_complete = forms.BooleanField(label="This work is complete", required=False)
    is_restricted = forms.BooleanField(
        label="Only show this work to logged-in readers", required=False
    )
    comment_permission = forms.ChoiceField(
        label="Who may comment",
        choices=CommentPermission.choices,
        initial=CommentPermission.ACCOUNTS,
        required=False,  # a form that does not show it (an old client) keeps the default
        help_text="Guests comment under a name they give; blocked accounts never can.",
    )
    comments_moderated = forms.BooleanField(
        label="Hold new comments until I approve them",
        required=False,
        help_text="Readers see a comment once you approve it from the work page.",
    )
    analysis_enabled = forms.BooleanField(
        label="Let Fanfold read this work",
        required=False,
        initial=True,
        help_text=(
            "Fanfold finds the characters and who speaks each line, suggests character and"
            " relationship tags to you, and shows readers a characters and dialogue page."
            " Turned off, it shows and suggests nothing."
        ),
    )
    series = forms.ModelChoiceField(
        queryset=Series.objects.none(), required=False, label="Add to one of your series"
    )
    new_series_title = forms.CharField(
        max_length=TITLE_MAX, required=False, label="…or start a new series called"
    )

    def __init__(self, *args: Any, owner_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        series_field = self.fields["series"]
        assert isinstance(series_field, forms.ModelChoiceField)
        series_field.queryset = Series.objects.filter(owner_id=owner_id).order_by("title")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        total = sum(len(data.get(name) or []) for name in FREE_TAG_FIELDS)
        if total > MAX_USER_TAGS:
            raise forms.ValidationError(
                f"A work can have at most {MAX_USER_TAGS} fandom, relationship, character "
                f"and additional tags together; this one has {total}."
            )
        return data

    def to_fields(self) -> WorkFields:
        data = self.cleaned_data
        tags: dict[TagType, list[str]] = {
            TagType.WARNING: list(data["warnings"]),
            TagType.CATEGORY: list(data["categories"]),
        }
        for name, tag_type in FREE_TAG_FIELDS.items():
            tags[tag_type] = data[name]
        return WorkFields(
            title=data["title"],
            rating=data["rating"],
            summary=data["summary"],
            notes=data["notes"],
            end_notes=data["end_notes"],
            language=data["language"],
            expected_chapters=data["expected_chapters"],
            is_complete=data["is_complete"],
            is_restricted=data["is_restricted"],
            comment_permission=data["comment_permission"] or CommentPermission.ACCOUNTS,
            comments_moderated=data["comments_moderated"],
            analysis_enabled=data["analysis_enabled"],
            tags=tags,
        )


class ChapterForm(forms.Form):
    title = forms.CharField(label="Chapter title", max_length=TITLE_MAX, required=False)
    summary = CountedTextField(
        label="Chapter summary",
        max_length=SUMMARY_MAX,
        what="The summary",
        required=False,
        widget=_textarea(3),
    )
    notes = CountedTextField(
        label="Chapter beginning notes",
        max_length=NOTES_MAX,
        what="The notes",
        required=False,
        widget=_textarea(3),
    )
    body = CountedTextField(
        label="Chapter text",
        min_length=CHAPTER_BODY_MIN,
        max_length=CHAPTER_BODY_MAX,
        what="The chapter text",
        widget=_textarea(20),
        help_text=HTML_HELP,
    )
    end_notes = CountedTextField(
        label="Chapter end notes",
        max_length=NOTES_MAX,
        what="The end notes",
        required=False,
        widget=_textarea(3),
    )

    def to_fields(self) -> ChapterFields:
        data = self.cleaned_data
        return ChapterFields(
            title=data["title"],
            summary=data["summary"],
            notes=data["notes"],
            end_notes=data["end_notes"],
            body=data["body"],
        )


class OrderForm(forms.Form):
    """One position box per item (chapters of a work, parts of a series).

    Positions must use each number from 1 to n once; works without JavaScript.
    """

    def __init__(self, *args: Any, items: list[tuple[int, str, int]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for pk, label, position in items:
            self.fields[f"position_{pk}"] = forms.IntegerField(
                label=label, min_value=1, max_value=max(len(items), 1), initial=position
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        positions = [data.get(f"position_{pk}") for pk, _, _ in self.items]
        numbers = sorted(p for p in positions if p is not None)
        if len(numbers) == len(self.items) and numbers != list(range(1, len(self.items) + 1)):
            raise forms.ValidationError("Use each position from 1 to the number of items once.")
        return data

    def ordered_ids(self) -> list[int]:
        return sorted(
            (pk for pk, _, _ in self.items),
            key=lambda pk: int(self.cleaned_data[f"position_{pk}"]),
        )


class SeriesForm(forms.Form):
    title = forms.CharField(max_length=TITLE_MAX)
    summary = CountedTextField(max_length=SUMMARY_MAX, what="The summary", required=False)
    notes = CountedTextField(max_length=NOTES_MAX, what="The notes", required=False)
    is_complete = forms.BooleanField(label="This series is complete", required=False)


class _MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class _MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern for multiple uploads)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", _MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        one = super().clean
        if isinstance(data, list | tuple):
            return [one(item, initial) for item in data]
        return [one(data, initial)]


class ImportUploadForm(forms.Form):
    """Files to import: one whole work (EPUB, Word, AO3 or HTML download) or its chapters."""

    upload = _MultipleFileField(
        label="Files",
        help_text=(
            "One EPUB, Word (.docx), HTML or AO3 download, or several text, Markdown, "
            "HTML or Word files: one per chapter, in any order."
        ),
    )

    def __init__(self, *args: Any, max_files: int, max_bytes: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_files = max_files
        self.max_bytes = max_bytes

    def clean_upload(self) -> list[tuple[str, bytes]]:
        uploads = [u for u in self.cleaned_data.get("upload") or [] if u]
        if not uploads:
            raise forms.ValidationError("Choose at least one file.")
        if len(uploads) > self.max_files:
            raise forms.ValidationError(
                f"At most {self.max_files} files at once; you chose {len(uploads)}."
            )
        total = sum(upload.size or 0 for upload in uploads)
        if total > self.max_bytes:
            limit = self.max_bytes / 1e6
            raise forms.ValidationError(
                f"The files come to {total / 1e6:.1f} MB; the limit is {limit:.0f} MB."
            )
        return [(upload.name or "upload", upload.read()) for upload in uploads]


class ChapterNotesForm(forms.Form):
    """Per imported chapter: keep the notes Fanfold found, or put them back in the text."""

    def __init__(self, *args: Any, chapters: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for index in range(chapters):
            self.fields[f"notes_{index}"] = forms.BooleanField(
                label="Keep the author's notes found here apart from the story",
                required=False,
                initial=True,
            )

    def kept(self, index: int) -> bool:
        return bool(self.cleaned_data.get(f"notes_{index}"))


class PastedNotesForm(forms.Form):
    """The author's answer to the offer to move pasted notes (see ``works.pasted_notes``).

    ``decision`` comes from the offer's two buttons; ``intent`` remembers
    whether the author first asked to post or to save a draft; ``declined``
    is the digest of the lines the author chose to keep, so the same lines
    are not offered again.
    """

    MOVE = "move"
    KEEP = "keep"

    decision = forms.ChoiceField(
        choices=[(MOVE, MOVE), (KEEP, KEEP)], required=False, widget=forms.HiddenInput
    )
    intent = forms.ChoiceField(
        choices=[("post", "post"), ("draft", "draft")], required=False, widget=forms.HiddenInput
    )
    declined = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)

    def choice(self) -> str:
        """``move``, ``keep``, or empty when the author has not answered yet."""
        return str(self.cleaned_data.get("decision") or "") if self.is_valid() else ""

    def declined_digest(self) -> str:
        return str(self.cleaned_data.get("declined") or "") if self.is_valid() else ""


class _StoryNamesField(forms.MultipleChoiceField):
    """Ticked story names: any the engine suggested is valid, shown or merged into another."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.accepted: set[str] = set()

    def valid_value(self, value: str) -> bool:
        return value in self.accepted or super().valid_value(value)


class SuggestedTagsForm(forms.Form):
    """The engine's suggestions on the import preview: the author ticks the ones to add.

    Nothing is ticked at first: a suggestion becomes a tag only by the
    author's choice. Each box's value is the story's name ("Lexie"), its
    label the tag it becomes in the fandom named ("Lexie Grey"), so a box
    ticked before the author changed the fandom still means the same person.
    """

    characters = _StoryNamesField(
        label="Add these characters", required=False, widget=forms.CheckboxSelectMultiple
    )
    relationships = _StoryNamesField(
        label="Add these relationships", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self,
        *args: Any,
        characters: Sequence[tuple[str, str]],
        relationships: Sequence[tuple[str, str]],
        accepted: Mapping[str, Iterable[str]],
        **kwargs: Any,
    ) -> None:
        """``characters`` and ``relationships``: (story name, tag) to show; ``accepted``:
        every story name per field."""
        super().__init__(*args, **kwargs)
        for name, offered in (("characters", characters), ("relationships", relationships)):
            field = self.fields[name]
            assert isinstance(field, _StoryNamesField)
            field.choices = list(offered)
            field.accepted = set(accepted.get(name, ()))

    def chosen(self) -> dict[TagType, list[str]]:
        """The story names ticked, by tag type."""
        return {
            TagType.CHARACTER: list(self.cleaned_data.get("characters", [])),
            TagType.RELATIONSHIP: list(self.cleaned_data.get("relationships", [])),
        }
