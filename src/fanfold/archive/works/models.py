"""Works, chapters and series.

Text fields that hold author HTML (summary, notes, bodies) store it already
sanitised (see :mod:`fanfold.formats.userhtml`), so templates may mark it
safe; titles are one line without control characters (see
:mod:`fanfold.formats.clean`). The services enforce the limits below on
every way in (forms, imports, the command line). Counters (words, posted
chapters) are kept on the work by the services that change chapters, so
listings never sum chapters.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from fanfold.archive.tags.models import Tag

TITLE_MAX = 255
SUMMARY_MAX = 1250
NOTES_MAX = 5000
CHAPTER_BODY_MIN = 10
CHAPTER_BODY_MAX = 510_000
# Not AO3's (it has none): bounds on what one work may cost to store, index
# and download. About 850,000 words, and far more chapters than any novel.
WORK_TEXT_MAX = 5_000_000
CHAPTERS_MAX = 1_000


class Rating(models.TextChoices):
    NOT_RATED = "not_rated", "Not Rated"
    GENERAL = "general", "General Audiences"
    TEEN = "teen", "Teen And Up Audiences"
    MATURE = "mature", "Mature"
    EXPLICIT = "explicit", "Explicit"

    @classmethod
    def of(cls, stored: str) -> Rating:
        """The rating a stored value means: one no choice has (an import's, an old
        version's, an operator's SQL) reads as Not Rated rather than breaking a page.

        >>> Rating.of("teen").label, Rating.of("R").label
        ('Teen And Up Audiences', 'Not Rated')
        """
        return cls(stored) if stored in cls.values else cls.NOT_RATED


class CommentPermission(models.TextChoices):
    """Who may comment on a work, the author's choice (AO3's three)."""

    EVERYONE = "everyone", "Everyone, including guests who give a name"
    ACCOUNTS = "accounts", "Only readers with an account"
    NOBODY = "nobody", "Nobody: comments are closed"


class Listing(models.IntegerChoices):
    """Who finds a work in listings and searches."""

    PUBLIC = 0, "Everyone"
    MEMBERS = 1, "Logged-in readers (restricted)"
    UNLISTED = 2, "Nobody (a draft, or hidden by an admin)"


SORT_COLUMNS = [
    "updated_at",
    "published_at",
    "kudos_count",
    "hit_count",
    "bookmark_count",
    "comment_count",
    "word_count",
    "sort_title",
]
SAMPLE_BUCKETS = 64


class Work(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="works"
    )
    title = models.CharField(max_length=TITLE_MAX)
    summary = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    end_notes = models.TextField(blank=True)
    rating = models.CharField(max_length=20, choices=Rating.choices)
    language = models.CharField(max_length=20, default="en")
    expected_chapters = models.PositiveIntegerField(null=True, blank=True)
    is_complete = models.BooleanField(default=False)
    is_restricted = models.BooleanField(default=False, help_text="Only logged-in readers")
    is_draft = models.BooleanField(default=True)
    is_hidden = models.BooleanField(default=False, help_text="Hidden by an admin")
    word_count = models.PositiveIntegerField(default=0)
    chapter_count = models.PositiveIntegerField(default=0, help_text="Posted chapters")
    tags = models.ManyToManyField(Tag, related_name="works", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True, help_text="Last posted change")
    # Reader counters (kudos, comments, bookmarks, hits): nothing counts them until
    # readers can leave kudos and comments (issue 12); listings already sort by them.
    kudos_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    bookmark_count = models.PositiveIntegerField(default=0)
    hit_count = models.PositiveIntegerField(default=0)
    # The author's comment policy (the comments app enforces it).
    comment_permission = models.CharField(
        max_length=8, choices=CommentPermission.choices, default=CommentPermission.ACCOUNTS
    )
    comments_moderated = models.BooleanField(
        default=False, help_text="New comments wait for the author's approval"
    )
    # The author's choice: with it off, the insights app neither analyses the
    # work nor shows or suggests anything from its text.
    analysis_enabled = models.BooleanField(
        default=True, help_text="Fanfold reads the work: characters, dialogue, suggested tags"
    )
    # Kept by the search index (fanfold.archive.search.indexing), never by hand.
    listing = models.PositiveSmallIntegerField(default=Listing.UNLISTED, choices=Listing.choices)
    sort_title = models.CharField(max_length=TITLE_MAX, default="")
    is_crossover = models.BooleanField(default=False)
    bucket = models.PositiveSmallIntegerField(default=0, help_text="Sample bucket: id % 64")
    # Moves (never by hand: fanfold.archive.works.versions) whenever anything a
    # reader without an account sees on the work's pages changes: the key of
    # its cached pages (fanfold.archive.pagecache) and their ETag.
    version = models.PositiveBigIntegerField(default=1)

    class Meta:
        indexes = [
            models.Index(fields=["is_draft", "is_hidden", "-updated_at"]),
            # One index per sort order over listed works, read backwards or
            # forwards with the id as the tie-break (keyset pagination).
            *(
                models.Index(
                    fields=[column, "id"],
                    condition=models.Q(listing__lt=Listing.UNLISTED),
                    name=f"work_sort_{column}",
                )
                for column in SORT_COLUMNS
            ),
            models.Index(
                fields=["bucket", "id"],
                condition=models.Q(listing__lt=Listing.UNLISTED),
                name="work_sample_bucket",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("works:work", args=[self.pk])

    @property
    def chapters_label(self) -> str:
        """AO3's "posted/expected" label: "2/3", or "2/?" when unknown."""
        expected = "?" if self.expected_chapters is None else str(self.expected_chapters)
        return f"{self.chapter_count}/{expected}"


