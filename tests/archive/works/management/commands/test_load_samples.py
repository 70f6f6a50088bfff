"""``fanfold load_samples``: the sample works a fresh archive shows.

The command promises: every work in ``works/samples/works.json`` posted
with all its chapters and tags; the samples' fandoms filed under Books;
series parts in their order; loading twice adds nothing; and the sample
authors cannot log in until an operator gives them a password.
"""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from fanfold.archive.tags.models import Media, Tag, TagType
from fanfold.archive.works.management.commands.load_samples import SAMPLES
from fanfold.archive.works.models import Series, Work

pytestmark = pytest.mark.django_db


def load() -> str:
    out = StringIO()
    call_command("load_samples", stdout=out)
    return out.getvalue()


def test_load_samples_posts_every_sample_work_with_its_chapters() -> None:
    samples = json.loads(SAMPLES.read_text(encoding="utf-8"))["works"]
    assert f"Loaded {len(samples)} sample work(s)" in load()
    for sample in samples:
        work = Work.objects.get(title=sample["title"], owner__username=sample["author"])
        assert not work.is_draft
        assert work.chapter_count == len(sample["chapters"]) == work.chapters.count()
        assert work.word_count > 100
        assert {t.name for t in work.tags.all()} >= set(sample["fandoms"])


def test_sample_fandoms_are_browsable_under_books(client: Client) -> None:
    load()
    samples = json.loads(SAMPLES.read_text(encoding="utf-8"))["works"]
    page = client.get("/fandoms/books/").content.decode()
    for fandom in {name for sample in samples for name in sample["fandoms"]}:
        assert Tag.objects.get(type=TagType.FANDOM, name=fandom).media == Media.BOOKS
        assert fandom in page


def test_load_samples_keeps_series_parts_in_order() -> None:
    load()
    series = Series.objects.get(title="Small Hours at Baker Street")
    titles = [part.work.title for part in series.parts.order_by("position")]
    assert titles == ["The Lamplighter's Hour", "A Question of Tobacco Ash"]


def test_load_samples_twice_adds_nothing() -> None:
    load()
    count = Work.objects.count()
    assert "Loaded 0 sample work(s)" in load()
    assert Work.objects.count() == count


def test_sample_authors_cannot_log_in_until_an_operator_sets_a_password() -> None:
    load()
    work = Work.objects.select_related("owner").first()
    assert work is not None
    assert not work.owner.has_usable_password()
