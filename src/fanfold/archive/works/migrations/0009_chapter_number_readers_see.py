"""Chapters carry the number readers see (issue 15).

Headings used the stored position, which counts drafts: a draft between two
posted chapters showed readers "Chapter 1" then "Chapter 3". ``number``
counts posted chapters only; this fills it in for the chapters saved before.
"""

from django.db import migrations, models


def number_chapters(apps, schema_editor):
    Chapter = apps.get_model("works", "Chapter")
    batch, work_id, posted = [], None, 0
    for chapter in (
        Chapter.objects.order_by("work_id", "position")
        .only("pk", "work_id", "is_draft", "number")
        .iterator(chunk_size=2000)
    ):
        if chapter.work_id != work_id:
            work_id, posted = chapter.work_id, 0
        if chapter.number != posted + 1:
            chapter.number = posted + 1
            batch.append(chapter)
        posted += not chapter.is_draft
        if len(batch) >= 2000:
            Chapter.objects.bulk_update(batch, ["number"])
            batch = []
    Chapter.objects.bulk_update(batch, ["number"])


class Migration(migrations.Migration):
    dependencies = [
        ("works", "0008_count_drafts_words_and_chapters"),
    ]

    operations = [
        migrations.AddField(
            model_name="chapter",
            name="number",
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.RunPython(number_chapters, migrations.RunPython.noop),
    ]