class ListingsVersion(models.Model):
    """One row whose ``version`` moves after any work's version moves (or a tag changes).

    Cached listing and search pages are keyed by it (fanfold.archive.pagecache):
    any listed work that changes may show on any listing, so one number for all
    is exact, and one indexed row read per listing page is cheap.
    """

    version = models.PositiveBigIntegerField(default=1)

    def __str__(self) -> str:
        return f"listings version {self.version}"


class Chapter(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="chapters")
    # Where the chapter sits among all of the work's chapters, drafts included.
    position = models.PositiveIntegerField()
    # The number readers see: posted chapters counted without the drafts, so
    # a draft between posted chapters leaves no gap that betrays it. A draft
    # gets the number it would take if posted now. Kept by the services.
    number = models.PositiveIntegerField(default=1)
    title = models.CharField(max_length=TITLE_MAX, blank=True)
    summary = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    end_notes = models.TextField(blank=True)
    body = models.TextField()
    word_count = models.PositiveIntegerField(default=0)
    is_draft = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position"]
        indexes = [models.Index(fields=["work", "position"])]

    def __str__(self) -> str:
        return self.heading

    def get_absolute_url(self) -> str:
        return reverse("works:chapter", args=[self.work_id, self.pk])

    @property
    def heading(self) -> str:
        """E.g. "Chapter 2: The Garden", or "Chapter 2" when untitled: the
        number readers count (see ``number``), never the stored position."""
        label = f"Chapter {self.number}"
        return f"{label}: {self.title}" if self.title else label


class Series(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="series"
    )
    title = models.CharField(max_length=TITLE_MAX)
    summary = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    is_complete = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    works = models.ManyToManyField(Work, through="SeriesPart", related_name="series")

    class Meta:
        verbose_name_plural = "series"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("works:series", args=[self.pk])


class SeriesPart(models.Model):
    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="parts")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="series_parts")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["series", "work"], name="series_part_unique_work"),
        ]

    def __str__(self) -> str:
        return f"Part {self.position} of {self.series_id}"


class PendingUpload(models.Model):
    """An import waiting for its author to confirm the preview: what was read, read once.

    The files are parsed (and their text analysed) when they are uploaded;
    the result is kept here as JSON, so every view of the preview and the
    confirmation use exactly what was read, without reading it again. Kept
    in the database, not on one server's disk, so the preview and its
    confirmation may reach different app servers. ``size`` is what it
    costs to keep, counted against the author's quota.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pending_uploads"
    )
    token = models.CharField(max_length=32, unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    title = models.CharField(max_length=TITLE_MAX, blank=True)
    parsed = models.TextField(help_text="The ParsedWork, as formats.model.work_to_json wrote it")
    suggestions = models.JSONField(default=dict)
    size = models.PositiveIntegerField(default=0, help_text="Bytes kept")

    def __str__(self) -> str:
        return f"upload {self.token} by {self.owner_id}"
