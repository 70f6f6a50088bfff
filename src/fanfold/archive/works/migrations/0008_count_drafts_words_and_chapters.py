"""Draft works count all their chapters' words and chapters (issue 14).

Until now a draft counted only its posted chapters, none, so its author saw
"Words: 0, Chapters: 0/?" while the text was there. The services now count
every chapter of a draft work; this counts the drafts saved before.
"""

from django.db import migrations
from django.db.models import Count, Sum


def count_drafts(apps, schema_editor):
    Work = apps.get_model("works", "Work")
    drafts = Work.objects.filter(is_draft=True).annotate(
        all_chapters=Count("chapters"), all_words=Sum("chapters__word_count")
    )
    for work in drafts.iterator(chunk_size=200):
        Work.objects.filter(pk=work.pk).update(
            chapter_count=work.all_chapters, word_count=work.all_words or 0
        )


class Migration(migrations.Migration):
    dependencies = [
        ("works", "0007_analysis_enabled"),
    ]

    operations = [
        migrations.RunPython(count_drafts, migrations.RunPython.noop),
    ]
