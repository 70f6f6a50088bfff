"""Typed tags, as fans know them from AO3, and how wranglers organise them.

Ratings are a column on the work (exactly one per work, used in every
filter); every other kind of tag lives here with its type. Warnings and
categories come from AO3's fixed vocabularies; fandoms, relationships,
characters and freeform tags are whatever authors type.

Tag wranglers organise what authors type:

- a *synonym* points at its canonical tag (``merger``): "Lex Grey" is a
  synonym of "Lexie Grey", and filtering on either finds both;
- a *meta tag* holds sub-tags (``meta_tags``): "Marvel" holds "Marvel
  Cinematic Universe", and filtering on "Marvel" finds works tagged with
  the sub-tag too;
- a *parent* is an association without inheritance (``parents``): a
  character or relationship belongs to its fandom, which lists it, but
  filtering on the fandom finds only works tagged with the fandom.

``listed_count`` and ``member_count`` count the works a filter on the tag
finds (synonyms and sub-tags included) for strangers and for logged-in
readers; the search index keeps them current.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

from fanfold.formats.clean import single_line


class TagType(models.TextChoices):
    WARNING = "warning", "Archive Warning"
    CATEGORY = "category", "Category"
    FANDOM = "fandom", "Fandom"
    RELATIONSHIP = "relationship", "Relationship"
    CHARACTER = "character", "Character"
    FREEFORM = "freeform", "Additional Tag"


# Display order on a work's blurb, as on AO3.
TAG_TYPE_ORDER = [
    TagType.WARNING,
    TagType.CATEGORY,
    TagType.FANDOM,
    TagType.RELATIONSHIP,
    TagType.CHARACTER,
    TagType.FREEFORM,
]

WARNINGS = [
    "Creator Chose Not To Use Archive Warnings",
    "Graphic Depictions Of Violence",
    "Major Character Death",
    "No Archive Warnings Apply",
    "Rape/Non-Con",
    "Underage",
]
CATEGORIES = ["F/F", "F/M", "Gen", "M/M", "Multi", "Other"]
TAG_NAME_MAX_LENGTH = 150


def tag_name(raw: str) -> str:
    """A tag name as stored: one line, single spaces, no control characters.

    >>> tag_name("  Line one\\nline  two ")
    'Line one line two'
    """
    return single_line(raw)


def clean_tag_names(names: Iterable[str]) -> list[str]:
    """Names as stored, blanks and repeats dropped; a name over the limit is refused.

    >>> clean_tag_names(["Lexie Grey", " Lexie\\tGrey", "", "Mark Sloan"])
    ['Lexie Grey', 'Mark Sloan']
    """
    cleaned = [tag_name(name) for name in names]
    for name in cleaned:
        if len(name) > TAG_NAME_MAX_LENGTH:
            raise ValidationError(
                f"Tags can be at most {TAG_NAME_MAX_LENGTH} characters; "
                f"this one has {len(name):,}: {name[:40]}…"
            )
    return list(dict.fromkeys(name for name in cleaned if name))


def validate_tag_name(value: str) -> None:
    """For the admin's edits: a stored tag name is already in its clean form."""
    if value != tag_name(value):
        raise ValidationError(
            "A tag name is one line, with single spaces and no control characters."
        )


class Media(models.TextChoices):
    """Where a fandom comes from (AO3's media categories)."""

    ANIME = "anime", "Anime & Manga"
    BOOKS = "books", "Books & Literature"
    COMICS = "comics", "Cartoons & Comics & Graphic Novels"
    CELEBRITIES = "celebrities", "Celebrities & Real People"
    MOVIES = "movies", "Movies"
    MUSIC = "music", "Music & Bands"
    OTHER = "other", "Other Media"
    THEATER = "theater", "Theater"
    TV = "tv", "TV Shows"
    GAMES = "games", "Video Games"
    UNSORTED = "", "Uncategorized Fandoms"


class Tag(models.Model):
    type = models.CharField(max_length=20, choices=TagType.choices)
    name = models.CharField(max_length=TAG_NAME_MAX_LENGTH, validators=[validate_tag_name])
    created_at = models.DateTimeField(auto_now_add=True)
    is_canonical = models.BooleanField(
        default=False, help_text="A wrangled tag readers filter on and authors are offered"
    )
    merger = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="synonyms",
        help_text="The canonical tag this one is a synonym of",
    )
    meta_tags = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="sub_tags"
    )
    parents = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="children")
    media = models.CharField(max_length=20, choices=Media.choices, blank=True, default="")
    listed_count = models.PositiveIntegerField(default=0, help_text="Works strangers find")
    member_count = models.PositiveIntegerField(default=0, help_text="Works logged-in readers find")

    class Meta:
        constraints = [
            models.UniqueConstraint("type", Lower("name"), name="tag_unique_name_per_type"),
            models.CheckConstraint(condition=~models.Q(name=""), name="tag_name_not_empty"),
        ]
        indexes = [
            models.Index(fields=["type", "name"]),
            models.Index(fields=["type", "media", "-listed_count"], name="tag_browse_idx"),
        ]
        ordering = ["type", "name"]
        permissions = [("wrangle_tag", "Can wrangle tags (synonyms, canonicals, parents)")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("search:tag", args=[self.type, self.name])
