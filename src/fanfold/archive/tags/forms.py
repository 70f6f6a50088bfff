"""The tag wrangler's forms: one small form per kind of change."""

from __future__ import annotations

from django import forms

from fanfold.archive.tags.models import TAG_NAME_MAX_LENGTH, Media, Tag, tag_name


class TagNameField(forms.CharField):
    """A tag named by the wrangler, looked up within ``tag_type`` (any type if None)."""

    def __init__(self, *, tag_type: str | None = None, **kwargs: object) -> None:
        super().__init__(max_length=TAG_NAME_MAX_LENGTH, **kwargs)  # type: ignore[arg-type]
        self.tag_type = tag_type

    def clean(self, value: object) -> Tag:
        name = tag_name(str(super().clean(value)))
        tags = Tag.objects.filter(name__iexact=name)
        if self.tag_type:
            tags = tags.filter(type=self.tag_type)
        tag = tags.first()
        if tag is None:
            raise forms.ValidationError(f"No tag is called “{name}”.")
        return tag


class CanonicalForm(forms.Form):
    canonical = forms.BooleanField(label="Canonical", required=False)


class SynonymForm(forms.Form):
    def __init__(self, *args: object, tag_type: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["of"] = TagNameField(tag_type=tag_type, label="Make a synonym of")


class MetaTagForm(forms.Form):
    def __init__(self, *args: object, tag_type: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["meta"] = TagNameField(tag_type=tag_type, label="Add a meta tag")


class ParentForm(forms.Form):
    parent = TagNameField(tag_type="fandom", label="Add a parent fandom")


class MediaForm(forms.Form):
    # Not "media": forms have a media property of their own (their CSS and JS).
    media_type = forms.ChoiceField(label="Media", choices=Media.choices, required=False)
