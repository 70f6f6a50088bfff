"""``fanfold load_samples``: the sample works a fresh archive shows.

The works are ours (written for Fanfold, fan fiction of public-domain
books) and live in ``works/samples/works.json``. Loading is idempotent: a
work whose author already has a work of that title is skipped.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from fanfold.archive.people.models import User
from fanfold.archive.tags.models import Media, TagType
from fanfold.archive.tags.services import find_or_create_tags
from fanfold.archive.works import services
from fanfold.archive.works.models import Rating, Series, Work

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "works.json"
RATINGS = {label: value for value, label in Rating.choices}


class Command(BaseCommand):
    help = "Load Fanfold's sample works (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        data = json.loads(SAMPLES.read_text(encoding="utf-8"))
        # Series parts are appended in load order, so load them by position.
        works = sorted(data["works"], key=lambda w: (w.get("series") or {}).get("position", 0))
        created = sum(1 for work in works if load_sample(work))
        self.stdout.write(
            f"Loaded {created} sample work(s); {len(data['works']) - created} already there."
        )


@transaction.atomic
def load_sample(sample: dict[str, Any]) -> Work | None:
    author, created = User.objects.get_or_create(username=sample["author"])
    if created:  # sample authors exist to own works; nobody logs in as them
        author.set_unusable_password()
        author.save(update_fields=["password"])
    if Work.objects.filter(owner=author, title=sample["title"]).exists():
        return None
    _file_fandoms_under_books(sample.get("fandoms", []))
    chapters = [
        services.ChapterFields(
            title=c.get("title", ""),
            summary=c.get("summary", ""),
            notes=c.get("notes", ""),
            end_notes=c.get("end_notes", ""),
            body=c["body"],
        )
        for c in sample["chapters"]
    ]
    series_info = sample.get("series") or {}
    series = None
    if series_info:
        series = Series.objects.filter(owner=author, title=series_info["title"]).first()
        series = series or services.create_series(owner=author, title=series_info["title"])
    work = services.create_work(
        owner=author,
        fields=services.WorkFields(
            title=sample["title"],
            rating=RATINGS.get(sample["rating"], Rating.NOT_RATED),
            summary=sample.get("summary", ""),
            notes=sample.get("notes", ""),
            end_notes=sample.get("end_notes", ""),
            language=sample.get("language", "en"),
            expected_chapters=sample.get("expected_chapters"),
            is_complete=bool(sample.get("complete")),
            tags={
                TagType.WARNING: sample.get("warnings", []),
                TagType.CATEGORY: sample.get("categories", []),
                TagType.FANDOM: sample.get("fandoms", []),
                TagType.RELATIONSHIP: sample.get("relationships", []),
                TagType.CHARACTER: sample.get("characters", []),
                TagType.FREEFORM: sample.get("freeforms", []),
            },
        ),
        first_chapter=chapters[0],
        post=True,
        series=series,
    )
    for chapter in chapters[1:]:
        services.add_chapter(work=work, by=author, fields=chapter, post=True)
    return work


def _file_fandoms_under_books(names: list[str]) -> None:
    """The samples are fan fiction of books: their new fandoms start filed under Books."""
    for tag in find_or_create_tags(names_by_type={TagType.FANDOM: names}):
        if not tag.media:
            tag.media = Media.BOOKS
            tag.save(update_fields=["media"])
