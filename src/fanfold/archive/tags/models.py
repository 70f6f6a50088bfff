"""Typed tags, as fans know them from AO3.

Ratings are a column on the work (exactly one per work, used in every
filter); every other kind of tag lives here with its type. Warnings and
categories come from AO3's fixed vocabularies; fandoms, relationships,
characters and freeform tags are whatever authors type.
"""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower


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


class Tag(models.Model):
    type = models.CharField(max_length=20, choices=TagType.choices)
    name = models.CharField(max_length=TAG_NAME_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint("type", Lower("name"), name="tag_unique_name_per_type"),
        ]
        indexes = [models.Index(fields=["type", "name"])]
        ordering = ["type", "name"]

    def __str__(self) -> str:
        return self.name
